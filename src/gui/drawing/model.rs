//! Drawn training-area polygons and their undo/redo history.
//!
//! Vertices are (lon, lat) degrees, WGS 84 — the map's own coordinates; they are
//! transformed to the project CRS only when saved as GeoPackage/GeoJSON. Rings are stored
//! open (the first vertex is not repeated). Every edit bumps `revision`, which triggers
//! the autosave.

use serde::{Deserialize, Serialize};

/// What a drawn polygon stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolygonKind {
    /// Ground the mapper has checked, landslides or not (a training area). Autosaves from
    /// before polygon kinds hold training areas, so this is the default.
    #[default]
    MappedArea,
    /// A landslide, digitised inside a mapped area.
    Landslide,
}

impl PolygonKind {
    /// Lower-case name for lists and messages.
    pub fn label(self) -> &'static str {
        match self {
            PolygonKind::MappedArea => "mapped area",
            PolygonKind::Landslide => "landslide",
        }
    }
}

/// One drawn polygon: a mapped area or a landslide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawnPolygon {
    /// Stable id (selection, autosave).
    pub id: u64,
    /// Free text, e.g. who mapped it and when.
    pub label: String,
    /// Exterior ring, (lon, lat) degrees, open.
    pub lon_lat: Vec<[f64; 2]>,
    /// Mapped area or landslide.
    #[serde(default)]
    pub kind: PolygonKind,
}

/// An edit that cannot be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DrawError {
    /// Fewer than three vertices.
    #[error(
        "a polygon needs at least 3 vertices (this one has {0}); add more or press Esc to cancel"
    )]
    TooFewVertices(usize),
    /// The polygon or vertex index does not exist (stale selection).
    #[error("that polygon or vertex no longer exists")]
    NoSuchItem,
}

/// The polygons of one event plus undo/redo stacks (whole snapshots: drawings are small).
#[derive(Debug, Default, Clone)]
pub struct Drawing {
    /// The polygons, in drawing order.
    pub polygons: Vec<DrawnPolygon>,
    undo: Vec<Vec<DrawnPolygon>>,
    redo: Vec<Vec<DrawnPolygon>>,
    next_id: u64,
    /// Incremented by every change (including undo/redo).
    pub revision: u64,
}

const MAX_UNDO: usize = 500;

impl Drawing {
    /// A drawing restored from saved polygons (empty history).
    pub fn from_polygons(polygons: Vec<DrawnPolygon>) -> Self {
        let next_id = polygons.iter().map(|p| p.id + 1).max().unwrap_or(0);
        Self {
            polygons,
            next_id,
            ..Self::default()
        }
    }

