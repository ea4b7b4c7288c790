//! `govbook serve` as a user runs it: a real process on an ephemeral
//! loopback port, fetched over TCP, with sources edited underneath it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::book_test::{BookTest, TODAY};
use crate::server::Server;

fn start(dir: &Path) -> Server {
    start_with(dir, &[])
}

/// Starts `serve` on `dir` with extra arguments.
fn start_with(dir: &Path, extra: &[&str]) -> Server {
    let mut serve = Command::new(env!("CARGO_BIN_EXE_govbook"));
    serve
        .args(["serve", "--port", "0", "--today", TODAY])
        .args(extra)
        .arg(dir);
    Server::spawn(serve, Duration::from_secs(30))
}

/// A raw HTTP/1.1 GET with a chosen Host; returns (status, headers, body).
fn get(port: u16, path: &str, host: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap();
    (status, head.to_owned(), body.to_owned())
}

fn local(port: u16, path: &str) -> (u16, String, String) {
    get(port, path, &format!("127.0.0.1:{port}"))
}

/// A served page without the live-reload script serve adds.
fn without_reload_script(page: &str) -> String {
    match page.find("<script src=\"/__govbook/livereload.js\"") {
        Some(at) => {
            let end = page[at..]
                .find("</script>")
                .map_or(page.len(), |e| at + e + 9);
            format!("{}{}", &page[..at], &page[end..])
        }
        None => page.to_owned(),
    }
}

/// Polls `path` until its body satisfies `ok`. A save is not atomic (the
/// watcher may see the truncated file first and rebuild twice), so tests
/// wait for the content, not for the first rebuild.
fn wait_for(port: u16, path: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = String::new();
    while Instant::now() < deadline {
        let (_, _, body) = local(port, path);
        if ok(&body) {
            return body;
        }
        last = body;
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{path} never matched after the edit; last body:\n{last}");
}

/// The mdBook fixture book, and its root.
fn scratch() -> (BookTest, std::path::PathBuf) {
    let book = BookTest::from_fixture("mdbook");
    let dir = book.dir.clone();
    (book, dir)
}

#[test]
fn serve_builds_reloads_and_refuses_what_it_should() {
    let (_book, dir) = scratch();
    // A directory with an index page, to check the trailing-slash redirect.
    std::fs::write(
        dir.join("src/chapter_1/README.md"),
        "# Chapter 1 overview\n",
    )
    .unwrap();
    let summary = std::fs::read_to_string(dir.join("src/SUMMARY.md")).unwrap();
    std::fs::write(
        dir.join("src/SUMMARY.md"),
        summary.replace(
            "  - [Section 1.1]",
            "  - [Overview](chapter_1/README.md)\n  - [Section 1.1]",
        ),
    )
    .unwrap();
    let server = start(&dir);
    let port = server.port;

    let (status, head, body) = local(port, "/");
    assert_eq!(status, 200, "{head}");
    assert!(body.contains("Introduction"));
    assert!(
        body.contains("/__govbook/livereload.js"),
        "live reload is injected"
    );
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
    );
    assert_eq!(local(port, "/chapter_1/section.html").0, 200);
    assert!(local(port, "/chapter_1/").2.contains("Chapter 1 overview"));
    // A directory without its slash is redirected, so relative links work.
    let (status, head, _) = local(port, "/chapter_1?x=1");
    assert_eq!(status, 301, "{head}");
    assert!(head.contains("Location: /chapter_1/"), "{head}");
    assert_eq!(
        local(port, "/images").0,
        404,
        "a directory without an index page"
    );

    // Edit a page: the new text is served after the rebuild, and the
    // version live reload polls has moved on.
    let (_, _, v1) = local(port, "/__govbook/version");
    std::fs::write(
        dir.join("src/appendix.md"),
        "# Appendix\n\nFreshly edited text.\n",
    )
    .unwrap();
    wait_for(port, "/appendix.html", |b| {
        b.contains("Freshly edited text.")
    });
    assert_ne!(
        local(port, "/__govbook/version").2,
        v1,
        "the reload version did not change"
    );

    // A build error is shown while the last good site is still served.
    std::fs::write(
        dir.join("src/appendix.md"),
        "# Appendix\n\n[broken](nowhere.md)\n",
    )
    .unwrap();
    let body = wait_for(port, "/appendix.html", |b| {
        b.contains("govbook-build-error") && b.contains("GB506")
    });
    assert!(
        body.contains("Freshly edited text."),
        "last good site: {body}"
    );
    assert_eq!(local(port, "/appendix.html").0, 200);

    // Only site files, never the sources or anything above them.
    for path in ["/../book.toml", "/%2e%2e/book.toml", "/..%2fbook.toml"] {
        assert_eq!(local(port, path).0, 400, "{path}");
    }
    let (status, _, body) = local(port, "/book.toml");
    assert_eq!(status, 404);
    assert!(!body.contains("[book]"));
    assert_eq!(local(port, "/src/SUMMARY.md").0, 404);

    // DNS rebinding: a foreign Host is refused.
    assert_eq!(get(port, "/", "evil.example").0, 403);
    assert_eq!(get(port, "/", &format!("evil.example:{port}")).0, 403);
    assert_eq!(get(port, "/", &format!("localhost:{port}")).0, 200);
}

