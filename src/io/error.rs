//! The error type of the I/O layer: every variant names the file it concerns.

use std::path::PathBuf;

/// Failure reading, warping or writing a GIS file.
#[derive(Debug, thiserror::Error)]
pub enum GisError {
    /// The path does not exist.
    #[error("{path}: file not found")]
    NotFound {
        /// offending file
        path: PathBuf,
    },
    /// GDAL/OGR could not open or read the file (corrupt or unsupported format).
    #[error("{path}: GDAL cannot read it as a GIS file ({source})")]
    Open {
        /// offending file
        path: PathBuf,
        /// GDAL's message
        source: gdal::errors::GdalError,
    },
    /// The file opens but its pixels or features cannot be read: truncated or corrupt.
    #[error("{path}: the file is damaged (truncated or corrupt): GDAL could not read its data ({detail}); download or export it again")]
    Damaged {
        /// offending file
        path: PathBuf,
        /// GDAL's message
        detail: String,
    },
    /// A GDAL call failed while processing the file.
    #[error("{path}: {what} failed: {source}")]
    Gdal {
        /// file concerned
        path: PathBuf,
        /// the operation
        what: String,
        /// GDAL's message
        source: gdal::errors::GdalError,
    },
    /// The raster or layer carries no coordinate reference system.
    #[error("{path}: has no coordinate reference system; assign one (e.g. `gdal_edit.py -a_srs EPSG:32645 {path}`) and load it again")]
    NoCrs {
        /// offending file
        path: PathBuf,
    },
    /// The data do not overlap the study area.
    #[error("{path}: does not overlap the study area (file covers x {file_x_min:.1}..{file_x_max:.1}, y {file_y_min:.1}..{file_y_max:.1} in the analysis CRS; study area x {area_x_min:.1}..{area_x_max:.1}, y {area_y_min:.1}..{area_y_max:.1})")]
    NoOverlap {
        /// offending file
        path: PathBuf,
        /// file extent west
        file_x_min: f64,
        /// file extent east
        file_x_max: f64,
        /// file extent south
        file_y_min: f64,
        /// file extent north
        file_y_max: f64,
        /// area west
        area_x_min: f64,
        /// area east
        area_x_max: f64,
        /// area south
        area_y_min: f64,
        /// area north
        area_y_max: f64,
    },
    /// Every cell is nodata.
    #[error("{path}: every cell is nodata (no usable values)")]
    AllNoData {
        /// offending file
        path: PathBuf,
    },
    /// The content is readable but not valid for its purpose.
    #[error("{path}: {message}")]
    Invalid {
        /// offending file
        path: PathBuf,
        /// what is wrong
        message: String,
    },
    /// A CRS definition could not be parsed.
    #[error("CRS '{definition}' is not understood by GDAL/PROJ: {source}")]
    Crs {
        /// the definition given
        definition: String,
        /// GDAL's message
        source: gdal::errors::GdalError,
    },
    /// Operating-system I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// file concerned
        path: PathBuf,
        /// the OS error
        source: std::io::Error,
    },
}

impl GisError {
    /// Shorthand for [`GisError::Invalid`].
    pub fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        GisError::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Shorthand for [`GisError::Gdal`]; a read failure that means the file is damaged
    /// (truncated tiles, decompression errors) becomes [`GisError::Damaged`].
    pub fn gdal(path: impl Into<PathBuf>, what: &str, source: gdal::errors::GdalError) -> Self {
        let detail = gdal_message(&source);
        if looks_damaged(&detail) {
            return GisError::Damaged {
                path: path.into(),
                detail,
            };
        }
        GisError::Gdal {
            path: path.into(),
            what: what.to_string(),
            source,
        }
    }

    /// GDAL could not open `path`: [`GisError::Damaged`] when the message says the content
    /// is cut short or corrupt, else [`GisError::Open`].
    pub fn open(path: impl Into<PathBuf>, source: gdal::errors::GdalError) -> Self {
        let detail = gdal_message(&source);
        if looks_damaged(&detail) {
            return GisError::Damaged {
                path: path.into(),
                detail,
            };
        }
        GisError::Open {
            path: path.into(),
            source,
        }
    }
}

/// GDAL's own message of an error, without the wrapper's class and number.
pub fn gdal_message(e: &gdal::errors::GdalError) -> String {
    match e {
        gdal::errors::GdalError::CplError { msg, .. } => msg.trim().to_string(),
        other => other.to_string(),
    }
}

/// True when a GDAL message says a file's content is truncated or corrupt.
pub fn looks_damaged(message: &str) -> bool {
    const SIGNS: &[&str] = &[
        "IReadBlock failed",
        "TIFFRead",
        "TIFFFill",
        "Read error",
        "read error",
        "truncated",
        "Truncated",
        "Decode",
        "decompress",
        "Premature end",
        "Failed to read",
        "Cannot read",
        "not enough data",
        "CPL error class",
        "CPLE_FileIO",
    ];
    SIGNS.iter().any(|s| message.contains(s))
}
