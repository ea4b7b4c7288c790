//! `govbook drift`: which repositories carry current, outdated or edited
//! copies of the artifacts, from the files and the manifest alone.
//!
//! The walk skips `.git`, `target` and `node_modules`, honours
//! `.gitignore`, never follows symbolic links (so a link loop cannot trap
//! it), and reads only files that mention `govbook:`.

pub mod fetch;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::stamp::{self, Stamp, Syntax};
use crate::templates::manifest::Manifest;

/// The verdict for one stamped region (or damaged file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The managed text is the current text.
    Current,
    /// The managed text is an older released text.
    Outdated,
    /// The managed text matches no released text: edited locally.
    Modified,
    /// The artifact or its version is not in the manifest.
    Unknown,
    /// The file's stamp cannot be read (damaged markers, bad JSON).
    Invalid,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The repository the file belongs to.
    pub repo: String,
    /// The file, relative to the repository.
    pub path: String,
    /// Artifact id, when the stamp names one.
    pub artifact: Option<String>,
    /// Team variant.
    pub team: Option<String>,
    /// The verdict.
    pub status: Status,
    /// The version the stamp claims.
    pub stamped_version: Option<String>,
    /// The released version whose text the file carries, if any.
    pub matches_version: Option<String>,
    /// The manifest's current version.
    pub current_version: String,
    /// What to know, in one line.
    pub detail: String,
    /// Release notes of the versions between the file's and the current one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// An artifact a repository does not have.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    /// The repository that lacks it.
    pub repo: String,
    /// The artifact id.
    pub artifact: String,
    /// Where the manifest puts it in a repository.
    pub path: String,
}

/// What a repository's lock file says it follows.
#[derive(Debug, Clone, Serialize)]
pub struct Followed {
    /// The repository.
    pub repo: String,
    /// The team whose variant set it carries.
    pub team: Option<String>,
    /// The artifacts chosen with `--only` (all when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
    /// The handbook version last applied.
    pub applied: String,
    /// Where its handbook's manifest is published.
    pub manifest: String,
}

/// The whole report.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// The day the report was made (`YYYY-MM-DD`), for its age on the Fleet page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Each repository with a lock file, and what it follows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<Followed>,
    /// Every stamped region (or damaged file) found, in scan order.
    pub files: Vec<Finding>,
    /// Artifacts a repository does not have.
    pub missing: Vec<Missing>,
    /// Files that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
    /// How many repositories were scanned.
    pub repositories: usize,
}

/// The counts of a report, as the table's last line and the JSON's
/// `summary` give them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Summary {
    /// Repositories scanned.
    pub repositories: usize,
    /// Stamped files found.
    pub stamped: usize,
    /// Of those: current.
    pub current: usize,
    /// Outdated.
    pub outdated: usize,
    /// Modified.
    pub modified: usize,
    /// Unknown.
    pub unknown: usize,
    /// Invalid.
    pub invalid: usize,
    /// Artifacts missing from a repository.
    pub missing: usize,
    /// Files that could not be read.
    pub unreadable: usize,
}

/// The report as `drift --format json` writes it: the report and its counts,
/// so a CI job needs no arithmetic.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// The report.
    #[serde(flatten)]
    pub report: &'a Report,
    /// Its counts.
    pub summary: Summary,
}

impl Report {
    /// Its counts.
    pub fn summary(&self) -> Summary {
        let count = |s: Status| self.files.iter().filter(|f| f.status == s).count();
        Summary {
            repositories: self.repositories,
            stamped: self.files.len(),
            current: count(Status::Current),
            outdated: count(Status::Outdated),
            modified: count(Status::Modified),
            unknown: count(Status::Unknown),
            invalid: count(Status::Invalid),
            missing: self.missing.len(),
            unreadable: self.unreadable.len(),
        }
    }

    /// Whether every file is current and nothing is missing or unreadable.
    pub fn all_current(&self) -> bool {
        self.files.iter().all(|f| f.status == Status::Current)
            && self.missing.is_empty()
            && self.unreadable.is_empty()
    }
}

/// The largest file drift reads; artifacts are far smaller.
const MAX_FILE: u64 = 8 * 1024 * 1024;

