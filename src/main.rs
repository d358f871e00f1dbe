//! `slidemap`: thin command line over the SlideMap core (parse → core call → exit code).

mod cli;

use anyhow::Result;
use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

/// Exit code after Ctrl-C (128 + SIGINT), as shells expect.
const EXIT_CANCELLED: u8 = 130;

fn main() -> ExitCode {
    let args = Cli::parse();
    slidemap::io::install_gdal_log();
    let outcome = dispatch(args.command);
    for line in slidemap::io::gdal_log_summary() {
        eprintln!("{line}");
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if cli::progress::was_cancelled() {
                ExitCode::from(EXIT_CANCELLED)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn dispatch(cmd: Option<Command>) -> Result<()> {
    match cmd {
        None => default_run(),
        Some(Command::Terrain {
            dem,
            out,
            overwrite,
        }) => cli::terrain::run(&dem, &out, overwrite),
        Some(Command::Features {
            project,
            out,
            overwrite,
        }) => cli::features::run(&project, &out, overwrite),
        Some(Command::Demo { out, seed }) => cli::demo::run(&out, seed).map(|_| ()),
        Some(Command::Run(args)) => cli::run::run(&args),
        Some(Command::Predict(args)) => {
            let command_line: Vec<String> = std::env::args().collect();
            cli::predict::run(&args, &command_line)
        }
        Some(Command::Train(args)) => cli::train::run(&args),
        Some(Command::Init(args)) => cli::init::run(&args),
        Some(Command::AddAcquisitions(args)) => cli::add_acquisitions::run(&args),
        Some(Command::Groundfailure { project, out }) => cli::groundfailure::run(&project, &out),
        Some(Command::Coherence {
            slc1,
            slc2,
            out,
            window,
        }) => {
            cli::check_out_file(&out)?;
            slidemap::coherence::boxcar_coherence_files(&slc1, &slc2, &out, window)?;
            println!("wrote {}", out.display());
            Ok(())
        }
        #[cfg(feature = "gui")]
        Some(Command::Gui {
            projects,
            frame_log,
            scripted_pan_zoom,
            scripted_digitising,
            window_size,
            imagery,
        }) => {
            let demo = projects.is_empty() && imagery.is_empty();
            let projects = if demo {
                cli::demo::cached_projects(&cli::demo_cache_dir())?
            } else {
                projects
            };
            slidemap::gui::run(slidemap::gui::GuiOptions {
                projects,
                frame_log,
                scripted_pan_zoom,
                scripted_digitising,
                state_dir: None,
                window_size,
                imagery,
                demo,
            })
        }
    }
}

/// No verb: the desktop app on the demo (headless build: the feature pipeline on the demo).
fn default_run() -> Result<()> {
    let projects = cli::demo::cached_projects(&cli::demo_cache_dir())?;
    #[cfg(feature = "gui")]
    {
        slidemap::gui::run(slidemap::gui::GuiOptions {
            projects,
            frame_log: None,
            scripted_pan_zoom: false,
            scripted_digitising: false,
            state_dir: None,
            window_size: None,
            imagery: Vec::new(),
            demo: true,
        })
    }
    #[cfg(not(feature = "gui"))]
    {
        for p in &projects {
            let out = p
                .parent()
                .map(|d| d.join("features-out"))
                .unwrap_or_else(|| "features-out".into());
            cli::features::run(p, &out, true)?;
        }
        Ok(())
    }
}
