//! The repository lock file, `.govbook.toml` (the convention of copier's
//! answers file and cruft's `.cruft.json`): which handbook a repository
//! follows, where its manifest is published, the team, the artifacts chosen
//! with `--only`, and the version last applied. `apply` writes it; `apply`
//! and `drift` read it, so a later run needs no flags and a team's excluded
//! artifacts are not missing.
//!
//! ```toml
//! # govbook:lock: written by `govbook apply`; it records what this repository follows.
//! schema = "govbook-lock/1"
//! version = "2026.11.0"
//! team = "payments"
//! only = ["agents-md"]
//!
//! [handbook]
//! title = "Codex Rollout Handbook"
//! manifest = "https://handbook.example.com/templates/manifest.json"
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::failure::{Failure, usage};

/// The lock file's name, at the repository root.
pub const FILE: &str = ".govbook.toml";

/// The schema name written into every lock file.
pub const SCHEMA: &str = "govbook-lock/1";

/// The largest lock file read; a real one is a few hundred bytes.
const MAX: u64 = 64 * 1024;

/// What a repository follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The handbook version last applied.
    pub version: String,
    /// The team whose variant set the repository carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The artifact ids chosen with `--only` (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
    /// The handbook.
    pub handbook: Handbook,
}

/// The handbook a repository follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handbook {
    /// `[book] title`.
    #[serde(default)]
    pub title: String,
    /// Where its manifest is published: `[fleet] manifest-url` when the book
    /// sets it, else the book directory relative to the repository.
    pub manifest: String,
}

impl Lock {
    /// The file's text.
    pub fn to_text(&self) -> Result<String, Failure> {
        let body = toml::to_string(self)
            .map_err(|e| crate::failure::failed(format!("cannot write {FILE}: {e}")))?;
        Ok(format!(
            "# govbook:lock: written by `govbook apply`; it records what this repository follows.\n{body}"
        ))
    }

    /// Whether `manifest` is a URL rather than a path.
    pub fn manifest_is_url(&self) -> bool {
        is_url(&self.handbook.manifest)
    }
}

/// Whether `s` is an `http://` or `https://` URL.
pub fn is_url(s: &str) -> bool {
    let lower = s.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Reads the lock of `repo`: `None` when there is none; a damaged file is
/// an error naming its line and column.
pub fn read(repo: &Path) -> Result<Option<Lock>, Failure> {
    let path = repo.join(FILE);
    match path.symlink_metadata() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(usage(format!("{}: {e}", path.display()))),
        Ok(m) if !m.file_type().is_file() => {
            return Err(usage(format!(
                "{}: not a regular file (a lock file is never read through a link)",
                path.display()
            )));
        }
        Ok(m) if m.len() > MAX => {
            return Err(usage(format!(
                "{}: {} bytes, more than a lock file can be ({MAX})",
                path.display(),
                m.len()
            )));
        }
        Ok(_) => {}
    }
    let bytes = std::fs::read(&path).map_err(|e| usage(format!("{}: {e}", path.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| usage(format!("{}:1:1: not UTF-8 text", path.display())))?;
    parse(&text).map(Some).map_err(|(at, msg)| {
        let (line, col) = line_col(&text, at);
        usage(format!(
            "{}:{line}:{col}: {msg} (repair it, or delete it and run `govbook apply` with --team/--only)",
            path.display()
        ))
    })
}

/// Parses a lock file's text; an error carries its byte offset.
pub fn parse(text: &str) -> Result<Lock, (usize, String)> {
    let lock: Lock = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        (at, e.message().trim().replace('\n', " "))
    })?;
    // The line that sets `key` (serde keeps no spans of valid values).
    let at = |key: &str| {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            if t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
            {
                return offset + (line.len() - t.len());
            }
            offset += line.len();
        }
        0
    };
    if lock.schema != SCHEMA {
        return Err((
            at("schema"),
            format!("schema `{}`, expected `{SCHEMA}`", lock.schema),
        ));
    }
    if lock.handbook.manifest.trim().is_empty() {
        return Err((at("manifest"), "`manifest` is empty".into()));
    }
    Ok(lock)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// `to` relative to `from` (both absolute, canonical), with `/` separators.
pub fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock() -> Lock {
        Lock {
            schema: SCHEMA.into(),
            version: "2026.11.0".into(),
            team: Some("payments".into()),
            only: vec!["agents-md".into()],
            handbook: Handbook {
                title: "Handbook".into(),
                manifest: "https://handbook.example/templates/manifest.json".into(),
            },
        }
    }

    #[test]
    fn round_trips() {
        let text = lock().to_text().unwrap();
        assert!(text.starts_with("# govbook:lock"));
        assert_eq!(parse(&text).unwrap(), lock());
        assert!(lock().manifest_is_url());
    }

    #[test]
    fn damage_has_a_position() {
        let text = lock().to_text().unwrap().replace("team = ", "teem = ");
        let (at, msg) = parse(&text).unwrap_err();
        assert_eq!(line_col(&text, at).0, 4, "{msg}");
        assert!(msg.contains("teem"), "{msg}");
        let text = lock().to_text().unwrap().replace("govbook-lock/1", "x/2");
        let (at, msg) = parse(&text).unwrap_err();
        assert!(msg.contains("schema"), "{msg}");
        assert_eq!(line_col(&text, at), (2, 1));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/a/b/repo"), Path::new("/a/book")),
            "../../book"
        );
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), ".");
        assert_eq!(relative(Path::new("/a"), Path::new("/a/x")), "x");
    }
}
