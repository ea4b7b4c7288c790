//! The command line as a user runs it: one test group per command, plus the
//! bundled handbook checked clean and mutated.

use predicates::prelude::*;

use crate::book_test::{BookTest, Diags, TODAY, check_at, govbook, repo_root};

#[test]
fn verify_app() {
    use clap::CommandFactory;
    govbook::cli::Cli::command().debug_assert();
}

#[test]
fn bundled_handbook_checks_clean() {
    let diags = check_at(&repo_root());
    assert!(
        diags.items.is_empty(),
        "expected no diagnostics, got {diags}"
    );
    assert_eq!(diags.code, Some(0));
}

#[test]
fn check_human_output_summarises() {
    govbook()
        .args(["check", "--today", TODAY])
        .arg(repo_root())
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors, 0 warnings"));
}

#[test]
fn init_then_check_passes_and_init_refuses_non_empty_dir() {
    let mut book = BookTest::init();
    assert!(book.path("book.toml").is_file());
    assert!(book.path("content/SUMMARY.md").is_file());
    assert!(book.path("content/governance/profiles.toml").is_file());
    let diags = book.check();
    assert_eq!(diags.code, Some(0), "{diags}");
    assert!(diags.items.is_empty(), "{diags}");

    // A second init refuses, and leaves the existing files alone.
    book.change_file("content/README.md", "local edit");
    book.run("init", |cmd| {
        cmd.no_today().expect_code(2).expect_stderr("not empty");
    });
    assert_eq!(book.read("content/README.md"), "local edit");

    // --force writes over same-named files and keeps others.
    book.change_file("mine.txt", "keep");
    book.run("init --force", |cmd| {
        cmd.no_today();
    });
    assert_ne!(book.read("content/README.md"), "local edit");
    assert_eq!(book.read("mine.txt"), "keep");
    // No staging directory is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(book.scratch())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".govbook-init"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn init_writes_exactly_the_bundled_handbook() {
    let book = BookTest::init();
    for (rel, bytes) in govbook::bundled::files() {
        let on_disk = std::fs::read(book.path(&rel)).unwrap();
        assert_eq!(on_disk, bytes, "{rel}");
        let in_repo = std::fs::read(repo_root().join(&rel)).unwrap();
        assert_eq!(in_repo, bytes, "{rel} is stale in the binary");
    }
}

#[test]
fn usage_errors_exit_2() {
    govbook()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    govbook()
        .args(["check", "--today", "2026-13-01"])
        .assert()
        .code(2);
    govbook().arg("frobnicate").assert().code(2);
    // A port or scheme in --allow-host would never match a Host header.
    for bad in [
        "handbook.example:3000",
        "http://handbook.example",
        "",
        "a..b",
    ] {
        govbook()
            .args(["serve", "--allow-host", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a host name"));
    }
}

/// `--today` is offered where a date is judged (before the command or
/// after it), and not by the commands that judge none.
#[test]
fn today_is_offered_only_where_dates_are_judged() {
    for args in [
        &["init", "--today", TODAY, "x"][..],
        &["completions", "bash", "--today", TODAY],
        &["schema", "--today", TODAY],
    ] {
        govbook()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("unexpected argument '--today'"));
        let help = govbook().args([args[0], "--help"]).output().unwrap();
        assert!(
            !String::from_utf8_lossy(&help.stdout).contains("--today"),
            "{args:?}"
        );
    }
    // drift dates its report (the Fleet page shows its age).
    for cmd in [
        "check", "build", "serve", "release", "apply", "drift", "doctor",
    ] {
        let help = govbook().args([cmd, "--help"]).output().unwrap();
        assert!(
            String::from_utf8_lossy(&help.stdout).contains("--today"),
            "{cmd}"
        );
    }
    let bundled = repo_root();
    for args in [["--today", TODAY, "check"], ["check", "--today", TODAY]] {
        govbook().args(args).arg(&bundled).assert().success();
    }
    // A date after the command is the one used.
    govbook()
        .args(["--today", "2020-01-01", "check", "--today", "2026-13-01"])
        .arg(&bundled)
        .assert()
        .code(2);
}

/// `build -v` says how long each stage took and what it made; without
/// `-v` it does not.
#[test]
fn verbose_build_prints_each_stage_with_its_counts() {
    let book = BookTest::init();
    let ran = book.run("build -v", |cmd| {
        for line in [
            "govbook build: load ",
            "govbook build: parse ",
            "9 governance files",
            "govbook build: check ",
            "0 errors, 0 warnings",
            "govbook build: artifacts ",
            "govbook build: render and write ",
        ] {
            cmd.expect_stderr(line);
        }
    });
    let stages = ran.stderr.lines().filter(|l| l.contains(" ms  ")).count();
    assert_eq!(stages, 5, "{}", ran.stderr);
    let quiet = book.run("build", |_| {});
    assert!(!quiet.stderr.contains(" ms  "), "{}", quiet.stderr);
}

#[test]
fn missing_book_is_exit_1_with_a_clear_message() {
    BookTest::empty().run("check", |cmd| {
        cmd.expect_code(1)
            .expect_stderr("error[GB005]")
            .expect_stderr("govbook init");
    });
}

#[test]
fn completions_are_printed() {
    govbook()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("govbook").and(predicate::str::contains("check")));
}

