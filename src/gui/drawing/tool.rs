//! Digitising on the map: a `walkers::Plugin` that draws the mapped areas (blue) and the
//! landslides (red) and turns clicks into edits.
//!
//! - **Draw**: click adds a vertex; double-click, Enter or a click on the first vertex closes
//!   the polygon; Backspace removes the last vertex; Esc cancels. Dragging pans the map.
//! - **Edit**: drag a vertex to move it; drag the small midpoint handle of the selected
//!   polygon to insert a vertex; right-click a vertex to delete it; click inside a polygon
//!   to select it, Delete asks the app to remove it (which may ask the user first).
//!   Dragging elsewhere pans the map.
//! - Snapping (off by default) pulls a new or moved vertex onto an existing vertex within
//!   [`SNAP_PX`] pixels.

use super::model::{Drawing, PolygonKind};
use super::triangulate::fill_mesh;
use egui::{pos2, Color32, Key, Pos2, Response, Shape, Stroke, Ui};
use walkers::{lon_lat, MapMemory, Plugin, Projector};

/// Grab and snap radius, screen pixels.
pub const SNAP_PX: f32 = 10.0;

/// What a primary click on the map does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToolMode {
    /// Pan and zoom only.
    #[default]
    Navigate,
    /// Add vertices of a new polygon.
    Draw,
    /// Move, insert and delete vertices; select and delete polygons.
    Edit,
}

/// Interaction state kept between frames.
#[derive(Debug, Default)]
pub struct DrawingTool {
    /// Current mode.
    pub mode: ToolMode,
    /// Vertices of the polygon being drawn, (lon, lat).
    pub sketch: Vec<[f64; 2]>,
    /// Selected polygon index.
    pub selected: Option<usize>,
    /// Snap to existing vertices.
    pub snapping: bool,
    /// Bumped when the sketch changes (autosave).
    pub sketch_revision: u64,
    /// Errors for the message area; drained by the app.
    pub messages: Vec<String>,
    /// The kind of the polygons drawn next.
    pub new_kind: PolygonKind,
    /// A polygon just closed (index): the app checks it against the mapping rules.
    pub closed: Option<usize>,
    /// The Delete key on a selected polygon: the app deletes it (asking first when needed).
    pub delete_request: Option<usize>,
    drag: Option<Drag>,
    grab: bool,
    handles: Vec<Pos2>,
}

#[derive(Debug, Clone, Copy)]
struct Drag {
    poly: usize,
    vertex: usize,
    moved: bool,
}

impl DrawingTool {
    /// A tool in Navigate mode with snapping on or off.
    pub fn with_snapping(snapping: bool) -> Self {
        Self {
            snapping,
            ..Self::default()
        }
    }

    /// True when the primary button went down on a vertex handle: the map must not pan.
    /// Call before building the map each frame.
    pub fn grabs_pointer(&mut self, ctx: &egui::Context) -> bool {
        let (pressed, down, pos) = ctx.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.pointer.interact_pos(),
            )
        });
        if self.mode != ToolMode::Edit || !down {
            self.grab = false;
        } else if pressed {
            self.grab = pos.is_some_and(|p| self.handles.iter().any(|h| h.distance(p) <= SNAP_PX));
        }
        self.grab
    }

    /// Cancel the polygon being drawn.
    pub fn cancel_sketch(&mut self) {
        if !self.sketch.is_empty() {
            self.sketch.clear();
            self.sketch_revision += 1;
        }
    }

    /// Close the sketch into a polygon of `drawing`.
    pub fn close_sketch(&mut self, drawing: &mut Drawing, label: &str) {
        match drawing.add(self.sketch.clone(), label.to_string(), self.new_kind) {
            Ok(i) => {
                self.sketch.clear();
                self.selected = Some(i);
                self.closed = Some(i);
                self.sketch_revision += 1;
            }
            Err(e) => self.messages.push(e.to_string()),
        }
    }
}

/// The drawing plugin, built each frame from borrowed state.
pub struct DrawingPlugin<'a> {
    /// Tool state.
    pub tool: &'a mut DrawingTool,
    /// The polygons being edited.
    pub drawing: &'a mut Drawing,
    /// Label given to new polygons.
    pub label: &'a str,
}

