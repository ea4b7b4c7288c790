//! `book.toml`: mdBook-compatible where the keys overlap, plus govbook's own
//! `[book] version`, `[baseline]` and `[output.site]`.
//!
//! Unknown keys are errors, except the sections that only mdBook reads
//! (`[output.html]`, other `[output.*]`, `[preprocessor.*]`, `[rust]`), which
//! are warnings so an existing mdBook book builds unchanged.

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
    /// `[fleet]`.
    pub fleet: FleetSection,
    /// Spans of every key and value.
    pub spans: SpanIndex,
    /// Whether `book.toml` had errors (so settings may be missing because
    /// their table was dropped, not because the user left them out).
    pub partial: bool,
}

impl BookConfig {
    /// The content directory relative to the root. Defaults to `content`;
    /// an mdBook book that has `src/SUMMARY.md` and no `content/` keeps
    /// mdBook's default `src`.
    pub fn src_dir(&self, root: &Path) -> PathBuf {
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

#[derive(Debug, Deserialize)]
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
    preprocessor: Option<Spanned<toml::Table>>,
    #[serde(default)]
    rust: Option<Spanned<toml::Table>>,
}

/// `[book]`.
#[derive(Debug, Default, Deserialize)]
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
    pub version: Option<Spanned<Version>>,
    /// Content directory; default `"content"`, or `"src"` for an mdBook book
    /// that has `src/SUMMARY.md` and no `content/`.
    pub src: Option<Spanned<String>>,
    /// mdBook legacy key, accepted and ignored.
    pub multilingual: Option<bool>,
    /// `text-direction`: mdBook legacy key, accepted and ignored.
    pub text_direction: Option<String>,
}

/// `[baseline]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Baseline {
    /// `codex-cli`: the pinned Codex CLI version every artifact cites.
    pub codex_cli: Option<Spanned<Version>>,
}

/// `[build]`.
#[derive(Debug, Default, Deserialize)]
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
    /// `extra-watch-dirs`: mdBook key, accepted and ignored.
    #[serde(default)]
    pub extra_watch_dirs: Vec<String>,
}

/// `[fleet]`: where the handbook's manifest is published, and where the
/// drift reports of the repositories that follow it are collected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FleetSection {
    /// `manifest-url`: the published `templates/manifest.json`, recorded in
    /// each repository's lock file for `drift` to fetch.
    pub manifest_url: Option<String>,
    /// `reports`: a directory (relative to the book) of `drift --format json`
    /// reports, rendered as the Fleet page.
    pub reports: Option<Spanned<String>>,
    /// `govbook-version`: the govbook release the CI workflow installs
    /// (default: the newest).
    pub govbook_version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Output {
    #[serde(default)]
    site: SiteSection,
    #[serde(flatten)]
    others: std::collections::BTreeMap<String, toml::Value>,
}

/// `[output.site]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteSection {
    /// `site-url`: prefix for absolute links.
    pub site_url: Option<String>,
    /// Theme directory name under `themes/`.
    pub theme: Option<String>,
    /// `raw-html`: what raw HTML in prose pages becomes (default: escaped).
    pub raw_html: Option<Spanned<RawHtml>>,
}

/// `[output.site] raw-html`: what raw HTML in Markdown pages becomes.
///
/// The default is [`RawHtml::Escape`]: pages come from many teams, and a
/// handbook reader should not run what one of them pasted. `allow` passes
/// raw HTML through as mdBook does, but `check` still refuses scripts,
/// event handlers and unsafe URLs in it (GB512).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Raw HTML is shown as text.
    #[default]
    Escape,
    /// Raw HTML is written as it is, once it passes the active-content check.
    Allow,
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
    for key in raw.output.others.keys() {
        diags.push(mdbook_only(&format!("output.{key}"), &cfg));
    }
    if let Some(pre) = &raw.preprocessor {
        for name in pre.get_ref().keys() {
            diags.push(mdbook_only(&format!("preprocessor.{name}"), &cfg));
        }
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
             [output.html]\nmathjax-support = true\n\n[preprocessor.links]\n",
        );
        assert_eq!(cfg.book.title.as_deref(), Some("T"));
        assert_eq!(cfg.build_dir(), PathBuf::from("out"));
        let codes: Vec<_> = d.items().iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::MdbookOnlyKey, Code::MdbookOnlyKey]);
        assert!(d.items()[0].message.contains("output.html"));
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
    fn raw_html_defaults_to_escape_and_rejects_other_values() {
        let (cfg, d) = run("[book]\ntitle = \"T\"\n");
        assert!(d.items().is_empty());
        assert_eq!(cfg.raw_html(), RawHtml::Escape);
        let (cfg, d) = run("[output.site]\nraw-html = \"allow\"\n");
        assert!(d.items().is_empty());
        assert_eq!(cfg.raw_html(), RawHtml::Allow);
        let (_, d) = run("[output.site]\nraw-html = \"sanitize\"\n");
        assert_eq!(d.items()[0].code, Code::InvalidValue);
        assert!(d.items()[0].message.contains("sanitize"), "{:?}", d.items());
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
