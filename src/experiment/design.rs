//! Design matrices: feature columns × cells → the forest's row-major `Matrix`, with the
//! missing-radar sentinel applied.

use crate::coherence::MISSING_SENTINEL;
use crate::features::FeatureTable;
use crate::forest::{ForestError, Matrix};

/// Rows = `cells`, columns = `names` (which must exist in `table`). NaN (a cell outside a
/// radar footprint) becomes [`MISSING_SENTINEL`].
pub fn design_matrix(
    table: &FeatureTable,
    names: &[String],
    cells: &[usize],
) -> Result<Matrix, ForestError> {
    let cols: Vec<&[f32]> = names
        .iter()
        .map(|n| {
            table.column(n).map(|c| c.values.as_slice()).ok_or_else(|| {
                ForestError::InvalidParameter {
                    name: "features",
                    reason: format!("no feature column `{n}`"),
                }
            })
        })
        .collect::<Result<_, _>>()?;
    let mut data = Vec::with_capacity(cells.len() * cols.len());
    for &i in cells {
        for c in &cols {
            let v = c[i];
            data.push(if v.is_finite() { v } else { MISSING_SENTINEL });
        }
    }
    Matrix::new(cells.len(), cols.len(), data)
}
