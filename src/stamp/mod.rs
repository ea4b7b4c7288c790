//! Version stamps: the provenance every artifact carries inside itself.
//!
//! In Markdown and TOML a **managed region** sits between two comment lines:
//!
//! ```text
//! <!-- govbook:begin agents-md version=2026.11.0 baseline=codex-cli@0.139.0 sha256=… -->
//! …managed text…
//! <!-- govbook:end agents-md -->
//! ```
//!
//! (`# govbook:begin …` in TOML). The hash covers the managed text with line
//! endings normalised to `\n`, so a checkout with CRLF is not "modified".
//! Text outside the region belongs to the repository. JSON has no comments:
//! the whole document is managed and the stamp is the reserved key
//! `"//govbook"` (see [`json`]).

pub mod json;
pub mod update;

use std::fmt;
use std::ops::Range;

use sha2::{Digest, Sha256};

/// The comment syntax of an artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    /// HTML comments.
    Markdown,
    /// `#` comments.
    Toml,
    /// `#` comments (a CI workflow).
    Yaml,
    /// A reserved key; the whole document is managed.
    Json,
}

impl Syntax {
    /// The file type's name, as the manifest and the highlighter call it.
    pub fn name(self) -> &'static str {
        match self {
            Syntax::Markdown => "markdown",
            Syntax::Toml => "toml",
            Syntax::Yaml => "yaml",
            Syntax::Json => "json",
        }
    }

    /// The format of a file, by its extension.
    pub fn of_path(path: &str) -> Option<Syntax> {
        let ext = path.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Syntax::Markdown),
            // `.gitignore` has `#` comments, as TOML does.
            "toml" | "gitignore" => Some(Syntax::Toml),
            "json" => Some(Syntax::Json),
            "yml" | "yaml" => Some(Syntax::Yaml),
            _ => None,
        }
    }

    fn open(self) -> &'static str {
        match self {
            Syntax::Markdown => "<!-- ",
            Syntax::Toml | Syntax::Yaml | Syntax::Json => "# ",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Syntax::Markdown => " -->",
            Syntax::Toml | Syntax::Yaml | Syntax::Json => "",
        }
    }
}

/// What a stamp says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Artifact id.
    pub id: String,
    /// Team variant, if any.
    pub team: Option<String>,
    /// Handbook version the managed text was rendered for.
    pub version: String,
    /// Pinned Codex CLI version, as `codex-cli@X.Y.Z`.
    pub baseline: String,
    /// sha256 of the managed text, lowercase hex.
    pub sha256: String,
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "govbook:begin {}", self.id)?;
        if let Some(t) = &self.team {
            write!(f, " team={t}")?;
        }
        write!(
            f,
            " version={} baseline={} sha256={}",
            self.version, self.baseline, self.sha256
        )
    }
}

