//! `[output.html]` and `[preprocessor.*]`: the mdBook keys govbook maps onto
//! its own site (redirects, extra CSS and JS, repository and edit links,
//! build-time math, preprocessors), and a one-line warning for each key
//! that cannot apply (Handlebars themes, the remote playground, analytics).

use std::ops::Range;

use toml::Value;

use crate::decode::SpanIndex;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::FileId;

/// `[output.html]`, as far as govbook reads it.
#[derive(Debug, Clone)]
pub struct HtmlConfig {
    /// `redirect`: old output path → new URL, in book.toml order.
    pub redirects: Vec<Redirect>,
    /// `additional-css`: files (relative to the book root) linked from every page.
    pub additional_css: Vec<Named>,
    /// `additional-js`: scripts (relative to the book root) loaded by every page.
    pub additional_js: Vec<Named>,
    /// `site-url`.
    pub site_url: Option<String>,
    /// `git-repository-url`: a link in the header.
    pub git_repository_url: Option<String>,
    /// `edit-url-template`: "Edit this page", `{path}` replaced by the
    /// source's path from the book root.
    pub edit_url_template: Option<String>,
    /// `mathjax-support`: TeX between `\(`/`\)` and `\[`/`\]` becomes MathML.
    pub math: bool,
    /// `print.enable` (default true): whether `print.html` is written.
    pub print: bool,
    /// `fold.enable` and `fold.level`: sidebar sections below the level
    /// start folded (the current page's are open).
    pub fold: Option<u8>,
    /// `no-section-label`: no "1.2." before chapter titles.
    pub no_section_label: bool,
    /// `hash-files` (default true in mdBook 0.5): fingerprinted names for
    /// the additional CSS and JS files.
    pub hash_files: bool,
    /// `theme`: the mdBook theme directory (default `theme`).
    pub theme_dir: String,
}

impl Default for HtmlConfig {
    fn default() -> Self {
        HtmlConfig {
            redirects: Vec::new(),
            additional_css: Vec::new(),
            additional_js: Vec::new(),
            site_url: None,
            git_repository_url: None,
            edit_url_template: None,
            math: false,
            print: true,
            fold: None,
            no_section_label: false,
            hash_files: true,
            theme_dir: "theme".to_owned(),
        }
    }
}

/// A string value and where it is in book.toml.
#[derive(Debug, Clone)]
pub struct Named {
    /// The value.
    pub value: String,
    /// Its span.
    pub span: Range<usize>,
}

/// One `[output.html.redirect]` entry.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The old path, relative to the site root (a leading `/` removed).
    pub from: String,
    /// The URL a reader is sent to.
    pub to: String,
    /// Span of the key.
    pub key_span: Range<usize>,
    /// Span of the value.
    pub value_span: Range<usize>,
}

/// `[preprocessor.NAME]`.
#[derive(Debug, Clone)]
pub struct PreprocessorConfig {
    /// The table's name.
    pub name: String,
    /// `command` (default `mdbook-NAME`).
    pub command: String,
    /// `before`: preprocessors this one runs before.
    pub before: Vec<String>,
    /// `after`: preprocessors this one runs after.
    pub after: Vec<String>,
    /// `renderers`: when given, runs only for these (no `supports` call).
    pub renderers: Option<Vec<String>>,
    /// `optional`: a missing command is a warning, not an error.
    pub optional: bool,
    /// Span of the table's name in book.toml.
    pub span: Range<usize>,
}

/// The built-in preprocessors: govbook does their work itself.
pub const BUILTIN_PREPROCESSORS: [&str; 2] = ["links", "index"];

/// Keys of mdBook's `[output.html]` that govbook's site cannot honour.
const INAPPLICABLE: &[(&str, &str)] = &[
    (
        "default-theme",
        "govbook follows the reader's light or dark setting",
    ),
    ("preferred-dark-theme", "govbook has one dark theme"),
    (
        "google-analytics",
        "the site makes no request to another origin",
    ),
    ("live-reload-endpoint", "`govbook serve` reloads by itself"),
    ("livereload-url", "`govbook serve` reloads by itself"),
    (
        "playground",
        "code blocks are not editable here, and the run button needs another origin",
    ),
    (
        "playpen",
        "code blocks are not editable here, and the run button needs another origin",
    ),
    ("search", "govbook's search has no settings"),
    (
        "cname",
        "write the CNAME file as a static file in the content directory",
    ),
    (
        "git-repository-icon",
        "govbook shows the repository link as text",
    ),
    ("input-404", "govbook writes its own 404.html"),
    (
        "sidebar-header-nav",
        "govbook's page table of contents is always shown",
    ),
    ("copy-fonts", "govbook ships no web fonts"),
];

