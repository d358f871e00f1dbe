//! USGS ShakeMap `grid.xml` reader.
//!
//! The file lists grid nodes (cell centres) in rows from the north edge with longitude
//! ascending; columns are named by `<grid_field index=".." name=".."/>` (PGV in cm/s).
//! Each row is placed by its own LON/LAT values, not by its position in the file.

use super::{wgs84_wkt, GisError};
use crate::grid::{Grid, GridSpec};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A parsed ShakeMap grid: every field on one EPSG:4326 grid of node-centred cells.
#[derive(Debug, Clone)]
pub struct ShakeMap {
    /// The file.
    pub path: PathBuf,
    /// Grid whose cell centres are the ShakeMap nodes.
    pub spec: GridSpec,
    /// Field name (upper case, e.g. "PGV") → values (row-major, NaN where absent).
    pub fields: BTreeMap<String, Vec<f32>>,
    /// Field name → units as written in the file (e.g. "cms").
    pub units: BTreeMap<String, String>,
    /// Event attributes from `<event .../>` (magnitude, lat, lon, event_timestamp, …).
    pub event: BTreeMap<String, String>,
}

impl ShakeMap {
    /// One field as a grid.
    pub fn field(&self, name: &str) -> Result<Grid<f32>, GisError> {
        let data = self.fields.get(&name.to_uppercase()).ok_or_else(|| {
            GisError::invalid(
                &self.path,
                format!(
                    "ShakeMap has no {name} field (fields: {})",
                    self.fields.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        Grid::from_vec(self.spec.clone(), data.clone())
            .map_err(|e| GisError::invalid(&self.path, e.to_string()))
    }
}

fn attributes(tag: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq]
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_string();
        let after = &rest[eq + 1..];
        let Some(q) = after.chars().next() else { break };
        if q != '"' && q != '\'' {
            rest = after;
            continue;
        }
        let Some(end) = after[1..].find(q) else { break };
        out.insert(key, after[1..1 + end].to_string());
        rest = &after[end + 2..];
    }
    out
}

fn tag<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(&format!("<{name}"))?;
    let end = text[start..].find('>')? + start;
    Some(&text[start + name.len() + 1..end])
}

/// Parse a ShakeMap `grid.xml`.
pub fn read_shakemap(path: &Path) -> Result<ShakeMap, GisError> {
    super::check_input_file(path)?;
    let text = read_text(path)?;
    let (geo, spec) = grid_spec(path, &text)?;
    let names = grid_fields(path, &text)?;
    let col_of = |n: &str| names.iter().position(|(_, name, _)| name == n);
    let (ilon, ilat) = (
        col_of("LON").ok_or_else(|| bad(path, "no LON field"))?,
        col_of("LAT").ok_or_else(|| bad(path, "no LAT field"))?,
    );
    let (start, end) = grid_data_range(path, &text)?;
    // Each node needs at least two bytes per field ("0 "): a header declaring more nodes
    // than the data can hold is damaged, and is refused before allocating for it.
    let max_nodes = (end - start) / (2 * names.len().max(1));
    if spec.len() > max_nodes {
        let (nlon, nlat) = (geo.nlon, geo.nlat);
        return Err(GisError::Damaged {
            path: path.to_path_buf(),
            detail: format!(
                "the header declares nlon × nlat = {nlon} × {nlat} nodes but <grid_data> holds at most {max_nodes}"
            ),
        });
    }
    let mut fields: BTreeMap<String, Vec<f32>> = names
        .iter()
        .map(|(_, n, _)| (n.clone(), vec![f32::NAN; spec.len()]))
        .collect();
    let cols = DataColumns {
        names: &names,
        ilon,
        ilat,
    };
    fill_fields(path, &text[start..end], &geo, &cols, &mut fields)?;
    let units = names
        .iter()
        .map(|(_, n, u)| (n.clone(), u.clone()))
        .collect();
    let event = tag(&text, "event").map(attributes).unwrap_or_default();
    Ok(ShakeMap {
        path: path.to_path_buf(),
        spec,
        fields,
        units,
        event,
    })
}

/// The error for a malformed `grid.xml`.
fn bad(path: &Path, m: &str) -> GisError {
    GisError::invalid(path, format!("not a valid ShakeMap grid.xml: {m}"))
}

/// The whole file as text (a missing file is `NotFound`).
fn read_text(path: &Path) -> Result<String, GisError> {
    std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            GisError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            GisError::Io {
                path: path.to_path_buf(),
                source: e,
            }
        }
    })
}

