//! Writing: the rendered site is assembled in a sibling directory and
//! swapped in by one atomic exchange (see `swap`), so a failed or
//! interrupted build leaves the previous output as it was. Files that did
//! not change are linked from the previous output
//! ([`DirSink::reusing`]).
//!
//! An output directory is only ever replaced if govbook made it (it holds
//! the marker file [`MARKER`]) or it is empty, so a mistyped `-o` cannot
//! delete someone's files; and it may not be, or contain, the book's own
//! sources.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use crate::failure::{Failure, failed, usage};

mod sink;
mod swap;

pub use sink::{DirSink, MemorySink, Sink};

pub use failpoint::step;

/// The file that marks a directory as govbook's output.
pub const MARKER: &str = ".govbook-output";

/// A new site being written beside the old one. Files go into a staging
/// directory as they are rendered; [`Staging::commit`] swaps it in. If the
/// staging is dropped without commit, it is deleted and `out` is untouched.
/// While it exists, a locked file beside it tells other builds it is in use;
/// a staging directory whose lock is free is a dead build's, and the next
/// build deletes it.
pub struct Staging {
    reserved: swap::Reserved,
    out: PathBuf,
}

impl Staging {
    /// Checks that `out` may be replaced (see [`guard`]) and creates the
    /// staging directory beside it. `root` and `src` are the book root and
    /// content directory, which `out` must not overlap.
    pub fn new(out: &Path, root: &Path, src: &Path) -> Result<Staging, Failure> {
        guard(out, root, src)?;
        step("create the output's parent directory")?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| usage(format!("{} is not a directory name", out.display())))?;
        std::fs::create_dir_all(&parent)
            .map_err(|e| failed(format!("cannot create {}: {e}", parent.display())))?;
        swap::sweep(&parent, &name);
        step("create the staging directory")?;
        let reserved = swap::Reserved::new(&parent, &name)?;
        Ok(Staging {
            reserved,
            out: out.to_path_buf(),
        })
    }

    /// Where files are written until the commit.
    pub fn path(&self) -> &Path {
        self.reserved.dir()
    }

    /// The output this build replaces, if there is one: unchanged files
    /// may be linked from it (see [`DirSink::reusing`]).
    pub fn previous(&self) -> Option<PathBuf> {
        self.out.join(MARKER).is_file().then(|| self.out.clone())
    }

    /// Marks the staged site as govbook's and swaps it in.
    pub fn commit(self) -> Result<(), Failure> {
        step("write the output marker")?;
        std::fs::write(
            self.reserved.dir().join(MARKER),
            "This directory is written by govbook build and replaced on every build.\n",
        )
        .map_err(|e| failed(format!("cannot write the output marker: {e}")))?;
        swap::swap(self.reserved, &self.out)
    }
}

/// Writes a site held in memory (output path to bytes) to `out`, replacing
/// what is there.
pub fn write(
    out: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    root: &Path,
    src: &Path,
) -> Result<(), Failure> {
    let staging = Staging::new(out, root, src)?;
    let sink = DirSink::reusing(staging.path(), staging.previous());
    for (rel, bytes) in files {
        sink.put(rel, bytes)?;
    }
    staging.commit()
}

/// Refuses an output directory that would overwrite sources or files
/// govbook did not write.
fn guard(out: &Path, root: &Path, src: &Path) -> Result<(), Failure> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalize the deepest existing ancestor, keep the rest.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(n), Some(parent)) => {
                    rest.push(n.to_owned());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = std::fs::canonicalize(&existing).unwrap_or(existing);
        for n in rest.iter().rev() {
            c.push(n);
        }
        c
    };
    if out
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(usage(format!(
            "{} is a symbolic link; pass the directory it points to (a swap would replace the link, not the site)",
            out.display()
        )));
    }
    let (out_abs, root_abs, src_abs) = (abs(out), abs(root), abs(&root.join(src)));
    if root_abs.starts_with(&out_abs) {
        return Err(usage(format!(
            "refusing to write the site to {}: it holds the book itself",
            out.display()
        )));
    }
    if out_abs.starts_with(&src_abs) {
        return Err(usage(format!(
            "refusing to write the site to {}: it is inside the content directory",
            out.display()
        )));
    }
    if out_abs.is_dir() {
        let mut entries = std::fs::read_dir(&out_abs)
            .map_err(|e| failed(format!("cannot read {}: {e}", out.display())))?;
        let empty = entries.next().is_none();
        if !empty && !out_abs.join(MARKER).is_file() {
            return Err(usage(format!(
                "refusing to replace {}: it is not empty and was not written by govbook (no {MARKER} file)",
                out.display()
            )));
        }
    } else if out_abs.exists() {
        return Err(usage(format!(
            "{} exists and is not a directory",
            out.display()
        )));
    }
    Ok(())
}

