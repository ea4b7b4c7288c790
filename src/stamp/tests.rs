use proptest::prelude::*;

use super::*;

fn stamp(id: &str, body: &str) -> Stamp {
    Stamp {
        id: id.into(),
        team: None,
        version: "2026.11.0".into(),
        baseline: "codex-cli@0.139.0".into(),
        sha256: hash(body),
    }
}

#[test]
fn wrap_then_find() {
    let body = "# AGENTS.md\n\nBe careful.\n";
    let text = format!(
        "Intro kept.\n{}\n## Local\nmine\n",
        wrap(Syntax::Markdown, &stamp("agents-md", body), body)
    );
    let (found, damage) = regions(&text, Syntax::Markdown);
    assert!(damage.is_empty(), "{damage:?}");
    assert_eq!(found.len(), 1);
    let r = &found[0];
    assert_eq!(&text[r.managed.clone()], body);
    assert!(r.intact(&text));
    assert_eq!(r.line, 2);
    assert!(text[r.span.clone()].starts_with("<!-- govbook:begin agents-md version=2026.11.0"));
    assert!(text[r.span.clone()].ends_with("<!-- govbook:end agents-md -->\n"));
}

#[test]
fn prose_about_markers_is_not_damage() {
    let text = "Text mentions govbook:begin and `<!-- govbook:end x -->` inline.\n";
    let (found, damage) = regions(text, Syntax::Markdown);
    assert!(found.is_empty() && damage.is_empty(), "{damage:?}");
}

#[test]
fn crlf_is_not_an_edit_but_a_changed_word_is() {
    let body = "a\nb\n";
    let text = wrap(Syntax::Toml, &stamp("codex-config", body), body).replace('\n', "\r\n");
    let (found, damage) = regions(&text, Syntax::Toml);
    assert!(damage.is_empty());
    assert!(found[0].intact(&text));
    let edited = text.replace("b\r\n", "c\r\n");
    let (found, _) = regions(&edited, Syntax::Toml);
    assert!(!found[0].intact(&edited));
}

#[test]
fn damaged_markers_are_reported_with_their_line() {
    let good = stamp("x", "").to_string();
    let cases = [
        (format!("<!-- {good} -->\nbody\n"), 1, "has no govbook:end"),
        (format!("<!-- {good} -->\n<!-- {good} -->\n<!-- govbook:end x -->\n"), 2, "second govbook:begin"),
        ("<!-- govbook:end x -->\n".to_owned(), 1, "without a govbook:begin"),
        ("<!-- govbook:begin x version=1.0.0 baseline=codex-cli@0.139.0 sha256=zz -->\n<!-- govbook:end x -->\n".to_owned(), 1, "64 lowercase hex"),
        ("<!-- govbook:begin x version=1.0 -->\n".to_owned(), 1, "not valid"),
        (format!("<!-- {good}\n"), 1, "not a whole comment line"),
        (format!("<!-- {good} -->\n<!-- govbook:end y -->\n"), 2, "closes govbook:begin x"),
        ("<!-- govbook:begin\n".to_owned(), 1, "not a whole comment line"),
    ];
    for (text, line, reason) in cases {
        let (found, damage) = regions(&text, Syntax::Markdown);
        assert!(found.is_empty(), "{text}");
        assert!(
            damage
                .iter()
                .any(|d| d.line == line && d.reason.contains(reason)),
            "{text:?}: {damage:?}"
        );
    }
}

#[test]
fn json_stamp_round_trip_and_reformatting() {
    let value = serde_json::json!({"commands": [{"id": "unit-tests", "run": "cargo test"}], "version": "1"});
    let body = json::canonical(&value);
    let s = stamp("verification-commands-json", &body);
    let text = json::stamped(&value, &s);
    let (read, h) = json::read(&text).unwrap().unwrap();
    assert_eq!(read, s);
    assert_eq!(h, s.sha256);
    // Reformatted but equal: same hash. A changed value: another hash.
    let compact =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap()).unwrap();
    assert_eq!(json::read(&compact).unwrap().unwrap().1, s.sha256);
    let edited = text.replace("cargo test", "cargo test --all");
    assert_ne!(json::read(&edited).unwrap().unwrap().1, s.sha256);
    assert!(json::read("{").is_err());
    assert!(json::read("{\"a\":1}").unwrap().is_none());
}

fn arb_id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,20}"
}

fn arb_version() -> impl Strategy<Value = String> {
    (0u32..3000, 0u32..50, 0u32..50).prop_map(|(a, b, c)| format!("{a}.{b}.{c}"))
}

fn arb_body() -> impl Strategy<Value = String> {
    // Any lines that are not themselves markers, with either line ending.
    prop::collection::vec("[^\r\n]{0,40}", 0..12)
        .prop_filter("no marker text", |lines| {
            lines.iter().all(|l| !l.contains("govbook:"))
        })
        .prop_flat_map(|lines| {
            prop::bool::ANY.prop_map(move |crlf| {
                let nl = if crlf { "\r\n" } else { "\n" };
                lines.iter().map(|l| format!("{l}{nl}")).collect::<String>()
            })
        })
}

proptest! {
    /// Parsing a written stamp gives back exactly what was written, and the
    /// managed text it delimits is exactly the body, whatever surrounds it.
    #[test]
    fn stamps_round_trip(
        id in arb_id(),
        team in prop::option::of(arb_id()),
        version in arb_version(),
        cli in arb_version(),
        body in arb_body(),
        before in "[^\r\n]{0,30}",
        after in "[^\r\n]{0,30}",
        toml in prop::bool::ANY,
    ) {
        let format = if toml { Syntax::Toml } else { Syntax::Markdown };
        let s = Stamp { id, team, version, baseline: format!("codex-cli@{cli}"), sha256: hash(&body) };
        prop_assume!(!before.contains("govbook:") && !after.contains("govbook:"));
        let text = format!("{before}\n{}{after}\n", wrap(format, &s, &body));
        let (found, damage) = regions(&text, format);
        prop_assert!(damage.is_empty(), "{:?}", damage);
        prop_assert_eq!(found.len(), 1);
        prop_assert_eq!(&found[0].stamp, &s);
        let managed = &text[found[0].managed.clone()];
        let expected = if body.is_empty() || body.ends_with('\n') { body.clone() } else { format!("{body}\n") };
        prop_assert_eq!(managed, expected.as_str());
        prop_assert!(found[0].intact(&text));
        prop_assert_eq!(parse_stamp(s.to_string().trim_start_matches("govbook:begin")), Ok(s.clone()));
    }
}