fn screen(projector: &Projector, p: [f64; 2]) -> Pos2 {
    let v = projector.project(lon_lat(p[0], p[1]));
    pos2(v.x, v.y)
}

fn world(projector: &Projector, p: Pos2) -> [f64; 2] {
    let w = projector.unproject(p.to_vec2());
    [w.x(), w.y()]
}

fn nearest(points: impl Iterator<Item = (usize, usize, Pos2)>, p: Pos2) -> Option<(usize, usize)> {
    points
        .map(|(a, b, q)| (a, b, q.distance(p)))
        .filter(|(_, _, d)| *d <= SNAP_PX)
        .min_by(|x, y| x.2.total_cmp(&y.2))
        .map(|(a, b, _)| (a, b))
}

/// Every vertex of `d` as (polygon, vertex, screen position).
fn screen_vertices(d: &Drawing, projector: &Projector) -> Vec<(usize, usize, Pos2)> {
    d.polygons
        .iter()
        .enumerate()
        .flat_map(|(pi, poly)| {
            poly.lon_lat
                .iter()
                .enumerate()
                .map(move |(vi, v)| (pi, vi, *v))
        })
        .map(|(pi, vi, v)| (pi, vi, screen(projector, v)))
        .collect()
}

fn inside(ring: &[Pos2], p: Pos2) -> bool {
    let mut c = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + n - 1) % n]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            c = !c;
        }
    }
    c
}

