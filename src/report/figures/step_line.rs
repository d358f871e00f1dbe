//! Geometry of true step lines: a value holds from one acquisition until the next, so a
//! series of (day, value) points becomes horizontal-then-vertical segments, and a mean ± sd
//! band becomes a stepped polygon. Units are those of the inputs (days, metric values).

/// Points of a true step line through `points` (sorted by x): each value is held
/// horizontally until the next x, then the line rises or falls vertically; the last value is
/// held until `x_end` (when it lies to the right of the last point).
pub fn step_line(points: &[(f64, f64)], x_end: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2 + 1);
    for (i, &(x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push((x, points[i - 1].1));
        }
        out.push((x, y));
    }
    if let Some(&(x, y)) = points.last() {
        if x_end > x {
            out.push((x_end, y));
        }
    }
    out
}

/// The closed outline of a stepped band between `lower` and `upper` (same x values).
pub(crate) fn step_band(lower: &[(f64, f64)], upper: &[(f64, f64)], x_end: f64) -> Vec<(f64, f64)> {
    let mut poly = step_line(upper, x_end);
    let mut low = step_line(lower, x_end);
    low.reverse();
    poly.extend(low);
    poly
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_line_holds_each_value_until_the_next_step_then_jumps() {
        let pts = [(0.0, 0.7), (5.0, 0.8), (12.0, 0.75)];
        assert_eq!(
            step_line(&pts, 20.0),
            vec![
                (0.0, 0.7),
                (5.0, 0.7),
                (5.0, 0.8),
                (12.0, 0.8),
                (12.0, 0.75),
                (20.0, 0.75)
            ]
        );
    }

    #[test]
    fn every_segment_of_a_step_line_is_horizontal_or_vertical() {
        let pts = [(-1.0, 0.1), (3.0, 0.4), (4.0, 0.2), (9.0, 0.9)];
        let line = step_line(&pts, 10.0);
        for w in line.windows(2) {
            assert!(
                w[0].0 == w[1].0 || w[0].1 == w[1].1,
                "diagonal segment {w:?}"
            );
        }
    }

    #[test]
    fn a_single_point_or_no_point_gives_a_flat_or_empty_line() {
        assert_eq!(step_line(&[(2.0, 0.5)], 6.0), vec![(2.0, 0.5), (6.0, 0.5)]);
        assert_eq!(step_line(&[(2.0, 0.5)], 1.0), vec![(2.0, 0.5)]);
        assert!(step_line(&[], 3.0).is_empty());
    }

    #[test]
    fn a_band_outline_runs_along_the_upper_steps_and_back_along_the_lower() {
        let band = step_band(&[(0.0, 0.1), (2.0, 0.3)], &[(0.0, 0.2), (2.0, 0.4)], 3.0);
        assert_eq!(band.first(), Some(&(0.0, 0.2)));
        assert_eq!(band[2], (2.0, 0.4));
        assert_eq!(band[3], (3.0, 0.4));
        assert_eq!(band[4], (3.0, 0.3));
        assert_eq!(band.last(), Some(&(0.0, 0.1)));
        assert_eq!(band.len(), 8);
    }
}
