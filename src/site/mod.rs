//! Rendering the site into memory: one HTML page per prose page and per
//! governance concern, the sidebar and search index as scripts, a print
//! page, `404.html`, `sitemap.xml`, assets, and the profile files the
//! profiles page links to. Files go to an [`crate::output::Sink`]: memory
//! for `serve`, the staging directory for `build`.

mod charts;
mod context;
mod fleet;
mod governance;
mod kept;
mod nav;
mod renderer;
mod search;
mod theme;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::output::{MemorySink, Sink};
pub use context::{BookCtx, PageCtx, PageLink};
use kept::{Chapter, KeptPage, PRINT_MARK};
pub use kept::{Kept, SearchPages};
pub use nav::Nav;
use renderer::Renderer;
pub use theme::Theme;

use crate::diag::{Code, Diagnostic};
use crate::markdown;
use crate::model::{Governance, Model};
use crate::templates::{ArtifactSet, manifest};
use crate::text::Sources;
use crate::values::Date;

/// A site rendered into memory: output path (relative, `/`-separated) to
/// bytes.
#[derive(Debug, Default, Clone)]
pub struct Site {
    /// Every file, sorted by path.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Number of HTML pages (prose and generated).
    pub pages: usize,
}

/// What a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Rendered {
    /// HTML pages (prose and generated).
    pub pages: usize,
    /// Files of every kind.
    pub files: usize,
}

/// Renders the whole site into memory (for `serve` and tests).
pub fn render_to_memory(
    model: &Model,
    sources: &Sources,
    artifacts: &[ArtifactSet],
    theme: &Theme,
    opts: &SiteOptions,
) -> Result<Site, Diagnostic> {
    let sink = MemorySink::default();
    let r = render(model, sources, artifacts, theme, opts, &sink)?;
    Ok(Site {
        files: sink.into_files(),
        pages: r.pages,
    })
}

/// Renders the whole site into memory and keeps what
/// [`Kept::update_page`] needs (for `serve`).
pub fn render_to_memory_kept(
    model: &Model,
    sources: &Sources,
    artifacts: &[ArtifactSet],
    theme: &Theme,
    opts: &SiteOptions,
) -> Result<(Site, Kept), Diagnostic> {
    let sink = MemorySink::default();
    let (r, kept) = render_kept(model, sources, artifacts, theme, opts, &sink)?;
    let site = Site {
        files: sink.into_files(),
        pages: r.pages,
    };
    Ok((site, kept))
}

/// What rendering needs besides the model.
pub struct SiteOptions<'a> {
    /// The date overdue banners are computed against.
    pub today: Date,
    /// Called once per rendered prose page (from any thread), for progress.
    pub on_page: Option<&'a (dyn Fn() + Sync)>,
}

#[derive(Serialize)]
struct Ctx<'a> {
    book: &'a BookCtx,
    page: &'a PageCtx,
    today: String,
    generator: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    teams: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commands: Option<&'a serde_json::Value>,
}

const GENERATOR: &str = concat!("govbook ", env!("CARGO_PKG_VERSION"));

/// Renders the whole site.
pub fn render(
    model: &Model,
    sources: &Sources,
    artifacts: &[ArtifactSet],
    theme: &Theme,
    opts: &SiteOptions,
    sink: &dyn Sink,
) -> Result<Rendered, Diagnostic> {
    render_kept(model, sources, artifacts, theme, opts, sink).map(|(r, _)| r)
}

