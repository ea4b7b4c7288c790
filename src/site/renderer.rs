//! What every page render shares: the book, the navigation and its reading
//! order, the compiled theme, and the lookups governance templates use.

use std::collections::HashMap;

use super::context::{self, BookCtx, PageCtx, PageLink};
use super::kept::KeptPage;
use super::{Ctx, GENERATOR, Nav, Theme, lookups, search, template_error};
use crate::diag::Diagnostic;
use crate::markdown::{self, page_url};
use crate::model::{CONCERNS, Concern, Model, Page};
use crate::text::Sources;
use crate::values::Date;

/// Shared state for rendering pages of one model.
pub(super) struct Renderer<'a> {
    model: &'a Model,
    pub(super) sources: &'a Sources,
    theme: &'a Theme,
    pub book: BookCtx,
    pub nav: Nav,
    /// Reading order: URL and sidebar title.
    pub order: Vec<(String, String)>,
    /// Position of each URL in `order`.
    positions: HashMap<String, usize>,
    today: Date,
    today_text: String,
    teams: serde_json::Value,
    commands: serde_json::Value,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(
        model: &'a Model,
        sources: &'a Sources,
        theme: &'a Theme,
        today: Date,
    ) -> Self {
        // The Fleet page exists only where book.toml names the reports.
        let generated: Vec<Concern> = if model.governance.is_some() {
            CONCERNS
                .iter()
                .filter(|c| c.name != "fleet" || model.config.fleet.reports.is_some())
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let nav = Nav::new(model, &generated);
        let order: Vec<(String, String)> = nav
            .order()
            .into_iter()
            .map(|(u, t)| (u.to_owned(), t.to_owned()))
            .collect();
        let positions = order
            .iter()
            .enumerate()
            .map(|(i, (u, _))| (u.clone(), i))
            .collect();
        let (teams, commands) = lookups(model);
        Renderer {
            model,
            sources,
            theme,
            book: BookCtx::new(model, sources.root()),
            nav,
            order,
            positions,
            today,
            today_text: today.to_string(),
            teams,
            commands,
        }
    }

    /// Renders `template` for `page`; `data` is a governance page's own data.
    pub(super) fn template(
        &self,
        template: &str,
        page: &PageCtx,
        data: Option<&serde_json::Value>,
    ) -> Result<String, Diagnostic> {
        let ctx = Ctx {
            book: &self.book,
            page,
            today: self.today_text.clone(),
            generator: GENERATOR,
            data,
            teams: data.map(|_| &self.teams),
            commands: data.map(|_| &self.commands),
        };
        let ctx = tera::Context::from_serialize(&ctx).map_err(|e| template_error(template, &e))?;
        self.theme
            .tera
            .render(template, &ctx)
            .map_err(|e| template_error(template, &e))
    }

    /// The "Edit this page" URL of the file at `path` in the content
    /// directory, when book.toml has an `edit-url-template`. As in mdBook,
    /// `{path}` is the path from the book root (`src/intro.md`).
    pub(super) fn edit_url(&self, path: &str) -> Option<String> {
        let template = self.model.config.html.edit_url_template.as_ref()?;
        let src = self.model.config.src_dir(std::path::Path::new(""));
        let full = format!("{}/{path}", src.display()).replace('\\', "/");
        Some(template.replace("{path}", &full))
    }

    /// Sets the previous and next links of a page in the reading order.
    pub(super) fn place(&self, page: &mut PageCtx) {
        let link = |i: Option<usize>| {
            i.and_then(|i| self.order.get(i)).map(|(u, t)| PageLink {
                title: t.clone(),
                url: u.clone(),
            })
        };
        let at = self.positions.get(&page.path).copied();
        page.toc_chunk = self.nav.chunk_of(&page.path);
        page.prev = link(at.and_then(|i| i.checked_sub(1)));
        page.next = link(at.map(|i| i + 1));
    }

    /// Renders one prose page: its HTML, and what the search index and the
    /// print page keep of it.
    pub(super) fn prose(&self, p: &Page) -> Result<(String, KeptPage), Diagnostic> {
        let url = page_url(&p.path.to_string_lossy());
        let mut r = markdown::render_with(
            p.markdown(self.sources),
            self.model.config.raw_html(),
            &self.model.config.flavor,
        );
        if self.model.config.html.math {
            r.html = markdown::math::render(&r.html);
        }
        let h1 = r
            .headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.clone());
        let title = p
            .title()
            .map(str::to_owned)
            .or_else(|| self.nav.title_of(&url).map(str::to_owned))
            .or(h1)
            .unwrap_or_else(|| {
                p.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        let mut page = PageCtx::new(&url, &title, "prose");
        page.review(&p.review, self.model.governance.as_ref(), self.today);
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
            self.model
                .config
                .src_dir(std::path::Path::new(""))
                .display(),
            p.path.display()
        )
        .replace('\\', "/");
        page.edit_url = self.edit_url(&p.path.to_string_lossy());
        let sections: Vec<(String, String, String)> = r
            .sections
            .iter()
            .map(|(h, text)| match h {
                Some(i) => (
                    format!("#{}", r.headings[*i].id),
                    r.headings[*i].text.clone(),
                    text.clone(),
                ),
                None => (String::new(), String::new(), text.clone()),
            })
            .collect();
        let search = std::sync::Arc::new(search::page(&url, &title, &sections));
        // Chapters without highlight spans: a third of the bytes, same text.
        let print = markdown::highlight::strip(&r.html);
        page.content = r.html;
        self.place(&mut page);
        let html = self.template("prose.html", &page, None)?;
        Ok((
            html,
            KeptPage {
                url,
                title,
                search,
                print,
            },
        ))
    }
}
