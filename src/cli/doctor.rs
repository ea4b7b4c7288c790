//! `govbook doctor`: "verify the pinned CLI baseline before changing shared
//! runbooks", as a command. It asks the real Codex binary (named with
//! `--codex`, never by the sources) for its version, then has it load the
//! generated config files in a scratch `CODEX_HOME`, using only offline
//! commands (no model call, no login, no network).
//!
//! A check passes only on an answer that Codex alone gives: the version
//! line, the effective settings it reports back, a marker printed from inside
//! its sandbox. An exit code alone proves nothing: `/bin/true` exits 0.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Cli;
use crate::check::CheckOptions;
use crate::failure::{Failure, failed, usage};
use crate::pipeline;

/// How long one Codex command may take.
const LIMIT: Duration = Duration::from_secs(60);

/// Printed from inside the sandbox: only a command that really ran there
/// prints it.
const MARK: &str = "govbook-doctor-sandbox";

/// The outcome of one process run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Where the checks run: a scratch Codex home with the generated files, and
/// an empty working directory.
struct Scratch {
    _dir: tempfile::TempDir,
    home: PathBuf,
    work: PathBuf,
}

/// What the handbook says Codex must answer.
struct Expect {
    baseline: String,
    /// Top-level values of the base config.
    base: toml::Table,
    /// Each profile: name, effective `sandbox_mode`, effective `approval_policy`.
    profiles: Vec<(String, String, String)>,
    /// Each permissions profile: name, `extends`.
    permissions: Vec<(String, String)>,
}

/// Prints check results and counts failures.
struct Report {
    quiet: bool,
    failures: usize,
}

impl Report {
    fn record(&mut self, what: &str, result: Result<(), String>) {
        match result {
            Ok(()) if !self.quiet => super::out(&format!("ok   {what}\n")),
            Ok(()) => {}
            Err(detail) => {
                self.failures += 1;
                super::out(&format!("FAIL {what}: {detail}\n"));
            }
        }
    }
}

fn spawn(program: &Path, args: &[&str], scratch: &Scratch, stdin: Stdio) -> Result<Child, String> {
    Command::new(program)
        .args(args)
        .env("CODEX_HOME", &scratch.home)
        .env("RUST_BACKTRACE", "0")
        .current_dir(&scratch.work)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))
}

fn drain<R: Read + Send + 'static>(r: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut r) = r {
            let _ = r.read_to_string(&mut s);
        }
        s
    })
}

/// Waits for `child` until `deadline`, then kills it.
fn finish(mut child: Child, deadline: Instant) -> Result<Option<i32>, String> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status.code()),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(None);
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Runs `program args` with stdin closed, killing it after [`LIMIT`].
fn run(program: &Path, args: &[&str], scratch: &Scratch) -> Result<Run, String> {
    let mut child = spawn(program, args, scratch, Stdio::null())?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let code = finish(child, Instant::now() + LIMIT)?;
    Ok(Run {
        code,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

/// Sends JSON-RPC `requests` to `codex app-server` over stdio and keeps its
/// input open until the response with id `last` arrives: on end of input it
/// may exit before it answers.
fn app_server(
    program: &Path,
    scratch: &Scratch,
    requests: &[Value],
    last: u64,
) -> Result<(Vec<Value>, Run), String> {
    let args = ["app-server", "--strict-config"];
    let mut child = spawn(program, &args, scratch, Stdio::piped())?;
    let mut input = child.stdin.take();
    if let Some(w) = input.as_mut() {
        for r in requests {
            // A stand-in that never reads its input closes the pipe: its
            // (missing) answer is what fails the check.
            let _ = writeln!(w, "{r}");
        }
    }
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        if let Some(out) = stdout {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                all.push_str(&line);
                all.push('\n');
                let _ = tx.send(line);
            }
        }
        all
    });
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + LIMIT;
    let mut answers = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(line) = rx.recv_timeout(left) else {
            break;
        };
        if let Ok(v) = serde_json::from_str::<Value>(&line)
            && v.get("id").is_some()
        {
            let done = v["id"] == last;
            answers.push(v);
            if done {
                break;
            }
        }
    }
    drop(input);
    let code = finish(child, Instant::now() + Duration::from_secs(10))?;
    let run = Run {
        code,
        stdout: reader.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    };
    Ok((answers, run))
}

