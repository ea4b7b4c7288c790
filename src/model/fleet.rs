//! The fleet: `govbook drift --format json` reports that each repository's
//! CI uploads, collected into the directory `[fleet] reports` names, read
//! as the Fleet page's data. Reports are untrusted input: each is size-
//! limited, parsed strictly (an error names file, line and column), and
//! only its values reach the page, escaped by the templates.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::BookConfig;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::Sources;
use crate::values::Date;

/// The largest report read; one repository's is a few kilobytes.
pub const MAX_REPORT: u64 = 1024 * 1024;

/// The most reports read.
pub const MAX_REPORTS: usize = 20_000;

/// The verdicts, best first (a repository's status is its worst; the
/// Fleet page's roll-up columns).
pub const STATUSES: [&str; 7] = [
    "current",
    "outdated",
    "modified",
    "unknown",
    "invalid",
    "missing",
    "unreadable",
];

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawReport {
    /// The day the report was made (`YYYY-MM-DD`).
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    locks: Vec<RawLock>,
    files: Vec<RawFinding>,
    missing: Vec<RawMissing>,
    #[serde(default)]
    unreadable: Vec<(String, String)>,
    repositories: u64,
    #[serde(default)]
    summary: Option<serde_json::Value>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLock {
    repo: String,
    team: Option<String>,
    #[serde(default)]
    only: Vec<String>,
    applied: String,
    manifest: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    repo: String,
    path: String,
    artifact: Option<String>,
    team: Option<String>,
    status: RawStatus,
    stamped_version: Option<String>,
    matches_version: Option<String>,
    current_version: String,
    detail: String,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Deserialize, Clone, Copy, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
enum RawStatus {
    Current,
    Outdated,
    Modified,
    Unknown,
    Invalid,
}

impl RawStatus {
    fn name(self) -> &'static str {
        match self {
            RawStatus::Current => "current",
            RawStatus::Outdated => "outdated",
            RawStatus::Modified => "modified",
            RawStatus::Unknown => "unknown",
            RawStatus::Invalid => "invalid",
        }
    }
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMissing {
    repo: String,
    artifact: String,
    path: String,
}

/// The JSON Schema of a drift report, from the type the Fleet page reads
/// it with (`govbook drift --format json` writes it; the editors suite
/// checks the two agree).
pub fn report_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    g.root_schema_for::<RawReport>()
}

/// One artifact in one repository.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactState {
    /// The artifact id (or the file, when the stamp names none).
    pub id: String,
    /// The version its stamp carries, if any.
    pub version: Option<String>,
    /// current, outdated, modified, unknown, invalid or missing.
    pub status: &'static str,
}

/// One repository, as its latest report tells it.
#[derive(Debug, Clone, Serialize)]
pub struct Repo {
    /// Its name: the report's file name for a report of one repository
    /// scanned as `.`, else the path the report gives.
    pub name: String,
    /// Its team: the lock file's, else the stamps'.
    pub team: Option<String>,
    /// The version its lock file says was applied.
    pub applied: Option<String>,
    /// The day of the report.
    pub date: Option<Date>,
    /// The report file, relative to the book.
    pub report: String,
    /// Its worst status.
    pub status: &'static str,
    /// Every artifact, in report order.
    pub artifacts: Vec<ArtifactState>,
}

/// Why a report was refused: the message, and the text with the 1-based
/// line and column when the problem has a place in it.
type ReadError = (String, Option<String>, usize, usize);

