//! Raw HTML in pages under each `[output.site] raw-html` mode: `sanitize`
//! (the default) keeps a safe subset and warns for what it removes (GB514),
//! `escape` shows it as text, `allow` keeps it once it passes GB512; ids in
//! kept raw HTML are link targets.

use crate::book_test::BookTest;

const FRONT: &str = "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n";

/// The minimal book with `guide.md` replaced by `body` (after the front
/// matter: `body`'s first line is line 6) and `raw-html` set, unless `None`.
fn book(mode: Option<&str>, body: &str) -> BookTest {
    let mut book = BookTest::from_fixture("minimal");
    book.change_file("content/guide.md", format!("{FRONT}{body}"));
    if let Some(mode) = mode {
        book.append(
            "book.toml",
            &format!("\n[output.site]\nraw-html = \"{mode}\"\n"),
        );
    }
    book
}

/// Builds the book and returns the guide page's `<main>`-ish body.
fn built_guide(book: &BookTest) -> String {
    book.run("build", |_| {});
    book.read("book/guide.html")
}

fn at(diags: &crate::book_test::Diags, code: &str, line: u64, column: u64) -> bool {
    diags.items.iter().any(|d| {
        d["code"] == code
            && d["file"] == "content/guide.md"
            && d["line"] == line
            && d["column"] == column
    })
}

#[test]
fn kbd_renders_by_default_and_comments_are_dropped() {
    let book = book(
        None,
        "# Guide\n\nPress <kbd>Ctrl</kbd>+<kbd>C</kbd> to copy.\n\n<!-- a note for editors -->\n\nText<!-- inline note --> here.\n\n<aside id=\"tip\">A tip.</aside>\n",
    );
    let diags = book.check();
    assert_eq!(diags.code, Some(0), "{diags}");
    assert!(
        !diags.items.iter().any(|d| d["code"] == "GB514"),
        "a comment or <kbd> was reported: {diags}"
    );
    let html = built_guide(&book);
    assert!(
        html.contains("<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to copy.</p>"),
        "{html}"
    );
    assert!(html.contains("<p>Text here.</p>"), "{html}");
    assert!(html.contains("<aside id=\"tip\">A tip.</aside>"), "{html}");
    assert!(!html.contains("note"), "a comment reached the page: {html}");
    assert!(!html.contains("&lt;kbd"), "{html}");
}

#[test]
fn escape_and_allow_keep_their_behaviour() {
    let body = "# Guide\n\nPress <kbd>C</kbd>.\n\n<!-- hidden -->\n";
    let html = built_guide(&book(Some("escape"), body));
    assert!(html.contains("Press &lt;kbd&gt;C&lt;/kbd&gt;."), "{html}");
    assert!(html.contains("&lt;!-- hidden --&gt;"), "{html}");
    let html = built_guide(&book(Some("allow"), body));
    assert!(html.contains("Press <kbd>C</kbd>."), "{html}");
    assert!(html.contains("<!-- hidden -->"), "{html}");
}

#[test]
fn mixed_inline_and_block_html_balances_across_markdown() {
    let book = book(
        Some("sanitize"),
        "# Guide\n\n<details>\n<summary>More <b>details</b></summary>\n\nSome **Markdown** with <sup>1</sup> and a [link](README.md).\n\n- a list <sub>x</sub>\n\n</details>\n\n| key | <abbr title=\"Control\">Ctrl</abbr> |\n|---|---|\n| <kbd>C</kbd> | <br> |\n\n<div id=\"box\">\n\n## Inside\n\n</div>\n",
    );
    let diags = book.check();
    assert_eq!(diags.code, Some(0), "{diags}");
    assert!(!diags.items.iter().any(|d| d["code"] == "GB514"), "{diags}");
    let html = built_guide(&book);
    for want in [
        "<details>\n<summary>More <b>details</b></summary>",
        "<p>Some <strong>Markdown</strong> with <sup>1</sup> and a <a href=\"index.html\">link</a>.</p>",
        "<li>a list <sub>x</sub></li>",
        "</ul>\n</details>",
        "<th><abbr title=\"Control\">Ctrl</abbr></th>",
        "<td><kbd>C</kbd></td>",
        "<div id=\"box\">",
        "<h2 id=\"inside\">Inside",
    ] {
        assert!(html.contains(want), "no {want:?} in {html}");
    }
}

