//! Resource limits: include cycles and very deep include chains are
//! errors, not stack overflows; oversized files are refused with a clear
//! message before they are read; pathological Markdown renders. Each case
//! must finish: a hang fails after a generous timeout instead of blocking.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::book_test::{BookTest, check_at};

const LIMIT: Duration = Duration::from_secs(60);

fn scratch() -> (BookTest, PathBuf) {
    let test = BookTest::from_fixture("minimal");
    let book = test.dir.clone();
    (test, book)
}

/// `check --format json`: (exit code, diagnostics, output). A stack
/// overflow aborts without printing "panicked": it is looked for too.
fn check(book: &Path) -> (i32, Vec<serde_json::Value>, String) {
    let diags = check_at(book);
    assert!(!diags.stderr.contains("overflow"), "{}", diags.stderr);
    (diags.code.unwrap_or(-1), diags.items, diags.stdout)
}

fn has(diags: &[serde_json::Value], code: &str, file: &str) -> bool {
    diags.iter().any(|d| d["code"] == code && d["file"] == file)
}

#[test]
fn include_cycles_are_errors() {
    let (_t, book) = scratch();
    let c = book.join("content");
    std::fs::write(c.join("a.md"), "A\n{{#include b.md}}\n").unwrap();
    std::fs::write(c.join("b.md"), "B\n{{#include a.md}}\n").unwrap();
    std::fs::write(
        c.join("guide.md"),
        "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n{{#include a.md}}\n",
    )
    .unwrap();
    let (code, diags, stdout) = check(&book);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        diags.iter().any(|d| d["code"] == "GB509"),
        "no cycle reported:\n{stdout}"
    );
    // A file including itself.
    let (_t, book) = scratch();
    std::fs::write(
        book.join("content/guide.md"),
        "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n{{#include guide.md}}\n",
    )
    .unwrap();
    let (code, diags, stdout) = check(&book);
    assert_eq!(code, 1, "{stdout}");
    assert!(has(&diags, "GB509", "content/guide.md"), "{stdout}");
}

#[test]
fn a_200_deep_include_chain_is_an_error_not_a_stack_overflow() {
    let (_t, book) = scratch();
    let dir = book.join("content/chain");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..200 {
        std::fs::write(
            dir.join(format!("{i}.md")),
            format!("Level {i}.\n\n{{{{#include {}.md}}}}\n", i + 1),
        )
        .unwrap();
    }
    std::fs::write(dir.join("200.md"), "The bottom.\n").unwrap();
    std::fs::write(
        book.join("content/guide.md"),
        "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n{{#include chain/0.md}}\n",
    )
    .unwrap();
    let (code, diags, stdout) = check(&book);
    assert_eq!(code, 1, "{stdout}");
    let deep: Vec<_> = diags.iter().filter(|d| d["code"] == "GB509").collect();
    assert!(!deep.is_empty(), "{stdout}");
    assert!(
        deep.iter()
            .all(|d| d["line"].is_u64() && d["column"].is_u64()),
        "{stdout}"
    );
}

/// A file of `len` bytes without writing them (sparse): the size is what
/// is refused, before anything is read.
fn sized(path: &Path, head: &str, len: u64) {
    let mut f = std::fs::File::create(path).unwrap();
    std::io::Write::write_all(&mut f, head.as_bytes()).unwrap();
    f.set_len(len).unwrap();
}

