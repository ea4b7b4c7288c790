//! Opening a file to read: only a regular file, opened without blocking (a
//! FIFO or a device named like a page would hang the run), and never more
//! than a limit, however large the file is or grows while it is read.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// It is a directory, FIFO, socket or device.
    NotRegular(&'static str),
    /// It holds more than the limit.
    TooLarge {
        /// Its size, as far as it was read.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// Opening or reading it failed.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { len, limit } => write!(
                f,
                "it is {} MiB; files of this kind are read up to {} MiB",
                len.div_ceil(1 << 20),
                limit >> 20
            ),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// A static file of the content directory, read only when it is needed
/// (checked, written), one at a time: a book's downloads are never all in
/// memory at once.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the content directory (and to the site root).
    pub path: PathBuf,
    /// Where it is read from.
    pub source: PathBuf,
    /// Its size when the book was loaded.
    pub len: u64,
}

impl Asset {
    /// Its bytes, up to the static-file limit.
    pub fn read(&self) -> Result<Vec<u8>, ReadError> {
        read_regular(&self.source, super::MAX_ASSET)
    }

    /// Its first `n` bytes at most (to tell a document by its start).
    pub fn head(&self, n: usize) -> Result<Vec<u8>, ReadError> {
        let (file, _) = open_regular(&self.source, super::MAX_ASSET)?;
        let mut bytes = Vec::with_capacity(n);
        file.take(n as u64)
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        Ok(bytes)
    }
}

/// Opens the regular file at `path` (links followed) without blocking, and
/// checks it holds at most `limit` bytes; returns it and its size.
pub fn open_regular(path: &Path, limit: u64) -> Result<(std::fs::File, u64), ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading waits for a writer unless non-blocking;
    // a regular file reads the same either way.
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            len: meta.len(),
            limit,
        });
    }
    Ok((file, meta.len()))
}

/// Reads the regular file at `path` (links followed), at most `limit`
/// bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path, limit)?;
    let meta_len = len;
    let mut bytes = Vec::with_capacity(usize::try_from(meta_len).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            len: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.md");
        std::fs::write(&f, "hello").unwrap();
        assert_eq!(read_regular(&f, 5).unwrap(), b"hello");
        assert!(matches!(
            read_regular(&f, 4),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(matches!(
            read_regular(tmp.path(), 9),
            Err(ReadError::NotRegular("a directory"))
        ));
        #[cfg(target_os = "linux")]
        {
            let fifo = tmp.path().join("pipe.md");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: a NUL-terminated path and a mode; no memory is shared.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            assert!(matches!(
                read_regular(&fifo, 9),
                Err(ReadError::NotRegular("a FIFO"))
            ));
        }
    }
}