/// Reads every report under `[fleet] reports`; none when it is not set.
pub fn load(
    root: &Path,
    config: &BookConfig,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Vec<Repo> {
    let Some(dir) = &config.fleet.reports else {
        return Vec::new();
    };
    let rel = Path::new(dir.get_ref());
    let at = |d: Diagnostic| match config.file {
        Some(f) => d.at_span(f, dir.span()),
        None => d,
    };
    if rel.is_absolute() || crate::text::lexical_path(rel).is_none() {
        diags.push(at(Diagnostic::new(
            Code::OutsideRoot,
            format!(
                "[fleet] reports `{}` is not a directory inside the book",
                rel.display()
            ),
        )));
        return Vec::new();
    }
    let entries = match std::fs::read_dir(root.join(rel)) {
        Ok(e) => e,
        Err(e) => {
            diags.push(at(Diagnostic::new(
                Code::ReadFailed,
                format!("[fleet] reports `{}`: {e}", rel.display()),
            )
            .with_hint("create the directory, and copy each repository's govbook-drift.json into it as NAME.json")));
            return Vec::new();
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    if names.len() > MAX_REPORTS {
        diags.push(at(Diagnostic::new(
            Code::FleetReport,
            format!(
                "[fleet] reports `{}` holds {} reports; govbook reads at most {MAX_REPORTS}",
                rel.display(),
                names.len()
            ),
        )));
        return Vec::new();
    }
    let read: Vec<(String, Result<Vec<Repo>, ReadError>)> = names
        .par_iter()
        .map(|name| {
            let path = rel.join(name);
            let shown = path.to_string_lossy().replace('\\', "/");
            let r = read_one(&root.join(&path), name, &shown);
            (shown, r)
        })
        .collect();
    let mut repos = Vec::new();
    for (shown, r) in read {
        match r {
            Ok(mut rs) => repos.append(&mut rs),
            Err((msg, text, line, col)) => {
                let d = Diagnostic::new(Code::FleetReport, format!("drift report: {msg}"))
                    .with_hint("a report is what `govbook drift --format json` writes");
                diags.push(match text {
                    Some(t) => {
                        let offset = offset_of(&t, line, col);
                        let id = sources.add(&shown, t);
                        d.at_span(id, offset..offset)
                    }
                    None => d.at_path(Path::new(&shown)),
                });
            }
        }
    }
    repos.sort_by(|a, b| a.name.cmp(&b.name));
    repos
}

/// Byte offset of 1-based `line` and `col` in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (start + col.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn read_one(path: &Path, name: &str, shown: &str) -> Result<Vec<Repo>, ReadError> {
    let bytes =
        crate::source::read_regular(path, MAX_REPORT).map_err(|e| (e.to_string(), None, 0, 0))?;
    let text = String::from_utf8(bytes).map_err(|_| ("not UTF-8 text".to_owned(), None, 0, 0))?;
    let raw: RawReport = serde_json::from_str(&text)
        .map_err(|e| (e.to_string(), Some(text.clone()), e.line(), e.column()))?;
    let date = match &raw.date {
        None => None,
        Some(d) => Some(Date::parse(d).ok_or_else(|| {
            let (line, col) = position_of(&text, "\"date\"");
            (
                format!("`date` is {d:?}, not a date (YYYY-MM-DD)"),
                Some(text.clone()),
                line,
                col,
            )
        })?),
    };
    let _ = (raw.repositories, &raw.summary);
    let stem = name.trim_end_matches(".json");
    let repo_names: BTreeSet<&str> = raw
        .files
        .iter()
        .map(|f| f.repo.as_str())
        .chain(raw.missing.iter().map(|m| m.repo.as_str()))
        .chain(raw.locks.iter().map(|l| l.repo.as_str()))
        .collect();
    let single = repo_names.len() <= 1;
    let name_of = |repo: &str| {
        if single || repo == "." {
            stem.to_owned()
        } else {
            format!(
                "{stem}/{}",
                repo.trim_start_matches("./").trim_start_matches('/')
            )
        }
    };
    let mut by_repo: BTreeMap<&str, Repo> = BTreeMap::new();
    let entry = |repo: &str| -> Repo {
        Repo {
            name: name_of(repo),
            team: None,
            applied: None,
            date,
            report: shown.to_owned(),
            status: "current",
            artifacts: Vec::new(),
        }
    };
    for l in &raw.locks {
        let r = by_repo.entry(&l.repo).or_insert_with(|| entry(&l.repo));
        r.team = l.team.clone();
        r.applied = Some(l.applied.clone());
        let _ = (&l.only, &l.manifest);
    }
    for f in &raw.files {
        let r = by_repo.entry(&f.repo).or_insert_with(|| entry(&f.repo));
        if r.team.is_none() {
            r.team = f.team.clone();
        }
        let _ = (&f.matches_version, &f.current_version, &f.detail, &f.notes);
        r.artifacts.push(ArtifactState {
            id: f.artifact.clone().unwrap_or_else(|| f.path.clone()),
            version: f.stamped_version.clone(),
            status: f.status.name(),
        });
    }
    for m in &raw.missing {
        let r = by_repo.entry(&m.repo).or_insert_with(|| entry(&m.repo));
        let _ = &m.path;
        r.artifacts.push(ArtifactState {
            id: m.artifact.clone(),
            version: None,
            status: "missing",
        });
    }
    let mut out: Vec<Repo> = by_repo.into_values().collect();
    if !raw.unreadable.is_empty() && out.is_empty() {
        out.push(entry("."));
    }
    for r in &mut out {
        r.status = worst(r.artifacts.iter().map(|a| a.status));
    }
    if !raw.unreadable.is_empty() {
        for r in &mut out {
            r.status = "unreadable";
        }
    }
    Ok(out)
}

/// The worst of `statuses` ("current" when there are none).
pub fn worst<'a>(statuses: impl Iterator<Item = &'a str>) -> &'static str {
    statuses
        .filter_map(|s| STATUSES.iter().position(|x| *x == s))
        .max()
        .map_or("current", |i| STATUSES[i])
}

/// 1-based line and column of the first `needle` in `text` (1:1 if absent).
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or(0);
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_status_and_offsets() {
        assert_eq!(worst(["current", "outdated"].into_iter()), "outdated");
        assert_eq!(worst(["missing", "modified"].into_iter()), "missing");
        assert_eq!(worst(std::iter::empty()), "current");
        assert_eq!(offset_of("ab\ncd\n", 2, 2), 4);
        assert_eq!(position_of("{\n  \"date\": 1}", "\"date\""), (2, 3));
    }
}
