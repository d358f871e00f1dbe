//! File → New event…: a form for a new event's files (the same core calls as `slidemap
//! init`). Every file is checked on a worker thread as soon as it is chosen (opens, CRS,
//! overlaps the DEM, plausible values) and each problem is shown under its field; the
//! lithology's class field is picked from the layer's fields; a coherence folder's
//! acquisitions are reviewed and corrected in [`super::acquisition_review`]. "Create and open" saves the project (paths relative
//! to it) and opens it.

use super::acquisition_review::acquisition_review_ui;
use super::app::Command;
use super::job::{JobEvent, JobHandle};
use crate::project::{
    check_new_event, create_project, FolderScan, GroundFailureSource, NewEventCheck, NewEventForm,
};
use chrono::NaiveDate;
use crossbeam_channel::{bounded, Receiver};
use std::path::PathBuf;
use std::time::Duration;

/// A file (or folder) field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Digital elevation model.
    Dem,
    /// ShakeMap grid.xml or PGV raster.
    Pgv,
    /// Lithology raster or polygons.
    Lithology,
    /// Land cover raster.
    LandCover,
    /// Ground-failure product raster.
    GroundFailure,
    /// Landslide inventory.
    Inventory,
    /// Where the inventory is complete.
    MappedExtent,
    /// The area to map.
    StudyArea,
    /// Folder of coherence files.
    Coherence,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 9] = [
        Field::Dem,
        Field::Pgv,
        Field::Lithology,
        Field::LandCover,
        Field::GroundFailure,
        Field::Inventory,
        Field::MappedExtent,
        Field::StudyArea,
        Field::Coherence,
    ];

    /// Label shown (and used by accessibility and tests).
    pub fn label(self) -> &'static str {
        match self {
            Field::Dem => "DEM (required)",
            Field::Pgv => "PGV (ShakeMap grid.xml or raster, cm/s)",
            Field::Lithology => "Lithology (raster or polygons)",
            Field::LandCover => "Land cover (raster)",
            Field::GroundFailure => "Ground-failure product (raster)",
            Field::Inventory => "Landslide inventory (optional)",
            Field::MappedExtent => "Mapped extent (optional)",
            Field::StudyArea => "Study area (optional; default: the DEM's extent)",
            Field::Coherence => "Coherence folder (LiCSAR, LiCSBAS or dated files)",
        }
    }

    /// The name the core gives this field's problems (the `slidemap init` flag).
    fn key(self) -> &'static str {
        match self {
            Field::Dem => "dem",
            Field::Pgv => "pgv",
            Field::Lithology => "lithology",
            Field::LandCover => "land-cover",
            Field::GroundFailure => "ground-failure",
            Field::Inventory => "inventory",
            Field::MappedExtent => "mapped-extent",
            Field::StudyArea => "study-area",
            Field::Coherence => "coherence",
        }
    }

    fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// What the worker did.
enum Outcome {
    Checked(Box<NewEventCheck>),
    Created(PathBuf),
}

/// The New event window (hidden until opened).
#[derive(Default)]
pub struct NewEventWindow {
    state: Option<FormState>,
}

/// The form's contents.
#[derive(Default)]
pub struct FormState {
    /// Event name.
    pub name: String,
    /// Event date, YYYY-MM-DD.
    pub date: String,
    /// Epicentre "lon, lat" (optional).
    pub epicentre: String,
    /// Path per [`Field`] (index = position in [`Field::ALL`]).
    pub paths: [String; 9],
    /// The lithology polygons' class field.
    pub lithology_field: String,
    /// Use the built-in Nowicki Jessee (2018) model instead of a product raster.
    pub ground_failure_model: bool,
    /// Project file to write.
    pub out: String,
    check: Option<NewEventCheck>,
    /// The coherence folder's acquisitions as the user reviews them (answers, edits).
    pub review: Option<FolderScan>,
    /// The coherence folder `review` was read from.
    review_dir: String,
    /// Problems found before the core is asked (date, epicentre, output path).
    local: Vec<(&'static str, String)>,
    failed: Option<String>,
    job: Option<JobHandle<(), Outcome>>,
    /// Checked again once the running check ends (a field changed meanwhile).
    recheck: bool,
    /// The user pressed Check files or Create and open (every problem is shown).
    explicit: bool,
    browse: Option<(Field, Receiver<Option<PathBuf>>)>,
}

impl FormState {
    /// The path of `field` (empty when not given).
    pub fn path(&mut self, field: Field) -> &mut String {
        &mut self.paths[field.index()]
    }

