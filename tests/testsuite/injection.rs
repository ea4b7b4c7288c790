//! Hostile content: the fixture book `tests/fixtures/injection/` carries
//! the payloads of `payloads.json` in every kind of field (see its
//! README.md). It must build, and no payload may reach the output as markup:
//! every HTML and SVG file is read with a real HTML tokenizer (html5ever,
//! switching to raw text inside `<script>`, `<style>`, `<textarea>`… as a
//! browser does), and every element, attribute and script is checked. The
//! browser suite loads the same pages and watches `window.__pwned`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::book_test::{BookTest, TODAY};

fn fixture() -> PathBuf {
    crate::book_test::fixture("injection")
}

fn theme() -> PathBuf {
    crate::book_test::repo_root().join("themes/default")
}

fn payloads() -> Vec<String> {
    let text = std::fs::read_to_string(fixture().join("payloads.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// One start tag as the browser sees it.
#[derive(Debug)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    line: u64,
}

/// What a document holds: its start tags, the text of each script, the
/// text a reader sees (for coverage), and whether it ended in plain text.
#[derive(Default)]
struct Doc {
    elements: RefCell<Vec<El>>,
    scripts: RefCell<Vec<String>>,
    noscripts: RefCell<Vec<String>>,
    text: RefCell<String>,
    raw: RefCell<Option<(String, String)>>,
    closed_html: RefCell<bool>,
}

impl TokenSink for Doc {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string().to_ascii_lowercase();
                if tag.kind == TagKind::EndTag {
                    if let Some((open, text)) = self.raw.borrow_mut().take() {
                        match open.as_str() {
                            "script" => self.scripts.borrow_mut().push(text),
                            "noscript" => self.noscripts.borrow_mut().push(text),
                            _ => self.text.borrow_mut().push_str(&text),
                        }
                    }
                    if name == "html" {
                        *self.closed_html.borrow_mut() = true;
                    }
                    return TokenSinkResult::Continue;
                }
                let attrs = tag
                    .attrs
                    .iter()
                    .map(|a| {
                        let v = a.value.to_string();
                        self.text.borrow_mut().push_str(&v);
                        self.text.borrow_mut().push('\n');
                        (a.name.local.to_string().to_ascii_lowercase(), v)
                    })
                    .collect();
                self.elements.borrow_mut().push(El {
                    name: name.clone(),
                    attrs,
                    line,
                });
                // The tree builder's switches, scripting enabled.
                let kind = match name.as_str() {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        Some(RawKind::Rawtext)
                    }
                    "textarea" | "title" => Some(RawKind::Rcdata),
                    "plaintext" => return TokenSinkResult::Plaintext,
                    _ => None,
                };
                if let Some(kind) = kind {
                    *self.raw.borrow_mut() = Some((name, String::new()));
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::CharacterTokens(t) => match self.raw.borrow_mut().as_mut() {
                Some((_, text)) => text.push_str(&t),
                None => self.text.borrow_mut().push_str(&t),
            },
            Token::NullCharacterToken => self.text.borrow_mut().push('\u{FFFD}'),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str) -> Doc {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(Doc::default(), TokenizerOpts::default());
    while let TokenizerResult::Script(()) = tok.feed(&input) {}
    tok.end();
    tok.sink
}

/// A URL scheme that runs or embeds content, read as a browser reads it.
fn unsafe_url(value: &str) -> bool {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
    "cite",
    "ping",
];

const FORBIDDEN: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "portal",
    "textarea",
    "xmp",
    "plaintext",
    "style",
    "math",
    "marquee",
    "animate",
    "set",
    "handler",
    "listener",
    "img",
];

/// The scripts the theme loads, by path from the site root.
const THEME_SCRIPTS: &[&str] = &["toc/top.js", "assets/govbook.js", "assets/search.js"];

/// Whether a page loads `path` as the theme does: a fixed script, or its
/// sidebar chunk `toc/N.js`.
fn theme_script(path: &str) -> bool {
    THEME_SCRIPTS.contains(&path)
        || path
            .strip_prefix("toc/")
            .and_then(|p| p.strip_suffix(".js"))
            .is_some_and(|n| n.parse::<usize>().is_ok())
}

/// An image the sanitizer may keep: a source in the book (no scheme, no
/// other host) and nothing but descriptive attributes.
fn same_book_image(el: &El) -> bool {
    el.attrs.iter().all(|(n, v)| match n.as_str() {
        "src" => {
            let v = v.trim().to_ascii_lowercase();
            !v.contains(':')
                && !v.starts_with("//")
                && !v.starts_with("/\\")
                && !v.starts_with('\\')
        }
        "alt" | "title" | "width" | "height" | "align" | "id" | "lang" | "dir" => true,
        _ => false,
    })
}

/// Checks one HTML (or SVG) document; returns its problems. `sanitized`:
/// raw HTML went through `raw-html = "sanitize"`, which keeps images from
/// the book.
fn check_document(
    rel: &str,
    html: &str,
    theme_page: &str,
    sanitized: bool,
    problems: &mut Vec<String>,
) -> Doc {
    let doc = tokenize(html);
    let is_html = rel.ends_with(".html");
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for el in doc.elements.borrow().iter() {
        let at = format!("{rel}:{}: <{}>", el.line, el.name);
        if FORBIDDEN.contains(&el.name.as_str()) {
            // The payload page's images are Markdown images of the fixture's
            // own logo; anything else called img came from a payload.
            let own_image = el.name == "img"
                && el
                    .attrs
                    .iter()
                    .all(|(n, v)| (n == "src" && v.ends_with("images/logo.svg")) || n == "alt");
            let kept_image = sanitized && el.name == "img" && same_book_image(el);
            if !own_image && !kept_image {
                problems.push(format!("{at}: a payload became an element"));
            }
        }
        for key in ["html", "head", "body", "title"] {
            // An SVG chart has <title>s of its own, in the body.
            let in_head = !counts.contains_key("body");
            if el.name == key && (key != "title" || in_head) {
                *counts.entry(key).or_default() += 1;
            }
        }
        for (name, value) in &el.attrs {
            if name.starts_with("on") {
                problems.push(format!("{at}: event handler {name}={value:?}"));
            }
            if URL_ATTRS.contains(&name.as_str()) && unsafe_url(value) {
                problems.push(format!("{at}: unsafe URL {name}={value:?}"));
            }
            if name == "srcdoc" || name == "http-equiv" {
                problems.push(format!("{at}: {name}={value:?}"));
            }
            if name == "style" {
                let v = value.to_ascii_lowercase();
                if v.contains("expression") || v.contains("javascript") || v.contains("url(") {
                    problems.push(format!("{at}: active style {value:?}"));
                }
            }
        }
        match el.name.as_str() {
            "script" => {
                let src = el.attrs.iter().find(|(n, _)| n == "src").map(|(_, v)| v);
                if let Some(src) = src {
                    let path = src.trim_start_matches("../").trim_start_matches('/');
                    let prefix_ok = src[..src.len() - path.len()]
                        .chars()
                        .all(|c| c == '.' || c == '/');
                    let known = theme_script(path) || path == "__govbook/livereload.js";
                    if !(prefix_ok && known) {
                        problems.push(format!("{at}: a script the theme does not load: {src:?}"));
                    }
                }
            }
            "link" => {
                let rel = |want: &str| el.attrs.iter().any(|(n, v)| n == "rel" && v == want);
                let href = |ext: &str| {
                    el.attrs
                        .iter()
                        .any(|(n, v)| n == "href" && v.ends_with(ext) && v.contains("assets/"))
                };
                // The theme's stylesheet and its icon, nothing else.
                let ok =
                    (rel("stylesheet") && href(".css")) || (rel("icon") && href("favicon.svg"));
                if !ok {
                    problems.push(format!("{at}: a <link> the theme does not have"));
                }
            }
            "meta" => {
                let ok = el
                    .attrs
                    .iter()
                    .all(|(n, _)| matches!(n.as_str(), "charset" | "name" | "content"));
                if !ok {
                    problems.push(format!("{at}: {:?}", el.attrs));
                }
            }
            _ => {}
        }
    }
    for script in doc.scripts.borrow().iter() {
        if !script.trim().is_empty() && !theme_page.contains(script.trim()) {
            problems.push(format!(
                "{rel}: an inline script not from the theme: {script:?}"
            ));
        }
    }
    for ns in doc.noscripts.borrow().iter() {
        if ns.contains("pwned") {
            problems.push(format!("{rel}: a payload inside <noscript>: {ns:?}"));
        }
    }
    if is_html {
        for key in ["html", "head", "body", "title"] {
            if counts.get(key) != Some(&1) {
                problems.push(format!(
                    "{rel}: {} <{key}> elements: a payload made one, or swallowed the theme's",
                    counts.get(key).copied().unwrap_or(0)
                ));
            }
        }
        if !*doc.closed_html.borrow() {
            problems.push(format!(
                "{rel}: </html> never reached as a tag: something left the page open"
            ));
        }
    }
    doc
}

/// The data scripts as they are written: `window.GOVBOOK_TOC=<json>;`
/// (`toc.js`) or `(window.GOVBOOK_DATA||(…))["KEY"]=<json>;` (the sidebar
/// chunks and the search index, KEY being the path without `.js`): parsing
/// the middle as JSON proves no payload left its string.
fn check_data_script(rel: &str, js: &str, problems: &mut Vec<String>) {
    let keyed = format!(
        "(window.GOVBOOK_DATA||(window.GOVBOOK_DATA={{}}))[\"{}\"]=",
        rel.trim_end_matches(".js")
    );
    let rest = if rel == "toc.js" {
        js.strip_prefix("window.GOVBOOK_TOC=")
    } else {
        js.strip_prefix(keyed.as_str())
    };
    let Some(rest) = rest else {
        problems.push(format!("{rel}: unexpected script start"));
        return;
    };
    let Some(json) = rest.strip_suffix(";\n") else {
        problems.push(format!("{rel}: does not end with `;`"));
        return;
    };
    if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
        problems.push(format!("{rel}: the data is not one JSON value: {e}"));
    }
    let lower = js.to_ascii_lowercase();
    for bad in ["</script", "<!--", "<script"] {
        if lower.contains(bad) {
            problems.push(format!("{rel}: contains {bad}"));
        }
    }
}

