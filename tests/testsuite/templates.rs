//! Artifacts, stamps, the release ledger, `apply` and `drift`, run as a
//! user would on scratch copies of the minimal fixture book.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::book_test::{BookTest, TODAY, govbook};
use crate::fs::{copy_tree, edit_file as edit};

/// The minimal fixture book, with room beside it for repositories.
struct Scratch {
    _test: BookTest,
    book: PathBuf,
    root: PathBuf,
}

fn scratch() -> Scratch {
    let test = BookTest::from_fixture("minimal");
    Scratch {
        book: test.dir.clone(),
        root: test.scratch().to_path_buf(),
        _test: test,
    }
}

fn repo(root: &Path, name: &str) -> PathBuf {
    let r = root.join(name);
    std::fs::create_dir_all(r.join(".git")).unwrap();
    r
}

fn release(s: &Scratch, notes: &str) {
    govbook()
        .args(["release", "--today", TODAY, "--notes", notes])
        .arg(&s.book)
        .assert()
        .success();
}

fn build(s: &Scratch) -> PathBuf {
    let out = s.root.join("site");
    govbook()
        .args(["build", "--quiet", "--today", TODAY, "-o"])
        .arg(&out)
        .arg(&s.book)
        .assert()
        .success();
    out.join("templates/manifest.json")
}

fn apply(s: &Scratch, repo: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    govbook()
        .args(["apply", "--today", TODAY, "--book"])
        .arg(&s.book)
        .arg("--repo")
        .arg(repo)
        .args(extra)
        .assert()
}

fn drift_json(manifest: &Path, paths: &[&Path]) -> (i32, serde_json::Value) {
    let out = govbook()
        .args(["drift", "--format", "json", "--manifest"])
        .arg(manifest)
        .args(paths)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn status_of<'a>(report: &'a serde_json::Value, path: &str) -> &'a str {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in {report:#}"))["status"]
        .as_str()
        .unwrap()
}

