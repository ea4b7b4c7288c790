//! `govbook init`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Cli;
use crate::bundled;
use crate::failure::{Failure, failed, usage};

/// Writes the bundled handbook into `dir`. Nothing is written into a
/// non-empty directory without `force`. The files are first assembled in a
/// temporary directory beside `dir`, then moved in; if a move fails, the
/// ones already moved are taken back (and replaced files restored), so a
/// failure leaves `dir` as it was.
pub(super) fn run(cli: &Cli, dir: &Path, force: bool) -> Result<ExitCode, Failure> {
    let abs = std::path::absolute(dir).map_err(|e| usage(format!("{}: {e}", dir.display())))?;
    let target = if abs.exists() {
        std::fs::canonicalize(&abs).map_err(|e| usage(format!("{}: {e}", dir.display())))?
    } else {
        abs
    };
    let non_empty = match std::fs::read_dir(&target) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(_) if target.is_file() => {
            return Err(usage(format!(
                "{} is a file, not a directory",
                dir.display()
            )));
        }
        Err(e) => return Err(failed(format!("cannot read {}: {e}", dir.display()))),
    };
    if non_empty && !force {
        return Err(usage(format!(
            "{} is not empty; refusing to write into it (use --force to write over files of the same name)",
            dir.display()
        )));
    }
    let parent = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    std::fs::create_dir_all(&parent)
        .map_err(|e| failed(format!("cannot create {}: {e}", parent.display())))?;
    let staging = tempfile::Builder::new()
        .prefix(".govbook-init-")
        .tempdir_in(&parent)
        .map_err(|e| {
            failed(format!(
                "cannot create a temporary directory in {}: {e}",
                parent.display()
            ))
        })?;
    let mut files: Vec<(String, std::borrow::Cow<'static, [u8]>)> = bundled::files()
        .into_iter()
        .map(|(p, b)| (p, b.into()))
        .collect();
    files.push((".gitignore".into(), b"/book/\n".as_slice().into()));
    // The sources' `#:schema ./schemas/NAME.json` lines point here, so
    // editors (taplo, tombi) validate and complete them offline.
    files.extend(
        crate::schema::published()
            .iter()
            .map(|(p, t)| (p.clone(), t.as_bytes().to_vec().into())),
    );
    for (rel, bytes) in &files {
        let path = staging.path().join("new").join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)
                .map_err(|e| failed(format!("cannot create {}: {e}", p.display())))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| failed(format!("cannot write {}: {e}", path.display())))?;
    }
    if !target.exists() {
        std::fs::rename(staging.path().join("new"), &target).map_err(|e| {
            failed(format!(
                "cannot move the handbook into {}: {e}",
                dir.display()
            ))
        })?;
    } else {
        // `--force` replaces files, never writes through a directory link
        // (`content/` → elsewhere): checked for every file before any move.
        if let Some((rel, _)) = files
            .iter()
            .find(|(rel, _)| !crate::output::real_dirs_between(&target, &target.join(rel)))
        {
            return Err(usage(format!(
                "{} is reached through a symbolic link in {}; init does not write through links",
                rel,
                dir.display()
            )));
        }
        move_in(
            staging.path(),
            &target,
            files.iter().map(|(r, _)| r.as_str()),
        )?;
    }
    if !cli.quiet {
        eprintln!(
            "govbook init: wrote the Codex rollout handbook ({} files) to {}\nnext: govbook build {}",
            files.len(),
            dir.display(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Moves the staged files (`staging/new/REL`) into `target`, keeping any
/// replaced file in `staging/old/REL` until all moves succeeded. On a
/// failure, every move is undone.
fn move_in<'a>(
    staging: &Path,
    target: &Path,
    rels: impl Iterator<Item = &'a str>,
) -> Result<(), Failure> {
    let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut failure = None;
    for rel in rels {
        let to = target.join(rel);
        let backup = staging.join("old").join(rel);
        let step = (|| -> Result<Option<PathBuf>, String> {
            if let Some(p) = to.parent() {
                std::fs::create_dir_all(p)
                    .map_err(|e| format!("cannot create {}: {e}", p.display()))?;
            }
            let replaced = if to.symlink_metadata().is_ok() {
                if let Some(p) = backup.parent() {
                    std::fs::create_dir_all(p).map_err(|e| e.to_string())?;
                }
                std::fs::rename(&to, &backup)
                    .map_err(|e| format!("cannot replace {}: {e}", to.display()))?;
                Some(backup.clone())
            } else {
                None
            };
            if let Err(e) = std::fs::rename(staging.join("new").join(rel), &to) {
                if let Some(b) = &replaced {
                    let _ = std::fs::rename(b, &to);
                }
                return Err(format!("cannot write {}: {e}", to.display()));
            }
            Ok(replaced)
        })();
        match step {
            Ok(replaced) => done.push((to, replaced)),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let Some(e) = failure else { return Ok(()) };
    for (to, replaced) in done.into_iter().rev() {
        let _ = std::fs::remove_file(&to);
        if let Some(b) = replaced {
            let _ = std::fs::rename(b, &to);
        }
    }
    Err(failed(format!("{e}; nothing was changed")))
}
