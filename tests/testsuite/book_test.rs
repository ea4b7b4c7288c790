//! `BookTest`: a fixture book copied to a scratch directory, edited there,
//! and `govbook` run on it with its output checked.
//!
//! ```ignore
//! let mut book = BookTest::from_fixture("minimal");
//! book.change_file("content/metrics/payments.csv", "");
//! book.run("check", |cmd| {
//!     cmd.expect_code(1).expect_stderr("error[GB007]");
//! });
//! let diags = book.check(); // `check --format json`, parsed
//! assert!(diags.has_at("GB007", "content/metrics/payments.csv", 1), "{diags}");
//! ```

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

/// Review dates are judged against this day, so every run is deterministic.
pub const TODAY: &str = "2026-11-24";

/// A govbook run that takes longer than this has hung.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The repository root: the bundled handbook's book.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The `govbook` binary with a clean environment: no build date from the
/// caller's shell, no colour.
pub fn govbook() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("govbook").unwrap();
    c.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    c
}

/// A book in a scratch directory of its own (removed on drop).
pub struct BookTest {
    tmp: tempfile::TempDir,
    /// The book root: `<scratch>/book`.
    pub dir: PathBuf,
}

impl BookTest {
    fn at(tmp: tempfile::TempDir) -> BookTest {
        let dir = tmp.path().join("book");
        BookTest { tmp, dir }
    }

    /// A copy of `tests/fixtures/NAME`, without a built `out/` left there.
    pub fn from_fixture(name: &str) -> BookTest {
        let book = BookTest::at(tempfile::tempdir().unwrap());
        let from = fixture(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        crate::fs::copy_tree_skipping(&from, &book.dir, &["out"]);
        book
    }

    /// A copy of the bundled handbook (the repository's `book.toml` and
    /// `content/`), as it is in the working tree.
    pub fn handbook() -> BookTest {
        let book = BookTest::at(tempfile::tempdir().unwrap());
        std::fs::create_dir_all(&book.dir).unwrap();
        std::fs::copy(repo_root().join("book.toml"), book.dir.join("book.toml")).unwrap();
        crate::fs::copy_tree(&repo_root().join("content"), &book.dir.join("content"));
        book
    }

    /// The bundled handbook as `govbook init` writes it.
    pub fn init() -> BookTest {
        let book = BookTest::at(tempfile::tempdir().unwrap());
        govbook().arg("init").arg(&book.dir).assert().success();
        book
    }

    /// No book at all: the directory exists and is empty.
    pub fn empty() -> BookTest {
        let book = BookTest::at(tempfile::tempdir().unwrap());
        std::fs::create_dir_all(&book.dir).unwrap();
        book
    }

    /// The scratch directory around the book, for siblings of it.
    pub fn scratch(&self) -> &Path {
        self.tmp.path()
    }

    /// `rel` under the book root.
    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.join(rel)
    }

    /// The text of `rel` under the book root.
    pub fn read(&self, rel: impl AsRef<Path>) -> String {
        let path = self.path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Writes `body` to `rel`, creating its directory.
    pub fn change_file(&mut self, rel: impl AsRef<Path>, body: impl AsRef<[u8]>) -> &mut Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, body).unwrap();
        self
    }

    /// Replaces the first `from` in `rel` with `to`; `from` must be there,
    /// or the test would pass without testing anything.
    pub fn edit(&mut self, rel: impl AsRef<Path>, from: &str, to: &str) -> &mut Self {
        crate::fs::edit_file(&self.path(rel), from, to);
        self
    }

    /// Adds `text` at the end of `rel`.
    pub fn append(&mut self, rel: impl AsRef<Path>, text: &str) -> &mut Self {
        let rel = rel.as_ref();
        let old = self.read(rel);
        self.change_file(rel, old + text)
    }

    /// Removes the file or directory `rel`.
    pub fn remove(&mut self, rel: impl AsRef<Path>) -> &mut Self {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        self
    }

    /// Creates the directory `rel` and its parents.
    pub fn mkdir(&mut self, rel: impl AsRef<Path>) -> &mut Self {
        std::fs::create_dir_all(self.path(rel)).unwrap();
        self
    }

    /// Copies the tree `from` over the book, replacing same-named files.
    pub fn overlay(&mut self, from: &Path) -> &mut Self {
        crate::fs::copy_tree(from, &self.dir);
        self
    }

    /// Runs `govbook ARGS… --today TODAY BOOK` (ARGS split on spaces) in
    /// the scratch directory, so anything a run writes where it should not
    /// stays there to be found; `f` adds arguments and sets what the run
    /// must show. By default it must exit 0.
    pub fn run(&self, args: &str, f: impl FnOnce(&mut BookCommand)) -> Ran {
        let mut cmd = BookCommand {
            args: args.split_whitespace().map(OsString::from).collect(),
            book: self.dir.clone(),
            cwd: self.scratch().to_path_buf(),
            today: true,
            env: Vec::new(),
            code: Some(0),
            stderr: Vec::new(),
        };
        f(&mut cmd);
        cmd.run()
    }

    /// `check --format json` on the book, whatever it exits with.
    pub fn check(&self) -> Diags {
        self.run("check --format json", |cmd| {
            cmd.any_code();
        })
        .diags()
    }
}