#[test]
fn each_dangerous_construct_is_removed_with_a_warning_where_it_stands() {
    let body = "# Guide\n\n\
        <script>alert(1)</script>\n\n\
        Text <img src=\"images/a.png\" onerror=\"alert(2)\"> more.\n\n\
        <a href=\"javascript:alert(3)\">x</a>\n\n\
        <style>body { display: none }</style>\n\n\
        <span style=\"position:fixed\">x</span>\n\n\
        <iframe src=\"x.html\"></iframe>\n\n\
        <form action=\"x\"><button>go</button></form>\n\n\
        <object data=\"x.swf\"></object>\n\n\
        <embed src=\"x.swf\">\n\n\
        <meta http-equiv=\"refresh\" content=\"0\">\n\n\
        <base href=\"https://evil.example/\">\n\n\
        <link rel=\"stylesheet\" href=\"x.css\">\n\n\
        <img src=\"https://evil.example/t.png\" alt=\"t\">\n\n\
        <marquee>old</marquee>\n";
    let book = book(None, body);
    let diags = book.check();
    assert_eq!(diags.code, Some(0), "warnings only: {diags}");
    // (line, column) of each removal; the body starts on line 6.
    for (line, column, what) in [
        (8, 1, "<script>"),
        (10, 30, "onerror"),
        (12, 4, "href"),
        (14, 1, "<style>"),
        (16, 7, "style"),
        (18, 1, "<iframe>"),
        (20, 1, "<form>"),
        (20, 18, "<button>"),
        (22, 1, "<object>"),
        (24, 1, "<embed>"),
        (26, 1, "<meta>"),
        (28, 1, "<base>"),
        (30, 1, "<link>"),
        (32, 6, "another origin"),
        (34, 1, "<marquee>"),
    ] {
        assert!(
            diags.items.iter().any(|d| d["code"] == "GB514"
                && d["line"] == line
                && d["column"] == column
                && d["message"].as_str().unwrap_or("").contains(what)),
            "no GB514 for {what} at {line}:{column}: {diags}"
        );
    }
    let html = built_guide(&book);
    let main = &html[html.find("<h1 id=\"guide\"").unwrap()..];
    for gone in [
        "alert",
        "onerror",
        "javascript",
        "display: none",
        "position:fixed",
        "<iframe",
        "<form",
        "<button",
        "<object",
        "<embed",
        "http-equiv",
        "evil.example",
        "x.css",
        "<marquee",
    ] {
        assert!(!main.contains(gone), "{gone} reached the page: {main}");
    }
    // What is harmless stays: the image from the book, the text.
    assert!(main.contains("<img src=\"images/a.png\">"), "{main}");
    assert!(main.contains("old"), "{main}");
    assert!(main.contains("<a>x</a>"), "{main}");
}

/// `<a id>`, `<a name>`, `<span id>`, `<dt id>`, `<div id>` are anchors
/// where raw HTML is kept, and not where it is shown as text.
#[test]
fn ids_in_raw_html_are_link_targets_where_it_is_kept() {
    let guide = "# Guide\n\n<a id=\"old-name\"></a>\n\nText <span id=\"inline\">x</span>.\n\n<dl><dt id=\"term\">T</dt><dd>D</dd></dl>\n\n<div id=\"box\">\n\nBoxed.\n\n</div>\n\n<a name=\"legacy\"></a>\n\n[a](#old-name) [b](#inline) [c](#term) [d](#box) [e](#legacy)\n";
    let readme = "# Intro\n\n[f](guide.md#old-name) [g](guide.md#term) [h](guide.md#no-such-id)\n";
    for mode in ["sanitize", "allow", "escape"] {
        let mut book = book(Some(mode), guide);
        book.change_file("content/README.md", format!("{FRONT}{readme}"));
        let diags = book.check();
        let anchors: Vec<_> = diags
            .items
            .iter()
            .filter(|d| d["code"] == "GB507")
            .collect();
        let broken = |file: &str, what: &str| {
            anchors
                .iter()
                .any(|d| d["file"] == file && d["message"].as_str().unwrap_or("").contains(what))
        };
        // A missing id is an error in every mode.
        assert!(
            broken("content/README.md", "#no-such-id"),
            "{mode}: {diags}"
        );
        let kept = mode != "escape";
        for id in ["old-name", "inline", "term", "box", "legacy"] {
            assert_eq!(
                broken("content/guide.md", &format!("`#{id}`")),
                !kept,
                "{mode}: #{id}: {diags}"
            );
        }
        for id in ["old-name", "term"] {
            assert_eq!(
                broken("content/README.md", &format!("`#{id}`")),
                !kept,
                "{mode}: guide.md#{id}: {diags}"
            );
        }
    }
}

/// An id on an element the sanitizer removes goes with it: not a target.
#[test]
fn an_id_on_a_removed_element_is_not_a_target_when_sanitized() {
    let body = "# Guide\n\n<section id=\"gone\">x</section>\n\n[a](#gone)\n";
    let diags = book(Some("sanitize"), body).check();
    assert!(diags.has_at("GB507", "content/guide.md", 10), "{diags}");
    assert!(at(&diags, "GB514", 8, 1), "{diags}");
    let diags = book(Some("allow"), body).check();
    assert_eq!(diags.code, Some(0), "{diags}");
}

