//! Writing a set of artifacts into a repository, file by file: what
//! `govbook apply` does once the handbook is checked. Each file is planned
//! on its text ([`crate::stamp::update`]) and written atomically
//! ([`crate::output::write_file_atomic`]); every byte outside a managed
//! region is kept; an edited region is refused unless forced.

use std::path::{Path, PathBuf};

use crate::stamp::update::{Plan, plan};
use crate::templates::ArtifactSet;

/// What was done to one file (or, in a dry run, would be done).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A new file.
    Created,
    /// The managed region (or the whole JSON document) was updated.
    Updated,
    /// An edited region or an unstamped file was replaced (`--force`).
    Replaced,
    /// Already current.
    Unchanged,
    /// Not written. `forcible`: `--force` would write it.
    Refused {
        /// Why it was not written.
        reason: String,
        /// Whether `--force` would write it.
        forcible: bool,
    },
    /// Writing failed; the file is as it was.
    Failed(String),
}

impl Action {
    /// The verb `apply` prints.
    pub fn verb(&self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Replaced => "replaced",
            Action::Unchanged => "unchanged",
            Action::Refused { .. } => "refused",
            Action::Failed(_) => "failed",
        }
    }

    /// Whether this counts as refused or failed.
    pub fn is_failure(&self) -> bool {
        matches!(self, Action::Refused { .. } | Action::Failed(_))
    }
}

/// The outcome for one artifact.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The artifact id.
    pub id: String,
    /// The path in the repository.
    pub path: String,
    /// What was done to the file (or, in a dry run, would be done).
    pub action: Action,
    /// The file's text before (empty when it did not exist or could not be read).
    pub old: String,
    /// The text written, or that would be written: by the action in a dry
    /// run, by `--force` for a forcible refusal.
    pub new: Option<String>,
}

/// How to apply.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Only these artifact ids (all when empty).
    pub only: &'a [String],
    /// Plan and report, write nothing.
    pub dry_run: bool,
    /// Replace edited regions and unstamped files.
    pub force: bool,
    /// The text of the lock file ([`crate::lock`]) to write after the
    /// artifacts, if any.
    pub lock: Option<&'a str>,
}

/// Applies `set`, stamped with `version` and `baseline`, to `repo`.
pub fn apply(
    set: &ArtifactSet,
    version: &str,
    baseline: &str,
    repo: &Path,
    opts: Options<'_>,
) -> Result<Vec<FileReport>, crate::failure::Failure> {
    let repo_canon = std::fs::canonicalize(repo)
        .map_err(|e| crate::failure::usage(format!("{}: {e}", repo.display())))?;
    // Writes go through this handle, never through a path walked again.
    let root = cap_std::fs::Dir::open_ambient_dir(&repo_canon, cap_std::ambient_authority())
        .map_err(|e| crate::failure::usage(format!("{}: {e}", repo.display())))?;
    let mut reports = Vec::new();
    for a in set
        .artifacts
        .iter()
        .filter(|a| opts.only.is_empty() || opts.only.contains(&a.id))
    {
        let stamp = a.stamp(set.team.as_deref(), version, baseline);
        let path = repo.join(&a.path);
        let mut report = FileReport {
            id: a.id.clone(),
            path: a.path.clone(),
            action: Action::Unchanged,
            old: String::new(),
            new: None,
        };
        let planned = (|| -> Result<(Option<String>, Plan), String> {
            confined(&path, &repo_canon)?;
            // A FIFO named AGENTS.md must not hang apply, nor a huge file
            // be read whole: only a regular file up to the text limit.
            let existing = match crate::source::read_regular(&path, crate::source::MAX_TEXT) {
                Ok(bytes) => {
                    Some(String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())?)
                }
                Err(crate::source::ReadError::Io(e))
                    if e.kind() == std::io::ErrorKind::NotFound =>
                {
                    None
                }
                Err(e) => return Err(format!("cannot read it: {e}")),
            };
            let p = plan(
                existing.as_deref(),
                a.format,
                &stamp,
                &a.body,
                &a.file_text(&stamp),
            );
            Ok((existing, p))
        })();
        let (existing, planned) = match planned {
            Ok(x) => x,
            Err(reason) => {
                report.action = Action::Refused {
                    reason,
                    forcible: false,
                };
                reports.push(report);
                continue;
            }
        };
        report.old = existing.unwrap_or_default();
        let (action, new) = match planned {
            Plan::Unchanged => (Action::Unchanged, None),
            Plan::Create(t) => (Action::Created, Some(t)),
            Plan::Update(t) => (Action::Updated, Some(t)),
            Plan::Refuse {
                forced: Some(t), ..
            } if opts.force => (Action::Replaced, Some(t)),
            Plan::Refuse { reason, forced } => (
                Action::Refused {
                    reason,
                    forcible: forced.is_some(),
                },
                forced,
            ),
        };
        report.action = action;
        let write = !opts.dry_run && !report.action.is_failure();
        if let (true, Some(text)) = (write, &new)
            && let Err(e) =
                crate::output::write_file_atomic_in(&root, Path::new(&a.path), text.as_bytes())
        {
            report.action = Action::Failed(e.to_string());
        }
        report.new = new;
        reports.push(report);
    }
    if let Some(text) = opts.lock {
        reports.push(write_lock(&root, repo, text, opts.dry_run));
    }
    Ok(reports)
}

/// Writes the lock file, whole: it is govbook's own file, not a region.
fn write_lock(root: &cap_std::fs::Dir, repo: &Path, text: &str, dry_run: bool) -> FileReport {
    let path = repo.join(crate::lock::FILE);
    let old = match crate::source::read_regular(&path, crate::source::MAX_TEXT) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(crate::source::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return FileReport {
                id: "lock".into(),
                path: crate::lock::FILE.into(),
                action: Action::Refused {
                    reason: format!("cannot read it: {e}"),
                    forcible: false,
                },
                old: String::new(),
                new: None,
            };
        }
    };
    let mut action = match &old {
        None => Action::Created,
        Some(o) if o == text => Action::Unchanged,
        Some(_) => Action::Updated,
    };
    let new = (action != Action::Unchanged).then(|| text.to_owned());
    if !dry_run
        && new.is_some()
        && let Err(e) =
            crate::output::write_file_atomic_in(root, Path::new(crate::lock::FILE), text.as_bytes())
    {
        action = Action::Failed(e.to_string());
    }
    FileReport {
        id: "lock".into(),
        path: crate::lock::FILE.into(),
        action,
        old: old.unwrap_or_default(),
        new,
    }
}

/// Refuses to write through a symbolic link, or anywhere that resolves
/// outside the repository.
fn confined(path: &Path, repo: &Path) -> Result<(), String> {
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err("it is a symbolic link; govbook does not write through links".into());
    }
    let mut dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut missing: Vec<PathBuf> = Vec::new();
    while !dir.exists() {
        missing.push(dir.clone());
        if !dir.pop() {
            break;
        }
    }
    let canon = std::fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !canon.starts_with(repo) {
        return Err(format!("{} leads outside the repository", dir.display()));
    }
    Ok(())
}
