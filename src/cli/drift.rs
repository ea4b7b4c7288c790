//! `govbook drift`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Cli;
use crate::drift;
use crate::failure::{Failure, failed, usage};
use crate::templates::manifest::{Manifest, SCHEMA};

/// Output format of `drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DriftFormat {
    /// An aligned table and a summary line.
    Table,
    /// One JSON document.
    Json,
}

/// Finds the manifest: a file, or a directory holding `manifest.json` or
/// `templates/manifest.json` (a built site); default `book/`.
fn load_manifest(arg: Option<&Path>) -> Result<Manifest, Failure> {
    let given = arg
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("book"));
    let candidates = if given.is_dir() {
        vec![
            given.join("manifest.json"),
            given.join("templates/manifest.json"),
        ]
    } else {
        vec![given.clone()]
    };
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        return Err(usage(format!(
            "no manifest at {} (pass --manifest book/templates/manifest.json from a build)",
            given.display()
        )));
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| usage(format!("{} is not a govbook manifest: {e}", path.display())))?;
    if manifest.schema != SCHEMA {
        return Err(usage(format!(
            "{}: schema `{}`, expected `{SCHEMA}`",
            path.display(),
            manifest.schema
        )));
    }
    Ok(manifest)
}

/// Reports every stamped file under `paths`.
pub(super) fn run(
    cli: &Cli,
    paths: &[PathBuf],
    manifest: Option<&Path>,
    format: DriftFormat,
) -> Result<ExitCode, Failure> {
    let manifest = load_manifest(manifest)?;
    for p in paths {
        if !p.is_dir() {
            return Err(usage(format!("{} is not a directory", p.display())));
        }
    }
    let report = drift::scan(paths, &manifest);
    match format {
        DriftFormat::Table => {
            if !cli.quiet || !report.all_current() {
                // Paths and details come from repositories: never let them
                // drive the terminal.
                super::out(&crate::text::visible(&drift::table(&report)));
            }
        }
        DriftFormat::Json => {
            let json = drift::JsonReport {
                report: &report,
                summary: report.summary(),
            };
            // Through a value: its keys come out sorted, as they always have.
            let value = serde_json::to_value(&json).map_err(|e| failed(e.to_string()))?;
            let json = serde_json::to_string_pretty(&value).map_err(|e| failed(e.to_string()))?;
            super::out(&(json + "\n"));
        }
    }
    Ok(if report.all_current() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