/// Codex's error, not its harmless warnings (PATH aliases under a temporary
/// directory, the bundled bubblewrap).
fn error_line(r: &Run) -> String {
    let noise = |l: &str| {
        l.starts_with("WARNING: proceeding")
            || l.contains("could not find bubblewrap")
            || l.trim().is_empty()
    };
    let lines: Vec<&str> = r
        .stderr
        .lines()
        .map(str::trim)
        .filter(|l| !noise(l))
        .collect();
    let line = lines
        .iter()
        .find(|l| l.to_ascii_lowercase().contains("error"))
        .or(lines.first())
        .copied();
    match (line, r.code) {
        (Some(l), _) => l.to_owned(),
        (None, Some(c)) => format!("exit code {c}, no message"),
        (None, None) => "no answer within the time limit; killed".into(),
    }
}

fn check_version(r: &Run, want: &str) -> Result<(), String> {
    let found = r.stdout.trim();
    if found == want {
        Ok(())
    } else {
        let first = found.lines().next().unwrap_or("");
        Err(format!("found `{first}`"))
    }
}

/// The base config loads strictly, and Codex reports its values back.
fn check_base(codex: &Path, scratch: &Scratch, expect: &Expect) -> Result<(), String> {
    let requests = [
        serde_json::json!({"id": 1, "method": "initialize",
            "params": {"clientInfo": {"name": "govbook-doctor", "version": "0"}}}),
        serde_json::json!({"method": "initialized"}),
        serde_json::json!({"id": 2, "method": "config/read", "params": {}}),
    ];
    let (answers, run) = app_server(codex, scratch, &requests, 2)?;
    let answer = |id: u64| answers.iter().find(|a| a["id"] == id);
    let Some(init) = answer(1) else {
        return Err(format!("no answer to initialize: {}", error_line(&run)));
    };
    let agent = init["result"]["userAgent"].as_str().unwrap_or("");
    if !agent.starts_with(&format!("govbook-doctor/{} ", expect.baseline)) {
        return Err(format!("initialize answered `{init}`"));
    }
    let Some(config) = answer(2).map(|a| &a["result"]["config"]) else {
        return Err(format!("no answer to config/read: {}", error_line(&run)));
    };
    for (key, value) in &expect.base {
        if value.is_table() {
            continue;
        }
        let want = serde_json::to_value(value).map_err(|e| e.to_string())?;
        if config.get(key) != Some(&want) {
            let got = config.get(key).map_or("nothing".into(), Value::to_string);
            return Err(format!(
                "Codex reports {key} = {got}, the base config says {want}"
            ));
        }
    }
    Ok(())
}

fn check_profile_strict(codex: &Path, scratch: &Scratch, name: &str) -> Result<(), String> {
    let args = [
        "exec",
        "-p",
        name,
        "--strict-config",
        "--skip-git-repo-check",
        "--ephemeral",
    ];
    let r = run(codex, &args, scratch)?;
    // With no prompt, `codex exec` stops right after loading the config.
    if r.stderr.contains("No prompt provided") {
        Ok(())
    } else {
        Err(error_line(&r))
    }
}

