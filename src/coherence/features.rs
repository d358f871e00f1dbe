//! The seven ICFs of one acquisition on the fine grid, aggregated to coarse cells.

use super::AcquisitionLayers;
use crate::grid::Blocks;

/// Which coherence feature.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum IcfKind {
    /// Co-event coherence.
    CoEvent,
    /// Co-event coherence loss = pre − co.
    Cecl,
    /// Boxcar − sibling co-event coherence.
    BxS,
    /// Post-event coherence.
    PostEvent,
    /// Post-event coherence increase = post − co.
    Peci,
    /// CECL + PECI.
    DcSum,
    /// max(CECL, PECI).
    DcMax,
}

impl IcfKind {
    /// Name suffix used in feature names (`A2_desc_CECL`).
    pub fn suffix(self) -> &'static str {
        match self {
            IcfKind::CoEvent => "coh_co",
            IcfKind::Cecl => "CECL",
            IcfKind::BxS => "BxS",
            IcfKind::PostEvent => "coh_post",
            IcfKind::Peci => "PECI",
            IcfKind::DcSum => "dCsum",
            IcfKind::DcMax => "dCmax",
        }
    }
    /// True for features available from the first post-event image; false for those that
    /// need the second post-event image.
    pub fn is_co_event(self) -> bool {
        matches!(self, IcfKind::CoEvent | IcfKind::Cecl | IcfKind::BxS)
    }
    /// +1 when higher values mean "landslide" (Burrows et al. 2020), −1 otherwise.
    pub fn landslide_sign(self) -> f32 {
        match self {
            IcfKind::CoEvent | IcfKind::BxS => -1.0,
            _ => 1.0,
        }
    }
    /// All kinds, in Table 1 order.
    pub const ALL: [IcfKind; 7] = [
        IcfKind::CoEvent,
        IcfKind::Cecl,
        IcfKind::BxS,
        IcfKind::PostEvent,
        IcfKind::Peci,
        IcfKind::DcSum,
        IcfKind::DcMax,
    ];
}

/// Coarse ICFs of one acquisition (NaN outside the footprint).
#[derive(Debug, Clone, PartialEq)]
pub struct IcfSet {
    /// (kind, coarse values) for each feature the acquisition's files allow.
    pub features: Vec<(IcfKind, Vec<f32>)>,
}

fn fine_icf(kind: IcfKind, l: &AcquisitionLayers) -> Option<Vec<f32>> {
    let zip = |a: &[f32], b: &[f32], f: fn(f32, f32) -> f32| -> Vec<f32> {
        a.iter().zip(b).map(|(x, y)| f(*x, *y)).collect()
    };
    let cecl = || zip(&l.pre, &l.co, |p, c| p - c);
    let peci = |post: &Vec<f32>| zip(post, &l.co, |p, c| p - c);
    Some(match kind {
        IcfKind::CoEvent => l.co.clone(),
        IcfKind::Cecl => cecl(),
        IcfKind::BxS => zip(&l.co, l.sibling.as_ref()?, |b, s| b - s),
        IcfKind::PostEvent => l.post.clone()?,
        IcfKind::Peci => peci(l.post.as_ref()?),
        IcfKind::DcSum => zip(&cecl(), &peci(l.post.as_ref()?), |a, b| a + b),
        IcfKind::DcMax => zip(&cecl(), &peci(l.post.as_ref()?), |a, b| {
            if a.is_nan() || b.is_nan() {
                f32::NAN
            } else {
                a.max(b)
            }
        }),
    })
}

/// Compute every ICF the acquisition's files allow, on the fine grid, then average per
/// coarse cell over valid fine cells (NaN when under `min_valid_fraction` covered).
pub fn compute_icfs(layers: &AcquisitionLayers, blocks: Blocks, min_valid_fraction: f64) -> IcfSet {
    let features = IcfKind::ALL
        .iter()
        .filter_map(|&k| {
            fine_icf(k, layers).map(|fine| (k, blocks.mean(&fine, min_valid_fraction)))
        })
        .collect();
    IcfSet { features }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers() -> AcquisitionLayers {
        AcquisitionLayers {
            pre: vec![0.8, 0.8, 0.6, f32::NAN],
            co: vec![0.3, 0.7, 0.5, 0.4],
            post: Some(vec![0.7, 0.6, 0.5, 0.4]),
            sibling: Some(vec![0.5, 0.6, 0.5, 0.4]),
        }
    }

    #[test]
    fn every_icf_matches_hand_computed_values() {
        let b = Blocks {
            fine_rows: 1,
            fine_cols: 4,
            block: 1,
        };
        let set = compute_icfs(&layers(), b, 0.0);
        let get = |k: IcfKind| {
            set.features
                .iter()
                .find(|(kk, _)| *kk == k)
                .unwrap()
                .1
                .clone()
        };
        let close = |a: Vec<f32>, e: [f32; 4]| {
            for (x, y) in a.iter().zip(e) {
                assert!(
                    (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-6,
                    "{a:?} vs {e:?}"
                );
            }
        };
        close(get(IcfKind::CoEvent), [0.3, 0.7, 0.5, 0.4]);
        close(get(IcfKind::Cecl), [0.5, 0.1, 0.1, f32::NAN]);
        close(get(IcfKind::BxS), [-0.2, 0.1, 0.0, 0.0]);
        close(get(IcfKind::PostEvent), [0.7, 0.6, 0.5, 0.4]);
        close(get(IcfKind::Peci), [0.4, -0.1, 0.0, 0.0]);
        close(get(IcfKind::DcSum), [0.9, 0.0, 0.1, f32::NAN]);
        close(get(IcfKind::DcMax), [0.5, 0.1, 0.1, f32::NAN]);
    }

    #[test]
    fn missing_post_and_sibling_files_drop_their_features() {
        let mut l = layers();
        l.post = None;
        l.sibling = None;
        let set = compute_icfs(
            &l,
            Blocks {
                fine_rows: 1,
                fine_cols: 4,
                block: 2,
            },
            0.0,
        );
        let kinds: Vec<IcfKind> = set.features.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, vec![IcfKind::CoEvent, IcfKind::Cecl]);
        // block mean over valid cells: CECL block 1 = mean(0.1) (NaN skipped)
        assert!((set.features[1].1[1] - 0.1).abs() < 1e-6);
    }
}