#[test]
fn no_payload_reaches_the_output_as_markup_sanitized() {
    no_payload_reaches_the_output_as_markup("sanitize");
}

#[test]
fn no_payload_reaches_the_output_as_markup_escaped() {
    no_payload_reaches_the_output_as_markup("escape");
}

/// Under `allow` the corpus's raw HTML is refused (GB512), and nothing is
/// written; `allowed_raw_html_is_refused_or_harmless_payload_by_payload`
/// takes it payload by payload.
#[test]
fn no_payload_reaches_the_output_as_markup_allowed() {
    let mut book = BookTest::from_fixture("injection");
    book.append("book.toml", "\n[output.site]\nraw-html = \"allow\"\n");
    let out = book.scratch().join("out");
    book.run("build -o", |cmd| {
        cmd.arg(&out).expect_code(1).expect_stderr("error[GB512]");
    });
    assert!(!out.exists(), "a refused build wrote a site");
}

fn no_payload_reaches_the_output_as_markup(mode: &str) {
    // The run's working directory is the scratch directory, where a
    // command that ran would leave its file.
    let mut book = BookTest::from_fixture("injection");
    book.append(
        "book.toml",
        &format!("\n[output.site]\nraw-html = \"{mode}\"\n"),
    );
    let sanitized = mode == "sanitize";
    let out = book.scratch().join("out");
    book.run("build -o", |cmd| {
        cmd.arg(&out);
    });

    // govbook never runs what sources name: the `run` commands carry
    // `$(touch pwned-by-govbook)` and friends.
    for entry in walkdir::WalkDir::new(book.scratch()) {
        let entry = entry.unwrap();
        assert_ne!(entry.file_name(), "pwned-by-govbook", "a command ran");
    }

    let theme_page = std::fs::read_to_string(theme().join("page.html")).unwrap();
    let mut problems = Vec::new();
    let mut seen = String::new();
    let mut kinds = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(entry.path()).unwrap();
        let ext = rel.rsplit('.').next().unwrap_or("").to_owned();
        kinds.insert(ext.clone());
        // A NUL in a TOML string is refused (GB112) and one in Markdown is
        // replaced: no output but an image holds one.
        if bytes.contains(&0) && ext != "png" {
            problems.push(format!("{rel}: a NUL byte in the output"));
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Some(asset) = rel.strip_prefix("assets/")
            && let Ok(original) = std::fs::read(theme().join("assets").join(asset))
        {
            assert_eq!(bytes, original, "{rel} is the theme's file, unchanged");
            continue;
        }
        match ext.as_str() {
            "html" | "svg" | "xml" => {
                let doc = check_document(&rel, &text, &theme_page, sanitized, &mut problems);
                seen.push_str(&doc.text.borrow());
                seen.push('\n');
            }
            "js" => check_data_script(&rel, &text, &mut problems),
            "json" => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    problems.push(format!("{rel}: not JSON: {e}"));
                }
            }
            "toml" => {
                if let Err(e) = text.parse::<toml::Table>() {
                    problems.push(format!("{rel}: not TOML: {e}"));
                }
            }
            "css" => {
                let lower = text.to_ascii_lowercase();
                for bad in ["pwned", "expression(", "javascript:", "</style"] {
                    if lower.contains(bad) {
                        problems.push(format!("{rel}: contains {bad}"));
                    }
                }
            }
            // Markdown artifacts are not read by a browser; the rest is
            // the fixture's own files.
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    for kind in ["html", "js", "json", "css", "toml", "svg"] {
        assert!(
            kinds.contains(kind),
            "no .{kind} file was checked: {kinds:?}"
        );
    }

    // Every payload was rendered, as text: it reached a page and a reader
    // sees it (so the checks above looked at real placements).
    let corpus = payloads();
    assert!(corpus.len() >= 40, "only {} payloads", corpus.len());
    let missing: Vec<&String> = corpus
        .iter()
        .filter(|p| !seen.contains(&p.replace('\0', "\u{FFFD}")))
        .collect();
    assert!(
        missing.is_empty(),
        "payloads never shown as text: {missing:#?}"
    );
}

