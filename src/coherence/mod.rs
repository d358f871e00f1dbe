//! InSAR coherence features (ICFs, paper section 2.3.6 and Table 1) and the acquisition
//! timeline.
//!
//! Contract:
//! - Coherence is dimensionless in [0, 1]. LiCSAR-style uint8 files are scaled by 1/255
//!   and 0 is nodata (`CoherenceScale::Auto` detects Byte rasters).
//! - ICFs are computed on the fine analysis grid, then averaged over each coarse cell's valid
//!   fine cells (a coarse cell needs half its fine cells covered, else NaN).
//! - Cells outside an acquisition's footprint are `NaN` in the feature table. Models see them
//!   through [`MISSING_SENTINEL`] (−3, below every ICF's range: coherence ∈ [0,1],
//!   differences ∈ [−1,1], ΔCsum ∈ [−2,2]) so a tree can split "covered vs not" on any ICF
//!   (every split threshold between −3 and a real value separates covered from uncovered
//!   cells). The forest engine itself rejects NaN.

mod baseline;
mod features;
mod load;
mod scale;
mod slc;
mod timeline;

pub use baseline::{baseline_surfaces, BaselineSurface};
pub use features::{compute_icfs, IcfKind, IcfSet};
pub use load::{load_acquisition, scale_hint, AcquisitionLayers, CoherenceError};
pub use scale::{resolve_scale, scale_values};
pub use slc::{boxcar_coherence, boxcar_coherence_files, check_window, SLC_BYTES_PER_PIXEL};
pub use timeline::{acquisition_prefixes, ModelKind, Step, StepFeature, Timeline};

/// Value given to a missing ICF (cell outside the footprint) in a model's design matrix.
pub const MISSING_SENTINEL: f32 = -3.0;