/// Whether `dir` is a repository's root: it holds `.git`, or a lock file
/// (a copy without git history is still a repository that follows a handbook).
fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists() || dir.join(crate::lock::FILE).is_file()
}

/// The repositories under `path`: itself if it is one (or has no
/// repository below it), otherwise every directory below that is one.
fn repositories(path: &Path) -> Vec<PathBuf> {
    if is_repository(path) {
        return vec![path.to_path_buf()];
    }
    let mut repos = Vec::new();
    let mut it = walkdir::WalkDir::new(path)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.file_type().is_dir()
                && !matches!(
                    e.file_name().to_str(),
                    Some(".git" | "node_modules" | "target")
                )
        });
    while let Some(entry) = it.next() {
        let Ok(e) = entry else { continue };
        if e.depth() > 0 && is_repository(e.path()) {
            repos.push(e.path().to_path_buf());
            it.skip_current_dir();
        }
    }
    if repos.is_empty() {
        repos.push(path.to_path_buf());
    }
    repos
}

/// Scans `paths` against `manifest`.
pub fn scan(paths: &[PathBuf], manifest: &Manifest) -> Report {
    let mut report = Report::default();
    for root in paths {
        let repos = repositories(root);
        for repo in &repos {
            report.repositories += 1;
            scan_repo(repo, manifest, &mut report, &[]);
        }
        // Stamped files below `root` outside every repository are reported
        // too (as found, with nothing expected of them), never skipped.
        if repos.first() != Some(root) {
            scan_repo(root, manifest, &mut report, &repos);
        }
    }
    report
}

/// The artifacts a repository is expected to carry: those its lock file
/// chose with `--only`, less those its team's variant set leaves out.
fn expected<'m>(
    manifest: &'m Manifest,
    lock: Option<&crate::lock::Lock>,
) -> Vec<(&'m String, &'m crate::templates::manifest::Entry)> {
    let team = lock.and_then(|l| l.team.as_deref());
    // A team with a variant set has an entry under `teams` of each artifact
    // in its set; a team without one gets the default set.
    let has_variants =
        team.is_some_and(|t| manifest.artifacts.values().any(|e| e.teams.contains_key(t)));
    manifest
        .artifacts
        .iter()
        .filter(|(id, _)| lock.is_none_or(|l| l.only.is_empty() || l.only.contains(id)))
        .filter(|(_, e)| !has_variants || team.is_some_and(|t| e.teams.contains_key(t)))
        .collect()
}