/// Whether every directory from below `base` down to `path`'s parent is a
/// real directory, not a symbolic link (a link planted there would lead a
/// write or a hard link out of `base`). Missing directories count as real:
/// they will be created as directories.
pub fn real_dirs_between(base: &Path, path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take_while(|a| *a != base && a.starts_with(base))
        .all(|a| match std::fs::symlink_metadata(a) {
            Ok(m) => m.file_type().is_dir(),
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        })
}

/// Writes one file atomically: a temporary file in the same directory,
/// flushed to disk, renamed over the target. The old file, if any, stays
/// intact until the rename.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    step("create the file's directory")?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
    step("create a temporary file")?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".govbook-");
    // A new file gets the mode any program's would (0666 less the umask),
    // not a temporary file's 0600; a replaced file keeps its own (below).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder
        .tempfile_in(&dir)
        .map_err(|e| failed(format!("cannot write in {}: {e}", dir.display())))?;
    // Until the rename, a failure drops `tmp`, which deletes it.
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    let written = tmp
        .write_all(head)
        .map_err(|e| failed(e.to_string()))
        .and_then(|()| step("write the temporary file"))
        .and_then(|()| tmp.write_all(tail).map_err(|e| failed(e.to_string())))
        .and_then(|()| step("flush the temporary file to disk"))
        .and_then(|()| tmp.as_file().sync_all().map_err(|e| failed(e.to_string())));
    written.map_err(|e| e.context(format!("cannot write {}", path.display())))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    step("rename the temporary file over the target")?;
    tmp.persist(path)
        .map_err(|e| failed(format!("cannot replace {}: {}", path.display(), e.error)))?;
    Ok(())
}

/// Writes `rel` atomically under the directory handle `root`, as
/// [`write_file_atomic`] does under a path, but every directory is opened
/// relative to `root` and may not lead out of it (cap-std): a directory of
/// the repository swapped for a symbolic link while `apply` runs cannot
/// send the write elsewhere.
pub fn write_file_atomic_in(
    root: &cap_std::fs::Dir,
    rel: &Path,
    bytes: &[u8],
) -> Result<(), Failure> {
    use std::io::Write;
    let cannot = |e: std::io::Error| failed(format!("cannot write {}: {e}", rel.display()));
    let name = rel
        .file_name()
        .ok_or_else(|| failed(format!("{} is not a file name", rel.display())))?;
    step("create the file's directory")?;
    let dir = match rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => {
            root.create_dir_all(p)
                .map_err(|e| failed(format!("cannot create {}: {e}", p.display())))?;
            root.open_dir(p)
                .map_err(|e| failed(format!("cannot open {}: {e}", p.display())))?
        }
        None => root.try_clone().map_err(cannot)?,
    };
    step("create a temporary file")?;
    let mut tmp = cap_tempfile::TempFile::new(&dir).map_err(cannot)?;
    // Until the rename, a failure drops `tmp`, which deletes it.
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    tmp.write_all(head)
        .map_err(|e| failed(e.to_string()))
        .and_then(|()| step("write the temporary file"))
        .and_then(|()| tmp.write_all(tail).map_err(|e| failed(e.to_string())))
        .and_then(|()| step("flush the temporary file to disk"))
        .and_then(|()| tmp.as_file().sync_all().map_err(|e| failed(e.to_string())))
        .map_err(|e| e.context(format!("cannot write {}", rel.display())))?;
    if let Ok(meta) = dir.symlink_metadata(name)
        && meta.is_file()
    {
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    step("rename the temporary file over the target")?;
    tmp.replace(name)
        .map_err(|e| failed(format!("cannot replace {}: {e}", rel.display())))
}

/// Failure injection for the no-lost-work tests; not a user feature.
///
/// Every write step of [`write_file_atomic`], [`Staging`] and the build's
/// [`DirSink`] calls [`step`]. Unarmed (always, in the
/// binary: nothing in the command line, the environment or the sources
/// arms it), a step is one atomic load and does nothing. A test links the
/// library, calls [`arm`]`(n)`, runs an operation in process and the `n`th
/// step fails as an I/O error would, before it acts; the test then checks
/// that the previous state is intact. The counter is global: tests that arm
/// it must not run concurrently with other writes in the same process.
#[doc(hidden)]
pub mod failpoint {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    static ARMED: AtomicUsize = AtomicUsize::new(0);
    static STEPS: AtomicUsize = AtomicUsize::new(0);
    static FIRED: AtomicBool = AtomicBool::new(false);

    /// Fails the `n`th write step from now (`n` counts from 1).
    pub fn arm(n: usize) {
        STEPS.store(0, Ordering::SeqCst);
        FIRED.store(false, Ordering::SeqCst);
        ARMED.store(n, Ordering::SeqCst);
    }

    /// Stops injecting; returns whether the armed step was reached.
    pub fn disarm() -> bool {
        ARMED.store(0, Ordering::SeqCst);
        FIRED.load(Ordering::SeqCst)
    }

    static TWO_RENAMES: AtomicBool = AtomicBool::new(false);

