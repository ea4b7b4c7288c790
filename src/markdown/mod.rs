//! Markdown: CommonMark with tables, task lists, footnotes, strikethrough,
//! GitHub alerts and heading ids, rendered with build-time highlighting.
//!
//! Two passes share one parser setup: [`outline`] (headings and links, cheap,
//! for checks) and [`render`] (HTML, headings with section text for search).

pub mod active;
pub mod highlight;
pub mod math;

use std::ops::Range;

pub use crate::config::RawHtml;
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

/// The Markdown extensions govbook enables (smart punctuation stays off).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading as plain text.
    pub text: String,
}

/// A link or image target found in a page, with its span in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The link or image target URL.
    pub dest: String,
    /// Byte span of the link or image in the Markdown.
    pub span: Range<usize>,
    /// Whether it is an image.
    pub image: bool,
}

/// Headings and links of a page.
#[derive(Debug, Default)]
pub struct Outline {
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every link and image target, in order.
    pub links: Vec<Link>,
}

/// A rendered page.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The body HTML.
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Plain text of each section: `(index into headings or None for the
    /// text before the first heading, text)`.
    pub sections: Vec<(Option<usize>, String)>,
}

/// Makes heading ids unique within a page, the way mdBook and GitHub do:
/// `intro`, `intro-1`, `intro-2`.
#[derive(Default)]
struct Slugger {
    seen: std::collections::HashMap<String, usize>,
    taken: std::collections::HashSet<String>,
}

impl Slugger {
    fn id(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = match explicit {
            Some(id) => id.to_owned(),
            None => slug(text),
        };
        // `A`, `A`, `A-1` must not give `a-1` twice: skip taken ids.
        let mut n = self.seen.get(&base).copied().unwrap_or(0);
        let mut id = if n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while self.taken.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.seen.insert(base, n + 1);
        self.taken.insert(id.clone());
        id
    }
}

/// The anchor id of a heading text: lowercase, letters and digits kept,
/// spaces and hyphens to `-`, everything else dropped.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

fn level(l: HeadingLevel) -> u8 {
    l as u8
}

