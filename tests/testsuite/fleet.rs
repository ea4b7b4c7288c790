//! The fleet: the repository lock file, `drift --manifest URL` against a
//! local server, and how `apply` and `drift` behave across many
//! repositories and a version bump.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use predicates::prelude::*;

use crate::book_test::{BookTest, TODAY, govbook};
use crate::fs::edit_file as edit;

struct Fleet {
    _test: BookTest,
    book: PathBuf,
    root: PathBuf,
}

fn fleet() -> Fleet {
    let test = BookTest::from_fixture("minimal");
    Fleet {
        book: test.dir.clone(),
        root: test.scratch().to_path_buf(),
        _test: test,
    }
}

impl Fleet {
    fn repo(&self, name: &str) -> PathBuf {
        let r = self.root.join(name);
        std::fs::create_dir_all(r.join(".git")).unwrap();
        r
    }

    fn apply(&self, repo: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
        govbook()
            .args(["apply", "--today", TODAY, "--book"])
            .arg(&self.book)
            .arg("--repo")
            .arg(repo)
            .args(extra)
            .assert()
    }

    fn release(&self) {
        govbook()
            .args(["release", "-q", "--today", TODAY, "--notes", "n"])
            .arg(&self.book)
            .assert()
            .success();
    }

    /// Builds the site; returns its directory.
    fn build(&self) -> PathBuf {
        let out = self.root.join("site");
        govbook()
            .args(["build", "-q", "--today", TODAY, "-o"])
            .arg(&out)
            .arg(&self.book)
            .assert()
            .success();
        out
    }
}

fn drift(manifest: &str, paths: &[&Path]) -> (i32, serde_json::Value, String) {
    let out = govbook()
        .args([
            "drift",
            "--today",
            TODAY,
            "--format",
            "json",
            "--manifest",
            manifest,
        ])
        .args(paths)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap(), json, stderr)
}

#[test]
fn the_lock_file_records_the_choice_and_makes_drift_and_a_flagless_apply_right() {
    let f = fleet();
    let r = f.repo("payments-svc");
    f.apply(&r, &["--team", "payments"]).success();
    let lock = std::fs::read_to_string(r.join(".govbook.toml")).unwrap();
    assert!(lock.starts_with("# govbook:lock"), "{lock}");
    assert!(lock.contains("schema = \"govbook-lock/1\""), "{lock}");
    assert!(lock.contains("team = \"payments\""), "{lock}");
    assert!(lock.contains("version = \"1.0.0\""), "{lock}");
    assert!(lock.contains("title = \"Minimal handbook\""), "{lock}");
    // The book's path as seen from the repository: no URL in book.toml.
    assert!(lock.contains("manifest = \"../book\""), "{lock}");

    let site = f.build();
    let manifest = site.join("templates/manifest.json");
    // The team leaves out codex-profile-ci-exec: not missing.
    let (code, report, _) = drift(manifest.to_str().unwrap(), &[&r]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["missing"], serde_json::json!([]));
    assert_eq!(report["locks"][0]["team"], "payments");
    assert_eq!(report["locks"][0]["applied"], "1.0.0");
    assert_eq!(report["date"], TODAY);
    // A repository without the lock file is still told the team's set is
    // incomplete.
    let copy = f.repo("copy");
    f.apply(&copy, &["--team", "payments"]).success();
    std::fs::remove_file(copy.join(".govbook.toml")).unwrap();
    let (code, report, _) = drift(manifest.to_str().unwrap(), &[&copy]);
    assert_eq!(code, 1);
    assert_eq!(report["missing"][0]["artifact"], "codex-profile-ci-exec");

    // A later apply needs no flags: the team's variant stays.
    let before = std::fs::read_to_string(r.join("AGENTS.md")).unwrap();
    f.apply(&r, &[]).success().stderr(predicate::str::contains(
        "(team payments): changed 0 file(s)",
    ));
    assert_eq!(
        std::fs::read_to_string(r.join("AGENTS.md")).unwrap(),
        before
    );
    // Run from inside the repository, with the book found through the lock.
    govbook()
        .current_dir(&r)
        .args(["apply", "--today", TODAY, "--repo", "."])
        .assert()
        .success()
        .stderr(predicate::str::contains("changed 0 file(s)"));

    // --only is recorded too, and drift expects only those.
    let o = f.repo("docs-only");
    f.apply(&o, &["--only", "agents-md", "--only", "usage-policy"])
        .success();
    let lock = std::fs::read_to_string(o.join(".govbook.toml")).unwrap();
    assert!(
        lock.contains("only = [\"agents-md\", \"usage-policy\"]"),
        "{lock}"
    );
    let (code, report, _) = drift(manifest.to_str().unwrap(), &[&o]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["stamped"], 2);
    // Without --manifest, the lock file says where the manifest is: the
    // book's default build.
    govbook()
        .args(["build", "-q", "--today", TODAY])
        .arg(&f.book)
        .assert()
        .success();
    govbook()
        .current_dir(&o)
        .args(["drift", "."])
        .assert()
        .success()
        .stdout(predicate::str::contains("\nAGENTS.md "))
        .stdout(predicate::str::contains("./AGENTS.md").not());
}

