//! `features.csv`: one row per valid coarse cell (centre x, y, target, features).

use super::FeatureTable;
use crate::io::{atomic_write_bytes, GisError};
use std::fmt::Write as _;
use std::path::Path;

/// Write the table as CSV atomically; NaN is written as an empty field.
pub fn write_features_csv(path: &Path, table: &FeatureTable) -> Result<(), GisError> {
    let mut s = String::with_capacity(table.valid.len() * 16 * (table.columns.len() + 3));
    s.push_str("x,y,");
    s.push_str(&table.target_name.to_lowercase());
    for c in &table.columns {
        s.push(',');
        s.push_str(&c.name);
    }
    s.push('\n');
    let fmt = |s: &mut String, v: f32| {
        if !v.is_nan() {
            let _ = write!(s, "{v}");
        }
    };
    let cols = table.coarse.cols;
    for i in table.valid_cells() {
        let (x, y) = table.coarse.cell_centre(i / cols, i % cols);
        let _ = write!(s, "{x:.1},{y:.1},");
        fmt(&mut s, table.target[i]);
        for c in &table.columns {
            s.push(',');
            fmt(&mut s, c.values[i]);
        }
        s.push('\n');
    }
    atomic_write_bytes(path, s.as_bytes())
}