/// One `govbook` run being set up: its arguments and what it must show.
pub struct BookCommand {
    args: Vec<OsString>,
    book: PathBuf,
    cwd: PathBuf,
    today: bool,
    env: Vec<(OsString, OsString)>,
    code: Option<i32>,
    stderr: Vec<String>,
}

impl BookCommand {
    /// One more argument, after those given to `run` (a path, say).
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Runs without `--today`, so the date comes from the environment.
    pub fn no_today(&mut self) -> &mut Self {
        self.today = false;
        self
    }

    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The run must exit with `code`.
    pub fn expect_code(&mut self, code: i32) -> &mut Self {
        self.code = Some(code);
        self
    }

    /// Any exit code will do (the caller looks at the result).
    pub fn any_code(&mut self) -> &mut Self {
        self.code = None;
        self
    }

    /// Standard error must contain `text`.
    pub fn expect_stderr(&mut self, text: &str) -> &mut Self {
        self.stderr.push(text.to_owned());
        self
    }

    fn run(self) -> Ran {
        let mut cmd = govbook();
        cmd.args(&self.args).current_dir(&self.cwd).timeout(TIMEOUT);
        if self.today {
            cmd.args(["--today", TODAY]);
        }
        cmd.arg(&self.book);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut ran = Ran::from(cmd.output().unwrap());
        ran.book = Some(shown_from(&self.book, &self.cwd));
        if let Some(code) = self.code {
            assert_eq!(ran.code, Some(code), "{ran}");
        }
        for want in &self.stderr {
            assert!(ran.stderr.contains(want), "stderr lacks {want:?}\n{ran}");
        }
        ran
    }
}

/// `check --format json` on the book at `dir`, in place, whatever it
/// exits with.
pub fn check_at(dir: &Path) -> Diags {
    let out = govbook()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(dir)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    let mut ran = Ran::from(out);
    ran.book = Some(shown_from(dir, &std::env::current_dir().unwrap()));
    ran.diags()
}

/// How govbook names the book `book` to a run in `cwd` (paths in its
/// output are relative to the working directory): the part below `cwd`,
/// else the absolute path.
fn shown_from(book: &Path, cwd: &Path) -> String {
    let book = std::fs::canonicalize(book).unwrap_or_else(|_| book.to_path_buf());
    let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
    match book.strip_prefix(&cwd) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => book.to_string_lossy().into_owned(),
    }
}

/// What a run printed and how it exited.
pub struct Ran {
    /// The book as the run names it (paths in its output start there).
    pub book: Option<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Ran {
    fn from(out: std::process::Output) -> Ran {
        let ran = Ran {
            book: None,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        // A panic is a bug whatever the test expects.
        assert!(!ran.stderr.contains("panicked"), "{ran}");
        ran
    }
}

impl Ran {
    /// Standard output as JSON lines: `check --format json`'s diagnostics.
    pub fn diags(self) -> Diags {
        // Paths are printed from the working directory: the tests name
        // them from the book root.
        let prefix = self
            .book
            .as_deref()
            .filter(|b| !b.is_empty())
            .map(|b| format!("{b}/"));
        let items = self
            .stdout
            .lines()
            .map(|l| {
                let mut v: Value =
                    serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}"));
                if let (Some(prefix), Some(file)) = (&prefix, v["file"].as_str())
                    && let Some(rel) = file.strip_prefix(prefix.as_str())
                {
                    v["file"] = Value::String(rel.to_owned());
                }
                v
            })
            .collect();
        Diags {
            code: self.code,
            items,
            stdout: self.stdout,
            stderr: self.stderr,
        }
    }
}

impl fmt::Display for Ran {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The diagnostics of `check --format json`, one JSON object each.
pub struct Diags {
    pub code: Option<i32>,
    pub items: Vec<Value>,
    /// As printed, for failure messages.
    pub stdout: String,
    pub stderr: String,
}

impl Diags {
    /// A diagnostic with `code` at `file`, on `line`.
    pub fn has_at(&self, code: &str, file: &str, line: u64) -> bool {
        self.items
            .iter()
            .any(|d| d["code"] == code && d["file"] == file && d["line"] == line)
    }

    /// A diagnostic with `code` anywhere in `file`.
    pub fn has_in(&self, code: &str, file: &str) -> bool {
        self.items
            .iter()
            .any(|d| d["code"] == code && d["file"] == file)
    }

    /// The diagnostics of severity error.
    pub fn errors(&self) -> impl Iterator<Item = &Value> {
        self.items.iter().filter(|d| d["severity"] == "error")
    }
}

impl fmt::Display for Diags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit {:?}\n{}", self.code, self.stdout)
    }
}
