//! mdBook's `[output.html]` keys and `[preprocessor.*]` commands on small
//! books written here: preprocessors speak mdBook 0.5's protocol (a sh
//! fixture, `tests/fixtures/preprocessor/pre.sh`), redirects, extra CSS
//! and JS, repository and edit links, and math rendered at build time.

use crate::book_test::{BookTest, fixture};

/// A book with two chapters; the first holds MARKER for preprocessors.
fn book(toml_extra: &str) -> BookTest {
    let mut b = BookTest::empty();
    b.change_file(
        "book.toml",
        format!("[book]\ntitle = \"T\"\nsrc = \"src\"\n\n{toml_extra}"),
    )
    .change_file(
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n  - [Two](sub/two.md)\n\n---\n\n# Part\n\n- [Draft]()\n",
    )
    .change_file("src/one.md", "# One\n\nMARKER here.\n")
    .change_file("src/sub/two.md", "# Two\n\nSecond page.\n");
    b
}

#[cfg(unix)]
fn with_pre(pres: &str) -> BookTest {
    let mut b = book(pres);
    b.change_file(
        "pre.sh",
        std::fs::read(fixture("preprocessor/pre.sh")).unwrap(),
    );
    b
}

#[cfg(unix)]
#[test]
fn preprocessor_output_replaces_the_chapter_and_sees_mdbooks_context() {
    let b = with_pre(
        "[baseline]\ncodex-cli = \"0.139.0\"\n\n[preprocessor.demo]\ncommand = \"sh ./pre.sh demo\"\nsetting = 42\n",
    );
    b.run("build", |_| {});
    let html = b.read("book/one.html");
    assert!(html.contains("replaced by demo here."), "{html}");
    assert!(!html.contains("MARKER"));
    let calls = b.read("calls.log");
    assert_eq!(calls, "demo supports html\ndemo \n", "{calls}");
    let seen: serde_json::Value = serde_json::from_str(&b.read("seen-demo.json")).unwrap();
    let (ctx, book) = (&seen[0], &seen[1]);
    assert_eq!(ctx["renderer"], "html");
    assert_eq!(ctx["mdbook_version"], "0.5.4");
    assert_eq!(
        std::path::Path::new(ctx["root"].as_str().unwrap()),
        b.dir.as_path()
    );
    assert_eq!(ctx["config"]["preprocessor"]["demo"]["setting"], 42);
    assert_eq!(ctx["config"]["book"]["title"], "T");
    // mdBook's Config refuses tables it does not know.
    assert!(ctx["config"].get("baseline").is_none(), "{ctx}");
    let one = &book["items"][0]["Chapter"];
    assert_eq!(one["name"], "One");
    assert_eq!(one["path"], "one.md");
    assert_eq!(one["number"], serde_json::json!([1]));
    assert_eq!(one["content"], "# One\n\nMARKER here.\n");
    let two = &one["sub_items"][0]["Chapter"];
    assert_eq!(two["source_path"], "sub/two.md");
    assert_eq!(two["parent_names"], serde_json::json!(["One"]));
    assert_eq!(book["items"][1], "Separator");
    assert_eq!(book["items"][2]["PartTitle"], "Part");
    assert_eq!(book["items"][3]["Chapter"]["path"], serde_json::Value::Null);
}

#[cfg(unix)]
#[test]
fn preprocessors_run_in_mdbooks_order_and_only_for_html() {
    let b = with_pre(
        "[preprocessor.b]\ncommand = \"sh ./pre.sh b\"\n\n\
         [preprocessor.a]\ncommand = \"sh ./pre.sh a\"\nafter = [\"b\"]\n\n\
         [preprocessor.c]\ncommand = \"sh ./pre.sh c\"\nbefore = [\"b\"]\n\n\
         [preprocessor.epub-only]\ncommand = \"sh ./pre.sh epub-only\"\nrenderers = [\"epub\"]\n\n\
         [preprocessor.html-only]\ncommand = \"sh ./pre.sh html-only\"\nrenderers = [\"html\"]\n\n\
         [preprocessor.unsupported]\ncommand = \"sh ./pre.sh unsupported\"\n",
    );
    b.run("build", |_| {});
    let calls = b.read("calls.log");
    // In rounds, as mdBook's topological sort: first all that wait for
    // nothing (by name), then b, then a (after b). The explicit renderers
    // skip `supports`.
    assert_eq!(
        calls,
        "c supports html\nc \nhtml-only \nunsupported supports html\n\
         b supports html\nb \na supports html\na \n",
        "{calls}"
    );
    // The first to run replaced MARKER; the others saw its output.
    assert!(b.read("book/one.html").contains("replaced by c here."));
    assert!(b.read("seen-a.json").contains("replaced by c here."));
}

