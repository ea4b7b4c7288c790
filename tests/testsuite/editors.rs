//! Where contributors work, with the real clients: taplo and tombi validate
//! the sources against govbook's JSON Schemas (as Even Better TOML and the
//! tombi extension do in an editor), check-jsonschema validates the JSON outputs against theirs, the
//! SARIF Multitool validates `check --format sarif`, and pre-commit runs the
//! hooks in `.pre-commit-hooks.yaml`. Ignored by `cargo test`; `.ci/run`
//! installs the programs under target/tools and runs
//! `cargo test --test testsuite -- --ignored editors::`. A missing program is
//! a failure, never a skip.
//!
//! Programs: `GOVBOOK_TAPLO`, `GOVBOOK_TOMBI`, `GOVBOOK_CHECK_JSONSCHEMA`, `GOVBOOK_SARIF_MULTITOOL`,
//! `GOVBOOK_PRE_COMMIT`, or by default where `.ci/run` puts them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::book_test::{TODAY, govbook, repo_root};

fn tool(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/tools").join(default));
    assert!(
        path.exists(),
        "{} not found: run .ci/run, or set {env}",
        path.display()
    );
    path
}

fn taplo() -> PathBuf {
    tool("GOVBOOK_TAPLO", "venv/bin/taplo")
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out: Output = cmd.output().expect("run a tool");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The TOML files of a book that carry a `#:schema` line.
fn sources(book: &Path) -> Vec<PathBuf> {
    let mut files = vec![book.join("book.toml")];
    let mut gov: Vec<_> = std::fs::read_dir(book.join("content/governance"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    gov.sort();
    files.extend(gov);
    files
}

/// taplo with no network: the schemas come from the `#:schema` lines.
fn taplo_check(dir: &Path, files: &[PathBuf]) -> (bool, String) {
    run(Command::new(taplo())
        .current_dir(dir)
        .arg("check")
        .arg("--no-auto-config")
        .args(files))
}

fn init(dir: &Path) -> PathBuf {
    let book = dir.join("handbook");
    govbook().arg("init").arg(&book).assert().success();
    book
}

#[test]
#[ignore = "needs taplo (installed by .ci/run)"]
fn taplo_validates_the_bundled_and_initialized_sources_against_the_schemas() {
    let root = repo_root();
    let (ok, out) = taplo_check(&root, &sources(&root));
    assert!(ok, "the repository's handbook: {out}");
    let tmp = tempfile::tempdir().unwrap();
    let book = init(tmp.path());
    // `release` writes the ledger, the tenth governance file.
    govbook()
        .args(["release", "--quiet", "--today", TODAY])
        .arg(&book)
        .assert()
        .success();
    let files = sources(&book);
    assert_eq!(files.len(), 11, "book.toml and ten governance files");
    let (ok, out) = taplo_check(&book, &files);
    assert!(ok, "init output: {out}");
}

#[test]
#[ignore = "needs taplo (installed by .ci/run)"]
fn taplo_rejects_each_mutation_with_the_problem_named() {
    let tmp = tempfile::tempdir().unwrap();
    let book = init(tmp.path());
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "content/governance/policy.toml",
            "level = \"must\"",
            "level = \"mustn't\"",
            "mustn't",
        ),
        (
            "content/governance/policy.toml",
            "\nsummary = ",
            "\nsumary = ",
            "sumary",
        ),
        (
            "content/governance/owners.toml",
            "reviewed = 2026",
            "reviewed = \"soon\"\n#",
            "soon",
        ),
        (
            "content/governance/rollout.toml",
            "[[phase]]",
            "[[phase]]\ncolour = 1",
            "colour",
        ),
        ("book.toml", "[book]", "[book]\ntitel = \"x\"", "titel"),
        (
            "book.toml",
            "codex-cli = \"0.139.0\"",
            "codex-cli = \"0.139\"",
            "0.139",
        ),
    ];
    for (file, from, to, named) in cases {
        let path = book.join(file);
        let good = std::fs::read_to_string(&path).unwrap();
        assert!(good.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, good.replacen(from, to, 1)).unwrap();
        let (ok, out) = taplo_check(&book, std::slice::from_ref(&path));
        assert!(!ok, "taplo accepted {file} with {to:?}");
        assert!(out.contains(named), "{file} with {to:?}: {out}");
        std::fs::write(&path, good).unwrap();
    }
}

#[test]
#[ignore = "needs tombi (installed by .ci/run)"]
fn tombi_validates_init_output_and_rejects_a_mutation() {
    let tombi = tool("GOVBOOK_TOMBI", "node_modules/.bin/tombi");
    let tmp = tempfile::tempdir().unwrap();
    let book = init(tmp.path());
    let lint = |files: &[PathBuf]| {
        run(Command::new(&tombi)
            .current_dir(&book)
            .args(["lint", "--offline"])
            .env("NO_COLOR", "1")
            .args(files))
    };
    let (ok, out) = lint(&sources(&book));
    assert!(ok, "{out}");
    let policy = book.join("content/governance/policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replacen("\nsummary = ", "\nsumary = ", 1)).unwrap();
    let (ok, out) = lint(&[policy]);
    assert!(!ok && out.contains("sumary"), "{out}");
}

/// A built handbook and a drift report of an applied repository.
fn outputs(tmp: &Path) -> (PathBuf, PathBuf) {
    let site = tmp.join("site");
    govbook()
        .args(["build", "--quiet", "--today", TODAY, "-o"])
        .arg(&site)
        .arg(repo_root())
        .assert()
        .success();
    let repo = tmp.join("service");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    govbook()
        .args(["apply", "--quiet", "--today", TODAY, "--book"])
        .arg(repo_root())
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    // One outdated-looking edit so the report has more than `current`.
    let agents = repo.join("AGENTS.md");
    let text = std::fs::read_to_string(&agents).unwrap();
    std::fs::write(&agents, text.replacen("Codex", "Kodex", 1)).unwrap();
    let report = govbook()
        .args(["drift", "--format", "json", "--manifest"])
        .arg(&site)
        .arg(&repo)
        .output()
        .unwrap();
    let path = tmp.join("drift.json");
    std::fs::write(&path, &report.stdout).unwrap();
    (site, path)
}

#[test]
#[ignore = "needs check-jsonschema (installed by .ci/run)"]
fn the_manifest_and_the_drift_report_match_their_published_schemas() {
    let tmp = tempfile::tempdir().unwrap();
    let (site, report) = outputs(tmp.path());
    let validate = |schema: &Path, doc: &Path| {
        run(Command::new(tool(
            "GOVBOOK_CHECK_JSONSCHEMA",
            "venv/bin/check-jsonschema",
        ))
        .arg("--schemafile")
        .arg(schema)
        .arg(doc))
    };
    let (ok, out) = validate(
        &site.join("schemas/manifest.json"),
        &site.join("templates/manifest.json"),
    );
    assert!(ok, "manifest: {out}");
    let drift_schema = tmp.path().join("drift-report.json");
    let printed = govbook().args(["schema", "drift-report"]).output().unwrap();
    std::fs::write(&drift_schema, printed.stdout).unwrap();
    let (ok, out) = validate(&drift_schema, &report);
    assert!(ok, "drift report: {out}");
    // And the validator does reject: a report whose status is not one of the five.
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("\"modified\""), "{text}");
    std::fs::write(&report, text.replace("\"modified\"", "\"changed\"")).unwrap();
    let (ok, _) = validate(&drift_schema, &report);
    assert!(!ok, "a bad status passed");
}

#[test]
#[ignore = "needs the SARIF Multitool (installed by .ci/run)"]
fn check_sarif_is_valid_sarif_2_1_0() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let book = repo.join("handbook");
    govbook().arg("init").arg(&book).assert().success();
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let policy = book.join("content/governance/policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(
        &policy,
        text.replacen("level = \"must\"", "level = \"mustn't\"", 1),
    )
    .unwrap();
    let out = govbook()
        .args(["check", "--today", TODAY, "--format", "sarif"])
        .arg(&book)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "GB104");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "handbook/content/governance/policy.toml"
    );
    let sarif = tmp.path().join("check.sarif");
    std::fs::write(&sarif, &out.stdout).unwrap();
    let multitool = tool(
        "GOVBOOK_SARIF_MULTITOOL",
        "node_modules/.bin/sarif-multitool",
    );
    // The SARIF 2.1.0 schema the Multitool's package carries: validated
    // against it, besides the Multitool's own rules.
    let schema = tool(
        "GOVBOOK_SARIF_SCHEMA",
        "node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json",
    );
    let validate = |file: &Path| {
        let report = tmp.path().join("validation.sarif");
        let (_, text) = run(Command::new(&multitool)
            .arg("validate")
            .arg(file)
            .arg("--json-schema")
            .arg(&schema)
            .arg("--output")
            .arg(&report)
            .args(["--log", "ForceOverwrite"]));
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_default())
                .unwrap_or_else(|e| panic!("no validation report ({e}): {text}"));
        let errors: Vec<_> = report["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r["level"] == "error")
            .collect();
        (errors, text)
    };
    let (errors, text) = validate(&sarif);
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    // The validator does reject: a result with a property SARIF does not
    // have, and a log without its version.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["severity"] = "error".into();
    std::fs::write(&sarif, bad.to_string()).unwrap();
    let (errors, text) = validate(&sarif);
    assert!(!errors.is_empty(), "an unknown property passed: {text}");
    let mut bad = log;
    bad.as_object_mut().unwrap().remove("version");
    std::fs::write(&sarif, bad.to_string()).unwrap();
    let (errors, text) = validate(&sarif);
    assert!(!errors.is_empty(), "a log without version passed: {text}");
}

