//! The HTTP side of `govbook serve`: one request per connection, answered
//! with `Connection: close`, on a thread of its own.
//!
//! A thread per connection (not a fixed pool) because browsers hold idle
//! keep-alive connections open: a pool can starve a page's last script
//! behind them, and the page never finishes loading.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::RwLock;
use std::time::Duration;

use super::State;
use crate::markdown::escape;

/// Reloads the page when the build version pushed over server-sent events
/// differs from the one the page was served with (`data-version` on this
/// script's tag). EventSource reconnects by itself when a stream ends.
const LIVERELOAD_JS: &str = "(function(){var s=document.currentScript,v=s&&s.getAttribute('data-version');\
if(!window.EventSource)return;var es=new EventSource('/__govbook/events');\
es.onopen=function(){window.govbookLive=true};\
es.onmessage=function(e){if(v===null){v=e.data}else if(e.data!==v){es.close();location.reload()}}})();\n";

/// How long one event stream stays open: less than [`WRITE_DEADLINE`], so
/// the stream obeys the same bound as any response; the browser reconnects
/// (after `retry`) and is sent the current version first.
const EVENTS_FOR: Duration = Duration::from_secs(25);
/// A comment line this often keeps the stream's connection alive.
const EVENTS_HEARTBEAT: Duration = Duration::from_secs(10);

/// Rung whenever a build version changes: event streams wait on it. One
/// for the process; a stream woken by another server's change only looks
/// at its own version again.
static BELL: (std::sync::Mutex<()>, std::sync::Condvar) =
    (std::sync::Mutex::new(()), std::sync::Condvar::new());

/// Wakes every event stream to send the new version.
pub(super) fn ring() {
    let _guard = BELL.0.lock().unwrap_or_else(|e| e.into_inner());
    BELL.1.notify_all();
}

/// The longest request head read; longer ones are refused.
const MAX_HEAD: u64 = 64 * 1024;

/// How long a client may take to send its whole request head: a client
/// that trickles bytes cannot hold a connection slot for longer.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// How long writing one response may take in all.
const WRITE_DEADLINE: Duration = Duration::from_secs(30);

/// What the handler needs of a request.
#[derive(Debug, Default)]
pub(super) struct Request {
    pub method: String,
    /// The request target, as sent.
    pub url: String,
    /// The `Host` header, if any.
    pub host: Option<String>,
    /// The `Origin` header, if any (sent with cross-origin and `fetch`
    /// requests; `null` from `file://` pages).
    pub origin: Option<String>,
    /// The `Sec-Fetch-Site` header, if any (`same-origin`, `same-site`,
    /// `cross-site` or `none`).
    pub fetch_site: Option<String>,
    /// The `Sec-Fetch-Mode` header, if any (`navigate` for a page the user
    /// opens; `no-cors` for a `<script src>` from another page).
    pub fetch_mode: Option<String>,
}

impl Request {
    /// Whether another site (or a `file://` page) is reading this
    /// response: the browser says so in the `Sec-Fetch-*` and `Origin`
    /// headers. Opening a page from a link elsewhere is a navigation, which
    /// the other site cannot read, and stays allowed.
    fn is_cross_site_read(&self) -> bool {
        let navigation = self.fetch_mode.as_deref() == Some("navigate");
        let other_site = matches!(self.fetch_site.as_deref(), Some("cross-site" | "same-site"));
        let other_origin = self.origin.as_deref().is_some_and(|o| {
            let own = self
                .host
                .as_deref()
                .map(|h| format!("http://{}", h.to_ascii_lowercase()));
            own.as_deref() != Some(o.to_ascii_lowercase().as_str())
        });
        (other_site && !navigation) || other_origin
    }
}

/// A stream whose reads (or writes) all end by one deadline.
struct Deadline {
    stream: TcpStream,
    until: std::time::Instant,
}

