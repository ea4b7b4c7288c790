//! `govbook serve`: builds into memory, serves on loopback, rebuilds when
//! sources change and reloads open pages (pushed over server-sent events).
//!
//! Safety: only files of the rendered site are served (looked up in memory,
//! so no path reaches the file system); the `Host` header must name the
//! bound address or localhost (DNS rebinding); no CORS header is sent. A
//! failed rebuild keeps the last good site and shows the error in the page
//! and the terminal.

mod http;
mod incremental;

pub use incremental::Cache;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::check::CheckOptions;
use crate::diag::{Format, render};
use crate::failure::{Failure, failed, usage};
use crate::pipeline;
use crate::site::{self, Site, SiteOptions};
use crate::values::Date;

/// Connections served at once; more are closed unanswered.
const MAX_CONNECTIONS: usize = 128;

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
    /// Host names accepted besides localhost and IP addresses
    /// (`--allow-host`).
    pub allowed_hosts: Vec<String>,
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

/// Builds the book at `root` into memory, and keeps what the next
/// incremental rebuild needs. On errors, returns the diagnostics as text.
fn build_cached(root: &Path, today: Date) -> Result<(Site, Cache), String> {
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
        anstream::eprint!("{report}");
    }
    let theme = checked.theme.as_ref().ok_or("the theme did not compile")?;
    let (site, kept) = site::render_to_memory_kept(
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
    })?;
    let src = checked.model.config.src_dir(Path::new(""));
    let cache = Cache {
        roots: Cache::roots(root),
        src,
        checked,
        kept,
        today,
    };
    Ok((site, cache))
}

/// Runs the server until the process is stopped. `ready` is called with
/// the bound address once requests are accepted.
pub fn run(opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), Failure> {
    let started = Instant::now();
    let first = build_cached(&opts.root, opts.today);
    let mut cache = None;
    let state = Arc::new(RwLock::new(State {
        site: None,
        version: 1,
        error: None,
    }));
    match first {
        Ok((site, c)) => {
            eprintln!(
                "govbook serve: built {} pages in {} ms",
                site.pages,
                started.elapsed().as_millis()
            );
            write(&state).site = Some(Arc::new(site));
            cache = Some(c);
        }
        Err(report) => {
            anstream::eprint!("{report}");
            write(&state).error = Some(without_colors(&report));
        }
    }
    let listener = std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| usage(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| failed(format!("the server has no address: {e}")))?;
    let hosts = Arc::new(http::Hosts {
        addr,
        allowed: opts
            .allowed_hosts
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect(),
    });
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            // A thread per connection, but not without bound: past the
            // limit a connection is closed at once (a browser retries).
            let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            for stream in listener.incoming().flatten() {
                use std::sync::atomic::Ordering::SeqCst;
                if open.fetch_add(1, SeqCst) >= MAX_CONNECTIONS {
                    open.fetch_sub(1, SeqCst);
                    continue;
                }
                let state = Arc::clone(&state);
                let open = Arc::clone(&open);
                let hosts = Arc::clone(&hosts);
                std::thread::spawn(move || {
                    http::serve_connection(stream, &state, &hosts);
                    open.fetch_sub(1, SeqCst);
                });
            }
        });
    }
    let (mut watcher, events) = start_watching(&opts)?;
    let mut outside = Outside::default();
    outside.follow(&mut watcher, &opts.root, cache.as_ref());
    ready(addr);
    watch(&opts, &state, cache, events, (&mut watcher, &mut outside));
    Ok(())
}

fn write(state: &RwLock<State>) -> std::sync::RwLockWriteGuard<'_, State> {
    state.write().unwrap_or_else(|e| e.into_inner())
}

/// Starts watching `book.toml`, the content directory and `themes/`. Done
/// before the server says it is ready, so no edit after that is missed.
fn start_watching(
    opts: &ServeOptions,
) -> Result<(notify::RecommendedWatcher, mpsc::Receiver<notify::Event>), Failure> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            let _ = tx.send(ev);
        }
    })
    .map_err(|e| failed(format!("cannot watch files: {e}")))?;
    let root = &opts.root;
    let src = {
        let mut diags = crate::diag::Diagnostics::default();
        let mut sources = crate::text::Sources::new(root);
        crate::source::read(&mut sources, Path::new("book.toml"), &mut diags)
            .map(|id| crate::config::parse(&sources, id, &mut diags).src_dir(root))
            .unwrap_or_else(|| PathBuf::from("content"))
    };
    watcher
        .watch(&root.join("book.toml"), RecursiveMode::NonRecursive)
        .map_err(|e| failed(format!("cannot watch book.toml: {e}")))?;
    for dir in [root.join(&src), root.join("themes")] {
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| failed(format!("cannot watch {}: {e}", dir.display())))?;
        }
    }
    Ok((watcher, rx))
}

/// The files pages include from outside the watched directories (under
/// `[build] include-root`, or beside the content directory), and the
/// directories watched for them: a directory, not the file, because an
/// editor that saves by rename replaces the file a watch would follow.
#[derive(Default)]
struct Outside {
    dirs: BTreeSet<PathBuf>,
    files: BTreeSet<PathBuf>,
}