#[test]
fn oversized_pages_and_csvs_are_refused_with_a_clear_message() {
    let (_t, book) = scratch();
    sized(
        &book.join("content/guide.md"),
        "# Guide\n",
        50 * 1024 * 1024,
    );
    sized(
        &book.join("content/metrics/huge.csv"),
        "date,team,metric,value\n",
        200 * 1024 * 1024,
    );
    let (code, diags, stdout) = check(&book);
    assert_eq!(code, 1, "{stdout}");
    for (file, size, limit) in [
        ("content/guide.md", "50 MiB", "16 MiB"),
        ("content/metrics/huge.csv", "200 MiB", "128 MiB"),
    ] {
        let d = diags
            .iter()
            .find(|d| d["code"] == "GB011" && d["file"] == file)
            .unwrap_or_else(|| panic!("{file} not refused:\n{stdout}"));
        let msg = d["message"].as_str().unwrap();
        assert!(msg.contains(size) && msg.contains(limit), "{msg}");
    }
    // One mistake, one report: the refused page is not also "missing".
    assert!(
        diags
            .iter()
            .filter(|d| d["severity"] == "error")
            .all(|d| d["code"] == "GB011"),
        "{stdout}"
    );
}

/// Runs `f` on another thread; fails if it does not finish in time.
fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(what.to_owned())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    rx.recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("{what}: did not finish in {LIMIT:?} (or panicked)"))
}

#[test]
fn pathological_markdown_renders() {
    use govbook::markdown::{RawHtml, active, outline, render};
    let cases: Vec<(&str, String)> = vec![
        (
            "10k nested block quotes",
            format!("{}deep\n", ">".repeat(10_000)),
        ),
        ("10k nested lists", format!("{}deep\n", "- ".repeat(10_000))),
        (
            "10k nested lists by indent",
            (0..10_000)
                .map(|i| format!("{}- {i}\n", " ".repeat(2 * (i % 400))))
                .collect(),
        ),
        ("a 10 MB line", "word ".repeat(2 * 1024 * 1024)),
        (
            "10k open brackets",
            "[".repeat(10_000) + "x" + &"](y)".repeat(100),
        ),
        ("50k emphasis markers", "*_".repeat(25_000) + "x"),
        ("10k backticks", "`".repeat(10_000) + "x"),
        ("10k nested raw tags", "<div>".repeat(10_000)),
        (
            "10k headings",
            (0..10_000).map(|_| "# Same\n\n").collect::<String>(),
        ),
        (
            "10k footnotes",
            (0..10_000).map(|i| format!("[^{i}] ")).collect(),
        ),
    ];
    for (what, md) in cases {
        let len = md.len();
        let html = finishes(what, move || {
            let o = outline(&md, 0);
            let escaped = render(&md, RawHtml::Escape).html;
            let allowed = render(&md, RawHtml::Allow).html;
            let scanned = active::scan(&allowed).len();
            (o.headings.len(), escaped.len(), scanned)
        });
        assert!(html.1 > 0, "{what}: nothing rendered from {len} bytes");
    }
}

/// Includes that include others many times multiply: seven levels of files
/// each including the next ten times would be 10^7 copies (10.7 GB were
/// reached before). Expansion stops at the page's budget, in seconds.
#[test]
fn include_fan_out_stops_at_the_page_budget() {
    let (_t, book) = scratch();
    let dir = book.join("content/fan");
    std::fs::create_dir_all(&dir).unwrap();
    let filler = "All work and no play makes a long page. ".repeat(30);
    for level in 0..7 {
        let next = format!("{{{{#include {}.md}}}}\n\n", level + 1).repeat(10);
        std::fs::write(
            dir.join(format!("{level}.md")),
            format!("{filler}\n\n{next}"),
        )
        .unwrap();
    }
    std::fs::write(dir.join("7.md"), &filler).unwrap();
    std::fs::write(
        book.join("content/guide.md"),
        "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n{{#include fan/0.md}}\n",
    )
    .unwrap();
    let book2 = book.clone();
    let (code, diags, stdout) = finishes("fan-out check", move || check(&book2));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        diags.iter().any(|d| d["code"] == "GB011"
            && d["file"] == "content/guide.md"
            && d["message"].as_str().unwrap_or("").contains("expands past")),
        "{stdout}"
    );
}

