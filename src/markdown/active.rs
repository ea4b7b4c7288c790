//! Active content in HTML: what would run script or load a document in the
//! reader's browser. Used on raw HTML in pages (`raw-html = "allow"`) and on
//! HTML, SVG and XML files published from the content directory.
//!
//! The scan uses html5ever's tokenizer, so character references, odd
//! quoting and case are read the way a browser reads them. It stays in the
//! data state throughout (a `<style>` inside `<svg>` is not raw text to a
//! browser, so nothing is skipped), which can only find more, never less;
//! the elements whose content a browser reads as raw text are refused
//! themselves, so no markup can hide inside what looks like an attribute.
//! A `<style>` whose content arrived as plain text only is marked
//! [`Finding::inert_style`] when its CSS only styles; a file published as
//! its own document may keep it.
//! Elements that would swallow the rest of the page (`<textarea>`,
//! `<title>`, an unclosed comment or tag) are found with a sentinel tag
//! appended after the input: the input must end back in plain text.

use std::cell::RefCell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Something active, and the 1-based line of the input it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The 1-based line it is on.
    pub line: usize,
    /// What it is, phrased for a diagnostic.
    pub what: String,
    /// The input does not end in plain text (an element, tag or comment
    /// left open): meaningful for a whole page, not for one fragment.
    pub open: bool,
    /// Positioned out of the text flow (`position: fixed` or `absolute`):
    /// in a page it can lay a link over the whole handbook; in a document
    /// of its own it is only layout.
    pub overlay: bool,
    /// A `<style>` element with nothing but CSS that only styles (no
    /// markup, escape, import or script inside): in a page it restyles
    /// the handbook; in a document of its own (an SVG a drawing tool wrote)
    /// it is only that document's look.
    pub inert_style: bool,
}

/// Elements that run script, embed or frame a document, or change how the
/// rest of the page is fetched or submitted.
const ELEMENTS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "form",
    "portal",
    "plaintext",
    // A browser reads the content of these as text up to their end tag,
    // while this scan reads on as markup: `<noscript><p title="</noscript>
    // <img onerror=…>">` would look like an attribute here and be an image
    // there. Refused, so the two readings never differ.
    "style",
    "xmp",
    "noembed",
    "noframes",
    "noscript",
    "textarea",
    "title",
    "animate",
    "set",
    "animatemotion",
    "animatetransform",
    "handler",
    "listener",
];

/// Attributes that always act: they submit, frame or load on their own.
const ATTRIBUTES: &[&str] = &["srcdoc", "formaction", "action", "http-equiv"];

/// Attributes whose value is a URL the browser follows or loads.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "background",
    "poster",
    "cite",
    "data",
    "codebase",
    "dynsrc",
    "lowsrc",
    "longdesc",
    "ping",
    "usemap",
    "manifest",
    "icon",
    "profile",
    "values",
    "to",
    "from",
    "by",
    "xlink:href",
];

/// Elements whose content a browser reads as text up to their end tag: left
/// open, they swallow the rest of the page.
const SWALLOWING: &[&str] = &[
    "textarea", "title", "style", "xmp", "noembed", "noframes", "noscript",
];

/// Elements refused only because an HTML parser reads their content as raw
/// text: in an XML document (SVG) they are ordinary, and `<title>` and
/// `<desc>` are how an SVG describes itself.
const RAW_TEXT_IN_HTML_ONLY: &[&str] = &[
    "title",
    "textarea",
    "xmp",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

const SENTINEL: &str = "govbook-end-of-input";

/// HTML start tags that end SVG or MathML content (the HTML standard's
/// "in foreign content" rules): after one, the parser is back in HTML.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// An open element that decides how an HTML parser reads what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `<svg>` or `<math>`: elements are foreign, none reads raw text.
    Foreign,
    /// An SVG `<foreignObject>`, `<desc>` or `<title>`, or a MathML text
    /// or HTML integration point: HTML again inside.
    Integration,
}

/// A URL scheme that runs or embeds content, read as browsers read URLs:
/// ASCII white space and control characters dropped, case ignored.
pub fn unsafe_scheme(value: &str) -> Option<&'static str> {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|s| cleaned.starts_with(&format!("{s}:")))
}