/// Keys another part of govbook reads (Markdown features).
const READ_ELSEWHERE: &[&str] = &[
    "smart-punctuation",
    "curly-quotes",
    "definition-lists",
    "admonitions",
    "code",
];

/// The `[output.html]` keys govbook reads, for the JSON Schema only: the
/// parser below reads the same keys from the TOML value (to put each error
/// at its own line) and warns for any other; a test keeps the two in step.
/// Other mdBook keys are allowed by the schema, as they are by `check`.
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(dead_code)]
pub struct HtmlKeys {
    redirect: Option<std::collections::BTreeMap<String, String>>,
    additional_css: Option<Vec<String>>,
    additional_js: Option<Vec<String>>,
    site_url: Option<String>,
    git_repository_url: Option<String>,
    edit_url_template: Option<String>,
    mathjax_support: Option<bool>,
    no_section_label: Option<bool>,
    hash_files: Option<bool>,
    theme: Option<String>,
    print: Option<PrintKeys>,
    fold: Option<FoldKeys>,
    smart_punctuation: Option<bool>,
    curly_quotes: Option<bool>,
    definition_lists: Option<bool>,
    admonitions: Option<bool>,
    code: Option<CodeKeys>,
}

/// `[output.html.print]`, for the schema.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct PrintKeys {
    enable: Option<bool>,
}

/// `[output.html.fold]`, for the schema.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct FoldKeys {
    enable: Option<bool>,
    level: Option<u8>,
}

/// `[output.html.code]`, for the schema.
#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
pub struct CodeKeys {
    hidelines: Option<std::collections::BTreeMap<String, String>>,
}

/// Parses `[output.html]` (`table` is its value), with spans from `spans`.
pub fn parse(
    table: &Value,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) -> HtmlConfig {
    let mut cfg = HtmlConfig::default();
    let Some(table) = table.as_table() else {
        return cfg;
    };
    let at = |key: &str| spans.value(&format!("output.html.{key}")).unwrap_or(0..0);
    let mut r = Reader { file, spans, diags };
    for (key, value) in table {
        let path = format!("output.html.{key}");
        match key.as_str() {
            "redirect" => cfg.redirects = r.redirects(value),
            "additional-css" => cfg.additional_css = r.strings(&path, value),
            "additional-js" => cfg.additional_js = r.strings(&path, value),
            "site-url" => cfg.site_url = r.string(&path, value),
            "git-repository-url" => cfg.git_repository_url = r.string(&path, value),
            "edit-url-template" => cfg.edit_url_template = r.string(&path, value),
            "mathjax-support" => cfg.math = r.boolean(&path, value).unwrap_or(false),
            "no-section-label" => cfg.no_section_label = r.boolean(&path, value).unwrap_or(false),
            "hash-files" => cfg.hash_files = r.boolean(&path, value).unwrap_or(true),
            "theme" => {
                if let Some(t) = r.string(&path, value) {
                    cfg.theme_dir = t;
                }
            }
            "print" => cfg.print = r.print(value),
            "fold" => cfg.fold = r.fold(value),
            k if READ_ELSEWHERE.contains(&k) => {}
            k => {
                let why = INAPPLICABLE
                    .iter()
                    .find(|(name, _)| *name == k)
                    .map_or("govbook does not read it", |(_, why)| why);
                let span = spans.key(&path).unwrap_or_else(|| at(k));
                r.diags.push(
                    Diagnostic::new(
                        Code::MdbookOnlyKey,
                        format!("[output.html] {k} is ignored: {why}"),
                    )
                    .at_span(file, span),
                );
            }
        }
    }
    cfg
}