/// Applies `edit` to one file of a fresh `init`, checks, and returns the
/// diagnostics after asserting exit code 1.
fn mutate(rel: &str, edit: impl FnOnce(String) -> String) -> Diags {
    let mut book = BookTest::init();
    let text = book.read(rel);
    let changed = edit(text.clone());
    assert_ne!(changed, text, "the edit changed nothing in {rel}");
    book.change_file(rel, changed);
    let diags = book.check();
    assert_eq!(diags.code, Some(1), "{rel}: {diags}");
    diags
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u64 {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    text[..at].matches('\n').count() as u64 + 1
}

/// The README's example error is what `check` prints: the line it shows is
/// put into the bundled handbook at the line it names, and the whole block
/// must come out as written.
#[test]
fn the_readme_example_error_is_real_output() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme
        .find("```text\nerror[GB303]")
        .expect("the example in README.md")
        + 8;
    let block = &readme[start..start + readme[start..].find("```").unwrap()];
    let place = block
        .lines()
        .nth(1)
        .unwrap()
        .trim_start()
        .trim_start_matches("--> ");
    let mut parts = place.split(':');
    let (rel, line) = (parts.next().unwrap(), parts.next().unwrap());
    let line: usize = line.parse().unwrap();
    let shown = block.lines().nth(3).unwrap();
    let source = shown.split_once(" | ").unwrap().1;
    let mut book = BookTest::init();
    let text = book.read(rel);
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[line - 1].starts_with(source.split('=').next().unwrap()),
        "line {line} of {rel} is {:?}, not the key the README edits",
        lines[line - 1]
    );
    lines[line - 1] = source;
    book.change_file(rel, lines.join("\n") + "\n");
    // As the README runs it: inside the handbook.
    let out = govbook()
        .args(["check", "--color", "never", "--today", TODAY, "."])
        .current_dir(book.path(""))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(block),
        "README:\n{block}\nreal:\n{stderr}"
    );
}

#[test]
fn mutation_bogus_sandbox_mode() {
    let rel = "content/governance/profiles.toml";
    let mut edited = String::new();
    let diags = mutate(rel, |t| {
        edited = t.replacen(
            "sandbox_mode = \"workspace-write\"",
            "sandbox_mode = \"bogus\"",
            1,
        );
        edited.clone()
    });
    let line = line_of(&edited, "sandbox_mode = \"bogus\"");
    assert!(diags.has_at("GB303", rel, line), "{diags}");
}

#[test]
fn mutation_unknown_key() {
    let rel = "content/governance/commands.toml";
    let mut edited = String::new();
    let diags = mutate(rel, |t| {
        edited = t.replacen("\npurpose = ", "\npurpse = ", 1);
        edited.clone()
    });
    let line = line_of(&edited, "purpse = ");
    assert!(diags.has_at("GB101", rel, line), "{diags}");
}

#[test]
fn mutation_truncated_file() {
    let rel = "content/governance/policy.toml";
    let diags = mutate(rel, |t| {
        // Cut inside the first quoted string.
        let cut = t.find("= \"").unwrap() + 5;
        t[..cut].to_owned()
    });
    assert!(diags.has_in("GB008", rel), "{diags}");
}

