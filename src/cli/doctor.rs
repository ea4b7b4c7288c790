//! `govbook doctor`: "verify the pinned CLI baseline before changing shared
//! runbooks", as a command. It asks the real Codex binary (named with
//! `--codex`, never by the sources) for its version, then has it load the
//! generated config files in a scratch `CODEX_HOME`, using only offline
//! commands (no model call, no login, no network).

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use super::Cli;
use crate::check::CheckOptions;
use crate::failure::{Failure, failed, usage};
use crate::pipeline;

/// The outcome of one process run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `program args` with `env`, stdin closed, in `cwd`, killing it after
/// `limit`.
fn run(
    program: &Path,
    args: &[&str],
    home: &Path,
    cwd: &Path,
    limit: Duration,
) -> Result<Run, String> {
    let mut child = Command::new(program)
        .args(args)
        .env("CODEX_HOME", home)
        .env("RUST_BACKTRACE", "0")
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let out = child.stdout.take();
    let err = child.stderr.take();
    let read = |r: Option<std::process::ChildStdout>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut r) = r {
                let _ = std::io::Read::read_to_string(&mut r, &mut s);
            }
            s
        })
    };
    let out_t = read(out);
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut r) = err {
            let _ = std::io::Read::read_to_string(&mut r, &mut s);
        }
        s
    });
    let deadline = Instant::now() + limit;
    let code = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Err(e) => return Err(e.to_string()),
        }
    };
    Ok(Run {
        code,
        stdout: out_t.join().unwrap_or_default(),
        stderr: err_t.join().unwrap_or_default(),
    })
}

/// Checks the Codex binary against the handbook at `dir`.
pub(super) fn run_doctor(cli: &Cli, dir: &Path, codex: &Path) -> Result<ExitCode, Failure> {
    let today = super::today(cli.today)?;
    // The checks run in a scratch directory: a relative path to the binary
    // must not be resolved from there (a bare name still goes to PATH).
    let absolute;
    let codex = if codex.components().count() > 1 {
        absolute =
            std::path::absolute(codex).map_err(|e| usage(format!("{}: {e}", codex.display())))?;
        absolute.as_path()
    } else {
        codex
    };
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
    let model = &checked.model;
    let baseline = model.config.baseline();
    if baseline.is_empty() {
        return Err(failed("book.toml has no [baseline] codex-cli"));
    }
    let version = model.config.version();
    let set = checked
        .artifacts
        .first()
        .ok_or_else(|| failed("this book renders no Codex files"))?;
    let scratch = tempfile::tempdir().map_err(|e| failed(e.to_string()))?;
    let home = scratch.path().join("home");
    let work = scratch.path().join("work");
    std::fs::create_dir_all(&home)
        .and_then(|()| std::fs::create_dir_all(&work))
        .map_err(|e| failed(e.to_string()))?;
    let mut profiles = Vec::new();
    for a in set.artifacts.iter().filter(|a| a.id.starts_with("codex-")) {
        let name = a.path.rsplit('/').next().unwrap_or("");
        let text = a.file_text(&a.stamp(None, &version, &baseline));
        std::fs::write(home.join(name), text).map_err(|e| failed(e.to_string()))?;
        if let Some(p) = name.strip_suffix(".config.toml") {
            profiles.push(p.to_owned());
        }
    }
    let permissions: Vec<String> = model
        .governance
        .as_ref()
        .and_then(|g| g.profiles.as_ref())
        .map(|p| {
            p.value
                .permissions
                .iter()
                .map(|x| x.get_ref().name.get_ref().clone())
                .collect()
        })
        .unwrap_or_default();

    /// How a check decides it passed.
    enum Pass {
        ExitZero,
        /// `codex exec` with no prompt exits 1 after loading the config.
        NoPrompt,
    }
    let mut checks: Vec<(String, Vec<String>, Pass)> = vec![(
        "base config.toml loads with --strict-config".into(),
        vec!["app-server".into(), "--strict-config".into()],
        Pass::ExitZero,
    )];
    for p in &profiles {
        let exec = [
            "exec",
            "-p",
            p,
            "--strict-config",
            "--skip-git-repo-check",
            "--ephemeral",
        ];
        checks.push((
            format!("profile {p} loads with --strict-config (codex exec -p {p})"),
            exec.iter().map(|s| s.to_string()).collect(),
            Pass::NoPrompt,
        ));
        checks.push((
            format!("profile {p} values load (codex -p {p} debug prompt-input)"),
            ["-p", p, "debug", "prompt-input"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            Pass::ExitZero,
        ));
    }
    for name in &permissions {
        checks.push((
            format!("permissions profile {name} resolves (codex sandbox -P {name} -- true)"),
            ["sandbox", "-P", name, "--", "true"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            Pass::ExitZero,
        ));
    }

    let limit = Duration::from_secs(60);
    let first_line = |s: &str| {
        s.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let mut failures = 0;
    let mut report = |ok: bool, what: &str, detail: &str| {
        if !ok {
            failures += 1;
        }
        let mark = if ok { "ok  " } else { "FAIL" };
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(": {detail}")
        };
        println!("{mark} {what}{detail}");
    };
    let v = run(codex, &["--version"], &home, &work, limit).map_err(failed)?;
    let found = v.stdout.trim().to_owned();
    let want = format!("codex-cli {baseline}");
    report(
        found == want,
        &format!("codex --version is {want}"),
        &format!("found `{found}`"),
    );
    for (what, args, pass) in &checks {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(codex, &args, &home, &work, limit).map_err(failed)?;
        let ok = match pass {
            Pass::ExitZero => r.code == Some(0),
            Pass::NoPrompt => r.stderr.contains("No prompt provided"),
        };
        let detail = if ok {
            String::new()
        } else {
            first_line(&r.stderr)
        };
        report(ok, what, &detail);
    }
    eprintln!(
        "govbook doctor: {} check(s) failed against {}",
        failures,
        codex.display()
    );
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
