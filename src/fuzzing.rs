//! Entry points for the fuzz targets in `fuzz/` (not a stable API).
//!
//! Each function feeds arbitrary text to one parser the way the pipeline
//! does, renders every diagnostic it produced against the text (so a span
//! that is out of bounds or splits a character is caught), and asserts the
//! invariants that are cheap to check. A panic is a bug.

use std::path::PathBuf;

use crate::diag::{Diagnostics, Format as DiagFormat, render};
use crate::model::{self, CONCERNS};
use crate::stamp::{self, Stamp, Syntax, update};
use crate::text::Sources;

/// Renders `diags` in every format against `sources`: spans must be valid.
fn render_all(diags: &Diagnostics, sources: &Sources) {
    for format in [DiagFormat::Human, DiagFormat::Json, DiagFormat::Github] {
        let mut sink = Vec::new();
        if let Err(e) = render(&mut sink, format, diags.items(), sources) {
            panic!("rendering diagnostics into memory failed: {e}");
        }
    }
}

fn one_file(path: &str, text: &str) -> (Sources, crate::text::FileId) {
    let mut sources = Sources::new("/fuzz");
    let id = sources.add(path, text.to_owned());
    (sources, id)
}

/// A page's `+++` front matter.
pub fn front_matter(text: &str) {
    let (sources, id) = one_file("page.md", text);
    let mut diags = Diagnostics::default();
    let page = model::pages::parse(PathBuf::from("page.md"), id, &sources, &mut diags);
    assert!(page.body_start <= text.len(), "body starts past the end");
    assert!(text.is_char_boundary(page.body_start));
    // The body is what follows the front matter.
    let body = page.markdown(&sources);
    assert!(text.ends_with(body));
    render_all(&diags, &sources);
}

/// `SUMMARY.md`.
pub fn summary(text: &str) {
    let (sources, id) = one_file("SUMMARY.md", text);
    let mut diags = Diagnostics::default();
    let summary = model::summary::parse(text, id, &mut diags);
    for chapter in summary.chapters() {
        let _ = chapter.target();
    }
    render_all(&diags, &sources);
}

/// A governance file: the first byte picks which one, the rest is its text.
pub fn governance(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let files: Vec<&str> = CONCERNS
        .iter()
        .filter(|c| c.has_file())
        .map(|c| c.name)
        .collect();
    let stem = files[pick as usize % files.len()];
    let path = format!("governance/{stem}.toml");
    let (sources, id) = one_file(&path, text);
    let mut diags = Diagnostics::default();
    let mut g = model::Governance::default();
    assert!(model::load_into(&mut g, stem, &sources, id, &mut diags));
    render_all(&diags, &sources);
}

