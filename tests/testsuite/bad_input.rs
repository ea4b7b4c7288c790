//! Bad input: every case under `tests/fixtures/bad/` is the minimal fixture
//! book with some files replaced, removed or turned into directories, and the
//! diagnostics `govbook check` must report (code, file, line, column).
//!
//! Every expected diagnostic must be reported, and no error with a code the
//! case does not expect: one mistake gives one report, not a cascade.
//!
//! A case directory holds `case.toml` and an optional `files/` overlay:
//!
//! ```toml
//! description = "sandbox_mode is not a Codex value"
//! remove = ["content/governance/policy.toml"]   # optional
//! mkdir = ["content/governance/policy.toml"]    # optional, after remove
//! exit = 1                                      # optional, default 1
//! [[expect]]
//! code = "GB303"
//! file = "content/governance/profiles.toml"
//! line = 12
//! column = 16                                   # optional
//! ```

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    mkdir: Vec<String>,
    #[serde(default = "one")]
    exit: i32,
    #[serde(default)]
    expect: Vec<Expect>,
}

fn one() -> i32 {
    1
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Builds the case's book in a scratch directory and returns its root.
fn materialize(case_dir: &Path, case: &Case, scratch: &Path) -> PathBuf {
    let root = scratch.join("book");
    copy_tree(&fixtures().join("minimal"), &root);
    for r in &case.remove {
        let p = root.join(r);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            std::fs::remove_file(&p).unwrap();
        }
    }
    for d in &case.mkdir {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    let overlay = case_dir.join("files");
    if overlay.is_dir() {
        copy_tree(&overlay, &root);
    }
    root
}

#[test]
fn every_bad_input_case_reports_its_code_and_place() {
    let dir = fixtures().join("bad");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "only {} bad-input cases", cases.len());
    let mut failures = Vec::new();
    for case_dir in &cases {
        let name = case_dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(case_dir.join("case.toml")).unwrap();
        let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        let scratch = tempfile::tempdir().unwrap();
        let root = materialize(case_dir, &case, scratch.path());
        let out = Command::cargo_bin("govbook")
            .unwrap()
            .args(["check", "--format", "json", "--today", "2026-11-24"])
            .arg(&root)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let diags: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("{name}: bad JSON line {l:?}: {e}"))
            })
            .collect();
        let code = out.status.code();
        if code != Some(case.exit) || stderr.contains("panicked") {
            failures.push(format!(
                "{name} ({}): exit {code:?}, wanted {}\n{stdout}{stderr}",
                case.description, case.exit
            ));
            continue;
        }
        if case.exit == 0 && diags.iter().any(|d| d["severity"] == "error") {
            failures.push(format!("{name}: expected no errors, got\n{stdout}"));
        }
        for e in &case.expect {
            let found = diags.iter().any(|d| {
                d["code"] == e.code.as_str()
                    && e.file.as_ref().is_none_or(|f| d["file"] == f.as_str())
                    && e.line.is_none_or(|l| d["line"] == l)
                    && e.column.is_none_or(|c| d["column"] == c)
            });
            if !found {
                failures.push(format!(
                    "{name} ({}): missing {e:?} in\n{stdout}",
                    case.description
                ));
            }
        }
        // No error beyond the expected codes: one mistake, one report, not a
        // cascade of follow-on errors.
        for d in diags.iter().filter(|d| d["severity"] == "error") {
            if !case.expect.iter().any(|e| d["code"] == e.code.as_str()) {
                failures.push(format!(
                    "{name} ({}): unexpected error {d}",
                    case.description
                ));
            }
        }
        // Whatever else is reported, every diagnostic names a file.
        for d in &diags {
            if d["file"].is_null() {
                failures.push(format!("{name}: diagnostic without a file: {d}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
