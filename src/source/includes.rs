//! `{{#include path}}` and `{{#title …}}` directives (mdBook syntax): found
//! in pages and in included files, with every included file read here, so
//! later stages expand them without touching the file system.
//!
//! Includes are confined to the book root (compared component by component,
//! links resolved), and a file that includes itself, directly or not, is an
//! error rather than a loop.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::tree::stays_inside;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::{FileId, Sources, lexical_path};

/// mdBook's directive syntax; an escaped `\{{#…}}` is kept literally.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\\{\{#[^}]*\}\}|\{\{\s*#([A-Za-z0-9_]+)\s+([^}]*?)\s*\}\}").expect("static regex")
});

/// How deep includes may nest (mdBook's limit).
const MAX_DEPTH: usize = 10;

/// Which lines of an included file to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// The whole file.
    All,
    /// Lines `start..=end` (1-based; `None` is open).
    Lines(Option<usize>, Option<usize>),
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// One directive in a file.
#[derive(Debug, Clone)]
pub enum Directive {
    /// Replace with (part of) another file.
    Include {
        /// The included file, already read.
        file: FileId,
        /// Which of its lines to take.
        selector: Selector,
    },
    /// Set the page title; replaced with nothing.
    Title(String),
    /// `\{{#…}}`: replaced with the text without the backslash.
    Escaped,
    /// A directive that failed (reported); replaced with nothing.
    Broken,
}

/// The directives of every scanned file, with their spans, in order.
#[derive(Debug, Default)]
pub struct Includes {
    /// Directives by the file they appear in.
    pub by_file: HashMap<FileId, Vec<(Range<usize>, Directive)>>,
}

impl Includes {
    /// Whether `file` is included by some other file (then it is a snippet,
    /// not a page of its own, as in mdBook).
    pub fn is_included(&self, file: FileId) -> bool {
        self.by_file
            .values()
            .flatten()
            .any(|(_, d)| matches!(d, Directive::Include { file: f, .. } if *f == file))
    }

    /// Every included file, once, in id order.
    pub fn targets(&self) -> Vec<FileId> {
        let mut t: Vec<FileId> = self
            .by_file
            .values()
            .flatten()
            .filter_map(|(_, d)| match d {
                Directive::Include { file, .. } => Some(*file),
                _ => None,
            })
            .collect();
        t.sort();
        t.dedup();
        t
    }

    /// The directives of `file` (none when it has none).
    pub fn of(&self, file: FileId) -> &[(Range<usize>, Directive)] {
        self.by_file.get(&file).map_or(&[], Vec::as_slice)
    }
}

/// Scans `pages` (content-relative paths) and everything they include.
pub fn load_includes(
    sources: &mut Sources,
    src: &Path,
    pages: &[(PathBuf, FileId)],
    diags: &mut Diagnostics,
) -> Includes {
    let mut state = State {
        includes: Includes::default(),
        loaded: HashMap::new(),
        canon_root: std::fs::canonicalize(sources.root())
            .unwrap_or_else(|_| sources.root().to_path_buf()),
    };
    // Every page is known before any is scanned, so an included page is
    // the same file (and id) as the page itself.
    // Keys are normalised like include targets, so `src = "./content"`
    // and `content` name the same files.
    let key = |path: &Path| lexical_path(&src.join(path)).unwrap_or_else(|| src.join(path));
    for (path, id) in pages {
        state.loaded.insert(key(path), *id);
    }
    for (path, id) in pages {
        let mut stack = vec![*id];
        state.scan(sources, *id, &key(path), &mut stack, diags);
    }
    state.includes
}

struct State {
    includes: Includes,
    loaded: HashMap<PathBuf, FileId>,
    canon_root: PathBuf,
}

