//! Navigation: SUMMARY.md's entries plus the generated governance pages,
//! as one list that drives the sidebar and the previous/next reading order.
//!
//! The sidebar ships in chunks, so a page of a 10,000-page book loads a few
//! kilobytes of it: `toc/top.js` holds the top-level entries, and
//! `toc/N.js` everything under top-level entry N. A page loads the top and
//! its own chunk; others load when the reader expands them. `toc.js` keeps
//! the whole list in one script for tools; no page loads it.

use std::collections::HashMap;

use serde::Serialize;

use crate::markdown::page_url;
use crate::model::{ChapterKind, Concern, Model, SummaryItem};

/// One sidebar entry, in the compact shape `toc.js` carries.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Title.
    #[serde(rename = "t")]
    pub title: String,
    /// The title with its inline Markdown as HTML, when it has markup.
    #[serde(rename = "h", skip_serializing_if = "String::is_empty")]
    pub html: String,
    /// URL relative to the site root; empty for drafts, parts, separators.
    #[serde(rename = "u")]
    pub url: String,
    /// Nesting level.
    #[serde(rename = "l")]
    pub level: usize,
    /// Section number such as `1.2.`, or empty.
    #[serde(rename = "n")]
    pub number: String,
    /// A part title.
    #[serde(rename = "p", skip_serializing_if = "std::ops::Not::not")]
    pub part: bool,
    /// A separator.
    #[serde(rename = "s", skip_serializing_if = "std::ops::Not::not")]
    pub separator: bool,
}

/// The navigation of a site.
pub struct Nav {
    /// Sidebar entries in order.
    pub entries: Vec<Entry>,
    /// The first entry of each URL, so lookups stay O(1) at 10,000 pages.
    by_url: HashMap<String, usize>,
    /// `[output.html] fold`: the deepest level shown open.
    fold: Option<u8>,
    /// For each entry, the top-level entry it is under (or is).
    top_of: Vec<usize>,
}

/// A top-level sidebar entry as `toc/top.js` carries it.
#[derive(Serialize)]
struct TopEntry<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    /// The chunk with the entries under it, if any.
    #[serde(rename = "c", skip_serializing_if = "Option::is_none")]
    chunk: Option<usize>,
}