impl DrawingPlugin<'_> {
    fn snapped(&self, projector: &Projector, p: Pos2) -> [f64; 2] {
        if self.tool.snapping {
            let rings = self
                .drawing
                .polygons
                .iter()
                .flat_map(|poly| poly.lon_lat.iter());
            let best = rings
                .chain(self.tool.sketch.first())
                .map(|v| (v, screen(projector, *v).distance(p)))
                .filter(|(_, d)| *d <= SNAP_PX)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((v, _)) = best {
                return *v;
            }
        }
        world(projector, p)
    }

    fn handle_draw(&mut self, ui: &Ui, response: &Response, projector: &Projector) {
        let tool = &mut *self.tool;
        if response.double_clicked() || response.triple_clicked() {
            tool.close_sketch(self.drawing, self.label);
            return;
        }
        if response.clicked() {
            if let Some(p) = response.interact_pointer_pos() {
                let first = tool.sketch.first().map(|v| screen(projector, *v));
                if tool.sketch.len() >= 3 && first.is_some_and(|f| f.distance(p) <= SNAP_PX) {
                    tool.close_sketch(self.drawing, self.label);
                    return;
                }
                let v = self.snapped(projector, p);
                self.tool.sketch.push(v);
                self.tool.sketch_revision += 1;
            }
        }
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (enter, esc, back) = ui.input(|i| {
            (
                i.key_pressed(Key::Enter),
                i.key_pressed(Key::Escape),
                i.key_pressed(Key::Backspace),
            )
        });
        if enter {
            self.tool.close_sketch(self.drawing, self.label);
        } else if esc {
            self.tool.cancel_sketch();
        } else if back && self.tool.sketch.pop().is_some() {
            self.tool.sketch_revision += 1;
        }
    }

    /// Edit mode: drag vertices and midpoint handles, right-click deletes a vertex, click
    /// selects a polygon, Delete removes the selected one.
    fn handle_edit(&mut self, ui: &Ui, response: &Response, projector: &Projector) {
        let (pressed, down, pos) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.pointer.interact_pos(),
            )
        });
        // Start a drag on a vertex, or on a midpoint handle (inserts a vertex).
        if pressed && self.tool.grab {
            if let Some(p) = pos {
                self.start_drag(projector, p);
            }
        }
        if let Some(drag) = self.tool.drag {
            self.continue_drag(ui, projector, drag, down, pos);
            return;
        }
        if response.secondary_clicked() {
            if let Some(p) = response.interact_pointer_pos() {
                if let Some((pi, vi)) =
                    nearest(screen_vertices(self.drawing, projector).into_iter(), p)
                {
                    if let Err(e) = self.drawing.delete_vertex(pi, vi) {
                        self.tool.messages.push(e.to_string());
                    }
                }
            }
        } else if response.clicked() {
            if let Some(p) = response.interact_pointer_pos() {
                self.tool.selected = self.drawing.polygons.iter().rposition(|poly| {
                    let ring: Vec<Pos2> =
                        poly.lon_lat.iter().map(|v| screen(projector, *v)).collect();
                    inside(&ring, p)
                });
            }
        }
        if !ui.ctx().egui_wants_keyboard_input() && ui.input(|i| i.key_pressed(Key::Delete)) {
            if let Some(sel) = self.tool.selected {
                self.tool.delete_request = Some(sel);
            }
        }
    }

    /// Press at `p`: grab the nearest vertex (and select its polygon), or else insert a vertex
    /// at a midpoint handle under `p` and grab it.
    fn start_drag(&mut self, projector: &Projector, p: Pos2) {
        if let Some((pi, vi)) = nearest(screen_vertices(self.drawing, projector).into_iter(), p) {
            self.tool.drag = Some(Drag {
                poly: pi,
                vertex: vi,
                moved: false,
            });
            self.tool.selected = Some(pi);
        } else if let Some((pi, vi)) = self.midpoint_hit(projector, p) {
            let at = world(projector, p);
            match self.drawing.insert_vertex(pi, vi + 1, at) {
                Ok(()) => {
                    self.tool.drag = Some(Drag {
                        poly: pi,
                        vertex: vi + 1,
                        moved: true,
                    })
                }
                Err(e) => self.tool.messages.push(e.to_string()),
            }
        }
    }

    /// A drag in progress: while the button is down, move the vertex live (checkpointing for
    /// undo on the first move past 1 px); on release, record the edit if it moved.
    fn continue_drag(
        &mut self,
        ui: &Ui,
        projector: &Projector,
        mut drag: Drag,
        down: bool,
        pos: Option<Pos2>,
    ) {
        if down {
            if let (Some(p), Some(origin)) = (pos, ui.input(|i| i.pointer.press_origin())) {
                if drag.moved || p.distance(origin) > 1.0 {
                    if !drag.moved {
                        self.drawing.checkpoint();
                        drag.moved = true;
                    }
                    let to = self.snapped_excluding(projector, p, drag);
                    if let Err(e) = self.drawing.move_vertex_live(drag.poly, drag.vertex, to) {
                        self.tool.messages.push(e.to_string());
                    }
                }
            }
            self.tool.drag = Some(drag);
        } else {
            if drag.moved {
                self.drawing.touch();
            }
            self.tool.drag = None;
        }
    }

    fn snapped_excluding(&self, projector: &Projector, p: Pos2, drag: Drag) -> [f64; 2] {
        if !self.tool.snapping {
            return world(projector, p);
        }
        let best = self
            .drawing
            .polygons
            .iter()
            .enumerate()
            .flat_map(|(pi, poly)| {
                poly.lon_lat
                    .iter()
                    .enumerate()
                    .map(move |(vi, v)| (pi, vi, *v))
            })
            .filter(|(pi, vi, _)| (*pi, *vi) != (drag.poly, drag.vertex))
            .map(|(_, _, v)| (v, screen(projector, v).distance(p)))
            .filter(|(_, d)| *d <= SNAP_PX)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        best.map(|(v, _)| v).unwrap_or_else(|| world(projector, p))
    }

    fn midpoints(&self, projector: &Projector) -> Vec<(usize, usize, Pos2)> {
        let Some(sel) = self.tool.selected else {
            return Vec::new();
        };
        let Some(poly) = self.drawing.polygons.get(sel) else {
            return Vec::new();
        };
        let ring: Vec<Pos2> = poly.lon_lat.iter().map(|v| screen(projector, *v)).collect();
        (0..ring.len())
            .map(|i| (sel, i, ring[i].lerp(ring[(i + 1) % ring.len()], 0.5)))
            .collect()
    }

    fn midpoint_hit(&self, projector: &Projector, p: Pos2) -> Option<(usize, usize)> {
        nearest(self.midpoints(projector).into_iter(), p)
    }

    fn paint(&mut self, ui: &Ui, response: &Response, projector: &Projector) {
        let painter = ui.painter();
        let sel_line = Stroke::new(3.0, Color32::from_rgb(0, 200, 255));
        let mut handles = Vec::new();
        // Mapped areas first, landslides on top of them.
        let mut order: Vec<usize> = (0..self.drawing.polygons.len()).collect();
        order.sort_by_key(|&i| self.drawing.polygons[i].kind == PolygonKind::Landslide);
        for i in order {
            let poly = &self.drawing.polygons[i];
            let (fill, line) = kind_style(poly.kind);
            let ring: Vec<Pos2> = poly.lon_lat.iter().map(|v| screen(projector, *v)).collect();
            painter.add(Shape::mesh(fill_mesh(&ring, fill)));
            let selected = self.tool.selected == Some(i);
            painter.add(Shape::closed_line(
                ring.clone(),
                if selected { sel_line } else { line },
            ));
            if self.tool.mode == ToolMode::Edit {
                for p in &ring {
                    painter.circle(*p, 4.0, Color32::WHITE, Stroke::new(1.5, Color32::BLACK));
                }
                handles.extend(ring.iter().copied());
            }
            // Labels on mapped areas and the selected polygon only: many small landslides
            // would bury the map under text.
            let labelled = poly.kind == PolygonKind::MappedArea || selected;
            if let (Some(first), true) = (ring.first(), labelled) {
                painter.text(
                    *first + egui::vec2(6.0, -6.0),
                    egui::Align2::LEFT_BOTTOM,
                    &poly.label,
                    egui::FontId::proportional(12.0),
                    Color32::WHITE,
                );
            }
        }
        if self.tool.mode == ToolMode::Edit {
            for (_, _, m) in self.midpoints(projector) {
                painter.circle(
                    m,
                    3.0,
                    Color32::from_rgb(0, 200, 255),
                    Stroke::new(1.0, Color32::BLACK),
                );
                handles.push(m);
            }
        }
        if !self.tool.sketch.is_empty() {
            let mut pts: Vec<Pos2> = self
                .tool
                .sketch
                .iter()
                .map(|v| screen(projector, *v))
                .collect();
            if let Some(h) = response.hover_pos() {
                pts.push(h);
            }
            painter.add(Shape::line(pts.clone(), Stroke::new(2.0, Color32::YELLOW)));
            for p in pts.iter().take(self.tool.sketch.len()) {
                painter.circle(*p, 4.0, Color32::YELLOW, Stroke::new(1.0, Color32::BLACK));
            }
        }
        self.tool.handles = handles;
    }
}

