//! No lost work: a failure injected at every write step of `apply`,
//! `release` and `build` leaves the previous state intact (or, for `apply`,
//! which writes file by file, each file whole: old or new), leaves no
//! temporary file behind, and a rerun converges to what an undisturbed run
//! writes. The seam is `govbook::output::failpoint` (see its docs); the
//! commands run in this process through `govbook::cli::run_args`.
//!
//! The property test of `apply`, `release` and `drift` is in
//! `apply_drift_model`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use govbook::output::failpoint;

use crate::book_test::{BookTest, TODAY};
use crate::fs::{copy_tree, edit_file as edit};

/// The artifacts the apply test writes: Markdown, TOML and JSON.
const ONLY: [&str; 6] = [
    "agents-md",
    "usage-policy",
    "verification-commands",
    "verification-commands-json",
    "codex-config",
    "pull-request-template",
];

/// Runs `govbook ARGS…` in this process, quietly.
fn gb<S: Into<OsString>>(args: impl IntoIterator<Item = S>) -> ExitCode {
    let mut all: Vec<OsString> = vec!["govbook".into(), "--quiet".into()];
    all.extend(["--today", TODAY].map(OsString::from));
    all.extend(args.into_iter().map(Into::into));
    govbook::cli::run_args(all)
}

fn ok(code: ExitCode) {
    assert_eq!(code, ExitCode::SUCCESS);
}

/// Every file under `dir` (links not followed), by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.unwrap();
        if !entry.file_type().is_dir() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            files.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// Names under `dir` (recursively) that a write step leaves while it works.
fn leftovers(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            (n.starts_with(".govbook-") && n != govbook::output::MARKER)
                || n.contains(".govbook-new-")
                || n.contains(".govbook-old-")
        })
        .collect()
}

/// The minimal fixture book, and its root.
fn scratch() -> (BookTest, PathBuf) {
    let test = BookTest::from_fixture("minimal");
    let book = test.dir.clone();
    (test, book)
}

/// A handbook change that alters several artifacts, with its version bump.
fn change_handbook(book: &Path, version: &str) {
    edit(
        &book.join("content/governance/policy.toml"),
        "title = \"Approved local models\"",
        "title = \"Approved local models only\"",
    );
    edit(
        &book.join("content/governance/commands.toml"),
        "purpose = \"Catch regressions.\"",
        "purpose = \"Catch regressions early.\"",
    );
    edit(
        &book.join("book.toml"),
        "version = \"1.0.0\"",
        &format!("version = \"{version}\""),
    );
}

/// Runs `op` with the `n`th write step failing, for n = 1, 2, … until it
/// runs through; `after_failure(n)` checks the state after each failure.
/// Returns the number of write steps of an undisturbed run.
fn at_every_step(
    mut op: impl FnMut() -> ExitCode,
    mut after_failure: impl FnMut(usize, ExitCode),
) -> usize {
    for n in 1.. {
        failpoint::arm(n);
        let code = op();
        let fired = failpoint::disarm();
        if !fired {
            assert_eq!(code, ExitCode::SUCCESS, "the undisturbed run failed");
            return n - 1;
        }
        after_failure(n, code);
    }
    unreachable!()
}