/// Scans one repository. With `outside` non-empty, `repo` is a directory
/// holding those repositories: they are skipped, and nothing is missing.
fn scan_repo(repo: &Path, manifest: &Manifest, report: &mut Report, outside: &[PathBuf]) {
    let repo_name = repo.display().to_string();
    let lock = if outside.is_empty() {
        match crate::lock::read(repo) {
            Ok(l) => l,
            Err(e) => {
                report
                    .unreadable
                    .push((format!("{repo_name}/{}", crate::lock::FILE), e.to_string()));
                None
            }
        }
    } else {
        None
    };
    if let Some(l) = &lock {
        report.locks.push(Followed {
            repo: repo_name.clone(),
            team: l.team.clone(),
            only: l.only.clone(),
            applied: l.version.clone(),
            manifest: l.handbook.manifest.clone(),
        });
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let skip: Vec<PathBuf> = outside.to_vec();
    let walker = ignore::WalkBuilder::new(repo)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .git_global(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            !matches!(
                e.file_name().to_str(),
                Some(".git" | "target" | "node_modules")
            ) && !skip.iter().any(|s| s == e.path())
        })
        .build();
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => report.unreadable.push((repo_name.clone(), e.to_string())),
        }
    }
    // Reads one stamped file and records what it is.
    let record = |path: &Path,
                  rel: &str,
                  format: Syntax,
                  report: &mut Report,
                  seen: &mut BTreeSet<String>| {
        let text = match read(path) {
            Ok(Some(t)) => t,
            Ok(None) => return,
            Err(e) => {
                report.unreadable.push((format!("{repo_name}/{rel}"), e));
                return;
            }
        };
        for f in classify(&text, format, manifest) {
            if let Some(a) = &f.artifact {
                seen.insert(a.clone());
            }
            report.files.push(Finding {
                repo: repo_name.clone(),
                path: rel.to_owned(),
                ..f
            });
        }
    };
    for path in files {
        let rel = path
            .strip_prefix(repo)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let Some(format) = Syntax::of_path(&rel).filter(|_| rel != crate::lock::FILE) else {
            continue;
        };
        record(&path, &rel, format, report, &mut seen);
    }
    if !outside.is_empty() {
        return;
    }
    let expected = expected(manifest, lock.as_ref());
    // An artifact the repository ignores (the Codex home's config.toml is
    // per checkout) is still read at its own path.
    // A file already reported at the artifact's path (a damaged stamp names
    // no artifact) is that artifact: not read again, not missing.
    let reported = |report: &Report, path: &str| {
        report
            .files
            .iter()
            .any(|f| f.repo == *repo_name && f.path == path)
    };
    for &(id, entry) in &expected {
        if seen.contains(id) || reported(report, &entry.path) {
            continue;
        }
        let path = repo.join(&entry.path);
        // Never through a link, in the file or in a directory above it.
        let regular = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_file())
            && match (std::fs::canonicalize(&path), std::fs::canonicalize(repo)) {
                (Ok(p), Ok(r)) => p
                    .strip_prefix(&r)
                    .is_ok_and(|rel| rel == Path::new(&entry.path)),
                _ => false,
            };
        let Some(format) = Syntax::of_path(&entry.path).filter(|_| regular) else {
            continue;
        };
        record(&path, &entry.path, format, report, &mut seen);
    }
    for &(id, entry) in &expected {
        if !seen.contains(id) && !reported(report, &entry.path) {
            report.missing.push(Missing {
                repo: repo_name.clone(),
                artifact: id.clone(),
                path: entry.path.clone(),
            });
        }
    }
}

/// Reads a file if it is small, text and mentions govbook.
fn read(path: &Path) -> Result<Option<String>, String> {
    // Only a regular file, never a FIFO that would hang the scan, and
    // never more than a stamped file can be.
    let bytes = match crate::source::read_regular(path, MAX_FILE) {
        Ok(bytes) => bytes,
        Err(crate::source::ReadError::Io(e)) => return Err(e.to_string()),
        Err(_) => return Ok(None),
    };
    if bytes.contains(&0)
        || !bytes
            .windows(8)
            .any(|w| w == b"govbook:" || w == b"/govbook")
    {
        return Ok(None);
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "not UTF-8 text".into())
}

fn blank(status: Status, manifest: &Manifest, detail: String) -> Finding {
    Finding {
        repo: String::new(),
        path: String::new(),
        artifact: None,
        team: None,
        status,
        stamped_version: None,
        matches_version: None,
        current_version: manifest.handbook.version.clone(),
        detail,
        notes: Vec::new(),
    }
}

/// Classifies every stamp in one file's text.
pub fn classify(text: &str, format: Syntax, manifest: &Manifest) -> Vec<Finding> {
    if format == Syntax::Json {
        return match stamp::json::read(text) {
            Ok(None) => Vec::new(),
            Ok(Some((s, actual))) => vec![verdict(&s, &actual, manifest)],
            Err(e) => vec![blank(Status::Invalid, manifest, e)],
        };
    }
    let (regions, damage) = stamp::regions(text, format);
    let mut out: Vec<Finding> = damage
        .into_iter()
        .map(|d| {
            blank(
                Status::Invalid,
                manifest,
                format!("line {}: {}", d.line, d.reason),
            )
        })
        .collect();
    for r in regions {
        let actual = stamp::hash(&text[r.managed.clone()]);
        out.push(verdict(&r.stamp, &actual, manifest));
    }
    out
}