/// Renders the whole site and returns, besides the count, what
/// [`Kept::update_page`] needs to render one page again.
pub fn render_kept(
    model: &Model,
    sources: &Sources,
    artifacts: &[ArtifactSet],
    theme: &Theme,
    opts: &SiteOptions,
    sink: &dyn Sink,
) -> Result<(Rendered, Kept), Diagnostic> {
    let r = Renderer::new(model, sources, theme, opts.today);
    let out = Counted {
        sink,
        files: AtomicUsize::new(0),
    };
    let prose = prose_pages(model, &r, opts, &out)?;
    let prose_index: HashMap<&str, usize> = prose
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let generated = match &model.governance {
        Some(g) => governance_pages(model, g, artifacts, &r, opts, &prose, &prose_index, &out)?,
        None => Generated::default(),
    };
    if !prose_index.contains_key("index.html") {
        home_page(model, &r, &out)?;
    }
    let print = print_page(&prose_index, generated.print, &r)?;
    let kept = Kept {
        prose,
        generated_docs: generated.docs,
        print_head: print.head,
        print_tail: print.tail,
        chapters: print.chapters,
    };
    // The search index is assembled from every page at once (a tenth of a
    // second at 10,000 pages): beside the rest, not after it.
    let (searched, rest) = rayon::join(
        || {
            kept.search_pages()
                .each_file(&|path, text| out.put(path, text.as_bytes()))
        },
        || -> Result<(), Diagnostic> {
            if model.config.html.print {
                out.parts("print.html", &kept.print_parts())?;
            }
            special_pages(model, &r, &out)?;
            mdbook_extras(model, &r, &out)?;
            for (path, bytes) in &theme.assets {
                let site = format!("assets/{path}");
                // An mdBook theme's favicon was written in its place.
                if !r.book.extra_files.iter().any(|(s, _)| *s == site) {
                    out.put(&site, bytes)?;
                }
            }
            out.put(
                "assets/highlight.css",
                markdown::highlight::css().as_bytes(),
            )?;
            // One at a time, read as it is written: a book's downloads are
            // never all in memory.
            for asset in &model.assets {
                let bytes = asset.read().map_err(|e| {
                    Diagnostic::new(
                        Code::ReadFailed,
                        format!("cannot read {}: {e}", asset.path.display()),
                    )
                })?;
                out.put(&asset.path.to_string_lossy().replace('\\', "/"), &bytes)?;
            }
            Ok(())
        },
    );
    rest?;
    searched?;
    let rendered = Rendered {
        pages: kept.prose.len() + generated.pages,
        files: out.files.into_inner(),
    };
    Ok((rendered, kept))
}

/// The sink, counting the files written.
struct Counted<'a> {
    sink: &'a dyn Sink,
    files: AtomicUsize,
}

impl Counted<'_> {
    fn parts(&self, path: &str, parts: &[&[u8]]) -> Result<(), Diagnostic> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.sink.put_parts(path, parts).map_err(write_error)
    }

    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.parts(path, &[bytes])
    }
}

/// Prose pages, in parallel, each written as soon as it is rendered; only
/// its search sections and print chapter are kept, in page order.
fn prose_pages(
    model: &Model,
    r: &Renderer<'_>,
    opts: &SiteOptions,
    out: &Counted<'_>,
) -> Result<Vec<KeptPage>, Diagnostic> {
    model
        .pages
        .par_iter()
        .map(|p| {
            let (html, kept) = r.prose(p)?;
            if let Some(tick) = opts.on_page {
                tick();
            }
            out.put(&kept.url, html.as_bytes())?;
            Ok(kept)
        })
        .collect()
}

/// What the governance pages leave for the print page and search.
#[derive(Default)]
struct Generated {
    /// Each page's `<article>` as a print chapter, by URL.
    print: HashMap<String, String>,
    /// One search entry per page (its title).
    docs: Vec<std::sync::Arc<search::PageIndex>>,
    /// Pages written.
    pages: usize,
}