/// The managed text with line endings normalised, as hashed.
pub fn unify_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// sha256 of the normalised text, lowercase hex.
pub fn hash(text: &str) -> String {
    let digest = Sha256::digest(unify_newlines(text).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The region's begin line, end line and managed text, ready to write.
pub fn wrap(format: Syntax, stamp: &Stamp, managed: &str) -> String {
    let mut out = String::with_capacity(managed.len() + 200);
    out.push_str(format.open());
    out.push_str(&stamp.to_string());
    out.push_str(format.close());
    out.push('\n');
    out.push_str(managed);
    if !managed.is_empty() && !managed.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(format.open());
    out.push_str("govbook:end ");
    out.push_str(&stamp.id);
    out.push_str(format.close());
    out.push('\n');
    out
}

/// A managed region found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The parsed stamp.
    pub stamp: Stamp,
    /// Bytes of the whole region, begin line to end line inclusive.
    pub span: Range<usize>,
    /// Bytes of the managed text.
    pub managed: Range<usize>,
    /// 1-based line of the begin marker.
    pub line: usize,
}

impl Region {
    /// Whether the managed text still has the hash the stamp records.
    pub fn intact(&self, text: &str) -> bool {
        hash(&text[self.managed.clone()]) == self.stamp.sha256
    }
}

/// A stamp that cannot be trusted, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Finds every managed region of a Markdown or TOML text. Damaged markers
/// (a truncated line, a bad hash, a begin without end, two begins, an end
/// without begin) are reported and their region is not returned.
pub fn regions(text: &str, format: Syntax) -> (Vec<Region>, Vec<Damage>) {
    let mut found = Vec::new();
    let mut damage = Vec::new();
    let mut open: Option<(Stamp, usize, usize, usize)> = None; // stamp, region start, managed start, line
    let mut nested = false; // inside a doubly-opened region, until its end
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']).trim();
        let Some(marker) = marker(line, format) else {
            // A line that opens like a marker but does not parse (a cut-off
            // `-->`, say) is damage; prose that mentions markers is not.
            let opener = format.open().trim_end();
            let after = line.strip_prefix(opener).map(str::trim_start).unwrap_or("");
            if after.starts_with("govbook:begin") || after.starts_with("govbook:end") {
                damage.push(Damage {
                    line: line_no,
                    reason: "a govbook marker that is not a whole comment line".into(),
                });
            }
            continue;
        };
        match marker {
            Marker::Begin(Ok(stamp)) => {
                // Two begins: neither region can be trusted.
                if let Some((prev, ..)) = open.take() {
                    damage.push(Damage {
                        line: line_no,
                        reason: format!("a second govbook:begin before govbook:end {}", prev.id),
                    });
                    nested = true;
                    continue;
                }
                if !nested {
                    open = Some((stamp, start, offset, line_no));
                }
            }
            Marker::Begin(Err(reason)) => {
                open = None;
                damage.push(Damage {
                    line: line_no,
                    reason,
                });
            }
            Marker::End(_) if nested => nested = false,
            Marker::End(id) => match open.take() {
                Some((stamp, rstart, mstart, line)) if stamp.id == id => found.push(Region {
                    stamp,
                    span: rstart..offset,
                    managed: mstart..start,
                    line,
                }),
                Some((stamp, ..)) => damage.push(Damage {
                    line: line_no,
                    reason: format!("govbook:end {id} closes govbook:begin {}", stamp.id),
                }),
                None => damage.push(Damage {
                    line: line_no,
                    reason: format!("govbook:end {id} without a govbook:begin"),
                }),
            },
        }
    }
    if let Some((stamp, _, _, line)) = open {
        damage.push(Damage {
            line,
            reason: format!("govbook:begin {} has no govbook:end", stamp.id),
        });
    }
    (found, damage)
}

enum Marker {
    Begin(Result<Stamp, String>),
    End(String),
}

/// Parses a whole-line marker comment.
fn marker(line: &str, format: Syntax) -> Option<Marker> {
    let inner = line.strip_prefix(format.open().trim_end())?;
    let inner = match format {
        Syntax::Markdown => inner.strip_suffix("-->")?,
        _ => inner,
    }
    .trim();
    if let Some(rest) = inner.strip_prefix("govbook:begin") {
        return Some(Marker::Begin(parse_stamp(rest)));
    }
    let id = inner.strip_prefix("govbook:end")?.trim();
    Some(Marker::End(id.to_owned()))
}

/// Parses `ID [team=T] version=V baseline=codex-cli@B sha256=H`.
pub fn parse_stamp(rest: &str) -> Result<Stamp, String> {
    let mut words = rest.split_whitespace();
    let id = words.next().ok_or("govbook:begin without an artifact id")?;
    if !valid_id(id) {
        return Err(format!("`{id}` is not an artifact id"));
    }
    let (mut team, mut version, mut baseline, mut sha) = (None, None, None, None);
    for w in words {
        let (k, v) = w
            .split_once('=')
            .ok_or_else(|| format!("`{w}` is not key=value"))?;
        let slot = match k {
            "team" => &mut team,
            "version" => &mut version,
            "baseline" => &mut baseline,
            "sha256" => &mut sha,
            _ => return Err(format!("unknown stamp field `{k}`")),
        };
        if slot.replace(v.to_owned()).is_some() {
            return Err(format!("stamp field `{k}` given twice"));
        }
    }
    let version = version.ok_or("the stamp has no version")?;
    semver::Version::parse(&version)
        .map_err(|e| format!("version `{version}` is not valid: {e}"))?;
    let baseline = baseline.ok_or("the stamp has no baseline")?;
    let cli = baseline
        .strip_prefix("codex-cli@")
        .ok_or_else(|| format!("baseline `{baseline}` is not codex-cli@VERSION"))?;
    semver::Version::parse(cli).map_err(|e| format!("baseline `{baseline}` is not valid: {e}"))?;
    let sha256 = sha.ok_or("the stamp has no sha256")?;
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!("sha256 `{sha256}` is not 64 lowercase hex digits"));
    }
    if let Some(t) = team.as_ref().filter(|t| !valid_id(t)) {
        return Err(format!("`{t}` is not a team id"));
    }
    Ok(Stamp {
        id: id.to_owned(),
        team,
        version,
        baseline,
        sha256,
    })
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests;