/// A `data:` URL of a raster image (PNG, JPEG, GIF, WebP, AVIF, BMP): the
/// browser only decodes pixels from it, from no other origin, so it is as
/// inert as an image file (drawings exported with embedded bitmaps use it).
pub fn inert_image_data(value: &str) -> bool {
    let cleaned = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(24)
        .collect::<String>()
        .to_ascii_lowercase();
    ["png", "jpeg", "jpg", "gif", "webp", "avif", "bmp"]
        .iter()
        .any(|t| {
            cleaned
                .strip_prefix("data:image/")
                .and_then(|r| r.strip_prefix(t))
                .is_some_and(|r| r.starts_with([';', ',']))
        })
}

/// Whether `attr` on `element` loads an image (and nothing else).
fn loads_image(element: &str, attr: &str) -> bool {
    matches!(
        (element, attr),
        ("img", "src" | "srcset")
            | ("source", "srcset")
            | ("image" | "feimage", "href" | "xlink:href")
    )
}

#[derive(Default)]
struct Sink {
    /// The input is an XML document: elements are elements, none of them
    /// reads its content as raw text.
    xml: bool,
    /// For XML: the line being fed (the XML tokenizer reports none).
    line: std::cell::Cell<u64>,
    found: RefCell<Vec<Finding>>,
    open: RefCell<Vec<(String, usize)>>,
    sentinel: RefCell<bool>,
    /// For HTML: the open `<svg>`/`<math>` elements and integration points.
    frames: RefCell<Vec<(String, Frame)>>,
    /// An open `<style>`: the index of its finding, and its text so far
    /// (`None` once anything but text came inside it).
    style: RefCell<Option<(usize, Option<String>)>>,
}

impl Sink {
    fn push(&self, line: u64, what: String) {
        self.found.borrow_mut().push(Finding {
            line: line.max(1) as usize,
            what,
            open: false,
            overlay: false,
            inert_style: false,
        });
    }

    /// Text inside an open `<style>`.
    fn text(&self, text: &str) {
        if let Some((_, Some(css))) = self.style.borrow_mut().as_mut() {
            css.push_str(text);
        }
    }

    /// Anything but text inside an open `<style>`: it is not plain CSS.
    fn not_text(&self) {
        if let Some((_, css)) = self.style.borrow_mut().as_mut() {
            *css = None;
        }
    }

    fn tag(&self, tag: &Tag, line: u64) {
        let full = tag.name.to_string().to_ascii_lowercase();
        // `svg:script`, `x:script` in XML: the local part decides.
        let name = full.rsplit(':').next().unwrap_or(&full).to_owned();
        if tag.kind == TagKind::EndTag && name == "style" {
            if let Some((at, Some(css))) = self.style.take()
                && inert_css(&css)
                && let Some(f) = self.found.borrow_mut().get_mut(at)
            {
                f.inert_style = true;
            }
        } else {
            self.not_text();
        }
        if tag.kind == TagKind::EndTag {
            let mut open = self.open.borrow_mut();
            if let Some(at) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(at);
            }
            let mut frames = self.frames.borrow_mut();
            if self.in_foreign(&frames) && (name == "p" || name == "br") {
                leave_foreign(&mut frames);
            } else if let Some(at) = frames.iter().rposition(|(n, _)| *n == name) {
                frames.truncate(at);
            }
            return;
        }
        if name == SENTINEL {
            *self.sentinel.borrow_mut() = true;
            return;
        }
        let foreign = !self.xml && self.foreign_start(tag, &name);
        // `<title>` in an SVG is a title: only an HTML parser, and only
        // outside SVG and MathML, reads the raw-text elements differently
        // from this scan.
        let raw_text_only = (self.xml || foreign) && RAW_TEXT_IN_HTML_ONLY.contains(&name.as_str());
        if ELEMENTS.contains(&name.as_str()) && !raw_text_only {
            self.push(line, format!("a <{full}> element"));
            if name == "style" && !tag.self_closing && tag.attrs.iter().all(plain_style_attr) {
                let at = self.found.borrow().len() - 1;
                *self.style.borrow_mut() = Some((at, Some(String::new())));
            }
        }
        // Left open, even an SVG title is reported: conservative, and the
        // page's own text should not end up in a tooltip.
        if SWALLOWING.contains(&name.as_str()) && !tag.self_closing && !self.xml {
            self.open.borrow_mut().push((name.clone(), line as usize));
        }
        for attr in &tag.attrs {
            let attr_name = attr_name(attr);
            let value: &str = &attr.value;
            if attr_name.starts_with("on") {
                self.push(line, format!("an event handler `{attr_name}` on <{full}>"));
            } else if ATTRIBUTES.contains(&attr_name.as_str()) {
                self.push(line, format!("a `{attr_name}` attribute on <{full}>"));
            } else if URL_ATTRIBUTES.contains(&attr_name.as_str()) {
                let urls: Vec<&str> = if attr_name == "srcset" || attr_name == "values" {
                    value.split([',', ';']).map(str::trim).collect()
                } else {
                    vec![value]
                };
                let image = loads_image(&name, &attr_name);
                if let Some(s) = urls
                    .iter()
                    .filter(|u| !(image && inert_image_data(u)))
                    .find_map(|u| unsafe_scheme(u))
                {
                    self.push(line, format!("a `{s}:` URL in `{attr_name}` on <{full}>"));
                }
            } else if attr_name == "style" {
                let v = value.to_ascii_lowercase();
                let squeezed: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                if squeezed.contains("expression(")
                    || squeezed.contains("javascript:")
                    || squeezed.contains("vbscript:")
                    || squeezed.contains("behavior:")
                    || squeezed.contains("-moz-binding")
                {
                    self.push(line, format!("a script-running `style` on <{full}>"));
                } else if squeezed.contains("position:fixed")
                    || squeezed.contains("position:absolute")
                {
                    self.push(
                        line,
                        format!("a `style` that positions <{full}> over the page"),
                    );
                    if let Some(f) = self.found.borrow_mut().last_mut() {
                        f.overlay = true;
                    }
                }
            }
        }
    }
}