    fn given(&self, field: Field) -> Option<PathBuf> {
        let t = self.paths[field.index()].trim();
        (!t.is_empty()).then(|| PathBuf::from(t))
    }

    /// The core's form, or the problems that stop it being built.
    fn form(&self) -> Result<NewEventForm, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let date = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .map_err(|_| {
                problems.push((
                    "date",
                    format!("{:?} is not a date: give YYYY-MM-DD", self.date.trim()),
                ))
            })
            .ok();
        let epicentre = if self.epicentre.trim().is_empty() {
            None
        } else {
            let v: Vec<Option<f64>> = self
                .epicentre
                .split(',')
                .map(|x| x.trim().parse::<f64>().ok())
                .collect();
            match v.as_slice() {
                [Some(lon), Some(lat)] if lon.abs() <= 180.0 && lat.abs() <= 90.0 => {
                    Some([*lon, *lat])
                }
                _ => {
                    problems.push((
                        "epicentre",
                        "give longitude, latitude in degrees, e.g. 84.73, 28.23".into(),
                    ));
                    None
                }
            }
        };
        let Some(date) = date else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let field = self.lithology_field.trim();
        Ok(NewEventForm {
            name: self.name.clone(),
            date,
            epicentre_lonlat: epicentre,
            dem: self.given(Field::Dem),
            pgv: self.given(Field::Pgv),
            lithology: self.given(Field::Lithology),
            lithology_field: (!field.is_empty()).then(|| field.to_string()),
            land_cover: self.given(Field::LandCover),
            ground_failure: if self.ground_failure_model {
                Some(GroundFailureSource::Model)
            } else {
                self.given(Field::GroundFailure)
                    .map(GroundFailureSource::Product)
            },
            inventory: self.given(Field::Inventory),
            mapped_extent: self.given(Field::MappedExtent),
            study_area: self.given(Field::StudyArea),
            coherence_dir: self.given(Field::Coherence),
            reviewed_coherence: self.review.clone(),
        })
    }

    /// True when the field of `key` is still empty (its "required" problem waits until the
    /// user asks for a check, so a half-filled form is not covered in red).
    fn untouched(&self, key: &str) -> bool {
        match key {
            "name" => self.name.trim().is_empty(),
            "dem" => self.paths[Field::Dem.index()].trim().is_empty(),
            _ => false,
        }
    }

    /// Problems for one field key, local ones first.
    fn problems_of(&self, key: &str) -> Vec<String> {
        if !self.explicit && self.untouched(key) {
            return Vec::new();
        }
        let mut out: Vec<String> = self
            .local
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, m)| m.clone())
            .collect();
        if let Some(c) = &self.check {
            out.extend(
                c.problems
                    .iter()
                    .filter(|p| p.field == key)
                    .map(|p| p.message.clone()),
            );
        }
        out
    }

    /// Start a check (or, with `create`, check and save) on a worker thread.
    fn start(&mut self, ctx: &egui::Context, create: bool) {
        if self.job.as_ref().is_some_and(|j| !j.finished) {
            self.recheck = true;
            return;
        }
        self.failed = None;
        let dir = self.paths[Field::Coherence.index()].trim().to_string();
        if dir != self.review_dir {
            self.review = None;
            self.review_dir = dir;
        }
        let form = match self.form() {
            Ok(f) => {
                self.local.clear();
                f
            }
            Err(problems) => {
                self.local = problems;
                return;
            }
        };
        let out = PathBuf::from(self.out.trim());
        if create && self.out.trim().is_empty() {
            self.local
                .push(("out", "choose where to save the project (.toml)".into()));
            return;
        }
        self.job = Some(JobHandle::spawn("new event", ctx, move |_w| {
            if create {
                // problems go under their fields, not into one message
                let check = check_new_event(&form);
                if !check.problems.is_empty() {
                    return Ok(Outcome::Checked(Box::new(check)));
                }
                create_project(&form, &out, false)
                    .map(|(p, _)| Outcome::Created(p.path))
                    .map_err(|e| e.to_string())
            } else {
                Ok(Outcome::Checked(Box::new(check_new_event(&form))))
            }
        }));
    }
}

