//! mdBook preprocessors: the `[preprocessor.NAME]` commands book.toml
//! declares run with mdBook 0.5's protocol (`CMD supports html`, then
//! `[context, book]` as JSON on stdin and the book as JSON on stdout), in
//! mdBook's order, and the chapters they return replace the pages' text
//! before anything else reads it.
//!
//! book.toml is trusted: a line in it runs a program. Page content cannot
//! add a preprocessor. mdBook's built-in `links` (which expands
//! `{{#include}}` and its kin and takes `{{#title}}` out) and `index`
//! (which renames `README.md` chapters to `index.md`) take their places in
//! the order, so a preprocessor sees the included text unless it runs
//! before `links`, as in mdBook.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::config::BookConfig;
use crate::config::html::{BUILTIN_PREPROCESSORS, PreprocessorConfig};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::model::expand;
use crate::model::summary::{self, SummaryItem};
use crate::source::{ContentTree, Includes};
use crate::text::{FileId, Sources};

/// The renderer name preprocessors are asked about: govbook writes HTML.
pub const RENDERER: &str = "html";

/// The mdBook version the protocol follows.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// How long one preprocessor call may run by default.
const TIMEOUT: Duration = Duration::from_secs(600);

/// mdBook 0.5's `Book`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Book {
    /// The items in SUMMARY.md order.
    pub items: Vec<BookItem>,
}

/// mdBook 0.5's `BookItem`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BookItem {
    /// A chapter.
    Chapter(Chapter),
    /// A `---` line.
    Separator,
    /// A `# Part` heading.
    PartTitle(String),
}

/// mdBook 0.5's `Chapter`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    /// The title in SUMMARY.md.
    pub name: String,
    /// The Markdown.
    pub content: String,
    /// The section number, `[1, 2]` for 1.2.
    pub number: Option<Vec<u32>>,
    /// Nested chapters.
    pub sub_items: Vec<BookItem>,
    /// The output path (relative to the source directory); `None` for a draft.
    pub path: Option<PathBuf>,
    /// The source file (relative to the source directory).
    pub source_path: Option<PathBuf>,
    /// Titles of the enclosing chapters.
    pub parent_names: Vec<String>,
}

/// mdBook 0.5's `PreprocessorContext`.
#[derive(Debug, Serialize)]
struct Context<'a> {
    root: &'a Path,
    config: serde_json::Value,
    renderer: &'static str,
    mdbook_version: &'static str,
}

/// Where the include directives of pages are read from: the content
/// directory and the bound `[build] include-root` sets.
pub struct IncludeScope<'a> {
    /// The content directory, relative to the book root.
    pub src: &'a Path,
    /// `[build] include-root`, canonical, when book.toml sets it.
    pub include_root: Option<&'a Path>,
    /// What an include naming a missing anchor is.
    pub missing_anchor: crate::diag::Severity,
}