/// With `raw-html = "allow"`, each payload's section of the payload page
/// (the payload as prose, heading, link, table cell, footnote, alert…) is
/// either refused by `check` with GB512 only, or, where CommonMark does not
/// read it as HTML at all, renders to a page with nothing active in it.
#[test]
fn allowed_raw_html_is_refused_or_harmless_payload_by_payload() {
    use govbook::check::CheckOptions;
    use govbook::markdown::{RawHtml, render};
    let today = govbook::values::Date::parse(TODAY).unwrap();
    let page = std::fs::read_to_string(fixture().join("content/payloads.md")).unwrap();
    let sections: Vec<&str> = page.split("\n## ").skip(1).collect();
    assert!(sections.len() >= 40, "{} sections", sections.len());
    let theme_page = std::fs::read_to_string(theme().join("page.html")).unwrap();
    let mut refused = 0;
    let mut problems = Vec::new();
    for section in sections {
        let title = section.lines().next().unwrap_or("");
        let mut book = BookTest::from_fixture("minimal");
        let md = format!("+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n## {section}");
        book.append("book.toml", "\n[output.site]\nraw-html = \"allow\"\n")
            .change_file(
                "content/images/logo.svg",
                std::fs::read(fixture().join("content/images/logo.svg")).unwrap(),
            )
            .change_file("content/guide.md", &md);
        let checked = govbook::pipeline::check(
            &book.dir,
            &CheckOptions {
                today,
                strict: false,
            },
        );
        let errors: Vec<_> = checked
            .diags
            .items()
            .iter()
            .filter(|d| d.severity == govbook::diag::Severity::Error)
            .collect();
        if !errors.is_empty() {
            refused += 1;
            for d in errors {
                if d.code != govbook::diag::Code::ActiveContent {
                    problems.push(format!("{title}: {} {}", d.code, d.message));
                }
            }
            continue;
        }
        let body = render(&md[md.find("## ").unwrap()..], RawHtml::Allow).html;
        let html =
            format!("<!doctype html><html><head><title>t</title></head><body>{body}</body></html>");
        check_document(
            &format!("[{title}]"),
            &html,
            &theme_page,
            false,
            &mut problems,
        );
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(refused >= 30, "only {refused} sections refused");
}

/// A page or file whose name reads as a URL scheme, a host or a query
/// would be linked as that (sidebar, previous/next, contents, print page):
/// refused at its name (GB513), and nothing is written.
#[test]
fn names_that_read_as_urls_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    crate::fs::copy_tree(&crate::book_test::fixture("minimal"), &book);
    let content = book.join("content");
    let script = "javascript:document.title='x';self.md";
    std::fs::write(content.join(script), "# Pwned\n").unwrap();
    std::fs::create_dir_all(content.join("https:/evil.example")).unwrap();
    std::fs::write(content.join("https:/evil.example/x.md"), "# Away\n").unwrap();
    std::fs::write(content.join("q?x.md"), "# Query\n").unwrap();
    std::fs::write(content.join("img:x.png"), b"\x89PNG").unwrap();
    let summary = content.join("SUMMARY.md");
    let mut text = std::fs::read_to_string(&summary).unwrap();
    text.push_str(&format!(
        "- [Script](<{script}>)\n- [Away](<https:/evil.example/x.md>)\n- [Query](<q?x.md>)\n"
    ));
    std::fs::write(&summary, text).unwrap();
    let out = tmp.path().join("out");
    let run = crate::book_test::govbook()
        .args(["build", "--today", "2026-11-24", "-o"])
        .arg(&out)
        .arg(&book)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!out.exists(), "a site was written:\n{stderr}");
    for name in [script, "https:/evil.example/x.md", "q?x.md", "img:x.png"] {
        assert!(
            stderr.contains(&format!("content/{name}")) && stderr.contains("GB513"),
            "{name} not refused:\n{stderr}"
        );
    }
}

