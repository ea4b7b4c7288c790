//! `govbook apply`: installs or updates the managed templates in a
//! repository. Each file is written atomically; every byte outside a
//! managed region is kept; an edited region is refused (with its diff)
//! unless `--force`. A second run changes nothing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Cli;
use crate::check::CheckOptions;
use crate::pipeline;
use crate::stamp::update::{Plan, plan};

/// What to apply and how.
pub struct ApplyArgs<'a> {
    pub dir: &'a Path,
    pub repo: &'a Path,
    pub team: Option<&'a str>,
    pub only: &'a [String],
    pub dry_run: bool,
    pub force: bool,
}

/// Applies the handbook at `args.dir` to `args.repo`.
pub fn run(cli: &Cli, args: &ApplyArgs<'_>) -> Result<ExitCode, String> {
    let today = super::today(cli.today)?;
    if !args.repo.is_dir() {
        return Err(format!("--repo {} is not a directory", args.repo.display()));
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
    let set = match args.team {
        None => checked.artifacts.first(),
        Some(t) => {
            let known = checked
                .model
                .governance
                .as_ref()
                .and_then(|g| g.owners.as_ref())
                .is_some_and(|o| o.value.team.iter().any(|x| x.get_ref().id.as_str() == t));
            if !known {
                return Err(format!("--team {t}: no such team in owners.toml"));
            }
            // A team without overrides uses the default set.
            checked
                .artifacts
                .iter()
                .find(|s| s.team.as_deref() == Some(t))
                .or(checked.artifacts.first())
        }
    };
    let Some(set) = set else {
        return Err("this book renders no artifacts (it has no governance sources)".into());
    };
    for id in args.only {
        if !set.artifacts.iter().any(|a| &a.id == id) {
            let ids: Vec<&str> = set.artifacts.iter().map(|a| a.id.as_str()).collect();
            return Err(format!(
                "--only {id}: no such artifact (known: {})",
                ids.join(", ")
            ));
        }
    }
    let repo_canon =
        std::fs::canonicalize(args.repo).map_err(|e| format!("{}: {e}", args.repo.display()))?;
    let mut failed = 0;
    let mut changed = 0;
    for a in set
        .artifacts
        .iter()
        .filter(|a| args.only.is_empty() || args.only.contains(&a.id))
    {
        let stamp = a.stamp(set.team.as_deref(), &version, &baseline);
        let path = args.repo.join(&a.path);
        let outcome = (|| -> Result<Outcome, String> {
            confined(&path, &repo_canon)?;
            let existing = match std::fs::read(&path) {
                Ok(bytes) => {
                    Some(String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())?)
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("cannot read it: {e}")),
            };
            let p = plan(
                existing.as_deref(),
                a.format,
                &stamp,
                &a.body,
                &a.file_text(&stamp),
            );
            Ok(Outcome { existing, plan: p })
        })();
        let shown = a.path.as_str();
        match outcome {
            Err(reason) => {
                failed += 1;
                eprintln!("refused   {shown}: {reason}");
            }
            Ok(Outcome { existing, plan }) => {
                let old = existing.as_deref().unwrap_or("");
                let (verb, new) = match plan {
                    Plan::Unchanged => {
                        if cli.verbose {
                            eprintln!("unchanged {shown}");
                        }
                        continue;
                    }
                    Plan::Create(t) => ("created", t),
                    Plan::Update(t) => ("updated", t),
                    Plan::Refuse { reason, forced } => match (args.force, forced) {
                        (true, Some(t)) => ("replaced", t),
                        (_, forced) => {
                            failed += 1;
                            let hint = if forced.is_some() {
                                " (--force replaces it)"
                            } else {
                                ""
                            };
                            eprintln!("refused   {shown}: {reason}{hint}");
                            if let Some(t) = forced {
                                print!("{}", diff(old, &t, shown));
                            }
                            continue;
                        }
                    },
                };
                if args.dry_run {
                    eprintln!("would be {verb} {shown}");
                    print!("{}", diff(old, &new, shown));
                    continue;
                }
                match crate::output::write_file_atomic(&path, new.as_bytes()) {
                    Ok(()) => {
                        changed += 1;
                        eprintln!("{verb:<9} {shown}");
                    }
                    Err(e) => {
                        failed += 1;
                        eprintln!("failed    {shown}: {e}");
                    }
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

struct Outcome {
    existing: Option<String>,
    plan: Plan,
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

/// A unified diff from `old` to `new`.
fn diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