/// Runs the preprocessors book.toml declares over the listed pages of
/// `tree`, replacing their text in `sources`. Does nothing and returns
/// `None` when there are none. Once `links` has run, returns the includes
/// it read, with the pages it expanded marked (their text in `sources`
/// has no directive left to expand).
pub fn run(
    root: &Path,
    config: &BookConfig,
    sources: &mut Sources,
    tree: &ContentTree,
    scope: &IncludeScope<'_>,
    diags: &mut Diagnostics,
) -> Option<Includes> {
    if config.preprocessors.is_empty() {
        return None;
    }
    let at = |d: Diagnostic, span: std::ops::Range<usize>| match config.file {
        Some(f) => d.at_span(f, span),
        None => d.at_path(Path::new("book.toml")),
    };
    let order = match order(&config.preprocessors) {
        Ok(o) => o,
        Err(names) => {
            let d = Diagnostic::new(
                Code::PreprocessorFailed,
                format!(
                    "preprocessors {} run before and after each other",
                    names.join(", ")
                ),
            )
            .with_hint("remove one of the `before`/`after` entries that form the cycle");
            diags.push(at(d, 0..0));
            return None;
        }
    };
    let summary_id = tree.summary?;
    let pages: HashMap<&Path, FileId> = tree
        .pages
        .iter()
        .map(|(p, id)| (p.as_path(), *id))
        .collect();
    let mut book = book_of(sources, summary_id, &pages);
    let ctx = Context {
        root,
        config: context_config(config, sources),
        renderer: RENDERER,
        mdbook_version: MDBOOK_VERSION,
    };
    let mut linked: Option<Includes> = None;
    for step in order {
        let pre = match step {
            Step::Links => {
                let (includes, ok) = links(&mut book, &pages, sources, tree, scope, diags);
                linked = Some(includes);
                if !ok {
                    // The includes' errors point at the text they read.
                    return linked;
                }
                continue;
            }
            Step::Index => {
                index(&mut book.items);
                continue;
            }
            Step::Command(pre) => pre,
        };
        let fail = |message: String| {
            at(
                Diagnostic::new(Code::PreprocessorFailed, message),
                pre.span.clone(),
            )
        };
        let failed = match should_run(pre, root) {
            Ok(true) => None,
            Ok(false) => continue,
            Err(Problem::Failed(msg)) => Some(fail(format!("preprocessor `{}`: {msg}", pre.name))),
            Err(Problem::Missing(e)) if pre.optional => {
                let mut d = fail(format!(
                    "preprocessor `{}`: `{}` not found ({e}); it is optional, so the book is built without it",
                    pre.name, pre.command
                ));
                d.severity = Severity::Warning;
                diags.push(d);
                continue;
            }
            Err(Problem::Missing(e)) => Some(
                fail(format!(
                    "preprocessor `{}`: cannot run `{}`: {e}",
                    pre.name, pre.command
                ))
                .with_hint(
                    "install it, or mark it `optional = true`, or remove the table from book.toml",
                ),
            ),
        };
        let failed = failed.or_else(|| match invoke(pre, root, &ctx, &book) {
            Ok(b) => {
                book = b;
                None
            }
            Err(msg) => Some(fail(format!("preprocessor `{}`: {msg}", pre.name))),
        });
        if let Some(d) = failed {
            diags.push(d);
            // Once `links` has run, the pages' text must be the expanded
            // one its includes describe.
            if linked.is_some() {
                break;
            }
            return None;
        }
    }
    apply(book, &pages, sources);
    linked
}

/// One step of the run: a built-in or a command.
enum Step<'a> {
    Links,
    Index,
    Command(&'a PreprocessorConfig),
}

/// mdBook's `links`: the chapters' text as it stands is put in `sources`,
/// its includes read (confined as always; errors at the directive), and
/// each chapter's directives expanded. `false` when an include failed.
fn links(
    book: &mut Book,
    pages: &HashMap<&Path, FileId>,
    sources: &mut Sources,
    tree: &ContentTree,
    scope: &IncludeScope<'_>,
    diags: &mut Diagnostics,
) -> (Includes, bool) {
    apply(book.clone(), pages, sources);
    let errors = diags.errors();
    let mut includes = crate::source::load_includes(
        sources,
        scope.src,
        &tree.pages,
        scope.include_root,
        scope.missing_anchor,
        diags,
    );
    if diags.errors() > errors {
        return (includes, false);
    }
    let mut budget = expand::Budget::for_book();
    let mut ok = true;
    let mut expanded = HashMap::new();
    for_each_chapter(&mut book.items, &mut |ch| {
        let Some(path) = ch.source_path.clone().or(ch.path.clone()) else {
            return;
        };
        let Some(&id) = pages.get(path.as_path()) else {
            return;
        };
        budget.next_page();
        match expand::expand(sources, &includes, id, 0, &mut budget) {
            Ok(Some(e)) => {
                ch.content = e.text;
                expanded.insert(id, e.title);
            }
            Ok(None) => {
                expanded.insert(id, None);
            }
            Err(overflow) => {
                diags.push(crate::model::expansion_too_large(&path, id, overflow));
                ok = false;
            }
        }
    });
    includes.linked = expanded;
    (includes, ok)
}