/// Fill and outline of a polygon kind: mapped areas a light blue wash, landslides red.
pub fn kind_style(kind: PolygonKind) -> (Color32, Stroke) {
    match kind {
        PolygonKind::MappedArea => (
            Color32::from_rgba_unmultiplied(60, 140, 255, 40),
            Stroke::new(2.0, Color32::from_rgb(60, 140, 255)),
        ),
        PolygonKind::Landslide => (
            Color32::from_rgba_unmultiplied(230, 40, 30, 110),
            Stroke::new(2.0, Color32::from_rgb(230, 40, 30)),
        ),
    }
}

impl Plugin for DrawingPlugin<'_> {
    fn run(
        mut self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        match self.tool.mode {
            ToolMode::Draw => self.handle_draw(ui, response, projector),
            ToolMode::Edit => self.handle_edit(ui, response, projector),
            ToolMode::Navigate => {}
        }
        if let Some(sel) = self.tool.selected {
            if sel >= self.drawing.polygons.len() {
                self.tool.selected = None;
            }
        }
        self.paint(ui, response, projector);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_in_concave_ring() {
        let ring = [
            pos2(0., 0.),
            pos2(2., 0.),
            pos2(2., 1.),
            pos2(1., 1.),
            pos2(1., 2.),
            pos2(0., 2.),
        ];
        assert!(inside(&ring, pos2(0.5, 1.5)));
        assert!(!inside(&ring, pos2(1.5, 1.5)));
    }
}
