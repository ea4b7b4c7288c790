//! Markdown: CommonMark with tables, task lists, footnotes, strikethrough,
//! GitHub alerts and heading ids, rendered with build-time highlighting.
//!
//! Two passes share one parser setup: [`outline`] (headings and links, cheap,
//! for checks) and [`render`] (HTML, headings with section text for search).

pub mod active;
pub mod classes;
pub mod highlight;
pub mod math;
pub mod sanitize;

use std::collections::HashMap;
use std::ops::Range;

pub use crate::config::{Flavor, RawHtml};
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};

/// The Markdown extensions of the default dialect (smart punctuation off).
pub fn options() -> Options {
    options_for(&Flavor::default())
}

/// The Markdown extensions mdBook 0.5.4 enables, as `flavor` sets them.
pub fn options_for(flavor: &Flavor) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if flavor.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    if flavor.definition_lists {
        o |= Options::ENABLE_DEFINITION_LIST;
    }
    o
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
    /// Ids of definition terms (mdBook gives each `<dt>` one, as it does
    /// headings), also link targets.
    pub term_ids: Vec<String>,
    /// Every link and image target, in order.
    pub links: Vec<Link>,
    /// Every id the page's raw HTML defines (`<a id>`, `<a name>`,
    /// `<span id>` …): link targets where raw HTML is kept.
    pub html_ids: Vec<sanitize::HtmlId>,
    /// Whether the page has raw HTML at all (most have none, and need no
    /// raw HTML check).
    pub has_html: bool,
    /// Ids of footnotes (`footnote-NAME`) and their references
    /// (`fr-NAME-N`), also link targets.
    pub note_ids: Vec<String>,
}

