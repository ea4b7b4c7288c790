//! `govbook serve`: builds into memory, serves on loopback, rebuilds when
//! sources change and reloads open pages.
//!
//! Safety: only files of the rendered site are served (looked up in memory,
//! so no path reaches the file system); the `Host` header must name the
//! bound address or localhost (DNS rebinding); no CORS header is sent. A
//! failed rebuild keeps the last good site and shows the error in the page
//! and the terminal.

mod http;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::check::CheckOptions;
use crate::diag::{Format, render};
use crate::model::values::Date;
use crate::pipeline;
use crate::site::{self, Site, SiteOptions};

/// What `serve` needs.
pub struct ServeOptions {
    /// The book root.
    pub root: PathBuf,
    /// Address to bind (127.0.0.1 by default).
    pub bind: IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
    /// The date reviews are judged against.
    pub today: Date,
}

/// The site being served and the outcome of the last build.
pub struct State {
    /// The last site that built.
    pub site: Option<Arc<Site>>,
    /// Bumped on every successful or failed rebuild, for live reload.
    pub version: u64,
    /// The last build's errors, when it failed.
    pub error: Option<String>,
}

/// Builds the book at `root` into memory. On errors, returns the
/// diagnostics as text.
pub fn build(root: &Path, today: Date) -> Result<Site, String> {
    let checked = pipeline::check(
        root,
        &CheckOptions {
            today,
            strict: false,
        },
    );
    let mut report = Vec::new();
    let _ = render(
        &mut report,
        Format::Human,
        checked.diags.items(),
        &checked.sources,
    );
    let report = String::from_utf8_lossy(&report).into_owned();
    if checked.diags.has_errors() {
        return Err(report);
    }
    if !report.is_empty() {
        eprint!("{report}");
    }
    let theme = checked.theme.as_ref().ok_or("the theme did not compile")?;
    site::render_to_memory(
        &checked.model,
        &checked.sources,
        &checked.artifacts,
        theme,
        &SiteOptions {
            today,
            on_page: None,
        },
    )
    .map_err(|d| {
        let mut out = Vec::new();
        let _ = render(&mut out, Format::Human, &[d], &checked.sources);
        String::from_utf8_lossy(&out).into_owned()
    })
}

/// Runs the server until the process is stopped. `ready` is called with
/// the bound address once requests are accepted.
pub fn run(opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    let started = Instant::now();
    let first = build(&opts.root, opts.today);
    let state = Arc::new(RwLock::new(State {
        site: None,
        version: 1,
        error: None,
    }));
    match first {
        Ok(site) => {
            eprintln!(
                "govbook serve: built {} pages in {} ms",
                site.pages,
                started.elapsed().as_millis()
            );
            write(&state).site = Some(Arc::new(site));
        }
        Err(report) => {
            eprint!("{report}");
            write(&state).error = Some(report);
        }
    }
    let listener = std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("the server has no address: {e}"))?;
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&state);
                std::thread::spawn(move || http::serve_connection(stream, &state, addr));
            }
        });
    }
    ready(addr);
    watch(&opts, &state)
}

fn write(state: &RwLock<State>) -> std::sync::RwLockWriteGuard<'_, State> {
    state.write().unwrap_or_else(|e| e.into_inner())
}

/// Watches `book.toml`, the content directory and `themes/`, rebuilding on
/// change. Returns only if watching fails.
fn watch(opts: &ServeOptions, state: &RwLock<State>) -> Result<(), String> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            let _ = tx.send(ev);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let root = &opts.root;
    let src = {
        let mut diags = crate::diag::Diagnostics::default();
        let mut sources = crate::source::Sources::new(root);
        sources
            .read(Path::new("book.toml"), &mut diags)
            .map(|id| crate::config::parse(&sources, id, &mut diags).src_dir(root))
            .unwrap_or_else(|| PathBuf::from("content"))
    };
    watcher
        .watch(&root.join("book.toml"), RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch book.toml: {e}"))?;
    for dir in [root.join(&src), root.join("themes")] {
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        }
    }
    while let Ok(first) = rx.recv() {
        if !matters(&first) {
            continue;
        }
        // Editors write in bursts: wait until the burst is over.
        while rx.recv_timeout(Duration::from_millis(30)).is_ok() {}
        let started = Instant::now();
        match build(root, opts.today) {
            Ok(site) => {
                let pages = site.pages;
                let mut s = write(state);
                s.site = Some(Arc::new(site));
                s.error = None;
                s.version += 1;
                drop(s);
                eprintln!(
                    "govbook serve: rebuilt {pages} pages in {} ms",
                    started.elapsed().as_millis()
                );
            }
            Err(report) => {
                eprint!("{report}");
                eprintln!("govbook serve: build failed; still serving the last good site");
                let mut s = write(state);
                s.error = Some(report);
                s.version += 1;
            }
        }
    }
    Ok(())
}

fn matters(ev: &notify::Event) -> bool {
    use notify::EventKind;
    matches!(
        ev.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}