/// Governance pages, the artifacts and the data files beside them. Each
/// page is also rendered again as a print chapter (root "", so its links
/// resolve from print.html).
#[allow(clippy::too_many_arguments)]
fn governance_pages(
    model: &Model,
    g: &Governance,
    artifacts: &[ArtifactSet],
    r: &Renderer<'_>,
    opts: &SiteOptions,
    prose: &[KeptPage],
    prose_index: &HashMap<&str, usize>,
    out: &Counted<'_>,
) -> Result<Generated, Diagnostic> {
    let mut generated = Generated::default();
    let files = artifact_files(artifacts, &r.book, &|p, b| out.put(p, b))?;
    let titles = |url: &str| prose_index.get(url).map(|&i| prose[i].title.clone());
    let metrics = serde_json::to_string_pretty(&charts::json(model, g)).unwrap_or_default() + "\n";
    out.put("metrics.json", metrics.as_bytes())?;
    let manifest = manifest::build(model, artifacts);
    let manifest_json = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    out.put("templates/manifest.json", manifest_json.as_bytes())?;
    for (path, text) in crate::schema::published() {
        out.put(path, text.as_bytes())?;
    }
    for mut gp in governance::pages(model, g, opts.today, &files, &manifest, &titles) {
        r.place(&mut gp.page);
        if let Some(c) = crate::model::CONCERNS
            .iter()
            .find(|c| c.url == gp.page.path && c.file != crate::model::FileRule::NoFile)
        {
            gp.page.edit_url = r.edit_url(&format!("governance/{}.toml", c.name));
        }
        let html = r.template(&gp.template, &gp.page, Some(&gp.data))?;
        // The Fleet page is the fleet's state, one row per repository, not
        // the handbook's text: it stays out of the print page, and the
        // search index has its title only.
        if gp.page.path == "governance/fleet.html" {
            generated.docs.push(std::sync::Arc::new(search::page(
                &gp.page.path,
                &gp.page.title,
                &[(String::new(), String::new(), String::new())],
            )));
            out.put(&gp.page.path, html.as_bytes())?;
            generated.pages += 1;
            continue;
        }
        let mut in_print = gp.page.clone();
        in_print.root = String::new();
        let printed = r.template(&gp.template, &in_print, Some(&gp.data))?;
        let text = article_of(&printed)
            .map(search::html_text)
            .unwrap_or_default();
        generated.docs.push(std::sync::Arc::new(search::page(
            &gp.page.path,
            &gp.page.title,
            &[(String::new(), String::new(), text)],
        )));
        if let Some(article) = article_of(&printed) {
            generated
                .print
                .insert(gp.page.path.clone(), markdown::highlight::strip(article));
        }
        out.put(&gp.page.path, html.as_bytes())?;
        generated.pages += 1;
    }
    Ok(generated)
}

/// The home page when no README or index page exists: as in mdBook, the
/// first chapter again, when it sits at the top of the book (its relative
/// links then work from `index.html` too); otherwise a link to it.
fn home_page(model: &Model, r: &Renderer<'_>, out: &Counted<'_>) -> Result<(), Diagnostic> {
    let Some((first, _)) = r.order.first() else {
        return Ok(());
    };
    let page = (!first.contains('/'))
        .then(|| {
            model
                .pages
                .iter()
                .find(|p| markdown::page_url(&p.path.to_string_lossy()) == *first)
        })
        .flatten();
    if let Some(p) = page {
        let (html, _) = r.prose(p)?;
        return out.put("index.html", html.as_bytes());
    }
    let mut page = PageCtx::new("index.html", &r.book.title, "special");
    page.content = format!(
        "<p>This book starts at <a href=\"{u}\">{t}</a>.</p>",
        u = markdown::escape(first),
        t = markdown::escape(r.nav.title_of(first).unwrap_or(first))
    );
    out.put(
        "index.html",
        r.template("prose.html", &page, None)?.as_bytes(),
    )
}

/// The print page: the whole handbook, prose chapters and governance
/// pages, in reading order. The layout is rendered around a marker, and
/// the chapters are written between its halves, never joined in memory.
fn print_page(
    prose_index: &HashMap<&str, usize>,
    mut print_parts: HashMap<String, String>,
    r: &Renderer<'_>,
) -> Result<PrintLayout, Diagnostic> {
    let mut print = PageCtx::new("print.html", &r.book.title, "special");
    print.content = PRINT_MARK.to_owned();
    let shell = r.template("print.html", &print, None)?;
    let (head, tail) = shell.split_once(PRINT_MARK).unwrap_or((shell.as_str(), ""));
    let mut chapters = Vec::new();
    for (url, _) in &r.order {
        let body = match prose_index.get(url.as_str()) {
            Some(&i) => Chapter::Prose(i),
            None => match print_parts.remove(url) {
                Some(article) => Chapter::Generated(article),
                None => continue,
            },
        };
        let open = format!(
            "<section class=\"print-chapter\" id=\"print-{}\">\n",
            markdown::escape(&url.replace(['/', '.'], "-"))
        );
        chapters.push((open, body));
    }
    Ok(PrintLayout {
        head: head.to_owned(),
        tail: tail.to_owned(),
        chapters,
    })
}

/// The print page's layout around its chapters.
struct PrintLayout {
    head: String,
    tail: String,
    /// Each chapter's opening tag and body, in reading order.
    chapters: Vec<(String, Chapter)>,
}