impl Outline {
    /// Whether `#frag` names a heading, or an id of the raw HTML that
    /// `raw` keeps.
    pub fn has_anchor(&self, frag: &str, raw: RawHtml) -> bool {
        self.headings.iter().any(|h| h.id == frag)
            || self.note_ids.iter().any(|id| id == frag)
            || self.html_ids.iter().any(|i| {
                i.id == frag
                    && match raw {
                        RawHtml::Allow => true,
                        RawHtml::Sanitize => i.sanitized,
                        RawHtml::Escape => false,
                    }
            })
    }
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

/// The anchor id of a heading text, as mdBook 0.5.4 makes it: trimmed and
/// lowercased, then letters, digits, `_` and `-` kept, whitespace as `-`,
/// everything else dropped. A heading with none of those (`` # `?` ``) gets
/// the empty id, as in mdBook.
pub fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn level(l: HeadingLevel) -> u8 {
    l as u8
}

/// Headings and links of `md` in the default dialect.
pub fn outline(md: &str, offset: usize) -> Outline {
    outline_with(md, offset, &Flavor::default())
}

/// Headings and links of `md`; `offset` is added to every span (the
/// Markdown body starts after the front matter).
pub fn outline_with(md: &str, offset: usize, flavor: &Flavor) -> Outline {
    let mut out = Outline::default();
    let mut slugger = Slugger::default();
    let mut heading: Option<(u8, Option<String>, String)> = None;
    let mut html = String::new();
    let mut term: Option<String> = None;
    for (ev, range) in Parser::new_ext(md, options_for(flavor)).into_offset_iter() {
        match ev {
            Event::Html(t) | Event::InlineHtml(t) => html.push_str(&t),
            Event::Start(Tag::Heading { level: l, id, .. }) => {
                heading = Some((level(l), id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text)) = heading.take() {
                    let id = slugger.id(explicit.as_deref(), &text);
                    out.headings.push(Heading { level, id, text });
                }
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.note_ids.push(format!("footnote-{name}"));
            }
            Event::FootnoteReference(name) => {
                let prefix = format!("fr-{name}-");
                let n = out
                    .note_ids
                    .iter()
                    .filter(|i| {
                        i.strip_prefix(&prefix)
                            .is_some_and(|r| r.parse::<u32>().is_ok())
                    })
                    .count();
                out.note_ids.push(format!("{prefix}{}", n + 1));
            }
            Event::Start(Tag::DefinitionListTitle) => term = Some(String::new()),
            Event::End(TagEnd::DefinitionListTitle) => {
                if let Some(text) = term.take() {
                    out.term_ids.push(slugger.id(None, &text));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                } else if let Some(text) = term.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => out.links.push(Link {
                // `<help@crates.io>` is written as a mailto: link.
                dest: if link_type == LinkType::Email {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                },
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
    if !html.is_empty() {
        out.has_html = true;
        out.html_ids = sanitize::scan(&html).ids;
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

/// Inline Markdown (a SUMMARY.md title) as HTML to put inside a link:
/// emphasis, code and the like kept; links and images reduced to their
/// text, raw HTML shown as text.
pub fn inline_html(md: &str) -> String {
    let events = Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH).filter_map(|ev| match ev {
        Event::Start(Tag::Paragraph | Tag::Link { .. } | Tag::Image { .. })
        | Event::End(TagEnd::Paragraph | TagEnd::Link | TagEnd::Image) => None,
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::SoftBreak | Event::HardBreak => Some(Event::Text(CowStr::from(" "))),
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
        | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough)
        | Event::Text(_)
        | Event::Code(_) => Some(ev),
        // Block structure (a title that reads as a list or heading) is text.
        _ => None,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out.trim().to_owned()
}

/// Raw HTML from the page under `raw`: kept, turned into text (an HTML
/// block becomes a paragraph of its source text), or set aside in `pieces`
/// with a marker in its place, to be sanitized with the whole page.
fn raw_html<'a>(ev: Event<'a>, raw: RawHtml, pieces: &mut Vec<String>) -> Event<'a> {
    match (raw, ev) {
        (RawHtml::Allow, ev) => ev,
        (RawHtml::Escape, Event::Html(t) | Event::InlineHtml(t)) => Event::Text(t),
        (RawHtml::Escape, Event::Start(Tag::HtmlBlock)) => Event::Start(Tag::Paragraph),
        (RawHtml::Escape, Event::End(TagEnd::HtmlBlock)) => Event::End(TagEnd::Paragraph),
        (RawHtml::Sanitize, Event::Html(t) | Event::InlineHtml(t)) => {
            pieces.push(t.into_string());
            Event::Html(CowStr::from(sanitize::marker(pieces.len() - 1)))
        }
        (_, other) => other,
    }
}

/// A name no page can write: derived from the page's own text.
fn nonce(md: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(md.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Renders `md` in the default dialect.
pub fn render(md: &str, raw: RawHtml) -> Rendered {
    render_with(md, raw, &Flavor::default())
}

/// Renders `md` to HTML in `flavor`, raw HTML in it sanitized, escaped or
/// kept as `raw` says.
pub fn render_with(md: &str, raw: RawHtml, flavor: &Flavor) -> Rendered {
    let mut pieces = Vec::new();
    let mut rendered = Rendered::default();
    let mut slugger = Slugger::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut section = String::new();
    let mut notes = Footnotes::default();
    let mut parser = Parser::new_ext(md, options_for(flavor));
    while let Some(ev) = parser.next() {
        let ev = raw_html(ev, raw, &mut pieces);
        match ev {
            Event::FootnoteReference(name) => {
                events.push(Event::Html(CowStr::from(notes.reference(&name))));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                notes.open = Some((name.to_string(), events.len()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((name, at)) = notes.open.take() {
                    let body = events.split_off(at);
                    notes.define(name, body);
                }
            }
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
                    inner.push(raw_html(ev, raw, &mut pieces));
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
                let block = code_block(&code, &info, flavor);
                // Hidden lines are searchable, as in mdBook.
                section.push_str(&block.text);
                section.push(' ');
                events.push(Event::Html(CowStr::from(block.html)));
            }
            Event::Start(Tag::DefinitionListTitle) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for ev in parser.by_ref() {
                    match &ev {
                        Event::End(TagEnd::DefinitionListTitle) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(raw_html(ev, raw, &mut pieces));
                }
                section.push_str(&text);
                section.push(' ');
                let id = slugger.id(None, &text);
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter().map(link_event));
                events.push(Event::Html(CowStr::from(format!(
                    "<dt id=\"{id}\">{inner_html}</dt>\n",
                    id = escape(&id)
                ))));
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
    notes.append_to(&mut events);
    let last = rendered.headings.len().checked_sub(1);
    rendered.sections.push((last, section));
    rendered
        .sections
        .retain(|(h, text)| h.is_some() || !text.trim().is_empty());
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter());
    if !pieces.is_empty() {
        rendered.html = sanitize::page(&rendered.html, &pieces, &nonce(md), &flavor.classes);
    }
    // CommonMark reads U+0000 as U+FFFD; pulldown-cmark leaves some through.
    if rendered.html.contains('\0') {
        rendered.html = rendered.html.replace('\0', "\u{FFFD}");
    }
    rendered
}

/// Footnotes as mdBook 0.5 writes them: a reference is
/// `<sup class="footnote-reference" id="fr-NAME-N">` numbered by first
/// use; the definitions go to the end of the page, in that order, as
/// `<li id="footnote-NAME">` with a link back to each reference. A
/// definition nothing refers to is dropped. The prefixes keep a footnote's
/// id from clashing with a heading's.
#[derive(Default)]
struct Footnotes<'a> {
    /// Name → (number, references so far).
    numbers: HashMap<String, (usize, u32)>,
    /// Definitions in source order, their events already rendered.
    defs: Vec<(String, Vec<Event<'a>>)>,
    /// The definition being read: its name and where its events start.
    open: Option<(String, usize)>,
}

impl<'a> Footnotes<'a> {
    fn reference(&mut self, name: &str) -> String {
        let next = self.numbers.len() + 1;
        let (n, count) = self.numbers.entry(name.to_owned()).or_insert((next, 0));
        *count += 1;
        let name = escape(name);
        format!(
            "<sup class=\"footnote-reference\" id=\"fr-{name}-{count}\"><a href=\"#footnote-{name}\">{n}</a></sup>"
        )
    }

    fn define(&mut self, name: String, body: Vec<Event<'a>>) {
        // The first definition of a name wins, as in mdBook.
        if !self.defs.iter().any(|(n, _)| *n == name) {
            self.defs.push((name, body));
        }
    }

    fn append_to(self, events: &mut Vec<Event<'a>>) {
        let mut defs: Vec<_> = self
            .defs
            .into_iter()
            .filter_map(|(name, body)| self.numbers.get(&name).map(|&(n, c)| (n, c, name, body)))
            .collect();
        if defs.is_empty() {
            return;
        }
        defs.sort_by_key(|d| d.0);
        events.push(Event::Html(CowStr::from(
            "<hr>\n<ol class=\"footnote-definition\">\n",
        )));
        for (_, count, name, mut body) in defs {
            let name = escape(&name);
            let back: String = (1..=count)
                .map(|k| {
                    let nth = if k == 1 { String::new() } else { k.to_string() };
                    format!(" <a href=\"#fr-{name}-{k}\">↩{nth}</a>")
                })
                .collect();
            // At the end of the last paragraph, or after the definition.
            let back = Event::InlineHtml(CowStr::from(back));
            match body.last() {
                Some(Event::End(TagEnd::Paragraph)) => {
                    let at = body.len() - 1;
                    body.insert(at, back);
                }
                _ => body.push(back),
            }
            events.push(Event::Html(CowStr::from(format!(
                "<li id=\"footnote-{name}\">"
            ))));
            events.extend(body);
            events.push(Event::Html(CowStr::from("</li>\n")));
        }
        events.push(Event::Html(CowStr::from("</ol>\n")));
    }
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

/// A rendered code block and its text as the reader may reveal it.
struct CodeBlock {
    html: String,
    /// The code with hidden-line markers removed.
    text: String,
}

/// A code block: highlighted when the language is known, escaped
/// otherwise; hidden lines (Rust's `# `, or a `hidelines` prefix) wrapped
/// in `<span class="boring">`, as mdBook marks them. The fence's other
/// words become classes, as in mdBook (`rust,ignore` gives
/// `language-rust ignore`).
fn code_block(code: &str, info: &str, flavor: &Flavor) -> CodeBlock {
    let lang = info
        .split([',', ' ', '\t', '{'])
        .next()
        .unwrap_or("")
        .trim();
    let words: Vec<&str> = info
        .split([' ', '\t', ','])
        .filter(|w| !w.is_empty())
        .skip(1)
        .collect();
    let (text, hidden) = hidden_lines(code, lang, &words, flavor);
    let body = highlight::highlight(&text, lang).unwrap_or_else(|| escape(&text));
    let body = if hidden.iter().any(|h| *h) {
        wrap_hidden(&body, &hidden)
    } else {
        body
    };
    let html = if lang.is_empty() {
        format!("<pre class=\"code\"><code>{body}</code></pre>\n")
    } else {
        let mut class = format!("language-{lang}");
        for w in &words {
            class.push(' ');
            class.push_str(w);
        }
        format!(
            "<pre class=\"code\" data-lang=\"{l}\"><code class=\"{c}\">{body}</code></pre>\n",
            l = escape(lang),
            c = escape(&class)
        )
    };
    CodeBlock { html, text }
}

/// The code with hidden-line markers removed, and which lines are hidden.
/// Rust's rule is mdBook's: `#` alone or `# ` hides the line, `##` stands
/// for a shown `#`; other languages hide lines that start (after
/// indentation) with the fence's `hidelines=PREFIX` or the configured
/// prefix for the language.
fn hidden_lines(code: &str, lang: &str, words: &[&str], flavor: &Flavor) -> (String, Vec<bool>) {
    let prefix = if lang == "rust" {
        None
    } else {
        match words.iter().find_map(|w| w.strip_prefix("hidelines=")) {
            Some(p) => Some(p),
            None => flavor.hidelines.get(lang).map(String::as_str),
        }
    };
    if lang != "rust" && prefix.is_none_or(str::is_empty) {
        return (code.to_owned(), Vec::new());
    }
    let mut text = String::with_capacity(code.len());
    let mut hidden = Vec::new();
    for line in code.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b.strip_suffix('\r').unwrap_or(b), &line[b.len()..]),
            None => (line, ""),
        };
        let indent = body.len() - body.trim_start().len();
        let (ws, rest) = body.split_at(indent);
        let (shown, hide) = match prefix {
            None => match rest.strip_prefix('#') {
                Some(after) if after.starts_with('#') => (format!("{ws}{after}"), false),
                Some("") => (ws.to_owned(), true),
                Some(after) if after.starts_with(' ') => (format!("{ws}{}", &after[1..]), true),
                _ => (body.to_owned(), false),
            },
            Some(p) => match rest.strip_prefix(p) {
                Some(after) => (format!("{ws}{after}"), true),
                None => (body.to_owned(), false),
            },
        };
        text.push_str(&shown);
        text.push_str(nl);
        hidden.push(hide);
    }
    (text, hidden)
}

/// Wraps each hidden line of highlighted `html` (line `i` hidden when
/// `hidden[i]`) in `<span class="boring">`, closing and reopening the
/// highlighting spans around it so the elements nest.
fn wrap_hidden(html: &str, hidden: &[bool]) -> String {
    let mut out = String::with_capacity(html.len() + hidden.len() * 32);
    let mut open: Vec<&str> = Vec::new();
    let mut line = 0;
    let mut in_boring = false;
    let reopen = |out: &mut String, open: &[&str]| open.iter().for_each(|t| out.push_str(t));
    let close = |out: &mut String, open: &[&str]| open.iter().for_each(|_| out.push_str("</span>"));
    let mut rest = html;
    let mut at_line_start = true;
    while !rest.is_empty() {
        if at_line_start {
            at_line_start = false;
            if hidden.get(line).copied().unwrap_or(false) {
                close(&mut out, &open);
                out.push_str("<span class=\"boring\">");
                reopen(&mut out, &open);
                in_boring = true;
            }
        }
        if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            open.push(&rest[..end]);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            open.pop();
            out.push_str("</span>");
            rest = after;
        } else {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..c]);
            if rest.starts_with('\n') {
                if in_boring {
                    close(&mut out, &open);
                    out.push_str("</span>");
                    reopen(&mut out, &open);
                    in_boring = false;
                }
                line += 1;
                at_line_start = true;
            }
            rest = &rest[c..];
        }
    }
    if in_boring {
        close(&mut out, &open);
        out.push_str("</span>");
        reopen(&mut out, &open);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_duplicates() {
        assert_eq!(slug("Rollout Phases"), "rollout-phases");
        assert_eq!(slug("`codex -p` & profiles!"), "codex--p--profiles");
        // mdBook's own cases.
        assert_eq!(
            slug("Method-call 🐙 expressions \u{1f47c}"),
            "method-call--expressions-"
        );
        assert_eq!(slug("中文標題 CJK title"), "中文標題-cjk-title");
        assert_eq!(slug("Über"), "über");
        assert_eq!(slug("İ"), "i");
        assert_eq!(slug("?"), "");
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
    fn raw_html_is_escaped_or_kept_when_allowed() {
        let md = "<div class=\"x\">\n<img src=x onerror=alert(1)>\n</div>\n\n# T <b onclick=\"x\">b</b>\n\nText <i>i</i>.\n";
        let h = render(md, RawHtml::Escape).html;
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
    fn raw_html_is_sanitized_by_default_across_events() {
        assert_eq!(RawHtml::default(), RawHtml::Sanitize);
        let md = "Press <kbd>C</kbd> to copy.<!-- note -->\n\n\
                  <details>\n<summary>More</summary>\n\nSome **text**.\n\n</details>\n\n\
                  # T <b onclick=\"x\">b</b>\n\n\
                  <!-- a comment of its own -->\n\n\
                  | a | b |\n|:-:|---|\n| <sup>1</sup> | <script>x</script> |\n\n\
                  Text[^1].\n\n[^1]: Note <i>i</i>.\n";
        let h = render(md, RawHtml::default()).html;
        assert!(h.contains("<p>Press <kbd>C</kbd> to copy.</p>"), "{h}");
        assert!(
            h.contains("<details>\n<summary>More</summary>\n\n<p>Some <strong>text</strong>.</p>\n</details>"),
            "{h}"
        );
        assert!(
            h.contains("<h1 id=\"t-b\">T <b>b</b><a class=\"heading-anchor\""),
            "{h}"
        );
        assert!(h.contains("<th style=\"text-align: center\">a</th>"), "{h}");
        assert!(
            h.contains("<td style=\"text-align: center\"><sup>1</sup></td>"),
            "{h}"
        );
        assert!(h.contains("Note <i>i</i>."), "{h}");
        for gone in ["comment", "note --", "onclick", "script", "govbook-"] {
            assert!(!h.contains(gone), "{gone} in {h}");
        }
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

    #[test]
    fn summary_titles_keep_inline_markup_only() {
        assert_eq!(inline_html("`open`"), "<code>open</code>");
        assert_eq!(
            inline_html("*A* and **b** [x](y.md) <b onclick=x>"),
            "<em>A</em> and <strong>b</strong> x &lt;b onclick=x&gt;"
        );
    }

    #[test]
    fn rust_hidden_lines_as_mdbook() {
        let md = "```rust,ignore\n# fn hidden() {}\n#\nfn shown() {}\n    # let x = 1;\n##[derive(Debug)]\n#[test]\n```\n";
        let r = render(md, RawHtml::Escape);
        let h = untag_boring(&r.html);
        assert_eq!(
            h, "[fn hidden() {}\n][\n]fn shown() {}\n[    let x = 1;\n]#[derive(Debug)]\n#[test]\n",
            "{}",
            r.html
        );
        assert!(
            r.html.contains("class=\"language-rust ignore\""),
            "{}",
            r.html
        );
        // Search has the hidden text without the markers.
        assert!(r.sections[0].1.contains("fn hidden() {}"));
        assert!(!r.sections[0].1.contains("# fn"));
    }

    #[test]
    fn hidelines_prefix_from_fence_or_config() {
        let mut flavor = Flavor::default();
        flavor.hidelines.insert("python".into(), "~".into());
        let md = "```python\n~import os\nprint(1)\n```\n\n```sh hidelines=!!!\n!!!set -e\necho\n```\n\n```text\n~x\n```\n";
        let r = render_with(md, RawHtml::Escape, &flavor);
        assert_eq!(
            untag_boring(&r.html),
            "[import os\n]print(1)\n[set -e\n]echo\n~x\n",
            "{}",
            r.html
        );
        // Without the setting, `~` is just text.
        let r = render(md, RawHtml::Escape);
        assert!(!r.html.contains("boring\">import"), "{}", r.html);
    }

    #[test]
    fn hidden_lines_nest_inside_highlighting_spans() {
        let code = "/* a\n# b\nc */\n";
        let r = render(&format!("```rust\n{code}```\n"), RawHtml::Escape);
        let mut depth = 0i32;
        for piece in r.html.split('<').skip(1) {
            if piece.starts_with("span") {
                depth += 1;
            } else if piece.starts_with("/span") {
                depth -= 1;
                assert!(depth >= 0, "{}", r.html);
            }
        }
        assert_eq!(depth, 0, "{}", r.html);
        assert!(r.html.contains("<span class=\"boring\">"), "{}", r.html);
    }

    #[test]
    fn definition_lists_email_autolinks_and_smart_punctuation() {
        let md =
            "Term\n: Its definition.\n\n## Term\n\nMail <help@crates.io>. \"Quoted\" -- dash...\n";
        let r = render(md, RawHtml::Escape);
        assert!(r.html.contains("<dl>"), "{}", r.html);
        assert!(r.html.contains("<dt id=\"term\">Term</dt>"), "{}", r.html);
        assert!(r.html.contains("<dd>Its definition.</dd>"), "{}", r.html);
        // Terms and headings share one set of ids, as in mdBook.
        assert_eq!(r.headings[0].id, "term-1");
        assert!(
            r.html.contains("href=\"mailto:help@crates.io\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("\"Quoted\" -- dash..."), "{}", r.html);
        let o = outline(md, 0);
        assert_eq!(o.term_ids, ["term"]);
        assert_eq!(o.links[0].dest, "mailto:help@crates.io");
        let smart = Flavor {
            smart_punctuation: true,
            ..Flavor::default()
        };
        let r = render_with(md, RawHtml::Escape, &smart);
        assert!(r.html.contains("“Quoted” – dash…"), "{}", r.html);
        // Heading ids come from the text as it is rendered.
        let ids = |f: &Flavor| outline_with("# a -- b\n", 0, f).headings[0].id.clone();
        assert_eq!(ids(&Flavor::default()), "a----b");
        assert_eq!(ids(&smart), "a--b");
    }

    /// The code text of `html`, hidden lines in brackets.
    fn untag_boring(html: &str) -> String {
        let html = html.replace("<span class=\"boring\">", "\u{1}");
        let mut out = String::new();
        let mut depth_boring: Vec<bool> = Vec::new();
        let mut rest = html.as_str();
        let body = rest
            .find("<code")
            .map(|i| i + rest[i..].find('>').unwrap() + 1);
        rest = &rest[body.unwrap_or(0)..];
        while let Some(c) = rest.chars().next() {
            if c == '\u{1}' {
                out.push('[');
                depth_boring.push(true);
                rest = &rest[1..];
            } else if rest.starts_with("</span>") {
                if depth_boring.pop() == Some(true) {
                    out.push(']');
                }
                rest = &rest[7..];
            } else if rest.starts_with("<span") {
                depth_boring.push(false);
                rest = &rest[rest.find('>').unwrap() + 1..];
            } else if rest.starts_with("</code>") {
                rest = &rest[7..];
                if let Some(i) = rest.find("<code") {
                    rest = &rest[i + rest[i..].find('>').unwrap() + 1..];
                } else {
                    break;
                }
            } else if c == '<' {
                rest = &rest[rest.find('>').unwrap() + 1..];
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out.replace("&quot;", "\"").replace("&#39;", "'")
    }
}
