//! `govbook build`: page types, mdBook compatibility, includes, links,
//! reproducibility, atomic writes and output safety.

use crate::fs::copy_tree_skipping;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const TODAY: &str = "2026-11-24";

fn govbook() -> Command {
    let mut c = Command::cargo_bin("govbook").unwrap();
    c.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch copy of the bundled handbook (book.toml + content).
fn handbook() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hb");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(repo.join("book.toml"), dir.join("book.toml")).unwrap();
    crate::fs::copy_tree(&repo.join("content"), &dir.join("content"));
    (tmp, dir)
}

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
    let (_tmp, dir) = handbook();
    govbook()
        .args(["build", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("govbook build:"));
    let out = dir.join("book");
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
    let toc = text(&out, "toc.js");
    for g in governance {
        let url = format!("governance/{g}.html");
        assert!(out.join(&url).is_file(), "{url} missing");
        assert!(
            toc.contains(&format!("\"u\":\"{url}\"")),
            "{url} not in the sidebar"
        );
    }
    for page in [
        "index.html",
        "guide/cli-baseline.html",
        "reference/diagnostics.html",
        "rollout/phases.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
        assert!(
            toc.contains(&format!("\"u\":\"{page}\"")),
            "{page} not in the sidebar"
        );
    }
    assert_files(
        &out,
        &[
            "print.html",
            "404.html",
            "toc.html",
            "searchindex.js",
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
    // Search covers deep pages by heading.
    let index = text(&out, "searchindex.js");
    assert!(index.starts_with("window.GOVBOOK_SEARCH="));
    assert!(index.contains("guide/cli-baseline.html#"));
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
    let (_tmp, dir) = handbook();
    let a = dir.parent().unwrap().join("a");
    let b = dir.parent().unwrap().join("b");
    for out in [&a, &b] {
        govbook()
            .args(["build", "--today", TODAY, "-o"])
            .arg(out)
            .arg(&dir)
            .assert()
            .success();
    }
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn mdbook_book_builds_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    govbook()
        .args(["build", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("warning[GB108]: [output.html]")
                .and(predicate::str::contains("[preprocessor.links]")),
        );
    let out = dir.join("out");
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
    let toc = text(&out, "toc.js");
    assert!(
        toc.contains("\"t\":\"Part One\",\"u\":\"\",\"l\":0,\"n\":\"\",\"p\":true"),
        "{toc}"
    );
    assert!(toc.contains("\"n\":\"1.1.1.\""), "nested numbering: {toc}");
    assert!(
        toc.contains("\"t\":\"Draft section\",\"u\":\"\""),
        "draft: {toc}"
    );
    assert!(toc.contains("\"s\":true"), "separator: {toc}");
    assert!(
        toc.contains("\"t\":\"Appendix\",\"u\":\"appendix.html\",\"l\":0,\"n\":\"\""),
        "suffix: {toc}"
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

fn write(dir: &Path, rel: &str, body: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    govbook()
        .args(["build", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success();
    let before = read_tree(&dir.join("out"));
    // Two broken links and a broken anchor: all reported at once.
    write(
        &dir,
        "src/appendix.md",
        "# Appendix\n\nSee [missing](nope.md).\n\nAnd [gone](chapter_1/gone.md) and [bad anchor](chapter_1/section.md#nothing).\n",
    );
    govbook()
        .args(["build", "--today", TODAY])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("error[GB506]: `nope.md` does not exist")
                .and(predicate::str::contains("--> src/appendix.md:3:5"))
                .and(predicate::str::contains(
                    "`chapter_1/gone.md` does not exist",
                ))
                .and(predicate::str::contains("error[GB507]"))
                .and(predicate::str::contains("nothing was written")),
        );
    assert_eq!(
        read_tree(&dir.join("out")),
        before,
        "the previous site changed"
    );
}

#[test]
fn an_included_file_is_a_page_only_when_summary_lists_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    // snippet.md is pulled into chapter_2.md and not listed: a partial.
    govbook()
        .args(["build", "--quiet", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success();
    assert!(!dir.join("out/snippet.html").exists());
    // Listed in SUMMARY.md as well, it is a page of its own, as in mdBook,
    // and still appears inside chapter 2.
    let summary = std::fs::read_to_string(dir.join("src/SUMMARY.md")).unwrap();
    write(
        &dir,
        "src/SUMMARY.md",
        &summary.replace(
            "- [Chapter 2](chapter_2.md)",
            "- [Chapter 2](chapter_2.md)\n  - [Snippet](snippet.md)",
        ),
    );
    govbook()
        .args(["build", "--quiet", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success();
    let snippet = std::fs::read_to_string(dir.join("src/snippet.md")).unwrap();
    let first_words: String = snippet
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap()
        .chars()
        .take(20)
        .collect();
    assert!(text(&dir.join("out"), "snippet.html").contains(&first_words));
    assert!(text(&dir.join("out"), "chapter_2.html").contains(&first_words));
    assert!(text(&dir.join("out"), "toc.js").contains("snippet.html"));
}

/// A rebuild over govbook's previous output links the files whose bytes
/// did not change (same inode, same modification time) and writes the
/// rest; the result is byte for byte a fresh build's.
#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    let out = tmp.path().join("site");
    let build = |to: &Path| {
        govbook()
            .args(["build", "--quiet", "--today", TODAY, "-o"])
            .arg(to)
            .arg(&dir)
            .assert()
            .success();
    };
    build(&out);
    let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
    let (chapter, appendix) = (ino("chapter_3.html"), ino("appendix.html"));
    // A symbolic link in the old output, to a file with the very bytes the
    // page will have, is not linked from: only regular files are.
    let copy_of_chapter_1 = tmp.path().join("elsewhere.html");
    std::fs::copy(out.join("chapter_1.html"), &copy_of_chapter_1).unwrap();
    std::fs::remove_file(out.join("chapter_1.html")).unwrap();
    std::os::unix::fs::symlink(&copy_of_chapter_1, out.join("chapter_1.html")).unwrap();

    write(&dir, "src/appendix.md", "# Appendix\n\nA changed ending.\n");
    build(&out);
    assert_eq!(
        ino("chapter_3.html"),
        chapter,
        "an unchanged page is linked"
    );
    assert_ne!(ino("appendix.html"), appendix, "a changed page is written");
    assert!(text(&out, "appendix.html").contains("A changed ending."));
    let chapter_1 = std::fs::symlink_metadata(out.join("chapter_1.html")).unwrap();
    assert!(chapter_1.file_type().is_file());
    let fresh = tmp.path().join("fresh");
    build(&fresh);
    assert_eq!(read_tree(&out), read_tree(&fresh));
    // Nothing of the old output is left beside the new one, and the file
    // the link pointed to is untouched.
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
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
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    write(
        &dir,
        "src/appendix.md",
        "# Appendix\n\n{{#include missing.md}}\n\n{{#include ../../outside.md}}\n",
    );
    write(
        &dir,
        "src/chapter_3.md",
        "# Chapter 3\n\n{{#include loop.md}}\n",
    );
    write(&dir, "src/loop.md", "Loop: {{#include chapter_3.md}}\n");
    write(
        &dir,
        "src/chapter_1/deep.md",
        "# Deep\n\n{{#include ../../code/example.rs:nosuchanchor}}\n",
    );
    std::fs::write(tmp.path().join("outside.md"), "secret").unwrap();
    let out = govbook()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let got: Vec<(String, String, u64)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    for want in [
        ("GB508", "src/appendix.md", 3),
        ("GB009", "src/appendix.md", 5),
        ("GB509", "src/loop.md", 1),
        ("GB508", "src/chapter_1/deep.md", 3),
    ] {
        assert!(
            got.iter()
                .any(|(c, f, l)| c == want.0 && f == want.1 && *l == want.2),
            "missing {want:?} in {got:?}"
        );
    }
}

#[test]
fn output_directory_is_never_one_govbook_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    let precious = tmp.path().join("documents");
    write(&precious, "taxes.txt", "keep me");
    govbook()
        .args(["build", "--today", TODAY, "-o"])
        .arg(&precious)
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("GB703")
                .and(predicate::str::contains("not written by govbook")),
        );
    assert_eq!(
        std::fs::read_to_string(precious.join("taxes.txt")).unwrap(),
        "keep me"
    );
    govbook()
        .args(["build", "--today", TODAY, "-o"])
        .arg(&dir)
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("holds the book itself"));
    assert!(dir.join("book.toml").is_file());
}

#[test]
fn theme_overrides_replace_files_and_template_errors_stop_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    write(
        &dir,
        "book.toml",
        &format!("{toml}\n[output.site]\ntheme = \"custom\"\n"),
    );
    write(
        &dir,
        "themes/custom/prose.html",
        "{% extends \"page.html\" %}{% block content %}<div class=\"custom-theme\">{{ page.content | safe }}</div>{% endblock %}",
    );
    govbook()
        .args(["build", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success();
    assert!(text(&dir.join("out"), "appendix.html").contains("class=\"custom-theme\""));
    let before = read_tree(&dir.join("out"));

    write(
        &dir,
        "themes/custom/prose.html",
        "{% extends \"page.html\" %}{% block content %}{{ page.content | safe ",
    );
    govbook()
        .args(["build", "--today", TODAY])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("error[GB701]")
                .and(predicate::str::contains("themes/custom/prose.html")),
        );
    assert_eq!(read_tree(&dir.join("out")), before);

    write(
        &dir,
        "book.toml",
        &format!("{toml}\n[output.site]\ntheme = \"nosuch\"\n"),
    );
    govbook()
        .args(["check", "--today", TODAY])
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[GB702]"));
}

#[test]
fn an_unwritable_output_directory_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    // A path under a regular file cannot be created, even by root.
    let blocker = tmp.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    govbook()
        .args(["build", "--today", TODAY, "-o"])
        .arg(blocker.join("site"))
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("error[GB703]").and(predicate::str::contains("not-a-dir")),
        );
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "x");
}

#[test]
fn sitemap_and_404_use_an_absolute_site_url() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("md");
    copy_tree_skipping(&fixture("mdbook"), &dir, &["out"]);
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    write(
        &dir,
        "book.toml",
        &format!("{toml}\n[output.site]\nsite-url = \"https://docs.example.com/handbook/\"\n"),
    );
    govbook()
        .args(["build", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success();
    let out = dir.join("out");
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
    let (_tmp, dir) = handbook();
    govbook()
        .args(["build", "--quiet", "--today", TODAY])
        .arg(&dir)
        .assert()
        .success();
    let out = dir.join("book");
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