/// Saves like an editor does: a hidden temporary file, renamed over the page.
fn save(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn an_edited_page_body_is_rendered_alone_and_anything_else_rebuilds() {
    let (_book, dir) = scratch();
    let server = start(&dir);
    let port = server.port;
    let page = dir.join("src/appendix.md");
    // Saves, and returns how the server says it took the change.
    let edit = |path: &Path, text: &str| {
        server.drain();
        save(path, text);
        server.wait_line("govbook serve: ")
    };

    // Same headings, new body: only this page is rendered again, and the
    // search index and print page carry the new words.
    let line = edit(&page, "# Appendix\n\nThe end, now with a zebrafinch.\n");
    assert!(line.contains("updated 1 page(s)"), "{line}");
    assert!(local(port, "/appendix.html").2.contains("zebrafinch"));
    // The search index follows, built beside the next edits.
    wait_for(port, "/search/t-z.js", |t| t.contains("\"zebrafinch\""));
    let print = local(port, "/print.html").2;
    assert!(print.contains("zebrafinch"));
    assert_eq!(print.matches("id=\"print-appendix-html\"").count(), 1);
    // Other pages are as they were.
    assert!(local(port, "/chapter_2.html").2.contains("Chapter 2"));
    // And what is served is what a full build of the same sources writes.
    let same_as_a_full_build = |name: &str| {
        let out = dir.parent().unwrap().join(name);
        let status = Command::new(env!("CARGO_BIN_EXE_govbook"))
            .args(["build", "--today", TODAY, "--out"])
            .arg(&out)
            .arg(&dir)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let index = std::fs::read_dir(out.join("search"))
            .unwrap()
            .map(|e| format!("search/{}", e.unwrap().file_name().to_string_lossy()));
        let fixed = ["appendix.html", "print.html", "chapter_3.html", "toc.js"];
        for file in fixed.into_iter().map(str::to_owned).chain(index) {
            let built = std::fs::read_to_string(out.join(&file)).unwrap();
            let served = wait_for(port, &format!("/{file}"), |t| {
                without_reload_script(t) == built
            });
            assert_eq!(
                without_reload_script(&served),
                built,
                "{file} differs from a full build"
            );
        }
    };
    same_as_a_full_build("full");

    // A new heading: no other page shows it, so the page is still rendered
    // alone, once every page's links are checked against its anchors.
    let line = edit(&page, "# Appendix\n\nThe end.\n\n## Glossary\n\nWords.\n");
    assert!(line.contains("updated 1 page(s)"), "{line}");
    assert!(local(port, "/appendix.html").2.contains("id=\"glossary\""));
    let chunks = || -> String {
        (0..)
            .map(|n| local(port, &format!("/search/d-{n}.js")))
            .take_while(|(status, _, _)| *status == 200)
            .map(|(_, _, body)| body)
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !chunks().contains("\"#glossary\",\"Glossary\"") {
        assert!(Instant::now() < deadline, "{}", chunks());
        std::thread::sleep(Duration::from_millis(20));
    }
    same_as_a_full_build("full-after-heading");

    // A heading another page links to, renamed: every page's anchor links
    // are checked again. In a book without governance the one that broke
    // is a warning (mdBook builds it): shown, and the page still goes live
    // alone.
    let section = dir.join("src/chapter_1/section.md");
    server.drain();
    save(
        &section,
        "# Section 1.1\n\n## Particulars\n\nBack to the [introduction](../README.md).\n",
    );
    let mut printed = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !printed
        .iter()
        .any(|l: &String| l.starts_with("govbook serve: "))
    {
        assert!(Instant::now() < deadline, "{printed:?}");
        printed.extend(server.printed());
        std::thread::sleep(Duration::from_millis(20));
    }
    let all = printed.join("\n");
    assert!(all.contains("warning[GB507]"), "{all}");
    assert!(all.contains("updated 1 page(s)"), "{all}");
    let body = local(port, "/chapter_1/section.html").2;
    assert!(body.contains("id=\"particulars\""), "{body}");
    let line = edit(
        &section,
        "# Section 1.1\n\n## Details\n\nBack to the [introduction](../README.md).\n",
    );
    assert!(line.contains("updated 1 page(s)"), "{line}");

    // A body whose own checks fail is reported by a full build, and the
    // last good site stays.
    let line = edit(
        &page,
        "# Appendix\n\nThe end.\n\n## Glossary\n\n[gone](nowhere.md)\n",
    );
    assert!(line.contains("build failed"), "{line}");
    let body = local(port, "/appendix.html").2;
    assert!(body.contains("GB506") && body.contains("Words."), "{body}");
    assert!(
        !body.contains('\u{1b}'),
        "no terminal colour codes in the page"
    );

    // Fixed again: the whole book builds (the cache went with the failure).
    let line = edit(
        &page,
        "# Appendix\n\nThe end.\n\n## Glossary\n\nFixed words.\n",
    );
    assert!(line.contains("rebuilt"), "{line}");
    let body = local(port, "/appendix.html").2;
    assert!(body.contains("Fixed words.") && !body.contains("govbook-build-error"));

    // A page that another page includes changes that page too: listed in
    // SUMMARY.md, snippet.md is a page, and chapter 2 pulls it in.
    let summary = dir.join("src/SUMMARY.md");
    let listed = std::fs::read_to_string(&summary).unwrap().replace(
        "- [Chapter 2](chapter_2.md)",
        "- [Chapter 2](chapter_2.md)\n  - [Snippet](snippet.md)",
    );
    let line = edit(&summary, &listed);
    assert!(line.contains("rebuilt"), "{line}");
    let line = edit(
        &dir.join("src/snippet.md"),
        "An included paragraph about a kingfisher.\n",
    );
    assert!(line.contains("rebuilt"), "{line}");
    assert!(local(port, "/snippet.html").2.contains("kingfisher"));
    assert!(local(port, "/chapter_2.html").2.contains("kingfisher"));

    // Front matter feeds other checks: a full rebuild too.
    let line = edit(
        &dir.join("src/chapter_2.md"),
        "+++\nreviewed = 2026-11-01\n+++\n# Chapter 2\n\nReviewed.\n",
    );
    assert!(line.contains("rebuilt"), "{line}");
    assert!(local(port, "/chapter_2.html").2.contains("Reviewed."));

    // A file the book does not know (a new page not yet in SUMMARY.md)
    // goes through the full build, which reports it.
    let line = edit(&dir.join("src/new.md"), "# New\n");
    assert!(
        line.contains("rebuilt") || line.contains("failed"),
        "{line}"
    );
}

/// A raw request, exactly as given; returns (status, head, body).
fn raw(port: u16, request: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

#[test]
fn serve_refuses_hostile_requests() {
    let (_book, dir) = scratch();
    let server = start(&dir);
    let port = server.port;
    let never_a_source = |path: &str, (status, head, body): (u16, String, String)| {
        assert!(status == 400 || status == 404, "{path}: {status}\n{head}");
        for secret in ["[book]", "# Summary", "root:x:0"] {
            assert!(!body.contains(secret), "{path} served {secret}");
        }
    };
    // Traversal, plain, encoded, double-encoded, with backslashes and NULs.
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/book.toml",
        "/..%2fbook.toml",
        "/..%2Fbook.toml",
        "/%2e%2e%2fbook.toml",
        "/%252e%252e/book.toml",
        "/%252e%252e%252fbook.toml",
        "/..%5cbook.toml",
        "/..\\book.toml",
        "/%5c..%5cbook.toml",
        "/src/..%2f..%2fbook.toml",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%c0%afbook.toml",
        "/book.toml%00.html",
        "//etc/passwd",
        "/./book.toml",
        "/src/SUMMARY.md",
    ] {
        never_a_source(path, local(port, path));
    }
    // Absolute URLs in the request line are not paths of this site.
    for target in ["http://evil.example/index.html", "file:///etc/passwd", "*"] {
        let req =
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        never_a_source(target, raw(port, &req));
    }
    // No directory listings: a directory without an index page is a 404
    // that names none of its files.
    for path in ["/images/", "/images", "/assets/", "/chapter_1/../images/"] {
        let (status, _, body) = local(port, path);
        assert!(
            status == 404 || status == 400 || status == 301,
            "{path}: {status}"
        );
        assert!(
            !body.contains("logo.svg") && !body.contains("Index of"),
            "{path}: a listing"
        );
    }
    // DNS rebinding: only loopback names are accepted (with any port: an
    // SSH tunnel puts its own there).
    assert_eq!(get(port, "/", "localhost:8080").0, 200);
    for host in [
        "evil.example".to_owned(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("evil.example:{port}"),
        format!("localhost:{port}@evil.example"),
        String::new(),
    ] {
        assert_eq!(get(port, "/", &host).0, 403, "Host: {host:?}");
    }
    let no_host = raw(port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(no_host.0 == 403 || no_host.0 == 400, "{no_host:?}");
    // No CORS: not for a foreign Origin, not for a preflight.
    let with_origin = raw(
        port,
        &format!(
            "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n"
        ),
    );
    let preflight = raw(
        port,
        &format!(
            "OPTIONS /index.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\nConnection: close\r\n\r\n"
        ),
    );
    // A foreign Origin is refused outright (a cross-site read).
    assert_eq!(with_origin.0, 403);
    assert_eq!(preflight.0, 405);
    for (_, head, _) in [with_origin, preflight, local(port, "/search/meta.js")] {
        assert!(
            !head.to_ascii_lowercase().contains("access-control-allow"),
            "{head}"
        );
    }
}

#[test]
fn serve_binds_loopback_unless_told_otherwise() {
    // The default: `start` waits for the 127.0.0.1 URL and the server
    // answers there. Nothing but an explicit `--bind` changes the address
    // (no environment variable or book.toml key does).
    let (_book, dir) = scratch();
    let server = start(&dir);
    assert_eq!(local(server.port, "/").0, 200);
    drop(server);
    // `--bind` names the address; a non-loopback one is said aloud.
    let help = Command::new(env!("CARGO_BIN_EXE_govbook"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--bind") && help.contains("127.0.0.1"),
        "{help}"
    );
    assert!(
        !help.contains("[env:"),
        "no environment variable may set the address: {help}"
    );
}

#[test]
fn on_the_network_ip_addresses_and_allowed_names_are_answered() {
    // Bound to every interface, the site answers a LAN address and a name
    // given with --allow-host; any other name may be a rebound DNS name.
    let (_book, dir) = scratch();
    let server = start_with(
        &dir,
        &["--bind", "0.0.0.0", "--allow-host", "Handbook.corp.example"],
    );
    let port = server.port;
    for host in [
        format!("192.0.2.10:{port}"),
        format!("handbook.corp.example:{port}"),
        format!("localhost:{port}"),
        // A container's port map: the browser names the outer port.
        "handbook.corp.example:8080".to_owned(),
    ] {
        assert_eq!(get(port, "/", &host).0, 200, "Host: {host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("handbook.corp.example.evil.example:{port}"),
    ] {
        assert_eq!(get(port, "/", &host).0, 403, "Host: {host}");
    }
    drop(server);
    // On loopback (the default) only loopback names are answered, even
    // with an address that would be fine on the network.
    let server = start(&dir);
    let port = server.port;
    assert_eq!(get(port, "/", &format!("192.0.2.10:{port}")).0, 403);
}

#[test]
fn serve_refuses_cross_site_reads_and_slow_clients() {
    let (_tmp, dir) = scratch();
    let server = start(&dir);
    let port = server.port;
    let with = |headers: &str| {
        raw(
            port,
            &format!(
                "GET /search/meta.js HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Connection: close\r\n\r\n"
            ),
        )
        .0
    };
    // What a browser sends for <script src> on another site, on another
    // port of this machine, and from a file:// page.
    assert_eq!(
        with("Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\n"),
        403
    );
    assert_eq!(
        with("Sec-Fetch-Site: same-site\r\nSec-Fetch-Mode: no-cors\r\n"),
        403
    );
    assert_eq!(with("Origin: null\r\nSec-Fetch-Mode: cors\r\n"), 403);
    assert_eq!(with("Origin: http://evil.example\r\n"), 403);
    // The handbook's own pages, a link followed from elsewhere, and clients
    // that send none of these headers are served.
    assert_eq!(
        with("Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: no-cors\r\n"),
        200
    );
    assert_eq!(with(&format!("Origin: http://127.0.0.1:{port}\r\n")), 200);
    assert_eq!(
        with("Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\n"),
        200
    );
    assert_eq!(with(""), 200);

    // A client that trickles its request is cut off after the head
    // deadline (5 s), however slowly it keeps sending.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let started = Instant::now();
    let mut closed = false;
    for _ in 0..40 {
        if slow.write_all(b"G").is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
        let mut buf = [0u8; 256];
        slow.set_nonblocking(true).unwrap();
        let got = slow.read(&mut buf);
        slow.set_nonblocking(false).unwrap();
        if got.is_ok() {
            closed = true;
            break;
        }
    }
    assert!(closed, "a trickling client kept its connection for 10 s");
    assert!(
        started.elapsed() < Duration::from_secs(9),
        "{:?}",
        started.elapsed()
    );
}

/// A name and a way of saving a page's new text.
type SaveStyle<'a> = (&'a str, &'a dyn Fn(&str));

/// Every way an editor saves takes the fast path: in place, a visible
/// temporary file renamed over the page (`sed -i`), and vim's way (a probe
/// file created and deleted, the page renamed to a backup, written anew,
/// the backup deleted).
#[test]
fn every_editor_save_style_renders_the_page_alone() {
    let (_book, dir) = scratch();
    let server = start(&dir);
    let port = server.port;
    let page = dir.join("src/appendix.md");
    let styles: [SaveStyle<'_>; 5] = [
        ("in place", &|text: &str| {
            std::fs::write(&page, text).unwrap()
        }),
        ("temporary file and rename", &|text: &str| {
            let tmp = dir.join("src/sedAb12Cd");
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, &page).unwrap();
        }),
        ("backup rename", &|text: &str| {
            let probe = dir.join("src/4913");
            std::fs::write(&probe, "").unwrap();
            std::fs::remove_file(&probe).unwrap();
            let backup = dir.join("src/appendix.md~");
            std::fs::rename(&page, &backup).unwrap();
            std::fs::write(&page, text).unwrap();
            std::fs::remove_file(&backup).unwrap();
        }),
        ("delete and create", &|text: &str| {
            std::fs::remove_file(&page).unwrap();
            std::thread::sleep(Duration::from_millis(30));
            std::fs::write(&page, text).unwrap();
        }),
        ("backup rename, backup kept", &|text: &str| {
            let backup = dir.join("src/appendix.md~");
            std::fs::rename(&page, &backup).unwrap();
            std::fs::write(&page, text).unwrap();
        }),
    ];
    for (i, (style, save)) in styles.iter().enumerate() {
        server.drain();
        let word = format!("marker{i}");
        save(&format!("# Appendix\n\nThe end, {word}.\n"));
        // A save is not atomic: the watcher may see the file created but
        // not yet written, and update again when it is. Every update must
        // take the fast path.
        loop {
            let line = server.wait_line("govbook serve: ");
            assert!(line.contains("updated 1 page(s)"), "{style}: {line}");
            if local(port, "/appendix.html").2.contains(&word) {
                break;
            }
        }
    }
}

/// Reload is pushed: the event stream sends the current build version at
/// once and the next one as soon as an edit is served, and it is refused
/// to another site like any other read.
#[test]
fn reload_is_pushed_over_server_sent_events() {
    let (_book, dir) = scratch();
    let server = start(&dir);
    let port = server.port;
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(
        format!("GET /__govbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    )
    .unwrap();
    let mut seen = String::new();
    let mut read_until = |s: &mut TcpStream, want: &dyn Fn(&str) -> bool| {
        let mut buf = [0u8; 4096];
        while !want(&seen) {
            let n = s.read(&mut buf).expect("the stream stays open");
            assert!(n > 0, "the stream ended: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        seen.clone()
    };
    let head = read_until(&mut s, &|t| t.contains("data: "));
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("Content-Type: text/event-stream"), "{head}");
    let first: String = head
        .split("data: ")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let edited = Instant::now();
    std::fs::write(dir.join("src/appendix.md"), "# Appendix\n\nPushed.\n").unwrap();
    let after = read_until(&mut s, &|t| t.matches("data: ").count() >= 2);
    let second: String = after
        .rsplit("data: ")
        .next()
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_ne!(first, second, "{after}");
    assert!(
        edited.elapsed() < Duration::from_secs(2),
        "{:?}",
        edited.elapsed()
    );
    assert!(local(port, "/appendix.html").2.contains("Pushed."));
    // The page says which build it is, so a change before the stream
    // opened still reloads it.
    assert!(
        local(port, "/index.html")
            .2
            .contains(&format!("data-version=\"{second}\""))
    );
    let cross = raw(
        port,
        &format!(
            "GET /__govbook/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nSec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: cors\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(cross.0, 403, "{}", cross.1);
}

/// A page that includes a file from outside the book (allowed by
/// `[build] include-root`) is rebuilt when that file is edited, by an
/// editor's save-by-rename too; another file beside it is not watched for.
#[test]
fn an_included_file_under_the_include_root_is_watched() {
    let mut book = BookTest::empty();
    book.change_file(
        "book.toml",
        "[book]\ntitle = \"T\"\nsrc = \"src\"\n\n[build]\ninclude-root = \"..\"\n",
    )
    .change_file("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n")
    .change_file("src/one.md", "# One\n\n{{#include ../../shared/part.md}}\n");
    let shared = book.scratch().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(shared.join("part.md"), "First version.\n").unwrap();
    let server = start(&book.dir);
    let port = server.port;
    wait_for(port, "/one.html", |b| b.contains("First version."));
    server.drain();
    save(&shared.join("part.md"), "Second version.\n");
    wait_for(port, "/one.html", |b| b.contains("Second version."));
    server.wait_line("rebuilt");
    // A file beside it that no page includes causes no rebuild.
    server.drain();
    std::fs::write(shared.join("unrelated.md"), "x\n").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let printed = server.printed();
    assert!(
        !printed.iter().any(|l| l.contains("rebuilt")),
        "{printed:?}"
    );
    save(&shared.join("part.md"), "Third version.\n");
    wait_for(port, "/one.html", |b| b.contains("Third version."));
}
