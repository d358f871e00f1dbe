//! A legend panel drawn beside a chart: one row per entry with a swatch (line, dashed line,
//! marker, filled box or translucent band) and a label, in the bundled font.

use super::{bold, font, Area, DrawError};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What an entry's swatch looks like.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A round marker with a black outline.
    Marker(RGBColor),
    /// A filled box.
    Box(RGBColor),
    /// A translucent band (mean ± sd).
    Band(RGBColor),
}

/// Row height of a legend entry, pixels.
const ROW: i32 = 24;

/// Draw `entries` top-down in `area`, starting at `top` pixels, under an optional title.
pub(crate) fn draw_legend(
    area: &Area<'_>,
    top: i32,
    title: Option<&str>,
    entries: &[(Swatch, String)],
) -> Result<(), DrawError> {
    let mut y = top;
    let left = 8;
    if let Some(t) = title {
        area.draw(&Text::new(
            t.to_string(),
            (left, y),
            bold(15.0).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        y += ROW;
    }
    for (swatch, label) in entries {
        let (x0, x1) = (left, left + 30);
        match *swatch {
            Swatch::Line(c) => {
                area.draw(&PathElement::new(vec![(x0, y), (x1, y)], c.stroke_width(3)))?;
            }
            Swatch::Dashed(c) => {
                for k in 0..3 {
                    let a = x0 + k * 11;
                    area.draw(&PathElement::new(
                        vec![(a, y), (a + 7, y)],
                        c.stroke_width(2),
                    ))?;
                }
            }
            Swatch::Marker(c) => {
                area.draw(&Circle::new((x0 + 15, y), 6, c.filled()))?;
                area.draw(&Circle::new((x0 + 15, y), 6, BLACK.stroke_width(1)))?;
            }
            Swatch::Box(c) => {
                area.draw(&Rectangle::new(
                    [(x0 + 4, y - 8), (x1 - 4, y + 8)],
                    c.filled(),
                ))?;
                area.draw(&Rectangle::new(
                    [(x0 + 4, y - 8), (x1 - 4, y + 8)],
                    BLACK.stroke_width(1),
                ))?;
            }
            Swatch::Band(c) => {
                area.draw(&Rectangle::new(
                    [(x0, y - 7), (x1, y + 7)],
                    c.mix(0.25).filled(),
                ))?;
            }
        }
        area.draw(&Text::new(
            label.clone(),
            (x1 + 8, y),
            font(14.0).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        y += ROW;
    }
    Ok(())
}
