//! Training helpers of the app: the selected step's map layers (built on a worker), CSV
//! export of the plot numbers, adding a proposed area as a training polygon, and the
//! features of switched-off acquisitions.

use super::{IoDone, Level, SlideMapApp};
use crate::gui::job::JobHandle;
use crate::gui::plots::export::{export_path, plot_csv, write_atomic};
use crate::gui::plots::PlotKind;
use crate::gui::results::{step_layers, swap_model_layers};
use crate::gui::training_job::to_analysis_crs;

impl SlideMapApp {
    pub(super) fn update_step_layers(&mut self, ctx: &egui::Context) {
        if let Some((key, layers)) = self.training.results.poll_layers() {
            if let Some(ev) = self.events.iter_mut().find(|e| e.project_path == key) {
                swap_model_layers(&mut ev.layers, layers, &mut self.next_layer_id);
            }
        }
        let Some(ev) = self.events.get(self.current) else {
            return;
        };
        let (Some(data), Some(k)) = (ev.data.clone(), self.training.results.selected_step) else {
            return;
        };
        let Some(run) = self.training.results.shown() else {
            return;
        };
        let want = (run.id, data.name().to_string(), k);
        if self.training.results.layers_for.as_ref() == Some(&want) {
            return;
        }
        let Some(step) = run.step(data.name(), k).cloned() else {
            return;
        };
        let rings = run.polygons.clone();
        let same_event = run.kind == crate::experiment::ExperimentKind::SameEvent;
        let key = ev.project_path.clone();
        self.training.results.layers_for = Some(want);
        self.training.results.layer_job = Some(JobHandle::spawn("step layers", ctx, move |_w| {
            let polys = if rings.is_empty() {
                Vec::new()
            } else {
                to_analysis_crs(&rings, &data.table.coarse.crs_wkt)?
            };
            step_layers(&data, &step, &polys, same_event).map(|(l, p)| (key, l, p))
        }));
    }

    /// The folder of plot and responder exports, and the current event's name.
    pub(super) fn export_dir(&self) -> Option<(std::path::PathBuf, String)> {
        let ev = self.event()?;
        let dir = ev
            .project_path
            .parent()
            .filter(|d| d.is_dir())?
            .join("slidemap-results");
        Some((dir, ev.name.clone()))
    }

    /// [`Self::export_dir`] for the plots: their file names say which model of a *Both*
    /// run they show.
    pub(super) fn plot_export_dir(&self) -> Option<(std::path::PathBuf, String)> {
        let (dir, event) = self.export_dir()?;
        Some((
            dir,
            format!("{event}{}", self.training.results.shown_model_suffix()),
        ))
    }

    pub(super) fn export_csv(&mut self, kind: PlotKind, ctx: &egui::Context) {
        let (Some((dir, name)), Some(run), Some(ev)) = (
            self.plot_export_dir(),
            self.training.results.shown(),
            self.event(),
        ) else {
            self.message(Level::Warning, "nothing to export yet: train a model first");
            return;
        };
        let csv = plot_csv(kind, &run.event_steps(&ev.name));
        let path = export_path(&dir, &name, kind, "csv");
        self.io_jobs
            .push(JobHandle::spawn("export CSV", ctx, move |_w| {
                write_atomic(&path, csv.as_bytes())
                    .map(|_| IoDone::Message(format!("numbers written to {}", path.display())))
            }));
    }

    /// The selected step (else the last) of the shown run, written for responders by the
    /// core's [`crate::rapid::export_step`] into a new folder under `slidemap-results/`
    /// (never over an earlier export), whole or not at all.
    pub(super) fn export_responders(&mut self, ctx: &egui::Context) {
        let job = self.responder_export_job();
        match job {
            Ok((out, export)) => {
                self.io_jobs
                    .push(JobHandle::spawn("export for responders", ctx, move |_w| {
                        export(&out)
                    }))
            }
            Err(e) => self.message(Level::Warning, e),
        }
    }

