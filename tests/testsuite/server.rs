//! `govbook serve` as a user runs it, for the suites that start it:
//! a real process on an ephemeral port, its address read from what it
//! prints, killed on drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A running `govbook serve`.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// What it prints after it started.
    lines: Receiver<String>,
}

impl Server {
    /// Spawns `serve` (a command with every argument, `--port 0` among
    /// them) and waits up to `wait` for the URL it prints.
    pub fn spawn(mut serve: Command, wait: Duration) -> Server {
        let mut child = serve
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("govbook serve starts");
        let stderr = child.stderr.take().expect("serve's stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) else {
                continue;
            };
            if let Some(port) = port_in(&line) {
                return Server {
                    child,
                    port,
                    lines: rx,
                };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("govbook serve did not print its address");
    }

    /// Forgets what the server printed so far.
    pub fn drain(&self) {
        while self.lines.try_recv().is_ok() {}
    }

    /// What the server printed since the last look, without waiting.
    pub fn printed(&self) -> Vec<String> {
        std::iter::from_fn(|| self.lines.try_recv().ok()).collect()
    }

    /// Waits for a line of the server's output that contains `what`.
    pub fn wait_line(&self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                if line.contains(what) {
                    return line;
                }
                seen.push(line);
            }
        }
        panic!(
            "serve never printed `{what}`; it printed:\n{}",
            seen.join("\n")
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port of the URL in serve's "serving DIR on http://ADDR:PORT/" line,
/// whatever the address.
fn port_in(line: &str) -> Option<u16> {
    let at = line.find(" on http://")?;
    let url = &line[at + " on http://".len()..];
    let host = &url[..url.find('/').unwrap_or(url.len())];
    host.rsplit(':').next()?.parse().ok()
}
