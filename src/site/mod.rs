//! Rendering the site into memory: one HTML page per prose page and per
//! governance concern, the sidebar and search index as scripts, a print
//! page, `404.html`, `sitemap.xml`, assets, and the profile files the
//! profiles page links to. Nothing here touches the file system.

mod charts;
mod context;
mod governance;
mod nav;
mod search;
mod sink;
mod theme;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

pub use context::{BookCtx, PageCtx, PageLink};
pub use governance::PAGES as GENERATED_PAGES;
pub use nav::Nav;
pub use sink::{DirSink, MemorySink, Sink};
pub use theme::Theme;

use crate::diag::{Code, Diagnostic};
use crate::markdown::{self, page_url};
use crate::model::Model;
use crate::model::values::Date;
use crate::source::Sources;
use crate::templates::{ArtifactSet, manifest};

/// A site rendered into memory: output path (relative, `/`-separated) to
/// bytes.
#[derive(Debug, Default)]
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

/// One prose page after Markdown rendering.
struct Prose {
    url: String,
    page: PageCtx,
    sections: Vec<search::Doc>,
}

/// Renders the whole site.
pub fn render(
    model: &Model,
    sources: &Sources,
    artifacts: &[ArtifactSet],
    theme: &Theme,
    opts: &SiteOptions,
    sink: &dyn Sink,
) -> Result<Rendered, Diagnostic> {
    let book = BookCtx::new(model);
    let gov = model.governance.as_ref();
    let generated: &[(&str, &str)] = if gov.is_some() { GENERATED_PAGES } else { &[] };
    let nav = Nav::new(model, generated);
    let order = nav.order();
    let today = opts.today.to_string();
    let counted = std::sync::atomic::AtomicUsize::new(0);
    let put = |path: &str, bytes: &[u8]| {
        counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        sink.put(path, bytes).map_err(write_error)
    };
    let mut pages = 0;

    let (teams, commands) = lookups(model);
    let render_page = |template: &str, page: &PageCtx, data: Option<&serde_json::Value>| {
        let ctx = Ctx {
            book: &book,
            page,
            today: today.clone(),
            generator: GENERATOR,
            data,
            teams: data.map(|_| &teams),
            commands: data.map(|_| &commands),
        };
        let ctx = tera::Context::from_serialize(&ctx).map_err(|e| template_error(template, &e))?;
        theme
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(template, &e))
    };
    let link = |i: Option<usize>| {
        i.and_then(|i| order.get(i)).map(|(u, t)| PageLink {
            title: (*t).to_owned(),
            url: (*u).to_owned(),
        })
    };
    let position = |url: &str| order.iter().position(|(u, _)| *u == url);

    // Prose pages, in parallel; collected in page order so output is stable.
    let prose: Vec<Prose> = model
        .pages
        .par_iter()
        .map(|p| {
            let url = page_url(&p.path.to_string_lossy());
            let r = markdown::render(p.markdown(sources), model.config.raw_html());
            let h1 = r
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.text.clone());
            let title = p
                .title()
                .map(str::to_owned)
                .or_else(|| nav.title_of(&url).map(str::to_owned))
                .or(h1)
                .unwrap_or_else(|| {
                    p.path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                });
            let mut page = PageCtx::new(&url, &title, "prose");
            page.review(&p.review, gov, opts.today);
            page.content = r.html;
            page.toc = r
                .headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .map(|h| context::TocEntry {
                    level: h.level,
                    id: h.id.clone(),
                    text: h.text.clone(),
                })
                .collect();
            page.source = format!(
                "{}/{}",
                model.config.src_dir(std::path::Path::new("")).display(),
                p.path.display()
            )
            .replace('\\', "/");
            let sections = r
                .sections
                .iter()
                .map(|(h, text)| {
                    let (anchor, heading) = match h {
                        Some(i) => (
                            format!("#{}", r.headings[*i].id),
                            r.headings[*i].text.clone(),
                        ),
                        None => (String::new(), String::new()),
                    };
                    search::Doc(
                        format!("{url}{anchor}"),
                        title.clone(),
                        heading,
                        search::excerpt(text),
                    )
                })
                .collect();
            Prose {
                url,
                page,
                sections,
            }
        })
        .collect();

    // Each page is written as soon as it is rendered.
    prose.par_iter().try_for_each(|p| {
        let mut page = p.page.clone();
        if let Some(tick) = opts.on_page {
            tick();
        }
        let at = position(&p.url);
        page.prev = link(at.and_then(|i| i.checked_sub(1)));
        page.next = link(at.map(|i| i + 1));
        put(&p.url, render_page("prose.html", &page, None)?.as_bytes())
    })?;
    pages += prose.len();

    // Governance pages.
    // Governance pages rendered again as print chapters (root "", so their
    // links resolve from print.html): their <article>, by URL.
    let mut print_parts: BTreeMap<String, String> = BTreeMap::new();
    let mut docs: Vec<search::Doc> = prose
        .iter()
        .flat_map(|p| p.sections.iter())
        .map(clone_doc)
        .collect();
    if let Some(g) = gov {
        let files = artifact_files(artifacts, &book, &put)?;
        let titles = |url: &str| {
            prose
                .iter()
                .find(|p| p.url == url)
                .map(|p| p.page.title.clone())
        };
        let metrics =
            serde_json::to_string_pretty(&charts::json(model, g)).unwrap_or_default() + "\n";
        put("metrics.json", metrics.as_bytes())?;
        let manifest = manifest::build(model, artifacts);
        let manifest_json = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
        put("templates/manifest.json", manifest_json.as_bytes())?;
        for mut gp in governance::pages(model, g, opts.today, &files, &manifest, &titles) {
            let at = position(&gp.page.path);
            gp.page.prev = link(at.and_then(|i| i.checked_sub(1)));
            gp.page.next = link(at.map(|i| i + 1));
            let html = render_page(&gp.template, &gp.page, Some(&gp.data))?;
            docs.push(search::Doc(
                gp.page.path.clone(),
                gp.page.title.clone(),
                String::new(),
                String::new(),
            ));
            let mut in_print = gp.page.clone();
            in_print.root = String::new();
            let printed = render_page(&gp.template, &in_print, Some(&gp.data))?;
            if let Some(article) = article_of(&printed) {
                print_parts.insert(gp.page.path.clone(), article.to_owned());
            }
            put(&gp.page.path, html.as_bytes())?;
            pages += 1;
        }
    }

    // The first page is the home page when no README/index page exists.
    if !prose.iter().any(|p| p.url == "index.html")
        && let Some((first, _)) = order.first()
    {
        let page = PageCtx::new("index.html", &book.title, "special");
        let mut page = page;
        page.content = format!(
            "<p>This book starts at <a href=\"{u}\">{t}</a>.</p>",
            u = markdown::escape(first),
            t = markdown::escape(nav.title_of(first).unwrap_or(first))
        );
        put(
            "index.html",
            render_page("prose.html", &page, None)?.as_bytes(),
        )?;
    }

    // Print page: the whole handbook, prose chapters and governance pages,
    // in reading order. The layout is rendered around a marker and the
    // chapters are written between its halves, never joined in memory.
    const MARK: &str = "\u{1}govbook-print-body\u{1}";
    let mut print = PageCtx::new("print.html", &book.title, "special");
    print.content = MARK.to_owned();
    let shell = render_page("print.html", &print, None)?;
    let (head, tail) = shell.split_once(MARK).unwrap_or((shell.as_str(), ""));
    // Chapters without highlight spans: a third of the bytes, same text.
    let mut chapters: Vec<(String, String)> = Vec::new();
    for (url, _) in &order {
        let part = prose
            .iter()
            .find(|p| p.url == *url)
            .map(|p| p.page.content.as_str())
            .or_else(|| print_parts.get(*url).map(String::as_str));
        if let Some(content) = part {
            let open = format!(
                "<section class=\"print-chapter\" id=\"print-{}\">\n",
                markdown::escape(&url.replace(['/', '.'], "-"))
            );
            chapters.push((open, markdown::highlight::strip(content)));
        }
    }
    let mut parts: Vec<&[u8]> = vec![head.as_bytes()];
    for (open, content) in &chapters {
        parts.extend([
            open.as_bytes(),
            content.as_bytes(),
            b"</section>\n".as_slice(),
        ]);
    }
    parts.push(tail.as_bytes());
    counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    sink.put_parts("print.html", &parts).map_err(write_error)?;

    // 404: served at any depth, so its links start at the site root.
    let mut not_found = PageCtx::new("404.html", "Page not found", "special");
    not_found.root = site_root(model);
    put(
        "404.html",
        render_page("404.html", &not_found, None)?.as_bytes(),
    )?;

    let mut toc = PageCtx::new("toc.html", "Contents", "special");
    toc.content = nav.html();
    put(
        "toc.html",
        render_page("prose.html", &toc, None)?.as_bytes(),
    )?;
    put("toc.js", nav.script().as_bytes())?;
    put("searchindex.js", search::script(&docs).as_bytes())?;
    if let Some(map) = sitemap(model, &order) {
        put("sitemap.xml", map.as_bytes())?;
    }
    for (path, bytes) in &theme.assets {
        put(&format!("assets/{path}"), bytes)?;
    }
    put(
        "assets/highlight.css",
        markdown::highlight::css().as_bytes(),
    )?;
    for (path, bytes) in &model.assets {
        put(&path.to_string_lossy().replace('\\', "/"), bytes)?;
    }
    Ok(Rendered {
        pages,
        files: counted.into_inner(),
    })
}