#[test]
fn mutation_duplicated_id() {
    let rel = "content/governance/commands.toml";
    let mut edited = String::new();
    let diags = mutate(rel, |t| {
        // Give the second command the first command's id.
        let ids: Vec<&str> = t.lines().filter(|l| l.starts_with("id = ")).collect();
        edited = t.replacen(ids[1], ids[0], 1);
        edited.clone()
    });
    let first = edited
        .lines()
        .find(|l| l.starts_with("id = "))
        .unwrap()
        .to_owned();
    let second_at = edited.match_indices(&first).nth(1).unwrap().0;
    let line = edited[..second_at].matches('\n').count() as u64 + 1;
    assert!(diags.has_at("GB201", rel, line), "{diags}");
}

#[test]
fn mutation_page_citing_another_codex_version() {
    let rel = "content/README.md";
    let mut edited = String::new();
    let diags = mutate(rel, |t| {
        edited = format!("{t}\nWe tested this on Codex CLI 0.150.0 as well.\n");
        edited.clone()
    });
    let line = line_of(&edited, "Codex CLI 0.150.0");
    assert!(diags.has_at("GB402", rel, line), "{diags}");
}

#[test]
fn review_overdue_is_a_warning_and_strict_makes_it_an_error() {
    let book = BookTest::from_fixture("minimal");
    let later = |args: &str, code: i32, stderr: &str| {
        book.run(args, |cmd| {
            cmd.no_today()
                .arg("--today")
                .arg("2027-03-01")
                .expect_code(code)
                .expect_stderr(stderr);
        })
    };
    let diags = later("check --format json", 0, "").diags();
    assert!(
        diags
            .items
            .iter()
            .any(|d| d["code"] == "GB406" && d["severity"] == "warning"),
        "{diags}"
    );
    // On a date where only reviews lapse, check passes with warnings…
    later("check", 0, "warning[GB406]");
    // …and fails under --strict.
    later("check --strict", 1, "error[GB406]");
}

#[test]
fn source_date_epoch_sets_today() {
    // 2027-03-01T00:00:00Z
    BookTest::from_fixture("minimal").run("check", |cmd| {
        cmd.no_today()
            .env("SOURCE_DATE_EPOCH", "1803859200")
            .expect_stderr("warning[GB406]");
    });
}

#[test]
fn github_format_annotates() {
    let mut book = BookTest::init();
    book.edit(
        "content/governance/profiles.toml",
        "sandbox_mode = \"read-only\"",
        "sandbox_mode = \"readonly\"",
    );
    govbook()
        .current_dir(&book.dir)
        .args(["check", "--format", "github", "--today", TODAY, "."])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("::error file=content/governance/profiles.toml,line=")
                .and(predicate::str::contains("title=GB303::"))
                .and(
                    predicate::str::contains("did you mean \\\"read-only\\\"")
                        .or(predicate::str::contains("did you mean \"read-only\"")),
                ),
        );
}

#[test]
fn github_annotations_name_files_from_the_repository_root() {
    // The handbook in a subdirectory of a git repository, checked from
    // elsewhere: annotations must point at handbook/…, not at content/….
    let book = BookTest::from_fixture("minimal");
    let repo = book.scratch().join("platform");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    crate::fs::copy_tree(&book.dir, &repo.join("handbook"));
    crate::fs::edit_file(
        &repo.join("handbook/content/governance/profiles.toml"),
        "sandbox_mode = \"read-only\"",
        "sandbox_mode = \"readonly\"",
    );
    govbook()
        .current_dir(book.scratch())
        .args([
            "check",
            "--format",
            "github",
            "--today",
            TODAY,
            "platform/handbook",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::error file=handbook/content/governance/profiles.toml,line=",
        ));
}