impl Sink {
    /// Whether an HTML parser is inside SVG or MathML here.
    fn in_foreign(&self, frames: &[(String, Frame)]) -> bool {
        frames.last().is_some_and(|(_, f)| *f == Frame::Foreign)
    }

    /// Tracks SVG and MathML through a start tag, as the HTML standard's
    /// tree construction does; whether the element is a foreign one.
    fn foreign_start(&self, tag: &Tag, name: &str) -> bool {
        let mut frames = self.frames.borrow_mut();
        if self.in_foreign(&frames) {
            let font_breakout = name == "font"
                && tag
                    .attrs
                    .iter()
                    .any(|a| matches!(&*a.name.local, "color" | "face" | "size"));
            if BREAKOUT.contains(&name) || font_breakout {
                leave_foreign(&mut frames);
            } else {
                let math = frames
                    .iter()
                    .rev()
                    .find(|(_, f)| *f == Frame::Foreign)
                    .is_some_and(|(n, _)| n == "math");
                let integration = if math {
                    matches!(name, "mi" | "mo" | "mn" | "ms" | "mtext")
                        || (name == "annotation-xml"
                            && tag.attrs.iter().any(|a| {
                                &*a.name.local == "encoding"
                                    && matches!(
                                        a.value.to_ascii_lowercase().as_str(),
                                        "text/html" | "application/xhtml+xml"
                                    )
                            }))
                } else {
                    matches!(name, "foreignobject" | "desc" | "title")
                };
                if !tag.self_closing {
                    if integration {
                        frames.push((name.to_owned(), Frame::Integration));
                    } else if name == "svg" || name == "math" {
                        frames.push((name.to_owned(), Frame::Foreign));
                    }
                }
                return true;
            }
        }
        if (name == "svg" || name == "math") && !tag.self_closing {
            frames.push((name.to_owned(), Frame::Foreign));
            return true;
        }
        name == "svg" || name == "math"
    }
}

/// Back to HTML: SVG and MathML elements are closed up to the nearest
/// integration point.
fn leave_foreign(frames: &mut Vec<(String, Frame)>) {
    while frames.last().is_some_and(|(_, f)| *f == Frame::Foreign) {
        frames.pop();
    }
}

fn attr_name(attr: &html5ever::Attribute) -> String {
    let local = attr.name.local.to_string().to_ascii_lowercase();
    match &attr.name.prefix {
        Some(p) if !p.is_empty() => format!("{}:{local}", p.to_ascii_lowercase()),
        _ => local,
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => self.tag(&tag, line),
            Token::CharacterTokens(t) => self.text(&t),
            Token::EOFToken => {}
            _ => self.not_text(),
        }
        TokenSinkResult::Continue
    }
}

/// The XML tokenizer's tags, read as the HTML scan reads them.
struct XmlSink<'a>(&'a Sink);