fn verdict(s: &Stamp, actual: &str, manifest: &Manifest) -> Finding {
    let mut f = blank(Status::Unknown, manifest, String::new());
    f.artifact = Some(s.id.clone());
    f.team = s.team.clone();
    f.stamped_version = Some(s.version.clone());
    let Some(entry) = manifest.artifacts.get(&s.id) else {
        f.detail = format!("`{}` is not an artifact of this handbook", s.id);
        return f;
    };
    let (current, released): (&str, &BTreeMap<String, String>) = match &s.team {
        Some(t) => match entry.teams.get(t) {
            Some(te) => (&te.sha256, &te.released),
            None => {
                f.detail = format!("team `{t}` has no variant of `{}`", s.id);
                return f;
            }
        },
        None => (&entry.sha256, &entry.released),
    };
    if actual == current {
        f.status = Status::Current;
        f.matches_version = Some(manifest.handbook.version.clone());
        f.detail = format!("matches {}", manifest.handbook.version);
        return f;
    }
    // The newest released version with this text.
    let mut matching: Vec<&String> = released
        .iter()
        .filter(|(_, h)| *h == actual)
        .map(|(v, _)| v)
        .collect();
    matching.sort_by(|a, b| cmp_versions(a, b));
    if let Some(v) = matching.last() {
        f.status = Status::Outdated;
        f.matches_version = Some((*v).clone());
        f.notes = manifest
            .releases
            .iter()
            .filter(|r| cmp_versions(&r.version, v).is_gt())
            .map(|r| format!("{}: {}", r.version, r.notes))
            .collect();
        f.detail = format!("carries {v}; current is {}", manifest.handbook.version);
        return f;
    }
    if actual != s.sha256 {
        f.status = Status::Modified;
        f.detail = format!(
            "edited locally since {} (matches no released text)",
            s.version
        );
        return f;
    }
    if s.version == manifest.handbook.version {
        // Applied from the current version before its text last changed,
        // with no release in between: an older text, not an unknown one.
        f.status = Status::Outdated;
        f.detail = format!(
            "carries an unreleased draft of {}; the handbook's text changed since (release each version before applying it)",
            s.version
        );
        return f;
    }
    f.detail = format!("version {} is not in the manifest", s.version);
    f
}

fn cmp_versions(a: &str, b: &str) -> std::cmp::Ordering {
    match (semver::Version::parse(a), semver::Version::parse(b)) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// A file of a repository as the table shows it: relative to the working
/// directory, as the repository was given (`drift .` shows `AGENTS.md`).
fn shown(repo: &str, path: &str) -> String {
    match repo.trim_end_matches('/') {
        "." | "" => path.to_owned(),
        r => format!("{r}/{path}"),
    }
}

/// The report as an aligned table.
pub fn table(report: &Report) -> String {
    let mut rows: Vec<[String; 4]> = vec![[
        "FILE".into(),
        "ARTIFACT".into(),
        "STATUS".into(),
        "DETAIL".into(),
    ]];
    for f in &report.files {
        let artifact = match (&f.artifact, &f.team) {
            (Some(a), Some(t)) => format!("{a} ({t})"),
            (Some(a), None) => a.clone(),
            _ => "-".into(),
        };
        let status = serde_json::to_value(f.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        rows.push([shown(&f.repo, &f.path), artifact, status, f.detail.clone()]);
        for n in &f.notes {
            rows.push([
                String::new(),
                String::new(),
                String::new(),
                format!("  {n}"),
            ]);
        }
    }
    for m in &report.missing {
        rows.push([
            shown(&m.repo, &m.path),
            m.artifact.clone(),
            "missing".into(),
            "not in this repository".into(),
        ]);
    }
    for (p, why) in &report.unreadable {
        rows.push([p.clone(), "-".into(), "unreadable".into(), why.clone()]);
    }
    let widths: Vec<usize> = (0..3)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        for (i, cell) in r.iter().enumerate().take(3) {
            out.push_str(cell);
            out.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
        }
        out.push_str(&r[3]);
        out.push('\n');
    }
    let s = report.summary();
    let repositories = if s.repositories == 1 {
        "repository"
    } else {
        "repositories"
    };
    out.push_str(&format!(
        "\n{} {repositories}, {} stamped: {} current, {} outdated, {} modified, {} unknown, {} invalid; {} missing, {} unreadable\n",
        s.repositories,
        s.stamped,
        s.current,
        s.outdated,
        s.modified,
        s.unknown,
        s.invalid,
        s.missing,
        s.unreadable
    ));
    out
}