/// A scratch git repository with one commit's worth of files staged.
fn git_repo(dir: &Path) {
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "test@example.invalid"]);
    git(&["config", "user.name", "test"]);
    git(&["add", "-A"]);
}

/// `pre-commit try-repo` with this repository's hooks file, the govbook
/// under test first on PATH (the hooks are `language: system`).
fn try_hook(repo: &Path, hook: &str, manifest: &Path) -> (bool, String) {
    let bin = assert_cmd::cargo::cargo_bin("govbook");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let home = repo.parent().unwrap().join("pre-commit-home");
    run(
        Command::new(tool("GOVBOOK_PRE_COMMIT", "venv/bin/pre-commit"))
            .current_dir(repo)
            .env("PATH", path)
            .env("PRE_COMMIT_HOME", home)
            .env("GOVBOOK_MANIFEST", manifest)
            .args(["try-repo"])
            .arg(repo_root())
            .arg(hook)
            .args(["--all-files", "--verbose"]),
    )
}

#[test]
#[ignore = "needs pre-commit (installed by .ci/run)"]
fn pre_commit_runs_govbook_check_on_a_handbook_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let book = init(tmp.path());
    git_repo(&book);
    let (ok, out) = try_hook(&book, "govbook-check", Path::new(""));
    assert!(ok, "{out}");
    assert!(
        out.contains("govbook check") && out.contains("Passed"),
        "{out}"
    );
    let policy = book.join("content/governance/policy.toml");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(
        &policy,
        text.replacen("level = \"must\"", "level = \"mustn't\"", 1),
    )
    .unwrap();
    let (ok, out) = try_hook(&book, "govbook-check", Path::new(""));
    assert!(!ok, "{out}");
    assert!(out.contains("Failed") && out.contains("GB104"), "{out}");
}