impl NewEventWindow {
    /// Show the form (empty, dated today unless already open).
    pub fn open(&mut self) {
        if self.state.is_none() {
            self.state = Some(FormState {
                date: today().map(|d| d.to_string()).unwrap_or_default(),
                ..Default::default()
            });
        }
    }

    /// True while the form is shown.
    pub fn is_open(&self) -> bool {
        self.state.is_some()
    }

    /// True while a check or a save runs.
    pub fn busy(&self) -> bool {
        self.state
            .as_ref()
            .is_some_and(|s| s.job.as_ref().is_some_and(|j| !j.finished) || s.browse.is_some())
    }

    /// What the last check found.
    pub fn last_check(&self) -> Option<&NewEventCheck> {
        self.state.as_ref().and_then(|s| s.check.as_ref())
    }

    /// The form's contents, for scripts and tests to fill.
    pub fn state_mut(&mut self) -> Option<&mut FormState> {
        self.state.as_mut()
    }

    /// Show the window; returns the command to open the project once it is saved.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Command> {
        let st = self.state.as_mut()?;
        let mut result = None;
        if let Some(job) = st.job.as_mut() {
            for ev in job.drain(Duration::from_millis(5)) {
                match ev {
                    JobEvent::Done(Outcome::Checked(c)) => {
                        let stale = st.review.as_ref().map(|r| r.event_date)
                            != c.coherence.as_ref().map(|r| r.event_date);
                        if stale {
                            st.review = c.coherence.clone();
                        }
                        st.check = Some(*c);
                    }
                    JobEvent::Done(Outcome::Created(path)) => {
                        result = Some(Command::OpenProject(path))
                    }
                    JobEvent::Failed(e) => st.failed = Some(e),
                    JobEvent::Progress(..) | JobEvent::Partial(()) => {}
                }
            }
        }
        if st.recheck && st.job.as_ref().is_none_or(|j| j.finished) {
            st.recheck = false;
            st.start(ctx, false);
        }
        if let Some((field, rx)) = &st.browse {
            if let Ok(r) = rx.try_recv() {
                if let Some(p) = r {
                    st.paths[field.index()] = p.display().to_string();
                    st.start(ctx, false);
                }
                st.browse = None;
            }
        }
        let mut close = false;
        egui::Window::new("New event")
            .collapsible(false)
            .resizable(true)
            .default_size([660.0, 760.0])
            .show(ctx, |ui| {
                let mut changed = false;
                // the fields scroll; the check summary and the buttons below stay in view
                let reserved = 70.0
                    + 22.0
                        * st.check
                            .as_ref()
                            .map_or(0.0, |c| (c.notes.len() + c.problems.len().max(1)) as f32);
                egui::ScrollArea::vertical()
                    .max_height((ui.available_height() - reserved).max(160.0))
                    .auto_shrink([false, true])
                    .show(ui, |ui| changed = form_ui(ui, st));
                ui.separator();
                close = buttons_ui(ui, st, &mut changed);
                if changed {
                    st.start(ctx, false);
                }
            });
        if result.is_some() || close {
            self.state = None;
        }
        result
    }
}

/// Today's date (UTC) from the system clock.
fn today() -> Option<NaiveDate> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    chrono::DateTime::from_timestamp(i64::try_from(secs).ok()?, 0).map(|t| t.date_naive())
}

