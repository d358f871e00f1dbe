//! Class → coefficient tables of Nowicki Jessee et al. (2018): GLiM lithology (`rock` term)
//! and GlobCover 2009 land cover (`landcover` term), plus the ESA CCI → GlobCover crosswalk.
//!
//! A lookup answers one of three things ([`Lookup`]): a coefficient from the paper's table;
//! a class that exists in the classification but has no coefficient in the paper (GLiM ev,
//! ig, wb; GlobCover 11, 210) — the published implementations give these 0, SlideMap does too
//! but reports them; or a code that is not part of the classification at all (an error).
//!
//! Unconsolidated sediments (GLiM `su`): the paper printed −3.22 (−3.21 in the USGS model
//! file); the USGS code later corrected it to −1.36, which is what SlideMap uses.
//!
//! ESA CCI → GlobCover 2009 crosswalk (the CCI legend was designed from the GlobCover/LCCS
//! legend; regional sub-classes fold into their parent). CCI 10, 11, 12 → 14 (rainfed
//! cropland); 20 → 11 (irrigated); 30 → 20; 40 → 30; 50 → 40; 60, 61 → 50 (closed deciduous
//! broadleaf); 62 → 60 (open); 70, 71 → 70; 72, 80, 81, 82 → 90 (open / deciduous needleleaf);
//! 90 → 100 (mixed); 100 → 110; 110 → 120; 120, 121, 122 → 130 (shrubland); 130 → 140
//! (herbaceous); 140 (lichens and mosses) and 150–153 → 150 (sparse vegetation); 160 → 160;
//! 170 → 170; 180 → 180; 190 → 190; 200–202 → 200; 210 → 210; 220 → 220.

/// Coefficient of unconsolidated sediments (GLiM `su`) as corrected in the USGS code.
pub const SU_CORRECTED: f32 = -1.36;
/// The superseded `su` coefficients (−3.22 in the paper, −3.21 in the USGS model file):
/// coefficient rasters holding them are corrected to [`SU_CORRECTED`].
pub const SU_SUPERSEDED: [f32; 2] = [-3.22, -3.21];

/// Result of looking a class up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup {
    /// The paper's coefficient.
    Coefficient(f32),
    /// A valid class without a published coefficient: 0 is used, and it is reported.
    NoCoefficient(&'static str),
    /// Not a class of the classification.
    Unknown,
}

const GLIM: [(&str, &str, f32); 13] = [
    ("mt", "metamorphics", -1.87),
    ("nd", "no data", -0.66),
    ("pa", "acid plutonics", -0.78),
    ("pb", "basic plutonics", -1.88),
    ("pi", "intermediate plutonics", -0.81),
    ("py", "pyroclastics", -1.05),
    ("sc", "carbonate sedimentary rocks", -0.95),
    ("sm", "mixed sedimentary rocks", -1.36),
    ("ss", "siliciclastic sedimentary rocks", -1.92),
    ("su", "unconsolidated sediments", SU_CORRECTED),
    ("va", "acid volcanics", -1.54),
    ("vb", "basic volcanics", -1.50),
    ("vi", "intermediate volcanics", -1.61),
];

const GLIM_NO_COEF: [(&str, &str); 3] = [
    ("ev", "evaporites"),
    ("ig", "ice and glaciers"),
    ("wb", "water bodies"),
];

/// GLiM lithology class (two-letter code such as `mt`, or the English name such as
/// "Metamorphics"; case-insensitive) → `rock` coefficient.
pub fn glim_coefficient(class: &str) -> Lookup {
    let key = class.trim().to_lowercase();
    if let Some((_, _, c)) = GLIM
        .iter()
        .find(|(code, name, _)| *code == key || *name == key)
    {
        return Lookup::Coefficient(*c);
    }
    match GLIM_NO_COEF
        .iter()
        .find(|(code, name)| *code == key || *name == key)
    {
        Some((_, name)) => Lookup::NoCoefficient(name),
        None => Lookup::Unknown,
    }
}

const GLOBCOVER: [(i64, f32); 21] = [
    (14, 0.91),
    (20, 0.88),
    (30, 0.78),
    (40, 0.68),
    (50, 0.30),
    (60, 1.77),
    (70, 1.71),
    (90, -1.26),
    (100, 1.50),
    (110, 0.68),
    (120, 1.13),
    (130, 0.79),
    (140, 1.03),
    (150, 0.54),
    (160, 2.34),
    (170, 1.19),
    (180, 1.19),
    (190, 0.30),
    (200, -0.06),
    (220, -0.18),
    (230, -1.08),
];

/// GlobCover 2009 class code → `landcover` coefficient.
pub fn globcover_coefficient(code: i64) -> Lookup {
    if let Some((_, c)) = GLOBCOVER.iter().find(|(k, _)| *k == code) {
        return Lookup::Coefficient(*c);
    }
    match code {
        11 => Lookup::NoCoefficient("post-flooding or irrigated croplands"),
        210 => Lookup::NoCoefficient("water bodies"),
        _ => Lookup::Unknown,
    }
}