/// Graphviz writes a `<title>` in every node: an SVG in a page is no
/// GB512 in any mode, and the drawing survives sanitizing.
#[test]
fn an_svg_title_in_a_page_is_not_refused_in_any_mode() {
    let svg = "<svg width=\"62pt\" height=\"116pt\" viewBox=\"0 0 62 116\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<g id=\"graph0\" class=\"graph\" transform=\"translate(4 112)\">\n<title>G</title>\n<g id=\"node1\" class=\"node\">\n<title>a</title>\n<ellipse fill=\"none\" stroke=\"black\" cx=\"27\" cy=\"-90\" rx=\"27\" ry=\"18\"/>\n<text text-anchor=\"middle\" x=\"27\" y=\"-86.3\" font-family=\"Times,serif\" font-size=\"14.00\">a</text>\n</g>\n<g id=\"edge1\" class=\"edge\">\n<title>a&#45;&gt;b</title>\n<path fill=\"none\" stroke=\"black\" d=\"M27,-71.7C27,-63.98 27,-54.71 27,-46.11\"/>\n</g>\n</g>\n</svg>\n";
    for mode in ["sanitize", "escape", "allow"] {
        // Also inline, where each tag is a piece of its own.
        let inline = "Inline <svg width=\"8\" height=\"8\"><title>dot</title><circle cx=\"4\" cy=\"4\" r=\"4\"/></svg> icon.";
        let mut book = book(
            Some(mode),
            &format!("# Guide\n\n{svg}\nAfter.\n\n{inline}\n"),
        );
        book.change_file("content/graph.svg", svg);
        book.append("content/README.md", "\n![graph](graph.svg)\n");
        let diags = book.check();
        assert_eq!(diags.code, Some(0), "{mode}: {diags}");
        assert!(
            !diags
                .items
                .iter()
                .any(|d| d["code"] == "GB514" || d["code"] == "GB512"),
            "{mode}: {diags}"
        );
        let html = built_guide(&book);
        if mode != "escape" {
            assert!(html.contains("<ellipse"), "{mode}: {html}");
            assert!(html.contains("<p>After.</p>"), "{mode}: {html}");
            assert!(html.contains("<circle"), "{mode}: {html}");
        }
    }
}

/// The cargo book's `cargo metadata` page: a JavaScript fence whose line
/// `"a": "b" /* … */` sent syntect's JavaScript syntax into a loop that
/// never ended, then `<details>`. `check` under `allow` renders the page.
#[test]
fn a_javascript_fence_before_raw_html_is_checked_promptly() {
    let mut fence = String::from("```javascript\n{\n");
    for i in 0..2000 {
        fence.push_str(&format!("    \"key{i}\": \"value\" /* note {i} */,\n"));
    }
    fence.push_str("    \"workspace_root\": \"/path\"\n    /* Workspace metadata.\n       null if none. */\n    \"metadata\": null\n}\n```\n");
    for mode in ["allow", "sanitize"] {
        let book = book(
            Some(mode),
            &format!(
                "# Guide\n\n{fence}\n<details>\n<summary>More</summary>\n\nText.\n\n</details>\n"
            ),
        );
        let started = std::time::Instant::now();
        let diags = book.check();
        assert_eq!(diags.code, Some(0), "{diags}");
        let html = built_guide(&book);
        assert!(html.contains("Workspace metadata"), "{html}");
        eprintln!("{mode}: check and build in {:?}", started.elapsed());
    }
}

/// The guide with `body` and the book's own stylesheet and script, which
/// name the classes its raw HTML may keep.
fn styled_book(body: &str, css: &str, js: &str) -> BookTest {
    let mut book = book(None, body);
    book.append(
        "book.toml",
        "\n[output.html]\nadditional-css = [\"theme/custom.css\"]\nadditional-js = [\"theme/custom.js\"]\n",
    );
    book.change_file("theme/custom.css", css);
    book.change_file("theme/custom.js", js);
    book
}

fn gb514<'d>(diags: &'d crate::book_test::Diags, token: &str) -> Vec<&'d serde_json::Value> {
    diags
        .items
        .iter()
        .filter(|d| {
            d["code"] == "GB514"
                && d["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains(&format!("class `{token}`"))
        })
        .collect()
}

