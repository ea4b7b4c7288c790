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
use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::text::{FileId, Sources, lexical_path};

/// mdBook 0.5.4's directive syntax, verbatim: an escaped `\{{#…}}` runs to
/// the last `}}` on its line and is kept literally; a directive's argument
/// is everything up to the first `}`, across lines.
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\\\{\{#.*\}\}|\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").expect("static regex")
});

/// The spans of every directive-like text in `text` (escaped ones too), as
/// mdBook's pattern finds them.
pub fn directive_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    DIRECTIVE.find_iter(text).map(|m| m.range())
}

/// How deep includes may nest (mdBook's limit).
const MAX_DEPTH: usize = 10;

/// Which lines of an included file to take, as mdBook reads `path:…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Lines `start..end`, 0-based, `end` exclusive and `None` when open
    /// (the whole file is `Lines(0, None)`).
    Lines(usize, Option<usize>),
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

impl Selector {
    /// The whole file.
    pub const ALL: Selector = Selector::Lines(0, None);
}

/// How an included file is inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeKind {
    /// `{{#include}}`: the selected lines as they are.
    Plain,
    /// `{{#rustdoc_include}}`: the whole file, the lines outside the
    /// selection as hidden lines (`# `).
    Rustdoc,
    /// `{{#playground}}`: the whole file as a Rust code block, with these
    /// fence attributes.
    Playground(Vec<String>),
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
        /// How it is inserted.
        kind: IncludeKind,
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
    /// Pages whose text a preprocessing run already expanded (mdBook's
    /// `links`), with their `{{#title}}`: their directives above describe
    /// the text before that, and are not expanded again.
    pub linked: HashMap<FileId, Option<String>>,
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

    /// The directives of `file` (none when it has none, or when its text
    /// was already expanded).
    pub fn of(&self, file: FileId) -> &[(Range<usize>, Directive)] {
        if self.linked.contains_key(&file) {
            return &[];
        }
        self.by_file.get(&file).map_or(&[], Vec::as_slice)
    }
}

