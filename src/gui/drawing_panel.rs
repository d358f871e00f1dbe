//! The digitising panel ("Mapping"): what the next polygon is (mapped area or landslide),
//! tool modes, undo/redo, snapping, the counts and the LAD update, the polygon list with
//! labels, and saving/importing polygons.

use super::app::{Command, FilePurpose};
use super::drawing::rules;
use super::drawing::tool::kind_style;
use super::drawing::{Drawing, DrawingTool, PolygonKind, ToolMode};

/// Panel state (label being edited).
#[derive(Debug, Default)]
pub struct DrawingPanel {
    edit: Option<(usize, String)>,
}

/// What the panel reports besides the drawing: autosave and the mapping file.
#[derive(Debug, Default, Clone)]
pub struct MappingStatus {
    /// Where the drawing is autosaved.
    pub autosave: String,
    /// The LAD update: running, or how long the last one took.
    pub lad: Option<String>,
    /// Where the mapping GeoPackage was written.
    pub saved_to: Option<String>,
}

impl DrawingPanel {
    /// Show the panel for `drawing`.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        tool: &mut DrawingTool,
        drawing: &Drawing,
        author: &mut String,
        status: &MappingStatus,
    ) -> Option<Command> {
        let mut cmd = None;
        ui.heading("Mapping");
        kind_row(ui, tool, &mut cmd);
        tool_mode_row(ui, tool, &mut cmd);
        undo_redo_row(ui, tool, drawing, &mut cmd);
        if tool.mode == ToolMode::Draw {
            ui.label(format!(
                "Sketch: {} vertices. Enter/double-click closes, Backspace removes, Esc cancels.",
                tool.sketch.len()
            ));
        }
        ui.horizontal(|ui| {
            let l = ui.label("Author:");
            ui.add(egui::TextEdit::singleline(author).desired_width(140.0))
                .labelled_by(l.id);
        });
        ui.separator();
        counts_ui(ui, drawing, status);
        polygon_list(ui, tool, drawing);
        self.selected_polygon_ui(ui, tool, drawing, &mut cmd);
        ui.separator();
        save_import_row(ui, &mut cmd);
        ui.label(egui::RichText::new(&status.autosave).small());
        if let Some(s) = &status.saved_to {
            ui.label(egui::RichText::new(format!("Inventory written to {s}")).small());
        }
        cmd
    }

    /// Label editor and "Delete polygon" for the selected polygon (clears the edit buffer
    /// when nothing valid is selected).
    fn selected_polygon_ui(
        &mut self,
        ui: &mut egui::Ui,
        tool: &DrawingTool,
        drawing: &Drawing,
        cmd: &mut Option<Command>,
    ) {
        if let Some(sel) = tool.selected.filter(|s| *s < drawing.polygons.len()) {
            if self.edit.as_ref().is_none_or(|(i, _)| *i != sel) {
                self.edit = Some((sel, drawing.polygons[sel].label.clone()));
            }
            if let Some((_, text)) = self.edit.as_mut() {
                ui.horizontal(|ui| {
                    let l = ui.label("Label:");
                    let r = ui
                        .add(egui::TextEdit::singleline(text).desired_width(150.0))
                        .labelled_by(l.id);
                    if r.lost_focus() && *text != drawing.polygons[sel].label {
                        *cmd = Some(Command::RelabelPolygon(sel, text.clone()));
                    }
                });
            }
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Delete polygon")
                    .on_hover_text("Delete key in Edit mode")
                    .clicked()
                {
                    *cmd = Some(Command::DeletePolygon(sel));
                }
                if ui
                    .button("Use as study area")
                    .on_hover_text("The event's study area becomes this polygon (saved beside the project; the event is rebuilt on it and the polygon leaves the drawing)")
                    .clicked()
                {
                    *cmd = Some(Command::UseAsStudyArea(sel));
                }
            });
        } else {
            self.edit = None;
        }
    }
}