impl Outside {
    /// Watches the directories of what the last good build included from
    /// outside the content directory. Added to, never narrowed: a file
    /// no longer included only costs a rebuild when it changes.
    fn follow(&mut self, watcher: &mut impl notify::Watcher, root: &Path, cache: Option<&Cache>) {
        let Some(c) = cache else { return };
        for &id in &c.checked.model.included {
            let rel = &c.checked.sources.get(id).path;
            if rel.starts_with(&c.src) {
                continue;
            }
            let Ok(file) = std::fs::canonicalize(root.join(rel)) else {
                continue;
            };
            let Some(dir) = file.parent().map(Path::to_path_buf) else {
                continue;
            };
            self.files.insert(file);
            if !self.dirs.contains(&dir)
                && watcher
                    .watch(&dir, notify::RecursiveMode::NonRecursive)
                    .is_ok()
            {
                self.dirs.insert(dir);
            }
        }
    }

    /// Whether a changed path is another file of a directory watched only
    /// for an included file.
    fn ignores(&self, path: &Path) -> bool {
        path.parent().is_some_and(|d| self.dirs.contains(d)) && !self.files.contains(path)
    }
}

/// Rebuilds on every change the watcher reports. Returns only if watching
/// stops.
fn watch(
    opts: &ServeOptions,
    state: &Arc<RwLock<State>>,
    mut cache: Option<Cache>,
    rx: mpsc::Receiver<notify::Event>,
    (watcher, outside): (&mut notify::RecommendedWatcher, &mut Outside),
) {
    let root = &opts.root;
    let index_generation = Arc::new(std::sync::atomic::AtomicU64::new(0));
    while let Ok(first) = rx.recv() {
        if !matters(&first) {
            continue;
        }
        let mut changed: BTreeSet<PathBuf> = first.paths.into_iter().collect();
        // Editors write in bursts: wait until the burst is over.
        while let Ok(ev) = rx.recv_timeout(Duration::from_millis(15)) {
            if matters(&ev) {
                changed.extend(ev.paths);
            }
        }
        changed.retain(|p| !outside.ignores(p));
        if changed.is_empty() {
            continue;
        }
        let started = Instant::now();
        if let Some(patch) = cache.as_mut().and_then(|c| c.update(&changed)) {
            if patch.is_empty() {
                continue;
            }
            let pages = patch.iter().filter(|(p, _)| p.ends_with(".html")).count();
            // The edited pages go live (and open pages reload) first; the
            // search index and print page, which take longer to assemble
            // at 10,000 pages, follow a moment later.
            apply(state, patch, true);
            let took = started.elapsed().as_millis();
            if let Some(c) = &cache {
                let (print, search) = c.derived();
                apply(state, print, false);
                index_later(state, search, &index_generation);
            }
            eprintln!(
                "govbook serve: updated {pages} page(s) in {took} ms (print page in {} ms; search index follows)",
                started.elapsed().as_millis()
            );
            continue;
        }
        cache = None;
        // A full build writes its own index: an older one must not land.
        index_generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        match build_cached(root, opts.today) {
            Ok((site, c)) => {
                let pages = site.pages;
                let mut s = write(state);
                s.site = Some(Arc::new(site));
                s.error = None;
                s.version += 1;
                drop(s);
                http::ring();
                outside.follow(watcher, root, Some(&c));
                cache = Some(c);
                eprintln!(
                    "govbook serve: rebuilt {pages} pages in {} ms",
                    started.elapsed().as_millis()
                );
            }
            Err(report) => {
                let mut s = write(state);
                s.error = Some(without_colors(&report));
                s.version += 1;
                drop(s);
                http::ring();
                anstream::eprint!("{report}");
                eprintln!("govbook serve: build failed; still serving the last good site");
            }
        }
    }
}

/// Builds the search index on another thread, so the next edit is not
/// kept waiting (a 10,000-page index takes a while); it is served unless a
/// newer edit or build came first.
fn index_later(
    state: &Arc<RwLock<State>>,
    pages: site::SearchPages,
    generation: &Arc<std::sync::atomic::AtomicU64>,
) {
    use std::sync::atomic::Ordering::SeqCst;
    let mine = generation.fetch_add(1, SeqCst) + 1;
    let state = Arc::clone(state);
    let generation = Arc::clone(generation);
    std::thread::spawn(move || {
        let files: incremental::Patch = pages
            .files()
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()))
            .collect();
        // Checked under the state's lock, so a newer index is never
        // overwritten by this one.
        let mut s = write(&state);
        if generation.load(SeqCst) == mine
            && let Some(site) = s.site.as_mut()
        {
            let site = Arc::make_mut(site);
            for (path, bytes) in files {
                site.files.insert(path, bytes);
            }
        }
    });
}

/// Replaces files of the site being served; `reload` tells open pages.
fn apply(state: &RwLock<State>, patch: incremental::Patch, reload: bool) {
    let mut s = write(state);
    if let Some(site) = s.site.as_mut() {
        let site = Arc::make_mut(site);
        for (path, bytes) in patch {
            site.files.insert(path, bytes);
        }
    }
    if reload {
        s.version += 1;
        drop(s);
        http::ring();
    }
}

/// A report as the page shows it: the terminal's colour codes removed.
fn without_colors(report: &str) -> String {
    anstream::adapter::strip_str(report).to_string()
}

fn matters(ev: &notify::Event) -> bool {
    use notify::EventKind;
    matches!(
        ev.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}