impl xml5ever::tokenizer::TokenSink for XmlSink<'_> {
    type Handle = ();

    fn process_token(
        &self,
        token: xml5ever::tokenizer::Token,
    ) -> xml5ever::tokenizer::ProcessResult<()> {
        use xml5ever::tokenizer::{TagKind as XmlKind, Token as XmlToken};
        match &token {
            XmlToken::Characters(t) => self.0.text(t),
            XmlToken::Tag(_) | XmlToken::EndOfFile => {}
            _ => self.0.not_text(),
        }
        if let XmlToken::Tag(t) = token {
            let name = match &t.name.prefix {
                Some(p) if !p.is_empty() => format!("{p}:{}", t.name.local),
                _ => t.name.local.to_string(),
            };
            let tag = Tag {
                kind: if t.kind == XmlKind::EndTag {
                    TagKind::EndTag
                } else {
                    TagKind::StartTag
                },
                name: html5ever::LocalName::from(name),
                self_closing: t.kind == XmlKind::EmptyTag,
                attrs: t.attrs,
                had_duplicate_attributes: false,
            };
            self.0.tag(&tag, self.0.line.get());
        }
        xml5ever::tokenizer::ProcessResult::Continue
    }
}

/// Whether a `<style>` attribute leaves it plain CSS: `type="text/css"`,
/// `media`, `title` or `id`, nothing that names another language.
fn plain_style_attr(attr: &html5ever::Attribute) -> bool {
    match &*attr_name(attr) {
        "type" => attr.value.trim().eq_ignore_ascii_case("text/css"),
        "media" | "title" | "id" => true,
        _ => false,
    }
}

/// Whether CSS only styles: no escape (which could spell anything), no
/// `<` (markup to a reader that takes it for tags), no `@import`, and
/// nothing that runs script in any browser.
fn inert_css(css: &str) -> bool {
    let squeezed: String = css
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    !css.contains(['\\', '<'])
        && ![
            "@import",
            "expression(",
            "javascript:",
            "vbscript:",
            "behavior:",
            "-moz-binding",
        ]
        .iter()
        .any(|bad| squeezed.contains(bad))
}

/// Every piece of active content in an XML document (SVG, XHTML, XML), read
/// as a browser's XML parser reads it. The caller has refused what an XML
/// parser would expand or run beyond the elements (a DTD, a processing
/// instruction). Fed a line at a time, so findings know their line.
pub fn scan_xml(xml: &str) -> Vec<Finding> {
    let sink = Sink {
        xml: true,
        ..Sink::default()
    };
    let tok = xml5ever::tokenizer::XmlTokenizer::new(XmlSink(&sink), Default::default());
    let input = BufferQueue::default();
    for (i, line) in xml.split_inclusive('\n').enumerate() {
        sink.line.set(i as u64 + 1);
        input.push_back(StrTendril::from_slice(line));
        while let TokenizerResult::Script(()) = tok.feed(&input) {}
    }
    tok.end();
    drop(tok);
    let mut found = sink.found.take();
    found.sort_by_key(|f| f.line);
    found
}

/// Every piece of active content in `html`, in order. The input must also
/// end in plain text: an element, tag or comment left open that would
/// swallow what follows it in the page is a finding too.
pub fn scan(html: &str) -> Vec<Finding> {
    scan_in(html, &mut Context::default())
}

/// Where a piece of HTML stands: inside which SVG or MathML elements. The
/// raw HTML of a page comes in pieces (each inline tag alone); scanned in
/// order with one context, `<svg>` in one piece is known in the next.
#[derive(Debug, Default)]
pub struct Context {
    frames: Vec<(String, Frame)>,
}

