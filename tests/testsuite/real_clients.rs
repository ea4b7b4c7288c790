//! Real clients: the Codex CLI 0.139.0 from npm and markdownlint-cli2.
//! These need programs the hermetic suite does not, so they are ignored by
//! `cargo test`; `.ci/run` installs the programs and runs them with
//! `cargo test --test testsuite -- --ignored real_clients::`. A missing program is a
//! failure here, never a silent skip.
//!
//! Programs: `GOVBOOK_CODEX` and `GOVBOOK_MARKDOWNLINT`, or by default
//! `target/tools/node_modules/.bin/{codex,markdownlint-cli2}` (where
//! `.ci/run` installs them).

use std::path::PathBuf;
use std::process::Command;

use predicates::prelude::*;

use crate::book_test::{TODAY, govbook, repo_root};

fn tool(env: &str, name: &str) -> PathBuf {
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or_else(|| {
        repo_root()
            .join("target/tools/node_modules/.bin")
            .join(name)
    });
    assert!(
        path.exists(),
        "{} not found: run .ci/run, or set {env}",
        path.display()
    );
    path
}

fn codex() -> PathBuf {
    tool("GOVBOOK_CODEX", "codex")
}

/// A built copy of the bundled handbook.
fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    govbook()
        .args(["build", "--quiet", "--today", TODAY, "-o"])
        .arg(&out)
        .arg(repo_root())
        .assert()
        .success();
    (tmp, out)
}

#[test]
#[ignore = "needs the real Codex CLI (installed by .ci/run)"]
fn codex_accepts_every_generated_config_file() {
    govbook()
        .args(["doctor", "--today", TODAY, "--codex"])
        .arg(codex())
        .arg(repo_root())
        .assert()
        .success()
        .stdout(predicate::str::contains("FAIL").not());
}

#[test]
#[ignore = "needs the real Codex CLI (installed by .ci/run)"]
fn codex_reads_the_applied_agents_md() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("service");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    govbook()
        .args(["apply", "--today", TODAY, "--book"])
        .arg(repo_root())
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    let agents = std::fs::read_to_string(repo.join("AGENTS.md")).unwrap();
    let marker = agents
        .lines()
        .find(|l| l.starts_with("Managed by"))
        .unwrap()
        .to_owned();
    let out = Command::new(codex())
        .args(["-p", "standard", "debug", "prompt-input"])
        .env("CODEX_HOME", repo.join(".codex/home"))
        .env("RUST_BACKTRACE", "0")
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(
        seen.contains(&marker[..40]),
        "Codex did not read the managed AGENTS.md:\n{seen}"
    );
    assert!(
        seen.contains("Describe this repository here"),
        "the repository-owned section is read too"
    );
}

/// A profile config that govbook must reject, and the code it reports.
struct Bad {
    name: &'static str,
    /// `profiles.toml` text replaced: (from, to).
    edit: (&'static str, &'static str),
    code: &'static str,
    /// The same mistake as a raw Codex `config.toml`.
    raw: &'static str,
}

const CORPUS: &[Bad] = &[
    Bad {
        name: "bad enum",
        edit: (
            "sandbox_mode = \"workspace-write\"",
            "sandbox_mode = \"bogus\"",
        ),
        code: "GB303",
        raw: "sandbox_mode = \"bogus\"\n",
    },
    Bad {
        name: "wrong type",
        edit: ("network_access = false", "network_access = \"yes\""),
        code: "GB302",
        raw: "sandbox_mode = \"workspace-write\"\n[sandbox_workspace_write]\nnetwork_access = \"yes\"\n",
    },
    Bad {
        name: "legacy profile selector",
        edit: (
            "model_reasoning_effort = \"medium\"\nmodel_reasoning_summary = \"auto\"",
            "profile = \"standard\"\nmodel_reasoning_effort = \"medium\"\nmodel_reasoning_summary = \"auto\"",
        ),
        code: "GB304",
        raw: "profile = \"standard\"\n",
    },
    Bad {
        name: "unknown key",
        edit: (
            "model_reasoning_summary = \"auto\"",
            "model_reasoning_summary = \"auto\"\nfoo_unknown = 1",
        ),
        code: "GB301",
        raw: "foo_unknown = 1\n",
    },
    Bad {
        name: "bad approval policy",
        edit: (
            "approval_policy = \"on-request\"\nsandbox_mode = \"workspace-write\"",
            "approval_policy = \"sometimes\"\nsandbox_mode = \"workspace-write\"",
        ),
        code: "GB303",
        raw: "approval_policy = \"sometimes\"\n",
    },
];

#[test]
#[ignore = "needs the real Codex CLI (installed by .ci/run)"]
fn govbook_rejects_what_codex_rejects() {
    let codex = codex();
    for bad in CORPUS {
        // govbook check refuses the source.
        let tmp = tempfile::tempdir().unwrap();
        let book = tmp.path().join("hb");
        govbook().arg("init").arg(&book).assert().success();
        let profiles = book.join("content/governance/profiles.toml");
        let text = std::fs::read_to_string(&profiles).unwrap();
        assert!(
            text.contains(bad.edit.0),
            "{}: edit does not apply",
            bad.name
        );
        std::fs::write(&profiles, text.replacen(bad.edit.0, bad.edit.1, 1)).unwrap();
        let diags = crate::book_test::check_at(&book);
        assert_eq!(diags.code, Some(1), "{}: {diags}", bad.name);
        assert!(
            diags.items.iter().any(|d| d["code"] == bad.code),
            "{}: no {} in {diags}",
            bad.name,
            bad.code
        );
        // …and Codex refuses the same setting.
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("config.toml"), bad.raw).unwrap();
        let status = Command::new(&codex)
            .args(["app-server", "--strict-config"])
            .env("CODEX_HOME", &home)
            .env("RUST_BACKTRACE", "0")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
            .status;
        assert_eq!(
            status.code(),
            Some(1),
            "Codex accepted {}: {}",
            bad.name,
            bad.raw
        );
    }
}

#[test]
#[ignore = "needs markdownlint-cli2 (installed by .ci/run)"]
fn markdownlint_passes_on_generated_markdown() {
    let (_tmp, out) = built();
    let lint = tool("GOVBOOK_MARKDOWNLINT", "markdownlint-cli2");
    let config = out.join(".markdownlint-cli2.jsonc");
    // Line length is prose style; the first line is the govbook stamp.
    std::fs::write(
        &config,
        "{ \"config\": { \"MD013\": false, \"MD041\": false } }\n",
    )
    .unwrap();
    let files: Vec<String> = walkdir::WalkDir::new(out.join("templates"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert!(files.len() >= 7, "{files:?}");
    let result = Command::new(lint)
        .args(&files)
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "markdownlint:\n{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}
