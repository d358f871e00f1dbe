//! An imagery layer on the map: three bands of a multi-band raster in true colour, drawn
//! from a coarse whole-image preview plus a view-dependent image that a worker re-reads
//! when the view settles.
//!
//! The worker reads the visible window at about screen resolution (GDAL picks the overview
//! level), warps it to EPSG:3857 and builds the RGBA image; the UI thread only uploads one
//! texture and draws it. The previous view image stays drawn (over the preview) until the
//! next one arrives, so there is always something on screen.

use super::display_warp::{lon_lat_from_mercator, web_mercator_wkt};
use super::job::{JobEvent, JobHandle};
use crate::grid::GridSpec;
use crate::io::{
    compute_stretch, decimated_size, imagery_info, render_rgba, transform_extent, ImageryError,
    ImageryInfo, Stretch, DEFAULT_PERCENTILES,
};
use egui::{ColorImage, TextureHandle, TextureOptions};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Longest side of the whole-image preview, pixels.
pub const PREVIEW_PX: usize = 1024;
/// Longest side of a view image, pixels (one texture).
pub const VIEW_MAX_PX: usize = 2048;
/// How long the view must stay still before the visible window is re-read.
pub const SETTLE: Duration = Duration::from_millis(150);
const DRAIN_BUDGET: Duration = Duration::from_millis(2);

/// A part of the map: its EPSG:3857 box `[x_min, y_min, x_max, y_max]` (metres) and its
/// size on screen in physical pixels `[width, height]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewBox {
    /// EPSG:3857 box.
    pub merc: [f64; 4],
    /// Screen size, pixels.
    pub px: [usize; 2],
}

/// An RGBA image covering an EPSG:3857 box, as it leaves a worker.
pub struct MercImage {
    /// EPSG:3857 box.
    pub merc: [f64; 4],
    /// Pixels (north-up).
    pub image: ColorImage,
}

/// What a worker returns when imagery is opened or its bands change.
pub struct ImageryData {
    /// The file.
    pub info: ImageryInfo,
    /// Chosen bands (1-based) as red, green, blue.
    pub bands: [usize; 3],
    /// Stretch of those bands (2–98 % unless the user set one).
    pub stretch: Stretch,
    /// The image's EPSG:3857 box.
    pub merc: [f64; 4],
    /// The whole image at most [`PREVIEW_PX`] on a side.
    pub preview: Option<MercImage>,
}

/// Open `path` as imagery with `bands`: info, 2–98 % stretch and preview (worker side).
pub fn load_imagery(path: &Path, bands: [usize; 3]) -> Result<ImageryData, String> {
    load_imagery_with(path, bands, None)
}

/// [`load_imagery`] with the user's `stretch` instead of the 2–98 % one, when given.
pub fn load_imagery_with(
    path: &Path,
    bands: [usize; 3],
    stretch: Option<Stretch>,
) -> Result<ImageryData, String> {
    let info = imagery_info(path).map_err(|e| e.to_string())?;
    info.check_bands(bands).map_err(|e| e.to_string())?;
    let stretch = match stretch {
        Some(s) => check_stretch(&s)?,
        None => {
            let (lo, hi) = DEFAULT_PERCENTILES;
            compute_stretch(path, bands, lo, hi).map_err(|e| e.to_string())?
        }
    };
    let wkt = web_mercator_wkt()?;
    let e = transform_extent(&info.spec.extent(), &info.spec.crs_wkt, &wkt, path)
        .map_err(|e| e.to_string())?;
    let merc = [e.x_min, e.y_min, e.x_max, e.y_max];
    let aspect = e.width() / e.height().max(1e-9);
    let px = if aspect >= 1.0 {
        [
            PREVIEW_PX,
            ((PREVIEW_PX as f64 / aspect).ceil() as usize).max(1),
        ]
    } else {
        [
            ((PREVIEW_PX as f64 * aspect).ceil() as usize).max(1),
            PREVIEW_PX,
        ]
    };
    let whole = ViewBox { merc, px };
    let preview = render_view(&info, bands, &stretch, merc, whole, &AtomicBool::new(false))?;
    Ok(ImageryData {
        info,
        bands,
        stretch,
        merc,
        preview,
    })
}

/// `s` when every band's black value is below its full one (and both are numbers).
pub fn check_stretch(s: &Stretch) -> Result<Stretch, String> {
    for (k, colour) in ["red", "green", "blue"].iter().enumerate() {
        let (lo, hi) = (s.low[k], s.high[k]);
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(format!(
                "stretch of the {colour} band: the value shown black ({lo}) must be below the one shown full ({hi})"
            ));
        }
    }
    Ok(*s)
}

