//! The bundled font (DejaVu Sans, licence in `assets/fonts/LICENSE-DejaVu.txt`), registered
//! once with plotters' `ab_glyph` text renderer as the `sans-serif` family, so figures look
//! the same on every machine and need no system fonts.

use plotters::style::{register_font, FontStyle};
use std::sync::OnceLock;

/// Family name every figure uses.
pub(crate) const FAMILY: &str = "sans-serif";

static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Register the bundled fonts (once per process); false when the font data is invalid.
pub(crate) fn ensure_registered() -> bool {
    *REGISTERED.get_or_init(|| {
        let regular = register_font(
            FAMILY,
            FontStyle::Normal,
            include_bytes!("../../../assets/fonts/DejaVuSans.ttf"),
        );
        let bold = register_font(
            FAMILY,
            FontStyle::Bold,
            include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf"),
        );
        regular.is_ok() && bold.is_ok()
    })
}
