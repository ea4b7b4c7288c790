//! Where rendered files go: straight into a directory (`build`, so a large
//! book is never held in memory whole) or into memory (`serve`, tests).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// A destination for rendered files. Called from many threads.
pub trait Sink: Sync {
    /// Writes one file given in parts, so a large page is never joined.
    fn put_parts(&self, path: &str, parts: &[&[u8]]) -> Result<(), String>;

    /// Writes one file.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
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
    fn put_parts(&self, path: &str, parts: &[&[u8]]) -> Result<(), String> {
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
}

impl DirSink {
    /// Writes under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirSink { root: root.into() }
    }
}

impl Sink for DirSink {
    fn put_parts(&self, path: &str, parts: &[&[u8]]) -> Result<(), String> {
        let full = self.root.join(path);
        crate::output::step("write a file of the staged site")?;
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let file = std::fs::File::create(&full)
            .map_err(|e| format!("cannot write {}: {e}", full.display()))?;
        let mut w = std::io::BufWriter::new(file);
        for p in parts {
            w.write_all(p)
                .map_err(|e| format!("cannot write {}: {e}", full.display()))?;
        }
        w.flush()
            .map_err(|e| format!("cannot write {}: {e}", full.display()))
    }
}