/// The form's fields; true when one changed (a file chosen, a field left).
fn form_ui(ui: &mut egui::Ui, st: &mut FormState) -> bool {
    let warn = ui.visuals().error_fg_color;
    let mut changed = event_fields_ui(ui, st, warn);
    ui.separator();
    changed |= input_fields_ui(ui, st, warn);
    ui.separator();
    if let Some(scan) = st.review.as_mut() {
        changed |= acquisition_review_ui(ui, "new-event", scan, &[]);
    }
    ui.horizontal(|ui| {
        let l = ui.add_sized([90.0, 18.0], egui::Label::new("Save as"));
        ui.add(
            egui::TextEdit::singleline(&mut st.out)
                .desired_width(420.0)
                .hint_text("/path/to/event.toml"),
        )
        .labelled_by(l.id);
    });
    problems_ui(ui, st, "out", warn);
    if let Some(e) = &st.failed {
        ui.colored_label(warn, e);
    }
    changed
}

/// The problems found for the field `key`, in the warning colour.
fn problems_ui(ui: &mut egui::Ui, st: &FormState, key: &str, warn: egui::Color32) {
    for p in st.problems_of(key) {
        ui.colored_label(warn, p);
    }
}

/// Name, date and epicentre; true when one was left.
fn event_fields_ui(ui: &mut egui::Ui, st: &mut FormState, warn: egui::Color32) -> bool {
    let mut changed = false;
    for (k, (label, key, hint)) in [
        ("Name", "name", "e.g. Lombok, 5 August 2018"),
        ("Date", "date", "YYYY-MM-DD"),
        (
            "Epicentre",
            "epicentre",
            "lon, lat (optional; read from a ShakeMap)",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let text = match k {
            0 => &mut st.name,
            1 => &mut st.date,
            _ => &mut st.epicentre,
        };
        ui.horizontal(|ui| {
            let l = ui.add_sized([90.0, 18.0], egui::Label::new(label));
            let r = ui
                .add(
                    egui::TextEdit::singleline(text)
                        .desired_width(420.0)
                        .hint_text(hint),
                )
                .labelled_by(l.id);
            changed |= r.lost_focus();
        });
        problems_ui(ui, st, key, warn);
    }
    changed
}

/// The input files in `Field::ALL` order (with the ground-failure choice and the lithology
/// options); true when one changed.
fn input_fields_ui(ui: &mut egui::Ui, st: &mut FormState, warn: egui::Color32) -> bool {
    let mut changed = false;
    for field in Field::ALL {
        if field == Field::GroundFailure {
            ui.horizontal(|ui| {
                ui.label("Ground failure:");
                ui.radio_value(&mut st.ground_failure_model, false, "product raster");
                if ui
                    .radio_value(
                        &mut st.ground_failure_model,
                        true,
                        "built-in model (Nowicki Jessee 2018)",
                    )
                    .changed()
                {
                    changed = true;
                }
            });
            if st.ground_failure_model {
                problems_ui(ui, st, field.key(), warn);
                continue;
            }
        }
        changed |= path_field_ui(ui, st, field);
        problems_ui(ui, st, field.key(), warn);
        if field == Field::Lithology {
            lithology_field_ui(ui, st, &mut changed);
        }
    }
    changed
}

/// One input path: its label, the path text and "Browse…" (starts a file/folder picker);
/// true when the text was left.
fn path_field_ui(ui: &mut egui::Ui, st: &mut FormState, field: Field) -> bool {
    let ctx = ui.ctx().clone();
    let mut changed = false;
    let l = ui.label(field.label());
    ui.horizontal(|ui| {
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut st.paths[field.index()])
                    .desired_width(480.0)
                    .hint_text(if field == Field::Coherence {
                        "/path/to/folder"
                    } else {
                        "/path/to/file"
                    }),
            )
            .labelled_by(l.id);
        changed |= r.lost_focus();
        let browsing = st.browse.is_some();
        if ui
            .add_enabled(!browsing, egui::Button::new("Browse…"))
            .on_hover_text(field.label())
            .clicked()
        {
            st.browse = Some((field, spawn_pick(&ctx, field == Field::Coherence)));
        }
    });
    changed
}

