//! mdBook 0.5.4's Markdown and book structure: include directives as mdBook
//! parses them, hidden lines in code, SUMMARY.md titles and unlisted files,
//! `404.md`, the first chapter as `index.html`, Markdown extensions, links
//! that leave the book and `[build] include-root`. Each test is a small
//! mdBook-shaped book written here.

use crate::book_test::BookTest;

/// A book in mdBook's layout (`src/`), its SUMMARY.md listing `pages`
/// (path, title) in order, each page written with the given text.
fn book(pages: &[(&str, &str)]) -> BookTest {
    let mut b = BookTest::empty();
    b.change_file("book.toml", "[book]\ntitle = \"T\"\nsrc = \"src\"\n");
    let mut summary = String::from("# Summary\n\n");
    for (path, _) in pages {
        let stem = path.trim_end_matches(".md");
        summary.push_str(&format!("- [{stem}]({path})\n"));
    }
    b.change_file("src/SUMMARY.md", summary);
    for (path, body) in pages {
        b.change_file(format!("src/{path}"), body);
    }
    b
}

/// Builds the book into `out/` (which must succeed) and returns `out/REL`.
fn built(b: &BookTest, rel: &str) -> String {
    b.run("build --quiet -o", |cmd| {
        cmd.arg(b.path("out"));
    });
    b.read(format!("out/{rel}"))
}

/// The text of the first `<code>` element after `from` in `html`.
fn code_after<'a>(html: &'a str, from: &str) -> &'a str {
    let at = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in {html}"));
    let rest = &html[at..];
    let open = rest.find("<code").unwrap();
    let body = open + rest[open..].find('>').unwrap() + 1;
    let end = rest[body..].find("</code>").unwrap();
    &rest[body..body + end]
}

/// The text inside each `<pre>`'s code element.
fn code_blocks(html: &str) -> Vec<&str> {
    html.split("<pre")
        .skip(1)
        .map(|s| {
            let open = s.find("<code").unwrap();
            let body = open + s[open..].find('>').unwrap() + 1;
            &s[body..s.find("</code>").unwrap()]
        })
        .collect()
}

/// The text of each `<span class="boring">` in `html`, tags removed.
fn boring(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in html.match_indices("<span class=\"boring\">") {
        let mut depth = 0;
        let mut end = i;
        for (j, _) in html[i..].match_indices('<') {
            let at = i + j;
            if html[at..].starts_with("<span") {
                depth += 1;
            } else if html[at..].starts_with("</span>") {
                depth -= 1;
                if depth == 0 {
                    end = at;
                    break;
                }
            }
        }
        found.push(untag(&html[i..end]));
    }
    found
}

