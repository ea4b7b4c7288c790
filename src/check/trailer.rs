//! The `Assisted-by` trailer is written one way everywhere (GB419): the
//! handbook's policy, AGENTS.md, the pull request template and the metric
//! that counts trailers must agree, or commits carry two forms and the
//! count misses one of them.

use std::sync::LazyLock;

use regex::Regex;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::text::{FileId, Sources};

/// The one form. The Codex version is not in it: it would change at every
/// upgrade, and the pinned baseline already says which CLI the handbook
/// approves.
pub(super) const TRAILER: &str = "Assisted-by: Codex";

/// A trailer with a value: `Assisted-by:` then its first word and what
/// follows it on the line. `Assisted-by:` alone (naming the key) is fine.
static WRITTEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)assisted-by:[ \t]*([^\s`'\x22,.;)]+)([ \t]*\()?").expect("static regex")
});

/// Checks every loaded source file (pages, governance files, templates).
pub(super) fn check(sources: &Sources, diags: &mut Diagnostics) {
    for id in sources.ids() {
        check_file(sources, id, diags);
    }
}

/// Checks one file's text.
pub(super) fn check_file(sources: &Sources, file: FileId, diags: &mut Diagnostics) {
    let text = &sources.get(file).text;
    for c in WRITTEN.captures_iter(text) {
        let (Some(all), Some(word)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let key_ok = text[all.start()..].starts_with("Assisted-by:");
        let more = c.get(2).is_some();
        if key_ok && word.as_str() == "Codex" && !more {
            continue;
        }
        let end = if more { all.end() } else { word.end() };
        let shown = &text[all.start()..word.end()];
        let shown = if more {
            format!("{shown} (…")
        } else {
            shown.to_owned()
        };
        diags.push(
            Diagnostic::new(
                Code::TrailerForm,
                format!("`{shown}` is not the trailer's one form, `{TRAILER}`"),
            )
            .at_span(file, all.start()..end)
            .with_hint(format!(
                "write `{TRAILER}` everywhere, so every commit carries the same trailer and the metric counts them all"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> usize {
        let mut sources = Sources::new("/");
        let id = sources.add("a.md", text.to_owned());
        let mut diags = Diagnostics::default();
        check_file(&sources, id, &mut diags);
        diags.items().len()
    }

    #[test]
    fn one_form_is_allowed_and_the_key_may_be_named() {
        assert_eq!(found("Add an `Assisted-by: Codex` trailer."), 0);
        assert_eq!(found("git commit --trailer \"Assisted-by: Codex\""), 0);
        assert_eq!(found("with the `Assisted-by:` trailer"), 0);
        assert_eq!(found("Assisted-by: Codex\n"), 0);
        assert_eq!(found("Assisted-by: Codex (codex-cli 0.139.0)"), 1);
        assert_eq!(
            found("{% set t = \"Assisted-by: Codex (codex-cli \" ~ v %}"),
            1
        );
        assert_eq!(found("Assisted-by: OpenAI Codex"), 1);
        assert_eq!(found("assisted-by: Codex"), 1);
        assert_eq!(found("Assisted-By: codex"), 1);
    }
}