/// A FIFO where a page, an include target or a static file should be (or an
/// AGENTS.md in a repository) would hang a plain open: each is refused at
/// once.
#[test]
fn fifos_are_refused_not_waited_on() {
    let (_t, book) = scratch();
    let mkfifo = |p: &Path| {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap();
        assert!(ok.success());
    };
    mkfifo(&book.join("content/pipe.md"));
    // Listed, so it is a page (an unlisted file is never opened).
    let summary = book.join("content/SUMMARY.md");
    let listed = std::fs::read_to_string(&summary).unwrap() + "- [Pipe](pipe.md)\n";
    std::fs::write(&summary, listed).unwrap();
    mkfifo(&book.join("content/pipe.png"));
    mkfifo(&book.join("content/included.md"));
    std::fs::write(
        book.join("content/guide.md"),
        "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n{{#include included.md}}\n",
    )
    .unwrap();
    let book2 = book.clone();
    let (code, diags, stdout) = finishes("check with FIFOs", move || check(&book2));
    assert_eq!(code, 1, "{stdout}");
    for f in ["content/pipe.md", "content/pipe.png"] {
        assert!(
            diags
                .iter()
                .any(|d| d["file"] == f && d["message"].as_str().unwrap_or("").contains("FIFO")),
            "{f}: {stdout}"
        );
    }

    // apply: a FIFO named AGENTS.md is refused, the rest is written.
    let repo = book.parent().unwrap().join("service");
    std::fs::create_dir_all(&repo).unwrap();
    mkfifo(&repo.join("AGENTS.md"));
    let out = finishes("apply onto a FIFO", move || apply_to(&repo));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("refused   AGENTS.md") && stderr.contains("FIFO"),
        "{stderr}"
    );
}

/// Thousands of problems in one file are reported as the first 200 and a
/// count (GB012), quickly: a line of 25,000 broken links, a CSV of 20,000
/// bad rows.
#[test]
fn many_problems_in_one_file_are_capped_with_a_count() {
    let (_t, book) = scratch();
    let links: String = (0..25_000)
        .map(|i| format!("[x](missing-{i}.md) "))
        .collect();
    std::fs::write(
        book.join("content/guide.md"),
        format!("+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n{links}\n"),
    )
    .unwrap();
    let csv = book.join("content/metrics/bad.csv");
    let rows: String = (0..20_000)
        .map(|i| format!("2026-01-01,platform,nosuch-{i},x\n"))
        .collect();
    std::fs::write(&csv, format!("date,team,metric,value\n{rows}")).unwrap();
    let book2 = book.clone();
    let (code, diags, stdout) = finishes("many problems", move || check(&book2));
    assert_eq!(code, 1);
    for file in ["content/guide.md", "content/metrics/bad.csv"] {
        let of_file: Vec<_> = diags.iter().filter(|d| d["file"] == file).collect();
        assert_eq!(of_file.len(), 201, "{file}: {}", of_file.len());
        let summary: Vec<_> = of_file.iter().filter(|d| d["code"] == "GB012").collect();
        assert_eq!(summary.len(), 1, "{stdout}");
        assert_eq!(summary[0]["severity"], "error");
        assert!(
            summary[0]["message"]
                .as_str()
                .unwrap()
                .contains("more problem(s)")
        );
    }
}

/// A huge file where apply writes (a 2 GiB AGENTS.md took 4.2 GB of memory)
/// is refused by its size, not read whole.
#[test]
fn apply_refuses_a_huge_repository_file_unread() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("service");
    std::fs::create_dir_all(&repo).unwrap();
    // Sparse: 2 GiB on paper, nothing on disk.
    std::fs::File::create(repo.join("AGENTS.md"))
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let out = finishes("apply onto a huge file", move || apply_to(&repo));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("refused   AGENTS.md") && stderr.contains("2048 MiB"),
        "{stderr}"
    );
}

/// `govbook apply` of the bundled handbook to `repo`.
fn apply_to(repo: &Path) -> std::process::Output {
    crate::book_test::govbook()
        .args(["apply", "--today", crate::book_test::TODAY, "--book"])
        .arg(crate::book_test::repo_root())
        .arg("--repo")
        .arg(repo)
        .output()
        .unwrap()
}