#[cfg(unix)]
#[test]
fn a_failing_preprocessor_fails_the_build_naming_it_with_its_stderr() {
    for (mode, want) in [
        ("fail", "exited with exit status: 3"),
        ("garbage", "its output is not an mdBook 0.5 book"),
    ] {
        let b = with_pre(&format!(
            "[preprocessor.{mode}]\ncommand = \"sh ./pre.sh {mode}\"\n"
        ));
        let ran = b.run("build", |cmd| {
            cmd.expect_code(1)
                .expect_stderr("error[GB705]")
                .expect_stderr(&format!("preprocessor `{mode}`"))
                .expect_stderr(want);
        });
        if mode == "fail" {
            assert!(
                ran.stderr.contains("boom: the fixture failed on purpose"),
                "{}",
                ran.stderr
            );
        }
        assert!(!b.path("book").exists(), "nothing is written");
        let diags = b.check();
        assert!(diags.has_at("GB705", "book.toml", 5), "{diags}");
    }
}

#[cfg(unix)]
#[test]
fn a_preprocessor_that_hangs_is_stopped() {
    let b = with_pre("[preprocessor.slow]\ncommand = \"sh ./pre.sh slow\"\n");
    b.run("build", |cmd| {
        cmd.env("GOVBOOK_PREPROCESSOR_TIMEOUT", "1")
            .expect_code(1)
            .expect_stderr("error[GB705]")
            .expect_stderr("preprocessor `slow`: did not finish within 1 s");
    });
}

#[cfg(unix)]
#[test]
fn a_missing_preprocessor_is_an_error_unless_optional() {
    let b = with_pre("[preprocessor.nowhere]\ncommand = \"./no-such-program\"\n");
    b.run("build", |cmd| {
        cmd.expect_code(1)
            .expect_stderr("error[GB705]")
            .expect_stderr("preprocessor `nowhere`: cannot run `./no-such-program`");
    });
    let b = with_pre("[preprocessor.nowhere]\ncommand = \"./no-such-program\"\noptional = true\n");
    let ran = b.run("build", |_| {});
    assert!(ran.stderr.contains("warning[GB705]"), "{}", ran.stderr);
    assert!(b.read("book/one.html").contains("MARKER"));
}

#[test]
fn content_cannot_add_a_preprocessor() {
    // Only book.toml names programs: a page that looks like a table runs nothing.
    let mut b = book("");
    b.change_file(
        "src/one.md",
        "+++\n[preprocessor.x]\ncommand = \"touch ran\"\n+++\n# One\n",
    );
    b.run("check", |cmd| {
        cmd.any_code();
    });
    assert!(!b.path("ran").exists());
}

#[test]
fn redirects_write_a_refresh_page_without_script() {
    let b = book(
        "[output.html.redirect]\n\"/old/place.html\" = \"../sub/two.html\"\n\
         \"gone.html\" = \"https://example.org/moved\"\n\"one.html#old\" = \"one.html#new\"\n",
    );
    let ran = b.run("build", |_| {});
    let page = b.read("book/old/place.html");
    assert!(
        page.contains("<meta http-equiv=\"refresh\" content=\"0; URL=../sub/two.html\">"),
        "{page}"
    );
    assert!(page.contains("<a href=\"../sub/two.html\">"));
    assert!(!page.contains("<script"));
    assert!(
        b.read("book/gone.html")
            .contains("URL=https://example.org/moved")
    );
    // A fragment redirect needs a script: a warning, and nothing written.
    assert!(ran.stderr.contains("warning[GB108]"), "{}", ran.stderr);
    assert!(ran.stderr.contains("one.html#old"), "{}", ran.stderr);
}

#[test]
fn bad_redirects_are_errors_at_their_line() {
    for (entry, want) in [
        ("\"one.html\" = \"sub/two.html\"", "would replace a page"),
        ("\"index.html\" = \"sub/two.html\"", "would replace a page"),
        (
            "\"../outside.html\" = \"one.html\"",
            "not a path inside the site",
        ),
        ("\"x.html\" = \"javascript:alert(1)\"", "`javascript:` URL"),
    ] {
        let b = book(&format!("[output.html.redirect]\n{entry}\n"));
        let diags = b.check();
        assert!(diags.has_at("GB706", "book.toml", 6), "{entry}: {diags}");
        assert!(diags.stdout.contains(want), "{entry}: {diags}");
        b.run("build", |cmd| {
            cmd.expect_code(1);
        });
        assert!(!b.path("book").exists());
    }
}

