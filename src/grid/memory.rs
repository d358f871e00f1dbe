//! Checking that a grid fits in memory before it is allocated.
//!
//! From its shape, the bytes each cell needs (summed over every layer a stage holds at once)
//! and the memory the machine has available, so a huge grid (a VRT declaring 10⁶ × 10⁶
//! pixels, a 1 mm cell size) becomes a clear error instead of an allocation abort.
//!
//! Available memory: `MemAvailable` of `/proc/meminfo` (Linux); elsewhere, or when it cannot
//! be read, [`FALLBACK_AVAILABLE_BYTES`]. The environment variable
//! `SLIDEMAP_MEMORY_LIMIT_MB` overrides both (for tests and for sharing a machine).

/// Assumed available memory when `/proc/meminfo` cannot be read: 4 GiB.
pub const FALLBACK_AVAILABLE_BYTES: u64 = 4 << 30;

/// Bytes per fine cell assumed for the feature pipeline of one event (`features`, `run`,
/// `groundfailure`). Measured 2026-12-05 (peak RSS of `slidemap features` on the demo's
/// Gorkha-like event at 2.47 M and 9.80 M fine cells: 110.7 MB and 371.4 MB, so 35.5 bytes
/// per extra fine cell plus ~25 MB fixed); 64 leaves a margin for warp buffers of larger
/// inputs and for a second event built at the same time (README, "Bad input").
pub const FEATURE_BYTES_PER_FINE_CELL: u64 = 64;

/// Bytes per DEM cell assumed for `slidemap terrain` (the DEM, four Float32 outputs, the
/// filled DEM, flow directions and the priority-flood queue). Measured 2026-12-05: 98 MB at
/// 1.2 M cells, 399 MB at 10.8 M cells, so 31.4 bytes per extra cell; 64 with a margin.
pub const TERRAIN_BYTES_PER_CELL: u64 = 64;

/// A grid that would not fit in the memory available.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{what}: the grid would be {rows} × {cols} cells ({cells_millions:.1} million), needing about {needed_gb:.2} GB but {available_gb:.2} GB of memory is available ({source_of_limit}); {advice}")]
pub struct GridTooLarge {
    /// What the grid is for, naming the file (e.g. "analysis grid of project.toml").
    pub what: String,
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// Cells in millions.
    pub cells_millions: f64,
    /// Memory the stage would need, GB (10⁹ bytes).
    pub needed_gb: f64,
    /// Memory available, GB.
    pub available_gb: f64,
    /// Where the available figure came from.
    pub source_of_limit: String,
    /// What to change.
    pub advice: String,
}

/// Available memory in bytes and where the figure came from.
pub fn available_memory_bytes() -> (u64, String) {
    if let Some(mb) = std::env::var("SLIDEMAP_MEMORY_LIMIT_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return (
            mb.saturating_mul(1 << 20),
            "SLIDEMAP_MEMORY_LIMIT_MB".into(),
        );
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
    let avail_kb = meminfo.as_deref().and_then(|t| {
        t.lines()
            .find_map(|l| l.strip_prefix("MemAvailable:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    });
    match avail_kb {
        Some(kb) => (kb.saturating_mul(1024), "MemAvailable".into()),
        None => (
            FALLBACK_AVAILABLE_BYTES,
            "assumed: /proc/meminfo unreadable".into(),
        ),
    }
}

/// Fail with [`GridTooLarge`] when `rows × cols × bytes_per_cell` exceeds the available
/// memory. `what` names the grid and its file; `advice` says what to change.
pub fn check_grid_fits(
    what: &str,
    rows: usize,
    cols: usize,
    bytes_per_cell: u64,
    advice: &str,
) -> Result<(), GridTooLarge> {
    let (available, source_of_limit) = available_memory_bytes();
    check_grid_fits_in(
        what,
        rows,
        cols,
        bytes_per_cell,
        advice,
        available,
        source_of_limit,
    )
}

/// [`check_grid_fits`] against a given number of available bytes.
pub fn check_grid_fits_in(
    what: &str,
    rows: usize,
    cols: usize,
    bytes_per_cell: u64,
    advice: &str,
    available_bytes: u64,
    source_of_limit: String,
) -> Result<(), GridTooLarge> {
    let cells = (rows as u128) * (cols as u128);
    let needed = cells.saturating_mul(bytes_per_cell as u128);
    if needed <= available_bytes as u128 && cells <= usize::MAX as u128 / 8 {
        return Ok(());
    }
    Err(GridTooLarge {
        what: what.to_string(),
        rows,
        cols,
        cells_millions: cells as f64 / 1e6,
        needed_gb: needed as f64 / 1e9,
        available_gb: available_bytes as f64 / 1e9,
        source_of_limit,
        advice: advice.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_within_the_budget_passes_and_a_huge_one_says_how_big() {
        let ok = check_grid_fits_in("g", 1000, 1000, 8, "x", 1 << 30, "test".into());
        assert!(ok.is_ok());
        let e = check_grid_fits_in(
            "analysis grid of p.toml",
            1_000_000,
            1_000_000,
            64,
            "use larger cells",
            8 << 30,
            "test".into(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("p.toml") && e.contains("1000000 × 1000000") && e.contains("64000.00 GB"),
            "{e}"
        );
    }

    #[test]
    fn available_memory_is_positive() {
        assert!(available_memory_bytes().0 > 0);
    }
}
