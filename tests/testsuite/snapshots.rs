//! HTML snapshots of every page type, built from the minimal fixture with a
//! fixed date. A change to the theme or the renderer shows up here as a
//! reviewable diff (`cargo insta review`).

use crate::book_test::BookTest;

/// The `<main>` element of a page: the part the page type decides.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html.rfind("</main>").expect("a closing </main>") + "</main>".len();
    &html[start..end]
}

#[test]
fn page_types() {
    let book = BookTest::from_fixture("minimal");
    let out = book.scratch().join("site");
    book.run("build --quiet -o", |cmd| {
        cmd.arg(&out);
    });
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    // One whole page shows the layout itself.
    insta::assert_snapshot!("layout_guide", read("guide.html"));
    for (name, rel) in [
        ("prose_index", "index.html"),
        ("policy", "governance/policy.html"),
        ("profiles", "governance/profiles.html"),
        ("commands", "governance/commands.html"),
        ("checklists", "governance/checklists.html"),
        ("rollout", "governance/rollout.html"),
        ("upgrades", "governance/upgrades.html"),
        ("plugins", "governance/plugins.html"),
        ("metrics", "governance/metrics.html"),
        ("owners", "governance/owners.html"),
        ("changelog", "governance/changelog.html"),
        ("not_found", "404.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&read(rel)));
    }
    insta::assert_snapshot!("toc_js", read("toc.js"));
    insta::assert_snapshot!("toc_top_js", read("toc/top.js"));
    insta::assert_snapshot!(
        "profile_standard",
        read("templates/.codex/home/standard.config.toml")
    );
    insta::assert_snapshot!("base_config", read("templates/.codex/home/config.toml"));
    insta::assert_snapshot!("agents_md", read("templates/AGENTS.md"));
    insta::assert_snapshot!(
        "templates_page",
        main_of(&read("governance/templates.html"))
    );
}

#[test]
fn fleet_page_from_fixture_reports() {
    let mut book = BookTest::from_fixture("minimal");
    book.append("book.toml", "\n[fleet]\nreports = \"fleet\"\n");
    crate::fs::copy_tree(
        &crate::book_test::fixture("fleet-reports"),
        &book.path("fleet"),
    );
    let out = book.scratch().join("site");
    book.run("build --quiet -o", |cmd| {
        cmd.arg(&out);
    });
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
    let fleet = read("governance/fleet.html");
    // Untrusted names are escaped.
    assert!(
        fleet.contains("central/fleet/&lt;b&gt;mobile&lt;/b&gt;"),
        "{fleet}"
    );
    assert!(!fleet.contains("<b>mobile"));
    insta::assert_snapshot!("fleet_page", main_of(&fleet));
    assert!(
        !read("print.html").contains("fleet-repos"),
        "the fleet's state is not part of the printed handbook"
    );
    let rollout = read("governance/rollout.html");
    assert!(
        rollout.contains("1 of 1 repository current (100%)"),
        "the payments team's share is on the board"
    );
}