#[test]
fn apply_keeps_every_file_whole_at_every_failed_write() {
    let _writes = crate::in_process::writes();
    let (test, book) = scratch();
    ok(gb([OsString::from("release"), book.clone().into()]));
    let repo = test.scratch().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let apply_args = |repo: &Path| -> Vec<OsString> {
        let mut a: Vec<OsString> = vec!["apply".into(), "--book".into(), book.clone().into()];
        a.extend(["--repo".into(), repo.into()]);
        for id in ONLY {
            a.extend(["--only".into(), id.into()]);
        }
        a
    };
    ok(gb(apply_args(&repo)));
    // The repository's own work: notes below and above regions, odd bytes,
    // CRLF line endings, a deleted file that apply will create again.
    let agents = repo.join("AGENTS.md");
    let mut text = std::fs::read_to_string(&agents).unwrap();
    text.push_str("\n## Our build\n\n`make ci` before pushing. Ünïcödé\u{00a0}stays.\n");
    std::fs::write(&agents, text).unwrap();
    let usage = repo.join("docs/codex/usage-policy.md");
    let text = std::fs::read_to_string(&usage).unwrap();
    std::fs::write(
        &usage,
        format!("# Usage (ours)\r\n\r\n{}", text.replace('\n', "\r\n")),
    )
    .unwrap();
    let config = repo.join(".codex/home/config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n# local: keep this comment\n");
    std::fs::write(&config, text).unwrap();
    std::fs::remove_file(repo.join(".github/pull_request_template.md")).unwrap();

    change_handbook(&book, "1.1.0");
    ok(gb([OsString::from("release"), book.clone().into()]));

    let before = tree(&repo);
    // What an undisturbed run writes.
    let clean = test.scratch().join("clean");
    copy_tree(&repo, &clean);
    ok(gb(apply_args(&clean)));
    let after = tree(&clean);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, t)| before.get(*p) != Some(*t))
        .map(|(p, _)| p)
        .collect();
    // usage-policy, verification-commands and codex-config have the same text in 1.1.0: only their
    // stamps' version would change, so they are left as they are; the lock
    // file records the new version.
    assert_eq!(
        changed.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        [
            ".github/pull_request_template.md",
            ".govbook.toml",
            "AGENTS.md",
            "docs/codex/verification-commands.json",
        ],
        "every changed file is written"
    );
    assert!(
        String::from_utf8_lossy(&after["AGENTS.md"]).ends_with("Ünïcödé\u{00a0}stays.\n"),
        "the undisturbed run keeps the local notes"
    );

    // Each try applies the checked handbook in process (the command's own
    // code after its check), so the loop stays fast.
    let checked = govbook::pipeline::check(
        &book,
        &govbook::check::CheckOptions {
            today: govbook::values::Date::parse(TODAY).unwrap(),
            strict: false,
        },
    );
    let (version, baseline) = (
        checked.model.config.version(),
        checked.model.config.baseline(),
    );
    let only: Vec<String> = ONLY.map(String::from).to_vec();
    let lock = std::fs::read_to_string(clean.join(".govbook.toml")).unwrap();
    let apply_lib = |r: &Path| {
        let opts = govbook::apply::Options {
            only: &only,
            lock: Some(&lock),
            ..Default::default()
        };
        let reports =
            govbook::apply::apply(&checked.artifacts[0], &version, &baseline, r, opts).unwrap();
        let failed: Vec<_> = reports.iter().filter(|r| r.action.is_failure()).collect();
        match failed.as_slice() {
            [] => ExitCode::SUCCESS,
            [one] => {
                assert!(
                    matches!(one.action, govbook::apply::Action::Failed(_)),
                    "{one:?}"
                );
                ExitCode::FAILURE
            }
            more => panic!("one injected failure, several failed files: {more:?}"),
        }
    };
    let round = std::cell::Cell::new(0);
    let steps = at_every_step(
        || {
            round.set(round.get() + 1);
            let r = test.scratch().join(format!("try-{}", round.get()));
            copy_tree(&repo, &r);
            apply_lib(&r)
        },
        |n, code| {
            let r = test.scratch().join(format!("try-{}", round.get()));
            assert_ne!(
                code,
                ExitCode::SUCCESS,
                "step {n}: a failed write is reported"
            );
            let now = tree(&r);
            assert!(leftovers(&r).is_empty(), "step {n}: {:?}", leftovers(&r));
            for (path, bytes) in &now {
                let whole = before.get(path) == Some(bytes) || after.get(path) == Some(bytes);
                assert!(
                    whole,
                    "step {n}: {path} is neither the old nor the new text"
                );
            }
            for path in before.keys() {
                assert!(now.contains_key(path), "step {n}: {path} was lost");
            }
            // A rerun finishes the job.
            ok(apply_lib(&r));
            assert_eq!(tree(&r), after, "step {n}: the rerun converges");
        },
    );
    // 4 files (3 artifacts and the lock file), 5 steps each.
    assert_eq!(steps, 20);
}

#[test]
fn release_leaves_the_ledger_as_it_was_at_every_failed_write() {
    let _writes = crate::in_process::writes();
    let (_test, book) = scratch();
    let ledger = book.join("content/governance/releases.toml");
    let release = || gb([OsString::from("release"), book.clone().into()]);
    // The first release creates the ledger; then a second appends to it.
    for version in [None, Some("1.1.0")] {
        if let Some(v) = version {
            change_handbook(&book, v);
        }
        let before = tree(&book);
        let steps = at_every_step(release, |n, code| {
            // A failed write is a failure to finish (1), not a usage error (2).
            assert_eq!(code, ExitCode::FAILURE, "step {n}");
            assert_eq!(tree(&book), before, "step {n}: the book changed");
        });
        assert_eq!(steps, 5);
        let text = std::fs::read_to_string(&ledger).unwrap();
        assert!(text.contains(&format!("version = \"{}\"", version.unwrap_or("1.0.0"))));
        if version.is_some() {
            let old =
                String::from_utf8(before["content/governance/releases.toml"].clone()).unwrap();
            assert!(text.starts_with(&old), "the ledger is only appended to");
        }
        assert!(leftovers(&book).is_empty());
    }
}

