//! `raw-html = "sanitize"`: the raw HTML of a page keeps a safe subset,
//! modelled on what GitHub keeps in a README (`<kbd>`, `<details>`, `<sup>`,
//! tables, images from the book, `<a id>` anchors …), through ammonia, a
//! sanitizer built on html5ever's tree builder.
//!
//! The raw HTML of a page arrives in pieces (each inline tag is an event of
//! its own; `<details>` may open in one HTML block and close in another),
//! so a page is sanitized whole: the HTML govbook generates between the
//! pieces stands in as slot elements that carry an unforgeable name, and
//! goes back in after the sanitizer has balanced and filtered the rest.
//! [`scan`] reads raw HTML with the same tables to say what is removed and
//! which ids it defines.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use ammonia::{Builder, UrlRelative};
use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::classes::{self, Allowed};

/// HTML elements kept, as on GitHub.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    // Note boxes in mdBook books (`<aside>`): a sectioning element, inert.
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Static SVG drawing elements (what Graphviz and most diagram tools
/// write): no script, animation, `<use>`, `<image>` or `<foreignObject>`.
const SVG_TAGS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "marker",
];

/// Presentation attributes of the SVG elements above. Names are in SVG's
/// case, as html5ever's tree builder (and so ammonia) has them; the scan
/// compares them ignoring case.
const SVG_ATTRIBUTES: &[&str] = &[
    "class",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "markerWidth",
    "markerHeight",
    "refX",
    "refY",
    "orient",
    "clip-path",
    "marker-start",
    "marker-mid",
    "marker-end",
];

/// Removed with everything inside them: script and style, and the elements
/// whose content an HTML parser reads as text (a `<title>` in an SVG is
/// only a tooltip, and goes too).
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "textarea",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "noscript",
    "iframe",
    "plaintext",
];

/// Attributes kept on every kept element.
const GENERIC_ATTRIBUTES: &[&str] = &["id", "title", "lang", "dir"];

/// Attributes kept on one HTML element.
fn html_attributes(tag: &str) -> &'static [&'static str] {
    match tag {
        "a" => &["href", "name"],
        "img" => &["src", "alt", "width", "height", "align"],
        "td" | "th" => &["colspan", "rowspan", "align", "valign"],
        "ol" => &["start", "type", "reversed"],
        "li" => &["value"],
        "details" => &["open"],
        "blockquote" | "q" | "del" | "ins" => &["cite"],
        "time" => &["datetime"],
        "col" | "colgroup" => &["span"],
        "div" | "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "tr" => &["align"],
        _ => &[],
    }
}

/// URL schemes a kept link may use.
const SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Whether raw HTML keeps element `tag` (lowercase local name).
pub(crate) fn is_element(tag: &str) -> bool {
    keeps_tag(tag)
}

fn keeps_tag(tag: &str) -> bool {
    HTML_TAGS.contains(&tag) || is_svg_tag(tag)
}

fn is_svg_tag(tag: &str) -> bool {
    SVG_TAGS.iter().any(|t| t.eq_ignore_ascii_case(tag))
}

/// Whether a kept element `tag` keeps attribute `attr` (both lowercase).
fn keeps_attribute(tag: &str, attr: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attr)
        || html_attributes(tag).contains(&attr)
        || (is_svg_tag(tag) && SVG_ATTRIBUTES.iter().any(|a| a.eq_ignore_ascii_case(attr)))
}

