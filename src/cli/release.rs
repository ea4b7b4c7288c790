//! `govbook release`.

use std::path::Path;
use std::process::ExitCode;

use super::Cli;
use crate::check::CheckOptions;
use crate::diag::Code;
use crate::failure::{Failure, failed};
use crate::pipeline;
use crate::templates::manifest;

const HEADER: &str = "#:schema ../../schemas/releases.json\n\
# The release ledger, written by `govbook release`: each release records the sha256\n\
# of every artifact's managed text, so a handbook version means one text. `govbook\n\
# check` fails when an artifact changes without a version bump. Do not edit by hand.\n";

/// Records the current artifact hashes under `[book] version`.
pub(super) fn run(cli: &Cli, dir: &Path, notes: Option<&str>) -> Result<ExitCode, Failure> {
    let today = super::today(cli.today)?;
    let checked = pipeline::check(
        dir,
        &CheckOptions {
            today,
            strict: false,
        },
    );
    let codes = super::print_errors(&checked)?;
    if !codes.is_empty() {
        if codes.contains(&Code::ArtifactChanged) {
            eprintln!(
                "govbook release: this version is already released with other text; bump [book] version first"
            );
        } else {
            eprintln!("govbook release: fix the errors above first; nothing was recorded");
        }
        return Ok(ExitCode::FAILURE);
    }
    let model = &checked.model;
    let Some(g) = &model.governance else {
        return Err(failed(
            "a release needs a governance book (content/governance/)",
        ));
    };
    let Some(version) = model
        .config
        .book
        .version
        .as_ref()
        .map(|v| v.get_ref().to_string())
    else {
        return Err(failed("book.toml has no [book] version"));
    };
    let released = g.releases.as_ref().is_some_and(|r| {
        r.value
            .release
            .iter()
            .any(|r| r.get_ref().version.get_ref().to_string() == version)
    });
    if released {
        eprintln!(
            "govbook release: {version} is already recorded with exactly this text; nothing to do"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let notes = notes.map_or_else(|| format!("Release {version}."), str::to_owned);
    let entry = manifest::ledger_entry(&version, today, &notes, &checked.artifacts)?;
    let count: usize = checked.artifacts.iter().map(|s| s.artifacts.len()).sum();
    let src = model.config.src_dir(dir);
    let path = dir.join(&src).join("governance/releases.toml");
    let existing = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => HEADER.to_owned(),
        Err(e) => return Err(failed(format!("cannot read {}: {e}", path.display()))),
    };
    let mut text = existing;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&entry);
    crate::output::write_file_atomic(&path, text.as_bytes())?;
    if !cli.quiet {
        eprintln!(
            "govbook release: recorded {version} ({count} artifacts) in {}",
            path.strip_prefix(dir).unwrap_or(&path).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