/// ESA CCI land-cover class code → GlobCover 2009 class code (see the module docs).
pub fn esa_cci_to_globcover(code: i64) -> Option<i64> {
    Some(match code {
        10..=12 => 14,
        20 => 11,
        30 => 20,
        40 => 30,
        50 => 40,
        60 | 61 => 50,
        62 => 60,
        70 | 71 => 70,
        72 | 80..=82 => 90,
        90 => 100,
        100 => 110,
        110 => 120,
        120..=122 => 130,
        130 => 140,
        140 | 150..=153 => 150,
        160 | 170 | 180 | 190 | 210 | 220 => code,
        200..=202 => 200,
        _ => return None,
    })
}

/// Land-cover classification of a class-code layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LandCoverScheme {
    /// GlobCover 2009 (the model's own classes).
    GlobCover2009,
    /// ESA CCI land cover (mapped through [`esa_cci_to_globcover`]).
    EsaCci,
}

impl LandCoverScheme {
    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            LandCoverScheme::GlobCover2009 => "GlobCover 2009",
            LandCoverScheme::EsaCci => "ESA CCI",
        }
    }

    /// Decide the scheme from the codes present: codes that exist only in GlobCover (14, 230)
    /// select it, codes only in ESA CCI (10, 12, 61, 62, 71, 72, 80–82, 121, 122, 151–153,
    /// 201, 202) select CCI; the second value is false when the codes do not tell (then ESA
    /// CCI, the project's documented land-cover classes, is assumed).
    pub fn detect(codes: impl IntoIterator<Item = i64>) -> (LandCoverScheme, bool) {
        let (mut gc, mut cci) = (false, false);
        for c in codes {
            match c {
                14 | 230 => gc = true,
                10 | 12 | 61 | 62 | 71 | 72 | 80..=82 | 121 | 122 | 151..=153 | 201 | 202 => {
                    cci = true
                }
                _ => {}
            }
        }
        match (gc, cci) {
            (true, false) => (LandCoverScheme::GlobCover2009, true),
            (false, true) => (LandCoverScheme::EsaCci, true),
            _ => (LandCoverScheme::EsaCci, false),
        }
    }

    /// Coefficient of a code of this scheme.
    pub fn coefficient(self, code: i64) -> Lookup {
        match self {
            LandCoverScheme::GlobCover2009 => globcover_coefficient(code),
            LandCoverScheme::EsaCci => {
                esa_cci_to_globcover(code).map_or(Lookup::Unknown, globcover_coefficient)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glim_codes_and_names_are_found_case_insensitively() {
        assert_eq!(glim_coefficient("mt"), Lookup::Coefficient(-1.87));
        assert_eq!(glim_coefficient(" SS "), Lookup::Coefficient(-1.92));
        assert_eq!(
            glim_coefficient("Acid volcanics"),
            Lookup::Coefficient(-1.54)
        );
        assert!(matches!(glim_coefficient("wb"), Lookup::NoCoefficient(_)));
        assert_eq!(glim_coefficient("granite"), Lookup::Unknown);
    }

    #[test]
    fn unconsolidated_sediments_use_the_corrected_coefficient() {
        assert_eq!(glim_coefficient("su"), Lookup::Coefficient(-1.36));
    }

    #[test]
    fn every_globcover_class_of_the_paper_has_its_coefficient() {
        assert_eq!(globcover_coefficient(160), Lookup::Coefficient(2.34));
        assert_eq!(globcover_coefficient(90), Lookup::Coefficient(-1.26));
        assert!(matches!(
            globcover_coefficient(210),
            Lookup::NoCoefficient(_)
        ));
        assert_eq!(globcover_coefficient(15), Lookup::Unknown);
    }

    #[test]
    fn every_esa_cci_class_maps_to_a_globcover_class() {
        let cci = [
            10, 11, 12, 20, 30, 40, 50, 60, 61, 62, 70, 71, 72, 80, 81, 82, 90, 100, 110, 120, 121,
            122, 130, 140, 150, 151, 152, 153, 160, 170, 180, 190, 200, 201, 202, 210, 220,
        ];
        for c in cci {
            let gc = esa_cci_to_globcover(c).unwrap();
            assert_ne!(globcover_coefficient(gc), Lookup::Unknown, "CCI {c} → {gc}");
        }
        assert_eq!(esa_cci_to_globcover(0), None);
    }

    #[test]
    fn scheme_detection_uses_codes_unique_to_one_legend() {
        assert_eq!(
            LandCoverScheme::detect([14, 50, 230]),
            (LandCoverScheme::GlobCover2009, true)
        );
        assert_eq!(
            LandCoverScheme::detect([10, 50, 122]),
            (LandCoverScheme::EsaCci, true)
        );
        assert_eq!(
            LandCoverScheme::detect([50, 190]),
            (LandCoverScheme::EsaCci, false)
        );
    }
}