#[test]
#[ignore = "needs pre-commit (installed by .ci/run)"]
fn pre_commit_runs_govbook_drift_on_a_service_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    govbook()
        .args(["build", "--quiet", "--today", TODAY, "-o"])
        .arg(&site)
        .arg(repo_root())
        .assert()
        .success();
    let repo = tmp.path().join("service");
    std::fs::create_dir_all(&repo).unwrap();
    git_repo(&repo);
    govbook()
        .args(["apply", "--quiet", "--today", TODAY, "--book"])
        .arg(repo_root())
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    git_repo(&repo);
    // The hook runs `govbook drift .`; a service repository's config adds
    // `args: [--manifest, FILE]`, or CI sets GOVBOOK_MANIFEST as here
    // (try-repo takes no arguments).
    let manifest = site.join("templates/manifest.json");
    let (ok, out) = try_hook(&repo, "govbook-drift", &manifest);
    assert!(ok, "{out}");
    assert!(
        out.contains("govbook drift") && out.contains("Passed"),
        "{out}"
    );
    let agents = repo.join("AGENTS.md");
    let text = std::fs::read_to_string(&agents).unwrap();
    std::fs::write(&agents, text.replacen("Codex", "Kodex", 1)).unwrap();
    let (ok, out) = try_hook(&repo, "govbook-drift", &manifest);
    assert!(!ok, "{out}");
    assert!(out.contains("Failed") && out.contains("modified"), "{out}");
}
