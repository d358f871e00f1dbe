//! Fill concave polygons: egui only fills convex paths, so rings are ear-cut (earcutr)
//! into triangles and painted as one mesh.

use egui::{Color32, Mesh, Pos2};

/// Triangle indices into `ring` (open ring, screen coordinates); empty when degenerate.
pub fn triangulate(ring: &[Pos2]) -> Vec<u32> {
    if ring.len() < 3 {
        return Vec::new();
    }
    let flat: Vec<f64> = ring.iter().flat_map(|p| [p.x as f64, p.y as f64]).collect();
    earcutr::earcut(&flat, &[], 2)
        .map(|ix| ix.into_iter().map(|i| i as u32).collect())
        .unwrap_or_default()
}

/// A filled mesh of `ring` in `fill` colour.
pub fn fill_mesh(ring: &[Pos2], fill: Color32) -> Mesh {
    let mut mesh = Mesh::default();
    for p in ring {
        mesh.colored_vertex(*p, fill);
    }
    let idx = triangulate(ring);
    for t in idx.chunks_exact(3) {
        mesh.add_triangle(t[0], t[1], t[2]);
    }
    mesh
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    #[test]
    fn an_l_shape_becomes_four_triangles_covering_its_area() {
        // L-shape of area 3 (concave at (1,1)).
        let ring = [
            pos2(0., 0.),
            pos2(2., 0.),
            pos2(2., 1.),
            pos2(1., 1.),
            pos2(1., 2.),
            pos2(0., 2.),
        ];
        let t = triangulate(&ring);
        assert_eq!(t.len(), 12);
        let area: f32 = t
            .chunks_exact(3)
            .map(|c| {
                let (a, b, d) = (
                    ring[c[0] as usize],
                    ring[c[1] as usize],
                    ring[c[2] as usize],
                );
                ((b - a).x * (d - a).y - (b - a).y * (d - a).x).abs() / 2.0
            })
            .sum();
        assert!((area - 3.0).abs() < 1e-5);
    }
}