#[test]
fn build_writes_every_artifact_with_a_valid_stamp() {
    let s = scratch();
    let manifest_path = build(&s);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    assert_eq!(manifest["schema"], "govbook-manifest/1");
    let templates = manifest_path.parent().unwrap();
    let artifacts = manifest["artifacts"].as_object().unwrap();
    let expected = [
        "agents-md",
        "usage-policy",
        "cloud-task-policy",
        "verification-commands",
        "verification-commands-json",
        "high-risk-change-checklist",
        "upgrade-checklist",
        "pull-request-template",
        "codex-config",
        "codex-home-ignore",
        "codex-profile-standard",
        "codex-profile-ci-exec",
        "codex-governance-workflow",
    ];
    for id in expected {
        let entry = &artifacts[id];
        let path = templates.join(entry["path"].as_str().unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        let format = govbook::stamp::Syntax::of_path(entry["path"].as_str().unwrap()).unwrap();
        let (stamp, actual) = if format == govbook::stamp::Syntax::Json {
            govbook::stamp::json::read(&text).unwrap().unwrap()
        } else {
            let (regions, damage) = govbook::stamp::regions(&text, format);
            assert!(damage.is_empty(), "{id}: {damage:?}");
            assert_eq!(regions.len(), 1, "{id}");
            let r = &regions[0];
            (
                r.stamp.clone(),
                govbook::stamp::hash(&text[r.managed.clone()]),
            )
        };
        assert_eq!(stamp.id, id);
        assert_eq!(stamp.version, "1.0.0");
        assert_eq!(stamp.baseline, "codex-cli@0.139.0");
        assert_eq!(
            stamp.sha256, actual,
            "{id}: the stamp's hash is the managed text's"
        );
        assert_eq!(
            entry["sha256"],
            actual.as_str(),
            "{id}: manifest and file agree"
        );
    }
    assert_eq!(
        artifacts.len(),
        expected.len(),
        "{:?}",
        artifacts.keys().collect::<Vec<_>>()
    );
    // The team with overrides gets its own set, narrowed to its profiles.
    let team = templates.join("teams/payments");
    assert!(team.join("AGENTS.md").is_file());
    assert!(team.join(".codex/home/standard.config.toml").is_file());
    assert!(!team.join(".codex/home/ci-exec.config.toml").exists());
    let agents = std::fs::read_to_string(team.join("AGENTS.md")).unwrap();
    assert!(agents.contains("team=payments") && agents.contains("second reviewer"));
    // Codex files are under .codex/home, never .codex/config.toml.
    assert!(templates.join(".codex/home/config.toml").is_file());
    assert!(!templates.join(".codex/config.toml").exists());
}

#[test]
fn apply_update_keeps_local_edits_and_drift_tells_the_states() {
    let s = scratch();
    release(&s, "First edition.");
    let r = repo(&s.root, "service-a");

    apply(&s, &r, &[])
        .success()
        .stderr(predicate::str::contains("created   AGENTS.md"));
    // A second run changes nothing.
    apply(&s, &r, &[])
        .success()
        .stderr(predicate::str::contains("changed 0 file(s), 0 refused"));

    // The repository writes its own notes outside the managed region.
    let agents = r.join("AGENTS.md");
    let mut text = std::fs::read_to_string(&agents).unwrap();
    text.push_str("\n## Our build\n\nRun `make ci` before pushing. Ünïcödé stays.\n");
    std::fs::write(&agents, &text).unwrap();

    // The handbook changes a rule and cuts 1.1.0.
    edit(
        &s.book.join("content/governance/policy.toml"),
        "title = \"Approved local models\"",
        "title = \"Approved local models only\"",
    );
    govbook()
        .args(["check", "--today", TODAY])
        .arg(&s.book)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("GB412"));
    edit(
        &s.book.join("book.toml"),
        "version = \"1.0.0\"",
        "version = \"1.1.0\"",
    );
    release(&s, "Local model rule tightened.");
    let manifest = build(&s);

    let (code, report) = drift_json(&manifest, &[&r]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "AGENTS.md"), "outdated");
    let f = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "AGENTS.md")
        .unwrap();
    assert_eq!(f["matches_version"], "1.0.0");
    assert_eq!(f["notes"][0], "1.1.0: Local model rule tightened.");
    assert_eq!(
        status_of(&report, "docs/codex/verification-commands.md"),
        "current"
    );

    apply(&s, &r, &[])
        .success()
        .stderr(predicate::str::contains("updated   AGENTS.md"));
    let after = std::fs::read_to_string(&agents).unwrap();
    assert!(
        after.ends_with("Run `make ci` before pushing. Ünïcödé stays.\n"),
        "local edit lost:\n{after}"
    );
    assert!(after.contains("version=1.1.0") && after.contains("Approved local models only"));
    let (code, report) = drift_json(&manifest, &[&r]);
    assert_eq!(code, 0, "{report:#}");

    // An edit inside the region: drift says modified, apply refuses.
    edit(&agents, "Approved local models only", "Any model we like");
    let (code, report) = drift_json(&manifest, &[&r]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "AGENTS.md"), "modified");
    apply(&s, &r, &[])
        .code(1)
        .stderr(
            predicate::str::contains("refused   AGENTS.md")
                .and(predicate::str::contains("edited locally")),
        )
        .stdout(
            predicate::str::contains("-- Any model we like")
                .or(predicate::str::contains("-- `local-models`")),
        );
    assert!(
        std::fs::read_to_string(&agents)
            .unwrap()
            .contains("Any model we like")
    );
    // --dry-run shows the change and writes nothing; --force replaces it.
    apply(&s, &r, &["--dry-run", "--force"])
        .success()
        .stdout(predicate::str::contains("+- `local-models`"));
    assert!(
        std::fs::read_to_string(&agents)
            .unwrap()
            .contains("Any model we like")
    );
    apply(&s, &r, &["--force"])
        .success()
        .stderr(predicate::str::contains("replaced  AGENTS.md"));
    let forced = std::fs::read_to_string(&agents).unwrap();
    assert!(!forced.contains("Any model we like"));
    assert!(
        forced.ends_with("Ünïcödé stays.\n"),
        "even --force keeps text outside the region"
    );
}