/// Human and JSON output name files from the working directory, never
/// from the book: from above the handbook, inside it, and beside it.
#[test]
fn human_and_json_paths_are_relative_to_the_working_directory() {
    let book = BookTest::from_fixture("minimal");
    crate::fs::edit_file(
        &book.path("content/governance/profiles.toml"),
        "sandbox_mode = \"read-only\"",
        "sandbox_mode = \"readonly\"",
    );
    let beside = book.scratch().join("beside");
    std::fs::create_dir_all(&beside).unwrap();
    for (cwd, dir, shown) in [
        (
            book.scratch().to_path_buf(),
            "book",
            "book/content/governance/profiles.toml",
        ),
        (book.dir.clone(), ".", "content/governance/profiles.toml"),
        (
            beside,
            "../book",
            "../book/content/governance/profiles.toml",
        ),
    ] {
        let json = govbook()
            .current_dir(&cwd)
            .args(["check", "--format", "json", "--today", TODAY, dir])
            .output()
            .unwrap();
        let first: serde_json::Value = serde_json::from_str(
            String::from_utf8_lossy(&json.stdout)
                .lines()
                .next()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(first["file"], shown, "json from {}", cwd.display());
        govbook()
            .current_dir(&cwd)
            .args(["check", "--today", TODAY, dir])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("--> {shown}:")));
    }
}

#[test]
fn color_never_and_no_color_have_no_escapes() {
    let mut book = BookTest::init();
    book.change_file("content/governance/plugins.toml", "");
    for args in [vec!["--color", "never"], vec![]] {
        govbook()
            .args(&args)
            .args(["check", "--today", TODAY])
            .arg(&book.dir)
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains("error[GB007]")
                    .and(predicate::str::contains("\u{1b}[").not()),
            );
    }
    govbook()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "check", "--today", TODAY])
        .arg(&book.dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("\u{1b}["));
}

#[test]
fn every_diagnostic_code_is_documented_in_the_handbook() {
    let page =
        std::fs::read_to_string(repo_root().join("content/reference/diagnostics.md")).unwrap();
    for code in govbook::diag::Code::ALL {
        let sev = match code.default_severity() {
            govbook::diag::Severity::Error => "error",
            govbook::diag::Severity::Warning => "warning",
        };
        let row = format!("| {} | {sev} |", code.as_str());
        assert!(
            page.contains(&row),
            "{row} missing from reference/diagnostics.md"
        );
    }
}

