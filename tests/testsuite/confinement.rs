//! Confinement: every path govbook reads or replaces from a book's sources
//! (includes, pages, metric CSVs, SUMMARY entries, theme overrides, the
//! content and output directories) stays inside the book root, and `drift`
//! never follows a link out of the tree it scans. Each is tried with `..`,
//! an absolute path, a link to a file and a link to a directory outside,
//! and a sibling whose name shares the root's prefix (`book` and
//! `book-evil`), which only a string-prefix comparison would let through.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::book_test::{BookTest, check_at};
use crate::fs::copy_tree;

const SECRET: &str = "SECRET-OUTSIDE-THE-BOOK";

struct Scratch {
    _test: BookTest,
    /// `…/book`, a copy of the minimal fixture.
    book: PathBuf,
    /// `…/book-evil`, beside it, holding files that must never be read.
    evil: PathBuf,
}

fn scratch() -> Scratch {
    let test = BookTest::from_fixture("minimal");
    let book = test.dir.clone();
    let evil = test.scratch().join("book-evil");
    std::fs::create_dir_all(evil.join("dir/theme")).unwrap();
    std::fs::write(evil.join("secret.md"), format!("# {SECRET}\n")).unwrap();
    std::fs::write(evil.join("dir/page.md"), format!("# {SECRET}\n")).unwrap();
    std::fs::write(
        evil.join("payments.csv"),
        format!("date,team,metric,value\n2026-10-19,payments,assisted-prs,1 {SECRET}\n"),
    )
    .unwrap();
    std::fs::write(evil.join("dir/theme/page.html"), SECRET).unwrap();
    Scratch {
        _test: test,
        book,
        evil,
    }
}

/// Runs `check --format json` and returns (exit code, diagnostics, output).
fn check(book: &Path) -> (i32, Vec<serde_json::Value>, String) {
    let diags = check_at(book);
    assert!(
        !diags.stdout.contains(SECRET),
        "outside text leaked: {diags}"
    );
    (diags.code.unwrap_or(-1), diags.items, diags.stdout)
}

/// `check` fails with GB009 at `file` (and `line`, when given).
fn refused(book: &Path, file: &str, line: Option<u64>) {
    let (code, diags, stdout) = check(book);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        diags.iter().any(|d| d["code"] == "GB009"
            && d["file"] == file
            && line.is_none_or(|l| d["line"] == l)),
        "no GB009 at {file}:{line:?} in\n{stdout}"
    );
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    std::fs::write(path, f(text)).unwrap();
}

fn add_to_guide(s: &Scratch, line: &str) {
    edit(&s.book.join("content/guide.md"), |t| {
        format!("{t}\n{line}\n")
    });
}

#[test]
fn includes_stay_inside_the_root() {
    // `..`: out of the book.
    let s = scratch();
    add_to_guide(&s, "{{#include ../../book-evil/secret.md}}");
    refused(&s.book, "content/guide.md", Some(10));
    // An absolute path.
    let s = scratch();
    let abs = s.evil.join("secret.md");
    add_to_guide(&s, &format!("{{{{#include {}}}}}", abs.display()));
    refused(&s.book, "content/guide.md", Some(10));
    // A link inside the book to a file outside it (a sibling with the same
    // name prefix: `book-evil` starts with the string `book`).
    let s = scratch();
    symlink(s.evil.join("secret.md"), s.book.join("snippet.md")).unwrap();
    add_to_guide(&s, "{{#include ../snippet.md}}");
    refused(&s.book, "content/guide.md", Some(10));
    // A linked directory leading out, included through.
    let s = scratch();
    symlink(s.evil.join("dir"), s.book.join("shared")).unwrap();
    add_to_guide(&s, "{{#include ../shared/page.md}}");
    refused(&s.book, "content/guide.md", Some(10));
    // And a link that stays inside is fine.
    let s = scratch();
    std::fs::write(s.book.join("inside.md"), "Inside text.\n").unwrap();
    symlink(s.book.join("inside.md"), s.book.join("alias.md")).unwrap();
    add_to_guide(&s, "{{#include ../alias.md}}");
    let (code, _, stdout) = check(&s.book);
    assert_eq!(code, 0, "{stdout}");
}