/// What the next polygon is: a mapped area (A) or a landslide (L), in the map's colours.
fn kind_row(ui: &mut egui::Ui, tool: &DrawingTool, cmd: &mut Option<Command>) {
    ui.horizontal(|ui| {
        ui.label("Draw:");
        for (kind, text, tip) in [
            (
                PolygonKind::MappedArea,
                "Mapped area",
                "Ground you have checked on the imagery, landslides or not (A)",
            ),
            (
                PolygonKind::Landslide,
                "Landslide",
                "A landslide, inside a mapped area (L)",
            ),
        ] {
            let colour = kind_style(kind).1.color;
            let text = egui::RichText::new(text).color(colour);
            if ui
                .selectable_label(tool.new_kind == kind, text)
                .on_hover_text(tip)
                .clicked()
            {
                *cmd = Some(Command::SetDrawKind(kind));
            }
        }
    });
}

/// Mapped areas, landslides, those outside every area, and the LAD update.
fn counts_ui(ui: &mut egui::Ui, drawing: &Drawing, status: &MappingStatus) {
    let (areas, slides, outside) = rules::counts(drawing);
    ui.label(format!("{areas} mapped area(s), {slides} landslide(s)"));
    if outside > 0 {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("{outside} landslide(s) outside every mapped area: they do not count until an area covers them"),
        );
    }
    if let Some(l) = &status.lad {
        ui.label(egui::RichText::new(l).small());
    }
}

/// The Navigate / Draw / Edit tool buttons.
fn tool_mode_row(ui: &mut egui::Ui, tool: &DrawingTool, cmd: &mut Option<Command>) {
    ui.horizontal(|ui| {
        for (mode, text, tip) in [
            (ToolMode::Navigate, "Navigate", "Pan and zoom (N)"),
            (
                ToolMode::Draw,
                "Draw",
                "Click to add vertices; double-click or Enter closes (D)",
            ),
            (
                ToolMode::Edit,
                "Edit",
                "Drag vertices, drag midpoints to insert, right-click deletes (E)",
            ),
        ] {
            if ui
                .selectable_label(tool.mode == mode, text)
                .on_hover_text(tip)
                .clicked()
            {
                *cmd = Some(Command::SetTool(mode));
            }
        }
    });
}

/// Undo, Redo and the snapping checkbox.
fn undo_redo_row(
    ui: &mut egui::Ui,
    tool: &mut DrawingTool,
    drawing: &Drawing,
    cmd: &mut Option<Command>,
) {
    ui.horizontal(|ui| {
        if ui
            .add_enabled(drawing.can_undo(), egui::Button::new("Undo"))
            .on_hover_text("Ctrl+Z")
            .clicked()
        {
            *cmd = Some(Command::Undo);
        }
        if ui
            .add_enabled(drawing.can_redo(), egui::Button::new("Redo"))
            .on_hover_text("Ctrl+Shift+Z / Ctrl+Y")
            .clicked()
        {
            *cmd = Some(Command::Redo);
        }
        ui.checkbox(&mut tool.snapping, "Snap to vertices");
    });
}

/// The polygon count and the scrollable polygon list (clicking one selects it).
fn polygon_list(ui: &mut egui::Ui, tool: &mut DrawingTool, drawing: &Drawing) {
    ui.label(format!("{} polygon(s)", drawing.polygons.len()));
    egui::ScrollArea::vertical()
        .id_salt("polygons")
        .max_height(240.0)
        .show(ui, |ui| {
            for (i, p) in drawing.polygons.iter().enumerate() {
                let text = format!(
                    "#{} {}: {} ({} vertices)",
                    i + 1,
                    p.kind.label(),
                    p.label,
                    p.lon_lat.len()
                );
                if ui
                    .selectable_label(tool.selected == Some(i), text)
                    .clicked()
                {
                    tool.selected = Some(i);
                }
            }
        });
}

/// "Save polygons…" and "Import polygons…".
fn save_import_row(ui: &mut egui::Ui, cmd: &mut Option<Command>) {
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Save polygons…")
            .on_hover_text("GeoPackage (.gpkg) or GeoJSON, in the project CRS, with a `kind` field")
            .clicked()
        {
            *cmd = Some(Command::ShowFileChooser(FilePurpose::SaveDrawing));
        }
        if ui
            .button("Import polygons…")
            .on_hover_text("Polygons with kind = landslide become landslides; the rest become the kind chosen under Draw")
            .clicked()
        {
            *cmd = Some(Command::ShowFileChooser(FilePurpose::ImportDrawing));
        }
    });
}