/// Every statement of the seed (`shared/seed/governance-and-rollout.txt`),
/// with the extraction's broken wraps mended, is in the bundled content.
#[test]
fn every_seed_statement_is_in_the_bundled_handbook() {
    let mut all = String::new();
    for (rel, bytes) in govbook::bundled::files() {
        if rel.ends_with(".md") || rel.ends_with(".toml") {
            all.push_str(&String::from_utf8_lossy(bytes));
            all.push('\n');
        }
    }
    let norm = |s: &str| {
        s.replace(['`', '*'], "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let all = norm(&all);
    let seed = [
        "Roll out Codex across teams with ownership, policy, training, and upgrade discipline.",
        "Governance exists to make safe Codex usage repeatable, not to slow developers down.",
        "Move adoption through four phases: Pilot to learn fit, Standardize for repeatable work, Govern to reduce organizational risk, and Scale for continuous improvement.",
        "Maintain concrete artifacts: usage policy, instruction template, approved profiles, a verification command catalog, a high-risk change checklist, and an upgrade cadence.",
        "Pin and verify the team's CLI baseline (for example Codex CLI 0.139.0) before changing shared runbooks, and keep local model policy separate from Codex Cloud task policy.",
        "Track adoption only alongside quality signals such as defect rate, review findings, verification pass rate, and incident count.",
        "Governance keeps Codex adoption from becoming a collection of private habits.",
        "The goal is not to slow developers down; it is to make safe usage repeatable.",
        "Learn where Codex helps",
        "Use cases, risks, baseline commands",
        "Make common work repeatable",
        "Config, prompts, skills, verification",
        "Reduce organizational risk",
        "Policies, approval rules, audit path",
        "Improve continuously",
        "Metrics, training, changelog review",
        "Team usage policy.",
        "Repository instruction template.",
        "Approved profiles and permission defaults.",
        "Verification command catalog.",
        "High-risk change review checklist.",
        "Upgrade and changelog review cadence.",
        "Verify Codex CLI 0.139.0 or the team's pinned version before changing shared runbooks.",
        "Re-check /app Desktop handoff, app-server token/debug smoke tests, plugin JSON inventory, and sandbox -P profile validation after upgrades.",
        "Keep local CLI/app/IDE model policy separate from Codex Cloud task model policy.",
        "Review plugin marketplace install/upgrade logs before promoting a plugin source from experiment to team standard.",
        "Track adoption only alongside quality: defect rate, review findings, verification pass rate, automation savings, incident count, and developer feedback.",
    ];
    let missing: Vec<_> = seed.iter().filter(|s| !all.contains(&norm(s))).collect();
    assert!(
        missing.is_empty(),
        "seed statements missing from the bundled content: {missing:#?}"
    );
}

/// `apply` as a new user meets it: files as any program makes them, a dry
/// run that counts what it would change, `-q` that is quiet, repository
/// text that cannot drive the terminal, and a closed pipe that is no panic.
#[test]
fn apply_behaves_as_a_unix_tool() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("service");
    std::fs::create_dir(&target).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("govbook");
    let apply = |extra: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask 022; \"$0\" apply --today {TODAY} --book \"$1\" --repo \"$2\" {extra}"
            ))
            .arg(&bin)
            .arg(crate::book_test::repo_root())
            .arg(&target)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let dry = apply("--dry-run");
    let stderr = String::from_utf8_lossy(&dry.stderr);
    assert!(dry.status.success(), "{stderr}");
    let planned = stderr.lines().filter(|l| l.starts_with("would be")).count();
    assert!(planned > 0);
    assert!(
        stderr.contains(&format!("would change {planned} file(s)")),
        "{stderr}"
    );
    assert!(!target.join("AGENTS.md").exists(), "a dry run wrote");

    let quiet = apply("-q");
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "", "-q printed");
    let mode = std::fs::metadata(target.join("AGENTS.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644, "created with {:o}", mode & 0o777);

    // An edit with a terminal escape inside the managed region: refused,
    // and the diff shows the escape as U+FFFD.
    let agents = target.join("AGENTS.md");
    let text = std::fs::read_to_string(&agents).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("- "))
        .unwrap()
        .to_owned();
    std::fs::write(
        &agents,
        text.replace(&line, &format!("{line} \u{1b}]0;pwned\u{7}\u{1b}[2J")),
    )
    .unwrap();
    let refused = std::process::Command::new(&bin)
        .args(["apply", "--today", TODAY, "--book"])
        .arg(crate::book_test::repo_root())
        .arg("--repo")
        .arg(&target)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(all.contains("refused") && all.contains('\u{FFFD}'), "{all}");
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");

    // Output into a pipe closed at once: no panic (exit 101), no message.
    std::fs::create_dir_all(tmp.path().join("fresh")).unwrap();
    let mut child = std::process::Command::new(&bin)
        .args(["apply", "--dry-run", "--force", "--today", TODAY, "--book"])
        .arg(crate::book_test::repo_root())
        .arg("--repo")
        .arg(tmp.path().join("fresh"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_ne!(
        out.status.code(),
        Some(101),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// `init --force` replaces files, but never writes through a directory
/// link planted where the handbook goes (`content/` → elsewhere).
#[test]
fn init_force_does_not_write_through_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    let (elsewhere, target) = (tmp.path().join("elsewhere"), tmp.path().join("handbook"));
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("notes.txt"), "mine\n").unwrap();
    std::os::unix::fs::symlink(&elsewhere, target.join("content")).unwrap();
    let out = crate::book_test::govbook()
        .args(["init", "--force"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "wrote through the link"
    );
    assert!(!target.join("book.toml").exists(), "half-written");
}

/// In a directory with no book, `build` does not claim an output "as it
/// was", and `serve` gives the hint `check` gives.
#[test]
fn no_book_messages_are_true_and_helpful() {
    let tmp = tempfile::tempdir().unwrap();
    let build = govbook()
        .current_dir(tmp.path())
        .arg("build")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!stderr.contains("as it was"), "{stderr}");
    let serve = govbook()
        .current_dir(tmp.path())
        .args(["serve", "--port", "0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(serve.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("govbook init"), "{stderr}");
}
