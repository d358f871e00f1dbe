//! The acquisition timeline: a days-after-event axis with one mark per acquisition feature
//! set, coloured by sensor (Sentinel-1 ascending/descending, ALOS-2), a click selects the
//! step (the trainer's "what did this image add?" view), and a toggle per acquisition
//! leaves its features out of the next training run.

use crate::coherence::{Step, Timeline};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Vec2};

/// What the user did on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineAction {
    /// Show this step.
    Select(usize),
    /// Switch an acquisition (project index) on or off.
    Toggle(usize, bool),
}

/// Colour of a sensor tag such as "S1_asc", "S1_desc", "A2_desc" (also used by the plots).
pub fn sensor_color(sensor: &str) -> Color32 {
    let s = sensor.to_lowercase();
    match (s.starts_with("s1"), s.starts_with("a2"), s.contains("asc")) {
        (true, _, true) => Color32::from_rgb(31, 119, 180),
        (true, _, false) => Color32::from_rgb(23, 190, 207),
        (_, true, true) => Color32::from_rgb(255, 127, 14),
        (_, true, false) => Color32::from_rgb(214, 39, 40),
        _ if s == "none" || s.is_empty() => Color32::GRAY,
        _ => Color32::from_rgb(148, 103, 189),
    }
}

/// Human name of a sensor tag.
pub fn sensor_name(sensor: &str) -> String {
    let pretty = |t: &str| match t {
        "S1_asc" => "Sentinel-1 ascending".to_string(),
        "S1_desc" => "Sentinel-1 descending".to_string(),
        "A2_asc" => "ALOS-2 ascending".to_string(),
        "A2_desc" => "ALOS-2 descending".to_string(),
        "none" => "no radar".to_string(),
        t => t.to_string(),
    };
    sensor
        .split('+')
        .map(pretty)
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Draw the timeline; `disabled[i]` is true for switched-off acquisitions, `labels` are the
/// project's acquisition labels (index = acquisition); `as_of_day` (days after the event)
/// marks the model panel's "as of" date: steps after it are left out of the next run.
pub fn timeline_ui(
    ui: &mut egui::Ui,
    tl: &Timeline,
    selected: Option<usize>,
    labels: &[String],
    disabled: &[bool],
    as_of_day: Option<i64>,
) -> Option<TimelineAction> {
    let mut action = None;
    let max_day = tl
        .steps
        .iter()
        .map(|s| s.days_after_event)
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    let width = ui.available_width().max(200.0);
    let (rect, resp) = ui.allocate_exact_size(Vec2::new(width, 64.0), Sense::click());
    let painter = ui.painter_at(rect);
    let axis = Axis {
        rect,
        y: rect.bottom() - 18.0,
        x0: rect.left() + 44.0,
        x1: rect.right() - 16.0,
        max_day,
    };
    axis.draw(&painter, ui.visuals());
    if let Some(d) = as_of_day {
        axis.draw_as_of(&painter, d);
    }
    let pointer = resp.hover_pos();
    let mut hovered: Option<(usize, String)> = None;
    for step in &tl.steps {
        let marks = StepMarks {
            selected: selected == Some(step.index),
            labels,
            disabled,
            pointer,
        };
        if let Some(h) = marks.draw(&painter, ui.visuals(), &axis, step) {
            hovered = Some(h);
        }
    }
    let nearest = |p: Pos2| {
        tl.steps
            .iter()
            .min_by(|a, b| {
                (axis.x_of(a.days_after_event as f32) - p.x)
                    .abs()
                    .total_cmp(&(axis.x_of(b.days_after_event as f32) - p.x).abs())
            })
            .map(|s| s.index)
    };
    if let Some((i, text)) = &hovered {
        resp.clone().on_hover_text(format!("Step {i}: {text}"));
    } else if let Some(i) = pointer.and_then(nearest) {
        resp.clone().on_hover_text(format!(
            "Step {i}: click to show its map, metrics and importances"
        ));
    }
    if resp.clicked() {
        if let Some(i) = resp.interact_pointer_pos().and_then(nearest) {
            action = Some(TimelineAction::Select(i));
        }
    }
    acquisition_toggles_ui(ui, tl, labels, disabled).or(action)
}

/// The days axis of the timeline inside `rect`.
struct Axis {
    rect: Rect,
    /// Screen y of the axis line.
    y: f32,
    /// Screen x of day 0 and of the right end.
    x0: f32,
    x1: f32,
    /// Last day with an acquisition (at least 1).
    max_day: f32,
}

impl Axis {
    /// Screen x of `day`.
    fn x_of(&self, day: f32) -> f32 {
        self.x0 + (self.x1 - self.x0) * (day / (self.max_day * 1.05))
    }

    /// The "as of" date: a dashed orange line at its day (at the right end when later than
    /// the last acquisition), labelled, with the later part of the axis shaded.
    fn draw_as_of(&self, painter: &egui::Painter, day: i64) {
        let colour = egui::Color32::from_rgb(230, 140, 30);
        let x = self.x_of((day as f32).clamp(0.0, self.max_day * 1.05));
        let later = Rect::from_min_max(Pos2::new(x, self.rect.top()), Pos2::new(self.x1, self.y));
        painter.rect_filled(later, 0.0, egui::Color32::from_black_alpha(60));
        painter.add(egui::Shape::dashed_line(
            &[Pos2::new(x, self.rect.top() + 2.0), Pos2::new(x, self.y)],
            Stroke::new(1.5, colour),
            4.0,
            3.0,
        ));
        painter.text(
            Pos2::new(x + 3.0, self.rect.top() + 1.0),
            Align2::LEFT_TOP,
            format!("as of day {day}"),
            FontId::proportional(10.0),
            colour,
        );
    }

    /// The axis line, its ticks with day labels, and the "days" / "step" captions.
    fn draw(&self, painter: &egui::Painter, vis: &egui::Visuals) {
        let (rect, axis_y) = (self.rect, self.y);
        painter.line_segment(
            [Pos2::new(self.x0, axis_y), Pos2::new(self.x1, axis_y)],
            Stroke::new(1.0, vis.text_color()),
        );
        let tick = nice_tick(self.max_day);
        let mut d = 0.0;
        while d <= self.max_day * 1.05 {
            let x = self.x_of(d);
            painter.line_segment(
                [Pos2::new(x, axis_y), Pos2::new(x, axis_y + 4.0)],
                Stroke::new(1.0, vis.text_color()),
            );
            painter.text(
                Pos2::new(x, axis_y + 5.0),
                Align2::CENTER_TOP,
                format!("{d:.0}"),
                FontId::proportional(10.0),
                vis.weak_text_color(),
            );
            d += tick;
        }
        painter.text(
            Pos2::new(rect.left(), axis_y + 5.0),
            Align2::LEFT_TOP,
            "days",
            FontId::proportional(10.0),
            vis.weak_text_color(),
        );
        painter.text(
            Pos2::new(rect.left(), rect.top() + 1.0),
            Align2::LEFT_TOP,
            "step",
            FontId::proportional(10.0),
            vis.weak_text_color(),
        );
    }
}

/// How one step's marks are drawn.
struct StepMarks<'a> {
    selected: bool,
    labels: &'a [String],
    disabled: &'a [bool],
    pointer: Option<Pos2>,
}