/// mdBook's `index`: a `README.md` chapter is written as `index.md`.
fn index(items: &mut [BookItem]) {
    for_each_chapter(items, &mut |ch| {
        if let Some(path) = &mut ch.path
            && path
                .file_stem()
                .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
        {
            path.set_file_name("index.md");
        }
    });
}

fn for_each_chapter(items: &mut [BookItem], f: &mut impl FnMut(&mut Chapter)) {
    for item in items {
        if let BookItem::Chapter(ch) = item {
            f(ch);
            for_each_chapter(&mut ch.sub_items, f);
        }
    }
}

/// The order mdBook runs them in: `before`/`after` respected, the
/// built-in `links` and `index` among them; in each round, everything no
/// remaining name must precede, by name (so `admonish` runs before `links`
/// unless it asks to run after it). `Err` holds the names left in a cycle.
fn order(pres: &[PreprocessorConfig]) -> Result<Vec<Step<'_>>, Vec<String>> {
    let mut names: BTreeSet<&str> = BUILTIN_PREPROCESSORS.into_iter().collect();
    names.extend(pres.iter().map(|p| p.name.as_str()));
    // Edges first → then.
    let mut edges: Vec<(&str, &str)> = Vec::new();
    for p in pres {
        for b in &p.before {
            if names.contains(b.as_str()) {
                edges.push((&p.name, b));
            }
        }
        for a in &p.after {
            if names.contains(a.as_str()) {
                edges.push((a, &p.name));
            }
        }
    }
    let mut left = names;
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready: Vec<&str> = left
            .iter()
            .copied()
            .filter(|n| !edges.iter().any(|(a, b)| b == n && left.contains(a)))
            .collect();
        if ready.is_empty() {
            return Err(left.into_iter().map(str::to_owned).collect());
        }
        for n in ready {
            left.remove(n);
            match n {
                "links" => out.push(Step::Links),
                "index" => out.push(Step::Index),
                _ => out.extend(pres.iter().find(|p| p.name == n).map(Step::Command)),
            }
        }
    }
    Ok(out)
}

/// Why a preprocessor could not be asked.
enum Problem {
    /// The command could not be started.
    Missing(std::io::Error),
    /// It was started and failed (a timeout).
    Failed(String),
}

/// `renderers` decides when given; otherwise `CMD supports html` (exit 0).
fn should_run(pre: &PreprocessorConfig, root: &Path) -> Result<bool, Problem> {
    if let Some(r) = &pre.renderers {
        return Ok(r.iter().any(|r| r == RENDERER));
    }
    let mut cmd = command(&pre.command, root).map_err(Problem::Missing)?;
    cmd.args(["supports", RENDERER]);
    let child = spawn(cmd).map_err(Problem::Missing)?;
    let ran = bounded(child, None);
    match &ran.status {
        Ok(status) => Ok(status.success()),
        Err(msg) => Err(Problem::Failed(
            ran.with_stderr(format!("`supports {RENDERER}` {msg}")),
        )),
    }
}