/// Check / Create and open / Cancel (below the scrolled fields, always visible); true when
/// the user cancels.
fn buttons_ui(ui: &mut egui::Ui, st: &mut FormState, changed: &mut bool) -> bool {
    let ctx = ui.ctx().clone();
    // what the last check found, where it is always visible
    if let Some(c) = &st.check {
        for n in &c.notes {
            ui.label(n);
        }
        let warn = ui.visuals().error_fg_color;
        if c.problems.is_empty() && st.local.is_empty() {
            ui.label("Files checked: no problem found.");
        }
        for p in c
            .problems
            .iter()
            .filter(|p| st.explicit || !st.untouched(p.field))
        {
            ui.colored_label(warn, format!("{}: {}", p.field, p.message));
        }
    }
    let mut cancel = false;
    ui.horizontal(|ui| {
        let running = st.job.as_ref().is_some_and(|j| !j.finished);
        if ui
            .add_enabled(!running, egui::Button::new("Check files"))
            .clicked()
        {
            st.explicit = true;
            *changed = true;
        }
        if ui
            .add_enabled(!running, egui::Button::new("Create and open"))
            .clicked()
        {
            st.explicit = true;
            st.start(&ctx, true);
        }
        if running {
            ui.spinner();
            ui.label("checking…");
        }
        if ui.button("Cancel").clicked() {
            cancel = true;
        }
    });
    cancel
}

/// The lithology class field: a list of the layer's fields once it has been read.
fn lithology_field_ui(ui: &mut egui::Ui, st: &mut FormState, changed: &mut bool) {
    let fields = st
        .check
        .as_ref()
        .map(|c| c.lithology_fields.clone())
        .unwrap_or_default();
    if fields.is_empty() {
        return;
    }
    ui.horizontal(|ui| {
        ui.label("Class field:");
        let shown = if st.lithology_field.is_empty() {
            "choose…".to_string()
        } else {
            st.lithology_field.clone()
        };
        egui::ComboBox::from_id_salt("lithology-field")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for f in fields {
                    if ui
                        .selectable_value(&mut st.lithology_field, f.clone(), f)
                        .changed()
                    {
                        *changed = true;
                    }
                }
            });
    });
    let warn = ui.visuals().error_fg_color;
    for p in st.problems_of("lithology-field") {
        ui.colored_label(warn, p);
    }
}

/// The system dialog for a file (or a folder) on its own thread.
fn spawn_pick(ctx: &egui::Context, folder: bool) -> Receiver<Option<PathBuf>> {
    let (tx, rx) = bounded(1);
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("slidemap-file-dialog".into())
        .spawn(move || {
            let d = rfd::FileDialog::new();
            let r = if folder {
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
    fn a_bad_date_or_epicentre_is_a_problem_of_its_field() {
        let st = FormState {
            date: "2018-13-40".into(),
            ..Default::default()
        };
        let e = st.form().unwrap_err();
        assert_eq!(e[0].0, "date");
        let st = FormState {
            date: "2018-08-05".into(),
            epicentre: "116.4, 95".into(),
            ..Default::default()
        };
        assert_eq!(st.form().unwrap_err()[0].0, "epicentre");
        let mut st = FormState {
            date: "2018-08-05".into(),
            epicentre: "116.4, -8.3".into(),
            ground_failure_model: true,
            ..Default::default()
        };
        *st.path(Field::Dem) = " /data/dem.tif ".into();
        let f = st.form().unwrap();
        assert_eq!(f.epicentre_lonlat, Some([116.4, -8.3]));
        assert_eq!(f.dem, Some(PathBuf::from("/data/dem.tif")));
        assert_eq!(f.ground_failure, Some(GroundFailureSource::Model));
        assert_eq!(f.pgv, None);
    }

    #[test]
    fn every_core_field_name_has_a_form_field() {
        let keys: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
        for k in [
            "dem",
            "pgv",
            "lithology",
            "land-cover",
            "ground-failure",
            "inventory",
            "mapped-extent",
            "study-area",
            "coherence",
        ] {
            assert!(keys.contains(&k), "{k}");
        }
    }
}