/// The effective sandbox and approval policy, as Codex tells the model.
fn check_profile_values(
    codex: &Path,
    scratch: &Scratch,
    (name, sandbox, approval): &(String, String, String),
) -> Result<(), String> {
    let r = run(codex, &["-p", name, "debug", "prompt-input"], scratch)?;
    if serde_json::from_str::<Value>(&r.stdout).is_err() {
        return Err(error_line(&r));
    }
    let sandbox_line = format!("`sandbox_mode` is `{sandbox}`");
    if !r.stdout.contains(&sandbox_line) {
        return Err(format!("Codex does not report {sandbox_line}"));
    }
    let never = "Approval policy is currently never";
    if (approval == "never") != r.stdout.contains(never) {
        return Err(format!(
            "Codex does not apply approval_policy = \"{approval}\""
        ));
    }
    Ok(())
}

/// The sandbox starts with the permissions profile and enforces what it
/// extends: `:read-only` refuses a write to the working directory,
/// `:workspace` allows it.
fn check_permissions(
    codex: &Path,
    scratch: &Scratch,
    (name, extends): &(String, String),
) -> Result<(), String> {
    let probe = format!(
        "echo {MARK}-ran; if : > .govbook-doctor-probe 2>/dev/null; then echo {MARK}-wrote; fi"
    );
    let r = run(
        codex,
        &["sandbox", "-P", name, "--", "sh", "-c", &probe],
        scratch,
    )?;
    let _ = std::fs::remove_file(scratch.work.join(".govbook-doctor-probe"));
    if !r.stdout.contains(&format!("{MARK}-ran")) {
        return Err(error_line(&r));
    }
    let wrote = r.stdout.contains(&format!("{MARK}-wrote"));
    match extends.as_str() {
        ":read-only" if wrote => Err("the sandbox allowed a write (extends :read-only)".into()),
        ":workspace" if !wrote => {
            Err("the sandbox refused a write to the workspace (extends :workspace)".into())
        }
        _ => Ok(()),
    }
}

/// What the handbook's profiles say Codex must report.
fn expectations(checked: &pipeline::Checked, baseline: String) -> Expect {
    let profiles = checked
        .model
        .governance
        .as_ref()
        .and_then(|g| g.profiles.as_ref());
    let base: toml::Table = profiles
        .and_then(|p| p.value.base.as_ref())
        .map(|b| b.get_ref().config.get_ref().clone())
        .unwrap_or_default();
    let setting = |config: &toml::Table, key: &str, default: &str| {
        config
            .get(key)
            .or_else(|| base.get(key))
            .and_then(toml::Value::as_str)
            .unwrap_or(default)
            .to_owned()
    };
    let mut expect = Expect {
        baseline,
        profiles: Vec::new(),
        permissions: Vec::new(),
        base: base.clone(),
    };
    for p in profiles.map(|p| &p.value.profile[..]).unwrap_or_default() {
        let p = p.get_ref();
        let config = p.config.get_ref();
        expect.profiles.push((
            p.name.get_ref().clone(),
            setting(config, "sandbox_mode", "read-only"),
            setting(config, "approval_policy", "on-request"),
        ));
    }
    for p in profiles
        .map(|p| &p.value.permissions[..])
        .unwrap_or_default()
    {
        let p = p.get_ref();
        let extends = p
            .config
            .get_ref()
            .get("extends")
            .and_then(toml::Value::as_str);
        expect
            .permissions
            .push((p.name.get_ref().clone(), extends.unwrap_or("").to_owned()));
    }
    expect
}

/// A scratch Codex home holding the generated config files.
fn scratch_home(checked: &pipeline::Checked, baseline: &str) -> Result<Scratch, String> {
    let set = checked
        .artifacts
        .first()
        .ok_or("this book renders no Codex files")?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let home = dir.path().join("home");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&home)
        .and_then(|()| std::fs::create_dir_all(&work))
        .map_err(|e| e.to_string())?;
    let version = checked.model.config.version();
    for a in set.artifacts.iter().filter(|a| a.path.ends_with(".toml")) {
        if !a.id.starts_with("codex-") {
            continue;
        }
        let name = a.path.rsplit('/').next().unwrap_or("");
        let text = a.file_text(&a.stamp(None, &version, baseline));
        std::fs::write(home.join(name), text).map_err(|e| e.to_string())?;
    }
    Ok(Scratch {
        _dir: dir,
        home,
        work,
    })
}

