//! `book.toml`: mdBook-compatible where the keys overlap, plus govbook's own
//! `[book] version`, `[baseline]` and `[output.site]`.
//!
//! Unknown keys are errors, except the sections that only mdBook reads
//! (`[output.html]`, other `[output.*]`, `[preprocessor.*]`, `[rust]`), which
//! are warnings so an existing mdBook book builds unchanged. `[output.html]`
//! and `[preprocessor.*]` are read in [`html`].

pub mod html;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::decode::{self, SpanIndex};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::{FileId, Sources};
use crate::values::Version;

/// The parsed `book.toml`.
#[derive(Debug, Default)]
pub struct BookConfig {
    /// The file it came from.
    pub file: Option<FileId>,
    /// `[book]`.
    pub book: BookSection,
    /// `[baseline]`.
    pub baseline: Baseline,
    /// `[build]`.
    pub build: BuildSection,
    /// `[output.site]`.
    pub site: SiteSection,
    /// The Markdown dialect, from mdBook's `[output.html]` keys.
    pub flavor: Flavor,
    /// `[output.html]`.
    pub html: html::HtmlConfig,
    /// `[preprocessor.*]`, the built-in ones left out.
    pub preprocessors: Vec<html::PreprocessorConfig>,
    /// `[fleet]`.
    pub fleet: FleetSection,
    /// Spans of every key and value.
    pub spans: SpanIndex,
    /// Whether book.toml has mdBook's `[output.html]` table.
    pub has_output_html: bool,
    /// Whether `book.toml` had errors (so settings may be missing because
    /// their table was dropped, not because the user left them out).
    pub partial: bool,
    /// The content directory once [`BookConfig::settle`] has looked at the
    /// book (later stages may not know where the book root is).
    settled_src: Option<PathBuf>,
}

impl BookConfig {
    /// The content directory relative to the root. Defaults to `content`;
    /// an mdBook book that has `src/SUMMARY.md` and no `content/` keeps
    /// mdBook's default `src`.
    pub fn src_dir(&self, root: &Path) -> PathBuf {
        if let Some(src) = &self.settled_src {
            return src.clone();
        }
        if let Some(src) = &self.book.src {
            return PathBuf::from(src.get_ref());
        }
        if !root.join("content").exists() && root.join("src/SUMMARY.md").is_file() {
            return PathBuf::from("src");
        }
        PathBuf::from("content")
    }

    /// `[book] version` as text, or empty.
    pub fn version(&self) -> String {
        self.book
            .version
            .as_ref()
            .map(|v| v.get_ref().to_string())
            .unwrap_or_default()
    }

    /// `[baseline] codex-cli` as text, or empty.
    pub fn baseline(&self) -> String {
        self.baseline
            .codex_cli
            .as_ref()
            .map(|v| v.get_ref().to_string())
            .unwrap_or_default()
    }

    /// `[output.site] raw-html`, defaulted.
    pub fn raw_html(&self) -> RawHtml {
        self.site
            .raw_html
            .as_ref()
            .map_or(RawHtml::default(), |r| *r.get_ref())
    }

    /// The output directory relative to the root (`[build] build-dir`).
    pub fn build_dir(&self) -> PathBuf {
        PathBuf::from(self.build.build_dir.as_deref().unwrap_or("book"))
    }
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    book: BookSection,
    #[serde(default)]
    baseline: Baseline,
    #[serde(default)]
    build: BuildSection,
    #[serde(default)]
    output: Output,
    #[serde(default)]
    fleet: FleetSection,
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    preprocessor: Option<Spanned<toml::Table>>,
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    rust: Option<Spanned<toml::Table>>,
}

/// `[book]`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSection {
    /// Site title.
    pub title: Option<String>,
    /// List of author names.
    #[serde(default)]
    pub authors: Vec<String>,
    /// One-sentence description for the site metadata.
    pub description: Option<String>,
    /// Language code, e.g. `"en"`.
    pub language: Option<String>,
    /// The handbook version stamped into every artifact.
    #[schemars(with = "Option<Version>")]
    pub version: Option<Spanned<Version>>,
    /// Content directory; default `"content"`, or `"src"` for an mdBook book
    /// that has `src/SUMMARY.md` and no `content/`.
    #[schemars(with = "Option<String>")]
    pub src: Option<Spanned<String>>,
    /// mdBook legacy key, accepted and ignored.
    pub multilingual: Option<bool>,
    /// `text-direction`: mdBook legacy key, accepted and ignored.
    pub text_direction: Option<String>,
}

