//! QGIS layer styles (`.qml`) for single-band rasters: the one `.qml` writer of SlideMap
//! (the GUI's export calls it too).
//!
//! - Gradient ramps ([`QmlRamp::Viridis`] … [`QmlRamp::Greys`]): a `singlebandpseudocolor`
//!   renderer with 11 interpolated items from `min` to `max` (values in the layer's unit);
//!   values outside are clamped to the end colours; nodata is transparent.
//! - [`QmlRamp::Mask`]: a `paletted` renderer with two classes, 0 = "not likely" (light
//!   grey, half transparent) and 1 = "landslides likely" (red); nodata (255) is transparent.
//! - Legend labels say what the layer is: the first item of a gradient reads
//!   "<title>: <value> <unit>", the others "<value> <unit>" (QGIS' continuous legend shows
//!   the first and last labels); the mask classes read "not likely" / "landslides likely".
//!   The title and description also head the file as an XML comment.
//! - Colours come from the core palette (`report::palette`), shared with the figures and the
//!   GUI. QGIS applies `name.qml` automatically when `name.tif` is added.

use crate::io::atomic_write_bytes;
use crate::report::palette;
use crate::report::ReportError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Number of colour items of a gradient style.
const GRADIENT_ITEMS: usize = 11;

/// Colour of the "not likely" mask class, RGBA.
const NOT_LIKELY_RGBA: [u8; 4] = [0xd9, 0xd9, 0xd9, 0x80];
/// Colour of the "landslides likely" mask class, RGBA.
const LIKELY_RGBA: [u8; 4] = [0xd6, 0x27, 0x28, 0xff];

/// The colouring of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QmlRamp {
    /// Dark blue → green → yellow (LAD).
    #[default]
    Viridis,
    /// Black → purple → orange → light yellow (spread, uncertainty).
    Magma,
    /// Black → red → yellow.
    Inferno,
    /// Blue → grey → yellow (colour-vision-deficiency friendly).
    Cividis,
    /// Black → white.
    Greys,
    /// Two classes: 0 = not likely, 1 = landslides likely.
    Mask,
}

impl QmlRamp {
    /// RGBA colour at `t` in [0, 1] (clamped; NaN → the low end). For [`QmlRamp::Mask`],
    /// `t < 0.5` is "not likely" and `t ≥ 0.5` "landslides likely".
    pub fn rgba(self, t: f64) -> [u8; 4] {
        let anchors: &[u32] = match self {
            QmlRamp::Viridis => &palette::VIRIDIS,
            QmlRamp::Magma => &palette::MAGMA,
            QmlRamp::Inferno => &palette::INFERNO,
            QmlRamp::Cividis => &palette::CIVIDIS,
            QmlRamp::Greys => &palette::GREYS,
            QmlRamp::Mask => {
                return if t >= 0.5 {
                    LIKELY_RGBA
                } else {
                    NOT_LIKELY_RGBA
                }
            }
        };
        let [r, g, b] = palette::ramp_rgb(anchors, t);
        [r, g, b, 0xff]
    }
}

/// How a layer is shown in QGIS and in the KMZ overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerStyle {
    /// What the layer is, e.g. "Predicted LAD" or "Model spread P95 (not an interval)".
    pub title: String,
    /// Unit of the values, e.g. "fraction" (empty: none).
    pub unit: String,
    /// Colouring.
    pub ramp: QmlRamp,
    /// Value at the low end of the ramp (ignored by masks).
    pub min: f32,
    /// Value at the high end of the ramp (ignored by masks); a range with `max ≤ min`
    /// becomes `min..min + 1`.
    pub max: f32,
    /// Longer explanation (written with the title as a comment heading the `.qml`).
    pub description: String,
    /// Make values ≤ `min` transparent (QGIS and KMZ), e.g. so that imagery shows through
    /// where the predicted LAD is 0. Ignored by masks. Default: false (clamped to the low
    /// colour).
    pub transparent_at_or_below_min: bool,
}