/// The image of `info` over `view` (clipped to the image's box `image_merc`) at the view's
/// resolution, at most [`VIEW_MAX_PX`] on a side; `None` when the view misses the image
/// or `cancel` was set.
pub fn render_view(
    info: &ImageryInfo,
    bands: [usize; 3],
    stretch: &Stretch,
    image_merc: [f64; 4],
    view: ViewBox,
    cancel: &AtomicBool,
) -> Result<Option<MercImage>, String> {
    let v = view.merc;
    let x0 = v[0].max(image_merc[0]);
    let y0 = v[1].max(image_merc[1]);
    let x1 = v[2].min(image_merc[2]);
    let y1 = v[3].min(image_merc[3]);
    if !(x1 > x0 && y1 > y0) {
        return Ok(None);
    }
    let m_per_px = ((v[2] - v[0]) / view.px[0].max(1) as f64)
        .max((v[3] - v[1]) / view.px[1].max(1) as f64)
        .max(1e-6);
    let cols = ((x1 - x0) / m_per_px).ceil().max(1.0) as usize;
    let rows = ((y1 - y0) / m_per_px).ceil().max(1.0) as usize;
    let (cols, rows) = decimated_size(cols, rows, VIEW_MAX_PX);
    let wkt = web_mercator_wkt()?;
    let target = GridSpec::new(
        cols,
        rows,
        x0,
        y1,
        (x1 - x0) / cols as f64,
        (y1 - y0) / rows as f64,
        wkt,
    )
    .map_err(|e| format!("{}: {e}", info.path.display()))?;
    let rgba = match render_rgba(info, bands, stretch, &target, cancel) {
        Ok(px) => px,
        Err(ImageryError::Cancelled { .. }) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    Ok(rgba.map(|px| MercImage {
        merc: [x0, y0, x1, y1],
        image: ColorImage::from_rgba_unmultiplied([cols, rows], &px),
    }))
}

/// An uploaded image and the EPSG:3857 box it covers.
pub struct DrawnImage {
    /// EPSG:3857 box.
    pub merc: [f64; 4],
    /// GPU texture.
    pub texture: TextureHandle,
}

/// An imagery layer of an event.
pub struct ImageryLayer {
    /// Unique id (shared counter with raster layers).
    pub id: u64,
    /// Display name (file stem).
    pub name: String,
    /// The file.
    pub info: ImageryInfo,
    /// Chosen bands (1-based) as red, green, blue.
    pub bands: [usize; 3],
    /// Stretch of the chosen bands.
    pub stretch: Stretch,
    /// The stretch as being edited in the style panel (becomes `stretch` once committed
    /// and redrawn).
    pub stretch_edit: Stretch,
    /// Drawn at all.
    pub visible: bool,
    /// 0 = transparent, 1 = opaque.
    pub opacity: f32,
    /// EPSG:3857 box.
    pub merc: [f64; 4],
    /// Lon/lat bounds `[w, s, e, n]`.
    pub bounds: [f64; 4],
    preview: Option<DrawnImage>,
    view: Option<DrawnImage>,
    view_job: Option<JobHandle<(), Option<MercImage>>>,
    bands_job: Option<JobHandle<(), ImageryData>>,
    requested: Option<ViewBox>,
}

fn upload(ctx: &egui::Context, name: String, img: MercImage) -> DrawnImage {
    DrawnImage {
        merc: img.merc,
        texture: ctx.load_texture(name, img.image, TextureOptions::LINEAR),
    }
}

impl ImageryLayer {
    /// Wrap worker output and upload the preview.
    pub fn new(id: u64, data: ImageryData, ctx: &egui::Context) -> Self {
        let name = data
            .info
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imagery".into());
        let (w, s) = lon_lat_from_mercator(data.merc[0], data.merc[1]);
        let (e, n) = lon_lat_from_mercator(data.merc[2], data.merc[3]);
        let preview = data
            .preview
            .map(|p| upload(ctx, format!("imagery-{id}-preview"), p));
        Self {
            id,
            name,
            info: data.info,
            bands: data.bands,
            stretch: data.stretch,
            stretch_edit: data.stretch,
            visible: true,
            opacity: 1.0,
            merc: data.merc,
            bounds: [w, s, e, n],
            preview,
            view: None,
            view_job: None,
            bands_job: None,
            requested: None,
        }
    }

    /// Images to draw, bottom first: the preview, then the latest view image.
    pub fn images(&self) -> impl Iterator<Item = &DrawnImage> {
        self.preview.iter().chain(self.view.iter())
    }

    /// True while new bands are being loaded.
    pub fn busy(&self) -> bool {
        self.bands_job.as_ref().is_some_and(|j| !j.finished)
    }

    /// True while the view image is being read.
    pub fn loading_view(&self) -> bool {
        self.view_job.as_ref().is_some_and(|j| !j.finished)
    }

    /// Re-read the visible window unless `view` was already asked for.
    pub fn request_view(&mut self, view: ViewBox, ctx: &egui::Context) {
        if self.requested == Some(view) || self.busy() {
            return;
        }
        self.requested = Some(view);
        let (info, bands, stretch, merc) = (self.info.clone(), self.bands, self.stretch, self.merc);
        // Replacing the handle cancels (drops) the previous request.
        self.view_job = Some(JobHandle::spawn("imagery-view", ctx, move |w| {
            render_view(&info, bands, &stretch, merc, view, w.cancel_flag())
        }));
    }

    /// Show `bands` (1-based, red, green, blue): a new stretch and preview on a worker.
    pub fn set_bands(&mut self, bands: [usize; 3], ctx: &egui::Context) {
        self.reload(bands, None, ctx);
    }

    /// Draw the bands under `stretch` (`None`: the 2–98 % one again): a new preview, and
    /// the view read again, on a worker.
    pub fn set_stretch(&mut self, stretch: Option<Stretch>, ctx: &egui::Context) {
        self.reload(self.bands, stretch, ctx);
    }

    fn reload(&mut self, bands: [usize; 3], stretch: Option<Stretch>, ctx: &egui::Context) {
        let path = self.info.path.clone();
        self.bands_job = Some(JobHandle::spawn("imagery-bands", ctx, move |_w| {
            load_imagery_with(&path, bands, stretch)
        }));
    }

    /// Take finished work: upload textures; returns an error message to show, if any.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<String> {
        let mut error = None;
        if let Some(job) = self.view_job.as_mut() {
            for ev in job.drain(DRAIN_BUDGET) {
                match ev {
                    JobEvent::Done(Some(img)) => {
                        self.view = Some(upload(ctx, format!("imagery-{}-view", self.id), img));
                    }
                    JobEvent::Done(None) => self.view = None,
                    JobEvent::Failed(m) => error = Some(m),
                    _ => {}
                }
            }
        }
        let Some(job) = self.bands_job.as_mut() else {
            return error;
        };
        for ev in job.drain(DRAIN_BUDGET) {
            match ev {
                JobEvent::Done(data) => {
                    self.bands = data.bands;
                    self.stretch = data.stretch;
                    self.stretch_edit = data.stretch;
                    self.preview = data
                        .preview
                        .map(|p| upload(ctx, format!("imagery-{}-preview", self.id), p));
                    self.view = None;
                    self.view_job = None;
                    self.requested = None;
                }
                JobEvent::Failed(m) => {
                    self.stretch_edit = self.stretch;
                    error = Some(m);
                }
                _ => {}
            }
        }
        error
    }
}

/// Tells when the view has stayed still for [`SETTLE`].
#[derive(Debug, Default)]
pub struct ViewSettle {
    last: Option<(ViewBox, Instant)>,
}

impl ViewSettle {
    /// Record this frame's view; returns it once it has not changed for [`SETTLE`].
    pub fn update(&mut self, view: ViewBox, now: Instant) -> Option<ViewBox> {
        match self.last {
            Some((v, since)) if v == view => (now.duration_since(since) >= SETTLE).then_some(v),
            _ => {
                self.last = Some((view, now));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_settles_after_it_stays_still() {
        let mut s = ViewSettle::default();
        let v = ViewBox {
            merc: [0.0, 0.0, 1.0, 1.0],
            px: [10, 10],
        };
        let t0 = Instant::now();
        assert_eq!(s.update(v, t0), None);
        assert_eq!(s.update(v, t0 + Duration::from_millis(50)), None);
        assert_eq!(s.update(v, t0 + SETTLE), Some(v));
        let moved = ViewBox { px: [11, 10], ..v };
        assert_eq!(s.update(moved, t0 + SETTLE * 2), None);
    }
}
