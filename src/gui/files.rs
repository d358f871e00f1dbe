//! Choosing files: a small window with a path field and a "Browse…" button that opens the
//! system dialog (rfd: XDG portal, else zenity) on its own thread. The path field always
//! works, so a machine without any dialog backend is never a silent no-op. Also
//! drag-and-drop onto the window and classification of files by extension.

use super::app::{Command, FilePurpose};
use crossbeam_channel::{bounded, Receiver};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Kind of a file, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// SlideMap project (.toml).
    Project,
    /// GDAL raster.
    Raster,
    /// OGR vector.
    Vector,
}

/// Guess what a file is from its extension.
pub fn classify(path: &Path) -> Option<FileKind> {
    let ext = path.extension()?.to_string_lossy().to_lowercase();
    match ext.as_str() {
        "toml" => Some(FileKind::Project),
        "tif" | "tiff" | "vrt" | "img" | "asc" | "nc" | "grd" | "hgt" | "dem" | "bil" | "jp2" => {
            Some(FileKind::Raster)
        }
        "gpkg" | "geojson" | "json" | "shp" | "kml" | "gml" | "fgb" => Some(FileKind::Vector),
        _ => None,
    }
}

/// Commands for files dropped on the window this frame.
pub fn dropped_commands(ctx: &egui::Context) -> Vec<Command> {
    ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| Command::OpenPath(f.path().to_path_buf()))
            .collect()
    })
}

/// The open file window, if any.
#[derive(Default)]
pub struct FileChooser {
    state: Option<ChooserState>,
}

struct ChooserState {
    purpose: FilePurpose,
    text: String,
    note: Option<String>,
    browse: Option<(Receiver<Option<PathBuf>>, Instant)>,
}

impl FileChooser {
    /// Open the window for `purpose` with a suggested path.
    pub fn open(&mut self, purpose: FilePurpose, suggested: String) {
        self.state = Some(ChooserState {
            purpose,
            text: suggested,
            note: None,
            browse: None,
        });
    }

    /// True while the window is shown.
    pub fn is_open(&self) -> bool {
        self.state.is_some()
    }

    /// Show the window; returns the command once a path is chosen.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Command> {
        let st = self.state.as_mut()?;
        if let Some((rx, started)) = &st.browse {
            if let Ok(res) = rx.try_recv() {
                match res {
                    Some(p) => {
                        let cmd = st.purpose.command(p);
                        self.state = None;
                        return Some(cmd);
                    }
                    None if started.elapsed() < Duration::from_millis(400) => {
                        st.note = Some("No system file dialog is available here (no XDG portal, no zenity): type the path above.".into());
                    }
                    None => st.note = Some("No file chosen.".into()),
                }
                st.browse = None;
            }
        }
        let mut result = None;
        let mut close = false;
        egui::Window::new(st.purpose.title())
            .collapsible(false)
            .resizable(true)
            .default_width(520.0)
            .show(ctx, |ui| {
                let label = ui.label("Path:");
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(&mut st.text)
                            .desired_width(480.0)
                            .hint_text(if st.purpose.is_folder() {
                                "/path/to/folder"
                            } else {
                                "/path/to/file"
                            }),
                    )
                    .labelled_by(label.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if let Some(n) = &st.note {
                    ui.colored_label(ui.visuals().warn_fg_color, n);
                }
                ui.horizontal(|ui| {
                    let ok_text = if st.purpose.is_save() { "Save" } else { "Open" };
                    if (ui.button(ok_text).clicked() || enter) && !st.text.trim().is_empty() {
                        result = Some(st.purpose.command(PathBuf::from(st.text.trim())));
                    }
                    let browsing = st.browse.is_some();
                    if ui
                        .add_enabled(!browsing, egui::Button::new("Browse…"))
                        .clicked()
                    {
                        st.browse = Some((spawn_dialog(ctx, st.purpose, &st.text), Instant::now()));
                        st.note = None;
                    }
                    if browsing {
                        ui.spinner();
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if result.is_some() || close {
            self.state = None;
        }
        result
    }
}

fn spawn_dialog(
    ctx: &egui::Context,
    purpose: FilePurpose,
    current: &str,
) -> Receiver<Option<PathBuf>> {
    let (tx, rx) = bounded(1);
    let ctx = ctx.clone();
    let current = PathBuf::from(current);
    let spawned = std::thread::Builder::new()
        .name("slidemap-file-dialog".into())
        .spawn(move || {
            let mut d = rfd::FileDialog::new();
            d = match purpose {
                FilePurpose::OpenProject => d.add_filter("SlideMap project", &["toml"]),
                FilePurpose::OpenRaster => {
                    d.add_filter("Raster", &["tif", "tiff", "vrt", "img", "asc"])
                }
                FilePurpose::OpenImagery => {
                    d.add_filter("Imagery", &["tif", "tiff", "vrt", "jp2", "img"])
                }
                FilePurpose::ImportDrawing | FilePurpose::SaveDrawing => {
                    d.add_filter("Vector", &["gpkg", "geojson", "json", "shp"])
                }
                FilePurpose::ExportLayer(_) => d.add_filter("GeoTIFF", &["tif"]),
                FilePurpose::OpenAny
                | FilePurpose::ModelFolder
                | FilePurpose::AcquisitionFolder => d,
            };
            if let Some(dir) = current.parent().filter(|p| p.is_dir()) {
                d = d.set_directory(dir);
            }
            if let Some(name) = current.file_name() {
                d = d.set_file_name(name.to_string_lossy());
            }
            let r = if purpose.is_folder() {
                d.pick_folder()
            } else if purpose.is_save() {
                d.save_file()
            } else if purpose.is_folder() {
                d.pick_folder()
            } else {
                d.pick_file()
            };
            tx.send(r).ok();
            ctx.request_repaint();
        });
    if spawned.is_err() {
        let (tx, rx2) = bounded(1);
        tx.send(None).ok();
        return rx2;
    }
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_classified_by_extension() {
        assert_eq!(classify(Path::new("a/p.toml")), Some(FileKind::Project));
        assert_eq!(classify(Path::new("dem.TIF")), Some(FileKind::Raster));
        assert_eq!(classify(Path::new("areas.gpkg")), Some(FileKind::Vector));
        assert_eq!(classify(Path::new("notes.txt")), None);
    }
}