#[test]
fn apply_team_variant_and_only() {
    let s = scratch();
    let r = repo(&s.root, "payments-svc");
    apply(
        &s,
        &r,
        &[
            "--team",
            "payments",
            "--only",
            "agents-md",
            "--only",
            "codex-profile-standard",
        ],
    )
    .success();
    let agents = std::fs::read_to_string(r.join("AGENTS.md")).unwrap();
    assert!(agents.contains("team=payments"));
    assert!(r.join(".codex/home/standard.config.toml").is_file());
    assert!(!r.join("docs").exists(), "--only limits the files");
    apply(&s, &r, &["--team", "nosuch"])
        .code(2)
        .stderr(predicate::str::contains("no such team"));
    apply(&s, &r, &["--only", "nosuch"])
        .code(2)
        .stderr(predicate::str::contains("no such artifact"));
}

#[test]
fn apply_writes_what_it_can_and_never_through_links() {
    let s = scratch();
    let r = repo(&s.root, "odd");
    // `docs` is a file, so docs/codex/* cannot be written.
    std::fs::write(r.join("docs"), "not a directory").unwrap();
    // .github is a link to outside the repository.
    let outside = s.root.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, r.join(".github")).unwrap();
    apply(&s, &r, &[]).code(1).stderr(
        predicate::str::contains("created   AGENTS.md")
            .and(predicate::str::contains("docs/codex/usage-policy.md"))
            .and(predicate::str::contains(
                ".github/pull_request_template.md: ",
            )),
    );
    assert!(r.join("AGENTS.md").is_file());
    assert!(r.join(".codex/home/config.toml").is_file());
    assert_eq!(
        std::fs::read_to_string(r.join("docs")).unwrap(),
        "not a directory"
    );
    assert!(
        std::fs::read_dir(&outside).unwrap().next().is_none(),
        "wrote through the link"
    );
}

#[test]
fn drift_over_many_repositories_classifies_each_file() {
    let s = scratch();
    release(&s, "First.");
    let fleet = s.root.join("fleet");
    let first = repo(&fleet, "r-template");
    apply(&s, &first, &[]).success();
    edit(
        &s.book.join("content/governance/policy.toml"),
        "text = \"Run the pre-merge commands.\"",
        "text = \"Run every pre-merge command.\"",
    );
    edit(
        &s.book.join("book.toml"),
        "version = \"1.0.0\"",
        "version = \"1.1.0\"",
    );
    release(&s, "Second.");
    let manifest = build(&s);
    let old_usage = std::fs::read_to_string(first.join("docs/codex/usage-policy.md")).unwrap();
    std::fs::remove_dir_all(&first).unwrap();
    let current = repo(&s.root, "current-src");
    apply(&s, &current, &[]).success();
    // 200 repositories: current, outdated (the 1.0.0 usage policy) or edited.
    let n = 200;
    for i in 0..n {
        let r = repo(&fleet, &format!("r{i:03}"));
        copy_tree(&current, &r);
        match i % 3 {
            0 => {}
            1 => std::fs::write(r.join("docs/codex/usage-policy.md"), &old_usage).unwrap(),
            _ => edit(
                &r.join("docs/codex/usage-policy.md"),
                "Run every pre-merge command.",
                "Run some commands.",
            ),
        }
    }
    let started = std::time::Instant::now();
    let (code, report) = drift_json(&manifest, &[&fleet]);
    let took = started.elapsed();
    assert_eq!(code, 1);
    assert_eq!(report["repositories"], n);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), n * 13);
    for f in files {
        let repo = f["repo"].as_str().unwrap();
        let i: usize = repo.rsplit('r').next().unwrap().parse().unwrap();
        let want = if f["path"] == "docs/codex/usage-policy.md" {
            ["current", "outdated", "modified"][i % 3]
        } else {
            "current"
        };
        assert_eq!(f["status"], want, "{f}");
    }
    assert!(report["missing"].as_array().unwrap().is_empty());
    // The counts agree with the files listed.
    let summary = &report["summary"];
    assert_eq!(summary["repositories"], n);
    assert_eq!(summary["stamped"], n * 13);
    let listed = |status: &str| files.iter().filter(|f| f["status"] == status).count();
    for status in ["current", "outdated", "modified"] {
        assert_eq!(summary[status], listed(status), "{status}");
    }
    eprintln!("drift over {n} repositories: {took:?}");
}

