//! Where trained global ensembles can be kept between runs ("train once, predict many"):
//! the experiment drivers ask a cache for an ensemble by its [`ModelKey`] before fitting one,
//! and hand every ensemble they fit to it. The file-backed implementation lives in
//! `crate::rapid::model_store`; this trait keeps the drivers free of files.

use crate::forest::Ensemble;

/// Everything a global ensemble depends on; two equal keys give identical ensembles.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelKey {
    /// Feature meanings in column order (static column names; radar as "L-band descending
    /// CECL"), as the model's columns expect them.
    pub features: Vec<String>,
    /// Training event names in order.
    pub training_events: Vec<String>,
    /// Settings that change the models (ensemble size, cells per class, forest, grid
    /// search, feature set, transform), as text.
    pub settings: String,
    /// Seed of the ensemble.
    pub seed: u64,
}

impl ModelKey {
    /// A stable 16-hex-digit digest of the key (FNV-1a 64 over its JSON form).
    pub fn digest(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }
}

/// Error of a cache, shown to the user as is (it names the file).
pub type CacheError = Box<dyn std::error::Error + Send + Sync>;

/// A store of fitted ensembles.
pub trait EnsembleCache: Sync {
    /// The ensemble for `key`, when stored. A stored file that cannot be used (corrupt, newer
    /// format, other features) is an error, never silently refitted.
    fn load(&self, key: &ModelKey) -> Result<Option<Ensemble>, CacheError>;
    /// Keep a fitted ensemble.
    fn save(&self, key: &ModelKey, ensemble: &Ensemble) -> Result<(), CacheError>;
}