/// The raw HTML mode changes how a page renders, never what is read: an
/// include out of the book (with raw HTML in the outside file) is refused
/// in each mode, and a page's raw HTML that names an outside file reads
/// nothing.
#[test]
fn includes_stay_inside_the_root_in_every_raw_html_mode() {
    for mode in ["sanitize", "escape", "allow"] {
        let s = scratch();
        edit(&s.book.join("book.toml"), |t| {
            format!("{t}\n[output.site]\nraw-html = \"{mode}\"\n")
        });
        std::fs::write(
            s.evil.join("html.md"),
            format!("<details><summary>{SECRET}</summary><a id=\"{SECRET}\"></a></details>\n"),
        )
        .unwrap();
        add_to_guide(&s, "{{#include ../../book-evil/html.md}}");
        refused(&s.book, "content/guide.md", Some(10));
        let s = scratch();
        edit(&s.book.join("book.toml"), |t| {
            format!("{t}\n[output.site]\nraw-html = \"{mode}\"\n")
        });
        add_to_guide(
            &s,
            "<img src=\"../../book-evil/secret.md\" alt=\"x\"> <a href=\"../../book-evil/secret.md\">x</a>",
        );
        let (code, _, stdout) = check(&s.book);
        assert_eq!(code, 0, "{mode}: {stdout}");
    }
}

#[test]
fn pages_csvs_and_content_links_stay_inside_the_root() {
    // A page that is a link to a file outside.
    let s = scratch();
    symlink(s.evil.join("secret.md"), s.book.join("content/leak.md")).unwrap();
    refused(&s.book, "content/leak.md", None);
    // A directory of the content that is a link outside.
    let s = scratch();
    symlink(s.evil.join("dir"), s.book.join("content/ext")).unwrap();
    refused(&s.book, "content/ext", None);
    // A metrics CSV that is a link outside.
    let s = scratch();
    symlink(
        s.evil.join("payments.csv"),
        s.book.join("content/metrics/evil.csv"),
    )
    .unwrap();
    refused(&s.book, "content/metrics/evil.csv", None);
    // `[book] src` with `..`, absolute, or a link.
    for src in [
        "../book-evil".to_owned(),
        s.evil.display().to_string(),
        "linked".to_owned(),
    ] {
        let s = scratch();
        symlink(&s.evil, s.book.join("linked")).unwrap();
        edit(&s.book.join("book.toml"), |t| {
            t.replace("src = \"content\"", &format!("src = \"{src}\""))
        });
        refused(&s.book, "book.toml", None);
    }
}

#[test]
fn summary_entries_stay_inside_the_content() {
    for entry in ["../../book-evil/secret.md", "/etc/passwd", "../book.toml"] {
        let s = scratch();
        edit(&s.book.join("content/SUMMARY.md"), |t| {
            format!("{t}- [Out]({entry})\n")
        });
        refused(&s.book, "content/SUMMARY.md", Some(6));
    }
}

#[test]
fn theme_overrides_stay_inside_the_root() {
    let theme = |s: &Scratch, name: &str| {
        edit(&s.book.join("book.toml"), |t| {
            format!("{t}\n[output.site]\ntheme = \"{name}\"\n")
        });
    };
    // The theme directory is a link outside.
    let s = scratch();
    std::fs::create_dir_all(s.book.join("themes")).unwrap();
    symlink(s.evil.join("dir/theme"), s.book.join("themes/evil")).unwrap();
    theme(&s, "evil");
    refused(&s.book, "themes/evil", None);
    // One file of the theme is a link outside.
    let s = scratch();
    std::fs::create_dir_all(s.book.join("themes/mine")).unwrap();
    symlink(
        s.evil.join("dir/theme/page.html"),
        s.book.join("themes/mine/page.html"),
    )
    .unwrap();
    theme(&s, "mine");
    refused(&s.book, "themes/mine/page.html", None);
    // A theme name that is a path is not a theme name.
    for name in ["../book-evil/dir/theme", "/tmp"] {
        let s = scratch();
        theme(&s, name);
        let (code, diags, stdout) = check(&s.book);
        assert_eq!(code, 1, "{stdout}");
        assert!(diags.iter().any(|d| d["code"] == "GB702"), "{stdout}");
    }
}