#[test]
fn drift_help_names_every_status() {
    let out = govbook().args(["drift", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for status in [
        "current",
        "outdated",
        "modified",
        "unknown",
        "invalid",
        "missing",
        "unreadable",
    ] {
        assert!(help.contains(status), "{status}: {help}");
    }
    assert!(help.contains("github"), "{help}");
}

#[test]
fn a_damaged_lock_file_is_an_error_at_its_line_and_column() {
    let f = fleet();
    let r = f.repo("svc");
    f.apply(&r, &["--team", "payments"]).success();
    let lock = r.join(".govbook.toml");
    edit(&lock, "team = ", "teem = ");
    f.apply(&r, &[]).code(2).stderr(predicate::str::contains(
        ".govbook.toml:4:1: unknown field `teem`",
    ));
    std::fs::write(&lock, "schema = \"govbook-lock/1\"\nversion = 3\n").unwrap();
    f.apply(&r, &[])
        .code(2)
        .stderr(predicate::str::contains(".govbook.toml:2:11:"));
    // drift over many repositories keeps going, and says which file is bad.
    let site = f.build();
    let (code, report, _) = drift(site.join("templates").to_str().unwrap(), &[&r]);
    assert_eq!(code, 1);
    let bad = report["unreadable"][0][1].as_str().unwrap();
    assert!(bad.contains(".govbook.toml:2:11:"), "{bad}");
}

#[test]
fn apply_from_a_service_repository_without_a_book_advises_book() {
    let f = fleet();
    let r = f.repo("svc");
    govbook()
        .current_dir(&r)
        .args(["apply", "--today", TODAY, "--repo", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pass --book DIR"))
        .stderr(predicate::str::contains("govbook init").not());
}

#[test]
fn drift_reports_stamped_files_outside_git_repositories() {
    let f = fleet();
    let site = f.build();
    let fleet_dir = f.root.join("fleet");
    let git = fleet_dir.join("a");
    std::fs::create_dir_all(git.join(".git")).unwrap();
    f.apply(&git, &[]).success();
    // A plain copy (no .git, no lock file) with a stamped file.
    let plain = fleet_dir.join("b");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::copy(git.join("AGENTS.md"), plain.join("AGENTS.md")).unwrap();
    let (_, report, _) = drift(site.to_str().unwrap(), &[&fleet_dir]);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"b/AGENTS.md"), "{paths:?}");
    // A copy with a lock file and no .git is a repository of its own.
    let locked = fleet_dir.join("c");
    std::fs::create_dir_all(&locked).unwrap();
    f.apply(&locked, &[]).success();
    let (_, report, _) = drift(site.to_str().unwrap(), &[&fleet_dir]);
    assert_eq!(report["summary"]["repositories"], 2, "{report:#}");
}

#[test]
fn a_version_bump_rewrites_only_changed_text_warns_and_drift_calls_drafts_outdated() {
    let f = fleet();
    f.release();
    let r = f.repo("svc");
    f.apply(&r, &[]).success();
    let usage = std::fs::read_to_string(r.join("docs/codex/usage-policy.md")).unwrap();
    edit(
        &f.book.join("book.toml"),
        "version = \"1.0.0\"",
        "version = \"1.1.0\"",
    );
    // Unreleased: build and apply say so.
    govbook()
        .args(["build", "--today", TODAY, "-o"])
        .arg(f.root.join("site"))
        .arg(&f.book)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "[book] version 1.1.0 is not released yet",
        ));
    f.apply(&r, &[])
        .success()
        .stderr(predicate::str::contains("not released yet"))
        .stderr(predicate::str::contains("updated   AGENTS.md"))
        .stderr(predicate::str::contains("usage-policy").not());
    // The usage policy's text did not change: its file is as it was.
    assert_eq!(
        std::fs::read_to_string(r.join("docs/codex/usage-policy.md")).unwrap(),
        usage
    );
    // Now change the text without a release: the copy applied above is a
    // draft of 1.1.0, older than the current text, not "unknown".
    edit(
        &f.book.join("content/governance/policy.toml"),
        "title = \"Approved local models\"",
        "title = \"Approved local models only\"",
    );
    let site = f.build();
    let (code, report, _) = drift(site.to_str().unwrap(), &[&r]);
    assert_eq!(code, 1);
    let agents = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["path"] == "AGENTS.md")
        .unwrap();
    assert_eq!(agents["status"], "outdated", "{agents:#}");
    assert!(
        agents["detail"]
            .as_str()
            .unwrap()
            .contains("unreleased draft of 1.1.0"),
        "{agents:#}"
    );
    assert_eq!(report["summary"]["unknown"], 0);
}

