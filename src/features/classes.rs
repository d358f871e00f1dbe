//! Categorical features: dominant class per coarse cell → one-hot columns, and class labels.

/// One-hot encode a coarse class grid: one 0/1 column per class present among `cells`
/// (sorted by code); NaN classes give 0 in every column.
pub fn one_hot(classes: &[f32], cells: &[bool]) -> Vec<(f32, Vec<f32>)> {
    let mut present: Vec<f32> = classes
        .iter()
        .zip(cells)
        .filter(|(c, v)| **v && !c.is_nan())
        .map(|(c, _)| *c)
        .collect();
    present.sort_by(|a, b| a.total_cmp(b));
    present.dedup();
    present
        .into_iter()
        .map(|code| {
            (
                code,
                classes
                    .iter()
                    .map(|c| if *c == code { 1.0 } else { 0.0 })
                    .collect(),
            )
        })
        .collect()
}

/// Short label of an ESA CCI land-cover class code.
pub fn esa_cci_label(code: i64) -> Option<&'static str> {
    Some(match code {
        10..=12 => "cropland_rainfed",
        20 => "cropland_irrigated",
        30 => "mosaic_cropland",
        40 => "mosaic_natural_veg",
        50 => "tree_broadleaf_evergreen",
        60..=62 => "tree_broadleaf_deciduous",
        70..=72 => "tree_needleleaf_evergreen",
        80..=82 => "tree_needleleaf_deciduous",
        90 => "tree_mixed",
        100 => "mosaic_tree_shrub",
        110 => "mosaic_herbaceous",
        120..=122 => "shrubland",
        130 => "grassland",
        140 => "lichens_mosses",
        150..=153 => "sparse_vegetation",
        160 => "tree_flooded_fresh",
        170 => "tree_flooded_saline",
        180 => "shrub_flooded",
        190 => "urban",
        200..=202 => "bare",
        210 => "water",
        220 => "snow_ice",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hot_has_a_column_per_present_class() {
        let cls = [3.0, 1.0, f32::NAN, 3.0, 9.0];
        let valid = [true, true, true, true, false];
        let oh = one_hot(&cls, &valid);
        assert_eq!(oh.len(), 2, "class 9 only in an invalid cell");
        assert_eq!(oh[0].0, 1.0);
        assert_eq!(oh[1].1, vec![1.0, 0.0, 0.0, 1.0, 0.0]);
    }
}