    #[allow(clippy::type_complexity)]
    fn responder_export_job(
        &self,
    ) -> Result<
        (
            std::path::PathBuf,
            impl FnOnce(&std::path::Path) -> Result<IoDone, String> + Send + 'static,
        ),
        String,
    > {
        let nothing = "nothing to export yet: train a model first";
        let ev = self.event().ok_or(nothing)?;
        let data = ev.data.clone().ok_or(nothing)?;
        let run = self.training.results.shown().ok_or(nothing)?;
        let steps = run.event_steps(data.name());
        let k = self
            .training
            .results
            .selected_step
            .or_else(|| steps.last().map(|s| s.step))
            .ok_or(nothing)?;
        let step = run
            .step(data.name(), k)
            .filter(|s| s.maps.is_some())
            .cloned()
            .ok_or(format!("step {k} has no map to export yet"))?;
        let opts = run.opts.clone().ok_or(nothing)?;
        let (dir, event) = self.export_dir().ok_or(nothing)?;
        // a Both run's two maps go to folders that say which model made them
        let model = self.training.results.shown_model_suffix();
        let base = format!(
            "{}_responders{model}_step{k}",
            crate::report::file_safe(&event)
        );
        let out = (1..)
            .map(|i| {
                dir.join(if i == 1 {
                    base.clone()
                } else {
                    format!("{base}_{i}")
                })
            })
            .find(|p| !p.exists())
            .ok_or(nothing)?;
        let kind = run.kind;
        let warnings = run.warnings.clone();
        let export = move |out: &std::path::Path| -> Result<IoDone, String> {
            let result = crate::rapid::single_step_result(kind, &data, step, warnings);
            let x = crate::rapid::StepExport {
                event: &data,
                result: &result,
                opts: &opts,
                step: k,
                action: "SlideMap window: Export for responders".into(),
                created_utc: crate::rapid::iso_utc(std::time::SystemTime::now()),
            };
            let od = crate::io::OutDir::prepare(out, false).map_err(|e| format!("{e:#}"))?;
            let cancel = std::sync::atomic::AtomicBool::new(false);
            let files = crate::rapid::export_step(&x, od.path(), &cancel, &mut |_, _| {})
                .map_err(|e| format!("{e:#}"))?;
            let done = od.commit().map_err(|e| format!("{e:#}"))?;
            Ok(IoDone::Message(format!(
                "{} file(s) for responders (map, uncertainty, mask as COG + .qml, latest.kmz, provenance.json) in {}",
                files.len(),
                done.display()
            )))
        };
        Ok((out, export))
    }

    pub(super) fn add_proposal(&mut self, i: usize, ctx: &egui::Context) {
        let (Some(p), Some(ev)) = (
            self.training.results.proposals.get(i).cloned(),
            self.event(),
        ) else {
            return;
        };
        let crs = ev
            .data
            .as_ref()
            .map(|d| d.table.coarse.crs_wkt.clone())
            .unwrap_or_default();
        let key = ev.project_path.clone();
        self.io_jobs
            .push(JobHandle::spawn("add proposed area", ctx, move |_w| {
                let mut ring: Vec<[f64; 2]> =
                    p.polygon.exterior[..p.polygon.exterior.len().saturating_sub(1)].to_vec();
                let wgs = crate::io::wgs84_wkt().map_err(|e| format!("{e:#}"))?;
                if !crs.trim().is_empty() {
                    crate::io::transform_points(
                        &mut ring,
                        &crs,
                        &wgs,
                        std::path::Path::new("proposed area"),
                    )
                    .map_err(|e| format!("{e:#}"))?;
                }
                let poly = crate::gui::drawing::DrawnPolygon {
                    id: 0,
                    label: format!("proposed area {}", i + 1),
                    lon_lat: ring,
                    kind: crate::gui::drawing::PolygonKind::MappedArea,
                };
                Ok(IoDone::Polygons(
                    key,
                    crate::gui::drawing::io::Loaded {
                        polygons: vec![poly],
                        notes: Vec::new(),
                    },
                ))
            }));
    }
}

/// Feature columns of switched-off acquisitions.
pub(super) fn excluded_features(
    project: Option<&crate::project::Project>,
    disabled: &[bool],
) -> Vec<String> {
    let Some(p) = project else { return Vec::new() };
    let tl = crate::coherence::Timeline::from_project(p);
    tl.steps
        .iter()
        .flat_map(|s| &s.added)
        .filter(|f| disabled.get(f.acquisition).copied().unwrap_or(false))
        .map(|f| f.name.clone())
        .collect()
}