/// A one-shot HTTP server on 127.0.0.1 answering every request with
/// `respond`; returns its base URL.
fn serve(respond: impl Fn(&mut std::net::TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            respond(&mut s);
        }
    });
    format!("http://127.0.0.1:{port}/templates/manifest.json")
}

fn answer(
    status: &'static str,
    body: Vec<u8>,
) -> impl Fn(&mut std::net::TcpStream) + Send + 'static {
    move |s| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = s.write_all(head.as_bytes());
        let _ = s.write_all(&body);
    }
}

#[test]
fn drift_fetches_the_published_manifest_and_fails_clearly() {
    let f = fleet();
    let r = f.repo("svc");
    f.apply(&r, &[]).success();
    let site = f.build();
    let manifest = std::fs::read(site.join("templates/manifest.json")).unwrap();

    let ok = serve(answer("200 OK", manifest));
    let (code, report, stderr) = drift(&ok, &[&r]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["summary"]["current"], 13);

    let fails = |url: &str, extra: &[&str], want: &str| {
        let out = govbook()
            .args(["drift", "--manifest", url])
            .args(extra)
            .arg(&r)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains(want), "{url}: {stderr}");
        assert!(out.stdout.is_empty());
    };
    fails(
        &serve(answer("404 Not Found", b"no".to_vec())),
        &[],
        "the server answered 404 Not Found",
    );
    fails(
        &serve(answer("200 OK", vec![b' '; 5 * 1024 * 1024])),
        &[],
        "too large for a manifest",
    );
    fails(
        &serve(answer("200 OK", b"{\"schema\": ".to_vec())),
        &[],
        "is not a govbook manifest",
    );
    let slow = serve(|s| {
        std::thread::sleep(Duration::from_secs(3));
        answer("200 OK", b"{}".to_vec())(s);
    });
    fails(&slow, &["--timeout", "1"], "no complete answer within 1 s");
    // Nothing listens there.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        format!("http://127.0.0.1:{port}/m.json")
    };
    fails(&closed, &[], "cannot fetch the manifest");
}

