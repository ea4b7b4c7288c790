//! Navigation: SUMMARY.md's entries plus the generated governance pages,
//! as one list that drives the sidebar (`toc.js`, loaded once by every
//! page) and the previous/next reading order.

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
        Nav {
            entries,
            by_url,
            fold: model.config.html.fold,
        }
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

    /// `toc.js`: the entries as a script, so the sidebar is shipped once.
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
