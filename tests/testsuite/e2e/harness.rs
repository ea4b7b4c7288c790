//! The sites the suite visits: a scratch copy of the bundled handbook
//! (`govbook init`), built to disk and opened from `file://`, or served by
//! `govbook serve` on an ephemeral loopback port. Plus the page-by-page
//! helpers later tests build on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use super::webdriver::Browser;
use crate::book_test::TODAY;
use crate::server::Server;

/// How a site is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `govbook serve` on 127.0.0.1, port 0.
    Served,
    /// The built directory, straight from disk.
    File,
}

/// A scratch handbook, built, and served or not. Everything ends on drop.
pub struct Site {
    pub mode: Mode,
    /// The URL of the site root, ending in `/`.
    pub base: String,
    /// The book sources (edit these to test live reload).
    pub book: PathBuf,
    /// The built site on disk (in both modes: the served site is the same).
    pub out: PathBuf,
    _server: Option<Server>,
    _tmp: tempfile::TempDir,
}

impl Site {
    /// `govbook init` into a scratch directory, then build it and open it
    /// in `mode`.
    pub fn bundled(mode: Mode) -> Site {
        let tmp = tempfile::tempdir().expect("a scratch directory");
        let book = tmp.path().join("book");
        let status = govbook()
            .arg("init")
            .arg(&book)
            .status()
            .expect("govbook init runs");
        assert!(status.success(), "govbook init failed");
        Site::of(tmp, book, mode)
    }

    /// Builds the book at `book` (a copy is not made) and opens it.
    pub fn of(tmp: tempfile::TempDir, book: PathBuf, mode: Mode) -> Site {
        let out = tmp.path().join("site");
        build(&book, &out);
        let (server, base) = match mode {
            Mode::File => (None, file_url(&out)),
            Mode::Served => {
                let server = serve(&book);
                let base = format!("http://127.0.0.1:{}/", server.port);
                (Some(server), base)
            }
        };
        Site {
            mode,
            base,
            book,
            out,
            _server: server,
            _tmp: tmp,
        }
    }

    /// The URL of a site path such as `guide/cli-baseline.html`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every HTML page of the built site, as sorted site paths.
    pub fn pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = walkdir::WalkDir::new(&self.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let rel = e.path().strip_prefix(&self.out).expect("inside the site");
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        pages.sort();
        pages
    }

    /// Whether `url` is part of this site (same origin; for `file://`,
    /// inside the built directory).
    pub fn owns(&self, url: &str) -> bool {
        url.starts_with(&self.base) || url.starts_with("data:") || url == "about:blank"
    }
}

/// `govbook` with a clean environment: `GOVBOOK_BIN` if set (`.ci/run`
/// passes the release binary, which rebuilds fast enough for the live
/// reload deadline), else the test build.
pub fn govbook() -> Command {
    let bin = std::env::var_os("GOVBOOK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_govbook")));
    let mut c = Command::new(bin);
    c.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    c
}

/// Builds `book` into `out`.
pub fn build(book: &Path, out: &Path) {
    let output = govbook()
        .args(["build", "--quiet", "--today", TODAY, "-o"])
        .arg(out)
        .arg(book)
        .output()
        .expect("govbook build runs");
    assert!(
        output.status.success(),
        "govbook build {} failed:\n{}",
        book.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn file_url(dir: &Path) -> String {
    let dir = dir.canonicalize().expect("the built site exists");
    let mut url = String::from("file://");
    for part in dir.to_string_lossy().split('/').filter(|p| !p.is_empty()) {
        url.push('/');
        for b in part.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                url.push(b as char);
            } else {
                url.push_str(&format!("%{b:02X}"));
            }
        }
    }
    url.push('/');
    url
}

/// `govbook serve --port 0` on a book; killed on drop.
pub fn serve(book: &Path) -> Server {
    let mut cmd = govbook();
    cmd.args(["serve", "--port", "0", "--today", TODAY])
        .arg(book);
    Server::spawn(cmd, Duration::from_secs(60))
}

/// What went wrong on the page just loaded: console errors, requests to
/// another origin, and an open dialog. Drains the browser's logs.
pub fn page_problems(browser: &Browser, site: &Site) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in browser.log("browser") {
        if entry["level"] == "SEVERE" {
            problems.push(format!(
                "console error: {}",
                entry["message"].as_str().unwrap_or("")
            ));
        }
    }
    for url in requested_urls(browser, site) {
        if !site.owns(&url) {
            problems.push(format!("request to another origin: {url}"));
        }
    }
    if let Some(text) = browser.alert_text() {
        problems.push(format!("a dialog opened: {text:?}"));
    }
    problems
}

/// Every URL requested by a page of `site` since the last drain of the
/// performance log (the browser's own pages are left out), plus every
/// resource the page reports having loaded.
pub fn requested_urls(browser: &Browser, site: &Site) -> Vec<String> {
    let mut urls = Vec::new();
    for entry in browser.log("performance") {
        let Some(text) = entry["message"].as_str() else {
            continue;
        };
        let Ok(msg) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let msg = &msg["message"];
        let document = msg["params"]["documentURL"].as_str().unwrap_or_default();
        if msg["method"] != "Network.requestWillBeSent" || !site.owns(document) {
            continue;
        }
        if let Some(url) = msg["params"]["request"]["url"].as_str() {
            urls.push(url.to_owned());
        }
    }
    if let Ok(Value::Array(names)) = browser.try_js(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });",
    ) {
        urls.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    urls
}

/// Visits every HTML page of `site` in turn and runs `check` on each (the
/// page is loaded; the logs of earlier pages are drained). Returns every
/// problem found, each prefixed with its page.
pub fn visit_every_page(
    browser: &Browser,
    site: &Site,
    mut check: impl FnMut(&Browser, &str) -> Vec<String>,
) -> Vec<String> {
    let _ = browser.log("browser");
    let _ = browser.log("performance");
    let mut problems = Vec::new();
    for page in site.pages() {
        browser.goto(&site.url(&page));
        for p in check(browser, &page) {
            problems.push(format!("{page}: {p}"));
        }
    }
    problems
}

/// Builds the book at `book` into a scratch directory, serves it, opens
/// every page in a fresh browser, and checks that the JavaScript expression
/// `condition` is true on each, that no dialog (alert, confirm, prompt)
/// opened, and that there was no console error or request to another
/// origin. Returns the problems found (empty: all good).
///
/// For example, an injection test asserts
/// `check_every_page(&book, "window.__pwned === undefined").is_empty()`.
pub fn check_every_page(book: &Path, condition: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("a scratch directory");
    let site = Site::of(tmp, book.to_path_buf(), Mode::Served);
    let browser = Browser::start();
    let script = format!("return !!({condition});");
    visit_every_page(&browser, &site, |browser, _| {
        // A dialog blocks scripts: look for it first.
        let mut problems = Vec::new();
        if let Some(text) = browser.alert_text() {
            problems.push(format!("a dialog opened: {text:?}"));
            return problems;
        }
        match browser.try_js(&script) {
            Ok(Value::Bool(true)) => {}
            Ok(v) => problems.push(format!("`{condition}` is {v}")),
            Err(e) => problems.push(format!("`{condition}` failed: {e}")),
        }
        problems.extend(page_problems(browser, &site));
        problems
    })
}