/// A metrics CSV.
pub fn csv(text: &str) {
    let (sources, id) = one_file("metrics/team.csv", text);
    let mut diags = Diagnostics::default();
    let rows = model::observations::parse(&sources, id, &mut diags);
    for row in &rows {
        for span in (0..4).map(|i| row.cell(i).span) {
            assert!(span.start <= span.end && span.end <= text.len());
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
        assert!(row.value.is_finite(), "a non-finite value was accepted");
    }
    render_all(&diags, &sources);
}

/// The Markdown renderer and outline (headings, links).
pub fn markdown(text: &str) {
    use crate::config::RawHtml;
    // Raw HTML let through takes other paths (and the active-content scan).
    let allowed = crate::markdown::render(text, RawHtml::Allow);
    let _ = crate::markdown::active::scan(&allowed.html);
    let _ = crate::markdown::sanitize::scan(text);
    let outline = crate::markdown::outline(text, 0);
    // Sanitized, nothing in a page is active, unless a Markdown link itself
    // has a `javascript:` target (refused by check, GB511).
    let sanitized = crate::markdown::render(text, RawHtml::Sanitize);
    let unsafe_link = outline
        .links
        .iter()
        .any(|l| crate::markdown::active::unsafe_scheme(l.dest.trim()).is_some());
    if !unsafe_link {
        let found = crate::markdown::active::scan(&sanitized.html);
        assert!(found.is_empty(), "sanitized HTML is active: {found:?}");
    }
    let rendered = crate::markdown::render(text, RawHtml::Escape);
    let mut ids = std::collections::HashSet::new();
    for h in &rendered.headings {
        assert!(
            ids.insert(h.id.clone()),
            "heading id `{}` given twice",
            h.id
        );
    }
    for l in &outline.links {
        assert!(l.span.end <= text.len());
    }
}

/// The stamp parser and the update planner: the first byte picks the
/// format, the rest is a file's text.
pub fn stamp(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = [Syntax::Markdown, Syntax::Toml, Syntax::Json][pick as usize % 3];
    if format == Syntax::Json {
        if let Ok(Some((s, actual))) = stamp::json::read(text) {
            // Writing the document back with its stamp reads back the same.
            let value: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => panic!("read accepted text serde_json rejects: {e}"),
            };
            if value.is_object() {
                let again = stamp::json::stamped(&value, &s);
                match stamp::json::read(&again) {
                    Ok(Some((s2, actual2))) => assert_eq!((s2, actual2), (s, actual)),
                    other => panic!("a stamped document does not read back: {other:?}"),
                }
            }
        }
        return;
    }
    let (regions, _damage) = stamp::regions(text, format);
    let mut last_end = 0;
    for r in &regions {
        // Regions are ordered, disjoint and nest their managed text.
        assert!(last_end <= r.span.start);
        assert!(r.span.start <= r.managed.start && r.managed.end <= r.span.end);
        assert!(r.span.end <= text.len());
        last_end = r.span.end;
        let managed = &text[r.managed.clone()];
        // Hash round trip: the region re-wrapped with its own hash parses
        // back to one intact region with the same text (unless the managed
        // text holds marker lines of its own, which are damage).
        let (inner, inner_damage) = stamp::regions(managed, format);
        if inner.is_empty() && inner_damage.is_empty() {
            let fresh = Stamp {
                sha256: stamp::hash(managed),
                ..r.stamp.clone()
            };
            let wrapped = stamp::wrap(format, &fresh, managed);
            let (again, damage) = stamp::regions(&wrapped, format);
            assert!(damage.is_empty(), "{damage:?} in {wrapped:?}");
            assert_eq!(again.len(), 1, "{wrapped:?}");
            assert!(again[0].intact(&wrapped));
            assert_eq!(again[0].stamp, fresh);
            assert_eq!(&wrapped[again[0].managed.clone()], managed);
        }

        // No lost work: updating the region keeps every byte outside it.
        let body = "new managed text\n";
        let next = Stamp {
            version: "999.0.0".into(),
            sha256: stamp::hash(body),
            ..r.stamp.clone()
        };
        let planned = update::plan(Some(text), format, &next, body, "unused");
        let written = match planned {
            update::Plan::Update(t) => Some(t),
            update::Plan::Refuse { forced, .. } => forced,
            update::Plan::Unchanged => Some(text.to_owned()),
            update::Plan::Create(_) => panic!("a file that exists was planned as new"),
        };
        if let Some(out) = written {
            let (before, after) = (&text[..r.span.start], &text[r.span.end..]);
            // Only the first region of this id is replaced.
            if regions.iter().find(|x| x.stamp.id == r.stamp.id) == Some(r) {
                assert!(out.starts_with(before), "bytes before the region lost");
                assert!(out.ends_with(after), "bytes after the region lost");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every committed seed runs through its entry point without a panic.
    #[test]
    fn the_seed_corpus_passes() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
        type Entry = fn(&[u8]);
        let targets: [(&str, Entry); 6] = [
            ("front_matter", |d| text(d, super::front_matter)),
            ("summary", |d| text(d, super::summary)),
            ("stamp", super::stamp),
            ("governance", super::governance),
            ("csv", |d| text(d, super::csv)),
            ("markdown", |d| text(d, super::markdown)),
        ];
        for (name, run) in targets {
            let mut seeds = 0;
            for entry in std::fs::read_dir(corpus.join(name)).unwrap() {
                let path = entry.unwrap().path();
                run(&std::fs::read(&path).unwrap());
                seeds += 1;
            }
            assert!(seeds > 0, "no seeds for {name}");
        }
    }

    /// The hostile corpus's payload page, and each payload alone, through
    /// the Markdown target: every raw HTML mode keeps its invariants.
    #[test]
    fn the_payloads_pass_the_markdown_target() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/injection");
        let page = std::fs::read_to_string(fixture.join("content/payloads.md")).unwrap();
        super::markdown(&page);
        let json = std::fs::read_to_string(fixture.join("payloads.json")).unwrap();
        let payloads: Vec<String> = serde_json::from_str(&json).unwrap();
        assert!(payloads.len() >= 40);
        for p in payloads {
            super::markdown(&p);
            super::markdown(&format!("Text {p} more.\n\n# H {p}\n\n> {p}\n"));
        }
    }

    fn text(data: &[u8], f: fn(&str)) {
        if let Ok(t) = std::str::from_utf8(data) {
            f(t);
        }
    }
}