/// The node geometry of `<grid_specification>`: first node, spacing and counts.
struct NodeGrid {
    /// Longitude of the westmost nodes.
    lon_min: f64,
    /// Latitude of the northmost nodes.
    lat_max: f64,
    /// Longitude spacing.
    dlon: f64,
    /// Latitude spacing.
    dlat: f64,
    /// Nodes per row.
    nlon: usize,
    /// Rows.
    nlat: usize,
}

/// The `<grid_specification>` as node geometry and the cell grid centred on the nodes.
fn grid_spec(path: &Path, text: &str) -> Result<(NodeGrid, GridSpec), GisError> {
    let spec_attrs = attributes(
        tag(text, "grid_specification").ok_or_else(|| bad(path, "no <grid_specification>"))?,
    );
    let num = |k: &str| -> Result<f64, GisError> {
        spec_attrs
            .get(k)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or_else(|| bad(path, &format!("grid_specification lacks a numeric {k}")))
    };
    let (lon_min, lat_max) = (num("lon_min")?, num("lat_max")?);
    let (dlon, dlat) = (num("nominal_lon_spacing")?, num("nominal_lat_spacing")?);
    let (nlon, nlat) = (num("nlon")? as usize, num("nlat")? as usize);
    let spec = GridSpec::new(
        nlon,
        nlat,
        lon_min - dlon / 2.0,
        lat_max + dlat / 2.0,
        dlon,
        dlat,
        wgs84_wkt()?,
    )
    .map_err(|e| bad(path, &e.to_string()))?;
    let geo = NodeGrid {
        lon_min,
        lat_max,
        dlon,
        dlat,
        nlon,
        nlat,
    };
    Ok((geo, spec))
}

/// The `<grid_field>`s as (index, upper-case name, units), sorted by index.
fn grid_fields(path: &Path, text: &str) -> Result<Vec<(usize, String, String)>, GisError> {
    let mut names: Vec<(usize, String, String)> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("<grid_field") {
        let end = rest[i..]
            .find('>')
            .map(|e| e + i)
            .ok_or_else(|| bad(path, "unterminated <grid_field>"))?;
        let a = attributes(&rest[i + 11..end]);
        let idx = a
            .get("index")
            .and_then(|v| v.parse::<usize>().ok())
            .ok_or_else(|| bad(path, "grid_field without index"))?;
        names.push((
            idx,
            a.get("name").cloned().unwrap_or_default().to_uppercase(),
            a.get("units").cloned().unwrap_or_default(),
        ));
        rest = &rest[end..];
    }
    names.sort();
    Ok(names)
}

/// The byte range of the `<grid_data>` contents.
fn grid_data_range(path: &Path, text: &str) -> Result<(usize, usize), GisError> {
    let start = text
        .find("<grid_data>")
        .ok_or_else(|| bad(path, "no <grid_data>"))?
        + "<grid_data>".len();
    let end = text[start..]
        .find("</grid_data>")
        .ok_or_else(|| bad(path, "unterminated <grid_data>"))?
        + start;
    Ok((start, end))
}

/// The columns of `<grid_data>`: every field, and which hold longitude and latitude.
struct DataColumns<'a> {
    /// The fields, in column order.
    names: &'a [(usize, String, String)],
    /// Column of LON.
    ilon: usize,
    /// Column of LAT.
    ilat: usize,
}

