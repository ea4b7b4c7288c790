//! What `govbook apply` does to one file, decided on text alone: create it,
//! replace its managed region (keeping every byte outside it), leave it
//! alone, or refuse because the region was edited locally.

use super::{Stamp, Syntax, hash, json, regions, wrap};

/// The outcome for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The file does not exist: write this.
    Create(String),
    /// The file exists: write this instead.
    Update(String),
    /// Nothing to do.
    Unchanged,
    /// Not written, and why. `forced` is what `--force` would write.
    Refuse {
        /// Why it is not written.
        reason: String,
        /// What `--force` would write, if it may write anything.
        forced: Option<String>,
    },
}

/// The new text of a region in `format` for `body`.
fn region(format: Syntax, stamp: &Stamp, body: &str, crlf: bool) -> String {
    let text = wrap(format, stamp, body);
    if crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

/// Plans `existing` (the file's text, if it exists) into a file holding
/// `body` under `stamp`. `new_file` is the full text a new file gets.
/// A refusal carries what `--force` would write, when forcing is safe.
pub fn plan(
    existing: Option<&str>,
    format: Syntax,
    stamp: &Stamp,
    body: &str,
    new_file: &str,
) -> Plan {
    let Some(text) = existing else {
        return Plan::Create(new_file.to_owned());
    };
    if format == Syntax::Json {
        return plan_json(text, stamp, new_file);
    }
    let (found, damage) = regions(text, format);
    if let Some(d) = damage.first() {
        return Plan::Refuse {
            reason: format!(
                "its govbook markers are damaged (line {}: {}); repair or delete them by hand",
                d.line, d.reason
            ),
            forced: None,
        };
    }
    let crlf = text.contains("\r\n");
    let Some(r) = found.iter().find(|r| r.stamp.id == stamp.id) else {
        if let Some(other) = found.first() {
            return Plan::Refuse {
                reason: format!(
                    "it holds the managed region of `{}`, not `{}`",
                    other.stamp.id, stamp.id
                ),
                forced: None,
            };
        }
        // A Markdown file of the repository's own: put the region on top and
        // keep all of its text below. Other formats cannot be merged safely.
        if format == Syntax::Markdown {
            let mut out = region(format, stamp, body, crlf);
            out.push_str(if crlf { "\r\n" } else { "\n" });
            out.push_str(text);
            return Plan::Update(out);
        }
        return Plan::Refuse {
            reason: "it exists without a govbook region (a file of the repository)".into(),
            forced: Some(new_file.to_owned()),
        };
    };
    // Text already current under an older stamp is left alone: a version
    // bump that did not change this artifact rewrites nothing (as `cruft
    // update` leaves files its template diff does not touch).
    if r.intact(text) && same_but_version(&r.stamp, stamp) {
        return Plan::Unchanged;
    }
    let new_region = region(format, stamp, body, crlf);
    let mut out = String::with_capacity(text.len() + body.len());
    out.push_str(&text[..r.span.start]);
    out.push_str(&new_region);
    out.push_str(&text[r.span.end..]);
    if !r.intact(text) {
        let unchanged_body = hash(&text[r.managed.clone()]) == stamp.sha256;
        if !unchanged_body {
            return Plan::Refuse {
                reason: format!(
                    "its managed region was edited locally (the text no longer matches the stamp of {})",
                    r.stamp.version
                ),
                forced: Some(out),
            };
        }
    }
    if out == text {
        Plan::Unchanged
    } else {
        Plan::Update(out)
    }
}

/// Whether two stamps differ at most in their version: the same artifact,
/// team, baseline and managed text.
fn same_but_version(a: &Stamp, b: &Stamp) -> bool {
    a.id == b.id && a.team == b.team && a.baseline == b.baseline && a.sha256 == b.sha256
}

fn plan_json(text: &str, stamp: &Stamp, new_file: &str) -> Plan {
    match json::read(text) {
        Err(e) => Plan::Refuse {
            reason: format!("it is {e}"),
            forced: Some(new_file.to_owned()),
        },
        Ok(None) => Plan::Refuse {
            reason: "it exists without a govbook stamp (a file of the repository)".into(),
            forced: Some(new_file.to_owned()),
        },
        Ok(Some((old, _))) if old.id != stamp.id => Plan::Refuse {
            reason: format!("it is stamped as `{}`, not `{}`", old.id, stamp.id),
            forced: None,
        },
        Ok(Some((old, actual))) if actual != old.sha256 && actual != stamp.sha256 => Plan::Refuse {
            reason: format!("it was edited locally since {}", old.version),
            forced: Some(new_file.to_owned()),
        },
        Ok(Some(_)) if text == new_file => Plan::Unchanged,
        Ok(Some((old, actual))) if actual == old.sha256 && same_but_version(&old, stamp) => {
            Plan::Unchanged
        }
        Ok(Some(_)) => Plan::Update(new_file.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(version: &str, body: &str) -> Stamp {
        Stamp {
            id: "agents-md".into(),
            team: None,
            version: version.into(),
            baseline: "codex-cli@0.139.0".into(),
            sha256: hash(body),
        }
    }

    fn new_file(s: &Stamp, body: &str) -> String {
        wrap(Syntax::Markdown, s, body) + "\n## Local\n"
    }

    #[test]
    fn a_new_version_with_the_same_text_changes_nothing() {
        let v1 = stamp("1.0.0", "rules\n");
        let v2 = stamp("1.1.0", "rules\n");
        let text = new_file(&v1, "rules\n");
        assert_eq!(
            plan(Some(&text), Syntax::Markdown, &v2, "rules\n", "unused"),
            Plan::Unchanged
        );
        let doc = serde_json::json!({"a": 1});
        let j1 = Stamp {
            sha256: hash(&json::canonical(&doc)),
            ..v1.clone()
        };
        let j2 = Stamp {
            version: "1.1.0".into(),
            ..j1.clone()
        };
        let old = json::stamped(&doc, &j1);
        assert_eq!(
            plan(Some(&old), Syntax::Json, &j2, "", &json::stamped(&doc, &j2)),
            Plan::Unchanged
        );
        // A different baseline is a change, even with the same text.
        let v3 = Stamp {
            baseline: "codex-cli@0.140.0".into(),
            ..v2
        };
        assert!(matches!(
            plan(Some(&text), Syntax::Markdown, &v3, "rules\n", "unused"),
            Plan::Update(_)
        ));
    }

    #[test]
    fn create_then_update_keeps_outside_bytes_and_is_idempotent() {
        let v1 = stamp("1.0.0", "old rules\n");
        let first = match plan(
            None,
            Syntax::Markdown,
            &v1,
            "old rules\n",
            &new_file(&v1, "old rules\n"),
        ) {
            Plan::Create(t) => t,
            p => panic!("{p:?}"),
        };
        // The repository edits outside the region, with odd bytes.
        let local = format!("prefix\u{00a0}\n{first}mine: é \t\n");
        let v2 = stamp("1.1.0", "new rules\n");
        let updated = match plan(Some(&local), Syntax::Markdown, &v2, "new rules\n", "unused") {
            Plan::Update(t) => t,
            p => panic!("{p:?}"),
        };
        assert!(updated.starts_with("prefix\u{00a0}\n"));
        assert!(updated.ends_with("## Local\nmine: é \t\n"));
        assert!(updated.contains("version=1.1.0") && updated.contains("new rules\n"));
        assert!(!updated.contains("old rules"));
        assert_eq!(
            plan(
                Some(&updated),
                Syntax::Markdown,
                &v2,
                "new rules\n",
                "unused"
            ),
            Plan::Unchanged
        );
    }

    #[test]
    fn a_crlf_file_gets_a_crlf_region_and_stays_current() {
        let v1 = stamp("1.0.0", "a\n");
        let file = new_file(&v1, "a\n").replace('\n', "\r\n");
        let v2 = stamp("1.1.0", "b\n");
        let Plan::Update(t) = plan(Some(&file), Syntax::Markdown, &v2, "b\n", "unused") else {
            panic!()
        };
        assert!(
            !t.replace("\r\n", "").contains('\n'),
            "only CRLF line endings: {t:?}"
        );
        assert_eq!(
            plan(Some(&t), Syntax::Markdown, &v2, "b\n", "unused"),
            Plan::Unchanged
        );
    }

    #[test]
    fn an_edited_region_is_refused_unless_forced() {
        let v1 = stamp("1.0.0", "rules\n");
        let file = new_file(&v1, "rules\n").replace("rules\n", "my rules\n");
        let v2 = stamp("1.1.0", "new\n");
        match plan(Some(&file), Syntax::Markdown, &v2, "new\n", "unused") {
            Plan::Refuse {
                reason,
                forced: Some(f),
            } => {
                assert!(reason.contains("edited locally"));
                assert!(f.contains("new\n") && f.ends_with("## Local\n"));
            }
            p => panic!("{p:?}"),
        }
    }

    #[test]
    fn a_plain_markdown_file_gets_the_region_on_top() {
        let s = stamp("1.0.0", "rules\n");
        let p = plan(
            Some("# Our own\n"),
            Syntax::Markdown,
            &s,
            "rules\n",
            "unused",
        );
        match p {
            Plan::Update(t) => {
                assert!(t.starts_with("<!-- govbook:begin agents-md"));
                assert!(t.ends_with("\n# Our own\n"));
            }
            p => panic!("{p:?}"),
        }
        let toml = plan(Some("a = 1\n"), Syntax::Toml, &s, "rules\n", "new");
        assert!(matches!(
            toml,
            Plan::Refuse {
                forced: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn damaged_markers_are_never_overwritten() {
        let s = stamp("1.0.0", "x\n");
        let text = format!("<!-- {s} -->\nno end\n");
        assert!(matches!(
            plan(Some(&text), Syntax::Markdown, &s, "x\n", "n"),
            Plan::Refuse { forced: None, .. }
        ));
    }
}