impl State {
    fn scan(
        &mut self,
        sources: &mut Sources,
        file: FileId,
        rel: &Path,
        stack: &mut Vec<FileId>,
        diags: &mut Diagnostics,
    ) {
        if self.includes.by_file.contains_key(&file) {
            return;
        }
        let text = sources.get(file).text.clone();
        if !text.contains("{{") {
            return;
        }
        let mut found = Vec::new();
        for cap in DIRECTIVE.captures_iter(&text) {
            let Some(whole) = cap.get(0) else { continue };
            let span = whole.range();
            let directive = match (
                cap.get(1).map(|m| m.as_str()),
                cap.get(2).map(|m| m.as_str()),
            ) {
                (None, _) => Directive::Escaped,
                (Some("title"), Some(title)) => Directive::Title(title.trim().to_owned()),
                (Some("include"), Some(arg)) => {
                    self.include(sources, file, rel, arg, span.clone(), stack, diags)
                }
                _ => continue, // other mdBook directives (playground, …) stay as text
            };
            found.push((span, directive));
        }
        if !found.is_empty() {
            self.includes.by_file.insert(file, found);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn include(
        &mut self,
        sources: &mut Sources,
        file: FileId,
        rel: &Path,
        arg: &str,
        span: Range<usize>,
        stack: &mut Vec<FileId>,
        diags: &mut Diagnostics,
    ) -> Directive {
        let (path, selector) = parse_arg(arg);
        let err = |code, msg: String, hint: &str| {
            Diagnostic::new(code, msg)
                .at_span(file, span.clone())
                .with_hint(hint)
        };
        let dir = rel.parent().unwrap_or(Path::new(""));
        let Some(target) = lexical_path(&dir.join(path)) else {
            diags.push(err(
                Code::OutsideRoot,
                format!("`{path}` leaves the book root"),
                "includes must stay inside the directory that holds book.toml",
            ));
            return Directive::Broken;
        };
        let abs = sources.root().join(&target);
        if !abs.exists() {
            diags.push(err(
                Code::IncludeMissing,
                format!("`{path}` does not exist"),
                "check the path: it is relative to this file",
            ));
            return Directive::Broken;
        }
        if !stays_inside(&abs, &self.canon_root) {
            diags.push(err(
                Code::OutsideRoot,
                format!("`{path}` resolves (through a link) outside the book root"),
                "includes must stay inside the directory that holds book.toml",
            ));
            return Directive::Broken;
        }
        let target_id = match self.loaded.get(&target) {
            Some(&id) => id,
            None => match crate::source::read(sources, &target, diags) {
                Some(id) => {
                    self.loaded.insert(target.clone(), id);
                    id
                }
                None => return Directive::Broken,
            },
        };
        if stack.contains(&target_id) {
            diags.push(err(
                Code::IncludeCycle,
                format!("including `{path}` here makes a cycle"),
                "a file cannot include itself, directly or through other files",
            ));
            return Directive::Broken;
        }
        if stack.len() > MAX_DEPTH {
            diags.push(err(
                Code::IncludeCycle,
                format!("includes nest deeper than {MAX_DEPTH}"),
                "flatten the includes",
            ));
            return Directive::Broken;
        }
        if let Selector::Anchor(name) = &selector
            && anchored(&sources.get(target_id).text, name).is_none()
        {
            diags.push(err(
                Code::IncludeMissing,
                format!("`{path}` has no `ANCHOR: {name}` … `ANCHOR_END: {name}`"),
                "mark the lines with ANCHOR: NAME and ANCHOR_END: NAME comments",
            ));
            return Directive::Broken;
        }
        stack.push(target_id);
        self.scan(sources, target_id, &target, stack, diags);
        stack.pop();
        Directive::Include {
            file: target_id,
            selector,
        }
    }
}

/// Splits `path:selector`.
fn parse_arg(arg: &str) -> (&str, Selector) {
    let arg = arg.split_whitespace().next().unwrap_or("");
    let Some((path, sel)) = arg.split_once(':') else {
        return (arg, Selector::All);
    };
    let num = |s: &str| s.trim().parse::<usize>().ok();
    let selector = match sel.split_once(':') {
        Some((a, b)) => Selector::Lines(num(a), num(b)),
        None if sel.chars().all(|c| c.is_ascii_digit()) && !sel.is_empty() => {
            let n = num(sel);
            Selector::Lines(n, n)
        }
        None if sel.is_empty() => Selector::All,
        None => Selector::Anchor(sel.to_owned()),
    };
    (path, selector)
}

/// The lines between the anchor markers of `name`, without any marker line.
pub fn anchored(text: &str, name: &str) -> Option<String> {
    let is_marker = |line: &str, kind: &str| {
        line.find(kind).is_some_and(|i| {
            let rest = line[i + kind.len()..].trim_start();
            // mdBook's anchor names are [\w-]+: `main` must not match `main-old`.
            rest.starts_with(name)
                && !rest[name.len()..]
                    .starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
        })
    };
    let mut out = String::new();
    let mut inside = false;
    let mut found = false;
    for line in text.split_inclusive('\n') {
        if is_marker(line, "ANCHOR_END:") {
            return found.then_some(out);
        }
        if is_marker(line, "ANCHOR:") {
            inside = true;
            found = true;
            continue;
        }
        if inside && !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            out.push_str(line);
        }
    }
    found.then_some(out)
}

/// Applies a selector to a file's text.
pub fn select(text: &str, selector: &Selector) -> String {
    match selector {
        Selector::All => text.to_owned(),
        Selector::Anchor(name) => anchored(text, name).unwrap_or_default(),
        Selector::Lines(start, end) => {
            let start = start.unwrap_or(1).max(1);
            let end = end.unwrap_or(usize::MAX);
            text.split_inclusive('\n')
                .enumerate()
                .filter(|(i, _)| (start..=end).contains(&(i + 1)))
                .map(|(_, l)| l)
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args() {
        assert_eq!(parse_arg("a.rs"), ("a.rs", Selector::All));
        assert_eq!(
            parse_arg("a.rs:3"),
            ("a.rs", Selector::Lines(Some(3), Some(3)))
        );
        assert_eq!(
            parse_arg("a.rs:3:"),
            ("a.rs", Selector::Lines(Some(3), None))
        );
        assert_eq!(
            parse_arg("a.rs::5"),
            ("a.rs", Selector::Lines(None, Some(5)))
        );
        assert_eq!(
            parse_arg("a.rs:2:5"),
            ("a.rs", Selector::Lines(Some(2), Some(5)))
        );
        assert_eq!(
            parse_arg("a.rs:main"),
            ("a.rs", Selector::Anchor("main".into()))
        );
    }

    #[test]
    fn selecting() {
        let t = "1\n2\n3\n4\n";
        assert_eq!(select(t, &Selector::Lines(Some(2), Some(3))), "2\n3\n");
        assert_eq!(select(t, &Selector::Lines(None, Some(1))), "1\n");
        assert_eq!(select(t, &Selector::Lines(Some(4), None)), "4\n");
        let old = "// ANCHOR: main-old\nOLD\n// ANCHOR_END: main-old\n// ANCHOR: main\nNEW\n// ANCHOR_END: main\n";
        assert_eq!(anchored(old, "main").unwrap(), "NEW\n");
        let a = "x\n// ANCHOR: main\nfn main() {}\n// ANCHOR: inner\nlet a = 1;\n// ANCHOR_END: inner\n// ANCHOR_END: main\n";
        assert_eq!(anchored(a, "main").unwrap(), "fn main() {}\nlet a = 1;\n");
        assert_eq!(anchored(a, "inner").unwrap(), "let a = 1;\n");
        assert!(anchored(a, "mai").is_none());
        assert!(anchored(a, "nope").is_none());
    }

    #[test]
    fn directive_syntax() {
        let caps: Vec<_> = DIRECTIVE
            .captures_iter(
                "a {{#include x.md}} b \\{{#include y.md}} {{ #title  T }} {{#playground p.rs}}",
            )
            .map(|c| c.get(1).map(|m| m.as_str().to_owned()))
            .collect();
        assert_eq!(
            caps,
            [
                Some("include".to_owned()),
                None,
                Some("title".to_owned()),
                Some("playground".to_owned())
            ]
        );
    }
}
