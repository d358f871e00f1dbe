//! Writing a PGV grid as a USGS ShakeMap `grid.xml` (the format `crate::io::read_shakemap`
//! reads): nodes are cell centres, rows from the north edge, longitude ascending; fields
//! LON LAT PGA (%g) PGV (cm/s) MMI. PGA and MMI are derived from PGV with simple
//! relations (PGA[%g] ≈ PGV[cm/s] · 0.9, Worden et al. 2012 PGV→MMI) for completeness.

use crate::grid::Grid;
use crate::io::{atomic_write_bytes, GisError};
use std::fmt::Write as _;
use std::path::Path;

fn mmi_from_pgv(pgv_cm_s: f64) -> f64 {
    let l = pgv_cm_s.max(1e-3).log10();
    let mmi = if l <= 0.53 {
        3.78 + 1.47 * l
    } else {
        2.89 + 3.16 * l
    };
    mmi.clamp(1.0, 10.0)
}

/// Write `pgv` (EPSG:4326, node-centred cells) as a ShakeMap grid.xml.
pub(crate) fn write_shakemap_xml(
    path: &Path,
    pgv: &Grid<f32>,
    event_name: &str,
    date: &str,
    magnitude: f64,
    epicentre_lon_lat: [f64; 2],
) -> Result<(), GisError> {
    let s = &pgv.spec;
    let (lon_min, lat_max) = s.cell_centre(0, 0);
    let (lon_max, lat_min) = s.cell_centre(s.rows - 1, s.cols - 1);
    let mut out = String::with_capacity(64 * s.len() + 2048);
    let _ = writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><shakemap_grid xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://earthquake.usgs.gov/eqcenter/shakemap" event_id="slidemap-demo" shakemap_id="slidemap-demo" shakemap_version="1" code_version="slidemap-demo" process_timestamp="{date}T00:00:00" shakemap_originator="slidemap" map_status="RELEASED" shakemap_event_type="SCENARIO">"#
    );
    let _ = writeln!(
        out,
        r#"<event event_id="slidemap-demo" magnitude="{magnitude:.1}" depth="15.0" lat="{:.4}" lon="{:.4}" event_timestamp="{date}T06:11:26" event_network="synthetic" event_description="{event_name}" />"#,
        epicentre_lon_lat[1], epicentre_lon_lat[0]
    );
    let _ = writeln!(
        out,
        r#"<grid_specification lon_min="{lon_min:.4}" lat_min="{lat_min:.4}" lon_max="{lon_max:.4}" lat_max="{lat_max:.4}" nominal_lon_spacing="{:.6}" nominal_lat_spacing="{:.6}" nlon="{}" nlat="{}"/>"#,
        s.cell_width, s.cell_height, s.cols, s.rows
    );
    for (i, (name, units)) in [
        ("LON", "dd"),
        ("LAT", "dd"),
        ("PGA", "pctg"),
        ("PGV", "cms"),
        ("MMI", "intensity"),
    ]
    .iter()
    .enumerate()
    {
        let _ = writeln!(
            out,
            r#"<grid_field index="{}" name="{name}" units="{units}" />"#,
            i + 1
        );
    }
    out.push_str("<grid_data>\n");
    for r in 0..s.rows {
        for c in 0..s.cols {
            let (lon, lat) = s.cell_centre(r, c);
            let v = f64::from(pgv.data[r * s.cols + c]);
            let _ = writeln!(
                out,
                "{lon:.4} {lat:.4} {:.2} {v:.2} {:.2}",
                0.9 * v,
                mmi_from_pgv(v)
            );
        }
    }
    out.push_str("</grid_data>\n</shakemap_grid>\n");
    atomic_write_bytes(path, out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GridSpec;
    use crate::io::{read_shakemap, wgs84_wkt};

    #[test]
    fn written_grid_xml_reads_back_with_the_same_pgv() {
        let dir = tempfile::tempdir().unwrap();
        let spec = GridSpec::new(
            4,
            3,
            84.0,
            28.5,
            1.0 / 60.0,
            1.0 / 60.0,
            wgs84_wkt().unwrap(),
        )
        .unwrap();
        let g = Grid {
            spec,
            data: (0..12).map(|i| 10.0 + i as f32).collect(),
        };
        let p = dir.path().join("grid.xml");
        write_shakemap_xml(&p, &g, "test", "2015-04-25", 7.8, [84.7, 28.2]).unwrap();
        let sm = read_shakemap(&p).unwrap();
        let back = sm.field("PGV").unwrap();
        assert_eq!((back.spec.cols, back.spec.rows), (4, 3));
        assert!((back.data[5] - 15.0).abs() < 0.01);
        assert!((back.spec.x_min - 84.0).abs() < 1e-3);
    }
}