/// `[baseline]`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Baseline {
    /// `codex-cli`: the pinned Codex CLI version every artifact cites.
    #[schemars(with = "Option<Version>")]
    pub codex_cli: Option<Spanned<Version>>,
}

/// `[build]`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildSection {
    /// `build-dir`: output directory; default `"book"`. It must stay inside the
    /// book root.
    pub build_dir: Option<String>,
    /// `create-missing`: mdBook key, accepted; govbook never creates missing
    /// files.
    pub create_missing: Option<bool>,
    /// `use-default-preprocessors`: mdBook key, accepted and ignored.
    pub use_default_preprocessors: Option<bool>,
    /// `include-root`: a directory that contains the book root (relative to
    /// book.toml), inside which `{{#include}}` may reach files outside the
    /// book. Only book.toml can widen where includes read.
    #[schemars(with = "Option<String>")]
    pub include_root: Option<Spanned<String>>,
    /// `extra-watch-dirs`: mdBook key, accepted and ignored.
    #[serde(default)]
    pub extra_watch_dirs: Vec<String>,
}

/// `[fleet]`: where the handbook's manifest is published, and where the
/// drift reports of the repositories that follow it are collected.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FleetSection {
    /// `manifest-url`: the published `templates/manifest.json`, recorded in
    /// each repository's lock file for `drift` to fetch.
    pub manifest_url: Option<String>,
    /// `reports`: a directory (relative to the book) of `drift --format json`
    /// reports, rendered as the Fleet page.
    #[schemars(with = "Option<String>")]
    pub reports: Option<Spanned<String>>,
    /// `govbook-version`: the govbook release the CI workflow installs
    /// (default: the newest).
    pub govbook_version: Option<String>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
struct Output {
    #[serde(default)]
    site: SiteSection,
    /// mdBook's `[output.html]`, read key by key by [`html::parse`].
    #[schemars(with = "Option<html::HtmlKeys>")]
    html: Option<toml::Value>,
    #[serde(flatten)]
    #[schemars(with = "std::collections::BTreeMap<String, serde_json::Value>")]
    others: std::collections::BTreeMap<String, toml::Value>,
}

/// `[output.site]`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteSection {
    /// `site-url`: prefix for absolute links.
    pub site_url: Option<String>,
    /// Theme directory name under `themes/`.
    pub theme: Option<String>,
    /// `raw-html`: what raw HTML in prose pages becomes (default: sanitized).
    #[schemars(with = "Option<RawHtml>")]
    pub raw_html: Option<Spanned<RawHtml>>,
    /// `links-elsewhere`: link prefixes that leave the book for pages known
    /// to exist beside it (`"../std/"`); links under them are not reported.
    #[serde(default)]
    pub links_elsewhere: Vec<String>,
    /// `include-root`: as `[build] include-root`, in a table that mdBook
    /// 0.5 skips (with `optional = true`), where it refuses an unknown
    /// `[build]` key.
    #[schemars(with = "Option<String>")]
    pub include_root: Option<Spanned<String>>,
    /// `optional`: read by mdBook, which takes `[output.site]` for a
    /// renderer of its own and skips it when `true`; govbook ignores it.
    pub optional: Option<bool>,
}

/// `[output.site] raw-html`: what raw HTML in Markdown pages becomes.
///
/// The default is [`RawHtml::Sanitize`]: pages come from many teams, and a
/// handbook reader should not run what one of them pasted, but `<kbd>`,
/// `<details>` or an `<a id>` anchor should work as on GitHub. `escape`
/// shows raw HTML as text; `allow` passes it through as mdBook does, but
/// `check` still refuses scripts, event handlers and unsafe URLs in it
/// (GB512).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// A safe subset is kept; the rest is removed (GB514 says what).
    #[default]
    Sanitize,
    /// Raw HTML is shown as text.
    Escape,
    /// Raw HTML is written as it is, once it passes the active-content check.
    Allow,
}

impl RawHtml {
    /// Every mode, for tests that must hold in each.
    pub const ALL: [RawHtml; 3] = [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow];

    /// The mode as written in `book.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            RawHtml::Sanitize => "sanitize",
            RawHtml::Escape => "escape",
            RawHtml::Allow => "allow",
        }
    }
}