/// `html` without tags (entities kept).
fn untag(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn include_line_ranges_and_anchors_are_read_as_mdbook_reads_them() {
    let b = book(&[(
        "a.md",
        "# A\n\n```text\n{{#include f.txt:2}}\n```\n\n```text\n{{#include f.txt:2:3}}\n```\n\n\
         ```text\n{{#include f.txt:3:}}\n```\n\n```text\n{{#include f.txt::2}}\n```\n\n\
         ```text\n{{#include f.txt}}\n```\n\n```text\n{{#include f.txt:mid}}\n```\n\n\
         Kept: \\{{#include f.txt}} and {{#include f.txt}}.\n\nLeft alone: {{#include }} {{#nosuch f.txt}}\n",
    )]);
    let mut b = b;
    b.change_file(
        "src/f.txt",
        "one\ntwo\n// ANCHOR: mid\nthree\n// ANCHOR_END: mid\nfour\n",
    );
    let html = built(&b, "a.html");
    let blocks = code_blocks(&html);
    assert_eq!(
        blocks,
        [
            "two\n",
            "two\n// ANCHOR: mid\n",
            "// ANCHOR: mid\nthree\n// ANCHOR_END: mid\nfour\n",
            "one\ntwo\n",
            "one\ntwo\n// ANCHOR: mid\nthree\n// ANCHOR_END: mid\nfour\n",
            "three\n",
        ],
        "{html}"
    );
    // The escape runs to the last `}}` of the line, as mdBook's does.
    assert!(
        html.contains("Kept: {{#include f.txt}} and {{#include f.txt}}."),
        "{html}"
    );
    assert!(
        html.contains("Left alone: {{#include }} {{#nosuch f.txt}}"),
        "{html}"
    );
}

#[test]
fn lines_are_selected_before_the_included_file_is_expanded() {
    let mut b = book(&[("a.md", "# A\n\n```text\n{{#include f.txt:2:3}}\n```\n")]);
    b.change_file("src/f.txt", "line1\n{{#include g.txt}}\nline3\n")
        .change_file("src/g.txt", "G1\nG2\n");
    let html = built(&b, "a.html");
    // mdBook 0.5.4 counts f.txt's own lines, then expands what it took.
    assert_eq!(code_blocks(&html), ["G1\nG2\nline3\n"], "{html}");
}

#[test]
fn rustdoc_include_and_playground() {
    let mut b = book(&[(
        "a.md",
        "# A\n\n```rust\n{{#rustdoc_include code/main.rs:body}}\n```\n\n\
         {{#playground code/main.rs editable edition2021}}\n",
    )]);
    b.change_file(
        "src/code/main.rs",
        "use std::fmt;\n// ANCHOR: body\nfn main() {\n    println!(\"hi\");\n}\n// ANCHOR_END: body\nstruct Hidden;\n",
    );
    let html = built(&b, "a.html");
    let first = code_after(&html, "<h1");
    // The lines outside the anchor are in the page but hidden.
    assert_eq!(
        boring(first),
        ["use std::fmt;\n", "struct Hidden;\n"],
        "{first}"
    );
    assert!(!first.contains("ANCHOR"), "{first}");
    assert!(untag(first).contains("println!"), "{first}");
    // The playground file is a Rust block with the attributes as classes.
    let at = html.rfind("<pre").unwrap();
    let second = &html[at..];
    assert!(
        second.contains("class=\"language-rust editable edition2021\""),
        "{second}"
    );
    assert!(untag(second).contains("struct Hidden;"), "{second}");
}

#[test]
fn include_mistakes_are_errors_at_their_line() {
    let mut b = book(&[(
        "a.md",
        "# A\n\n{{#include dir}}\n\n{{#rustdoc_include nope.rs:1}}\n\n{{#playground nope.rs}}\n",
    )]);
    b.mkdir("src/dir");
    let d = b.check();
    assert_eq!(d.code, Some(1), "{d}");
    for line in [3, 5, 7] {
        assert!(d.has_at("GB508", "src/a.md", line), "line {line}: {d}");
    }
    assert!(d.stdout.contains("is a directory"), "{d}");
}

/// `toc.js`'s entries.
fn toc(b: &BookTest) -> Vec<serde_json::Value> {
    let js = b.read("out/toc.js");
    let json = js
        .trim()
        .strip_prefix("window.GOVBOOK_TOC=")
        .unwrap()
        .trim_end_matches(';');
    serde_json::from_str(json).unwrap()
}

#[test]
fn summary_titles_with_markup_trailing_text_and_drafts() {
    let mut b = book(&[("open.md", "Opening.\n"), ("b.md", "# B\n")]);
    b.change_file(
        "src/SUMMARY.md",
        "# Summary\n\n- [`open` *now*](open.md) (since 1.2)\n- [Later]()\n- [B \\[x\\]](b.md)\n",
    );
    let page = built(&b, "open.html");
    assert!(page.contains("<title>open now · T</title>"), "{page}");
    let toc = toc(&b);
    assert_eq!(toc[0]["t"], "open now");
    assert_eq!(toc[0]["h"], "<code>open</code> <em>now</em>");
    assert_eq!(toc[1]["t"], "Later");
    assert_eq!(toc[1]["u"], "", "a draft has no page");
    assert_eq!(toc[2]["t"], "B [x]");
    assert!(toc[2].get("h").is_none(), "{:?}", toc[2]);
    let fallback = b.read("out/toc.html");
    assert!(
        fallback.contains("<code>open</code> <em>now</em></a>"),
        "{fallback}"
    );
    // The search index's section chunks carry page titles.
    let search: String = (0..)
        .map(|n| format!("out/search/d-{n}.js"))
        .take_while(|p| b.path(p).is_file())
        .map(|p| b.read(&p))
        .collect();
    assert!(search.contains("open now"), "{search}");
    assert!(!search.contains("`open`"), "{search}");
}

#[test]
fn unlisted_files_are_not_pages_and_are_named_once() {
    let mut b = book(&[("index.md", "# Home\n\nHello.\n")]);
    // An unlisted README.md would have collided with index.md; an
    // unlisted page with a broken include and a broken link, and one
    // that is not UTF-8, are not read at all.
    b.change_file("src/README.md", "# Old home\n")
        .change_file("src/old/draft.md", "{{#include nope.md}}\n[x](gone.md)\n")
        .change_file("src/binary.md", b"\xff\xfe".as_slice());
    let d = b.check();
    assert_eq!(d.code, Some(0), "{d}");
    let warnings: Vec<_> = d.items.iter().filter(|i| i["code"] == "GB504").collect();
    assert_eq!(warnings.len(), 1, "{d}");
    let msg = warnings[0]["message"].as_str().unwrap();
    for name in ["src/README.md", "src/old/draft.md", "src/binary.md"] {
        assert!(msg.contains(name), "{msg}");
    }
    assert_eq!(d.items.len(), 1, "{d}");
    let home = built(&b, "index.html");
    assert!(home.contains("Hello."), "{home}");
    assert!(!b.path("out/old/draft.html").exists());
    assert!(!b.path("out/README.html").exists());
}

#[test]
fn a_404_md_is_the_not_found_page() {
    let mut b = book(&[("a.md", "# A\n")]);
    b.change_file("src/404.md", "# Lost?\n\nTry the [start](index.html).\n");
    let d = b.check();
    assert_eq!(d.code, Some(0), "{d}");
    assert!(d.items.is_empty(), "404.md is not an unlisted page: {d}");
    let page = built(&b, "404.html");
    assert!(page.contains("<h1 id=\"lost\">Lost?"), "{page}");
    assert!(!page.contains("There is no page at this address"), "{page}");
    // Served at any depth: its links start at the site root.
    assert!(page.contains("<a href=\"/index.html\">start</a>"), "{page}");
    // Without one, the built-in text.
    b.remove("src/404.md");
    let page = built(&b, "404.html");
    assert!(page.contains("There is no page at this address"), "{page}");
}

#[test]
fn the_first_chapter_is_the_home_page_when_there_is_no_readme() {
    let b = book(&[
        ("intro.md", "# Intro\n\nWelcome, see [next](next.md).\n"),
        ("next.md", "# Next\n"),
    ]);
    let home = built(&b, "index.html");
    assert!(home.contains("Welcome, see"), "{home}");
    assert!(home.contains("href=\"next.html\""), "{home}");
    assert_eq!(home, b.read("out/intro.html"));
}

#[test]
fn links_out_of_the_book_warn_and_fail_only_under_strict() {
    let mut b = book(&[(
        "a.md",
        "# A\n\nSee [mem](../std/mem/index.html), [ref](../reference/x.html),\n\
         mail <help@crates.io> and [gone](gone.md).\n",
    )]);
    let d = b.check();
    assert_eq!(
        d.code,
        Some(1),
        "a link inside the book stays an error: {d}"
    );
    assert!(d.has_at("GB506", "src/a.md", 4), "{d}");
    assert!(d.has_at("GB515", "src/a.md", 3), "{d}");
    assert_eq!(d.errors().count(), 1, "{d}");
    let hint = d.items.iter().find(|i| i["code"] == "GB515").unwrap()["hint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        hint.contains("[output.site] links-elsewhere = [\"../std/\"]"),
        "{hint}"
    );
    b.edit("src/a.md", " and [gone](gone.md)", "");
    let d = b.check();
    assert_eq!(d.code, Some(0), "{d}");
    assert_eq!(
        d.items.iter().filter(|i| i["code"] == "GB515").count(),
        2,
        "{d}"
    );
    b.run("check --strict", |cmd| {
        cmd.expect_code(1).expect_stderr("error[GB515]");
    });
    // Prefixes known to exist beside the book are not reported at all.
    b.append(
        "book.toml",
        "\n[output.site]\nlinks-elsewhere = [\"../std/\", \"../reference/\"]\n",
    );
    let d = b.check();
    assert!(d.items.is_empty(), "{d}");
    b.run("check --strict", |_| {});
}

/// A missing anchor, or a missing target that is not a page (a PDF, a
/// name a preprocessor resolves), in a book without governance: mdBook
/// builds the book (the link goes to the page, the include is empty), so a
/// warning at its line, an error under `--strict`; in a governance
/// handbook, an error. A missing page is an error in both.
#[test]
fn dangling_anchors_and_files_warn_in_an_mdbook_book_and_fail_a_governance_handbook() {
    let mut b = book(&[
        (
            "a.md",
            "# A\n\nSee [b](b.md#no-such-heading) and [here](#nor-this).\n\n```rust\n\
             {{#include code.rs:nope}}\n```\n\nAfter, [as a PDF](book.pdf).\n\n\
             [a rule](items.static) and [`Vec`](std::vec::Vec), which a preprocessor resolves.\n",
        ),
        ("b.md", "# B\n\n## Real\n"),
    ]);
    b.change_file(
        "src/code.rs",
        "// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\n",
    );
    let d = b.check();
    assert_eq!(d.code, Some(0), "{d}");
    for (code, line) in [("GB507", 3), ("GB508", 6), ("GB506", 9), ("GB506", 11)] {
        assert!(d.has_at(code, "src/a.md", line), "{code}: {d}");
    }
    assert_eq!(d.errors().count(), 0, "{d}");
    assert_eq!(
        d.items.iter().filter(|i| i["code"] == "GB507").count(),
        2,
        "{d}"
    );
    let page = built(&b, "a.html");
    assert!(page.contains("href=\"b.html#no-such-heading\""), "{page}");
    assert!(
        page.contains("After,") && !page.contains("fn main"),
        "{page}"
    );
    b.run("check --strict", |cmd| {
        cmd.expect_code(1)
            .expect_stderr("error[GB507]")
            .expect_stderr("error[GB508]")
            .expect_stderr("error[GB506]");
    });
    // A missing page stays an error.
    b.edit("src/a.md", "(book.pdf)", "(book.md)");
    assert_eq!(b.check().code, Some(1));

    // The same links in a governance handbook are errors.
    let mut g = BookTest::from_fixture("minimal");
    g.change_file(
        "content/guide.md",
        "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n\
         [x](#no-such-heading)\n\n{{#include code.rs:nope}}\n\n[pdf](guide.pdf)\n",
    );
    g.change_file("content/code.rs", "// ANCHOR: main\n// ANCHOR_END: main\n");
    let d = g.check();
    assert_eq!(d.code, Some(1), "{d}");
    assert!(d.has_at("GB507", "content/guide.md", 8), "{d}");
    assert!(d.has_at("GB508", "content/guide.md", 10), "{d}");
    assert!(d.has_at("GB506", "content/guide.md", 12), "{d}");
    assert_eq!(d.errors().count(), 3, "{d}");
}

#[test]
fn includes_outside_the_book_need_include_root_in_book_toml() {
    let mut b = book(&[(
        "a.md",
        "# A\n\n```rust\n{{#include ../../examples/nop.rs}}\n```\n",
    )]);
    let examples = b.scratch().join("examples");
    std::fs::create_dir_all(&examples).unwrap();
    std::fs::write(examples.join("nop.rs"), "fn nop() {}\n").unwrap();
    b.run("check", |cmd| {
        cmd.expect_code(1)
            .expect_stderr("error[GB009]: `../../examples/nop.rs` leaves the book root")
            .expect_stderr("--> book/src/a.md:4:1")
            .expect_stderr("add `include-root = \"..\"` under [build] in book.toml");
    });
    b.append("book.toml", "\n[build]\ninclude-root = \"..\"\n");
    let html = built(&b, "a.html");
    assert_eq!(untag(code_after(&html, "<h1")), "fn nop() {}\n");
    // A link out of the include root is still refused.
    #[cfg(unix)]
    {
        let secret = tempfile::tempdir().unwrap();
        std::fs::write(secret.path().join("s.rs"), "secret").unwrap();
        std::os::unix::fs::symlink(secret.path().join("s.rs"), examples.join("link.rs")).unwrap();
        b.edit("src/a.md", "nop.rs", "link.rs");
        b.run("check", |cmd| {
            cmd.expect_code(1)
                .expect_stderr("error[GB009]")
                .expect_stderr("outside the include root");
        });
    }
    // include-root must contain the book.
    b.edit(
        "book.toml",
        "include-root = \"..\"",
        "include-root = \"src\"",
    );
    let d = b.check();
    assert!(d.has_at("GB009", "book.toml", 6), "{d}");
    // The same line under [output.site], where mdBook 0.5 skips it; in
    // both places, an error.
    b.edit("src/a.md", "link.rs", "nop.rs");
    b.append(
        "book.toml",
        "\n[output.site]\noptional = true\ninclude-root = \"..\"\n",
    );
    let d = b.check();
    assert!(d.has_at("GB104", "book.toml", 10), "{d}");
    b.edit("book.toml", "include-root = \"src\"\n", "");
    let html = built(&b, "a.html");
    assert_eq!(untag(code_after(&html, "<h1")), "fn nop() {}\n");
}

#[test]
fn output_html_markdown_keys_are_read() {
    let mut b = book(&[(
        "a.md",
        "# A\n\n\"Quoted\" -- dash\n\n```python\n~import os\nprint(1)\n```\n",
    )]);
    // mdBook's layout (`src/`): smart punctuation is on, as in mdBook 0.5.
    let html = built(&b, "a.html");
    assert!(html.contains("“Quoted” – dash"), "{html}");
    assert!(boring(&html).is_empty(), "{html}");
    b.append(
        "book.toml",
        "\n[output.html]\nsmart-punctuation = false\n\n[output.html.code.hidelines]\npython = \"~\"\n",
    );
    let html = built(&b, "a.html");
    assert!(html.contains("\"Quoted\" -- dash"), "{html}");
    assert_eq!(boring(&html), ["import os\n"], "{html}");
    // The older name, and govbook's own layout, where it is off by default.
    b.edit(
        "book.toml",
        "smart-punctuation = false",
        "curly-quotes = true",
    )
    .edit("book.toml", "src = \"src\"", "src = \"content\"");
    std::fs::rename(b.path("src"), b.path("content")).unwrap();
    let html = built(&b, "a.html");
    assert!(html.contains("“Quoted” – dash"), "{html}");
    b.edit("book.toml", "curly-quotes = true", "");
    let html = built(&b, "a.html");
    assert!(
        html.contains("“Quoted” – dash"),
        "[output.html] is there: mdBook's default: {html}"
    );
    b.edit("book.toml", "[output.html]", "").edit(
        "book.toml",
        "[output.html.code.hidelines]\npython = \"~\"",
        "",
    );
    let html = built(&b, "a.html");
    assert!(html.contains("\"Quoted\" -- dash"), "{html}");
}

/// Links that work in mdBook's output are not errors: `index.md` for a
/// folder's `README.md` (both are its `index.html`), and an old path that
/// `[output.html.redirect]` writes a page for.
#[test]
fn links_to_index_md_and_to_redirected_paths_resolve() {
    let mut b = book(&[
        ("README.md", "# Intro\n"),
        (
            "a.md",
            "# A\n\n[intro](index.md), [sub](sub/index.md#deep), [old](old/gone.md), \
             [old html](old/gone.html).\n",
        ),
        ("sub/README.md", "# Sub\n\n## Deep\n"),
    ]);
    b.append(
        "book.toml",
        "\n[output.html.redirect]\n\"/old/gone.html\" = \"../a.html\"\n",
    );
    let d = b.check();
    assert!(d.items.is_empty(), "{d}");
    let page = built(&b, "a.html");
    for href in ["index.html", "sub/index.html#deep", "old/gone.html"] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href}: {page}");
    }
    // A missing heading behind `index.md` is still found.
    b.edit("src/a.md", "#deep", "#shallow");
    assert!(b.check().has_at("GB507", "src/a.md", 3));
}