impl StepMarks<'_> {
    /// The step's selection band, one coloured box per acquisition it adds (a grey dot for
    /// the no-radar step) and its number; returns the hover text when the pointer is on a
    /// box.
    fn draw(
        &self,
        painter: &egui::Painter,
        vis: &egui::Visuals,
        axis: &Axis,
        step: &Step,
    ) -> Option<(usize, String)> {
        let (rect, axis_y) = (axis.rect, axis.y);
        let x = axis.x_of(step.days_after_event as f32);
        if self.selected {
            painter.rect_filled(
                Rect::from_center_size(
                    Pos2::new(x, rect.center().y - 6.0),
                    Vec2::new(14.0, rect.height() - 14.0),
                ),
                3.0,
                vis.selection.bg_fill.gamma_multiply(0.6),
            );
        }
        let mut acqs: Vec<(usize, &str, Vec<&str>)> = Vec::new();
        for f in &step.added {
            match acqs.iter_mut().find(|a| a.0 == f.acquisition) {
                Some(a) => a.2.push(&f.name),
                None => acqs.push((f.acquisition, &f.sensor, vec![&f.name])),
            }
        }
        if acqs.is_empty() {
            painter.circle_filled(Pos2::new(x, axis_y - 8.0), 5.0, Color32::GRAY);
        }
        let mut hovered = None;
        for (k, (acq, sensor, names)) in acqs.iter().enumerate() {
            let off = self.disabled.get(*acq).copied().unwrap_or(false);
            let c = if off {
                sensor_color(sensor).gamma_multiply(0.25)
            } else {
                sensor_color(sensor)
            };
            let r = Rect::from_center_size(
                Pos2::new(x, axis_y - 9.0 - 11.0 * k as f32),
                Vec2::new(8.0, 9.0),
            );
            painter.rect_filled(r, 1.0, c);
            if self.pointer.is_some_and(|p| r.expand(2.0).contains(p)) {
                let label = self.labels.get(*acq).cloned().unwrap_or_default();
                hovered = Some((
                    step.index,
                    format!(
                        "{label} ({}){}\nadds {}",
                        sensor_name(sensor),
                        if off { ", switched off" } else { "" },
                        names.join(", ")
                    ),
                ));
            }
        }
        painter.text(
            Pos2::new(x, rect.top() + 1.0),
            Align2::CENTER_TOP,
            format!("{}", step.index),
            FontId::proportional(10.0),
            vis.text_color(),
        );
        hovered
    }
}

/// One checkbox per acquisition (with its sensor colour) to leave its features out of the
/// next training run.
fn acquisition_toggles_ui(
    ui: &mut egui::Ui,
    tl: &Timeline,
    labels: &[String],
    disabled: &[bool],
) -> Option<TimelineAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Acquisitions:");
        for (i, label) in labels.iter().enumerate() {
            let mut on = !disabled.get(i).copied().unwrap_or(false);
            let sensor = tl
                .steps
                .iter()
                .flat_map(|s| &s.added)
                .find(|f| f.acquisition == i)
                .map(|f| f.sensor.clone())
                .unwrap_or_default();
            let (r, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
            ui.painter().rect_filled(r, 2.0, sensor_color(&sensor));
            if ui
                .checkbox(&mut on, label)
                .on_hover_text("Use this acquisition's features in the next training run")
                .changed()
            {
                action = Some(TimelineAction::Toggle(i, on));
            }
        }
    });
    action
}

fn nice_tick(max: f32) -> f32 {
    [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
        .into_iter()
        .find(|t| max / t <= 10.0)
        .unwrap_or(500.0)
}
