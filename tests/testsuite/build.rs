//! `govbook build`: page types, mdBook compatibility, includes, links,
//! reproducibility, atomic writes and output safety.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::book_test::BookTest;

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The JSON value a data script (`window.NAME=<json>;`) assigns, so
/// tests read the sidebar and the search index as data, not as text.
fn data_script(dir: &Path, rel: &str, name: &str) -> Value {
    let js = text(dir, rel);
    let json = js
        .strip_prefix(&format!("window.{name}="))
        .and_then(|s| s.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("{rel} is not `window.{name}=…;`"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The sidebar's entries (`toc.js`).
fn toc(out: &Path) -> Vec<Value> {
    data_script(out, "toc.js", "GOVBOOK_TOC")
        .as_array()
        .unwrap()
        .clone()
}

/// Whether the sidebar links `url`.
fn toc_links(toc: &[Value], url: &str) -> bool {
    toc.iter().any(|e| e["u"] == url)
}

/// Asserts that every path exists as a file under `out`.
fn assert_files(out: &Path, rels: &[&str]) {
    for rel in rels {
        assert!(out.join(rel).is_file(), "{rel} missing");
    }
}

fn text(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn bundled_handbook_has_every_page_type() {
    let book = BookTest::handbook();
    book.run("build", |cmd| {
        cmd.expect_stderr("govbook build:");
    });
    let out = book.path("book");
    let governance = [
        "policy",
        "profiles",
        "commands",
        "checklists",
        "rollout",
        "upgrades",
        "plugins",
        "metrics",
        "owners",
        "changelog",
        "diagnostics",
    ];
    let toc = toc(&out);
    for g in governance {
        let url = format!("governance/{g}.html");
        assert!(out.join(&url).is_file(), "{url} missing");
        assert!(toc_links(&toc, &url), "{url} not in the sidebar");
    }
    for page in [
        "index.html",
        "guide/cli-baseline.html",
        "reference/diagnostics.html",
        "rollout/phases.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
        assert!(toc_links(&toc, page), "{page} not in the sidebar");
    }
    assert_files(
        &out,
        &[
            "print.html",
            "404.html",
            "toc.html",
            "toc/top.js",
            "search/meta.js",
            "assets/highlight.css",
        ],
    );
    // site-url is "/", not absolute: no sitemap.
    assert!(!out.join("sitemap.xml").exists());
    // Every profile becomes a Codex profile file the profiles page links to.
    let profiles = text(&out, "governance/profiles.html");
    for name in ["pilot-readonly", "standard", "ci-exec", "review"] {
        let file = format!("templates/.codex/home/{name}.config.toml");
        assert!(out.join(&file).is_file(), "{file}");
        assert!(
            profiles.contains(&file),
            "profiles page does not link {file}"
        );
    }
    let base = text(&out, "templates/.codex/home/config.toml");
    assert!(base.contains("[permissions.team-workspace]"), "{base}");
    // The version banner and the page's owner line.
    let page = text(&out, "guide/cli-baseline.html");
    assert!(page.contains("2026.11.0") && page.contains("0.139.0"));
    assert!(page.contains("Platform Enablement"));
    // Highlighting happened at build time.
    assert!(page.contains("class=\"hl-"));
    // The print page holds every chapter.
    let print = text(&out, "print.html");
    for heading in [
        "Codex Rollout Handbook",
        "CLI baseline and upgrades",
        "AGENTS.md",
    ] {
        assert!(print.contains(heading), "print page lacks {heading}");
    }
    // Search covers deep pages by heading: a chunk lists the page and the
    // heading's anchor.
    let chunks: String = (0..)
        .map(|n| out.join(format!("search/d-{n}.js")))
        .take_while(|p| p.is_file())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        chunks.contains("\"guide/cli-baseline.html\"") && chunks.contains("\"#"),
        "no heading of guide/cli-baseline.html in the search index"
    );
    // Nothing in the site loads from another origin.
    for (rel, bytes) in read_tree(&out) {
        if rel.ends_with(".html") || rel.ends_with(".css") || rel.ends_with(".js") {
            let t = String::from_utf8_lossy(&bytes);
            for bad in [
                "src=\"http",
                "src=\"//",
                "href=\"//",
                "@import url(http",
                "url(http",
            ] {
                assert!(!t.contains(bad), "{rel} loads from another origin ({bad})");
            }
        }
    }
}

#[test]
fn builds_are_byte_identical() {
    let book = BookTest::handbook();
    let a = book.scratch().join("a");
    let b = book.scratch().join("b");
    for out in [&a, &b] {
        book.run("build -o", |cmd| {
            cmd.arg(out);
        });
    }
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn mdbook_book_builds_unchanged() {
    let book = BookTest::from_fixture("mdbook");
    // `git-repository-url` is honoured; `[preprocessor.links]` is govbook's own.
    let ran = book.run("build", |_| {});
    assert!(!ran.stderr.contains("GB108"), "{}", ran.stderr);
    assert!(
        book.read("out/index.html")
            .contains("href=\"https://example.com/repo\"")
    );
    let out = book.path("out");
    assert_files(
        &out,
        &[
            "index.html",
            "chapter_1.html",
            "chapter_1/section.html",
            "chapter_1/deep.html",
            "chapter_2.html",
            "chapter_3.html",
            "appendix.html",
            "images/logo.svg",
        ],
    );
    // The snippet is only included, never a page of its own.
    assert!(!out.join("snippet.html").exists());
    let toc = toc(&out);
    let entry = |title: &str| {
        toc.iter()
            .find(|e| e["t"] == title)
            .unwrap_or_else(|| panic!("no {title:?} in {toc:#?}"))
    };
    assert_eq!(
        entry("Part One"),
        &json!({"t": "Part One", "u": "", "l": 0, "n": "", "p": true})
    );
    assert_eq!(entry("Deep dive")["n"], "1.1.1.", "nested numbering");
    assert_eq!(entry("Draft section")["u"], "", "a draft has no page");
    assert!(toc.iter().any(|e| e["s"] == true), "separator: {toc:#?}");
    assert_eq!(
        entry("Appendix"),
        &json!({"t": "Appendix", "u": "appendix.html", "l": 0, "n": ""}),
        "a suffix chapter is unnumbered"
    );
    let ch2 = text(&out, "chapter_2.html");
    assert!(
        ch2.contains("println!") || ch2.contains("println"),
        "anchor include: {ch2}"
    );
    assert!(!ch2.contains("ANCHOR"), "anchor markers are dropped");
    assert!(
        ch2.contains("fmt") && !ch2.contains("An example file"),
        "line range include"
    );
    assert!(ch2.contains("An included paragraph"));
    assert!(
        ch2.contains("href=\"chapter_3.html\""),
        "links in included text are rewritten"
    );
    assert!(
        ch2.contains("{{#include nope.md}}"),
        "an escaped directive stays literal"
    );
    assert!(
        text(&out, "chapter_3.html").contains("<title>A Custom Title"),
        "{{#title}} sets the title"
    );
    let intro = text(&out, "index.html");
    assert!(intro.contains("href=\"chapter_1/section.html#details\""));
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let mut book = BookTest::from_fixture("mdbook");
    book.run("build", |_| {});
    let before = read_tree(&book.path("out"));
    // Two broken links and a broken anchor: all reported at once (the
    // anchor as a warning: the book has no governance, and mdBook builds it).
    book.change_file(
        "src/appendix.md",
        "# Appendix\n\nSee [missing](nope.md).\n\nAnd [gone](chapter_1/gone.md) and [bad anchor](chapter_1/section.md#nothing).\n",
    );
    book.run("build", |cmd| {
        cmd.expect_code(1)
            .expect_stderr("error[GB506]: `nope.md` does not exist")
            .expect_stderr("--> book/src/appendix.md:3:5")
            .expect_stderr("`chapter_1/gone.md` does not exist")
            .expect_stderr("warning[GB507]")
            .expect_stderr("nothing was written");
    });
    assert_eq!(
        read_tree(&book.path("out")),
        before,
        "the previous site changed"
    );
}

#[test]
fn an_included_file_is_a_page_only_when_summary_lists_it() {
    let mut book = BookTest::from_fixture("mdbook");
    // snippet.md is pulled into chapter_2.md and not listed: a partial.
    book.run("build --quiet", |_| {});
    assert!(!book.path("out/snippet.html").exists());
    // Listed in SUMMARY.md as well, it is a page of its own, as in mdBook,
    // and still appears inside chapter 2.
    book.edit(
        "src/SUMMARY.md",
        "- [Chapter 2](chapter_2.md)",
        "- [Chapter 2](chapter_2.md)\n  - [Snippet](snippet.md)",
    );
    book.run("build --quiet", |_| {});
    let snippet = book.read("src/snippet.md");
    let first_words: String = snippet
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap()
        .chars()
        .take(20)
        .collect();
    let out = book.path("out");
    assert!(text(&out, "snippet.html").contains(&first_words));
    assert!(text(&out, "chapter_2.html").contains(&first_words));
    assert!(toc_links(&toc(&out), "snippet.html"));
}

/// A rebuild over govbook's previous output links the files whose bytes
/// did not change (same inode, same modification time) and writes the
/// rest; the result is byte for byte a fresh build's.
#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let mut book = BookTest::from_fixture("mdbook");
    let scratch = book.scratch().to_path_buf();
    let out = scratch.join("site");
    let build = |book: &BookTest, to: &Path| {
        book.run("build --quiet -o", |cmd| {
            cmd.arg(to);
        });
    };
    build(&book, &out);
    let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
    let (chapter, appendix) = (ino("chapter_3.html"), ino("appendix.html"));
    // A symbolic link in the old output, to a file with the very bytes the
    // page will have, is not linked from: only regular files are.
    let copy_of_chapter_1 = scratch.join("elsewhere.html");
    std::fs::copy(out.join("chapter_1.html"), &copy_of_chapter_1).unwrap();
    std::fs::remove_file(out.join("chapter_1.html")).unwrap();
    std::os::unix::fs::symlink(&copy_of_chapter_1, out.join("chapter_1.html")).unwrap();

    book.change_file("src/appendix.md", "# Appendix\n\nA changed ending.\n");
    build(&book, &out);
    assert_eq!(
        ino("chapter_3.html"),
        chapter,
        "an unchanged page is linked"
    );
    assert_ne!(ino("appendix.html"), appendix, "a changed page is written");
    assert!(text(&out, "appendix.html").contains("A changed ending."));
    let chapter_1 = std::fs::symlink_metadata(out.join("chapter_1.html")).unwrap();
    assert!(chapter_1.file_type().is_file());
    let fresh = scratch.join("fresh");
    build(&book, &fresh);
    assert_eq!(read_tree(&out), read_tree(&fresh));
    // Nothing of the old output is left beside the new one, and the file
    // the link pointed to is untouched.
    let beside: Vec<_> = std::fs::read_dir(&scratch)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("govbook-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    assert_eq!(
        std::fs::read(&copy_of_chapter_1).unwrap(),
        std::fs::read(fresh.join("chapter_1.html")).unwrap()
    );
}

#[test]
fn include_errors_are_reported_with_their_place() {
    let mut book = BookTest::from_fixture("mdbook");
    book.change_file(
        "src/appendix.md",
        "# Appendix\n\n{{#include missing.md}}\n\n{{#include ../../outside.md}}\n",
    )
    .change_file("src/chapter_3.md", "# Chapter 3\n\n{{#include loop.md}}\n")
    .change_file("src/loop.md", "Loop: {{#include chapter_3.md}}\n")
    .change_file(
        "src/chapter_1/deep.md",
        "# Deep\n\n{{#include ../../code/example.rs:nosuchanchor}}\n",
    );
    std::fs::write(book.scratch().join("outside.md"), "secret").unwrap();
    let diags = book.check();
    assert_eq!(diags.code, Some(1), "{diags}");
    for (code, file, line) in [
        ("GB508", "src/appendix.md", 3),
        ("GB009", "src/appendix.md", 5),
        ("GB509", "src/loop.md", 1),
    ] {
        assert!(
            diags
                .errors()
                .any(|d| d["code"] == code && d["file"] == file && d["line"] == line),
            "missing {code} at {file}:{line} in {diags}"
        );
    }
    // A missing anchor is reported too; in a book without governance, as
    // a warning (mdBook includes nothing there).
    assert!(diags.has_at("GB508", "src/chapter_1/deep.md", 3), "{diags}");
}

#[test]
fn output_directory_is_never_one_govbook_did_not_write() {
    let book = BookTest::from_fixture("mdbook");
    let precious = book.scratch().join("documents");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("taxes.txt"), "keep me").unwrap();
    book.run("build -o", |cmd| {
        cmd.arg(&precious)
            .expect_code(1)
            .expect_stderr("GB703")
            .expect_stderr("not written by govbook");
    });
    assert_eq!(
        std::fs::read_to_string(precious.join("taxes.txt")).unwrap(),
        "keep me"
    );
    book.run("build -o", |cmd| {
        cmd.arg(&book.dir)
            .expect_code(1)
            .expect_stderr("holds the book itself");
    });
    assert!(book.path("book.toml").is_file());
}

#[test]
fn theme_overrides_replace_files_and_template_errors_stop_the_build() {
    let mut book = BookTest::from_fixture("mdbook");
    let toml = book.read("book.toml");
    book.change_file(
        "book.toml",
        format!("{toml}\n[output.site]\ntheme = \"custom\"\n"),
    )
    .change_file(
        "themes/custom/prose.html",
        "{% extends \"page.html\" %}{% block content %}<div class=\"custom-theme\">{{ page.content | safe }}</div>{% endblock %}",
    );
    book.run("build", |_| {});
    assert!(text(&book.path("out"), "appendix.html").contains("class=\"custom-theme\""));
    let before = read_tree(&book.path("out"));

    book.change_file(
        "themes/custom/prose.html",
        "{% extends \"page.html\" %}{% block content %}{{ page.content | safe ",
    );
    book.run("build", |cmd| {
        cmd.expect_code(1)
            .expect_stderr("error[GB701]")
            .expect_stderr("themes/custom/prose.html");
    });
    assert_eq!(read_tree(&book.path("out")), before);

    book.change_file(
        "book.toml",
        format!("{toml}\n[output.site]\ntheme = \"nosuch\"\n"),
    );
    book.run("check", |cmd| {
        cmd.expect_code(1).expect_stderr("error[GB702]");
    });
}

#[test]
fn an_unwritable_output_directory_is_a_clear_error() {
    let book = BookTest::from_fixture("mdbook");
    // A path under a regular file cannot be created, even by root.
    let blocker = book.scratch().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    book.run("build -o", |cmd| {
        cmd.arg(blocker.join("site"))
            .expect_code(1)
            .expect_stderr("error[GB703]")
            .expect_stderr("not-a-dir");
    });
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "x");
}

#[test]
fn sitemap_and_404_use_an_absolute_site_url() {
    let mut book = BookTest::from_fixture("mdbook");
    book.append(
        "book.toml",
        "\n[output.site]\nsite-url = \"https://docs.example.com/handbook/\"\n",
    );
    book.run("build", |_| {});
    let out = book.path("out");
    let map = text(&out, "sitemap.xml");
    assert!(map.starts_with("<?xml"));
    for page in ["index.html", "chapter_1/section.html", "appendix.html"] {
        assert!(
            map.contains(&format!(
                "<loc>https://docs.example.com/handbook/{page}</loc>"
            )),
            "{page} missing from the sitemap:\n{map}"
        );
    }
    // 404.html is served at any depth: its links start at the site URL.
    assert!(
        text(&out, "404.html").contains("href=\"https://docs.example.com/handbook/index.html\"")
    );
}

#[test]
fn metrics_page_draws_adoption_beside_quality_and_writes_metrics_json() {
    let book = BookTest::handbook();
    book.run("build --quiet", |_| {});
    let out = book.path("book");
    let page = text(&out, "governance/metrics.html");
    let charts: Vec<&str> = page.split("<svg class=\"chart\"").skip(1).collect();
    // Two panels, four teams with data.
    assert_eq!(charts.len(), 8, "one chart per panel and team");
    for chart in &charts {
        let svg = &chart[..chart.find("</svg>").unwrap()];
        assert!(
            svg.contains("<title>") && svg.contains("<desc>"),
            "charts are described for screen readers"
        );
        assert_eq!(
            svg.matches("chart-line chart-adoption").count(),
            1,
            "one adoption line"
        );
        assert!(
            svg.matches("chart-line chart-quality").count() >= 1,
            "adoption is never drawn alone"
        );
        assert!(!svg.contains("<script"), "no script in charts");
    }
    // The rollout phase change and a target are drawn.
    assert!(page.contains("chart-phase") && page.contains("chart-target"));
    // Every chart has its data table.
    assert_eq!(page.matches("<table class=\"chart-data\">").count(), 8);

    let json: serde_json::Value = serde_json::from_str(&text(&out, "metrics.json")).unwrap();
    let observations = json["observations"].as_array().unwrap();
    assert_eq!(
        observations.len(),
        4 * 52 * 8,
        "every observation of the sample data"
    );
    let panel = &json["panels"][0];
    assert_eq!(panel["adoption"], "weekly-active-share");
    let payments = &panel["latest"]["payments"];
    assert_eq!(payments["weekly-active-share"]["date"], "2026-11-16");
    assert!(
        payments["defect-rate"]["value"].as_f64().unwrap() > 8.0,
        "the sample shows quality worsening"
    );
}