/// Headings and links of `md`; `offset` is added to every span (the
/// Markdown body starts after the front matter).
pub fn outline(md: &str, offset: usize) -> Outline {
    let mut out = Outline::default();
    let mut slugger = Slugger::default();
    let mut heading: Option<(u8, Option<String>, String)> = None;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level: l, id, .. }) => {
                heading = Some((level(l), id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = heading.take() {
                    let id = slugger.id(explicit.as_deref(), &text);
                    out.headings.push(Heading { level, id, text });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => out.links.push(Link {
                dest: dest_url.to_string(),
                span: range.start + offset..range.end + offset,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => out.links.push(Link {
                dest: dest_url.to_string(),
                span: range.start + offset..range.end + offset,
                image: true,
            }),
            _ => {}
        }
    }
    out
}

/// Whether a link target has a URL scheme (`https:`, `mailto:` …) rather
/// than being a path inside the book.
pub fn is_external(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return dest.starts_with("//");
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !dest[..colon].contains('/')
}

/// The output path of a page: `guide/x.md` → `guide/x.html`, and a
/// `README.md` or `index.md` → `index.html` of its directory.
pub fn page_url(path: &str) -> String {
    let path = path.replace('\\', "/");
    let (dir, file) = match path.rfind('/') {
        Some(i) => (&path[..=i], &path[i + 1..]),
        None => ("", path.as_str()),
    };
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem.eq_ignore_ascii_case("readme") || stem == "index" {
        format!("{dir}index.html")
    } else {
        format!("{dir}{stem}.html")
    }
}

/// Rewrites a link between Markdown pages into a link between HTML pages.
pub fn rewrite_link(dest: &str) -> String {
    if is_external(dest) || dest.starts_with('#') {
        return dest.to_owned();
    }
    let (path, frag) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    if path.ends_with(".md") {
        format!("{}{frag}", page_url(path))
    } else {
        dest.to_owned()
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Escapes text for HTML element content and attribute values (quoted with
/// `"` or `'`); a NUL becomes U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // As a browser would read it; a NUL in the output helps no one.
            '\0' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

/// Raw HTML from the page under `raw`: kept, or turned into text (an HTML
/// block becomes a paragraph of its source text).
fn raw_html(ev: Event<'_>, raw: RawHtml) -> Event<'_> {
    if raw == RawHtml::Allow {
        return ev;
    }
    match ev {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        other => other,
    }
}

/// Renders `md` to HTML, raw HTML in it kept or escaped as `raw` says.
pub fn render(md: &str, raw: RawHtml) -> Rendered {
    let mut rendered = Rendered::default();
    let mut slugger = Slugger::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut section = String::new();
    let mut parser = Parser::new_ext(md, options());
    while let Some(ev) = parser.next() {
        let ev = raw_html(ev, raw);
        match ev {
            Event::Start(Tag::Heading {
                level: l,
                id,
                classes,
                ..
            }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for ev in parser.by_ref() {
                    // The id comes from the text alone, as in `outline`.
                    match &ev {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(raw_html(ev, raw));
                }
                let id = slugger.id(id.as_deref(), &text);
                let before = rendered.headings.len().checked_sub(1);
                rendered
                    .sections
                    .push((before, std::mem::take(&mut section)));
                let n = level(l);
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter().map(link_event));
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{id}\"{class}>{inner_html}<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{n}>\n",
                    id = escape(&id)
                ))));
                rendered.headings.push(Heading { level: n, id, text });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for ev in parser.by_ref() {
                    match ev {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => code.push_str(&t),
                        _ => {}
                    }
                }
                section.push_str(&code);
                section.push(' ');
                events.push(Event::Html(CowStr::from(code_block(&code, &info))));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html(CowStr::from("</div>\n")))
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                section.push_str(t);
                events.push(ev);
            }
            Event::SoftBreak | Event::HardBreak => {
                section.push(' ');
                events.push(ev);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                section.push(' ');
                events.push(ev);
            }
            other => events.push(link_event(other)),
        }
    }
    let last = rendered.headings.len().checked_sub(1);
    rendered.sections.push((last, section));
    rendered
        .sections
        .retain(|(h, text)| h.is_some() || !text.trim().is_empty());
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter());
    // CommonMark reads U+0000 as U+FFFD; pulldown-cmark leaves some through.
    if rendered.html.contains('\0') {
        rendered.html = rendered.html.replace('\0', "\u{FFFD}");
    }
    rendered
}

/// Rewrites `.md` link targets to `.html`.
fn link_event(ev: Event<'_>) -> Event<'_> {
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::from(rewrite_link(&dest_url)),
            title,
            id,
        }),
        other => other,
    }
}