#[test]
fn the_output_directory_stays_inside_the_root() {
    let build = |book: &Path| {
        Command::cargo_bin("govbook")
            .unwrap()
            .args(["build", "--today", "2026-11-24"])
            .arg(book)
            .output()
            .unwrap()
    };
    // `..`, an absolute path: errors at the value in book.toml, nothing written.
    for dir in ["../book-evil/site".to_owned(), "ABS".to_owned()] {
        let s = scratch();
        let dir = if dir == "ABS" {
            s.evil.join("site").display().to_string()
        } else {
            dir
        };
        edit(&s.book.join("book.toml"), |t| {
            format!("{t}\n[build]\nbuild-dir = \"{dir}\"\n")
        });
        refused(&s.book, "book.toml", Some(11));
        let (_, diags, _) = check(&s.book);
        let d = diags.iter().find(|d| d["code"] == "GB009").unwrap();
        assert_eq!(d["column"], 13, "{d}");
        assert!(!build(&s.book).status.success());
        assert!(!s.evil.join("site").exists(), "{dir}: written outside");
    }
    // A link inside the book that leads out.
    let s = scratch();
    symlink(&s.evil, s.book.join("out")).unwrap();
    edit(&s.book.join("book.toml"), |t| {
        format!("{t}\n[build]\nbuild-dir = \"out/site\"\n")
    });
    refused(&s.book, "book.toml", Some(11));
    assert!(!build(&s.book).status.success());
    assert!(!s.evil.join("site").exists(), "written through the link");
    // `-o` on the command line is the explicit way out, and works.
    let s = scratch();
    let out = s.evil.join("explicit");
    let run = Command::cargo_bin("govbook")
        .unwrap()
        .args(["build", "--today", "2026-11-24", "-o"])
        .arg(&out)
        .arg(&s.book)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn symlink_loops_end_in_a_report_not_a_hang() {
    let s = scratch();
    // A directory that links to its own parent, and two links to each other.
    symlink(s.book.join("content"), s.book.join("content/loop")).unwrap();
    symlink(s.book.join("content/b"), s.book.join("content/a")).unwrap();
    symlink(s.book.join("content/a"), s.book.join("content/b")).unwrap();
    let (code, diags, stdout) = check(&s.book);
    assert_eq!(code, 1, "{stdout}");
    for d in &diags {
        assert!(!d["file"].is_null(), "{d}");
    }
    for name in ["content/a", "content/b"] {
        assert!(
            diags.iter().any(|d| d["file"] == name),
            "{name} not reported:\n{stdout}"
        );
    }
}

#[test]
fn drift_does_not_follow_links_out_of_the_scanned_tree() {
    let s = scratch();
    let site = s.book.join("book");
    let built = Command::cargo_bin("govbook")
        .unwrap()
        .args(["build", "--today", "2026-11-24"])
        .arg(&s.book)
        .output()
        .unwrap();
    assert!(built.status.success());
    // Current artifacts live outside the repository; the repository only
    // links to them (a file and a directory), and links to itself.
    let outside = s.evil.join("artifacts");
    copy_tree(&site.join("templates"), &outside);
    let repo = s.book.parent().unwrap().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    symlink(outside.join("AGENTS.md"), repo.join("AGENTS.md")).unwrap();
    symlink(outside.join("docs"), repo.join("docs")).unwrap();
    symlink(&repo, repo.join("loop")).unwrap();
    let out = Command::cargo_bin("govbook")
        .unwrap()
        .args(["drift", "--format", "json", "--manifest"])
        .arg(&site)
        .arg(&repo)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert!(files.is_empty(), "linked files were read: {files:?}");
    let missing: Vec<&str> = report["missing"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["artifact"].as_str())
        .collect();
    assert!(missing.contains(&"agents-md"), "{report}");
    assert!(missing.contains(&"usage-policy"), "{report}");
}