/// The Markdown dialect pages are read in: what mdBook's `[output.html]`
/// says about Markdown (`smart-punctuation`, the older `curly-quotes`,
/// `definition-lists`, `code.hidelines`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flavor {
    /// Straight quotes, `--` and `...` become typographic ones.
    pub smart_punctuation: bool,
    /// `smart-punctuation` (or `curly-quotes`) as book.toml sets it; when
    /// unset, [`BookConfig::settle_flavor`] picks by the book's layout.
    pub smart_punctuation_set: Option<bool>,
    /// Definition lists (`Term` then `: definition`).
    pub definition_lists: bool,
    /// Hidden-line prefix per fence language (`python = "~"`); Rust's `#`
    /// rule is built in, as in mdBook.
    pub hidelines: std::collections::BTreeMap<String, String>,
    /// The class tokens raw HTML keeps beyond `warning`: those the book's
    /// `additional-css`/`additional-js` read (see `markdown::classes`).
    pub classes: std::sync::Arc<std::collections::BTreeSet<String>>,
}

impl Default for Flavor {
    fn default() -> Flavor {
        Flavor {
            smart_punctuation: false,
            smart_punctuation_set: None,
            definition_lists: true,
            hidelines: std::collections::BTreeMap::new(),
            classes: Default::default(),
        }
    }
}

impl Flavor {
    /// Reads the Markdown keys of mdBook's `[output.html]` table; other
    /// keys there are not this function's business.
    fn from_html(html: &toml::Value) -> Flavor {
        let mut f = Flavor::default();
        let flag = |k: &str| html.get(k).and_then(toml::Value::as_bool);
        f.smart_punctuation_set = flag("smart-punctuation").or(flag("curly-quotes"));
        if let Some(d) = flag("definition-lists") {
            f.definition_lists = d;
        }
        if let Some(t) = html
            .get("code")
            .and_then(|c| c.get("hidelines"))
            .and_then(toml::Value::as_table)
        {
            for (lang, prefix) in t {
                if let Some(p) = prefix.as_str().filter(|p| !p.is_empty()) {
                    f.hidelines.insert(lang.clone(), p.to_owned());
                }
            }
        }
        f
    }
}

impl BookConfig {
    /// Settles what book.toml left open about Markdown: smart punctuation
    /// follows mdBook's default (on) in a book laid out for mdBook (its
    /// pages in `src/`, or an `[output.html]` table), and stays off in
    /// govbook's own layout unless asked for.
    /// Settles what depends on the book's layout, with the book at `root`:
    /// the content directory (which every later [`BookConfig::src_dir`]
    /// returns, wherever govbook runs from) and the Markdown flavor.
    /// Returns the content directory.
    pub fn settle(&mut self, root: &Path) -> PathBuf {
        let src = self.src_dir(root);
        self.settled_src = Some(src.clone());
        self.settle_flavor(&src);
        src
    }

    /// Smart punctuation by layout (see [`BookConfig::settle`]).
    pub fn settle_flavor(&mut self, src: &Path) {
        self.flavor.smart_punctuation = self
            .flavor
            .smart_punctuation_set
            .unwrap_or(self.has_output_html || src == Path::new("src"));
    }
}

/// The JSON Schema of `book.toml`, from the type that parses it.
pub fn schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    g.root_schema_for::<Raw>()
}

