//! `govbook doctor` believes only answers that Codex alone gives: against
//! stand-in programs written here (no real Codex needed) every config check
//! fails. The real Codex passing is in `tests/codex_layout.rs` (ignored).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::book_test::{TODAY, govbook};

/// The bundled handbook's checks: the version, the base config, two per
/// profile (four profiles) and one per permissions profile (two).
const CHECKS: usize = 12;

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Runs doctor against `codex`; returns its exit code and stdout lines.
fn doctor(codex: &Path, quiet: bool) -> (i32, Vec<String>) {
    let mut cmd = govbook();
    if quiet {
        cmd.arg("-q");
    }
    let out = cmd
        .args(["doctor", "--today", TODAY, "--codex"])
        .arg(codex)
        .arg(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    (out.status.code().unwrap(), lines)
}

#[test]
fn stand_ins_fail_every_check() {
    let tmp = tempfile::tempdir().unwrap();
    let version_only = script(tmp.path(), "version-only", "echo 'codex-cli 0.139.0'");
    // Reads a request and answers in Codex's shape, without being Codex.
    let mimic = script(
        tmp.path(),
        "mimic",
        "read -r _; echo 'codex-cli 0.139.0 No prompt provided'; echo '{\"id\":1,\"result\":{}}'",
    );
    for (codex, passing) in [
        (PathBuf::from("/bin/true"), 0),
        (PathBuf::from("/bin/false"), 0),
        (version_only, 1),
        (mimic, 0),
    ] {
        let (code, lines) = doctor(&codex, false);
        assert_eq!(code, 1, "{}: {lines:#?}", codex.display());
        assert_eq!(lines.len(), CHECKS, "{lines:#?}");
        let ok = lines.iter().filter(|l| l.starts_with("ok ")).count();
        assert_eq!(ok, passing, "{}: {lines:#?}", codex.display());
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("FAIL ")).count(),
            CHECKS - passing
        );
        for l in lines.iter().filter(|l| l.starts_with("FAIL ")) {
            assert!(!l.contains("WARNING: proceeding"), "{l}");
        }
    }
}

#[test]
fn quiet_prints_only_failures() {
    let tmp = tempfile::tempdir().unwrap();
    let version_only = script(tmp.path(), "version-only", "echo 'codex-cli 0.139.0'");
    let (code, lines) = doctor(&version_only, true);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), CHECKS - 1, "{lines:#?}");
    assert!(lines.iter().all(|l| l.starts_with("FAIL ")), "{lines:#?}");
}

#[test]
fn a_missing_codex_says_how_to_get_one() {
    let tmp = tempfile::tempdir().unwrap();
    govbook()
        .args(["doctor", "--today", TODAY, "--codex"])
        .arg(tmp.path().join("no-codex-here"))
        .arg(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "install the pinned Codex CLI with `npm install -g @openai/codex@0.139.0`",
        ));
}
