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
    pub dir: &'a Path,
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
    let checked = pipeline::check(
        args.dir,
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
    let set = checked.artifact_set(args.team)?;
    for id in args.only {
        if !set.artifacts.iter().any(|a| &a.id == id) {
            let ids: Vec<&str> = set.artifacts.iter().map(|a| a.id.as_str()).collect();
            return Err(usage(format!(
                "--only {id}: no such artifact (known: {})",
                ids.join(", ")
            )));
        }
    }
    let opts = crate::apply::Options {
        only: args.only,
        dry_run: args.dry_run,
        force: args.force,
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

/// A unified diff from `old` to `new`, safe to print.
fn diff(old: &str, new: &str, path: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    crate::text::visible(&diff).into_owned()
}