/// Scans `pages` (content-relative paths) and everything they include.
/// Includes stay inside the book root, or inside `include_root` (a
/// canonical directory that contains the book root) when book.toml sets
/// `[build] include-root`.
pub fn load_includes(
    sources: &mut Sources,
    src: &Path,
    pages: &[(PathBuf, FileId)],
    include_root: Option<&Path>,
    missing_anchor: Severity,
    diags: &mut Diagnostics,
) -> Includes {
    let mut state = State {
        includes: Includes::default(),
        loaded: HashMap::new(),
        canon_root: std::fs::canonicalize(sources.root())
            .unwrap_or_else(|_| sources.root().to_path_buf()),
        include_root: include_root.map(Path::to_path_buf),
        missing_anchor,
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
    include_root: Option<PathBuf>,
    /// What an include naming a missing anchor is (see
    /// [`crate::diag::dangling`]).
    missing_anchor: Severity,
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
            let (Some(kind), Some(rest)) = (cap.get(1), cap.get(2)) else {
                found.push((span, Directive::Escaped));
                continue;
            };
            let rest = rest.as_str();
            if kind.as_str() == "title" {
                found.push((span, Directive::Title(rest.trim().to_owned())));
                continue;
            }
            // As mdBook: the first word is the path, the rest are fence
            // attributes (playground); a directive with no path, or of a
            // kind mdBook does not know, stays as text.
            let mut words = rest.split_whitespace();
            let Some(arg) = words.next() else { continue };
            let (path, selector, how) = match kind.as_str() {
                "include" => {
                    let (path, sel) = parse_arg(arg);
                    (path, sel, IncludeKind::Plain)
                }
                "rustdoc_include" => {
                    let (path, sel) = parse_arg(arg);
                    (path, sel, IncludeKind::Rustdoc)
                }
                "playground" | "playpen" => (
                    arg,
                    Selector::ALL,
                    IncludeKind::Playground(words.map(str::to_owned).collect()),
                ),
                _ => continue,
            };
            let d = self.include(
                sources,
                file,
                rel,
                (path, selector, how),
                span.clone(),
                stack,
                diags,
            );
            found.push((span, d));
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
        (path, selector, kind): (&str, Selector, IncludeKind),
        span: Range<usize>,
        stack: &mut Vec<FileId>,
        diags: &mut Diagnostics,
    ) -> Directive {
        let err = |code, msg: String, hint: &str| {
            Diagnostic::new(code, msg)
                .at_span(file, span.clone())
                .with_hint(hint)
        };
        let dir = rel.parent().unwrap_or(Path::new(""));
        let joined = dir.join(path);
        let target = match lexical_path(&joined)
            .ok_or(())
            .or_else(|()| self.outside(&joined))
        {
            Ok(t) => t,
            Err(hint) => {
                diags.push(err(
                    Code::OutsideRoot,
                    format!("`{path}` leaves the book root"),
                    &hint,
                ));
                return Directive::Broken;
            }
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
        if abs.is_dir() {
            diags.push(err(
                Code::IncludeMissing,
                format!("`{path}` is a directory, not a file"),
                "name a file: the path is relative to this file",
            ));
            return Directive::Broken;
        }
        if !stays_inside(&abs, self.include_root.as_ref().unwrap_or(&self.canon_root)) {
            let (root, hint) = match self.include_root {
                Some(_) => (
                    "the include root",
                    "[build] include-root bounds includes, links resolved",
                ),
                None => (
                    "the book root",
                    "includes must stay inside the directory that holds book.toml",
                ),
            };
            diags.push(err(
                Code::OutsideRoot,
                format!("`{path}` resolves (through a link) outside {root}"),
                hint,
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
            let mut d = err(
                Code::IncludeMissing,
                format!("`{path}` has no `ANCHOR: {name}` … `ANCHOR_END: {name}`"),
                "mark the lines with ANCHOR: NAME and ANCHOR_END: NAME comments",
            );
            d.severity = self.missing_anchor;
            diags.push(d);
            if self.missing_anchor == Severity::Error {
                return Directive::Broken;
            }
        }
        stack.push(target_id);
        self.scan(sources, target_id, &target, stack, diags);
        stack.pop();
        Directive::Include {
            file: target_id,
            selector,
            kind,
        }
    }
}

impl State {
    /// A path (relative to the book root) that climbs out of the book:
    /// kept, with its leading `..`, when `[build] include-root` contains
    /// it; otherwise the hint naming the book.toml line that would allow it.
    fn outside(&self, joined: &Path) -> Result<PathBuf, String> {
        use std::path::Component;
        let mut ups = 0;
        let mut down: Vec<&std::ffi::OsStr> = Vec::new();
        for c in joined.components() {
            match c {
                Component::Normal(p) => down.push(p),
                Component::CurDir => {}
                Component::ParentDir => {
                    if down.pop().is_none() {
                        ups += 1;
                    }
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err("an include is a path relative to the file that holds it".into());
                }
            }
        }
        let allowed = self.include_root.as_ref().is_some_and(|ir| {
            self.canon_root
                .ancestors()
                .nth(ups)
                .is_some_and(|a| a.starts_with(ir))
        });
        if allowed {
            let mut out: PathBuf = std::iter::repeat_n(Component::ParentDir, ups).collect();
            out.extend(down);
            return Ok(out);
        }
        let up = vec![".."; ups].join("/");
        Err(format!(
            "includes stay inside the directory that holds book.toml; to allow this one, \
             add `include-root = \"{up}\"` under [build] in book.toml (or, to keep building \
             with mdBook 0.5, which refuses unknown [build] keys, under [output.site] \
             with `optional = true`)"
        ))
    }
}

/// Splits `path:selector` as mdBook 0.5.4 does: `path:N` is line N,
/// `path:A:B` lines A to B, an open end or start where a number is missing
/// or not a number, and anything else after the colon an anchor name.
fn parse_arg(arg: &str) -> (&str, Selector) {
    let mut parts = arg.splitn(2, ':');
    let path = parts.next().unwrap_or("");
    let mut parts = parts.next().unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first.map(|s| (s, s.parse::<usize>())) {
        Some((_, Ok(n))) => Some(n.saturating_sub(1)),
        Some(("", _)) | None => None,
        Some((anchor, Err(_))) => return (path, Selector::Anchor(anchor.to_owned())),
    };
    let end = parts.next().map(str::parse::<usize>);
    let selector = match (start, end) {
        (Some(s), Some(Ok(e))) => Selector::Lines(s, Some(e)),
        (Some(s), Some(Err(_))) => Selector::Lines(s, None),
        (Some(s), None) => Selector::Lines(s, Some(s + 1)),
        (None, Some(Ok(e))) => Selector::Lines(0, Some(e)),
        (None, _) => Selector::ALL,
    };
    (path, selector)
}

static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*(?P<name>[\w_-]+)").expect("static regex"));
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*(?P<name>[\w_-]+)").expect("static regex"));

fn names(re: &Regex, line: &str, name: &str) -> bool {
    re.captures(line).is_some_and(|c| &c["name"] == name)
}

/// The lines between the anchor markers of `name`, without any marker
/// line, joined as mdBook joins them (no final newline); `None` when the
/// anchor does not start anywhere.
pub fn anchored(text: &str, name: &str) -> Option<String> {
    let mut kept = Vec::new();
    let mut found = false;
    for line in text.lines() {
        if found {
            if let Some(c) = ANCHOR_END.captures(line) {
                if &c["name"] == name {
                    break;
                }
            } else if !ANCHOR_START.is_match(line) {
                kept.push(line);
            }
        } else if names(&ANCHOR_START, line, name) {
            found = true;
        }
    }
    found.then(|| kept.join("\n"))
}

/// Lines `start..end` (0-based) joined by newlines, as mdBook takes them.
fn take_lines(text: &str, start: usize, end: Option<usize>) -> String {
    let lines = text.lines().skip(start);
    match end {
        Some(end) => lines
            .take(end.saturating_sub(start))
            .collect::<Vec<_>>()
            .join("\n"),
        None => lines.collect::<Vec<_>>().join("\n"),
    }
}

/// Every line, the ones outside `start..end` hidden behind `# `.
fn rustdoc_lines(text: &str, start: usize, end: Option<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i < start || end.is_some_and(|e| i >= e) {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// Every line but the markers, the ones outside anchor `name` hidden.
fn rustdoc_anchored(text: &str, name: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for line in text.lines() {
        if inside {
            if let Some(c) = ANCHOR_END.captures(line) {
                inside = &c["name"] != name;
            } else if !ANCHOR_START.is_match(line) {
                out.push_str(line);
                out.push('\n');
            }
        } else if let Some(c) = ANCHOR_START.captures(line) {
            inside = &c["name"] == name;
        } else if !ANCHOR_END.is_match(line) {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.pop();
    out
}

/// The text an include directive inserts, from the included file's text.
pub fn select(text: &str, selector: &Selector, kind: &IncludeKind) -> String {
    match (kind, selector) {
        (IncludeKind::Plain, Selector::Lines(s, e)) => take_lines(text, *s, *e),
        (IncludeKind::Plain, Selector::Anchor(name)) => anchored(text, name).unwrap_or_default(),
        (IncludeKind::Rustdoc, Selector::Lines(s, e)) => rustdoc_lines(text, *s, *e),
        (IncludeKind::Rustdoc, Selector::Anchor(name)) => rustdoc_anchored(text, name),
        (IncludeKind::Playground(attrs), _) => {
            let mut fence = String::from("rust");
            for a in attrs {
                fence.push(',');
                fence.push_str(a);
            }
            let nl = if text.ends_with('\n') { "" } else { "\n" };
            format!("```{fence}\n{text}{nl}```\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_as_mdbook_reads_them() {
        let l = |s, e| Selector::Lines(s, e);
        assert_eq!(parse_arg("a.rs"), ("a.rs", Selector::ALL));
        assert_eq!(parse_arg("a.rs:3"), ("a.rs", l(2, Some(3))));
        assert_eq!(parse_arg("a.rs:3:"), ("a.rs", l(2, None)));
        assert_eq!(parse_arg("a.rs:3:x"), ("a.rs", l(2, None)));
        assert_eq!(parse_arg("a.rs::5"), ("a.rs", l(0, Some(5))));
        assert_eq!(parse_arg("a.rs:2:5"), ("a.rs", l(1, Some(5))));
        assert_eq!(parse_arg("a.rs:0"), ("a.rs", l(0, Some(1))));
        assert_eq!(parse_arg("a.rs:"), ("a.rs", Selector::ALL));
        assert_eq!(
            parse_arg("a.rs:main"),
            ("a.rs", Selector::Anchor("main".into()))
        );
        assert_eq!(
            parse_arg("a.rs:main:3"),
            ("a.rs", Selector::Anchor("main".into()))
        );
    }

    #[test]
    fn selecting_joins_lines_as_mdbook() {
        let plain = IncludeKind::Plain;
        let t = "1\n2\n3\n4\n";
        assert_eq!(select(t, &Selector::Lines(1, Some(3)), &plain), "2\n3");
        assert_eq!(select(t, &Selector::Lines(0, Some(1)), &plain), "1");
        assert_eq!(select(t, &Selector::Lines(3, None), &plain), "4");
        assert_eq!(select(t, &Selector::ALL, &plain), "1\n2\n3\n4");
        assert_eq!(select(t, &Selector::Lines(3, Some(2)), &plain), "");
        let old = "// ANCHOR: main-old\nOLD\n// ANCHOR_END: main-old\n// ANCHOR: main\nNEW\n// ANCHOR_END: main\n";
        assert_eq!(anchored(old, "main").unwrap(), "NEW");
        let a = "x\n// ANCHOR: main\nfn main() {}\n// ANCHOR: inner\nlet a = 1;\n// ANCHOR_END: inner\n// ANCHOR_END: main\n";
        assert_eq!(anchored(a, "main").unwrap(), "fn main() {}\nlet a = 1;");
        assert_eq!(anchored(a, "inner").unwrap(), "let a = 1;");
        assert!(anchored(a, "mai").is_none());
        assert!(anchored(a, "nope").is_none());
    }

    #[test]
    fn rustdoc_include_hides_the_rest() {
        let r = IncludeKind::Rustdoc;
        let t = "use x;\n// ANCHOR: body\nlet a = 1;\n// ANCHOR_END: body\nfn f() {}\n";
        assert_eq!(
            select(t, &Selector::Anchor("body".into()), &r),
            "# use x;\nlet a = 1;\n# fn f() {}"
        );
        assert_eq!(
            select("a\nb\nc\n", &Selector::Lines(1, Some(2)), &r),
            "# a\nb\n# c"
        );
        let p = IncludeKind::Playground(vec!["editable".into(), "edition2021".into()]);
        assert_eq!(
            select("fn main() {}", &Selector::ALL, &p),
            "```rust,editable,edition2021\nfn main() {}\n```\n"
        );
    }

    #[test]
    fn directive_syntax() {
        let caps: Vec<_> = DIRECTIVE
            .captures_iter(
                "a {{#include x.md}} b \\{{#include y.md}} {{ #title  T }} {{#playground p.rs}}",
            )
            .map(|c| c.get(1).map(|m| m.as_str().to_owned()))
            .collect();
        // The escape runs to the last `}}` of its line, as in mdBook.
        assert_eq!(caps, [Some("include".to_owned()), None]);
        let caps: Vec<_> = DIRECTIVE
            .captures_iter("{{ #title  T }}\n{{#playground\n p.rs}} {{#include }}")
            .map(|c| c.get(1).map(|m| m.as_str().to_owned()))
            .collect();
        assert_eq!(
            caps,
            [Some("title".to_owned()), Some("playground".to_owned())]
        );
    }
}