fn spawn(mut cmd: Command) -> std::io::Result<Child> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// What a bounded run gave.
struct Ran {
    status: Result<ExitStatus, String>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Ran {
    /// `msg` with the last lines the program wrote to stderr.
    fn with_stderr(&self, msg: String) -> String {
        let tail: Vec<&str> = self.stderr.trim_end().lines().rev().take(20).collect();
        if tail.is_empty() {
            msg
        } else {
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!("{msg}; its stderr:\n{}", tail.join("\n"))
        }
    }
}

/// Feeds `input` to `child` and collects its output, killing it after the
/// timeout (`GOVBOOK_PREPROCESSOR_TIMEOUT` seconds, default 600: a
/// preprocessor run with `cargo run` compiles first).
fn bounded(mut child: Child, input: Option<Vec<u8>>) -> Ran {
    let timeout = std::env::var("GOVBOOK_PREPROCESSOR_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(TIMEOUT, Duration::from_secs);
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        // A preprocessor may exit without reading all of it (mdBook only
        // logs that too); dropping stdin closes it.
        if let (Some(s), Some(input)) = (stdin.as_mut(), input) {
            let _ = s.write_all(&input);
        }
    });
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out = child.stdout.take().map(|s| reader(Box::new(s)));
    let err = child.stderr.take().map(|s| reader(Box::new(s)));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("did not finish within {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => break Err(e.to_string()),
        }
    };
    if status.is_err() {
        // A child of the killed program may still hold the pipes open:
        // leave the readers behind rather than wait for it.
        return Ran {
            status,
            stdout: Vec::new(),
            stderr: String::new(),
        };
    }
    let _ = writer.join();
    let stdout = out.and_then(|h| h.join().ok()).unwrap_or_default();
    let stderr = err.and_then(|h| h.join().ok()).unwrap_or_default();
    Ran {
        status,
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// mdBook's command line: split like a shell; a program with a directory
/// part is relative to the book root, a bare name is looked up on `PATH`.
fn command(line: &str, root: &Path) -> Result<Command, std::io::Error> {
    let bad = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the command is empty or not valid shell words",
        )
    };
    let words = shlex::split(line).ok_or_else(bad)?;
    let (exe, args) = words.split_first().ok_or_else(bad)?;
    let exe = PathBuf::from(exe);
    let exe = if exe.components().count() == 1 {
        exe
    } else {
        root.join(exe)
    };
    let mut cmd = Command::new(exe);
    cmd.args(args).current_dir(root);
    Ok(cmd)
}

/// Runs one preprocessor over `book`.
fn invoke(
    pre: &PreprocessorConfig,
    root: &Path,
    ctx: &Context<'_>,
    book: &Book,
) -> Result<Book, String> {
    let input = serde_json::to_vec(&(ctx, book)).map_err(|e| e.to_string())?;
    let cannot = |e: std::io::Error| format!("cannot run `{}`: {e}", pre.command);
    let child = spawn(command(&pre.command, root).map_err(cannot)?).map_err(cannot)?;
    let ran = bounded(child, Some(input));
    let status = ran
        .status
        .as_ref()
        .map_err(|m| ran.with_stderr(m.clone()))?;
    if !status.success() {
        return Err(ran.with_stderr(format!("`{}` exited with {status}", pre.command)));
    }
    serde_json::from_slice(&ran.stdout)
        .map_err(|e| ran.with_stderr(format!("its output is not an mdBook 0.5 book: {e}")))
}

/// The book as mdBook gives it to preprocessors: SUMMARY.md's items, each
/// chapter with its file's text.
fn book_of(sources: &Sources, summary_id: FileId, pages: &HashMap<&Path, FileId>) -> Book {
    // SUMMARY.md's problems are reported when the model parses it.
    let parsed = summary::parse(
        &sources.get(summary_id).text,
        summary_id,
        &mut Diagnostics::default(),
    );
    // The open chapter at each level, to nest sub-items under.
    let mut stack: Vec<Chapter> = Vec::new();
    let mut top: Vec<BookItem> = Vec::new();
    fn close(stack: &mut Vec<Chapter>, top: &mut Vec<BookItem>, level: usize) {
        while stack.len() > level {
            let ch = stack.pop().expect("non-empty");
            match stack.last_mut() {
                Some(parent) => parent.sub_items.push(BookItem::Chapter(ch)),
                None => top.push(BookItem::Chapter(ch)),
            }
        }
    }
    for item in &parsed.items {
        match item {
            SummaryItem::Chapter(c) => {
                let level = c.level.min(stack.len());
                close(&mut stack, &mut top, level);
                let path = c.target();
                let content = path
                    .as_deref()
                    .and_then(|p| pages.get(p))
                    .map(|id| sources.get(*id).text.clone())
                    .unwrap_or_default();
                stack.push(Chapter {
                    name: c.title.clone(),
                    content,
                    number: c.number.clone(),
                    sub_items: Vec::new(),
                    parent_names: stack.iter().map(|p| p.name.clone()).collect(),
                    path: path.clone(),
                    source_path: path,
                });
            }
            SummaryItem::Part(title) => {
                close(&mut stack, &mut top, 0);
                top.push(BookItem::PartTitle(title.clone()));
            }
            SummaryItem::Separator => {
                close(&mut stack, &mut top, 0);
                top.push(BookItem::Separator);
            }
        }
    }
    close(&mut stack, &mut top, 0);
    Book { items: top }
}