impl Nav {
    /// Builds the navigation from SUMMARY.md and the generated pages.
    pub fn new(model: &Model, generated: &[Concern]) -> Nav {
        let mut entries = Vec::new();
        for item in &model.summary.items {
            match item {
                SummaryItem::Chapter(c) => entries.push(Entry {
                    title: c.title.clone(),
                    html: {
                        let html = crate::markdown::inline_html(&c.title_md);
                        if html == crate::markdown::escape(&c.title) {
                            String::new()
                        } else {
                            html
                        }
                    },
                    url: c
                        .target()
                        .map(|p| page_url(&p.to_string_lossy()))
                        .unwrap_or_default(),
                    level: c.level,
                    number: match (&c.number, c.kind) {
                        (Some(n), ChapterKind::Numbered) if !model.config.html.no_section_label => {
                            n.iter().map(|x| format!("{x}.")).collect::<String>()
                        }
                        _ => String::new(),
                    },
                    part: false,
                    separator: false,
                }),
                SummaryItem::Part(title) => entries.push(part(title)),
                SummaryItem::Separator => entries.push(Entry {
                    title: String::new(),
                    html: String::new(),
                    url: String::new(),
                    level: 0,
                    number: String::new(),
                    part: false,
                    separator: true,
                }),
            }
        }
        if !generated.is_empty() {
            entries.push(part("Governance"));
            for c in generated {
                entries.push(Entry {
                    title: c.title.to_owned(),
                    html: String::new(),
                    url: c.url.to_owned(),
                    level: 0,
                    number: String::new(),
                    part: false,
                    separator: false,
                });
            }
        }
        let mut by_url = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if !e.url.is_empty() {
                by_url.entry(e.url.clone()).or_insert(i);
            }
        }
        let base = entries
            .iter()
            .filter(|e| !e.part && !e.separator)
            .map(|e| e.level)
            .min()
            .unwrap_or(0);
        let mut top_of = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            let top = e.part || e.separator || e.level <= base || i == 0;
            let at = if top { i } else { top_of[i - 1] };
            top_of.push(at);
        }
        Nav {
            entries,
            by_url,
            fold: model.config.html.fold,
            top_of,
        }
    }

    /// The sidebar chunk a page loads besides the top: the one of the
    /// top-level entry it is under, if that entry has any below it.
    pub fn chunk_of(&self, url: &str) -> Option<usize> {
        let top = self.top_of[*self.by_url.get(url)?];
        self.has_children(top).then_some(top)
    }

    fn has_children(&self, top: usize) -> bool {
        self.top_of.get(top + 1) == Some(&top)
    }

    /// The sidebar's chunks: `toc/top.js` and one `toc/N.js` per top-level
    /// entry with entries under it (N is that entry's index).
    pub fn chunks(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut top = Vec::new();
        let mut i = 0;
        while i < self.entries.len() {
            let mut end = i + 1;
            while end < self.entries.len() && self.top_of[end] == i {
                end += 1;
            }
            let chunk = (end > i + 1).then_some(i);
            top.push(TopEntry {
                entry: &self.entries[i],
                chunk,
            });
            if let Some(n) = chunk {
                out.push((format!("toc/{n}"), &self.entries[i + 1..end]));
            }
            i = end;
        }
        let mut files: Vec<(String, String)> = out
            .into_iter()
            .map(|(key, list)| {
                let json = serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
                (format!("{key}.js"), super::search::data_script(&key, &json))
            })
            .collect();
        let json = serde_json::to_string(&top).unwrap_or_else(|_| "[]".into());
        let mut top_js = super::search::data_script("toc/top", &json);
        if let Some(level) = self.fold {
            top_js.push_str(&format!("window.GOVBOOK_FOLD={level};\n"));
        }
        files.push(("toc/top.js".into(), top_js));
        files
    }

    /// URLs of pages in reading order (each once).
    pub fn order(&self) -> Vec<(&str, &str)> {
        let mut seen = std::collections::HashSet::new();
        self.entries
            .iter()
            .filter(|e| !e.url.is_empty() && seen.insert(e.url.as_str()))
            .map(|e| (e.url.as_str(), e.title.as_str()))
            .collect()
    }

    /// The title SUMMARY.md gives a URL.
    pub fn title_of(&self, url: &str) -> Option<&str> {
        self.by_url
            .get(url)
            .map(|&i| self.entries[i].title.as_str())
    }

    /// `toc.js`: every entry in one script, for tools (pages load the
    /// chunks).
    pub fn script(&self) -> String {
        let json = serde_json::to_string(&self.entries).unwrap_or_else(|_| "[]".into());
        let mut script = format!("window.GOVBOOK_TOC={};\n", json.replace('<', "\\u003c"));
        if let Some(level) = self.fold {
            script.push_str(&format!("window.GOVBOOK_FOLD={level};\n"));
        }
        script
    }

    /// The sidebar as plain HTML, for `toc.html` (the no-script fallback).
    pub fn html(&self) -> String {
        use crate::markdown::escape;
        let mut out = String::from("<ol class=\"toc-fallback\">\n");
        for e in &self.entries {
            let indent = format!(" style=\"margin-left:{}rem\"", e.level);
            if e.separator {
                out.push_str("<li><hr></li>\n");
            } else if e.part {
                out.push_str(&format!(
                    "<li class=\"part\"><strong>{}</strong></li>\n",
                    escape(&e.title)
                ));
            } else {
                let title = if e.html.is_empty() {
                    escape(&e.title)
                } else {
                    e.html.clone()
                };
                if e.url.is_empty() {
                    out.push_str(&format!("<li{indent}>{}{title}</li>\n", escape(&e.number)));
                } else {
                    out.push_str(&format!(
                        "<li{indent}><a href=\"{}\">{} {title}</a></li>\n",
                        escape(&e.url),
                        escape(&e.number)
                    ));
                }
            }
        }
        out.push_str("</ol>\n");
        out
    }
}

fn part(title: &str) -> Entry {
    Entry {
        title: title.to_owned(),
        html: String::new(),
        url: String::new(),
        level: 0,
        number: String::new(),
        part: true,
        separator: false,
    }
}