/// The `run:` blocks of a workflow, in order (block scalars only, as ours
/// has): each line indented past `run: |`, unindented.
fn run_blocks(yaml: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut lines = yaml.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(at) = line.find("run: |") else {
            continue;
        };
        let indent = line[..at].chars().count();
        let mut block = String::new();
        while let Some(next) = lines.peek() {
            let width = next.len() - next.trim_start().len();
            if !next.trim().is_empty() && width <= indent {
                break;
            }
            block.push_str(next.get(indent + 2..).unwrap_or("").trim_end());
            block.push('\n');
            lines.next();
        }
        blocks.push(block);
    }
    blocks
}

#[test]
fn the_ci_workflow_runs_drift_annotates_and_writes_the_report() {
    let f = fleet();
    edit(
        &f.book.join("book.toml"),
        "[baseline]",
        "[fleet]\nmanifest-url = \"http://127.0.0.1:9/templates/manifest.json\"\n\n[baseline]",
    );
    let r = f.repo("svc");
    f.apply(&r, &["--team", "payments"]).success();
    let workflow =
        std::fs::read_to_string(r.join(".github/workflows/codex-governance.yml")).unwrap();
    assert!(workflow.starts_with("# govbook:begin codex-governance-workflow"));
    assert!(workflow.contains("GOVBOOK_MANIFEST: \"http://127.0.0.1:9/templates/manifest.json\""));
    assert!(workflow.contains("uses: actions/upload-artifact@v4"));
    let lock = std::fs::read_to_string(r.join(".govbook.toml")).unwrap();
    assert!(lock.contains("manifest = \"http://127.0.0.1:9/templates/manifest.json\""));
    let blocks = run_blocks(&workflow);
    assert_eq!(blocks.len(), 3, "{blocks:?}");

    let site = f.build();
    let manifest = std::fs::read(site.join("templates/manifest.json")).unwrap();
    let url = serve(answer("200 OK", manifest));
    // An edited region for the annotations to point at.
    edit(
        &r.join("docs/codex/usage-policy.md"),
        "# Usage policy",
        "# Usage policy (ours)",
    );
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_govbook"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let step = |i: usize| {
        std::process::Command::new("bash")
            .args(["-e", "-c", &blocks[i]])
            .current_dir(&r)
            .env("PATH", &path)
            .env("GOVBOOK_MANIFEST", &url)
            .env("GOVBOOK_VERSION", "")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let install = step(0);
    assert!(install.status.success(), "{install:?}");
    assert!(String::from_utf8_lossy(&install.stdout).starts_with("govbook "));
    // Drift found a modified file: the report step still succeeds.
    let report = step(1);
    assert!(report.status.success(), "{report:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(r.join("govbook-drift.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["modified"], 1, "{json:#}");
    assert_eq!(json["summary"]["missing"], 0, "{json:#}");
    assert_eq!(json["locks"][0]["team"], "payments");
    // The annotation step fails the job and names the file from the root.
    let annotate = step(2);
    assert_eq!(annotate.status.code(), Some(1), "{annotate:?}");
    let out = String::from_utf8_lossy(&annotate.stdout);
    assert!(
        out.contains("::error file=docs/codex/usage-policy.md,line=1,title=govbook drift%3A modified::usage-policy: modified"),
        "{out}"
    );
    // A manifest that cannot be fetched fails the report step (exit 2).
    let broken = std::process::Command::new("bash")
        .args(["-e", "-c", &blocks[1]])
        .current_dir(&r)
        .env("PATH", &path)
        .env("GOVBOOK_MANIFEST", "http://127.0.0.1:9/nothing.json")
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(2), "{broken:?}");
}