/// Published files are judged as a browser would open them, not by a list
/// of extensions: every file here ran script in Chromium from a plain link
/// before, and each is refused now (GB512), so nothing is written.
#[test]
fn published_documents_are_judged_as_a_browser_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    crate::fs::copy_tree(&crate::book_test::fixture("minimal"), &book);
    let files = book.join("content/files");
    std::fs::create_dir_all(&files).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "<script>window.__pwned=1</script>"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let cases: &[(&str, &[u8])] = &[
        ("utf16.html", &utf16),
        (
            "entity.svg",
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY s \"<script>alert(1)</script>\">]>\n<svg xmlns=\"http://www.w3.org/2000/svg\">&s;</svg>\n",
        ),
        (
            "entity.xhtml",
            b"<!DOCTYPE html [<!ENTITY s \"&#60;script&#62;alert(1)&#60;/script&#62;\">]>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>&s;</body></html>\n",
        ),
        (
            "styled.xml",
            b"<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"t.xsl\"?>\n<r/>\n",
        ),
        ("page.shtml", b"<p>x</p><script>alert(1)</script>\n"),
        ("page.xhtm", b"<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">alert(1)</svg:script>\n"),
        ("no-extension", b"<html><body onload=\"alert(1)\"></body></html>\n"),
        ("page.unknown", b"  <iframe src=\"https://evil.example\"></iframe>\n"),
        // A style sheet that loads one, or spells what it says in escapes.
        (
            "imported.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><style>@import url(x.css);</style></svg>\n",
        ),
        (
            "escaped.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><style>a{b:\\75 rl(x)}</style></svg>\n",
        ),
        (
            "tagged.html",
            b"<style>p{}<img src=x onerror=alert(1)></style><p>x</p>\n",
        ),
    ];
    for (name, bytes) in cases {
        std::fs::write(files.join(name), bytes).unwrap();
    }
    // Harmless files of the same kinds still publish.
    std::fs::write(
        files.join("plain.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>A chart</title><desc>Bars</desc></svg>\n",
    )
    .unwrap();
    // What HTML would read as the title's text is an element to XML.
    std::fs::write(
        files.join("titled.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title><script>alert(1)</script></title></svg>\n",
    )
    .unwrap();
    // A drawing tool's style sheet only styles its own document.
    let drawn = [
        (
            "drawn.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style type=\"text/css\">\n.a{fill:url(#g)}\ng > rect{stroke:#000}\n</style><rect class=\"a\"/></svg>\n",
        ),
        (
            "cdata.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style><![CDATA[ rect { fill: red } ]]></style></svg>\n",
        ),
        (
            "styled.html",
            "<!DOCTYPE html><style>p{color:red}</style><p>x</p>\n",
        ),
    ];
    for (name, text) in drawn {
        std::fs::write(files.join(name), text).unwrap();
    }
    std::fs::write(files.join("data.bin"), b"\x00\x01binary").unwrap();
    // Inside the book, so paths are the book's own.
    let run = crate::book_test::govbook()
        .args(["check", "--today", "2026-11-24", "--format", "json", "."])
        .current_dir(&book)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&run.stdout);
    let refused: BTreeSet<String> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|d| d["code"] == "GB512")
        .filter_map(|d| d["file"].as_str().map(str::to_owned))
        .collect();
    for name in cases.iter().map(|(n, _)| *n).chain(["titled.svg"]) {
        assert!(
            refused.contains(&format!("content/files/{name}")),
            "{name} passed: {stdout}"
        );
    }
    assert!(!refused.contains("content/files/data.bin"), "{stdout}");
    // An SVG's <title> is read as XML reads it: a title, not raw text.
    assert!(!refused.contains("content/files/plain.svg"), "{stdout}");
    for (name, _) in drawn {
        assert!(
            !refused.contains(&format!("content/files/{name}")),
            "{name} refused: {stdout}"
        );
    }
}
