//! Navigation: SUMMARY.md's entries plus the generated governance pages,
//! as one list that drives the sidebar (`toc.js`, loaded once by every
//! page) and the previous/next reading order.

use std::collections::HashMap;

use serde::Serialize;

use crate::markdown::page_url;
use crate::model::{ChapterKind, Model, SummaryItem};

/// One sidebar entry, in the compact shape `toc.js` carries.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Title.
    pub t: String,
    /// URL relative to the site root; empty for drafts, parts, separators.
    pub u: String,
    /// Nesting level.
    pub l: usize,
    /// Section number such as `1.2.`, or empty.
    pub n: String,
    /// A part title.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub p: bool,
    /// A separator.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub s: bool,
}

/// The navigation of a site.
pub struct Nav {
    /// Sidebar entries in order.
    pub entries: Vec<Entry>,
    /// The first entry of each URL, so lookups stay O(1) at 10,000 pages.
    by_url: HashMap<String, usize>,
}

impl Nav {
    /// Builds the navigation from SUMMARY.md and the generated pages.
    pub fn new(model: &Model, generated: &[(&str, &str)]) -> Nav {
        let mut entries = Vec::new();
        for item in &model.summary.items {
            match item {
                SummaryItem::Chapter(c) => entries.push(Entry {
                    t: c.title.clone(),
                    u: c.target()
                        .map(|p| page_url(&p.to_string_lossy()))
                        .unwrap_or_default(),
                    l: c.level,
                    n: match (&c.number, c.kind) {
                        (Some(n), ChapterKind::Numbered) => {
                            n.iter().map(|x| format!("{x}.")).collect::<String>()
                        }
                        _ => String::new(),
                    },
                    p: false,
                    s: false,
                }),
                SummaryItem::Part(title) => entries.push(part(title)),
                SummaryItem::Separator => entries.push(Entry {
                    t: String::new(),
                    u: String::new(),
                    l: 0,
                    n: String::new(),
                    p: false,
                    s: true,
                }),
            }
        }
        if !generated.is_empty() {
            entries.push(part("Governance"));
            for (url, title) in generated {
                entries.push(Entry {
                    t: (*title).to_owned(),
                    u: (*url).to_owned(),
                    l: 0,
                    n: String::new(),
                    p: false,
                    s: false,
                });
            }
        }
        let mut by_url = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            if !e.u.is_empty() {
                by_url.entry(e.u.clone()).or_insert(i);
            }
        }
        Nav { entries, by_url }
    }

    /// URLs of pages in reading order (each once).
    pub fn order(&self) -> Vec<(&str, &str)> {
        let mut seen = std::collections::HashSet::new();
        self.entries
            .iter()
            .filter(|e| !e.u.is_empty() && seen.insert(e.u.as_str()))
            .map(|e| (e.u.as_str(), e.t.as_str()))
            .collect()
    }

    /// The title SUMMARY.md gives a URL.
    pub fn title_of(&self, url: &str) -> Option<&str> {
        self.by_url.get(url).map(|&i| self.entries[i].t.as_str())
    }

    /// `toc.js`: the entries as a script, so the sidebar is shipped once.
    pub fn script(&self) -> String {
        let json = serde_json::to_string(&self.entries).unwrap_or_else(|_| "[]".into());
        format!("window.GOVBOOK_TOC={};\n", json.replace('<', "\\u003c"))
    }

    /// The sidebar as plain HTML, for `toc.html` (the no-script fallback).
    pub fn html(&self) -> String {
        use crate::markdown::escape;
        let mut out = String::from("<ol class=\"toc-fallback\">\n");
        for e in &self.entries {
            let indent = format!(" style=\"margin-left:{}rem\"", e.l);
            if e.s {
                out.push_str("<li><hr></li>\n");
            } else if e.p {
                out.push_str(&format!(
                    "<li class=\"part\"><strong>{}</strong></li>\n",
                    escape(&e.t)
                ));
            } else if e.u.is_empty() {
                out.push_str(&format!(
                    "<li{indent}>{}{}</li>\n",
                    escape(&e.n),
                    escape(&e.t)
                ));
            } else {
                out.push_str(&format!(
                    "<li{indent}><a href=\"{}\">{} {}</a></li>\n",
                    escape(&e.u),
                    escape(&e.n),
                    escape(&e.t)
                ));
            }
        }
        out.push_str("</ol>\n");
        out
    }
}

fn part(title: &str) -> Entry {
    Entry {
        t: title.to_owned(),
        u: String::new(),
        l: 0,
        n: String::new(),
        p: true,
        s: false,
    }
}