/// book.toml as mdBook's `Config` serializes it: only the tables mdBook
/// knows (its parser refuses others), `[book] src` and `language` filled.
fn context_config(config: &BookConfig, sources: &Sources) -> serde_json::Value {
    let doc: toml::Table = config
        .file
        .and_then(|f| toml::from_str(&sources.get(f).text).ok())
        .unwrap_or_default();
    let mut out = serde_json::Map::new();
    let b = &config.book;
    let mut book = serde_json::json!({
        "authors": b.authors,
        "src": config.src_dir(Path::new("")),
        "language": b.language.clone().unwrap_or_else(|| "en".to_owned()),
    });
    for (key, value) in [
        ("title", &b.title),
        ("description", &b.description),
        ("text-direction", &b.text_direction),
    ] {
        if let Some(v) = value {
            book[key] = serde_json::Value::from(v.as_str());
        }
    }
    out.insert("book".into(), book);
    for key in ["build", "rust", "output", "preprocessor"] {
        if let Some(v) = doc.get(key).and_then(|v| serde_json::to_value(v).ok()) {
            out.insert(key.into(), v);
        }
    }
    serde_json::Value::Object(out)
}

/// Puts what the preprocessors returned into the pages' text.
fn apply(book: Book, pages: &HashMap<&Path, FileId>, sources: &mut Sources) {
    fn walk(items: Vec<BookItem>, out: &mut Vec<Chapter>) {
        for item in items {
            if let BookItem::Chapter(mut ch) = item {
                let subs = std::mem::take(&mut ch.sub_items);
                out.push(ch);
                walk(subs, out);
            }
        }
    }
    let mut chapters = Vec::new();
    walk(book.items, &mut chapters);
    for ch in chapters {
        let Some(path) = ch.source_path.or(ch.path) else {
            continue;
        };
        if let Some(&id) = pages.get(path.as_path())
            && sources.get(id).text != ch.content
        {
            sources.replace(id, ch.content);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pre(name: &str, before: &[&str], after: &[&str]) -> PreprocessorConfig {
        PreprocessorConfig {
            name: name.into(),
            command: format!("mdbook-{name}"),
            before: before.iter().map(|s| s.to_string()).collect(),
            after: after.iter().map(|s| s.to_string()).collect(),
            renderers: None,
            optional: false,
            span: 0..0,
        }
    }

    fn names(p: &[PreprocessorConfig]) -> Vec<&str> {
        order(p)
            .unwrap()
            .into_iter()
            .map(|s| match s {
                Step::Links => "links",
                Step::Index => "index",
                Step::Command(p) => p.name.as_str(),
            })
            .collect()
    }

    #[test]
    fn order_is_mdbooks_topological_order_with_ties_by_name() {
        // The built-ins take part: a name before `index` runs before
        // `links` too, as in mdBook.
        assert_eq!(
            names(&[pre("toc", &[], &[]), pre("admonish", &[], &[])]),
            ["admonish", "index", "links", "toc"]
        );
        assert_eq!(
            names(&[pre("admonish", &[], &["links"])]),
            ["index", "links", "admonish"]
        );
        assert_eq!(
            names(&[pre("toc", &["links"], &[])]),
            ["index", "toc", "links"]
        );
        assert_eq!(
            names(&[pre("a", &[], &["b"]), pre("b", &[], &[])]),
            ["b", "index", "links", "a"]
        );
        assert_eq!(
            names(&[pre("z", &["a"], &[]), pre("a", &[], &[])]),
            ["index", "links", "z", "a"]
        );
        // An unknown name is only ignored, as in mdBook.
        assert_eq!(names(&[pre("a", &[], &["nope"])]), ["a", "index", "links"]);
        assert!(order(&[pre("a", &["b"], &[]), pre("b", &["a"], &[])]).is_err());
    }

    #[test]
    fn index_writes_readme_chapters_as_index_and_keeps_their_source() {
        let ch = |p: &str| Chapter {
            path: Some(PathBuf::from(p)),
            source_path: Some(PathBuf::from(p)),
            ..Chapter::default()
        };
        let mut top = ch("README.md");
        top.sub_items.push(BookItem::Chapter(ch("guide/readme.md")));
        let mut items = vec![BookItem::Chapter(top), BookItem::Chapter(ch("other.md"))];
        index(&mut items);
        let paths: Vec<(String, String)> = {
            let mut out = Vec::new();
            for_each_chapter(&mut items, &mut |c| {
                out.push((
                    c.path.as_ref().unwrap().display().to_string(),
                    c.source_path.as_ref().unwrap().display().to_string(),
                ))
            });
            out
        };
        let want = [
            ("index.md", "README.md"),
            ("guide/index.md", "guide/readme.md"),
            ("other.md", "other.md"),
        ];
        assert_eq!(paths, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    }

    #[test]
    fn book_nests_chapters_and_keeps_parts_and_separators() {
        let mut s = Sources::new("/");
        let summary = s.add(
            "src/SUMMARY.md",
            "# Summary\n\n[Intro](intro.md)\n\n- [A](a.md)\n  - [A1](a1.md)\n- [B]()\n\n---\n\n# Part\n\n- [C](c.md)\n".into(),
        );
        let ids: Vec<(PathBuf, FileId)> = ["intro.md", "a.md", "a1.md", "c.md"]
            .iter()
            .map(|p| {
                (
                    PathBuf::from(p),
                    s.add(format!("src/{p}"), format!("text of {p}")),
                )
            })
            .collect();
        let pages: HashMap<&Path, FileId> = ids.iter().map(|(p, i)| (p.as_path(), *i)).collect();
        let book = book_of(&s, summary, &pages);
        let json = serde_json::to_value(&book).unwrap();
        assert_eq!(json["items"][0]["Chapter"]["name"], "Intro");
        assert_eq!(
            json["items"][0]["Chapter"]["number"],
            serde_json::Value::Null
        );
        let a = &json["items"][1]["Chapter"];
        assert_eq!(a["number"], serde_json::json!([1]));
        assert_eq!(a["sub_items"][0]["Chapter"]["content"], "text of a1.md");
        assert_eq!(
            a["sub_items"][0]["Chapter"]["parent_names"],
            serde_json::json!(["A"])
        );
        assert_eq!(json["items"][2]["Chapter"]["path"], serde_json::Value::Null);
        assert_eq!(json["items"][3], "Separator");
        assert_eq!(json["items"][4]["PartTitle"], "Part");
        // What comes back replaces the text.
        let mut back = book.clone();
        if let BookItem::Chapter(c) = &mut back.items[1] {
            c.content = "changed".into();
        }
        apply(back, &pages, &mut s);
        assert_eq!(s.get(ids[1].1).text, "changed");
        assert_eq!(s.get(ids[0].1).text, "text of intro.md");
    }
}