/// `404.html`, the contents page, the sidebar scripts and the sitemap.
fn special_pages(model: &Model, r: &Renderer<'_>, out: &Counted<'_>) -> Result<(), Diagnostic> {
    // 404: served at any depth, so its links start at the site root.
    let mut not_found = PageCtx::new("404.html", "Page not found", "special");
    not_found.root = site_root(model);
    if let Some(p) = &model.not_found {
        let html = markdown::render_with(
            p.markdown(r.sources),
            model.config.raw_html(),
            &model.config.flavor,
        )
        .html;
        not_found.content = from_root(&html, &not_found.root);
    }
    out.put(
        "404.html",
        r.template("404.html", &not_found, None)?.as_bytes(),
    )?;
    let mut toc = PageCtx::new("toc.html", "Contents", "special");
    toc.content = r.nav.html();
    out.put("toc.html", r.template("prose.html", &toc, None)?.as_bytes())?;
    out.put("toc.js", r.nav.script().as_bytes())?;
    for (path, text) in r.nav.chunks() {
        out.put(&path, text.as_bytes())?;
    }
    if let Some(map) = sitemap(model, &r.order) {
        out.put("sitemap.xml", map.as_bytes())?;
    }
    Ok(())
}

/// `html` with its relative `href` and `src` targets made to start at
/// `root`: the not-found page is served at any depth (mdBook gives it a
/// `<base>` for the same reason).
fn from_root(html: &str, root: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = ["href=\"", "src=\""]
        .iter()
        .filter_map(|a| rest.find(a).map(|i| i + a.len()))
        .min()
    {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if !(rest.starts_with('/') || rest.starts_with('#') || markdown::is_external(rest)) {
            out.push_str(&markdown::escape(root));
        }
    }
    out.push_str(rest);
    out
}

/// What `[output.html]` adds: the additional CSS and JS files and one
/// redirect page per `redirect` entry (a `#fragment` entry needs a script
/// and is left out; `check` says so).
fn mdbook_extras(model: &Model, r: &Renderer<'_>, out: &Counted<'_>) -> Result<(), Diagnostic> {
    for (site, source) in &r.book.extra_files {
        let bytes = std::fs::read(source).map_err(|e| {
            Diagnostic::new(
                Code::ReadFailed,
                format!("cannot read {}: {e}", source.display()),
            )
        })?;
        out.put(site, &bytes)?;
    }
    for redirect in &model.config.html.redirects {
        if !redirect.from.contains('#') {
            out.put(&redirect.from, redirect_page(&redirect.to).as_bytes())?;
        }
    }
    Ok(())
}

/// A page that sends the reader to `to`: a meta refresh, and a link for
/// when refreshes are off. No script.
fn redirect_page(to: &str) -> String {
    let to = markdown::escape(to);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Redirecting…</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; URL={to}\">\n<link rel=\"canonical\" href=\"{to}\">\n\
         </head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n"
    )
}

fn write_error(failure: crate::failure::Failure) -> Diagnostic {
    Diagnostic::new(Code::OutputWrite, failure.to_string())
        .with_hint("the previous site, if any, is untouched")
}

/// A stamped artifact as the templates page and profiles page show it.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactFile {
    /// Artifact id.
    pub id: String,
    /// For Codex files: the profile name, or `config` for the base file.
    pub name: String,
    /// Human title.
    pub title: String,
    /// Path in a repository.
    pub repo_path: String,
    /// Download path relative to the site root.
    pub path: String,
    /// The whole file as a new repository gets it.
    pub text: String,
    /// The stamp line.
    pub stamp: String,
    /// Highlighted HTML of `text`.
    pub html: String,
    /// How `text` is highlighted.
    #[serde(skip)]
    pub format: crate::stamp::Syntax,
    /// The team whose variant this is; `None` for the default set.
    pub team: Option<String>,
    /// For a team's variant: a unified diff of its managed text against the
    /// default's, so a reviewer sees what reaches that team's repositories.
    pub diff: Option<String>,
}

/// Writes every artifact under `templates/` (team sets under
/// `templates/teams/TEAM/`) and returns the default set for the pages.
/// Writes one file of the site.
type Put<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + 'a;