/// Parses `book.toml`, already read as `file`.
pub fn parse(sources: &Sources, file: FileId, diags: &mut Diagnostics) -> BookConfig {
    let parsed = decode::parse_file::<Raw>(sources, file, diags);
    let mut cfg = BookConfig {
        file: Some(file),
        spans: parsed.spans,
        partial: parsed.partial,
        ..BookConfig::default()
    };
    let Some(raw) = parsed.value else { return cfg };
    let mdbook_only = |key: &str, cfg: &BookConfig| {
        let span = cfg.spans.key(key).unwrap_or(0..0);
        Diagnostic::new(
            Code::MdbookOnlyKey,
            format!("[{key}] is read only by mdBook; govbook ignores it"),
        )
        .at_span(file, span)
        .with_hint("remove it, or keep it if the book is also built with mdBook")
    };
    if let Some(value) = &raw.output.html {
        cfg.html = html::parse(value, file, &cfg.spans, diags);
    }
    for key in raw.output.others.keys() {
        diags.push(mdbook_only(&format!("output.{key}"), &cfg));
    }
    if let Some(pre) = &raw.preprocessor {
        cfg.preprocessors = html::preprocessors(pre.get_ref(), file, &cfg.spans, diags);
    }
    if raw.rust.is_some() {
        diags.push(mdbook_only("rust", &cfg));
    }
    cfg.book = raw.book;
    cfg.baseline = raw.baseline;
    // The output directory is replaced whole: from book.toml it may only
    // name a place inside the book (`build -o` on the command line is the
    // explicit way out). Links are checked against the disk by `check`.
    if let Some(dir) = &raw.build.build_dir {
        let path = Path::new(dir);
        if path.is_absolute()
            || crate::text::lexical_path(path).is_none_or(|p| p.as_os_str().is_empty())
        {
            diags.push(
                Diagnostic::new(
                    Code::OutsideRoot,
                    format!("build-dir `{dir}` is not a directory inside the book root"),
                )
                .at_span(file, cfg.spans.value("build.build-dir").unwrap_or(0..0))
                .with_hint("name a directory below book.toml, such as \"book\"; use `govbook build -o DIR` to write elsewhere"),
            );
        }
    }
    cfg.build = raw.build;
    cfg.site = raw.output.site;
    let html = raw.output.html.as_ref();
    cfg.flavor = html.map(Flavor::from_html).unwrap_or_default();
    cfg.has_output_html = html.is_some();
    // mdBook's `[output.html] site-url` means what govbook's does.
    if cfg.site.site_url.is_none() {
        cfg.site.site_url = cfg.html.site_url.clone();
    }
    if let Some(url) = &raw.fleet.manifest_url {
        let ok = crate::values::is_http_url(url);
        if !ok {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    format!("manifest-url `{url}` is not an http(s) URL"),
                )
                .at_span(file, cfg.spans.value("fleet.manifest-url").unwrap_or(0..0))
                .with_hint("the published templates/manifest.json, such as \"https://handbook.example.com/templates/manifest.json\""),
            );
        }
    }
    if let Some(v) = &raw.fleet.govbook_version
        && semver::Version::parse(v).is_err()
    {
        diags.push(
            Diagnostic::new(
                Code::InvalidVersion,
                format!("govbook-version `{v}` is not a version (X.Y.Z)"),
            )
            .at_span(
                file,
                cfg.spans.value("fleet.govbook-version").unwrap_or(0..0),
            ),
        );
    }
    cfg.fleet = raw.fleet;
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (BookConfig, Diagnostics) {
        let mut s = Sources::new("/");
        let id = s.add("book.toml", text.into());
        let mut d = Diagnostics::default();
        (parse(&s, id, &mut d), d)
    }

    #[test]
    fn mdbook_book_toml_is_accepted_with_warnings_for_mdbook_only_keys() {
        let (cfg, d) = run(
            "[book]\ntitle = \"T\"\nauthors = [\"a\"]\nsrc = \"src\"\n\n[build]\nbuild-dir = \"out\"\n\n\
             [output.html]\nmathjax-support = true\n\n[output.epub]\n\n[preprocessor.links]\n",
        );
        assert_eq!(cfg.book.title.as_deref(), Some("T"));
        assert_eq!(cfg.build_dir(), PathBuf::from("out"));
        let codes: Vec<_> = d.items().iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::MdbookOnlyKey]);
        assert!(d.items()[0].message.contains("output.epub"));
    }

    #[test]
    fn unknown_key_is_an_error_with_suggestion() {
        let (_, d) = run("[book]\ntitel = \"T\"\n");
        assert_eq!(d.items()[0].code, Code::UnknownKey);
        assert_eq!(
            d.items()[0].hint.as_deref(),
            Some("did you mean \"title\"?")
        );
    }

    #[test]
    fn raw_html_defaults_to_sanitize_and_rejects_other_values() {
        let (cfg, d) = run("[book]\ntitle = \"T\"\n");
        assert!(d.items().is_empty());
        assert_eq!(cfg.raw_html(), RawHtml::Sanitize);
        for mode in RawHtml::ALL {
            let (cfg, d) = run(&format!(
                "[output.site]\nraw-html = \"{}\"\n",
                mode.as_str()
            ));
            assert!(d.items().is_empty());
            assert_eq!(cfg.raw_html(), mode);
        }
        let (_, d) = run("[output.site]\nraw-html = \"clean\"\n");
        assert_eq!(d.items()[0].code, Code::InvalidValue);
        assert!(d.items()[0].message.contains("clean"), "{:?}", d.items());
    }

    #[test]
    fn build_dir_stays_inside_the_book() {
        for ok in ["book", "out/site", "./site"] {
            let (_, d) = run(&format!("[build]\nbuild-dir = \"{ok}\"\n"));
            assert!(d.items().is_empty(), "{ok}: {:?}", d.items());
        }
        for bad in ["../site", "/tmp/site", "a/../../site", ".", ""] {
            let (_, d) = run(&format!("[build]\nbuild-dir = \"{bad}\"\n"));
            assert_eq!(d.items().len(), 1, "{bad}");
            assert_eq!(d.items()[0].code, Code::OutsideRoot, "{bad}");
        }
    }

    #[test]
    fn bad_baseline_version() {
        let (_, d) = run("[baseline]\ncodex-cli = \"0.139\"\n");
        assert_eq!(d.items()[0].code, Code::InvalidVersion);
    }
}
