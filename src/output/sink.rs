//! Where rendered files go: straight into a directory (`build`, so a large
//! book is never held in memory whole) or into memory (`serve`, tests).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::failure::{Failure, failed};

/// A destination for rendered files. Called from many threads.
pub trait Sink: Sync {
    /// Writes one file given in parts, so a large page is never joined.
    fn put_parts(&self, path: &str, parts: &[&[u8]]) -> Result<(), Failure>;

    /// Writes one file.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Failure> {
        self.put_parts(path, &[bytes])
    }
}

/// Files kept in memory.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// The files, sorted by path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put_parts(&self, path: &str, parts: &[&[u8]]) -> Result<(), Failure> {
        let bytes = parts.concat();
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_owned(), bytes);
        Ok(())
    }
}

/// Files written under a directory (the build's staging directory).
#[derive(Debug)]
pub struct DirSink {
    root: PathBuf,
    /// The output being replaced, whose unchanged files are linked.
    previous: Option<PathBuf>,
}

impl DirSink {
    /// Writes under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirSink {
            root: root.into(),
            previous: None,
        }
    }

    /// Writes under `root`; a file whose bytes equal the file at the same
    /// path under `previous` (the output this build replaces, on the same
    /// file system) is linked to it instead. An unchanged page then costs
    /// no write, keeps its modification time for incremental deploys, and
    /// frees no inode when the old output is deleted (on ext4 without a
    /// journal, freed inodes slow the next build's file creation).
    pub fn reusing(root: impl Into<PathBuf>, previous: Option<PathBuf>) -> Self {
        DirSink {
            root: root.into(),
            previous,
        }
    }

    /// Links `full` to the previous output's `path` when that is a regular
    /// file holding exactly `parts`.
    fn link_unchanged(&self, path: &str, full: &Path, parts: &[&[u8]]) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let old = previous.join(path);
        // Every directory between the previous output and the file must be
        // a real one: a link planted there (`assets` → elsewhere) would
        // make the new site link to files outside it.
        if !super::real_dirs_between(previous, &old) {
            return false;
        }
        let len: usize = parts.iter().map(|p| p.len()).sum();
        // Never a link, and never a file of another size: most changes
        // are told apart without reading.
        let same_size = std::fs::symlink_metadata(&old)
            .is_ok_and(|m| m.file_type().is_file() && m.len() == len as u64);
        if !same_size {
            return false;
        }
        // Compared a block at a time: the print page and the search index
        // are tens of megabytes.
        let Ok(file) = std::fs::File::open(&old) else {
            return false;
        };
        let size = len.clamp(1, 1 << 16);
        let mut reader = std::io::BufReader::with_capacity(size, file);
        let mut block = vec![0; size];
        for p in parts {
            for want in p.chunks(block.len()) {
                let got = &mut block[..want.len()];
                if std::io::Read::read_exact(&mut reader, got).is_err() || got != want {
                    return false;
                }
            }
        }
        let at_end = std::io::Read::read(&mut reader, &mut block[..1]).is_ok_and(|n| n == 0);
        at_end && std::fs::hard_link(&old, full).is_ok()
    }
}

impl Sink for DirSink {
    fn put_parts(&self, path: &str, parts: &[&[u8]]) -> Result<(), Failure> {
        let full = self.root.join(path);
        super::step("write a file of the staged site")?;
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
        }
        if self.link_unchanged(path, &full, parts) {
            return Ok(());
        }
        // A new file, never one opened over an existing path: that may be
        // a link into the previous output, which must not change.
        let create = || {
            std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(&full)
        };
        let file = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::fs::remove_file(&full).and_then(|()| create())
            }
            other => other,
        }
        .map_err(|e| failed(format!("cannot write {}: {e}", full.display())))?;
        let mut w = std::io::BufWriter::new(file);
        for p in parts {
            w.write_all(p)
                .map_err(|e| failed(format!("cannot write {}: {e}", full.display())))?;
        }
        w.flush()
            .map_err(|e| failed(format!("cannot write {}: {e}", full.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_identical_regular_files_are_linked() {
        let tmp = tempfile::tempdir().unwrap();
        let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
        std::fs::create_dir_all(old.join("d")).unwrap();
        std::fs::write(old.join("d/same.html"), "abcdef").unwrap();
        std::fs::write(old.join("changed.html"), "abcdef").unwrap();
        std::fs::write(old.join("target.html"), "abcdef").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(old.join("target.html"), old.join("link.html")).unwrap();
        let sink = DirSink::reusing(&new, Some(old.clone()));
        sink.put_parts("d/same.html", &[b"ab", b"", b"cdef"])
            .unwrap();
        sink.put_parts("changed.html", &[b"ab", b"cdeX"]).unwrap();
        sink.put("link.html", b"abcdef").unwrap();
        sink.put("fresh.html", b"new").unwrap();
        // A directory link planted in the previous output: never followed.
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("secret.html"), "abcdef").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&elsewhere, old.join("assets")).unwrap();
        sink.put("assets/secret.html", b"abcdef").unwrap();
        let linked = |rel: &str| {
            let (a, b) = (old.join(rel), new.join(rel));
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                std::fs::metadata(&a).unwrap().ino() == std::fs::metadata(&b).unwrap().ino()
            }
            #[cfg(not(unix))]
            {
                let _ = (a, b);
                true
            }
        };
        assert!(linked("d/same.html"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let planted = std::fs::metadata(elsewhere.join("secret.html"))
                .unwrap()
                .ino();
            let written = std::fs::metadata(new.join("assets/secret.html"))
                .unwrap()
                .ino();
            assert_ne!(planted, written, "linked through a planted directory link");
        }
        assert!(!linked("changed.html"));
        assert_eq!(std::fs::read(new.join("changed.html")).unwrap(), b"abcdeX");
        assert_eq!(std::fs::read(old.join("changed.html")).unwrap(), b"abcdef");
        let link = std::fs::symlink_metadata(new.join("link.html")).unwrap();
        assert!(link.file_type().is_file(), "a link is never reused");
        // Writing a path again never writes through the link into the old
        // output.
        sink.put("d/same.html", b"other").unwrap();
        assert_eq!(std::fs::read(old.join("d/same.html")).unwrap(), b"abcdef");
        assert_eq!(std::fs::read(new.join("d/same.html")).unwrap(), b"other");
    }
}