/// Footnotes as mdBook 0.5.4 writes them (checked against its output):
/// references numbered by first use with `fr-NAME-N` ids, definitions at
/// the end with links back, unused ones dropped; a heading of the same
/// name keeps its own id, and both kinds of id are link targets.
#[test]
fn footnotes_are_written_as_mdbook_writes_them() {
    let b = book(&[(
        "a.md",
        "# A\n\n## Note\n\nText[^note] and again[^note] and more[^b].\n\n\
         [^note]: The note.\n\n[^b]: Second.\n\n[^unused]: Nobody.\n\n\
         [to the note](#footnote-note), [back](#fr-note-2), [heading](#note).\n",
    )]);
    let d = b.check();
    assert!(d.items.is_empty(), "{d}");
    let page = built(&b, "a.html");
    for part in [
        "<h2 id=\"note\">",
        "Text<sup class=\"footnote-reference\" id=\"fr-note-1\"><a href=\"#footnote-note\">1</a></sup>",
        "again<sup class=\"footnote-reference\" id=\"fr-note-2\"><a href=\"#footnote-note\">1</a></sup>",
        "more<sup class=\"footnote-reference\" id=\"fr-b-1\"><a href=\"#footnote-b\">2</a></sup>",
        "<hr>\n<ol class=\"footnote-definition\">\n<li id=\"footnote-note\">\n\
         <p>The note. <a href=\"#fr-note-1\">↩</a> <a href=\"#fr-note-2\">↩2</a></p>\n</li>\n\
         <li id=\"footnote-b\">\n<p>Second. <a href=\"#fr-b-1\">↩</a></p>\n</li>\n</ol>",
    ] {
        assert!(page.contains(part), "{part}\n{page}");
    }
    assert!(!page.contains("Nobody"), "{page}");
    assert_eq!(page.matches("id=\"note\"").count(), 1, "{page}");
}

/// Every stage finds an mdBook book's `src/` wherever govbook runs from:
/// a script in a published file there is refused, and names its file.
#[test]
fn the_src_folder_is_found_from_outside_the_book() {
    let mut b = book(&[("a.md", "# A\n\n![x](x.svg)\n"), ("b.md", "# B\n")]);
    b.edit("src/SUMMARY.md", "- [b](b.md)\n", "");
    // mdBook's default `src`, not named in book.toml.
    b.change_file("book.toml", "[book]\ntitle = \"T\"\n");
    b.change_file(
        "src/x.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n",
    );
    // The test runs from the folder above the book.
    let d = b.check();
    assert!(d.has_at("GB512", "src/x.svg", 1), "{d}");
    let unlisted = d
        .items
        .iter()
        .find(|i| i["code"] == "GB504")
        .expect("GB504");
    assert!(
        unlisted["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("src/b.md"),
        "{d}"
    );
}