impl LayerStyle {
    /// A gradient style over `min..=max`.
    pub fn gradient(
        title: impl Into<String>,
        unit: impl Into<String>,
        ramp: QmlRamp,
        min: f32,
        max: f32,
    ) -> Self {
        Self {
            title: title.into(),
            unit: unit.into(),
            ramp,
            min,
            max,
            description: String::new(),
            transparent_at_or_below_min: false,
        }
    }
    /// The two-class "landslides likely" mask style.
    pub fn mask(title: impl Into<String>) -> Self {
        Self::gradient(title, "class", QmlRamp::Mask, 0.0, 1.0)
    }
    /// Set the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }
    /// Make values ≤ `min` transparent (or not).
    pub fn with_transparent_at_or_below_min(mut self, transparent: bool) -> Self {
        self.transparent_at_or_below_min = transparent;
        self
    }
    /// The ramp range with `max > min` guaranteed.
    pub fn range(&self) -> (f32, f32) {
        if self.max > self.min {
            (self.min, self.max)
        } else {
            (self.min, self.min + 1.0)
        }
    }
    /// RGBA colour of a value; `None` (transparent) for NaN, for masks anything but 0 and 1,
    /// and values ≤ `min` when [`LayerStyle::transparent_at_or_below_min`] is set.
    pub fn colour_of(&self, v: f32) -> Option<[u8; 4]> {
        if v.is_nan() {
            return None;
        }
        if self.ramp == QmlRamp::Mask {
            return if v == 0.0 {
                Some(NOT_LIKELY_RGBA)
            } else if v == 1.0 {
                Some(LIKELY_RGBA)
            } else {
                None
            };
        }
        let (lo, hi) = self.range();
        if self.transparent_at_or_below_min && v <= lo {
            return None;
        }
        Some(self.ramp.rgba(f64::from((v - lo) / (hi - lo))))
    }
    /// Legend label of a value: "<value> <unit>".
    pub(crate) fn value_label(&self, v: f32) -> String {
        if self.unit.is_empty() {
            format!("{v:.4}")
        } else {
            format!("{v:.4} {}", self.unit)
        }
    }
    /// Legend label of the first item: "<title>: <value> <unit>" (no title: the value).
    pub(crate) fn first_label(&self, v: f32) -> String {
        if self.title.is_empty() {
            self.value_label(v)
        } else {
            format!("{}: {}", self.title, self.value_label(v))
        }
    }
}

/// The `.qml` path next to a `.tif` (`name.tif` → `name.qml`).
pub fn qml_sidecar_path(tif: &Path) -> PathBuf {
    tif.with_extension("qml")
}

/// Write the style of `tif` to `name.qml` beside it, atomically; returns the `.qml` path.
pub fn write_qml_sidecar(tif: &Path, style: &LayerStyle) -> Result<PathBuf, ReportError> {
    let path = qml_sidecar_path(tif);
    atomic_write_bytes(&path, qml_style(style).as_bytes())
        .map_err(|e| ReportError::gis(&path, e))?;
    Ok(path)
}