    /// Record the current state before a change (clears redo).
    pub fn checkpoint(&mut self) {
        self.undo.push(self.polygons.clone());
        if self.undo.len() > MAX_UNDO {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Mark a change done (after `checkpoint` + live edits).
    pub fn touch(&mut self) {
        self.revision += 1;
    }

    /// Add a closed polygon of `kind`; returns its index.
    pub fn add(
        &mut self,
        lon_lat: Vec<[f64; 2]>,
        label: String,
        kind: PolygonKind,
    ) -> Result<usize, DrawError> {
        let ring = dedup_ring(lon_lat);
        if ring.len() < 3 {
            return Err(DrawError::TooFewVertices(ring.len()));
        }
        self.checkpoint();
        self.polygons.push(DrawnPolygon {
            id: self.next_id,
            label,
            lon_lat: ring,
            kind,
        });
        self.next_id += 1;
        self.touch();
        Ok(self.polygons.len() - 1)
    }

    /// Move a vertex without recording history (drag in progress).
    pub fn move_vertex_live(
        &mut self,
        poly: usize,
        vertex: usize,
        to: [f64; 2],
    ) -> Result<(), DrawError> {
        let v = self
            .polygons
            .get_mut(poly)
            .and_then(|p| p.lon_lat.get_mut(vertex))
            .ok_or(DrawError::NoSuchItem)?;
        *v = to;
        Ok(())
    }

    /// Insert a vertex before index `at` (recorded).
    pub fn insert_vertex(
        &mut self,
        poly: usize,
        at: usize,
        pos: [f64; 2],
    ) -> Result<(), DrawError> {
        let n = self
            .polygons
            .get(poly)
            .ok_or(DrawError::NoSuchItem)?
            .lon_lat
            .len();
        if at > n {
            return Err(DrawError::NoSuchItem);
        }
        self.checkpoint();
        self.polygons[poly].lon_lat.insert(at, pos);
        self.touch();
        Ok(())
    }

    /// Delete a vertex (recorded); refuses to go below three.
    pub fn delete_vertex(&mut self, poly: usize, vertex: usize) -> Result<(), DrawError> {
        let n = self
            .polygons
            .get(poly)
            .ok_or(DrawError::NoSuchItem)?
            .lon_lat
            .len();
        if vertex >= n {
            return Err(DrawError::NoSuchItem);
        }
        if n <= 3 {
            return Err(DrawError::TooFewVertices(n - 1));
        }
        self.checkpoint();
        self.polygons[poly].lon_lat.remove(vertex);
        self.touch();
        Ok(())
    }

    /// Delete a polygon (recorded).
    pub fn delete_polygon(&mut self, poly: usize) -> Result<(), DrawError> {
        if poly >= self.polygons.len() {
            return Err(DrawError::NoSuchItem);
        }
        self.checkpoint();
        self.polygons.remove(poly);
        self.touch();
        Ok(())
    }

    /// Change a label (recorded).
    pub fn relabel(&mut self, poly: usize, label: String) -> Result<(), DrawError> {
        if poly >= self.polygons.len() {
            return Err(DrawError::NoSuchItem);
        }
        self.checkpoint();
        self.polygons[poly].label = label;
        self.touch();
        Ok(())
    }

    /// Replace the ring of a polygon (recorded), e.g. a mapped area extended over a landslide.
    pub fn set_ring(&mut self, poly: usize, lon_lat: Vec<[f64; 2]>) -> Result<(), DrawError> {
        let ring = dedup_ring(lon_lat);
        if ring.len() < 3 {
            return Err(DrawError::TooFewVertices(ring.len()));
        }
        if poly >= self.polygons.len() {
            return Err(DrawError::NoSuchItem);
        }
        self.checkpoint();
        self.polygons[poly].lon_lat = ring;
        self.touch();
        Ok(())
    }

    /// Delete several polygons at once (one undo step); indices may come in any order.
    pub fn delete_polygons(&mut self, mut polys: Vec<usize>) -> Result<(), DrawError> {
        if polys.iter().any(|&p| p >= self.polygons.len()) {
            return Err(DrawError::NoSuchItem);
        }
        polys.sort_unstable();
        polys.dedup();
        self.checkpoint();
        for p in polys.into_iter().rev() {
            self.polygons.remove(p);
        }
        self.touch();
        Ok(())
    }

    /// Replace everything (e.g. loaded from a file); undoable.
    pub fn replace_all(&mut self, polygons: Vec<DrawnPolygon>) {
        self.checkpoint();
        self.next_id = self
            .next_id
            .max(polygons.iter().map(|p| p.id + 1).max().unwrap_or(0));
        self.polygons = polygons;
        self.touch();
    }

    /// A fresh id for polygons created outside [`Self::add`] (file import).
    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id - 1
    }

    /// Undo the last change; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(prev) => {
                self.redo.push(std::mem::replace(&mut self.polygons, prev));
                self.touch();
                true
            }
            None => false,
        }
    }

    /// Redo the last undone change.
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(next) => {
                self.undo.push(std::mem::replace(&mut self.polygons, next));
                self.touch();
                true
            }
            None => false,
        }
    }

    /// Something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

/// Drop consecutive duplicate vertices and a repeated closing vertex.
pub fn dedup_ring(mut ring: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    ring.dedup_by(|a, b| (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12);
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Vec<[f64; 2]> {
        vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    }

    #[test]
    fn undo_and_redo_restore_each_state() {
        let mut d = Drawing::default();
        d.add(square(), "a".into(), PolygonKind::MappedArea)
            .unwrap();
        d.delete_vertex(0, 1).unwrap();
        assert_eq!(d.polygons[0].lon_lat.len(), 3);
        assert!(d.undo());
        assert_eq!(d.polygons[0].lon_lat.len(), 4);
        assert!(d.undo());
        assert!(d.polygons.is_empty());
        assert!(!d.undo());
        assert!(d.redo());
        assert_eq!(d.polygons.len(), 1);
    }

    #[test]
    fn polygons_need_three_distinct_vertices() {
        let mut d = Drawing::default();
        let e = d.add(
            vec![[0.0, 0.0], [1.0, 1.0], [1.0, 1.0]],
            "x".into(),
            PolygonKind::Landslide,
        );
        assert_eq!(e, Err(DrawError::TooFewVertices(2)));
        d.add(
            vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]],
            "t".into(),
            PolygonKind::Landslide,
        )
        .unwrap();
        assert!(matches!(
            d.delete_vertex(0, 0),
            Err(DrawError::TooFewVertices(2))
        ));
    }

    #[test]
    fn a_new_edit_clears_redo() {
        let mut d = Drawing::default();
        d.add(square(), "a".into(), PolygonKind::MappedArea)
            .unwrap();
        d.undo();
        d.add(square(), "b".into(), PolygonKind::MappedArea)
            .unwrap();
        assert!(!d.can_redo());
    }
}