/// The checks run in a scratch directory: a relative path to the binary
/// must not be resolved from there (a bare name still goes to PATH).
fn absolute(codex: &Path) -> Result<PathBuf, Failure> {
    if codex.components().count() > 1 {
        std::path::absolute(codex).map_err(|e| usage(format!("{}: {e}", codex.display())))
    } else {
        Ok(codex.to_path_buf())
    }
}

/// Runs every check in order; `Err` only when the program cannot be run at
/// all (a usage failure: the `--codex` given is not a program).
fn run_checks(
    codex: &Path,
    scratch: &Scratch,
    expect: &Expect,
    report: &mut Report,
) -> Result<(), Failure> {
    let want = format!("codex-cli {}", expect.baseline);
    // Nothing to check without a program to run: say how to get one.
    let version = run(codex, &["--version"], scratch).map_err(|e| {
        usage(format!(
            "{e}\n  = help: install the pinned Codex CLI with `npm install -g @openai/codex@{}`, \
             or pass its path with --codex",
            expect.baseline
        ))
    })?;
    report.record(
        &format!("codex --version is {want}"),
        check_version(&version, &want),
    );
    report.record(
        "base config.toml loads with --strict-config and Codex reports its values",
        check_base(codex, scratch, expect),
    );
    for p in &expect.profiles {
        let n = &p.0;
        report.record(
            &format!("profile {n} loads with --strict-config (codex exec -p {n})"),
            check_profile_strict(codex, scratch, n),
        );
        report.record(
            &format!(
                "profile {n}: Codex applies sandbox_mode = {}, approval_policy = {}",
                p.1, p.2
            ),
            check_profile_values(codex, scratch, p),
        );
    }
    for p in &expect.permissions {
        report.record(
            &format!(
                "permissions profile {} runs a command in the sandbox ({})",
                p.0, p.1
            ),
            check_permissions(codex, scratch, p),
        );
    }
    Ok(())
}

/// Checks the Codex binary against the handbook at `dir`.
pub(super) fn run_doctor(cli: &Cli, dir: &Path, codex: &Path) -> Result<ExitCode, Failure> {
    let today = super::today(cli.today)?;
    let codex = absolute(codex)?;
    let checked = pipeline::check(
        dir,
        &CheckOptions {
            today,
            strict: false,
        },
    );
    if !super::print_errors(&checked)?.is_empty() {
        return Ok(ExitCode::FAILURE);
    }
    let baseline = checked.model.config.baseline();
    if baseline.is_empty() {
        return Err(failed("book.toml has no [baseline] codex-cli"));
    }
    let scratch = scratch_home(&checked, &baseline).map_err(failed)?;
    let expect = expectations(&checked, baseline);
    let mut report = Report {
        quiet: cli.quiet,
        failures: 0,
    };
    run_checks(&codex, &scratch, &expect, &mut report)?;
    if report.failures > 0 || !cli.quiet {
        eprintln!(
            "govbook doctor: {} check(s) failed against {}",
            report.failures,
            codex.display()
        );
    }
    Ok(if report.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_not_the_path_alias_warning() {
        let r = Run {
            code: Some(1),
            stdout: String::new(),
            stderr: "WARNING: proceeding, even though we could not create PATH aliases: x\n\
                     Error: /h/config.toml:1:16: unknown variant `bogus`\n"
                .into(),
        };
        assert_eq!(
            error_line(&r),
            "Error: /h/config.toml:1:16: unknown variant `bogus`"
        );
        let silent = Run {
            code: Some(0),
            stdout: String::new(),
            stderr: "WARNING: proceeding, even though we could not create PATH aliases: x\n".into(),
        };
        assert_eq!(error_line(&silent), "exit code 0, no message");
    }
}