#[test]
#[ignore = "needs actionlint (installed by .ci/run into target/tools/venv)"]
fn actionlint_passes_on_the_workflow() {
    let f = fleet();
    let r = f.repo("svc");
    f.apply(&r, &[]).success();
    let venv = crate::book_test::repo_root().join("target/tools/venv/bin");
    let actionlint = venv.join("actionlint");
    assert!(actionlint.is_file(), "{} is missing", actionlint.display());
    // shellcheck (from the same venv) checks the run: scripts too.
    let path = format!(
        "{}:{}",
        venv.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new(&actionlint)
        .args(["-verbose", ".github/workflows/codex-governance.yml"])
        .current_dir(&r)
        .env("PATH", path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{}{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.contains("Found total 0 errors"), "{stderr}");
    assert!(
        !stderr.contains("Rule \"shellcheck\" was disabled"),
        "{stderr}"
    );
}

#[test]
fn one_edit_after_a_release_is_one_gb412_at_the_version_to_bump() {
    let f = fleet();
    f.release();
    edit(
        &f.book.join("content/governance/policy.toml"),
        "title = \"Approved local models\"",
        "title = \"Approved local models only\"",
    );
    let diags = crate::book_test::check_at(&f.book);
    let gb412: Vec<_> = diags
        .items
        .iter()
        .filter(|d| d["code"] == "GB412")
        .collect();
    assert_eq!(gb412.len(), 1, "{diags}");
    assert!(diags.has_at("GB412", "book.toml", 4), "{diags}");
    let msg = gb412[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("changed: agents-md, agents-md/payments")
            && msg.contains("content/governance/releases.toml"),
        "{msg}"
    );
}

#[test]
fn bad_fleet_reports_are_errors_at_their_line_and_column() {
    let f = fleet();
    edit(
        &f.book.join("book.toml"),
        "[baseline]",
        "[fleet]\nreports = \"fleet\"\n\n[baseline]",
    );
    let dir = f.book.join("fleet");
    std::fs::create_dir_all(&dir).unwrap();
    let good =
        std::fs::read_to_string(crate::book_test::fixture("fleet-reports/web.json")).unwrap();
    std::fs::write(dir.join("good.json"), &good).unwrap();
    // Cut off inside the third line.
    let cut: String = good.lines().take(3).collect::<Vec<_>>().join("\n");
    std::fs::write(dir.join("cut.json"), &cut).unwrap();
    std::fs::write(
        dir.join("extra.json"),
        good.replacen("\"files\": [", "\"evil\": 1,\n  \"files\": [", 1),
    )
    .unwrap();
    std::fs::write(
        dir.join("date.json"),
        good.replacen("\"2026-11-20\"", "\"yesterday\"", 1),
    )
    .unwrap();
    std::fs::write(dir.join("huge.json"), vec![b' '; 1024 * 1024 + 1]).unwrap();
    let diags = crate::book_test::check_at(&f.book);
    let at = |file: &str| -> Vec<String> {
        diags
            .items
            .iter()
            .filter(|d| d["code"] == "GB430" && d["file"] == file)
            .map(|d| format!("{}:{}:{}", d["line"], d["column"], d["message"]))
            .collect()
    };
    let cut_d = at("fleet/cut.json");
    assert_eq!(cut_d.len(), 1, "{diags}");
    assert!(cut_d[0].starts_with("3:"), "{cut_d:?}");
    let extra = at("fleet/extra.json");
    assert!(extra[0].contains("unknown field `evil`"), "{extra:?}");
    assert!(extra[0].starts_with("3:"), "{extra:?}");
    let date = at("fleet/date.json");
    assert!(date[0].contains("not a date"), "{date:?}");
    let huge = at("fleet/huge.json");
    assert_eq!(huge.len(), 1, "{diags}");
    assert!(at("fleet/good.json").is_empty());
    assert_eq!(diags.code, Some(1));
    // And build writes nothing.
    govbook()
        .args(["build", "-q", "--today", TODAY])
        .arg(&f.book)
        .assert()
        .code(1);
    assert!(!f.book.join("book").exists());
}

/// The "done when", scaled by GOVBOOK_FLEET_REPOS (default 30; the
/// report's run used 200): repositories across three teams, some with
/// `--team`, some with `--only`, some edited, some left outdated; drift
/// from the served manifest; flagless apply; the Fleet page.
#[test]
fn a_scratch_fleet_end_to_end() {
    let n: usize = std::env::var("GOVBOOK_FLEET_REPOS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let f = fleet();
    f.release();
    let fleet_dir = f.root.join("fleet");
    let repo = |i: usize| fleet_dir.join(format!("r{i:03}"));
    let flags = |i: usize| -> Vec<&'static str> {
        match i % 3 {
            0 => vec!["--team", "payments"],
            1 => vec![
                "--team",
                "platform",
                "--only",
                "agents-md",
                "--only",
                "usage-policy",
                "--only",
                "codex-governance-workflow",
            ],
            _ => vec![],
        }
    };
    for i in 0..n {
        std::fs::create_dir_all(repo(i).join(".git")).unwrap();
        f.apply(&repo(i), &flags(i)).success();
    }
    // Local edits inside a managed region in every fifth repository.
    let edited = |i: usize| i.is_multiple_of(5);
    for i in (0..n).filter(|&i| edited(i)) {
        edit(
            &repo(i).join("docs/codex/usage-policy.md"),
            "# Usage policy",
            "# Usage policy (edited here)",
        );
    }
    // The handbook moves on to 1.1.0.
    edit(
        &f.book.join("content/governance/policy.toml"),
        "title = \"Approved local models\"",
        "title = \"Approved local models only\"",
    );
    edit(
        &f.book.join("book.toml"),
        "version = \"1.0.0\"",
        "version = \"1.1.0\"",
    );
    f.release();
    // Half the fleet updates, with no flags: the lock files say what.
    let updated = |i: usize| i.is_multiple_of(2);
    for i in (0..n).filter(|&i| updated(i)) {
        let ran = f.apply(&repo(i), &[]);
        if edited(i) {
            ran.code(1);
        } else {
            ran.success();
        }
        let lock = std::fs::read_to_string(repo(i).join(".govbook.toml")).unwrap();
        if i % 3 == 0 {
            assert!(lock.contains("team = \"payments\""), "{lock}");
            let agents = std::fs::read_to_string(repo(i).join("AGENTS.md")).unwrap();
            assert!(
                agents.contains("team=payments"),
                "r{i}: the team's variant stays"
            );
        }
        if i % 3 == 1 {
            assert!(!repo(i).join("docs/codex/cloud-task-policy.md").exists());
        }
    }
    let site = f.build();
    let manifest = std::fs::read(site.join("templates/manifest.json")).unwrap();
    let url = serve(answer("200 OK", manifest));
    let (code, report, stderr) = drift(&url, &[&fleet_dir]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["summary"]["repositories"], n);
    assert_eq!(
        report["summary"]["missing"], 0,
        "the locks say what is expected"
    );
    assert_eq!(report["summary"]["unknown"], 0);
    let expected = |i: usize| -> &'static str {
        if edited(i) {
            "modified"
        } else if updated(i) {
            "current"
        } else {
            "outdated"
        }
    };
    for i in 0..n {
        let name = repo(i).display().to_string();
        let statuses: Vec<&str> = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["repo"] == name.as_str())
            .map(|x| x["status"].as_str().unwrap())
            .collect();
        let worst = if statuses.contains(&"modified") {
            "modified"
        } else if statuses.contains(&"outdated") {
            "outdated"
        } else {
            "current"
        };
        assert_eq!(worst, expected(i), "r{i}: {statuses:?}");
    }
    // The Fleet page, from the report as CI would collect it.
    let reports = f.book.join("fleet-reports");
    std::fs::create_dir_all(&reports).unwrap();
    let text = serde_json::to_string(&report).unwrap();
    std::fs::write(reports.join("central.json"), text).unwrap();
    edit(
        &f.book.join("book.toml"),
        "[baseline]",
        "[fleet]\nreports = \"fleet-reports\"\n\n[baseline]",
    );
    let site = f.build();
    let page = std::fs::read_to_string(site.join("governance/fleet.html")).unwrap();
    let prefix = fleet_dir.display().to_string();
    for i in 0..n {
        let name = format!("central/{}/r{i:03}", prefix.trim_start_matches('/'));
        let at = page
            .find(&format!("<th scope=\"row\">{name}</th>"))
            .unwrap_or_else(|| panic!("r{i} ({name}) is on the Fleet page"));
        let badge = &page[at..][page[at..].find("badge-drift-").unwrap() + 12..];
        let status = &badge[..badge.find('"').unwrap()];
        assert_eq!(status, expected(i), "r{i} on the Fleet page");
    }
}