fn artifact_files(
    sets: &[ArtifactSet],
    book: &BookCtx,
    put: &Put<'_>,
) -> Result<Vec<ArtifactFile>, Diagnostic> {
    let mut out = Vec::new();
    let default = sets.iter().find(|s| s.team.is_none());
    for set in sets {
        let team = set.team.as_deref();
        let prefix = team.map_or("templates/".to_owned(), |t| format!("templates/teams/{t}/"));
        for a in &set.artifacts {
            let stamp = a.stamp(team, &book.version, &book.baseline);
            let text = a.file_text(&stamp);
            let path = format!("{prefix}{}", a.path);
            put(&path, text.as_bytes())?;
            // A team's text that equals the default's needs no second look;
            // one that differs is shown as a diff.
            let diff = match team {
                None => None,
                Some(t) => {
                    let base = default
                        .and_then(|d| d.artifacts.iter().find(|b| b.id == a.id))
                        .map_or("", |b| b.body.as_str());
                    if base == a.body {
                        continue;
                    }
                    Some(
                        similar::TextDiff::from_lines(base, &a.body)
                            .unified_diff()
                            .context_radius(2)
                            .header(&format!("default/{}", a.path), &format!("{t}/{}", a.path))
                            .to_string(),
                    )
                }
            };
            let name = a
                .path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".toml")
                .trim_end_matches(".config")
                .to_owned();
            out.push(ArtifactFile {
                id: a.id.clone(),
                name,
                title: a.title.clone(),
                repo_path: a.path.clone(),
                path,
                stamp: stamp.to_string(),
                text,
                html: String::new(),
                format: a.format,
                team: team.map(str::to_owned),
                diff,
            });
        }
    }
    // syntect's Markdown grammar takes tens of milliseconds on a long
    // checklist: the files are highlighted on every core.
    out.par_iter_mut().for_each(|f| {
        if let Some(diff) = &f.diff {
            f.html = markdown::escape(diff);
            return;
        }
        // `.gitignore` has `#` comments like TOML, but patterns the TOML
        // grammar marks invalid.
        let lang = (!f.path.ends_with(".gitignore")).then(|| f.format.name());
        f.html = lang
            .and_then(|lang| markdown::highlight::highlight(&f.text, lang))
            .unwrap_or_else(|| markdown::escape(&f.text));
    });
    Ok(out)
}

/// The `<article>` element of a rendered page, if the theme has one.
fn article_of(html: &str) -> Option<&str> {
    let start = html.find("<article")?;
    let end = html.rfind("</article>")? + "</article>".len();
    (start < end).then(|| &html[start..end])
}

/// Teams and commands by id, for templates that show references.
fn lookups(model: &Model) -> (serde_json::Value, serde_json::Value) {
    let mut teams = serde_json::Map::new();
    let mut commands = serde_json::Map::new();
    if let Some(g) = &model.governance {
        if let Some(o) = &g.owners {
            for t in &o.value.team {
                let t = t.get_ref();
                teams.insert(
                    t.id.to_string(),
                    serde_json::to_value(t).unwrap_or_default(),
                );
            }
        }
        if let Some(c) = &g.commands {
            for cmd in &c.value.command {
                let cmd = cmd.get_ref();
                commands.insert(
                    cmd.id.to_string(),
                    serde_json::to_value(cmd).unwrap_or_default(),
                );
            }
        }
    }
    (
        serde_json::Value::Object(teams),
        serde_json::Value::Object(commands),
    )
}

/// The URL prefix of the site root for pages served at any depth.
fn site_root(model: &Model) -> String {
    let url = model.config.site.site_url.as_deref().unwrap_or("/");
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

/// `sitemap.xml`, only when `site-url` is absolute (a sitemap needs full URLs).
fn sitemap(model: &Model, order: &[(String, String)]) -> Option<String> {
    let base = site_root(model);
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        return None;
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, _) in order {
        out.push_str(&format!(
            "  <url><loc>{}{}</loc></url>\n",
            markdown::escape(&base),
            markdown::escape(url)
        ));
    }
    out.push_str("</urlset>\n");
    Some(out)
}

fn template_error(template: &str, e: &dyn std::error::Error) -> Diagnostic {
    Diagnostic::new(
        Code::ThemeTemplate,
        format!("template {template}: {}", crate::diag::error_chain(e)),
    )
    .at_path(std::path::Path::new(&format!("themes/{template}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn not_found_links_start_at_the_root() {
        assert_eq!(
            super::from_root(
                "<a href=\"index.html\">a</a> <a href=\"#x\">b</a> <img src=\"i/l.svg\"> <a href=\"https://e.org/\">c</a> <a href=\"/abs\">d</a>",
                "/book/"
            ),
            "<a href=\"/book/index.html\">a</a> <a href=\"#x\">b</a> <img src=\"/book/i/l.svg\"> <a href=\"https://e.org/\">c</a> <a href=\"/abs\">d</a>"
        );
    }
}
