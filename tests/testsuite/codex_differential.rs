//! Differential test against the real Codex CLI 0.139.0: every mutation in
//! `tests/fixtures/codex-mutations.toml` is loaded by Codex with
//! `--strict-config` and checked by `govbook check`. Whatever Codex refuses,
//! govbook must refuse, at a line of profiles.toml. govbook may refuse more
//! only where the mutation says why (`stricter`), and such a note must stay
//! true: Codex still loads that mutation and govbook still refuses it.
//!
//! Ignored by `cargo test` (it needs the Codex binary); `.ci/run` runs it with
//! `--ignored`. The binary: `GOVBOOK_CODEX`, or by default
//! `target/tools/node_modules/.bin/codex`. A missing binary is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::book_test::TODAY;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    mutation: Vec<Mutation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutation {
    name: String,
    #[serde(default = "profile")]
    layer: String,
    stricter: Option<String>,
    toml: String,
}

fn profile() -> String {
    "profile".into()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn codex() -> PathBuf {
    let path = std::env::var_os("GOVBOOK_CODEX")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/tools/node_modules/.bin/codex"));
    assert!(
        path.exists(),
        "{} not found: run .ci/run, or set GOVBOOK_CODEX",
        path.display()
    );
    path
}

/// The name of the profile a mutation lands in: the fixture book's owners
/// narrow a team to it, so it must exist.
const PROFILE: &str = "standard";
const PERMISSIONS: &str = "team";

/// Codes of govbook's own policy (risk exceptions, the model policy): a
/// recorded exception or a policy change lifts them, so they never count as
/// agreeing with a Codex refusal.
const POLICY_CODES: &[&str] = &["GB307", "GB309", "GB310", "GB311"];

/// Moves a snippet's table headers under `prefix` (`[a.b]` → `[prefix.a.b]`),
/// or renames the `[permissions.team]` header to the entry's `config`.
fn rehome(snippet: &str, prefix: &str, permissions: bool) -> String {
    let mut out = String::new();
    for line in snippet.lines() {
        let t = line.trim();
        let (open, close) = if t.starts_with("[[") {
            ("[[", "]]")
        } else if t.starts_with('[') {
            ("[", "]")
        } else {
            ("", "")
        };
        if open.is_empty() {
            out.push_str(line);
        } else {
            let inner = &t[open.len()..t.len() - close.len()];
            let inner = if permissions {
                let team = format!("permissions.{PERMISSIONS}");
                inner.replacen(&team, "permissions.config", 1)
            } else {
                format!("{prefix}.{inner}")
            };
            out.push_str(&format!("{open}{inner}{close}"));
        }
        out.push('\n');
    }
    out
}

/// The three Codex files (base, profile) for a mutation.
fn codex_files(m: &Mutation) -> (String, String) {
    let mut base = String::from("model = \"gpt-5-codex\"\n");
    // Empty but present: a mutation may set any profile key.
    let mut prof = String::new();
    match m.layer.as_str() {
        "base" => base.push_str(&m.toml),
        "permissions" => {
            base.push_str(&format!("default_permissions = \"{PERMISSIONS}\"\n"));
            base.push_str(&m.toml);
        }
        _ => prof.push_str(&m.toml),
    }
    (base, prof)
}

fn profiles_toml(m: &Mutation) -> String {
    let mut s = String::from(
        "owner = \"platform\"\nreviewed = 2026-11-01\n\n[base]\ndescription = \"Base config.\"\n\n[base.config]\nmodel = \"gpt-5-codex\"\n",
    );
    match m.layer.as_str() {
        "base" => s.push_str(&rehome(&m.toml, "base.config", false)),
        "permissions" => {
            s.push_str(&format!("default_permissions = \"{PERMISSIONS}\"\n"));
        }
        _ => {}
    }
    if m.layer == "permissions" {
        s.push_str(&format!("\n[[permissions]]\nname = \"{PERMISSIONS}\"\n\n"));
        s.push_str(&rehome(&m.toml, "", true));
    }
    s.push_str(&format!(
        "\n[[profile]]\nname = \"{PROFILE}\"\ntitle = \"Standard\"\ndescription = \"The mutation target.\"\n\n[profile.config]\n"
    ));
    if m.layer == "profile" {
        s.push_str(&rehome(&m.toml, "profile.config", false));
    }
    s
}

/// Whether Codex loads the files, and its first error line when not.
fn codex_loads(codex: &Path, m: &Mutation, scratch: &Path) -> Result<(), String> {
    let home = scratch.join("home");
    let work = scratch.join("work");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let (base, prof) = codex_files(m);
    std::fs::write(home.join("config.toml"), base).unwrap();
    std::fs::write(home.join(format!("{PROFILE}.config.toml")), prof).unwrap();
    let run = |args: &[&str]| {
        Command::new(codex)
            .args(args)
            .env("CODEX_HOME", &home)
            .env("RUST_BACKTRACE", "0")
            .current_dir(&work)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    // `exec` puts the message on the line after "Error loading config.toml:".
    let first_error = |s: &str| {
        let mut lines = s.lines().skip_while(|l| !l.contains("rror"));
        let first = lines.next().unwrap_or("").trim();
        match lines.next() {
            Some(next) if first.ends_with(':') => format!("{first} {}", next.trim()),
            _ => first.to_owned(),
        }
    };
    // Loads base + profile with --strict-config, then stops for want of a
    // prompt: no model call, no network.
    let out = run(&[
        "exec",
        "-p",
        PROFILE,
        "--strict-config",
        "--skip-git-repo-check",
        "--ephemeral",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    if !err.contains("No prompt provided") {
        return Err(first_error(&err));
    }
    // A permissions profile must also resolve where it is named directly.
    if m.layer == "permissions" {
        let out = run(&["sandbox", "-p", PROFILE, "-P", PERMISSIONS, "--", "true"]);
        if !out.status.success() {
            return Err(first_error(&String::from_utf8_lossy(&out.stderr)));
        }
    }
    Ok(())
}

/// govbook's errors for the mutated book: (code, line) of each.
fn govbook_errors(m: &Mutation, scratch: &Path) -> Vec<(String, u64, String)> {
    let book = scratch.join("book");
    crate::fs::copy_tree(&root().join("tests/fixtures/minimal"), &book);
    std::fs::write(
        book.join("content/governance/profiles.toml"),
        profiles_toml(m),
    )
    .unwrap();
    // Inside the book, so diagnostics name files from its root.
    let out = Command::new(env!("CARGO_BIN_EXE_govbook"))
        .args(["check", "--format", "json", "--today", TODAY, "."])
        .current_dir(&book)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{}: govbook panicked:\n{stderr}",
        m.name
    );
    let errors: Vec<(String, u64, String)> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            assert_eq!(
                d["file"], "content/governance/profiles.toml",
                "{}: an error outside profiles.toml: {d}",
                m.name
            );
            (
                d["code"].as_str().unwrap_or("").to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        out.status.code(),
        Some(if errors.is_empty() { 0 } else { 1 }),
        "{}: exit status does not match the errors:\n{stdout}{stderr}",
        m.name
    );
    errors
}

#[test]
#[ignore = "needs the real Codex CLI (installed by .ci/run)"]
fn govbook_refuses_everything_codex_refuses() {
    let codex = codex();
    let text = std::fs::read_to_string(root().join("tests/fixtures/codex-mutations.toml")).unwrap();
    let corpus: Corpus = toml::from_str(&text).unwrap();
    assert!(
        corpus.mutation.len() >= 150,
        "only {} mutations",
        corpus.mutation.len()
    );
    let mut matrix = [[0usize; 2]; 2]; // [codex rejects][govbook rejects]
    let mut failures = Vec::new();
    for m in &corpus.mutation {
        let scratch = tempfile::tempdir().unwrap();
        let codex_result = codex_loads(&codex, m, scratch.path());
        let errors = govbook_errors(m, scratch.path());
        let (c, g) = (codex_result.is_err(), !errors.is_empty());
        matrix[c as usize][g as usize] += 1;
        let first = errors
            .first()
            .map(|(code, line, msg)| format!("{code} at line {line}: {msg}"))
            .unwrap_or_default();
        if g && errors.iter().any(|(_, line, _)| *line == 0) {
            failures.push(format!("{}: an error without a line: {errors:?}", m.name));
        }
        // Codex's refusal must be matched by a schema or Codex-rule error,
        // not only by the risk policy: an exception would lift that one.
        let policy_only = errors
            .iter()
            .all(|(code, _, _)| POLICY_CODES.contains(&code.as_str()));
        if c && g && policy_only {
            failures.push(format!(
                "{}: Codex refuses it ({}) but govbook only reports policy errors: {first}",
                m.name,
                codex_result.as_ref().unwrap_err()
            ));
        }
        match (c, g, &m.stricter) {
            (true, false, _) => failures.push(format!(
                "{}: Codex refuses it ({}) but govbook accepts it",
                m.name,
                codex_result.unwrap_err()
            )),
            (true, true, Some(_)) => failures.push(format!(
                "{}: marked stricter, but Codex refuses it too ({})",
                m.name,
                codex_result.unwrap_err()
            )),
            (false, true, None) => failures.push(format!(
                "{}: govbook refuses what Codex loads, without a `stricter` reason: {first}",
                m.name
            )),
            (false, false, Some(_)) => failures.push(format!(
                "{}: marked stricter, but govbook accepts it",
                m.name
            )),
            _ => {}
        }
        println!(
            "{:<6} {:<6} {}{}",
            if c { "REJECT" } else { "load" },
            if g { "REJECT" } else { "ok" },
            m.name,
            if g {
                format!("  [{first}]")
            } else {
                String::new()
            }
        );
    }
    println!(
        "\n{} mutations        govbook rejects  govbook accepts\n\
         codex rejects      {:>15}  {:>15}\n\
         codex loads        {:>15}  {:>15}",
        corpus.mutation.len(),
        matrix[1][1],
        matrix[1][0],
        matrix[0][1],
        matrix[0][0]
    );
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