#[test]
fn drift_reports_damaged_and_odd_files_and_keeps_going() {
    let s = scratch();
    let manifest = build(&s);
    let r = repo(&s.root, "damaged");
    apply(&s, &r, &[]).success();
    let begin = "<!-- govbook:begin agents-md version=1.0.0 baseline=codex-cli@0.139.0 sha256=";
    std::fs::write(r.join("truncated.md"), format!("{begin}abc\n")).unwrap();
    std::fs::write(
        r.join("no-end.md"),
        format!("{begin}{} -->\ntext\n", "a".repeat(64)),
    )
    .unwrap();
    std::fs::write(
        r.join("two-begins.md"),
        format!(
            "{begin}{h} -->\n{begin}{h} -->\n<!-- govbook:end agents-md -->\n",
            h = "b".repeat(64)
        ),
    )
    .unwrap();
    std::fs::write(r.join("bad.json"), "{\"//govbook\": 3}").unwrap();
    std::fs::write(r.join("binary.md"), b"govbook:begin \0\x01\x02").unwrap();
    std::fs::write(r.join("ignored.md"), format!("{begin}zz -->\n")).unwrap();
    std::fs::write(r.join(".gitignore"), "ignored.md\n").unwrap();
    std::os::unix::fs::symlink(&r, r.join("loop")).unwrap();
    std::fs::create_dir_all(r.join("node_modules/x")).unwrap();
    std::fs::write(
        r.join("node_modules/x/AGENTS.md"),
        format!("{begin}zz -->\n"),
    )
    .unwrap();
    let (code, report) = drift_json(&manifest, &[&r]);
    assert_eq!(code, 1);
    for bad in ["truncated.md", "no-end.md", "two-begins.md", "bad.json"] {
        assert_eq!(status_of(&report, bad), "invalid", "{bad}");
    }
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for skipped in ["binary.md", "ignored.md", "node_modules/x/AGENTS.md"] {
        assert!(!paths.contains(&skipped), "{skipped} should be skipped");
    }
    assert!(
        !paths.iter().any(|p| p.starts_with("loop/")),
        "followed a link"
    );
    // The good files are still classified.
    assert_eq!(status_of(&report, "AGENTS.md"), "current");
    assert_eq!(status_of(&report, ".codex/home/config.toml"), "current");
}

/// A damaged stamp in an artifact's own file is reported once, as invalid,
/// not also as the artifact missing.
#[test]
fn a_damaged_artifact_is_invalid_once_not_also_missing() {
    let s = scratch();
    let manifest = build(&s);
    let r = repo(&s.root, "damaged-agents");
    apply(&s, &r, &[]).success();
    let agents = r.join("AGENTS.md");
    let text = std::fs::read_to_string(&agents).unwrap();
    let broken = text.replace("govbook:end agents-md", "govbook:ned agents-md");
    assert_ne!(text, broken);
    std::fs::write(&agents, broken).unwrap();
    let (code, report) = drift_json(&manifest, &[&r]);
    assert_eq!(code, 1);
    let at_agents: Vec<_> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "AGENTS.md")
        .collect();
    assert_eq!(at_agents.len(), 1, "{report}");
    assert_eq!(at_agents[0]["status"], "invalid");
    let missing = report["missing"].as_array().unwrap();
    assert!(missing.iter().all(|m| m["path"] != "AGENTS.md"), "{report}");
}

#[test]
fn drift_without_a_manifest_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    govbook()
        .current_dir(tmp.path())
        .args(["drift", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no manifest"));
}