/// Why a kept attribute's value is refused, if it is: a URL with another
/// scheme, an image from another origin, a CSS `url()` outside the page.
fn refused_value(tag: &str, attr: &str, value: &str) -> Option<&'static str> {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let url_attr = matches!(attr, "href" | "src" | "cite");
    if url_attr {
        if let Some(colon) = cleaned.find(':') {
            let scheme = &cleaned[..colon];
            let is_scheme = !scheme.is_empty()
                && !scheme.contains(['/', '?', '#'])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if is_scheme && !SCHEMES.contains(&scheme) {
                return Some("a URL scheme other than http:, https: or mailto:");
            }
        }
        // The site makes no request to another origin: images come from
        // the book. `//host` and `/\host` both name another host.
        let other_host = cleaned.starts_with("//")
            || cleaned.starts_with("/\\")
            || cleaned.starts_with("\\")
            || cleaned.contains("://")
            || cleaned.starts_with("http:")
            || cleaned.starts_with("https:")
            || cleaned.starts_with("mailto:");
        if tag == "img" && other_host {
            return Some("an image from another origin");
        }
    }
    if is_svg_tag(tag) && cleaned.contains("url(") && !cleaned.contains("url(#") {
        return Some("a url() outside the page");
    }
    None
}

/// The class tokens of `value` that a kept element `tag` keeps, joined;
/// `None` when none is. An SVG drawing keeps its classes (Graphviz marks
/// every node), but never the site's own; HTML elements keep those
/// [`classes::keeps`] allows.
fn kept_classes(tag: &str, value: &str, allowed: &BTreeSet<String>) -> Option<String> {
    let svg = is_svg_tag(tag);
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|t| {
            if svg {
                !classes::is_chrome(t)
            } else {
                classes::keeps(t, allowed)
            }
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

thread_local! {
    /// The policy for the last class allowlist this thread sanitized with:
    /// a build has one allowlist, so it is built once per thread.
    static BUILDER: std::cell::RefCell<Option<(Allowed, Builder<'static>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with the ammonia policy for `allowed`.
fn with_builder<R>(allowed: &Allowed, f: impl FnOnce(&Builder<'static>) -> R) -> R {
    BUILDER.with(|cell| {
        let mut cached = cell.borrow_mut();
        let fresh = match &*cached {
            Some((a, _)) => !Arc::ptr_eq(a, allowed) && **a != **allowed,
            None => true,
        };
        if fresh {
            *cached = Some((allowed.clone(), policy(allowed.clone())));
        }
        let (_, builder) = cached.as_ref().expect("just set");
        f(builder)
    })
}

fn policy(allowed: Allowed) -> Builder<'static> {
    let mut b = Builder::empty();
    b.tags(HTML_TAGS.iter().chain(SVG_TAGS).copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(
            GENERIC_ATTRIBUTES
                .iter()
                .chain(&["class"])
                .copied()
                .collect(),
        )
        .url_schemes(SCHEMES.iter().copied().collect())
        .url_relative(UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .id_prefix(None);
    let mut per_tag = std::collections::HashMap::new();
    for tag in HTML_TAGS {
        per_tag.insert(*tag, html_attributes(tag).iter().copied().collect());
    }
    for tag in SVG_TAGS {
        per_tag.insert(*tag, SVG_ATTRIBUTES.iter().copied().collect());
    }
    b.tag_attributes(per_tag);
    b.attribute_filter(move |tag, attr, value| {
        let (tag, attr) = (tag.to_ascii_lowercase(), attr.to_ascii_lowercase());
        if attr == "class" {
            kept_classes(&tag, value, &allowed).map(Cow::Owned)
        } else if refused_value(&tag, &attr, value).is_some() {
            None
        } else {
            Some(Cow::Borrowed(value))
        }
    });
    b
}

/// Marks a raw HTML piece in the HTML a page renders to: a comment, which
/// generated HTML never contains (every `<` of page text is escaped).
pub(super) fn marker(i: usize) -> String {
    format!("<!--govbook-raw-{i}-->")
}

const MARKER_START: &str = "<!--govbook-raw-";

/// Sanitizes the raw HTML of a rendered page. `html` is the page as govbook
/// rendered it with each raw piece replaced by its [`marker`]; `raw` holds
/// the pieces. The generated HTML between them stands in as text (text
/// survives wherever the sanitizer and the HTML parser put it, in a table,
/// an SVG or an element that is unwrapped) between two private-use
/// characters around `nonce`, which is derived from the page source, so no
/// page can write a slot itself; and text never lands in an attribute.
/// `allowed` is the book's class allowlist ([`classes`]).
pub(super) fn page(html: &str, raw: &[String], nonce: &str, allowed: &Allowed) -> String {
    let open = format!("{SLOT_OPEN}{nonce}-");
    let mut skeleton = String::with_capacity(html.len());
    let mut slots: Vec<&str> = Vec::new();
    fn push_slot<'h>(open: &str, piece: &'h str, skeleton: &mut String, slots: &mut Vec<&'h str>) {
        if !piece.is_empty() {
            skeleton.push_str(&format!("{open}{}{SLOT_CLOSE}", slots.len()));
            slots.push(piece);
        }
    }
    let mut rest = html;
    while let Some(at) = rest.find(MARKER_START) {
        let after = &rest[at + MARKER_START.len()..];
        let Some(end) = after.find("-->") else { break };
        let Some(piece) = after[..end].parse::<usize>().ok().and_then(|i| raw.get(i)) else {
            break;
        };
        push_slot(&open, &rest[..at], &mut skeleton, &mut slots);
        skeleton.push_str(piece);
        rest = &after[end + 3..];
    }
    push_slot(&open, rest, &mut skeleton, &mut slots);
    let cleaned = with_builder(allowed, |b| b.clean(&skeleton).to_string());
    fill(&cleaned, &open, &slots)
}

/// Puts the slots back into the sanitizer's output, in text only: its
/// serializer quotes every attribute value with `"`, escapes `<` in text
/// and writes no comment or raw text, so tags and quotes are plain to see.
fn fill(cleaned: &str, open: &str, slots: &[&str]) -> String {
    let mut out =
        String::with_capacity(cleaned.len() + slots.iter().map(|s| s.len()).sum::<usize>());
    let (mut in_tag, mut in_quote) = (false, false);
    let mut rest = cleaned;
    while let Some(at) = rest.find(['<', '>', '"', SLOT_OPEN]) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or(SLOT_OPEN);
        let after = &rest[at + c.len_utf8()..];
        match c {
            '<' if !in_tag => in_tag = true,
            '>' if in_tag && !in_quote => in_tag = false,
            '"' if in_tag => in_quote = !in_quote,
            SLOT_OPEN if !in_tag => {
                let slot = rest[at..].strip_prefix(open).and_then(|tail| {
                    let end = tail.find(SLOT_CLOSE)?;
                    let piece = slots.get(tail[..end].parse::<usize>().ok()?)?;
                    Some((piece, &tail[end + SLOT_CLOSE.len_utf8()..]))
                });
                if let Some((piece, tail)) = slot {
                    out.push_str(piece);
                    rest = tail;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Around a slot: characters of the Private Use Area.
const SLOT_OPEN: char = '\u{E000}';
const SLOT_CLOSE: char = '\u{E001}';

/// Something the sanitizer removes from raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Byte offset in the scanned HTML where it is written.
    pub at: usize,
    /// What it is, phrased for a diagnostic.
    pub what: String,
}

/// An id that raw HTML defines (`id` on any element, `name` on `<a>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlId {
    /// The id.
    pub id: String,
    /// Whether it survives sanitizing (its element is kept).
    pub sanitized: bool,
}

/// What a scan of raw HTML finds.
#[derive(Debug, Default)]
pub struct Scan {
    /// Everything the sanitizer removes, in order (comments aside).
    pub removed: Vec<Removal>,
    /// Every id defined.
    pub ids: Vec<HtmlId>,
}

struct Sink<'a> {
    lower: String,
    allowed: &'a BTreeSet<String>,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// Where the next tag or comment starts, at the earliest.
    pos: usize,
    /// Inside an element dropped with its content: its name.
    skipping: Option<String>,
    /// Open `<svg>` elements.
    svg: usize,
    scan: Scan,
}

impl Sink<'_> {
    fn find(&self, from: usize, needle: &str) -> Option<usize> {
        self.lower.get(from..)?.find(needle).map(|i| from + i)
    }

    fn tag(&self, tag: &Tag) {
        let name = tag.name.to_string().to_ascii_lowercase();
        let mut st = self.state.borrow_mut();
        if tag.kind == TagKind::EndTag {
            if st.skipping.as_deref() == Some(name.as_str()) {
                st.skipping = None;
            }
            if name == "svg" {
                st.svg = st.svg.saturating_sub(1);
            }
            if let Some(at) = self.find(st.pos, &format!("</{name}")) {
                st.pos = at + 1;
            }
            return;
        }
        if st.skipping.is_some() {
            return;
        }
        let at = self.find(st.pos, &format!("<{name}")).unwrap_or(st.pos);
        st.pos = at + 1;
        let in_svg = st.svg > 0;
        if name == "svg" && !tag.self_closing {
            st.svg += 1;
        }
        let kept = keeps_tag(&name);
        for attr in &tag.attrs {
            let id = match (&*attr.name.local, name.as_str()) {
                ("id", _) | ("name", "a") => attr.value.to_string(),
                _ => continue,
            };
            if !id.is_empty() {
                st.scan.ids.push(HtmlId {
                    id,
                    sanitized: kept,
                });
            }
        }
        if DROPPED_WITH_CONTENT.contains(&name.as_str()) {
            if !tag.self_closing {
                st.skipping = Some(name.clone());
            }
            // An SVG's `<title>` is a tooltip: dropping it is no news.
            if !(in_svg && name == "title") {
                st.scan.removed.push(Removal {
                    at,
                    what: format!("a <{name}> element, with its content"),
                });
            }
            return;
        }
        if !kept {
            // `<desc>` in an SVG describes it; its text is not drawn.
            if !(in_svg && name == "desc") {
                st.scan.removed.push(Removal {
                    at,
                    what: format!("a <{name}> element (its text stays)"),
                });
            }
            return;
        }
        for attr in &tag.attrs {
            let shown = attr.name.local.to_string().to_ascii_lowercase();
            // Namespace declarations mean nothing in an HTML page.
            if shown == "xmlns" || shown.starts_with("xmlns:") {
                continue;
            }
            // The tree builder reads `xlink:href` and `xml:lang` as `href`
            // and `lang` in their namespaces; ammonia judges the local name.
            let attr_name = match shown.split_once(':') {
                Some(("xlink" | "xml", local)) => local.to_owned(),
                _ => shown.clone(),
            };
            if attr_name == "class" {
                let attr_at = self.find(at, "class").unwrap_or(at);
                for token in attr.value.split_ascii_whitespace() {
                    if kept_classes(&name, token, self.allowed).is_none() {
                        let token_at = self
                            .find(attr_at, &token.to_ascii_lowercase())
                            .unwrap_or(attr_at);
                        st.scan.removed.push(Removal {
                            at: token_at,
                            what: format!("the class `{token}` of <{name}>"),
                        });
                    }
                }
                continue;
            }
            let why = if !keeps_attribute(&name, &attr_name) {
                Some(Cow::Borrowed("not kept"))
            } else {
                refused_value(&name, &attr_name, &attr.value).map(Cow::Borrowed)
            };
            if let Some(why) = why {
                let attr_at = self.find(at, &attr_name).unwrap_or(at);
                let what = if why == "not kept" {
                    format!("the `{shown}` attribute of <{name}>")
                } else {
                    format!("the `{shown}` attribute of <{name}> ({why})")
                };
                st.scan.removed.push(Removal { at: attr_at, what });
            }
        }
    }
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => self.tag(&tag),
            Token::CommentToken(_) => {
                let mut st = self.state.borrow_mut();
                if st.skipping.is_none()
                    && let Some(at) = self.find(st.pos, "<!")
                {
                    let end = self
                        .find(at, "-->")
                        .or_else(|| self.find(at, ">"))
                        .unwrap_or(at);
                    st.pos = end + 1;
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Reads raw HTML as the sanitizer's tables do: what is removed (with its
/// byte offset) and which ids are defined. The content of `<script>`,
/// `<style>` and the like is skipped, as a browser skips it. Class tokens
/// are judged by the default allowlist (`warning`).
pub fn scan(html: &str) -> Scan {
    scan_with(html, &BTreeSet::new())
}

/// [`scan`] with the book's class allowlist ([`classes`]).
pub fn scan_with(html: &str, allowed: &BTreeSet<String>) -> Scan {
    let sink = Sink {
        allowed,
        lower: html.to_ascii_lowercase(),
        state: RefCell::default(),
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    while let TokenizerResult::Script(()) = tok.feed(&input) {}
    tok.end();
    tok.sink.state.take().scan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        page(
            &marker(0),
            &[html.to_owned()],
            "0123456789abcdef",
            &Allowed::default(),
        )
    }

    #[test]
    fn the_safe_subset_is_kept() {
        for ok in [
            "<kbd>Ctrl</kbd>",
            "<details open=\"\"><summary>More</summary><p>x</p></details>",
            "<sup>1</sup><sub>2</sub><br><hr>",
            "<a href=\"https://example.com/\">x</a>",
            "<a href=\"guide/x.html#y\">x</a>",
            "<a id=\"old-name\"></a>",
            "<a name=\"old\"></a>",
            "<img src=\"images/a.png\" alt=\"A\">",
            "<span id=\"s\">x</span>",
            "<table><tbody><tr><td colspan=\"2\">x</td></tr></tbody></table>",
            "<dl><dt id=\"t\">T</dt><dd>D</dd></dl>",
        ] {
            assert_eq!(clean(ok), ok, "{ok}");
            assert!(scan(ok).removed.is_empty(), "{ok}: {:?}", scan(ok).removed);
        }
    }

    #[test]
    fn dangerous_constructs_are_removed_and_reported() {
        for (bad, gone, what) in [
            ("<script>alert(1)</script>x", "alert", "<script>"),
            (
                "<img src=\"a.png\" onerror=\"alert(1)\">",
                "onerror",
                "`onerror`",
            ),
            (
                "<a href=\"javascript:alert(1)\">x</a>",
                "javascript",
                "`href`",
            ),
            ("<a href=\" JaVa&#x09;script:x\">x</a>", "script:", "`href`"),
            ("<style>p{}</style>", "p{}", "<style>"),
            ("<span style=\"color:red\">x</span>", "color", "`style`"),
            ("<iframe src=\"x.html\"></iframe>", "iframe", "<iframe>"),
            ("<form action=\"x\"><input></form>", "form", "<form>"),
            ("<object data=\"x\"></object>", "object", "<object>"),
            ("<embed src=\"x\">", "embed", "<embed>"),
            (
                "<meta http-equiv=\"refresh\" content=\"0\">",
                "meta",
                "<meta>",
            ),
            ("<base href=\"https://e.example/\">", "base", "<base>"),
            ("<link rel=\"stylesheet\" href=\"x.css\">", "link", "<link>"),
            (
                "<img src=\"https://e.example/t.png\">",
                "e.example",
                "another origin",
            ),
            (
                "<img src=\"//e.example/t.png\">",
                "e.example",
                "another origin",
            ),
            ("<img src=\"data:image/png;base64,AA\">", "data:", "`src`"),
            (
                "<div class=\"sidebar\">x</div>",
                "sidebar",
                "class `sidebar`",
            ),
            (
                "<svg><rect fill=\"url(https://e.example/p)\"></rect></svg>",
                "e.example",
                "url()",
            ),
            ("<svg><script>alert(1)</script></svg>", "alert", "<script>"),
            ("<math><mi>x</mi></math>", "<math", "<math>"),
        ] {
            let out = clean(bad);
            assert!(!out.contains(gone), "{bad} -> {out}");
            let removed = scan(bad).removed;
            assert!(
                removed.iter().any(|r| r.what.contains(what)),
                "{bad}: {removed:?}"
            );
        }
    }

    #[test]
    fn class_tokens_stay_by_the_allowlist_but_never_the_sites_own() {
        let allowed: Allowed =
            Arc::new(["admonition".to_owned(), "sidebar-open".to_owned()].into());
        let html = "<div class=\"warning admonition x sidebar-open\">t</div><p class=\"x\">u</p>";
        let out = page(&marker(0), &[html.to_owned()], "ab", &allowed);
        assert_eq!(out, "<div class=\"warning admonition\">t</div><p>u</p>");
        let removed: Vec<String> = scan_with(html, &allowed)
            .removed
            .into_iter()
            .map(|r| r.what)
            .collect();
        assert_eq!(
            removed,
            [
                "the class `x` of <div>",
                "the class `sidebar-open` of <div>",
                "the class `x` of <p>"
            ]
        );
        // An SVG keeps its drawing's classes, but not the site's.
        let svg = "<svg><g class=\"node site-header\"></g></svg>";
        assert_eq!(
            page(&marker(0), &[svg.to_owned()], "ab", &allowed),
            "<svg><g class=\"node\"></g></svg>"
        );
    }

    #[test]
    fn comments_are_dropped_silently() {
        assert_eq!(clean("a<!-- secret -->b"), "ab");
        assert!(scan("<!-- <script> -->").removed.is_empty());
    }

    #[test]
    fn svg_diagrams_keep_their_drawing() {
        let svg = "<svg width=\"62pt\" viewBox=\"0 0 62 44\" xmlns=\"http://www.w3.org/2000/svg\">\n<g id=\"node1\" class=\"node\">\n<title>a</title>\n<ellipse fill=\"none\" stroke=\"black\" cx=\"27\" cy=\"-18\" rx=\"27\" ry=\"18\"></ellipse>\n<text text-anchor=\"middle\" x=\"27\" y=\"-14\">a</text>\n</g>\n</svg>";
        let out = clean(svg);
        assert!(out.contains("<ellipse"), "{out}");
        assert!(out.contains("viewBox=\"0 0 62 44\""), "{out}");
        assert!(out.contains("<text text-anchor=\"middle\""), "{out}");
        assert!(!out.contains("<title>"), "{out}");
        assert_eq!(scan(svg).removed, vec![], "an SVG title is no news");
        assert!(!scan("<title>x</title>").removed.is_empty());
    }

    #[test]
    fn removals_point_at_what_is_removed() {
        let html =
            "<p>ok</p>\n<b onclick=\"x\">b</b><script>var a = '<i onclick=1>';</script><i>i</i>";
        let r = scan(html).removed;
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(html[r[0].at..].starts_with("onclick=\"x\""), "{r:?}");
        assert!(html[r[1].at..].starts_with("<script>"), "{r:?}");
    }

    #[test]
    fn ids_are_found_with_whether_they_survive() {
        let s =
            scan("<a id=\"a\"></a><a name=\"n\"></a><section id=\"s\"></section><span name=\"x\">");
        let ids: Vec<(&str, bool)> = s.ids.iter().map(|i| (i.id.as_str(), i.sanitized)).collect();
        assert_eq!(ids, [("a", true), ("n", true), ("s", false)]);
    }

    #[test]
    fn generated_html_is_put_back_between_balanced_pieces() {
        let raw = [
            "<details>\n<summary>More</summary>\n".to_owned(),
            "</details>\n".to_owned(),
        ];
        let html = format!("{}<p>Some <em>text</em></p>\n{}", marker(0), marker(1));
        let out = page(&html, &raw, "00ff", &Allowed::default());
        assert_eq!(
            out,
            "<details>\n<summary>More</summary>\n<p>Some <em>text</em></p>\n</details>\n"
        );
        // A page cannot name a slot: without the nonce it is just removed.
        let raw =
            ["<govbook-slot-00ff>0</govbook-slot-00ff><govbook-slot>0</govbook-slot>".to_owned()];
        let out = page(
            &format!("<p>x</p>{}", marker(0)),
            &raw,
            "00fe",
            &Allowed::default(),
        );
        assert_eq!(out, "<p>x</p>00", "{out}");
    }
}
