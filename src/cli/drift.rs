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
    /// GitHub Actions annotations (`::warning file=…` for outdated files,
    /// `::error` for the rest), paths from the repository root.
    Github,
}

/// Finds the manifest: a URL (fetched), a file, or a directory holding
/// `manifest.json`, `templates/manifest.json` (a built site) or
/// `book/templates/manifest.json` (a built handbook). Without `--manifest`:
/// `book/` when it exists, else the manifest a scanned repository's lock
/// file names.
fn load_manifest(
    arg: Option<&Path>,
    paths: &[PathBuf],
    timeout: std::time::Duration,
) -> Result<Manifest, Failure> {
    let given = match arg {
        Some(p) => p.to_path_buf(),
        None if Path::new("book").exists() => PathBuf::from("book"),
        None => from_locks(paths)?.unwrap_or_else(|| PathBuf::from("book")),
    };
    let shown = given.display().to_string();
    if let Some(url) = given.to_str().filter(|s| crate::lock::is_url(s)) {
        let text = drift::fetch::get(url, timeout)
            .map_err(|e| usage(format!("cannot fetch the manifest {url}: {e}")))?;
        return parse(&text, url);
    }
    let candidates = if given.is_dir() {
        vec![
            given.join("manifest.json"),
            given.join("templates/manifest.json"),
            given.join("book/templates/manifest.json"),
        ]
    } else {
        vec![given.clone()]
    };
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        return Err(usage(format!(
            "no manifest at {shown} (pass --manifest with the published templates/manifest.json URL, or book/templates/manifest.json from a build)"
        )));
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    parse(&text, &path.display().to_string())
}

/// The manifest the lock files of `paths` name, when they agree (a relative
/// path is relative to its repository).
fn from_locks(paths: &[PathBuf]) -> Result<Option<PathBuf>, Failure> {
    let mut found: Vec<PathBuf> = Vec::new();
    for p in paths {
        if let Some(lock) = crate::lock::read(p)? {
            let m = &lock.handbook.manifest;
            let m = if lock.manifest_is_url() {
                PathBuf::from(m)
            } else {
                p.join(m)
            };
            if !found.contains(&m) {
                found.push(m);
            }
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(usage(
            "the repositories' lock files name different manifests: pass --manifest",
        )),
    }
}

fn parse(text: &str, from: &str) -> Result<Manifest, Failure> {
    let manifest: Manifest = serde_json::from_str(text)
        .map_err(|e| usage(format!("{from} is not a govbook manifest: {e}")))?;
    if manifest.schema != SCHEMA {
        return Err(usage(format!(
            "{from}: schema `{}`, expected `{SCHEMA}`",
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
    timeout: u64,
) -> Result<ExitCode, Failure> {
    for p in paths {
        if !p.is_dir() {
            return Err(usage(format!("{} is not a directory", p.display())));
        }
    }
    let today = super::today(cli.today)?;
    let manifest = load_manifest(manifest, paths, std::time::Duration::from_secs(timeout))?;
    let mut report = drift::scan(paths, &manifest);
    report.date = Some(today.to_string());
    match format {
        DriftFormat::Table => {
            if !cli.quiet || !report.all_current() {
                // Paths and details come from repositories: never let them
                // drive the terminal.
                super::out(&crate::text::visible(&drift::table(&report)));
            }
        }
        DriftFormat::Github => super::out(&github(&report)),
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

/// The report as GitHub workflow commands, and the summary line.
fn github(report: &drift::Report) -> String {
    use drift::Status;
    // GitHub's escaping: `%`, CR and LF everywhere, `:` and `,` in properties.
    let data = |s: &str| {
        crate::text::visible(s)
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let file = |repo: &str, path: &str| {
        let p = super::from_git_root(Path::new(repo)).join(path);
        p.to_string_lossy().replace('\\', "/")
    };
    let mut out = String::new();
    for f in report.files.iter().filter(|f| f.status != Status::Current) {
        let level = if f.status == Status::Outdated {
            "warning"
        } else {
            "error"
        };
        let status = serde_json::to_value(f.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut msg = format!(
            "{}: {status}: {}",
            f.artifact.as_deref().unwrap_or("-"),
            f.detail
        );
        for n in &f.notes {
            msg.push_str(&format!("\n{n}"));
        }
        out.push_str(&format!(
            "::{level} file={},line=1,title={}::{}\n",
            prop(&file(&f.repo, &f.path)),
            prop(&format!("govbook drift: {status}")),
            data(&msg)
        ));
    }
    for m in &report.missing {
        out.push_str(&format!(
            "::error title=govbook drift%3A missing::{}\n",
            data(&format!(
                "{}: {} ({}) is not in this repository; `govbook apply` adds it",
                m.repo, m.artifact, m.path
            ))
        ));
    }
    for (p, why) in &report.unreadable {
        out.push_str(&format!(
            "::error title=govbook drift%3A unreadable::{}\n",
            data(&format!("{p}: {why}"))
        ));
    }
    let s = report.summary();
    out.push_str(&format!(
        "govbook drift: {} stamped: {} current, {} outdated, {} modified, {} unknown, {} invalid; {} missing, {} unreadable\n",
        s.stamped, s.current, s.outdated, s.modified, s.unknown, s.invalid, s.missing, s.unreadable
    ));
    out
}