/// mdBook's `<div class="warning">` keeps its class in every book (the
/// theme styles it as mdBook's callout); a class nothing styles goes,
/// with a warning that names it where it is written.
#[test]
fn the_warning_class_is_kept_and_an_unknown_class_is_removed_where_it_stands() {
    let book = book(
        None,
        "# Guide\n\n<div class=\"warning\">\n\nCareful **now**.\n\n</div>\n\nA <span class=\"warning shiny\">mixed</span> one.\n",
    );
    let diags = book.check();
    assert_eq!(diags.code, Some(0), "warnings only: {diags}");
    assert!(gb514(&diags, "warning").is_empty(), "{diags}");
    let shiny = gb514(&diags, "shiny");
    assert_eq!(shiny.len(), 1, "{diags}");
    // Line 6 is the body's first; `shiny` is at column 24 of line 14.
    assert!(at(&diags, "GB514", 14, 24), "{diags}");
    let html = built_guide(&book);
    let callout = html
        .find("<div class=\"warning\">")
        .expect("the callout keeps its class");
    assert!(
        html[callout..].contains("<p>Careful <strong>now</strong>.</p>\n</div>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"warning\">mixed</span>"),
        "{html}"
    );
    assert!(!html.contains("shiny"), "{html}");
    // The theme styles the callout, in both colour schemes (through the
    // amber variables each defines).
    let css = std::fs::read_dir(book.path("book/assets"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("govbook"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .unwrap_or_default();
    assert!(css.contains(".prose .warning {"), "no callout style");
    assert!(css.contains(".prose .warning::before"), "no callout mark");
}

/// A class the book's `additional-css` selects, or its `additional-js`
/// queries, is kept (mdbook-admonish's boxes, mdbook-mermaid's
/// `<pre class="mermaid">`); one the site's own chrome uses is refused
/// even when the book's stylesheet names it.
#[test]
fn classes_the_books_own_css_and_js_use_are_kept_but_never_the_sites_chrome() {
    let css = "/* .commented-out */\n.admonition, div.admonish-note > p { margin: 0.5em; background: url(a.png); }\n.site-header, .sidebar-open { display: none; }\n";
    let js = "window.addEventListener('load', () => document.querySelectorAll(\"pre.mermaid\"));\n";
    let book = styled_book(
        "# Guide\n\n<div class=\"admonition admonish-note commented-out\">\n\nBoxed.\n\n</div>\n\n<pre class=\"mermaid\">graph TD; A--&gt;B</pre>\n\n<div class=\"site-header\">Fake header</div>\n\n<p class=\"png\">x</p>\n",
        css,
        js,
    );
    let diags = book.check();
    assert_eq!(diags.code, Some(0), "warnings only: {diags}");
    for kept in ["admonition", "admonish-note", "mermaid"] {
        assert!(gb514(&diags, kept).is_empty(), "{kept}: {diags}");
    }
    for (gone, line, column) in [
        ("commented-out", 8, 38),
        ("site-header", 16, 13),
        ("png", 18, 11),
    ] {
        assert_eq!(gb514(&diags, gone).len(), 1, "{gone}: {diags}");
        assert!(at(&diags, "GB514", line, column), "{gone}: {diags}");
    }
    let html = built_guide(&book);
    let main = &html[html.find("<h1 id=\"guide\"").unwrap()..];
    assert!(
        main.contains("<div class=\"admonition admonish-note\">\n\n<p>Boxed.</p>"),
        "{main}"
    );
    assert!(main.contains("<pre class=\"mermaid\">graph TD;"), "{main}");
    assert!(main.contains("<div>Fake header</div>"), "{main}");
    assert!(!main.contains("site-header"), "{main}");
    assert!(main.contains("<p>x</p>"), "{main}");
}

/// A removal repeated through a page (a class on every entry of a
/// generated list) is one warning at its first place, with a count; a
/// different removal keeps its own.
#[test]
fn a_repeated_removal_is_one_warning_with_its_count() {
    let body = "# Guide\n\n<dl>\n<dt class=\"option-term\">a</dt><dd>1</dd>\n\
                <dt class=\"option-term\">b</dt><dd>2</dd>\n\
                <dt class=\"option-term\">c</dt><dd>3</dd>\n</dl>\n\n<b onclick=\"x()\">d</b>\n";
    let diags = book(None, body).check();
    let removed: Vec<&str> = diags
        .items
        .iter()
        .filter(|d| d["code"] == "GB514")
        .map(|d| d["message"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(removed.len(), 2, "{diags}");
    assert!(
        removed[0].contains("class `option-term`")
            && removed[0].ends_with("(and 2 more times in this file)"),
        "{removed:?}"
    );
    assert!(removed[1].contains("onclick"), "{removed:?}");
    let lines: Vec<u64> = diags
        .items
        .iter()
        .filter(|d| d["code"] == "GB514")
        .map(|d| d["line"].as_u64().unwrap_or(0))
        .collect();
    // The class at its first `<dt>` (line 9), the handler at line 14.
    assert_eq!(lines, [9, 14], "{diags}");
}
