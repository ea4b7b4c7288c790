//! `govbook init`.

use std::path::Path;
use std::process::ExitCode;

use super::Cli;
use crate::bundled;

/// Writes the bundled handbook into `dir`. Nothing is written into a
/// non-empty directory without `force`; the files are first assembled in a
/// sibling temporary directory, so a failure leaves `dir` as it was.
pub fn run(cli: &Cli, dir: &Path, force: bool) -> Result<ExitCode, String> {
    let non_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) if dir.is_file() => {
            return Err(format!(
                "{} is a file, not a directory ({e})",
                dir.display()
            ));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    if non_empty && !force {
        return Err(format!(
            "{} is not empty; refusing to write into it (use --force to write over files of the same name)",
            dir.display()
        ));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".govbook-init-")
        .tempdir_in(&parent)
        .map_err(|e| {
            format!(
                "cannot create a temporary directory in {}: {e}",
                parent.display()
            )
        })?;
    let files = bundled::files();
    for (rel, bytes) in &files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)
                .map_err(|e| format!("cannot create {}: {e}", p.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    std::fs::write(staging.path().join(".gitignore"), "/book/\n")
        .map_err(|e| format!("cannot write .gitignore: {e}"))?;
    if !dir.exists() || !non_empty {
        if dir.exists() {
            std::fs::remove_dir(dir)
                .map_err(|e| format!("cannot replace {}: {e}", dir.display()))?;
        }
        let staged = staging.keep();
        std::fs::rename(&staged, dir)
            .map_err(|e| format!("cannot move the handbook into {}: {e}", dir.display()))?;
    } else {
        // --force into a non-empty directory: move file by file (each rename
        // is atomic), keeping whatever else is there.
        for (rel, _) in files
            .iter()
            .map(|(r, b)| (r.as_str(), b))
            .chain([(".gitignore", &(&[][..]))])
        {
            let to = dir.join(rel);
            if let Some(p) = to.parent() {
                std::fs::create_dir_all(p)
                    .map_err(|e| format!("cannot create {}: {e}", p.display()))?;
            }
            std::fs::rename(staging.path().join(rel), &to)
                .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        }
    }
    if !cli.quiet {
        eprintln!(
            "govbook init: wrote the Codex rollout handbook ({} files) to {}\nnext: govbook check {}",
            files.len() + 1,
            dir.display(),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
