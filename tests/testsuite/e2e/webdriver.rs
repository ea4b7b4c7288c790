//! A small synchronous WebDriver client: chromedriver on loopback, spoken
//! to over plain HTTP/1.1 with JSON bodies. Only what the suite uses.
//! Chromium is Debian's, started headless with a fresh profile and every
//! background service that would try the network turned off.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// The key codes WebDriver uses for special keys.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";

/// A program the suite needs: `env`, or `default`. Missing is a failure.
pub fn tool(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    let path = if path.is_relative() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
    } else {
        path
    };
    assert!(
        path.exists(),
        "{} not found: run `bash .ci/run` (it installs the e2e tools), or set {env}",
        path.display()
    );
    path
}

/// A browser session, with the chromedriver that runs it. Both end on drop.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = call(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        shutdown(&mut self.driver, self.port);
    }
}

/// Stops chromedriver the way that also closes any browser it started.
fn shutdown(driver: &mut Child, port: u16) {
    let _ = call(port, "GET", "/shutdown", None);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = driver.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

/// A WebDriver element reference.
#[derive(Clone, Debug)]
pub struct Element(Value);

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a headless
    /// Chromium session with a 1280x900 window.
    pub fn start() -> Browser {
        let chromedriver = tool("GOVBOOK_CHROMEDRIVER", "/usr/bin/chromedriver");
        let chromium = tool("GOVBOOK_CHROMIUM", "/usr/bin/chromium");
        let mut driver = Command::new(&chromedriver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let stdout = driver.stdout.take().expect("chromedriver stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut port = None;
        let deadline = Instant::now() + Duration::from_secs(20);
        while port.is_none() && Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
                // "ChromeDriver was started successfully on port 45271."
                if let Some(rest) = line.split("successfully on port ").nth(1) {
                    port = rest.trim_end_matches('.').trim().parse().ok();
                }
            }
        }
        let Some(port) = port else {
            let _ = driver.kill();
            let _ = driver.wait();
            panic!("chromedriver did not report its port");
        };
        let profile = tempfile::tempdir().expect("a temporary browser profile");
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-default-apps",
            "--hide-scrollbars",
            "--window-size=1280,900",
            "--lang=en-US",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
            "unhandledPromptBehavior": "ignore",
        }}});
        let created = call(port, "POST", "/session", Some(caps));
        let session = match created {
            Ok(v) => v["sessionId"].as_str().expect("a session id").to_owned(),
            Err(e) => {
                shutdown(&mut driver, port);
                panic!("cannot start Chromium: {e}");
            }
        };
        Browser {
            driver,
            port,
            session,
            _profile: profile,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        call(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.cmd(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// Navigates and waits for the page load.
    pub fn goto(&self, url: &str) {
        self.ok("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.ok("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn refresh(&self) {
        self.ok("POST", "/refresh", Some(json!({})));
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns
    /// its value.
    pub fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.ok(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// `js`, but an error (a thrown exception) is returned, not a panic.
    pub fn try_js(&self, script: &str) -> Result<Value, String> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Runs an async script: it calls `arguments[arguments.length - 1]`
    /// with its result.
    pub fn js_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.ok(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Polls `script` (returning a boolean) until true, or panics with
    /// `what` after `timeout`.
    pub fn wait_until(&self, script: &str, timeout: Duration, what: &str) {
        let deadline = Instant::now() + timeout;
        loop {
            if self.try_js(script).ok() == Some(Value::Bool(true)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {timeout:?} waiting for {what} (on {})",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn find(&self, css: &str) -> Element {
        let v = self.ok(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        Element(v)
    }

    pub fn click(&self, el: &Element) {
        self.ok(
            "POST",
            &format!("/element/{}/click", el.id()),
            Some(json!({})),
        );
    }

    /// Types `text` into `el` (special keys as WebDriver code points).
    pub fn type_into(&self, el: &Element, text: &str) {
        self.ok(
            "POST",
            &format!("/element/{}/value", el.id()),
            Some(json!({ "text": text })),
        );
    }

    /// Presses `key` `times` times, wherever focus is, in one action.
    pub fn press(&self, key: &str, times: usize) {
        let mut actions = Vec::new();
        for _ in 0..times {
            actions.push(json!({"type": "keyDown", "value": key}));
            actions.push(json!({"type": "keyUp", "value": key}));
        }
        self.ok(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let v = self.ok("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64 PNG"))
            .expect("a base64 PNG")
    }

    /// A PNG of one element.
    pub fn element_screenshot(&self, el: &Element) -> Vec<u8> {
        let v = self.ok("GET", &format!("/element/{}/screenshot", el.id()), None);
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64 PNG"))
            .expect("a base64 PNG")
    }

    /// The text of an open alert, confirm or prompt, if any; it is
    /// dismissed, so the session goes on.
    pub fn alert_text(&self) -> Option<String> {
        let text = self
            .cmd("GET", "/alert/text", None)
            .ok()
            .map(|v| v.as_str().unwrap_or_default().to_owned())?;
        let _ = self.cmd("POST", "/alert/dismiss", Some(json!({})));
        Some(text)
    }

    /// Browser log entries since the last call (`"browser"` or
    /// `"performance"`).
    pub fn log(&self, kind: &str) -> Vec<Value> {
        match self.ok("POST", "/se/log", Some(json!({ "type": kind }))) {
            Value::Array(entries) => entries,
            _ => Vec::new(),
        }
    }

    /// A Chrome DevTools Protocol command.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.ok(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }
}

impl Element {
    fn id(&self) -> &str {
        self.0
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("an element reference")
    }
}

/// One WebDriver request; returns `value` or the error message.
fn call(port: u16, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open: read by Content-Length.
    let mut reader = BufReader::new(s);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("the connection closed before the body".into());
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    let payload = if head.contains("transfer-encoding: chunked") {
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
        dechunk(&rest)
    } else {
        let len = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|n| n.trim().parse().ok())
            .ok_or("no Content-Length")?;
        let mut body = vec![0; len];
        reader.read_exact(&mut body).map_err(|e| e.to_string())?;
        body
    };
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let v: Value =
        serde_json::from_slice(&payload).map_err(|e| format!("HTTP {status}: not JSON ({e})"))?;
    let value = v.get("value").cloned().unwrap_or(Value::Null);
    if status == 200 {
        Ok(value)
    } else {
        Err(format!(
            "{}: {}",
            value["error"].as_str().unwrap_or("error"),
            value["message"].as_str().unwrap_or("")
        ))
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}
