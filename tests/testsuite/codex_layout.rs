//! The repository layout survives real Codex use: after `govbook apply`, a
//! developer logs in, runs `codex exec` and `codex sandbox` with the
//! documented `CODEX_HOME=.codex/home`, and still nothing Codex wrote is
//! tracked by git, and `govbook drift` still says `current`.
//!
//! Needs the real Codex CLI, so ignored by `cargo test`; `.ci/run` runs it
//! with `--ignored`. Codex: `GOVBOOK_CODEX`, or by default
//! `target/tools/node_modules/.bin/codex`. A missing binary fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::book_test::{TODAY, govbook};

/// The documented setting, relative to the repository root.
const HOME: &str = ".codex/home";

fn codex_bin() -> PathBuf {
    let path = std::env::var_os("GOVBOOK_CODEX")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools/node_modules/.bin/codex")
        });
    assert!(
        path.exists(),
        "{} not found: run .ci/run, or set GOVBOOK_CODEX",
        path.display()
    );
    std::path::absolute(path).unwrap()
}

/// Runs the real Codex in `repo` as a developer would, with `stdin`.
fn codex(repo: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(codex_bin())
        .args(args)
        .env("CODEX_HOME", HOME)
        .env("RUST_BACKTRACE", "0")
        .env_remove("OPENAI_API_KEY")
        .current_dir(repo)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut input, stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn status(repo: &Path) -> Vec<String> {
    git(repo, &["status", "--porcelain", "--untracked-files=all"])
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The bundled handbook built into a scratch directory: (scratch, book,
/// site).
fn built_site() -> (tempfile::TempDir, &'static Path, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let book = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tmp.path().join("site");
    govbook()
        .args(["build", "--quiet", "--today", TODAY, "-o"])
        .arg(&site)
        .arg(book)
        .assert()
        .success();
    (tmp, book, site)
}

#[test]
#[ignore = "needs the real Codex CLI (installed by .ci/run)"]
fn real_codex_use_leaves_git_and_drift_clean() {
    let (tmp, book, site) = built_site();
    let repo = tmp.path().join("service");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "."]);
    std::fs::write(repo.join("README.md"), "# service\n").unwrap();
    git(&repo, &["add", "README.md"]);
    git(&repo, &["commit", "-q", "-m", "init"]);

    let applied = govbook()
        .args(["apply", "--today", TODAY, "--book"])
        .arg(book)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    // apply reports on stderr.
    let applied = String::from_utf8_lossy(&applied.get_output().stderr).into_owned();
    let written: Vec<&str> = applied
        .lines()
        .filter_map(|l| l.strip_prefix("created"))
        .map(str::trim)
        .collect();
    assert!(written.contains(&".codex/home/config.toml"), "{applied}");
    assert!(written.contains(&".codex/home/.gitignore"), "{applied}");
    // What git sees: every file apply wrote but the per-checkout base config.
    let mut expected: Vec<String> = written
        .iter()
        .filter(|p| **p != ".codex/home/config.toml")
        .map(|p| format!("?? {p}"))
        .collect();
    expected.sort();
    let mut before = status(&repo);
    before.sort();
    assert_eq!(before, expected);

    // Log in: the key goes to .codex/home/auth.json.
    let login = codex(
        &repo,
        &["login", "--with-api-key"],
        "sk-govbook-test-not-a-key\n",
    );
    assert!(
        login.status.success(),
        "login: {}",
        String::from_utf8_lossy(&login.stderr)
    );
    let auth = repo.join(HOME).join("auth.json");
    assert!(
        std::fs::read_to_string(&auth)
            .unwrap()
            .contains("sk-govbook-test-not-a-key")
    );

    // A run in the workspace-write profile: no model is reachable, but Codex
    // loads the config, writes its state and trusts the project first.
    let exec = codex(&repo, &["exec", "-p", "standard", "say hello"], "");
    let exec_err = String::from_utf8_lossy(&exec.stderr);
    assert!(
        exec_err.contains("session id")
            || String::from_utf8_lossy(&exec.stdout).contains("session id"),
        "codex exec did not start a session:\n{exec_err}"
    );
    let base = std::fs::read_to_string(repo.join(HOME).join("config.toml")).unwrap();
    let end = base.find("# govbook:end codex-config").unwrap();
    let trust = base
        .find("trust_level = \"trusted\"")
        .unwrap_or_else(|| panic!("codex exec wrote no trust entry:\n{base}"));
    assert!(
        trust > end,
        "the trust entry landed in the managed region:\n{base}"
    );
    for state in ["installation_id", "sessions", "skills", "log"] {
        assert!(
            repo.join(HOME).join(state).exists(),
            "Codex wrote no {state}: the test would prove nothing"
        );
    }

    // The sandbox runs with the team's permissions profile, and the agent
    // inside it cannot rewrite its own Codex home.
    let sandbox = codex(
        &repo,
        &["sandbox", "-P", "team-workspace", "--", "true"],
        "",
    );
    assert!(
        sandbox.status.success(),
        "sandbox: {}",
        String::from_utf8_lossy(&sandbox.stderr)
    );
    let escape = codex(
        &repo,
        &[
            "sandbox",
            "-P",
            "team-workspace",
            "--",
            "sh",
            "-c",
            "echo 'approval_policy = \"never\"' >> .codex/home/standard.config.toml",
        ],
        "",
    );
    assert!(
        !escape.status.success(),
        "the sandbox let the agent edit its profile"
    );

    // Trusted now: Codex no longer reports the project-local config folder.
    let prompt = codex(&repo, &["-p", "standard", "debug", "prompt-input"], "");
    assert!(prompt.status.success());
    let prompt_err = String::from_utf8_lossy(&prompt.stderr);
    assert!(
        !prompt_err.contains("disabled in the following folders"),
        "{prompt_err}"
    );

    // Git sees exactly what apply wrote.
    let mut after = status(&repo);
    after.sort();
    assert_eq!(after, expected, "Codex's own files reached git status");

    // Drift: every artifact current, the ignored base config included.
    let drift = govbook()
        .arg("drift")
        .arg(&repo)
        .arg("--manifest")
        .arg(&site)
        .assert()
        .success();
    let table = String::from_utf8_lossy(&drift.get_output().stdout).into_owned();
    let config_row = table
        .lines()
        .find(|l| l.contains(".codex/home/config.toml"))
        .unwrap_or_else(|| panic!("drift did not read the base config:\n{table}"));
    assert!(config_row.contains("current"), "{table}");
    assert!(
        table.contains(" 0 outdated, 0 modified, 0 unknown, 0 invalid; 0 missing, 0 unreadable"),
        "{table}"
    );

    // And a second apply changes nothing and refuses nothing.
    let again = govbook()
        .args(["apply", "--today", TODAY, "--book"])
        .arg(book)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    let again = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(
        again.lines().all(|l| !l.starts_with("created")
            && !l.starts_with("updated")
            && !l.starts_with("refused")),
        "{again}"
    );
}

#[test]
#[ignore = "needs the real Codex CLI (installed by .ci/run)"]
fn doctor_passes_every_check_on_the_real_codex() {
    let book = env!("CARGO_MANIFEST_DIR");
    let out = govbook()
        .args(["doctor", "--today", TODAY, "--codex"])
        .arg(codex_bin())
        .arg(book)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines: Vec<&str> = stdout.lines().collect();
    // The version, the base config, two per profile, one per permissions profile.
    assert_eq!(lines.len(), 12, "{stdout}");
    assert!(lines.iter().all(|l| l.starts_with("ok ")), "{stdout}");
    assert!(stdout.contains("sandbox_mode = workspace-write, approval_policy = never"));
    // Quiet: nothing to say when nothing failed.
    govbook()
        .args(["-q", "doctor", "--today", TODAY, "--codex"])
        .arg(codex_bin())
        .arg(book)
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

/// Without Codex: the base config that git ignores is still read by drift,
/// and the tables Codex appends (written here as Codex 0.139.0 writes them)
/// stay outside the managed region.
#[test]
fn drift_reads_the_ignored_base_config_and_skips_codex_tables() {
    let (tmp, book, site) = built_site();
    let repo = tmp.path().join("service");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    govbook()
        .args(["apply", "--today", TODAY, "--book"])
        .arg(book)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    let home = repo.join(HOME);
    let ignore = std::fs::read_to_string(home.join(".gitignore")).unwrap();
    assert!(
        ignore.contains("\n/*\n!/.gitignore\n!/*.config.toml\n"),
        "{ignore}"
    );
    let config = home.join("config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    assert!(text.ends_with("# govbook:end codex-config\n\n# Below the managed region: settings Codex writes for this machine\n# (trusted projects, plugins, notices). govbook apply never changes them,\n# and this file is not committed (see .gitignore beside it).\n[projects]\n"), "{text}");
    text.push_str("\n[projects.\"/src/service\"]\ntrust_level = \"trusted\"\n");
    std::fs::write(&config, &text).unwrap();
    std::fs::write(home.join("auth.json"), "{\"OPENAI_API_KEY\":\"x\"}").unwrap();
    let drift = govbook()
        .arg("drift")
        .arg(&repo)
        .arg("--manifest")
        .arg(&site)
        .assert()
        .success();
    let table = String::from_utf8_lossy(&drift.get_output().stdout).into_owned();
    assert!(
        table
            .lines()
            .any(|l| l.contains(".codex/home/config.toml") && l.contains("current")),
        "{table}"
    );
    // An edit inside the region is still caught.
    std::fs::write(&config, text.replace("read-only", "danger-full-access")).unwrap();
    govbook()
        .arg("drift")
        .arg(&repo)
        .arg("--manifest")
        .arg(&site)
        .assert()
        .code(1)
        .stdout(predicates::str::contains("modified"));
}