#[test]
fn a_failed_output_write_leaves_the_previous_site_at_every_step() {
    let _writes = crate::in_process::writes();
    let (test, book) = scratch();
    let out = test.scratch().join("site");
    // A realistic site: the files of a real build.
    let built = test.scratch().join("built");
    ok(gb([
        OsString::from("build"),
        "-o".into(),
        built.clone().into(),
        book.clone().into(),
    ]));
    let mut files = tree(&built);
    files.remove(govbook::output::MARKER);
    let root = &book;
    let src = Path::new("content");
    // No previous output: a failure leaves none, and nothing beside it.
    let steps = at_every_step(
        || match govbook::output::write(&out, &files, root, src) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        |n, _| {
            assert!(!out.exists(), "step {n}: a partial site appeared");
            assert!(
                leftovers(test.scratch()).is_empty(),
                "step {n}: {:?}",
                leftovers(test.scratch())
            );
        },
    );
    assert_eq!(steps, files.len() + 4);
    let first = tree(&out);
    // A previous output: a failure leaves it byte for byte.
    let mut next = files.clone();
    next.retain(|p, _| !p.ends_with("guide.html"));
    next.insert("new.html".into(), b"<p>new</p>".to_vec());
    let steps = at_every_step(
        || match govbook::output::write(&out, &next, root, src) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        |n, _| {
            assert_eq!(tree(&out), first, "step {n}: the previous site changed");
            assert!(
                leftovers(test.scratch()).is_empty(),
                "step {n}: {:?}",
                leftovers(test.scratch())
            );
        },
    );
    // Parent, staging, the files, the marker, and one atomic exchange.
    assert_eq!(steps, next.len() + 4);
    let second = tree(&out);
    assert!(second.contains_key("new.html") && !first.contains_key("new.html"));

    // Where there is no atomic exchange, the swap is two renames; each of
    // its steps fails in turn too, and the site before it survives each.
    govbook::output::failpoint::force_two_renames(true);
    let steps = at_every_step(
        || match govbook::output::write(&out, &files, root, src) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        |n, _| {
            assert_eq!(tree(&out), second, "step {n}: the previous site changed");
            assert!(
                leftovers(test.scratch()).is_empty(),
                "step {n}: {:?}",
                leftovers(test.scratch())
            );
        },
    );
    govbook::output::failpoint::force_two_renames(false);
    // Reserve a name, move the old site aside, move the new one in.
    assert_eq!(steps, files.len() + 6);
    assert_eq!(tree(&out), first);
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let _writes = crate::in_process::writes();
    let (test, book) = scratch();
    let out = test.scratch().join("site");
    let build = || {
        gb([
            OsString::from("build"),
            "-o".into(),
            out.clone().into(),
            book.clone().into(),
        ])
    };
    ok(build());
    let first = tree(&out);
    let guide = book.join("content/guide.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, text + "\nA new line of the guide.\n").unwrap();
    // Count the steps of a whole build, then fail one in the middle (a
    // page being written) and the last (moving the new site in): every
    // step is failed one by one in the test above, on the same code.
    failpoint::arm(usize::MAX);
    ok(build());
    let total = failpoint::steps();
    failpoint::disarm();
    assert!(total > 40, "{total}");
    let picks = [total / 2, total];
    for n in picks {
        std::fs::remove_dir_all(&out).unwrap();
        write_tree(&first, &out);
        failpoint::arm(n);
        let code = build();
        assert!(failpoint::disarm(), "step {n} was reached");
        assert_eq!(code, ExitCode::FAILURE, "step {n}");
        assert_eq!(tree(&out), first, "step {n}: the previous site changed");
        assert!(
            leftovers(test.scratch()).is_empty(),
            "step {n}: {:?}",
            leftovers(test.scratch())
        );
    }
    ok(build());
    assert_ne!(tree(&out), first, "an undisturbed build replaces the site");
}

fn write_tree(files: &BTreeMap<String, Vec<u8>>, to: &Path) {
    for (rel, bytes) in files {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}