    /// Makes the output swap take the two-rename path of platforms without
    /// an atomic exchange, so its steps are tested where one exists.
    pub fn force_two_renames(on: bool) {
        TWO_RENAMES.store(on, Ordering::SeqCst);
    }

    pub(super) fn two_renames() -> bool {
        TWO_RENAMES.load(Ordering::Relaxed)
    }

    /// How many steps were taken since [`arm`].
    pub fn steps() -> usize {
        STEPS.load(Ordering::SeqCst)
    }

    /// One write step, about to be taken: fails if it is the armed one.
    pub fn step(what: &str) -> Result<(), crate::failure::Failure> {
        let armed = ARMED.load(Ordering::Relaxed);
        if armed == 0 {
            return Ok(());
        }
        let n = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
        if n == armed {
            FIRED.store(true, Ordering::SeqCst);
            return Err(crate::failure::failed(format!(
                "injected failure at write step {n} ({what})"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        pairs
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn writes_under_a_handle_never_leave_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (repo, outside) = (tmp.path().join("repo"), tmp.path().join("outside"));
        std::fs::create_dir_all(repo.join("docs")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        let root = cap_std::fs::Dir::open_ambient_dir(&repo, cap_std::ambient_authority()).unwrap();
        write_file_atomic_in(&root, Path::new("docs/a.md"), b"one").unwrap();
        assert_eq!(std::fs::read(repo.join("docs/a.md")).unwrap(), b"one");
        // `docs` swapped for a link out of the repository after the handle
        // was opened, as a racing process would.
        std::fs::remove_dir_all(repo.join("docs")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, repo.join("docs")).unwrap();
        assert!(write_file_atomic_in(&root, Path::new("docs/b.md"), b"two").is_err());
        assert!(write_file_atomic_in(&root, Path::new("docs/new/c.md"), b"3").is_err());
        assert_eq!(
            std::fs::read_dir(&outside).unwrap().count(),
            0,
            "wrote outside"
        );
    }

    #[test]
    fn writes_and_replaces_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("book-src");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let out = root.join("book");
        write(
            &out,
            &site(&[("a.html", "1"), ("d/b.html", "2")]),
            &root,
            Path::new("content"),
        )
        .unwrap();
        assert_eq!(std::fs::read_to_string(out.join("d/b.html")).unwrap(), "2");
        write(&out, &site(&[("c.html", "3")]), &root, Path::new("content")).unwrap();
        assert!(!out.join("a.html").exists(), "old files are gone");
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "3");
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("govbook-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn sweeps_what_dead_builds_left_and_nothing_a_live_build_holds() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("b");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let out = tmp.path().join("site");
        let mk = |dir: &str, marked: bool| {
            let d = tmp.path().join(dir);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("page.html"), "x").unwrap();
            if marked {
                std::fs::write(d.join(MARKER), "").unwrap();
            }
        };
        // A former output moved aside by the two-rename swap.
        mk(".site.govbook-old-x1", true);
        // A staging directory whose lock file is gone, and one whose lock
        // file nobody holds: killed builds.
        mk(".site.govbook-new-x2", false);
        mk(".site.govbook-new-x5", false);
        std::fs::write(tmp.path().join(".site.govbook-new-x5.lock"), "").unwrap();
        // A build at work: its lock is held.
        mk(".site.govbook-new-x3", false);
        let held = std::fs::File::create(tmp.path().join(".site.govbook-new-x3.lock")).unwrap();
        held.lock().unwrap();
        // Another output's leftovers, and a moved-aside directory without
        // the marker, are not this build's to judge.
        mk(".other.govbook-old-x4", true);
        mk(".site.govbook-old-x6", false);
        write(&out, &site(&[("a.html", "1")]), &root, Path::new("content")).unwrap();
        let mut left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("govbook-"))
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".other.govbook-old-x4",
                ".site.govbook-new-x3",
                ".site.govbook-new-x3.lock",
                ".site.govbook-old-x6"
            ]
        );
        drop(held);
        write(&out, &site(&[("a.html", "2")]), &root, Path::new("content")).unwrap();
        assert!(!tmp.path().join(".site.govbook-new-x3").exists());
    }

    #[test]
    fn refuses_foreign_or_source_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("b");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let s = site(&[("a.html", "1")]);
        let src = Path::new("content");
        assert!(
            write(&root, &s, &root, src)
                .unwrap_err()
                .message()
                .contains("holds the book")
        );
        assert!(
            write(tmp.path(), &s, &root, src)
                .unwrap_err()
                .message()
                .contains("holds the book")
        );
        assert!(
            write(&root.join("content/out"), &s, &root, src)
                .unwrap_err()
                .message()
                .contains("content directory")
        );
        let foreign = tmp.path().join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("precious.txt"), "x").unwrap();
        assert!(
            write(&foreign, &s, &root, src)
                .unwrap_err()
                .message()
                .contains("not written by govbook")
        );
        assert_eq!(
            std::fs::read_to_string(foreign.join("precious.txt")).unwrap(),
            "x"
        );
    }
}
