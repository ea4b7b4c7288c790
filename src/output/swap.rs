//! Replacing the output directory in one step, and cleaning up after builds
//! that were killed before they could.
//!
//! A build writes into a staging directory `.NAME.govbook-new-XXXXXX` beside
//! the output `NAME`, and holds an exclusive lock on the file beside it,
//! `.NAME.govbook-new-XXXXXX.lock`, until it is done. Then
//! `renameat2(RENAME_EXCHANGE)` swaps the two directories; the old site,
//! now at the staging name, is deleted. A build killed at any point leaves
//! its staging directory and an unlocked lock file; the next build deletes
//! both, and never a directory whose lock is held.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use super::{MARKER, step};
use crate::failure::{Failure, failed};

/// A staging directory and the lock that says a build is using it. Dropped
/// without [`swap`], both are deleted.
pub(super) struct Reserved {
    dir: PathBuf,
    /// Held for its lock; deleted (and so unlocked) on drop, after the
    /// directory.
    _lock: tempfile::NamedTempFile,
    /// The output's parent and file name.
    parent: PathBuf,
    name: String,
}

impl Reserved {
    /// Locks a fresh lock file, then creates the directory it names, so no
    /// sweep ever sees the directory without its lock held. A sweep that
    /// deleted the lock file before it was locked is noticed (the path no
    /// longer names the locked file) and another name is taken. Where the
    /// file system has no locks, the build goes on unlocked: sweeps then
    /// leave its directory alone, as they cannot tell it is dead.
    pub(super) fn new(parent: &Path, name: &str) -> Result<Reserved, Failure> {
        let cannot =
            |e: std::io::Error| failed(format!("cannot write in {}: {e}", parent.display()));
        for _ in 0..16 {
            let lock = tempfile::Builder::new()
                .prefix(&format!(".{name}.govbook-new-"))
                .suffix(".lock")
                .tempfile_in(parent)
                .map_err(cannot)?;
            match lock.as_file().lock() {
                Ok(()) if !same_file(lock.as_file(), lock.path()) => continue,
                Ok(()) => {}
                Err(e) if locks_unsupported(&e) => {}
                Err(e) => return Err(cannot(e)),
            }
            let dir = dir_of_lock(lock.path()).ok_or_else(|| {
                failed(format!(
                    "cannot name a staging directory in {}",
                    parent.display()
                ))
            })?;
            std::fs::create_dir(&dir).map_err(cannot)?;
            return Ok(Reserved {
                dir,
                _lock: lock,
                parent: parent.to_path_buf(),
                name: name.to_owned(),
            });
        }
        Err(failed(format!(
            "cannot reserve a staging directory in {}: other builds keep removing it",
            parent.display()
        )))
    }

    /// The staging directory.
    pub(super) fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        // After a swap this is the old site; before one, the unfinished new
        // one. Either way it goes, then the lock (a field) is dropped.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The staging directory a lock file stands for: its path without `.lock`.
fn dir_of_lock(lock: &Path) -> Option<PathBuf> {
    let name = lock.file_name()?.to_str()?.strip_suffix(".lock")?;
    Some(lock.with_file_name(name))
}

/// Whether `path` still names the open `file` (a sweep may have deleted it
/// between its creation and its lock).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// Whether a lock failed because the file system has no locks (NFS without
/// a lock daemon, some FUSE mounts), not because of a real error.
fn locks_unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(libc::ENOLCK) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

/// Moves the staged site to `out`, replacing what is there.
pub(super) fn swap(staged: Reserved, out: &Path) -> Result<(), Failure> {
    if !out.exists() {
        step("move the new output in")?;
        return std::fs::rename(&staged.dir, out)
            .map_err(|e| failed(format!("cannot move the site into {}: {e}", out.display())));
    }
    if super::failpoint::two_renames() {
        return swap_by_two_renames(&staged, out);
    }
    step("swap the new output in")?;
    match exchange(&staged.dir, out) {
        // One atomic step: `out` is the new site and the staging directory
        // the old one, which dropping `staged` deletes.
        Ok(true) => Ok(()),
        Ok(false) => swap_by_two_renames(&staged, out),
        Err(e) => Err(failed(format!(
            "cannot move the site into {}: {e}",
            out.display()
        ))),
    }
}

/// Exchanges two directories atomically. `Ok(false)` when the platform or
/// file system cannot, and nothing was changed.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::other(format!("{} contains a NUL byte", p.display())))
    };
    let (a, b) = (c(a)?, c(b)?);
    // The system call rather than glibc's wrapper, which glibc before 2.28
    // (still on some long-term distributions) does not have.
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Where no atomic exchange exists: move the old output aside under a
/// fresh name, move the new one in, and only then delete the old one; put
/// it back if the move fails. A kill between the renames leaves the old
/// site beside `out`, which the next build sweeps away.
fn swap_by_two_renames(staged: &Reserved, out: &Path) -> Result<(), Failure> {
    let parent = &staged.parent;
    step("reserve a name for the old output")?;
    let old = tempfile::Builder::new()
        .prefix(&format!(".{}.govbook-old-", staged.name))
        .tempdir_in(parent)
        .map_err(|e| failed(format!("cannot write in {}: {e}", parent.display())))?
        .keep();
    std::fs::remove_dir(&old)
        .map_err(|e| failed(format!("cannot prepare {}: {e}", old.display())))?;
    step("move the old output aside")?;
    std::fs::rename(out, &old)
        .map_err(|e| failed(format!("cannot replace {}: {e}", out.display())))?;
    let moved_in = step("move the new output in")
        .and_then(|()| std::fs::rename(&staged.dir, out).map_err(|e| failed(e.to_string())));
    if let Err(e) = moved_in {
        if let Err(back) = std::fs::rename(&old, out) {
            return Err(failed(format!(
                "cannot move the site into {}: {e}; and the previous site could not be put \
                 back ({back}): it is in {}",
                out.display(),
                old.display()
            )));
        }
        return Err(failed(format!(
            "cannot move the site into {}: {e}",
            out.display()
        )));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Deletes what interrupted builds left beside the output `name` in
/// `parent`: staging directories and lock files whose lock no build holds,
/// and former outputs (they hold the marker) moved aside by the two-rename
/// swap.
pub(super) fn sweep(parent: &Path, name: &str) {
    let new = format!(".{name}.govbook-new-");
    let old = format!(".{name}.govbook-old-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let file_name = entry.file_name();
        let n = file_name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if n.starts_with(&new) {
            if let Some(dir) = dir_of_lock(&path) {
                // A lock file: its directory, if any, goes with it, while
                // the lock is held here.
                if kind.is_file()
                    && let Some(_held) = take_free_lock(&path)
                {
                    let _ = std::fs::remove_dir_all(&dir);
                    let _ = std::fs::remove_file(&path);
                }
            } else if kind.is_dir() && !lock_of(&path).exists() {
                // A directory whose lock file is gone: its build ended.
                let _ = std::fs::remove_dir_all(&path);
            }
        } else if n.starts_with(&old) && kind.is_dir() && path.join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

fn lock_of(dir: &Path) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    dir.with_file_name(name)
}

/// The lock on `lock`, when no process holds it.
fn take_free_lock(lock: &Path) -> Option<File> {
    let file = File::open(lock).ok()?;
    match file.try_lock() {
        Ok(()) => Some(file),
        // Held by a build at work; or a file system without locks, where
        // nothing can be told: leave it alone.
        Err(TryLockError::WouldBlock | TryLockError::Error(_)) => None,
    }
}