#[test]
fn additional_css_and_js_are_copied_fingerprinted_and_linked_from_every_page() {
    let mut b = book(
        "[output.html]\nadditional-css = [\"theme/custom.css\"]\nadditional-js = [\"extra.js\"]\n",
    );
    b.change_file("theme/custom.css", "body { color: rebeccapurple; }\n")
        .change_file("extra.js", "console.log(1);\n");
    b.run("build", |_| {});
    let css = std::fs::read_dir(b.path("book/theme"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("custom-") && n.ends_with(".css"))
        .expect("fingerprinted css");
    assert_eq!(css.len(), "custom-12345678.css".len());
    assert_eq!(
        b.read(format!("book/theme/{css}")),
        "body { color: rebeccapurple; }\n"
    );
    for (page, root) in [("book/one.html", ""), ("book/sub/two.html", "../")] {
        let html = b.read(page);
        assert!(
            html.contains(&format!("href=\"{root}theme/{css}\"")),
            "{html}"
        );
        assert!(
            html.contains(&format!("<script src=\"{root}extra-")),
            "{html}"
        );
    }
    // Without hash-files the names stay.
    b.append("book.toml", "hash-files = false\n");
    b.run("build", |_| {});
    assert!(
        b.read("book/one.html")
            .contains("href=\"theme/custom.css\"")
    );
    assert!(b.path("book/extra.js").is_file());
}

#[test]
fn additional_files_must_exist_inside_the_book() {
    let b = book("[output.html]\nadditional-css = [\"missing.css\", \"../outside.css\"]\n");
    std::fs::write(b.scratch().join("outside.css"), "x").unwrap();
    let diags = b.check();
    let at_line: Vec<_> = diags
        .errors()
        .filter(|d| d["code"] == "GB707" && d["line"] == 6)
        .collect();
    assert_eq!(at_line.len(), 2, "{diags}");
}

#[test]
fn repository_and_edit_links_on_prose_and_governance_pages() {
    let b = BookTest::handbook();
    let mut b = b;
    b.append(
        "book.toml",
        "\n[output.html]\ngit-repository-url = \"https://example.org/handbook\"\n\
         edit-url-template = \"https://example.org/handbook/edit/main/{path}\"\n",
    );
    b.run("build", |_| {});
    let index = b.read("book/index.html");
    assert!(index.contains("<a class=\"header-link\" href=\"https://example.org/handbook\">"));
    assert!(
        index.contains(
            "href=\"https://example.org/handbook/edit/main/content/README.md\">Edit this page"
        ),
        "{index}"
    );
    let policy = b.read("book/governance/policy.html");
    assert!(
        policy.contains("edit/main/content/governance/policy.toml\">Edit this page"),
        "{policy}"
    );
    let mut b = b;
    b.edit(
        "book.toml",
        "\"https://example.org/handbook\"",
        "\"javascript:alert(1)\"",
    );
    assert!(b.check().has_in("GB104", "book.toml"));
}

#[test]
fn print_enable_false_and_no_section_label() {
    let b = book("[output.html]\nno-section-label = true\n\n[output.html.print]\nenable = false\n");
    b.run("build", |_| {});
    assert!(!b.path("book/print.html").exists());
    let toc = b.read("book/toc.js");
    assert!(!toc.contains("\"n\":\"1.\""), "{toc}");
    let b = book("");
    b.run("build", |_| {});
    assert!(b.path("book/print.html").exists());
    assert!(b.read("book/toc.js").contains("\"n\":\"1.\""));
    assert!(!b.read("book/toc.js").contains("GOVBOOK_FOLD"));
    // fold: the level reaches the sidebar script (the browser suite folds).
    let b = book("[output.html.fold]\nenable = true\nlevel = 2\n");
    b.run("build", |_| {});
    assert!(b.read("book/toc.js").contains("window.GOVBOOK_FOLD=2;"));
}

#[test]
fn math_is_mathml_at_build_time_with_no_script() {
    let mut b = book("[output.html]\nmathjax-support = true\n");
    b.change_file(
        "src/one.md",
        "# One\n\nInline \\\\( \\int x dx = \\frac{x^2}{2} \\\\) and\n\n\\\\[ \\mu = \\frac{1}{N} \\sum_{i=0} x_i \\\\]\n\n`\\\\( code \\\\)`\n",
    );
    b.run("build", |_| {});
    let html = b.read("book/one.html");
    assert!(html.contains("Inline <math>"), "{html}");
    assert!(html.contains("<math display=\"block\">"), "{html}");
    assert!(html.contains("<code>\\\\( code \\\\)</code>"), "{html}");
    assert!(!html.to_ascii_lowercase().contains("mathjax"), "{html}");
    assert!(
        b.read("book/print.html")
            .contains("<math display=\"block\">")
    );
    // A formula that does not convert stays as written, with a warning at
    // its line.
    let mut b = book("[output.html]\nmathjax-support = true\n");
    b.change_file(
        "src/one.md",
        "# One\n\nFine \\\\( x \\\\).\n\nBroken \\\\( \\frac{a} \\\\).\n",
    );
    let diags = b.check();
    assert!(diags.has_at("GB708", "src/one.md", 5), "{diags}");
    assert_eq!(diags.code, Some(0), "{diags}");
    // Off by default, as in mdBook: the delimiters stay text.
    let mut b = book("");
    b.change_file("src/one.md", "# One\n\n\\\\( x \\\\)\n");
    b.run("build", |_| {});
    assert!(b.read("book/one.html").contains("<p>\\( x \\)</p>"));
}

#[test]
fn mdbook_theme_files_favicon_used_and_others_warned_once_each() {
    let mut b = book("[output.html]\nadditional-css = [\"theme/custom.css\"]\n");
    b.change_file(
        "theme/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>mine</title></svg>",
    )
    .change_file("theme/favicon.png", b"\x89PNG\r\n\x1a\n".as_slice())
    .change_file("theme/index.hbs", "{{ content }}")
    .change_file("theme/css/general.css", "body { margin: 0 }")
    .change_file("theme/custom.css", ".x {}");
    let ran = b.run("build", |_| {});
    assert!(
        b.read("book/assets/favicon.svg")
            .contains("<title>mine</title>")
    );
    assert!(b.path("book/assets/favicon.png").is_file());
    assert!(b.read("book/one.html").contains("assets/favicon.png"));
    let warned: Vec<&str> = ran
        .stderr
        .lines()
        .filter(|l| l.contains("warning[GB108]"))
        .collect();
    assert_eq!(warned.len(), 2, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("theme/index.hbs is not used: a Handlebars template"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("theme/css/general.css is not used"),
        "{}",
        ran.stderr
    );
}

/// What a preprocessor writes is raw HTML like the page's own: a class the
/// book's `additional-css` styles is kept, another is removed with GB514.
#[cfg(unix)]
#[test]
fn preprocessor_html_keeps_the_classes_the_books_css_styles() {
    let mut b = with_pre(
        "[output.html]\nadditional-css = [\"theme/admonish.css\"]\n\n[preprocessor.classes]\ncommand = \"sh ./pre.sh classes\"\n",
    );
    b.change_file("theme/admonish.css", ".admonition { border: 1px solid; }\n");
    let diags = b.check();
    assert!(
        diags.items.iter().any(|d| d["code"] == "GB514"
            && d["message"].as_str().unwrap_or("").contains("class `nope`")),
        "{diags}"
    );
    assert!(
        !diags
            .items
            .iter()
            .any(|d| d["message"].as_str().unwrap_or("").contains("admonition")),
        "{diags}"
    );
    b.run("build", |_| {});
    let html = b.read("book/one.html");
    assert!(
        html.contains("<span class=\"admonition\">boxed</span> <span>x</span> here."),
        "{html}"
    );
}

/// A book whose first chapter includes a file that sets the title and
/// holds MARKER, and escapes a directive.
#[cfg(unix)]
fn with_include(pres: &str) -> BookTest {
    let mut b = with_pre(pres);
    b.change_file(
        "src/one.md",
        "# One\n\n{{#include parts/part.md}}\n\nKept: \\{{#include nope.md}}\n",
    )
    .change_file(
        "src/parts/part.md",
        "{{#title Included Title}}\nIncluded MARKER text.\n",
    );
    b
}

/// The first chapter's text as preprocessor `mode` received it.
#[cfg(unix)]
fn received(b: &BookTest, mode: &str) -> String {
    let seen: serde_json::Value =
        serde_json::from_str(&b.read(format!("seen-{mode}.json"))).unwrap();
    seen[1]["items"][0]["Chapter"]["content"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// As mdBook 0.5.4: the built-in `links` takes its place among the
/// preprocessors (rounds of the `before`/`after` order, ties by name), so
/// one after it sees the included text with the title taken out, and one
/// that sorts before `index` with no order given sees the directives. An
/// escaped directive loses its backslash and stays literal.
#[cfg(unix)]
#[test]
fn preprocessors_after_links_see_the_included_text() {
    let b = with_include(
        "[preprocessor.toc]\ncommand = \"sh ./pre.sh toc\"\n\n\
         [preprocessor.admonish]\ncommand = \"sh ./pre.sh admonish\"\n\n\
         [preprocessor.late]\ncommand = \"sh ./pre.sh late\"\nafter = [\"links\"]\n",
    );
    b.run("build", |_| {});
    let calls = b.read("calls.log");
    let ran: Vec<&str> = calls
        .lines()
        .filter(|l| !l.contains("supports"))
        .map(str::trim)
        .collect();
    // Round one by name: admonish, index, links, toc; then late.
    assert_eq!(ran, ["admonish", "toc", "late"], "{calls}");
    let c = received(&b, "admonish");
    assert!(c.contains("{{#include parts/part.md}}"), "{c}");
    for after in ["toc", "late"] {
        let c = received(&b, after);
        assert!(
            !c.contains("{{#include parts") && !c.contains("{{#title"),
            "{after}: {c}"
        );
        assert!(c.contains("Kept: {{#include nope.md}}"), "{after}: {c}");
    }
    assert!(received(&b, "toc").contains("Included MARKER text."));
    assert!(received(&b, "late").contains("Included replaced by toc text."));
    let html = b.read("book/one.html");
    assert!(html.contains("Included replaced by toc text."), "{html}");
    assert!(html.contains("Kept: {{#include nope.md}}"), "{html}");
    assert!(html.contains("<title>Included Title"), "{html}");
}

/// `before = ["links"]` gives a preprocessor the directives; what it
/// returns is expanded afterwards, its own edits kept.
#[cfg(unix)]
#[test]
fn a_preprocessor_before_links_sees_the_directives_and_its_output_is_expanded() {
    let mut b =
        with_include("[preprocessor.zed]\ncommand = \"sh ./pre.sh zed\"\nbefore = [\"links\"]\n");
    b.append("src/one.md", "\nPage MARKER too.\n");
    b.run("build", |_| {});
    let c = received(&b, "zed");
    assert!(c.contains("{{#include parts/part.md}}"), "{c}");
    assert!(c.contains("\\{{#include nope.md}}"), "{c}");
    let html = b.read("book/one.html");
    assert!(html.contains("Page replaced by zed too."), "{html}");
    // The included text came in after zed ran.
    assert!(html.contains("Included MARKER text."), "{html}");
    assert!(html.contains("Kept: {{#include nope.md}}"), "{html}");
    assert!(html.contains("<title>Included Title"), "{html}");
}

/// With preprocessors, an include that fails is still an error at the
/// directive's line in the page file, and the include root still bounds
/// where includes may go.
#[cfg(unix)]
#[test]
fn include_errors_keep_their_place_when_preprocessors_run() {
    let mut b = with_pre("[preprocessor.toc]\ncommand = \"sh ./pre.sh toc\"\n");
    b.change_file(
        "src/one.md",
        "# One\n\nMARKER\n\n{{#include missing.md}}\n\n{{#include ../../outside.md}}\n",
    );
    let diags = b.check();
    assert_eq!(diags.code, Some(1), "{diags}");
    assert!(diags.has_at("GB508", "src/one.md", 5), "{diags}");
    assert!(
        diags.items.iter().any(|d| d["file"] == "src/one.md"
            && d["line"] == 7
            && d["message"]
                .as_str()
                .unwrap_or("")
                .contains("leaves the book root")),
        "{diags}"
    );
    // The preprocessor after `links` did not run on a broken book.
    assert!(!b.path("seen-toc.json").exists());
}

/// `{{#title}}` in an included file names the page, as mdBook's `links`
/// handles the title after expanding includes; a later one in the page
/// wins, as there.
#[test]
fn a_title_in_an_included_file_sets_the_page_title() {
    let mut b = book("");
    b.change_file("src/one.md", "{{#include meta.md}}\n# One\n\nBody.\n")
        .change_file("src/meta.md", "{{#title From The Include}}\n")
        .change_file(
            "src/sub/two.md",
            "{{#include ../meta.md}}\n{{#title Own Title}}\n# Two\n",
        );
    b.run("build", |_| {});
    let one = b.read("book/one.html");
    assert!(one.contains("<title>From The Include"), "{one}");
    assert!(!one.contains("{{#title"), "{one}");
    let two = b.read("book/sub/two.html");
    assert!(two.contains("<title>Own Title"), "{two}");
}