impl Deadline {
    fn left(&self) -> std::io::Result<Duration> {
        let left = self
            .until
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            Err(std::io::ErrorKind::TimedOut.into())
        } else {
            Ok(left)
        }
    }
}

impl Read for Deadline {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        self.stream.read(buf)
    }
}

impl Write for Deadline {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        self.stream.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

/// A response: status, headers and body.
pub(super) struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_owned())],
            body,
        }
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// Serves one connection: reads a request, answers it, closes.
pub(super) fn serve_connection(stream: TcpStream, state: &RwLock<State>, hosts: &Hosts) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let read_half = Deadline {
        stream: read_half,
        until: std::time::Instant::now() + HEAD_DEADLINE,
    };
    let mut reader = BufReader::new(read_half).take(MAX_HEAD);
    let response = match read_request(&mut reader) {
        Some(req) if req.url.split('?').next() == Some("/__govbook/events") => {
            let stream = Deadline {
                stream,
                until: std::time::Instant::now() + WRITE_DEADLINE,
            };
            match respond(&req, state, hosts) {
                r if r.status == 200 => {
                    let _ = events(stream, state);
                }
                r => {
                    let _ = write_response(stream, &r, false);
                }
            }
            return;
        }
        Some(req) => {
            let head_only = req.method == "HEAD";
            (respond(&req, state, hosts), head_only)
        }
        None => (plain(400, "400 Bad Request\n"), false),
    };
    let stream = Deadline {
        stream,
        until: std::time::Instant::now() + WRITE_DEADLINE,
    };
    let _ = write_response(stream, &response.0, response.1);
}

/// Streams the build version as server-sent events: the current one at
/// once, then each new one, until [`EVENTS_FOR`] has passed.
fn events(mut stream: Deadline, state: &RwLock<State>) -> std::io::Result<()> {
    let version = || state.read().unwrap_or_else(|e| e.into_inner()).version;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n";
    stream.write_all(head.as_bytes())?;
    let started = std::time::Instant::now();
    let mut sent = None;
    let mut beat = std::time::Instant::now();
    loop {
        let now = version();
        if sent != Some(now) {
            stream.write_all(format!("data: {now}\n\n").as_bytes())?;
            stream.flush()?;
            sent = Some(now);
            beat = std::time::Instant::now();
        } else if beat.elapsed() >= EVENTS_HEARTBEAT {
            stream.write_all(b": keep-alive\n\n")?;
            beat = std::time::Instant::now();
        }
        let left = EVENTS_FOR.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Ok(());
        }
        let guard = BELL.0.lock().unwrap_or_else(|e| e.into_inner());
        // The version may have moved between reading it and locking.
        if version() != now {
            continue;
        }
        let wait = left.min(EVENTS_HEARTBEAT);
        drop(
            BELL.1
                .wait_timeout(guard, wait)
                .unwrap_or_else(|e| e.into_inner()),
        );
    }
}

/// Reads the request line and headers; `None` if they are malformed.
fn read_request(reader: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let url = parts.next()?.to_owned();
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let mut req = Request {
        method,
        url,
        ..Request::default()
    };
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = Some(value.trim().to_owned());
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => req.host = value,
            "origin" => req.origin = value,
            "sec-fetch-site" => req.fetch_site = value,
            "sec-fetch-mode" => req.fetch_mode = value,
            _ => {}
        }
    }
    Some(req)
}

fn write_response(mut stream: Deadline, resp: &Response, head_only: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    ));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&resp.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