fn write_error(msg: String) -> Diagnostic {
    Diagnostic::new(Code::OutputWrite, msg).with_hint("the previous site, if any, is untouched")
}

/// A stamped artifact as the templates page and profiles page show it.
#[derive(Debug, Clone, Serialize)]
pub struct ArtifactFile {
    /// Artifact id.
    pub id: String,
    /// For Codex files: the profile name, or `config` for the base file.
    pub name: String,
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
    for set in sets {
        let team = set.team.as_deref();
        let prefix = team.map_or("templates/".to_owned(), |t| format!("templates/teams/{t}/"));
        for a in &set.artifacts {
            let stamp = a.stamp(team, &book.version, &book.baseline);
            let text = a.file_text(&stamp);
            let path = format!("{prefix}{}", a.path);
            put(&path, text.as_bytes())?;
            if team.is_none() {
                let lang = match a.format {
                    crate::stamp::Format::Markdown => "markdown",
                    crate::stamp::Format::Toml => "toml",
                    crate::stamp::Format::Json => "json",
                };
                let html = markdown::highlight::highlight(&text, lang)
                    .unwrap_or_else(|| markdown::escape(&text));
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
                    html,
                });
            }
        }
    }
    Ok(out)
}

/// The `<article>` element of a rendered page, if the theme has one.
fn article_of(html: &str) -> Option<&str> {
    let start = html.find("<article")?;
    let end = html.rfind("</article>")? + "</article>".len();
    (start < end).then(|| &html[start..end])
}

fn clone_doc(d: &search::Doc) -> search::Doc {
    search::Doc(d.0.clone(), d.1.clone(), d.2.clone(), d.3.clone())
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
fn sitemap(model: &Model, order: &[(&str, &str)]) -> Option<String> {
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
