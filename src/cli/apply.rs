//! `govbook apply`: installs or updates the managed templates in a
//! repository (the work is [`crate::apply`]'s). Each file is written
//! atomically; every byte outside a managed region is kept; an edited region
//! is refused (with its diff) unless `--force`. A second run changes nothing.

use std::path::Path;
use std::process::ExitCode;

use super::Cli;
use crate::apply::Action;
use crate::check::CheckOptions;
use crate::failure::{Failure, usage};
use crate::pipeline;

/// What to apply and how.
pub(super) struct ApplyArgs<'a> {
    pub dir: Option<&'a Path>,
    pub repo: &'a Path,
    pub team: Option<&'a str>,
    pub only: &'a [String],
    pub dry_run: bool,
    pub force: bool,
}

/// Applies the handbook at `args.dir` to `args.repo`.
pub(super) fn run(cli: &Cli, args: &ApplyArgs<'_>) -> Result<ExitCode, Failure> {
    let today = super::today(cli.today)?;
    if !args.repo.is_dir() {
        return Err(usage(format!(
            "--repo {} is not a directory",
            args.repo.display()
        )));
    }
    let lock = crate::lock::read(args.repo)?;
    let dir = book_dir(args.dir, args.repo, lock.as_ref())?;
    let checked = pipeline::check(
        &dir,
        &CheckOptions {
            today,
            strict: false,
        },
    );
    if !super::print_errors(&checked)?.is_empty() {
        eprintln!("govbook apply: the handbook has errors; nothing was applied");
        return Ok(ExitCode::FAILURE);
    }
    let version = checked.model.config.version();
    let baseline = checked.model.config.baseline();
    super::warn_unreleased(cli, &checked);
    // Flags win over the lock file; without them, it says what to apply.
    let team = args
        .team
        .or_else(|| lock.as_ref().and_then(|l| l.team.as_deref()));
    let only: &[String] = match (&lock, args.only.is_empty()) {
        (Some(l), true) => &l.only,
        _ => args.only,
    };
    let set = checked.artifact_set(team)?;
    for id in only {
        if !set.artifacts.iter().any(|a| &a.id == id) {
            let ids: Vec<&str> = set.artifacts.iter().map(|a| a.id.as_str()).collect();
            return Err(usage(format!(
                "--only {id}: no such artifact (known: {})",
                ids.join(", ")
            )));
        }
    }
    let lock_text = new_lock(&checked, &dir, args.repo, team, only)?;
    let opts = crate::apply::Options {
        only,
        dry_run: args.dry_run,
        force: args.force,
        lock: Some(&lock_text),
    };
    let reports = crate::apply::apply(set, &version, &baseline, args.repo, opts)?;
    let mut failed = 0;
    let mut changed = 0;
    for r in &reports {
        // Paths, reasons and diffs come from the repository: shown, never
        // interpreted by the terminal.
        let shown = &*crate::text::visible(&r.path);
        let verb = r.action.verb();
        match &r.action {
            Action::Unchanged => {
                if cli.verbose {
                    eprintln!("unchanged {shown}");
                }
            }
            Action::Refused { reason, forcible } => {
                failed += 1;
                let hint = if *forcible {
                    " (--force replaces it)"
                } else {
                    ""
                };
                eprintln!("refused   {shown}: {}{hint}", crate::text::visible(reason));
                if let Some(t) = &r.new {
                    super::out(&diff(&r.old, t, shown));
                }
            }
            Action::Failed(e) => {
                failed += 1;
                eprintln!("failed    {shown}: {}", crate::text::visible(e));
            }
            Action::Created | Action::Updated | Action::Replaced if args.dry_run => {
                changed += 1;
                eprintln!("would be {verb} {shown}");
                super::out(&diff(&r.old, r.new.as_deref().unwrap_or(""), shown));
            }
            Action::Created | Action::Updated | Action::Replaced => {
                changed += 1;
                if !cli.quiet {
                    eprintln!("{verb:<9} {shown}");
                }
            }
        }
    }
    if !cli.quiet {
        let who = set
            .team
            .as_deref()
            .map_or(String::new(), |t| format!(" (team {t})"));
        let what = if args.dry_run {
            "would change"
        } else {
            "changed"
        };
        eprintln!(
            "govbook apply: handbook {version}{who}: {what} {changed} file(s), {failed} refused or failed, in {}",
            args.repo.display()
        );
    }
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The handbook to apply: `--book`, else the current directory when it
/// holds book.toml, else the book directory the lock file names.
fn book_dir(
    given: Option<&Path>,
    repo: &Path,
    lock: Option<&crate::lock::Lock>,
) -> Result<std::path::PathBuf, Failure> {
    if let Some(dir) = given {
        return Ok(dir.to_path_buf());
    }
    if Path::new("book.toml").is_file() {
        return Ok(".".into());
    }
    if let Some(l) = lock.filter(|l| !l.manifest_is_url()) {
        let dir = repo.join(&l.handbook.manifest);
        if dir.join("book.toml").is_file() {
            return Ok(dir);
        }
    }
    let hint = match lock {
        Some(l) => format!(
            " (this repository follows `{}`, published at {}: pass --book with a checkout of it)",
            l.handbook.title, l.handbook.manifest
        ),
        None => String::new(),
    };
    Err(usage(format!(
        "no book.toml here: pass --book DIR, the handbook's directory (the one holding book.toml){hint}"
    )))
}

/// The lock file's new text: the handbook, where its manifest is published,
/// the team and `--only` choice, and the version applied.
fn new_lock(
    checked: &pipeline::Checked,
    dir: &Path,
    repo: &Path,
    team: Option<&str>,
    only: &[String],
) -> Result<String, Failure> {
    let config = &checked.model.config;
    let manifest = match &config.fleet.manifest_url {
        Some(url) => url.clone(),
        None => match (std::fs::canonicalize(repo), std::fs::canonicalize(dir)) {
            (Ok(r), Ok(d)) => crate::lock::relative(&r, &d),
            _ => dir.display().to_string(),
        },
    };
    crate::lock::Lock {
        schema: crate::lock::SCHEMA.into(),
        version: config.version(),
        team: team.map(str::to_owned),
        only: only.to_vec(),
        handbook: crate::lock::Handbook {
            title: config.book.title.clone().unwrap_or_default(),
            manifest,
        },
    }
    .to_text()
}

/// A unified diff from `old` to `new`, safe to print.
fn diff(old: &str, new: &str, path: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    crate::text::visible(&diff).into_owned()
}