/// The QGIS style document of a layer (UTF-8 XML).
pub fn qml_style(style: &LayerStyle) -> String {
    let renderer = if style.ramp == QmlRamp::Mask {
        mask_renderer()
    } else {
        gradient_renderer(style)
    };
    let about: Vec<&str> = [style.title.as_str(), style.description.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let comment = if about.is_empty() {
        String::new()
    } else {
        // "--" may not appear inside an XML comment (the space before "-->" keeps a
        // trailing "-" apart from it)
        let mut text = about.join(": ");
        while text.contains("--") {
            text = text.replace("--", "- -");
        }
        format!("<!-- {text} -->\n")
    };
    format!(
        r#"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
{comment}<qgis version="3.28.0" styleCategories="AllStyleCategories">
  <pipe>
{renderer}    <brightnesscontrast brightness="0" contrast="0" gamma="1"/>
    <huesaturation saturation="0" grayscaleMode="0" colorizeOn="0" colorizeRed="255" colorizeGreen="128" colorizeBlue="128" colorizeStrength="100"/>
    <rasterresampler maxOversampling="2"/>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
"#
    )
}

/// `#rrggbb` of an RGBA colour.
fn hex(c: [u8; 4]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// `r,g,b,a` of an RGBA colour (QGIS colour-ramp options).
fn rgba_csv(c: [u8; 4]) -> String {
    format!("{},{},{},{}", c[0], c[1], c[2], c[3])
}

/// The `minMaxOrigin` block (fixed limits: the style's range is used as given).
const MIN_MAX_ORIGIN: &str = r#"      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
"#;

fn gradient_renderer(style: &LayerStyle) -> String {
    let (min, max) = style.range();
    let mut items = String::new();
    let mut stops = Vec::new();
    let (mut first, mut last) = (String::new(), String::new());
    for i in 0..GRADIENT_ITEMS {
        let t = i as f32 / (GRADIENT_ITEMS - 1) as f32;
        let c = style.ramp.rgba(f64::from(t));
        let v = min + t * (max - min);
        let label = if i == 0 {
            first = style.first_label(v);
            first.clone()
        } else {
            style.value_label(v)
        };
        last = label.clone();
        let _ = writeln!(
            items,
            r#"          <item alpha="255" value="{v}" label="{}" color="{}"/>"#,
            xml_escape(&label),
            hex(c)
        );
        if i > 0 && i < GRADIENT_ITEMS - 1 {
            stops.push(format!("{t};{}", rgba_csv(c)));
        }
    }
    let transparency = if style.transparent_at_or_below_min {
        format!(
            r#"      <rasterTransparency>
        <singleValuePixelList>
          <pixelListEntry min="{}" max="{min}" percentTransparent="100"/>
        </singleValuePixelList>
      </rasterTransparency>
"#,
            f32::MIN
        )
    } else {
        "      <rasterTransparency/>\n".to_string()
    };
    format!(
        r#"    <rasterrenderer type="singlebandpseudocolor" band="1" opacity="1" alphaBand="-1" classificationMin="{min}" classificationMax="{max}" nodataColor="">
{transparency}{MIN_MAX_ORIGIN}      <rastershader>
        <colorrampshader colorRampType="INTERPOLATED" classificationMode="1" clip="0" minimumValue="{min}" maximumValue="{max}" labelPrecision="4">
          <colorramp type="gradient" name="[source]">
            <Option type="Map">
              <Option type="QString" name="color1" value="{c1}"/>
              <Option type="QString" name="color2" value="{c2}"/>
              <Option type="QString" name="discrete" value="0"/>
              <Option type="QString" name="rampType" value="gradient"/>
              <Option type="QString" name="stops" value="{stops}"/>
            </Option>
          </colorramp>
{items}          <rampLegendSettings minimumLabel="{first}" maximumLabel="{last}" prefix="" suffix="" direction="0" useContinuousLegend="1" orientation="2"/>
        </colorrampshader>
      </rastershader>
    </rasterrenderer>
"#,
        c1 = rgba_csv(style.ramp.rgba(0.0)),
        c2 = rgba_csv(style.ramp.rgba(1.0)),
        stops = stops.join(":"),
        first = xml_escape(&first),
        last = xml_escape(&last),
    )
}

fn mask_renderer() -> String {
    let entry = |value: u8, c: [u8; 4], label: &str| {
        format!(
            r#"        <paletteEntry value="{value}" color="{}" alpha="{}" label="{}"/>"#,
            hex(c),
            c[3],
            xml_escape(label)
        )
    };
    format!(
        r#"    <rasterrenderer type="paletted" band="1" opacity="1" alphaBand="-1" nodataColor="">
      <rasterTransparency/>
{MIN_MAX_ORIGIN}      <colorPalette>
{}
{}
      </colorPalette>
    </rasterrenderer>
"#,
        entry(0, NOT_LIKELY_RGBA, "not likely"),
        entry(1, LIKELY_RGBA, "landslides likely"),
    )
}

/// Escape text for an XML attribute.
pub(crate) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small well-formedness check: every element is closed in order, attributes are
    /// quoted, only the five XML entities appear. Returns the element names in order.
    pub(crate) fn check_well_formed(xml: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut names = Vec::new();
        let mut rest = xml;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            check_text(text);
            rest = &rest[open..];
            if rest.starts_with("<!--") {
                let end = rest.find("-->").expect("unclosed comment");
                assert!(!rest[4..end].contains("--"), "'--' inside a comment");
                rest = &rest[end + 3..];
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                let end = rest.find('>').expect("unclosed declaration");
                rest = &rest[end + 1..];
                continue;
            }
            let end = rest.find('>').expect("unclosed tag");
            let tag = &rest[1..end];
            rest = &rest[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.trim()),
                    "mismatched close"
                );
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name = body
                .split_whitespace()
                .next()
                .expect("empty tag")
                .to_string();
            assert_eq!(
                body.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{body}>"
            );
            check_text(body);
            names.push(name.clone());
            if !self_closing {
                stack.push(name);
            }
        }
        check_text(rest);
        assert!(stack.is_empty(), "unclosed elements: {stack:?}");
        names
    }

    fn check_text(text: &str) {
        assert!(!text.contains('<'));
        for (i, _) in text.match_indices('&') {
            let ent = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| ent.starts_with(e)),
                "bad entity at {ent}"
            );
        }
    }

    #[test]
    fn a_gradient_style_is_well_formed_with_eleven_items_over_the_range() {
        let style = LayerStyle::gradient(
            "Predicted LAD <step 2> & more",
            "fraction",
            QmlRamp::Viridis,
            0.0,
            0.5,
        )
        .with_description("landslide areal density --- from the forest");
        let q = qml_style(&style);
        let names = check_well_formed(&q);
        assert_eq!(names.iter().filter(|n| *n == "item").count(), 11);
        assert!(names.contains(&"rampLegendSettings".to_string()));
        assert!(q.contains(r#"classificationMin="0" classificationMax="0.5""#));
        assert!(
            q.contains(
                r##"value="0" label="Predicted LAD &lt;step 2&gt; &amp; more: 0.0000 fraction" color="#440154""##
            ),
            "{q}"
        );
        assert!(q.contains(r##"value="0.5" label="0.5000 fraction" color="#fde725""##));
        assert!(q.contains(
            "<!-- Predicted LAD <step 2> & more: landslide areal density - - - from the forest -->"
        ));
    }

    #[test]
    fn every_ramp_starts_and_ends_at_its_palette_ends() {
        let magma = qml_style(&LayerStyle::gradient("s", "", QmlRamp::Magma, 1.0, 2.0));
        assert!(magma.contains(r##"value="1" label="s: 1.0000" color="#000004""##));
        assert!(magma.contains(r##"value="2" label="2.0000" color="#fcfdbf""##));
        let greys = qml_style(&LayerStyle::gradient("g", "m", QmlRamp::Greys, 5.0, 5.0));
        // an empty range becomes min..min + 1
        assert!(greys.contains(r##"value="6" label="6.0000 m" color="#ffffff""##));
        let cividis = qml_style(&LayerStyle::gradient("c", "", QmlRamp::Cividis, 0.0, 1.0));
        assert!(cividis.contains(r##"color="#00224e""##) && cividis.contains("#fee838"));
    }

    #[test]
    fn the_mask_style_has_two_named_classes() {
        let q = qml_style(&LayerStyle::mask("Landslides likely (LAD ≥ 0.1)"));
        let names = check_well_formed(&q);
        assert_eq!(names.iter().filter(|n| *n == "paletteEntry").count(), 2);
        assert!(q.contains(r#"type="paletted""#));
        assert!(q.contains(r##"value="0" color="#d9d9d9" alpha="128" label="not likely""##));
        assert!(q.contains(r##"value="1" color="#d62728" alpha="255" label="landslides likely""##));
    }

    #[test]
    fn the_sidecar_sits_next_to_the_tif() {
        let dir = tempfile::tempdir().unwrap();
        let tif = dir.path().join("predicted_step2.tif");
        let style = LayerStyle::gradient("Predicted LAD", "fraction", QmlRamp::Viridis, 0.0, 1.0);
        let q = write_qml_sidecar(&tif, &style).unwrap();
        assert_eq!(q, dir.path().join("predicted_step2.qml"));
        assert_eq!(std::fs::read_to_string(&q).unwrap(), qml_style(&style));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn colours_of_values_are_transparent_for_nan_and_clamped() {
        let s = LayerStyle::gradient("x", "", QmlRamp::Greys, 0.0, 10.0);
        assert_eq!(s.colour_of(f32::NAN), None);
        assert_eq!(s.colour_of(-5.0), Some([0, 0, 0, 255]));
        assert_eq!(s.colour_of(50.0), Some([255, 255, 255, 255]));
        let hidden = s.clone().with_transparent_at_or_below_min(true);
        assert_eq!(hidden.colour_of(0.0), None);
        assert_eq!(hidden.colour_of(0.5), s.colour_of(0.5));
        let q = qml_style(&hidden);
        check_well_formed(&q);
        assert!(q.contains(r#"max="0" percentTransparent="100""#), "{q}");
        let m = LayerStyle::mask("m");
        assert_eq!(m.colour_of(1.0), Some(LIKELY_RGBA));
        assert_eq!(m.colour_of(0.0), Some(NOT_LIKELY_RGBA));
        assert_eq!(m.colour_of(255.0), None);
    }
}