/// Parse the `<grid_data>` lines into `fields`, each line at its node.
fn fill_fields(
    path: &Path,
    data: &str,
    geo: &NodeGrid,
    cols: &DataColumns<'_>,
    fields: &mut BTreeMap<String, Vec<f32>>,
) -> Result<(), GisError> {
    let names = cols.names;
    let mut row_vals = Vec::with_capacity(names.len());
    for (lineno, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        row_vals.clear();
        for tok in line.split_whitespace() {
            row_vals.push(tok.parse::<f64>().map_err(|_| {
                bad(
                    path,
                    &format!("grid_data line {}: '{tok}' is not a number", lineno + 1),
                )
            })?);
        }
        if row_vals.len() != names.len() {
            return Err(bad(
                path,
                &format!(
                    "grid_data line {} has {} values, expected {}",
                    lineno + 1,
                    row_vals.len(),
                    names.len()
                ),
            ));
        }
        let c = ((row_vals[cols.ilon] - geo.lon_min) / geo.dlon).round();
        let r = ((geo.lat_max - row_vals[cols.ilat]) / geo.dlat).round();
        if c < 0.0 || r < 0.0 || c as usize >= geo.nlon || r as usize >= geo.nlat {
            return Err(bad(
                path,
                &format!("grid_data line {} lies outside the grid", lineno + 1),
            ));
        }
        let idx = r as usize * geo.nlon + c as usize;
        for (k, (_, n, _)) in names.iter().enumerate() {
            if let Some(v) = fields.get_mut(n) {
                v[idx] = row_vals[k] as f32;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_parse_quoted_pairs() {
        let a = attributes(r#" lon_min="-123.1" nlon='49' units="cms""#);
        assert_eq!(a["lon_min"], "-123.1");
        assert_eq!(a["nlon"], "49");
    }

    #[test]
    fn a_tiny_grid_places_rows_by_their_coordinates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("grid.xml");
        std::fs::write(&p, r#"<?xml version="1.0"?><shakemap_grid><event magnitude="6.9"/>
<grid_specification lon_min="10.0" lat_min="20.0" lon_max="10.1" lat_max="20.1" nominal_lon_spacing="0.1" nominal_lat_spacing="0.1" nlon="2" nlat="2"/>
<grid_field index="1" name="LON" units="dd"/><grid_field index="2" name="LAT" units="dd"/><grid_field index="3" name="PGV" units="cms"/>
<grid_data>
10.0 20.1 1.0
10.1 20.1 2.0
10.0 20.0 3.0
10.1 20.0 4.0
</grid_data></shakemap_grid>"#).unwrap();
        let s = read_shakemap(&p).unwrap();
        let pgv = s.field("pgv").unwrap();
        assert_eq!(pgv.data, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.units["PGV"], "cms");
        assert_eq!(s.event["magnitude"], "6.9");
        assert!((pgv.spec.x_min - 9.95).abs() < 1e-12);
    }

    #[test]
    fn a_truncated_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("grid.xml");
        std::fs::write(&p, "<shakemap_grid><grid_specification lon_min=\"1\"").unwrap();
        let e = read_shakemap(&p).unwrap_err().to_string();
        assert!(e.contains("grid.xml"), "{e}");
    }

    #[test]
    fn a_header_declaring_more_nodes_than_the_data_holds_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("grid.xml");
        std::fs::write(&p, r#"<shakemap_grid>
<grid_specification lon_min="10.0" lat_min="20.0" lon_max="10.1" lat_max="20.1" nominal_lon_spacing="0.1" nominal_lat_spacing="0.1" nlon="1000000" nlat="1000000"/>
<grid_field index="1" name="LON" units="dd"/><grid_field index="2" name="LAT" units="dd"/><grid_field index="3" name="PGV" units="cms"/>
<grid_data>
10.0 20.1 1.0
</grid_data></shakemap_grid>"#).unwrap();
        let e = read_shakemap(&p).unwrap_err().to_string();
        assert!(
            e.contains("grid.xml") && e.contains("damaged") && e.contains("1000000 × 1000000"),
            "{e}"
        );
    }
}