fn plain(status: u16, body: &str) -> Response {
    Response::new(
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

/// Answers one request.
pub(super) fn respond(req: &Request, state: &RwLock<State>, hosts: &Hosts) -> Response {
    if !req.host.as_deref().is_some_and(|h| hosts.accepts(h)) {
        return plain(403, "403 Forbidden: unexpected Host header\n");
    }
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        return plain(405, "405 Method Not Allowed\n");
    }
    // The handbook may be internal: another page must not read it through
    // a script tag or fetch (the Host check cannot see that).
    if req.is_cross_site_read() {
        return plain(403, "403 Forbidden: cross-site read\n");
    }
    let Some(path) = site_path(&req.url) else {
        return plain(400, "400 Bad Request: invalid path\n");
    };
    let state = state.read().unwrap_or_else(|e| e.into_inner());
    match path.as_str() {
        "__govbook/version" => return plain(200, &state.version.to_string()),
        // Streamed by `serve_connection` once the checks above passed.
        "__govbook/events" => return plain(200, ""),
        "__govbook/livereload.js" => {
            return Response::new(
                200,
                "text/javascript; charset=utf-8",
                LIVERELOAD_JS.as_bytes().to_vec(),
            )
            .with_header("Cache-Control", "no-store");
        }
        _ => {}
    }
    let Some(site) = &state.site else {
        let body = format!(
            "<!doctype html><title>Build failed</title>\
             <script src=\"/__govbook/livereload.js\" data-version=\"{}\"></script>\
             <h1>The book does not build</h1><pre>{}</pre>",
            state.version,
            escape(state.error.as_deref().unwrap_or(""))
        );
        return html(500, body.into_bytes(), None, None);
    };
    // `/guide` is the directory `guide/`: redirect, so relative links in its
    // index page resolve against the directory.
    let as_dir = format!("{path}/index.html");
    if !site.files.contains_key(&path) && site.files.contains_key(&as_dir) {
        let url = req.url.split(['?', '#']).next().unwrap_or("/");
        // The URL comes from the request: only visible ASCII goes into a
        // header, anything else gets a plain answer.
        if !url.bytes().all(|b| b.is_ascii_graphic()) {
            return plain(400, "400 Bad Request: invalid path\n");
        }
        return Response::new(301, "text/plain; charset=utf-8", Vec::new())
            .with_header("Location", format!("{url}/"));
    }
    match site.files.get(&path) {
        Some(bytes) if path.ends_with(".html") => html(
            200,
            bytes.clone(),
            Some(state.version),
            state.error.as_deref(),
        ),
        Some(bytes) => Response::new(200, content_type(&path), bytes.clone())
            .with_header("Cache-Control", "no-store")
            .with_header("X-Content-Type-Options", "nosniff"),
        None => match site.files.get("404.html") {
            Some(b) => html(404, b.clone(), Some(state.version), state.error.as_deref()),
            None => plain(404, "404 Not Found\n"),
        },
    }
}

/// An HTML page with the live-reload script, and the build error if any.
/// `version` is the build the page comes from (`None` when the body has
/// its own reload script).
fn html(status: u16, mut body: Vec<u8>, version: Option<u64>, error: Option<&str>) -> Response {
    let mut inject = version.map_or(String::new(), |v| {
        format!("<script src=\"/__govbook/livereload.js\" data-version=\"{v}\"></script>")
    });
    if let Some(e) = error {
        inject.push_str(&format!(
            "<div id=\"govbook-build-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:50vh;\
             overflow:auto;background:#7f1d1d;color:#fff;padding:1rem;z-index:1000;font:14px monospace;white-space:pre-wrap\">\
             <strong>Build failed: showing the last good site.</strong>\n{}</div>",
            escape(e)
        ));
    }
    let at = find_last(&body, b"</body>").unwrap_or(body.len());
    body.splice(at..at, inject.into_bytes());
    Response::new(status, "text/html; charset=utf-8", body)
        .with_header("Cache-Control", "no-store")
        .with_header("X-Content-Type-Options", "nosniff")
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Which `Host` header values name this server, against DNS rebinding: a
/// page on another origin whose name an attacker points at this machine
/// must not read the site. Names are accepted only when they cannot be such
/// a name: localhost, the bound address, names the user allowed, and, when
/// the server is exposed to the network, any IP address (an address is its
/// own origin; only a DNS name can be rebound).
#[derive(Debug, Clone)]
pub(super) struct Hosts {
    /// The bound address.
    pub addr: SocketAddr,
    /// Names given with `--allow-host`, lowercase.
    pub allowed: Vec<String>,
}

impl Hosts {
    /// Whether `host` (a `Host` header value) names this server.
    pub(super) fn accepts(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let (name, port) = if let Some(rest) = host.strip_prefix('[') {
            let Some((inside, after)) = rest.split_once(']') else {
                return false;
            };
            // `[::1]evil` is no host of ours: after `]` comes a port or nothing.
            if !after.is_empty() && !after.starts_with(':') {
                return false;
            }
            (inside, after.strip_prefix(':'))
        } else {
            match host.rsplit_once(':') {
                Some((n, p)) => (n, Some(p)),
                None => (host.as_str(), None),
            }
        };
        // The port is not compared: a rebound name fails on the name, and
        // an SSH tunnel or a container's port map puts another port there.
        if port.is_some_and(|p| p.parse::<u16>().is_err()) {
            return false;
        }
        let name = name.strip_suffix('.').unwrap_or(name);
        if name == "localhost" || self.allowed.iter().any(|a| a == name) {
            return true;
        }
        match name.parse::<std::net::IpAddr>() {
            Ok(ip) if self.addr.ip().is_loopback() => {
                ip == self.addr.ip()
                    || ip == std::net::Ipv4Addr::LOCALHOST
                    || ip == std::net::Ipv6Addr::LOCALHOST
            }
            Ok(_) => true,
            Err(_) => false,
        }
    }
}

/// The site path of a request URL: query and fragment dropped, percent
/// decoded, no `.`/`..` segments, no backslashes or NULs. `None` rejects.
pub(super) fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None;
    }
    let decoded = crate::text::percent_decode(path);
    if !decoded.strict {
        return None;
    }
    let decoded = decoded.text;
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s if s.contains(['\\', '\0']) => return None,
            s => segments.push(s),
        }
    }
    let mut out = segments.join("/");
    if decoded.ends_with('/') || out.is_empty() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str("index.html");
    }
    Some(out)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "toml" | "md" | "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::site_path;

    fn hosts(addr: &str, allowed: &[&str]) -> super::Hosts {
        super::Hosts {
            addr: addr.parse().unwrap(),
            allowed: allowed.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn only_loopback_hosts_are_accepted_on_loopback() {
        let h = hosts("127.0.0.1:3000", &[]);
        for ok in [
            "localhost:3000",
            "LOCALHOST:3000",
            "127.0.0.1:3000",
            "localhost",
            "localhost.:3000",
            "[::1]:3000",
            // Through `ssh -L 8080:localhost:3000` or `docker -p 8080:3000`.
            "localhost:8080",
        ] {
            assert!(h.accepts(ok), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "localhost:x",
            "127.0.0.2:3000",
            "192.168.1.5:3000",
            "[::1",
            "[::1]evil",
            "[::1]evil:3000",
            "localhost.evil.example",
            "",
        ] {
            assert!(!h.accepts(bad), "{bad}");
        }
    }

    #[test]
    fn on_the_network_addresses_and_allowed_names_are_accepted() {
        let h = hosts("0.0.0.0:3000", &["handbook.corp.example"]);
        for ok in [
            "192.168.1.5:3000",
            "10.0.0.7",
            "[fe80::1]:3000",
            "handbook.corp.example:3000",
            "HANDBOOK.corp.example",
            "localhost:3000",
        ] {
            assert!(h.accepts(ok), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "handbook.corp.example.evil.example",
            "1.2.3.4.nip.io:3000",
        ] {
            assert!(!h.accepts(bad), "{bad}");
        }
    }

    #[test]
    fn paths_are_confined_to_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/guide/").as_deref(), Some("guide/index.html"));
        assert_eq!(
            site_path("/guide/x.html?y=1#z").as_deref(),
            Some("guide/x.html")
        );
        assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/x",
            "/a\\b",
            "/%00",
            "x",
            "/%zz",
            "/%+1",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}