/// [`scan`], for a piece of HTML that stands in `context` (and leaves it
/// updated for the next piece).
pub fn scan_in(html: &str, context: &mut Context) -> Vec<Finding> {
    let lines = html.matches('\n').count() + 1;
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // On a line of its own, so a dangling `<a href="x` cannot end at our `<`.
    input.push_back(StrTendril::from_slice(&format!("\n<{SENTINEL}>")));
    let sink = Sink {
        frames: RefCell::new(std::mem::take(&mut context.frames)),
        ..Sink::default()
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    while let TokenizerResult::Script(()) = tok.feed(&input) {}
    tok.end();
    let sink = &tok.sink;
    context.frames = sink.frames.take();
    let mut found = sink.found.take();
    for (name, line) in sink.open.take() {
        found.push(Finding {
            line,
            what: format!("an unclosed <{name}> that swallows the rest of the page"),
            open: true,
            overlay: false,
            inert_style: false,
        });
    }
    if !*sink.sentinel.borrow() {
        found.push(Finding {
            line: lines,
            what: "a tag, attribute or comment left open, which swallows the rest of the page"
                .to_owned(),
            open: true,
            overlay: false,
            inert_style: false,
        });
    }
    found.sort_by_key(|f| f.line);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(html: &str) -> Vec<String> {
        scan(html).into_iter().map(|f| f.what).collect()
    }

    #[test]
    fn harmless_html_passes() {
        for ok in [
            "<details><summary>More</summary><p>Text <kbd>Ctrl</kbd></p></details>",
            "<a href=\"https://example.com/\" title=\"javascript: a history\">x</a>",
            "<img src=\"logo.png\" alt=\"onerror\">",
            "<!-- a comment -->",
            "<span style=\"color: red\">red</span>",
            "",
            "plain < text & more",
        ] {
            assert_eq!(whats(ok), Vec::<String>::new(), "{ok}");
        }
    }

    #[test]
    fn raster_data_images_are_inert_only_where_an_image_loads() {
        let svg = |image: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">{image}</svg>"
            )
        };
        for ok in [
            svg("<image xlink:href=\"data:image/png;base64,iVBORw0KGgo=\"/>"),
            svg("<image href=\"DATA:Image/JPEG;base64,/9j/\"/>"),
        ] {
            assert_eq!(scan_xml(&ok).len(), 0, "{ok}");
        }
        assert!(whats("<img src=\"data:image/webp;base64,UklGR\">").is_empty());
        for bad in [
            svg("<image xlink:href=\"data:image/svg+xml;base64,PHN2Zz4=\"/>"),
            svg("<a xlink:href=\"data:image/png;base64,iVBOR\"><text>x</text></a>"),
            "<iframe src=\"data:image/png;base64,iVBOR\"></iframe>".to_owned(),
            "<img src=\"data:image/pngx,iVBOR\">".to_owned(),
            "<img src=\"data:text/html,<script>x</script>\">".to_owned(),
        ] {
            let found = if bad.starts_with("<svg") {
                scan_xml(&bad)
            } else {
                scan(&bad)
            };
            assert!(!found.is_empty(), "{bad}");
        }
    }

    #[test]
    fn active_content_is_found_however_written() {
        for (bad, what) in [
            ("<script>x</script>", "<script>"),
            ("<ScRiPt src=x></script>", "<script>"),
            ("<img src=x onerror=alert(1)>", "onerror"),
            ("<img src=x\nOnError\n=\nalert(1)>", "onerror"),
            ("<svg><animate onbegin=x>", "onbegin"),
            ("<a href=\"&#106;avascript:x\">", "javascript:"),
            ("<a href=\"&#x6A;ava&#x09;script:x\">", "javascript:"),
            ("<a href=' JAVASCRIPT:x'>", "javascript:"),
            ("<a href=vbscript:x>", "vbscript:"),
            ("<img src=\"data:image/svg+xml,<svg onload=x>\">", "data:"),
            ("<img srcset=\"a.png 1x, javascript:x 2x\">", "javascript:"),
            ("<svg><a xlink:href=\"javascript:x\">", "javascript:"),
            ("<iframe srcdoc=\"x\">", "<iframe>"),
            (
                "<meta http-equiv=refresh content=\"0;url=javascript:x\">",
                "<meta>",
            ),
            ("<base href=\"https://evil.example/\">", "<base>"),
            ("<form action=x><button>", "<form>"),
            ("<button formaction=javascript:x>", "formaction"),
            ("<div style=\"width: expression(alert(1))\">", "style"),
            (
                "<x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">",
                "<x:script>",
            ),
            ("<svg><style><script>x</script></style></svg>", "<script>"),
            ("<textarea>", "unclosed <textarea>"),
            (
                "<noscript><p title=\"</noscript><img src=x onerror=y>\">",
                "<noscript>",
            ),
            ("<style>@import 'x';</style>", "<style>"),
            ("<!-- open", "left open"),
            ("<a href=\"x", "left open"),
            ("<plaintext>", "<plaintext>"),
            (
                "<a href=\"https://evil.example\" style=\"position : FIXED; inset:0\">x</a>",
                "over the page",
            ),
            ("<div style=\"position:absolute;top:0\">", "over the page"),
        ] {
            let w = whats(bad);
            assert!(w.iter().any(|f| f.contains(what)), "{bad}: {w:?}");
        }
    }

    #[test]
    fn xml_is_read_as_xml() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<title>A chart</title>\n<desc>Bars</desc>\n</svg>\n";
        assert_eq!(scan_xml(svg), vec![]);
        // What an HTML reading would take for the title's text is an
        // element to an XML parser.
        let hidden = "<svg>\n<title><script>alert(1)</script></title>\n</svg>";
        let f = scan_xml(hidden);
        assert!(
            f.iter().any(|f| f.what.contains("<script>") && f.line == 2),
            "{f:?}"
        );
        let f = scan_xml("<svg>\n\n<a xlink:href=\"javascript:x\" onclick=\"y\"/></svg>");
        assert!(f.len() == 2 && f.iter().all(|f| f.line == 3), "{f:?}");
        assert!(!scan_xml("<svg><style>@import 'x';</style></svg>").is_empty());
    }

    #[test]
    fn an_svg_title_in_html_is_a_title() {
        let graphviz = "<svg width=\"62pt\">\n<g id=\"node1\" class=\"node\">\n<title>a&#45;&gt;b</title>\n<ellipse cx=\"27\"/>\n</g>\n</svg>\n<p>after</p>";
        assert_eq!(whats(graphviz), Vec::<String>::new());
        assert_eq!(
            whats("<math><mi>x</mi><annotation-xml><title>t</title></annotation-xml></math>"),
            Vec::<String>::new()
        );
        // Where the parser is back in HTML, a title reads raw text again.
        for bad in [
            "<title>x</title>",
            "<svg></svg><title>x</title>",
            "<svg><p><title>x</title></svg>",
            "<svg><desc><title>x</title></desc></svg>",
            "<svg><foreignObject><textarea>x</textarea></foreignObject></svg>",
            "<svg><font color=red><title>x</title></svg>",
            "<svg><g></p><title>x</title></g></svg>",
            "<math><mtext><title>x</title></mtext></math>",
            "<svg><title>",
            "<svg/><title>x</title>",
        ] {
            assert!(!whats(bad).is_empty(), "{bad}");
        }
        // Script runs in SVG too.
        assert!(!whats("<svg><script>x</script></svg>").is_empty());
        // Inline raw HTML comes one tag at a time: the context carries over
        // (a piece alone may be left open; the page is judged whole).
        let mut ctx = Context::default();
        for piece in ["<svg>", "<title>", "t", "</title>", "</svg>"] {
            let found: Vec<_> = scan_in(piece, &mut ctx)
                .into_iter()
                .filter(|f| !f.open)
                .collect();
            assert_eq!(found, vec![], "{piece}");
        }
        assert!(scan_in("<title>", &mut ctx).iter().any(|f| !f.open));
    }

    #[test]
    fn a_style_sheet_that_only_styles_is_marked_inert() {
        let inert = |found: Vec<Finding>| -> Vec<bool> {
            found.into_iter().map(|f| f.inert_style).collect()
        };
        assert_eq!(
            inert(scan_xml(
                "<svg><style>\nrect{fill:url(#g)} a > b{}\n</style></svg>"
            )),
            [true]
        );
        assert_eq!(inert(scan("<svg><style>p{}</style></svg>")), [true]);
        assert_eq!(inert(scan("<style media=\"print\">p{}</style>")), [true]);
        for active in [
            "<style>@import 'x';</style>",
            "<style>p{}<b>x</b></style>",
            "<style>p{}<!-- x --></style>",
            "<style type=\"text/x-less\">p{}</style>",
            "<style>p{b:\\75 rl(x)}</style>",
            "<style>p{width:expression(alert(1))}</style>",
            "<style>p{}</style",
        ] {
            assert!(
                scan(active)
                    .iter()
                    .any(|f| !f.inert_style && f.what.contains("<style>")),
                "{active}"
            );
        }
    }

    #[test]
    fn overlays_are_marked_and_static_styles_pass() {
        let f = scan("<div style=\"position:fixed\">x</div>");
        assert!(f.len() == 1 && f[0].overlay, "{f:?}");
        assert!(scan("<span style=\"color:red; position: relative\">x</span>").is_empty());
    }

    #[test]
    fn open_findings_are_marked() {
        let f = scan("<a href=\"x");
        assert!(!f.is_empty() && f.iter().all(|f| f.open), "{f:?}");
        let f = scan("<script>x</script>");
        assert!(f.iter().all(|f| !f.open), "{f:?}");
    }

    #[test]
    fn lines_are_counted() {
        let f = scan("<p>\nok\n</p>\n<img src=x\n onerror=y>");
        assert_eq!(f.len(), 1);
        assert!((4..=5).contains(&f[0].line), "{f:?}");
    }
}