/// Reads typed values, reporting a wrong type at the value.
struct Reader<'a> {
    file: FileId,
    spans: &'a SpanIndex,
    diags: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn wrong(&mut self, path: &str, want: &str) {
        let span = self.spans.value(path).unwrap_or(0..0);
        self.diags.push(
            Diagnostic::new(Code::WrongType, format!("{path} must be {want}"))
                .at_span(self.file, span),
        );
    }

    fn string(&mut self, path: &str, v: &Value) -> Option<String> {
        match v.as_str() {
            Some(s) => Some(s.to_owned()),
            None => {
                self.wrong(path, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, path: &str, v: &Value) -> Option<bool> {
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong(path, "true or false");
                None
            }
        }
    }

    fn strings(&mut self, path: &str, v: &Value) -> Vec<Named> {
        let Some(items) = v.as_array() else {
            self.wrong(path, "a list of paths");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            if let Some(s) = self.string(&item_path, item) {
                out.push(Named {
                    value: s,
                    span: self.spans.value(&item_path).unwrap_or(0..0),
                });
            }
        }
        out
    }

    fn redirects(&mut self, v: &Value) -> Vec<Redirect> {
        let Some(table) = v.as_table() else {
            self.wrong("output.html.redirect", "a table of old path = new URL");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (from, to) in table {
            let path = format!("output.html.redirect.{from}");
            if let Some(to) = self.string(&path, to) {
                out.push(Redirect {
                    from: from.trim_start_matches('/').to_owned(),
                    to,
                    key_span: self.spans.key(&path).unwrap_or(0..0),
                    value_span: self.spans.value(&path).unwrap_or(0..0),
                });
            }
        }
        out
    }

    fn print(&mut self, v: &Value) -> bool {
        let mut enable = true;
        let Some(t) = v.as_table() else {
            self.wrong("output.html.print", "a table");
            return enable;
        };
        for (k, v) in t {
            let path = format!("output.html.print.{k}");
            match k.as_str() {
                "enable" => enable = self.boolean(&path, v).unwrap_or(true),
                // Chapters already start on a new page in govbook's print CSS.
                "page-break" => {
                    self.boolean(&path, v);
                }
                _ => self.ignored(&path),
            }
        }
        enable
    }

    fn fold(&mut self, v: &Value) -> Option<u8> {
        let Some(t) = v.as_table() else {
            self.wrong("output.html.fold", "a table");
            return None;
        };
        let mut enable = false;
        let mut level = 0u8;
        for (k, v) in t {
            let path = format!("output.html.fold.{k}");
            match k.as_str() {
                "enable" => enable = self.boolean(&path, v).unwrap_or(false),
                "level" => match v.as_integer().and_then(|n| u8::try_from(n).ok()) {
                    Some(n) => level = n,
                    None => self.wrong(&path, "a level from 0 to 255"),
                },
                _ => self.ignored(&path),
            }
        }
        enable.then_some(level)
    }

    fn ignored(&mut self, path: &str) {
        let span = self.spans.key(path).unwrap_or(0..0);
        self.diags.push(
            Diagnostic::new(Code::MdbookOnlyKey, format!("{path} is ignored"))
                .at_span(self.file, span),
        );
    }
}

/// Parses the `[preprocessor]` table: every entry but the built-in ones.
pub fn preprocessors(
    table: &toml::Table,
    file: FileId,
    spans: &SpanIndex,
    diags: &mut Diagnostics,
) -> Vec<PreprocessorConfig> {
    let mut out = Vec::new();
    let mut r = Reader { file, spans, diags };
    for (name, value) in table {
        let path = format!("preprocessor.{name}");
        if BUILTIN_PREPROCESSORS.contains(&name.as_str()) {
            continue;
        }
        let Some(t) = value.as_table() else {
            r.wrong(&path, "a table");
            continue;
        };
        let mut pre = PreprocessorConfig {
            name: name.clone(),
            command: format!("mdbook-{name}"),
            before: Vec::new(),
            after: Vec::new(),
            renderers: None,
            optional: false,
            span: spans.key(&path).unwrap_or(0..0),
        };
        let names = |r: &mut Reader<'_>, p: &str, v: &Value| {
            r.strings(p, v).into_iter().map(|n| n.value).collect()
        };
        for (k, v) in t {
            let p = format!("{path}.{k}");
            match k.as_str() {
                "command" => {
                    if let Some(c) = r.string(&p, v) {
                        pre.command = c;
                    }
                }
                "before" => pre.before = names(&mut r, &p, v),
                "after" => pre.after = names(&mut r, &p, v),
                "renderers" => pre.renderers = Some(names(&mut r, &p, v)),
                "optional" => pre.optional = r.boolean(&p, v).unwrap_or(false),
                // Everything else is the preprocessor's own configuration.
                _ => {}
            }
        }
        out.push(pre);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::config::{BookConfig, parse};
    use crate::diag::{Code, Diagnostics};
    use crate::text::Sources;

    fn run(text: &str) -> (BookConfig, Diagnostics) {
        let mut s = Sources::new("/");
        let id = s.add("book.toml", text.into());
        let mut d = Diagnostics::default();
        (parse(&s, id, &mut d), d)
    }

    #[test]
    fn mapped_keys_are_read_and_others_warned_one_line_each() {
        let (cfg, d) = run("[output.html]\n\
             mathjax-support = true\n\
             additional-css = [\"theme/a.css\"]\n\
             git-repository-url = \"https://example.org/r\"\n\
             edit-url-template = \"https://example.org/r/edit/main/{path}\"\n\
             google-analytics = \"UA-1\"\n\
             print = { enable = false }\n\
             fold = { enable = true, level = 1 }\n\
             [output.html.redirect]\n\"/old.html\" = \"new.html\"\n\
             [output.html.playground]\nrunnable = true\n");
        let h = &cfg.html;
        assert!(h.math);
        assert!(!h.print);
        assert_eq!(h.additional_css[0].value, "theme/a.css");
        assert_eq!(h.redirects[0].from, "old.html");
        assert_eq!(h.redirects[0].to, "new.html");
        let warned: Vec<_> = d.items().iter().map(|d| d.message.clone()).collect();
        assert_eq!(h.fold, Some(1));
        assert_eq!(warned.len(), 2, "{warned:?}");
        assert!(warned[0].contains("google-analytics"), "{warned:?}");
        assert!(warned[1].contains("playground"), "{warned:?}");
        assert!(d.items().iter().all(|d| d.code == Code::MdbookOnlyKey));
    }

    /// The schema names every key the parser reads, and none it warns for.
    #[test]
    fn the_schema_names_the_keys_read() {
        let mut g = schemars::SchemaGenerator::default();
        let schema = g.root_schema_for::<super::HtmlKeys>();
        let props = schema.as_value()["properties"].as_object().unwrap().clone();
        for (key, _) in &props {
            let sample = match key.as_str() {
                "redirect" => "{ \"/a.html\" = \"b.html\" }",
                "additional-css" | "additional-js" => "[]",
                "print" => "{ enable = true }",
                "fold" => "{ enable = true, level = 1 }",
                "code" => "{ hidelines = { python = \"~\" } }",
                "site-url" | "theme" => "\"/x/\"",
                "git-repository-url" | "edit-url-template" => "\"https://example.org/{path}\"",
                _ => "true",
            };
            let (_, d) = run(&format!("[output.html]\n{key} = {sample}\n"));
            assert!(d.items().is_empty(), "{key}: {:?}", d.items());
        }
        for (key, _) in super::INAPPLICABLE {
            assert!(
                !props.contains_key(*key),
                "{key} is warned for, yet in the schema"
            );
        }
    }

    #[test]
    fn wrong_types_are_errors_at_the_value() {
        let (_, d) = run("[output.html]\nmathjax-support = \"yes\"\nadditional-js = \"a.js\"\n");
        let codes: Vec<_> = d.items().iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::WrongType, Code::WrongType]);
    }

    #[test]
    fn preprocessors_default_their_command_and_skip_builtins() {
        let (cfg, d) = run(
            "[preprocessor.links]\n[preprocessor.toc]\nafter = [\"links\"]\n\
             [preprocessor.x]\ncommand = \"./x.sh --flag\"\nrenderers = [\"html\"]\nmarker = \"!\"\n",
        );
        assert!(d.items().is_empty(), "{:?}", d.items());
        let p = &cfg.preprocessors;
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].command, "mdbook-toc");
        assert_eq!(p[0].after, ["links"]);
        assert_eq!(p[1].command, "./x.sh --flag");
        assert_eq!(p[1].renderers.as_deref(), Some(&["html".to_owned()][..]));
    }
}