/// A code block: highlighted when the language is known, escaped otherwise.
fn code_block(code: &str, info: &str) -> String {
    let lang = info
        .split([',', ' ', '\t', '{'])
        .next()
        .unwrap_or("")
        .trim();
    let body = highlight::highlight(code, lang).unwrap_or_else(|| escape(code));
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        format!(
            "<pre class=\"code\" data-lang=\"{l}\"><code class=\"language-{l}\">{body}</code></pre>\n",
            l = escape(lang)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_duplicates() {
        assert_eq!(slug("Rollout Phases"), "rollout-phases");
        assert_eq!(slug("`codex -p` & profiles!"), "codex--p--profiles");
        let r = render(
            "# A\n## Intro\n## Intro\n## Custom {#my-id}\n",
            RawHtml::Allow,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "intro", "intro-1", "my-id"]);
        assert!(
            r.html
                .contains("<h2 id=\"intro-1\">Intro<a class=\"heading-anchor\" href=\"#intro-1\"")
        );
        let o = outline("# A\n## Intro\n## Intro\n## Custom {#my-id}\n", 0);
        let ids2: Vec<_> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ids2, "outline and render agree on ids");
        let r = render("## A\n## A\n## A-1\n", RawHtml::Allow);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-1-1"]);
    }

    #[test]
    fn links_are_rewritten_and_external_kept() {
        let r = render(
            "[a](guide/x.md#y) [b](README.md) [c](https://example.com/a.md) [d](#z) [e](img.png)",
            RawHtml::Allow,
        );
        assert!(r.html.contains("href=\"guide/x.html#y\""));
        assert!(r.html.contains("href=\"index.html\""));
        assert!(r.html.contains("href=\"https://example.com/a.md\""));
        assert!(r.html.contains("href=\"#z\""));
        assert!(r.html.contains("href=\"img.png\""));
    }

    #[test]
    fn alerts_tables_tasks_footnotes_strikethrough() {
        let md = "> [!WARNING]\n> Careful.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n\
                  Text[^1] ~~old~~ \"quotes\"\n\n[^1]: Note.\n";
        let h = render(md, RawHtml::Allow).html;
        assert!(h.contains(
            "<div class=\"alert alert-warning\" role=\"note\"><p class=\"alert-title\">Warning</p>"
        ));
        assert!(h.contains("<table>"));
        assert!(h.contains("type=\"checkbox\""));
        assert!(h.contains("<del>old</del>"));
        assert!(h.contains("footnote-definition"));
        assert!(
            h.contains("\"quotes\"") || h.contains("&quot;quotes&quot;"),
            "smart punctuation is off: {h}"
        );
    }

    #[test]
    fn code_blocks_highlight_or_escape() {
        let h = render(
            "```toml\nx = 1\n```\n\n```nosuchlang\n<b>\n```\n",
            RawHtml::Allow,
        )
        .html;
        assert!(h.contains("data-lang=\"toml\""));
        assert!(h.contains("class=\"hl-"));
        assert!(h.contains("&lt;b&gt;"));
    }

    #[test]
    fn raw_html_is_escaped_by_default_and_kept_when_allowed() {
        let md = "<div class=\"x\">\n<img src=x onerror=alert(1)>\n</div>\n\n# T <b onclick=\"x\">b</b>\n\nText <i>i</i>.\n";
        let h = render(md, RawHtml::default()).html;
        for bad in ["<div", "<img", "<b ", "<i>"] {
            assert!(!h.contains(bad), "{bad} in {h}");
        }
        assert!(h.contains("&lt;img src=x onerror=alert(1)&gt;"), "{h}");
        assert!(h.contains("<p>&lt;div class=\"x\"&gt;"), "{h}");
        assert!(
            h.contains("<h1 id=\"t-b\">T &lt;b onclick=\"x\"&gt;b&lt;/b&gt;"),
            "{h}"
        );
        let h = render(md, RawHtml::Allow).html;
        assert!(h.contains("<img src=x onerror=alert(1)>"), "{h}");
        assert!(h.contains("<i>i</i>"), "{h}");
    }

    #[test]
    fn sections_carry_text_for_search() {
        let r = render(
            "Intro text.\n\n## First\nalpha beta\n\n## Second\ngamma\n",
            RawHtml::Allow,
        );
        assert_eq!(r.sections.len(), 3);
        assert_eq!(r.sections[0].0, None);
        assert!(r.sections[1].1.contains("alpha beta"));
        assert_eq!(r.sections[2].0, Some(1));
    }

    #[test]
    fn urls_and_schemes() {
        assert_eq!(page_url("README.md"), "index.html");
        assert_eq!(page_url("guide/README.md"), "guide/index.html");
        assert_eq!(page_url("guide/x.md"), "guide/x.html");
        assert!(is_external("https://x"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("javascript:alert(1)"));
        assert!(!is_external("guide/x.md"));
        assert!(!is_external("a/b:c.md"));
    }

    #[test]
    fn outline_spans_point_at_links() {
        let md = "para\n\n[x](y.md#z)\n";
        let o = outline(md, 10);
        assert_eq!(o.links[0].dest, "y.md#z");
        assert_eq!(o.links[0].span.start, 16);
    }
}
