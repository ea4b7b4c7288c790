//! End-to-end: the built handbook in a real browser (Debian's headless
//! Chromium through chromedriver), both served by `govbook serve` and opened
//! from `file://`, with axe-core for accessibility and screenshots under
//! `target/e2e/`.
//!
//! Every test is ignored by `cargo test` (it needs outside programs);
//! `.ci/run` installs them and runs
//! `cargo test --test testsuite -- --ignored --test-threads=2 e2e::`.
//! A missing program is a failure, never a skip. Programs:
//! `GOVBOOK_CHROMEDRIVER` (default `/usr/bin/chromedriver`),
//! `GOVBOOK_CHROMIUM` (`/usr/bin/chromium`) and `GOVBOOK_AXE`
//! (`target/tools/node_modules/axe-core/axe.min.js`).

mod harness;
mod webdriver;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use harness::{Mode, Site, check_every_page, page_problems, visit_every_page};
use webdriver::{Browser, ENTER, TAB, tool};

const BOTH: [Mode; 2] = [Mode::Served, Mode::File];
const WAIT: Duration = Duration::from_secs(10);

/// Opens `path` with the logs drained first, so problems belong to it.
fn open(browser: &Browser, site: &Site, path: &str) {
    let _ = browser.log("browser");
    let _ = browser.log("performance");
    browser.goto(&site.url(path));
    browser.wait_until(
        "return document.readyState === 'complete' && !!document.querySelector('#sidebar ol');",
        WAIT,
        "the page and its sidebar",
    );
}

/// The URL of every sidebar entry that has a page, in order, from `toc.js`
/// (pages load the sidebar in chunks; `toc.js` has all of it).
fn chapter_urls(site: &Site) -> Vec<Value> {
    let js = std::fs::read_to_string(site.out.join("toc.js")).expect("toc.js");
    let json = js
        .strip_prefix("window.GOVBOOK_TOC=")
        .and_then(|j| j.strip_suffix(";\n"))
        .expect("toc.js is one assignment");
    let entries: Vec<Value> = serde_json::from_str(json).expect("toc.js is JSON");
    entries
        .into_iter()
        .map(|e| e["u"].clone())
        .filter(|u| u.as_str().is_some_and(|u| !u.is_empty()))
        .collect()
}

fn string(v: Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn home_page_loads_clean_and_every_page_stays_on_its_origin() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        open(&browser, &site, "index.html");
        let title = string(browser.js("return document.title;", vec![]));
        assert!(title.contains("Codex"), "{mode:?}: title {title:?}");
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?} home page: {problems:#?}");
        // The same on every page of the site. 404.html links from the site
        // root (`/`), as a server shows it at any depth: not from disk.
        let problems = visit_every_page(&browser, &site, |b, page| {
            if mode == Mode::File && page == "404.html" {
                // Its failed loads (scripts, then the icon) must land in
                // its own logs, not the next page's: wait for them first.
                b.wait_until(
                    "return document.readyState === 'complete';",
                    WAIT,
                    "404.html",
                );
                std::thread::sleep(Duration::from_millis(500));
                let _ = b.log("browser");
                let _ = b.log("performance");
                return Vec::new();
            }
            page_problems(b, &site)
        });
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn the_every_page_helper_names_the_failing_page() {
    // The helper injection tests use: clean on the bundled book...
    let tmp = tempfile::tempdir().expect("scratch");
    let book = tmp.path().join("book");
    let ok = harness::govbook().arg("init").arg(&book).status();
    assert!(ok.expect("init runs").success());
    let problems = check_every_page(&book, "window.__pwned === undefined");
    assert!(problems.is_empty(), "{problems:#?}");
    // ...and it names the page where the condition fails.
    let problems = check_every_page(&book, "location.pathname.indexOf('getting-started') === -1");
    assert_eq!(
        problems,
        vec![
            "guide/getting-started.html: `location.pathname.indexOf('getting-started') === -1` \
             is false"
        ],
    );
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn search_finds_a_deep_page_and_enter_goes_there() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        open(&browser, &site, "index.html");
        let input = browser.find("#search");
        browser.type_into(&input, "marketplace");
        browser.wait_until(
            "return !document.getElementById('search-panel').hidden && \
             document.querySelectorAll('#search-results a').length > 0;",
            WAIT,
            "search results",
        );
        let first = string(browser.js(
            "return document.querySelector('#search-results a').getAttribute('href');",
            vec![],
        ));
        assert!(
            first.ends_with("guide/plugin-promotion.html#installing-from-a-marketplace"),
            "{mode:?}: first result {first}"
        );
        browser.type_into(&input, ENTER);
        browser.wait_until(
            "return location.href.indexOf('guide/plugin-promotion.html') !== -1 && \
             document.readyState === 'complete';",
            WAIT,
            "the result's page",
        );
        assert!(
            browser
                .url()
                .ends_with("guide/plugin-promotion.html#installing-from-a-marketplace"),
            "{mode:?}: {}",
            browser.url()
        );
        browser.wait_until(
            "var h = document.getElementById('installing-from-a-marketplace'); if (!h) return false; \
             var r = h.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
            WAIT,
            "the heading in view",
        );
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

/// Full text: a word deep in a page's text (in a code block, far past any
/// excerpt) is found, from file:// and under serve, loading only the
/// index's table, the word's shard and the result's chunk.
#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn search_finds_a_word_deep_in_a_page_body() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        open(&browser, &site, "guide/getting-started.html");
        let input = browser.find("#search");
        browser.type_into(&input, "rounding");
        browser.wait_until(
            "return document.querySelectorAll('#search-results a').length > 0;",
            WAIT,
            "search results for a body word",
        );
        let first = string(browser.js(
            "return document.querySelector('#search-results a').getAttribute('href');",
            vec![],
        ));
        assert!(
            first.contains("guide/repository-templates.html"),
            "{mode:?}: first result {first}"
        );
        let loaded = browser.js(
            "return Object.keys(window.GOVBOOK_DATA || {}).filter(function (k) { \
             return k.indexOf('search/') === 0; });",
            vec![],
        );
        let loaded: Vec<String> = loaded
            .as_array()
            .expect("resource names")
            .iter()
            .map(|v| string(v.clone()))
            .collect();
        assert!(
            loaded.iter().any(|n| n == "search/meta")
                && loaded.iter().any(|n| n.contains("search/t-"))
                && loaded.iter().any(|n| n.contains("search/d-")),
            "{mode:?}: {loaded:?}"
        );
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

/// The sidebar loads in chunks: a page shows the top level and its own
/// part; another part's pages load when the reader expands it.
#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn sidebar_loads_a_collapsed_part_when_expanded() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        open(&browser, &site, "index.html");
        let collapsed = browser.js(
            "var b = document.querySelector('#sidebar .toc-toggle[aria-expanded=\"false\"]'); \
             return b ? b.parentNode.querySelectorAll(':scope > ol a').length : -1;",
            vec![],
        );
        assert_eq!(
            collapsed,
            json!(0),
            "{mode:?}: a collapsed part with nothing loaded"
        );
        browser.click(&browser.find("#sidebar .toc-toggle[aria-expanded=\"false\"]"));
        browser.wait_until(
            "var b = document.querySelector('#sidebar .toc-toggle[aria-expanded=\"true\"]'); \
             return !!b && b.parentNode.querySelectorAll(':scope > ol a').length > 0;",
            WAIT,
            "the expanded part's pages",
        );
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn sidebar_marks_the_page_and_next_and_previous_walk_the_book() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        open(&browser, &site, "index.html");
        let chapters: Vec<String> = chapter_urls(&site)
            .iter()
            .map(|v| string(v.clone()))
            .collect();
        assert!(chapters.len() > 20, "{chapters:?}");
        // Forwards with "Next", checking the sidebar mark on every page.
        let mut seen = Vec::new();
        loop {
            let here = site_path(&site, &browser.url());
            let current = browser.js(
                "var a = document.querySelectorAll('#sidebar a[aria-current=\"page\"]'); \
                 return a.length === 1 ? a[0].href : a.length;",
                vec![],
            );
            assert_eq!(
                current.as_str().map(|u| site_path(&site, u)),
                Some(here.clone()),
                "{mode:?}: the sidebar marks {current} on {here}"
            );
            seen.push(here);
            let next = browser.js(
                "var a = document.querySelector('a.pager-next'); return a ? a.href : null;",
                vec![],
            );
            let Some(next) = next.as_str() else { break };
            assert!(seen.len() <= chapters.len(), "{mode:?}: a loop: {seen:?}");
            browser.click(&browser.find("a.pager-next"));
            browser.wait_until(
                &format!(
                    "return location.href === {} && !!document.querySelector('#sidebar ol');",
                    json!(next)
                ),
                WAIT,
                "the next page",
            );
        }
        assert_eq!(seen, chapters, "{mode:?}: Next walks the book in order");
        // And back with "Previous".
        let mut back = vec![seen.last().cloned().expect("a page")];
        while let Some(prev) = browser
            .js(
                "var a = document.querySelector('a.pager-prev'); return a ? a.href : null;",
                vec![],
            )
            .as_str()
            .map(str::to_owned)
        {
            browser.click(&browser.find("a.pager-prev"));
            browser.wait_until(
                &format!("return location.href === {};", json!(prev)),
                WAIT,
                "the previous page",
            );
            back.push(site_path(&site, &prev));
            assert!(back.len() <= chapters.len(), "{mode:?}: a loop: {back:?}");
        }
        back.reverse();
        assert_eq!(back, chapters, "{mode:?}: Previous walks it back");
    }
}

/// The site path of a URL of `site`, fragment dropped.
fn site_path(site: &Site, url: &str) -> String {
    let url = url.split('#').next().unwrap_or_default();
    let path = url.strip_prefix(&site.base).unwrap_or(url);
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn theme_toggle_switches_and_survives_a_reload() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        open(&browser, &site, "guide/cli-baseline.html");
        let theme = || {
            string(browser.js(
                "return document.documentElement.getAttribute('data-theme');",
                vec![],
            ))
        };
        let background = || {
            string(browser.js(
                "return getComputedStyle(document.body).backgroundColor;",
                vec![],
            ))
        };
        assert_eq!(
            theme(),
            "light",
            "{mode:?}: headless Chromium prefers light"
        );
        let light = background();
        browser.click(&browser.find("#theme-toggle"));
        assert_eq!(theme(), "dark", "{mode:?}");
        assert_ne!(background(), light, "{mode:?}: the colours change");
        let pressed = browser.js(
            "return document.getElementById('theme-toggle').getAttribute('aria-pressed');",
            vec![],
        );
        assert_eq!(pressed, "true", "{mode:?}");
        let saved = browser.js("return localStorage.getItem('govbook-theme');", vec![]);
        assert_eq!(saved, "dark", "{mode:?}: the choice is saved");
        browser.refresh();
        assert_eq!(theme(), "dark", "{mode:?}: after a reload");
        // Chromium commits localStorage to its storage service a moment
        // after the write; a page in another renderer (file:// pages get
        // their own) may load before that. Reopen for up to 3 s: a choice
        // that never reaches other pages still fails.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        loop {
            open(&browser, &site, "index.html");
            if theme() == "dark" || std::time::Instant::now() > deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        assert_eq!(theme(), "dark", "{mode:?}: on another page");
        browser.click(&browser.find("#theme-toggle"));
        browser.refresh();
        assert_eq!(theme(), "light", "{mode:?}: and back");
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn copy_button_puts_the_exact_template_on_the_clipboard() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        browser.cdp(
            "Browser.grantPermissions",
            json!({"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}),
        );
        open(&browser, &site, "governance/templates.html");
        let count = browser.js(
            "return document.querySelectorAll('section.artifact .copy-button').length;",
            vec![],
        );
        assert!(count.as_u64() > Some(5), "{mode:?}: copy buttons: {count}");
        for id in ["agents-md", "codex-config", "verification-commands-json"] {
            let download = string(browser.js(
                "return document.querySelector('#' + arguments[0] + ' \
                 a[download]').getAttribute('href');",
                vec![json!(id)],
            ));
            let file = site.out.join("governance").join(&download);
            let expected =
                std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{download}: {e}"));
            browser.js(
                "document.querySelector('#' + arguments[0] + ' \
                 .copy-button').scrollIntoView({block: 'center'});",
                vec![json!(id)],
            );
            browser.click(&browser.find(&format!("#{id} .copy-button")));
            browser.wait_until(
                &format!(
                    "return document.querySelector('#{id} .copy-button').textContent === 'Copied';"
                ),
                WAIT,
                "the button to say Copied",
            );
            let copied = browser.js_async(
                "var done = arguments[arguments.length - 1]; \
                 navigator.clipboard.readText().then(done, function (e) { done('ERROR ' + e); });",
                vec![],
            );
            assert_eq!(
                string(copied),
                expected,
                "{mode:?}: the clipboard holds {download} exactly"
            );
        }
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn checklists_tick_and_the_command_filter_narrows() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        open(&browser, &site, "governance/checklists.html");
        let progress = || {
            string(browser.js(
                "return document.querySelector('[data-checklist] \
                 .checklist-progress').textContent;",
                vec![],
            ))
        };
        assert!(progress().starts_with("0 of "), "{mode:?}: {}", progress());
        let label = browser.find("[data-checklist] .checklist-item label");
        browser.click(&label);
        let ticked = browser.js(
            "return document.querySelector('[data-checklist] input[type=checkbox]').checked;",
            vec![],
        );
        assert_eq!(ticked, true, "{mode:?}: clicking the label ticks the box");
        assert!(progress().starts_with("1 of "), "{mode:?}: {}", progress());
        browser.refresh();
        assert!(
            progress().starts_with("1 of "),
            "{mode:?}: kept: {}",
            progress()
        );
        browser.click(&browser.find("[data-checklist] .checklist-clear"));
        assert!(progress().starts_with("0 of "), "{mode:?}: cleared");

        open(&browser, &site, "governance/commands.html");
        let visible = "return Array.prototype.filter.call(document.querySelectorAll('[data-stages]'), \
                       function (c) { return c.offsetParent !== null; }).length;";
        let all = browser.js(visible, vec![]).as_u64().expect("a count");
        assert!(all > 3, "{mode:?}: {all} commands");
        let stages = browser.js(
            "return Array.prototype.map.call(document.querySelectorAll('.filter-button[data-stage]'), \
             function (b) { return b.getAttribute('data-stage'); }).filter(Boolean);",
            vec![],
        );
        let stages = stages.as_array().expect("stages").clone();
        assert!(!stages.is_empty(), "{mode:?}: no stage buttons");
        let mut narrowed = false;
        for stage in &stages {
            let stage = stage.as_str().expect("a stage");
            browser.click(&browser.find(&format!(".filter-button[data-stage=\"{stage}\"]")));
            let shown = browser.js(visible, vec![]).as_u64().expect("a count");
            let expected = browser
                .js(
                    "return document.querySelectorAll('[data-stages~=\"' + arguments[0] + \
                     '\"]').length;",
                    vec![json!(stage)],
                )
                .as_u64()
                .expect("a count");
            assert_eq!(shown, expected, "{mode:?}: stage {stage}");
            let status = string(browser.js(
                "return document.getElementById('command-filter-status').textContent;",
                vec![],
            ));
            assert!(status.starts_with(&format!("{shown} command")), "{status}");
            narrowed |= shown < all;
        }
        assert!(narrowed, "{mode:?}: no stage narrowed the list");
        browser.click(&browser.find(".filter-button[data-stage=\"\"]"));
        assert_eq!(
            browser.js(visible, vec![]).as_u64(),
            Some(all),
            "{mode:?}: All"
        );
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn live_reload_updates_the_open_page_within_two_seconds() {
    let site = Site::bundled(Mode::Served);
    let browser = Browser::start();
    open(&browser, &site, "guide/getting-started.html");
    // Reload is pushed: wait until the page's event stream is open.
    browser.wait_until(
        "return window.govbookLive === true;",
        WAIT,
        "the live-reload event stream",
    );
    let page = site.book.join("content/guide/getting-started.md");
    let text = std::fs::read_to_string(&page).expect("the page");
    let marker = "Edited while the browser watched.";
    let edited = Instant::now();
    std::fs::write(&page, format!("{text}\n{marker}\n")).expect("edit");
    let script = format!(
        "return document.body.textContent.indexOf({}) !== -1;",
        json!(marker)
    );
    let mut seen = None;
    while edited.elapsed() < Duration::from_secs(10) {
        if browser.try_js(&script).ok() == Some(Value::Bool(true)) {
            seen = Some(edited.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let seen = seen.expect("the page never showed the edit");
    assert!(
        seen < Duration::from_secs(2),
        "the edit took {seen:?} to show"
    );
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn unknown_paths_get_the_404_page_and_print_holds_every_chapter() {
    for mode in BOTH {
        let site = Site::bundled(mode);
        let browser = Browser::start();
        if mode == Mode::Served {
            not_found(&browser, &site);
        }
        print_holds_every_chapter(&browser, &site, mode);
    }
}

/// An unknown path, served: the 404 page, styled, with working links at
/// any depth.
fn not_found(browser: &Browser, site: &Site) {
    let mode = site.mode;
    open(browser, site, "no/such/page.html");
    let h1 = string(browser.js("return document.querySelector('h1').textContent;", vec![]));
    assert_eq!(h1, "Page not found", "{mode:?}");
    // Its links and styles work from any depth.
    let styled = browser.js(
        "return getComputedStyle(document.querySelector('.site-header')).position;",
        vec![],
    );
    assert_ne!(styled, "static", "{mode:?}: the stylesheet loaded");
    browser.click(&browser.find(".not-found a"));
    browser.wait_until(
        "return /index\\.html$|\\/$/.test(location.pathname) && \
             !!document.querySelector('#sidebar ol');",
        WAIT,
        "the home page from the 404 page",
    );
    // The 404 status itself is logged as a failed load: expected.
    let _ = browser.log("browser");
}

fn print_holds_every_chapter(browser: &Browser, site: &Site, mode: Mode) {
    open(browser, site, "index.html");
    let pages = Value::Array(chapter_urls(site));
    // Each chapter's own first heading, from the built page.
    let h1 = regex::Regex::new(r"(?s)<h1[^>]*>(.*?)</h1>").expect("a regex");
    let tag = regex::Regex::new(r"<[^>]+>").expect("a regex");
    let chapters: Vec<Value> = pages
        .as_array()
        .expect("chapters")
        .iter()
        .map(|u| {
            let path = site.out.join(u.as_str().unwrap_or_default());
            let html = std::fs::read_to_string(&path).expect("a built page");
            let title = h1
                .captures(&html)
                .map(|c| {
                    tag.replace_all(&c[1], "")
                        .trim_end_matches('#')
                        .trim()
                        .to_owned()
                })
                .unwrap_or_default();
            Value::String(title.replace("&amp;", "&").replace("&#x27;", "'"))
        })
        .collect();
    open(browser, site, "print.html");
    let text = string(browser.js(
        "return Array.prototype.map.call(document.querySelectorAll('.print-book h1'), \
             function (h) { return h.textContent; }).join('\\n');",
        vec![],
    ));
    let missing: Vec<&Value> = chapters
        .iter()
        .filter(|t| !text.contains(t.as_str().unwrap_or_default()))
        .collect();
    assert!(
        missing.is_empty(),
        "{mode:?}: print lacks {missing:?}\n{text}"
    );
    let problems = page_problems(browser, site);
    assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
}

/// The pages whose layouts differ: (screenshot name, site path).
const PAGE_TYPES: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("cli-baseline", "guide/cli-baseline.html"),
    ("toc", "toc.html"),
    ("print", "print.html"),
    ("404", "no/such/page.html"),
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
    ("diagnostics", "governance/diagnostics.html"),
    ("templates", "governance/templates.html"),
];

fn screenshots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).expect("target/e2e");
    dir
}

/// Runs axe-core on the open page; returns its serious and critical
/// violations, one line per failing element.
fn axe(browser: &Browser, axe_source: &str) -> Vec<String> {
    browser.js(&format!("{axe_source}\n;return true;"), vec![]);
    let result = browser.js_async(
        "var done = arguments[arguments.length - 1]; \
         axe.run(document, {resultTypes: ['violations']}).then( \
           function (r) { done(r.violations); }, function (e) { done('axe failed: ' + e); });",
        vec![],
    );
    let Value::Array(violations) = result else {
        return vec![format!("{result}")];
    };
    let mut out = Vec::new();
    for v in violations {
        let impact = v["impact"].as_str().unwrap_or("");
        if impact != "serious" && impact != "critical" {
            continue;
        }
        for node in v["nodes"].as_array().into_iter().flatten() {
            out.push(format!(
                "{impact} {}: {} at {} ({})",
                v["id"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                node["target"],
                node["failureSummary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', " ")
            ));
        }
    }
    out
}

fn set_theme(browser: &Browser, theme: &str) {
    browser.js(
        "localStorage.setItem('govbook-theme', arguments[0]);",
        vec![json!(theme)],
    );
}

#[test]
#[ignore = "needs Chromium, chromedriver and axe-core (installed by .ci/run)"]
fn every_page_type_passes_axe_in_both_themes_and_is_screenshotted() {
    let axe_source = std::fs::read_to_string(tool(
        "GOVBOOK_AXE",
        "target/tools/node_modules/axe-core/axe.min.js",
    ))
    .expect("axe.min.js");
    let site = Site::bundled(Mode::Served);
    let browser = Browser::start();
    let shots = screenshots_dir();
    let mut problems = Vec::new();
    for theme in ["light", "dark"] {
        open(&browser, &site, "index.html");
        set_theme(&browser, theme);
        for (name, path) in PAGE_TYPES {
            open(&browser, &site, path);
            let applied = string(browser.js(
                "return document.documentElement.getAttribute('data-theme');",
                vec![],
            ));
            assert_eq!(applied, theme, "{path}");
            std::fs::write(
                shots.join(format!("{name}-{theme}.png")),
                browser.screenshot(),
            )
            .expect("a screenshot");
            for p in axe(&browser, &axe_source) {
                problems.push(format!("{path} ({theme}): {p}"));
            }
        }
        // Search open, with results.
        open(&browser, &site, "index.html");
        browser.type_into(&browser.find("#search"), "profile");
        browser.wait_until(
            "return document.querySelectorAll('#search-results a').length > 0;",
            WAIT,
            "search results",
        );
        std::thread::sleep(Duration::from_millis(200));
        std::fs::write(
            shots.join(format!("search-open-{theme}.png")),
            browser.screenshot(),
        )
        .expect("a screenshot");
        for p in axe(&browser, &axe_source) {
            problems.push(format!("search open ({theme}): {p}"));
        }
        // The Payments chart, cropped, for the README.
        open(&browser, &site, "governance/metrics.html");
        let chart = "#usage-and-outcomes-payments";
        browser.js(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![json!(chart)],
        );
        let chart = browser.find(chart);
        std::fs::write(
            shots.join(format!("metrics-chart-{theme}.png")),
            browser.element_screenshot(&chart),
        )
        .expect("a screenshot");
    }
    assert!(
        problems.is_empty(),
        "{} serious or critical axe violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn keyboard_alone_reaches_search_the_toggle_and_every_link() {
    let site = Site::bundled(Mode::File);
    let browser = Browser::start();
    let mut problems = Vec::new();
    for path in [
        "index.html",
        "guide/cli-baseline.html",
        "governance/checklists.html",
    ] {
        open(&browser, &site, path);
        let links = browser
            .js(
                "return document.querySelectorAll('a[href], button, input, [tabindex]').length;",
                vec![],
            )
            .as_u64()
            .expect("a count") as usize;
        // Record every element focus lands on, then press Tab enough times.
        browser.js(
            "window.__focused = []; document.addEventListener('focusin', function (e) { \
             window.__focused.push(e.target); }, true); document.activeElement.blur();",
            vec![],
        );
        browser.press(TAB, links + 10);
        let missed = browser.js(
            "var seen = new Set(window.__focused); \
             function visible(el) { return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'; } \
             var wanted = [document.getElementById('search'), document.getElementById('theme-toggle')] \
               .concat(Array.prototype.slice.call(document.querySelectorAll('a[href]')).filter(visible)); \
             return wanted.filter(function (el) { return !seen.has(el); }) \
               .map(function (el) { return el.outerHTML.slice(0, 120); });",
            vec![],
        );
        for m in missed.as_array().into_iter().flatten() {
            problems.push(format!("{path}: Tab never reaches {m}"));
        }
        // "/" jumps to search from anywhere on the page.
        browser.js("document.activeElement.blur();", vec![]);
        browser.press("/", 1);
        let focused = browser.js("return document.activeElement.id;", vec![]);
        if focused != "search" {
            problems.push(format!("{path}: / focuses {focused}, not search"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The injection fixture (`tests/fixtures/injection/`, 50 payloads in every
/// kind of field): no payload runs on any page, nor when search lists the
/// pages that carry them.
#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn no_injection_payload_runs_on_any_page_or_in_search_results() {
    let book = crate::book_test::fixture("injection");
    let mut problems = check_every_page(&book, "window.__pwned === undefined");
    // Sanitized, `<img src=x onerror=…>` is `<img src="x">`: an image of
    // the site that does not exist, which the browser asks for and logs.
    problems.retain(|p| !is_payload_image_miss(p));
    assert!(problems.is_empty(), "{problems:#?}");

    for mode in BOTH {
        let tmp = tempfile::tempdir().expect("scratch");
        let site = Site::of(tmp, book.clone(), mode);
        let browser = Browser::start();
        open(&browser, &site, "index.html");
        let input = browser.find("#search");
        // Payload text is what the search results show: titles, headings
        // and excerpts full of markup.
        for query in ["pwned", "onerror", "script", "svg"] {
            browser.js(
                "var i = document.getElementById('search'); i.value = ''; \
                 i.dispatchEvent(new Event('input'));",
                vec![],
            );
            browser.type_into(&input, query);
            browser.wait_until(
                "return document.querySelectorAll('#search-results a').length > 0;",
                WAIT,
                &format!("search results for {query}"),
            );
            if let Some(text) = browser.alert_text() {
                panic!("{mode:?}: a dialog opened after searching {query}: {text:?}");
            }
            let pwned = browser.js("return window.__pwned === undefined;", vec![]);
            assert_eq!(
                pwned,
                Value::Bool(true),
                "{mode:?}: searching {query} ran a payload"
            );
        }
        let mut problems = page_problems(&browser, &site);
        problems.retain(|p| !is_payload_image_miss(p));
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

/// A failed load of the site's own path `x`, the `src` the corpus's image
/// payloads keep once sanitized; nothing else.
fn is_payload_image_miss(problem: &str) -> bool {
    problem
        .split_once("console error: ")
        .is_some_and(|(_, rest)| {
            rest.split_once(" - Failed to load resource")
                .is_some_and(|(url, _)| {
                    (url.starts_with("http://127.0.0.1:") || url.starts_with("file:///"))
                        && url.ends_with("/x")
                })
        })
}

/// A page elsewhere (opened from `file://`, or served on another port)
/// that loads the served handbook's data with a script tag reads nothing:
/// `serve` refuses cross-site reads, which the Host check cannot see.
#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn another_origin_cannot_read_the_served_handbook() {
    let site = Site::bundled(Mode::Served);
    let browser = Browser::start();
    let tmp = tempfile::tempdir().expect("scratch");
    let evil = tmp.path().join("evil.html");
    std::fs::write(
        &evil,
        format!(
            "<!doctype html><title>loading</title>\
             <script src=\"{}\"></script><script src=\"{}\"></script>\
             <script>window.addEventListener('load', function () {{ \
             document.title = window.GOVBOOK_DATA ? 'read' : 'blocked'; }});</script>",
            site.url("search/meta.js"),
            site.url("toc/top.js")
        ),
    )
    .expect("write the page");
    let title_after_load = |url: &str| {
        browser.goto(url);
        browser.wait_until(
            "return document.title !== 'loading';",
            WAIT,
            "the other page's load",
        );
        string(browser.js("return document.title;", vec![]))
    };
    // The handbook's own page does load them (the check above can pass).
    open(&browser, &site, "index.html");
    let own = browser.js(
        "return !!(window.GOVBOOK_DATA && window.GOVBOOK_DATA['toc/top'] && document.querySelector('#sidebar ol li'));",
        vec![],
    );
    assert_eq!(own, Value::Bool(true));
    assert_eq!(
        title_after_load(&format!("file://{}", evil.display())),
        "blocked"
    );
    // Served from another port of this machine (same site, other origin).
    let mut other = std::process::Command::new("python3")
        .args(["-m", "http.server", "--bind", "127.0.0.1", "0"])
        .env("PYTHONUNBUFFERED", "1")
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 -m http.server");
    let mut line = String::new();
    let mut out = std::io::BufReader::new(other.stdout.take().expect("its stdout"));
    std::io::BufRead::read_line(&mut out, &mut line).expect("its first line");
    let port = line
        .split("port ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("the port it serves on")
        .to_owned();
    let title = title_after_load(&format!("http://127.0.0.1:{port}/evil.html"));
    let _ = other.kill();
    let _ = other.wait();
    assert_eq!(title, "blocked");
}

/// Under the default `raw-html = "sanitize"`, `Press <kbd>C</kbd>` shows a
/// key, `<details>` folds its Markdown, a comment is not seen, and what was
/// removed does not run.
#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn sanitized_raw_html_renders_kbd_and_hides_comments() {
    for mode in BOTH {
        let tmp = tempfile::tempdir().expect("scratch");
        let book = tmp.path().join("book");
        crate::fs::copy_tree(&crate::book_test::fixture("minimal"), &book);
        std::fs::write(
            book.join("content/guide.md"),
            "+++\nowner = \"platform\"\nreviewed = 2026-11-01\n+++\n\n# Guide\n\n\
             Press <kbd>C</kbd> to copy.<!-- an editor's note -->\n\n\
             <!-- a block comment -->\n\n\
             <details>\n<summary>More</summary>\n\nFolded **text**.\n\n</details>\n\n\
             <img src=\"x.png\" onerror=\"window.__pwned = true\"> <a id=\"old-name\"></a>\n",
        )
        .expect("write the page");
        let site = Site::of(tmp, book, mode);
        let browser = Browser::start();
        open(&browser, &site, "guide.html");
        let kbd = browser.js(
            "var k = document.querySelector('main kbd') || document.querySelector('kbd'); \
             return k ? k.textContent : null;",
            vec![],
        );
        assert_eq!(kbd, json!("C"), "{mode:?}: no <kbd> element");
        let text = string(browser.js("return document.body.innerText;", vec![]));
        assert!(text.contains("Press C to copy."), "{mode:?}: {text}");
        assert!(
            !text.contains("note") && !text.contains("comment") && !text.contains("<"),
            "{mode:?}: a comment or a tag is visible: {text}"
        );
        // Folded until opened.
        let folded = browser.js(
            "var d = document.querySelector('details'); \
             return !!d && !d.open && !d.querySelector('strong').checkVisibility();",
            vec![],
        );
        assert_eq!(
            folded,
            Value::Bool(true),
            "{mode:?}: <details> is not folded"
        );
        let anchor = browser.js("return !!document.getElementById('old-name');", vec![]);
        assert_eq!(
            anchor,
            Value::Bool(true),
            "{mode:?}: the raw-HTML anchor is gone"
        );
        let pwned = browser.js("return window.__pwned === undefined;", vec![]);
        assert_eq!(pwned, Value::Bool(true), "{mode:?}: a removed handler ran");
    }
}

/// An mdBook-shaped book with hidden lines and markup in a SUMMARY title.
fn hidden_lines_book() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    std::fs::create_dir_all(book.join("src")).unwrap();
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [The `open` call](a.md)\n",
    )
    .unwrap();
    std::fs::write(
        book.join("src/a.md"),
        "# A\n\n```rust\n# use std::fs;\nfn main() {}\n```\n",
    )
    .unwrap();
    (tmp, book)
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn hidden_lines_toggle_by_keyboard_and_copy_what_is_shown() {
    for mode in BOTH {
        let (tmp, book) = hidden_lines_book();
        let site = Site::of(tmp, book, mode);
        let browser = Browser::start();
        browser.cdp(
            "Browser.grantPermissions",
            json!({"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}),
        );
        open(&browser, &site, "a.html");
        let shown = "return document.querySelector('.boring').getClientRects().length > 0;";
        assert_eq!(browser.js(shown, vec![]), json!(false), "{mode:?}");
        let sidebar_code = browser.js(
            "return document.querySelector('#sidebar a code').textContent;",
            vec![],
        );
        assert_eq!(
            sidebar_code,
            json!("open"),
            "{mode:?}: markup in the sidebar"
        );
        let copy = |what: &str| {
            browser.click(&browser.find(".copy-button"));
            browser.wait_until(
                "return document.querySelector('.copy-button').textContent === 'Copied';",
                WAIT,
                what,
            );
            let text = string(browser.js_async(
                "var done = arguments[arguments.length - 1]; \
                 navigator.clipboard.readText().then(done, function (e) { done('ERROR ' + e); });",
                vec![],
            ));
            browser.js(
                "document.querySelector('.copy-button').textContent = 'Copy';",
                vec![],
            );
            text
        };
        assert_eq!(
            copy("a copy"),
            "fn main() {}\n",
            "{mode:?}: visible code only"
        );
        // The toggle is a button: focus it and press Enter.
        browser.js("document.querySelector('.boring-toggle').focus();", vec![]);
        browser.press(ENTER, 1);
        assert_eq!(browser.js(shown, vec![]), json!(true), "{mode:?}");
        assert_eq!(
            browser.js(
                "return document.querySelector('.boring-toggle').getAttribute('aria-pressed');",
                vec![]
            ),
            json!("true")
        );
        assert_eq!(
            copy("a second copy"),
            "use std::fs;\nfn main() {}\n",
            "{mode:?}: shown lines are copied"
        );
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?}: {problems:#?}");
    }
}

/// A small mdBook book using `[output.html]`'s redirect, fold and math.
fn mdbook_keys_site(mode: Mode) -> Site {
    let tmp = tempfile::tempdir().expect("a scratch directory");
    let book = tmp.path().join("book");
    let write = |rel: &str, text: &str| {
        let path = book.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "book.toml",
        "[book]\ntitle = \"Keys\"\n\n[output.html]\nmathjax-support = true\n\
         fold = { enable = true, level = 0 }\n\n[output.html.redirect]\n\"old.html\" = \"one/deep.html\"\n",
    );
    write(
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n  - [Deep](one/deep.md)\n    - [Deeper](one/deeper.md)\n- [Two](two.md)\n",
    );
    write("src/one/deeper.md", "# Deeper\n\nDeeper page.\n");
    write(
        "src/one.md",
        "# One\n\nInline \\\\( \\frac{a}{b} \\\\) and a block:\n\n\\\\[ \\sum_{i=0}^{n} x_i \\\\]\n",
    );
    write("src/one/deep.md", "# Deep\n\nDeep page.\n");
    write("src/two.md", "# Two\n\nSecond page.\n");
    Site::of(tmp, book, mode)
}

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn mdbook_redirect_fold_and_math_work_in_the_browser() {
    for mode in BOTH {
        let site = mdbook_keys_site(mode);
        let browser = Browser::start();
        // The redirect page sends the reader on, with no script.
        browser.goto(&site.url("old.html"));
        browser.wait_until(
            "return location.href.endsWith('/one/deep.html') && !!document.querySelector('#sidebar ol');",
            WAIT,
            "the redirect to one/deep.html",
        );
        // The sidebar's parts: the current page's is open, another loads
        // and opens on click. Inside a part, fold level 0 closes every
        // nested list except the one holding the current page.
        let part = "var b = document.querySelector('#sidebar .toc-toggle'); if (!b) return null; \
                    var ol = b.parentNode.querySelector('ol'); \
                    return [b.getAttribute('aria-expanded'), !ol || ol.hidden];";
        let fold = "var b = document.querySelector('#sidebar .fold-toggle'); \
                    return b ? [b.getAttribute('aria-expanded'), b.nextElementSibling.hidden] : null;";
        assert_eq!(browser.js(part, vec![]), json!(["true", false]), "{mode:?}");
        assert_eq!(browser.js(fold, vec![]), json!(["true", false]), "{mode:?}");
        open(&browser, &site, "two.html");
        assert_eq!(browser.js(part, vec![]), json!(["false", true]), "{mode:?}");
        browser.click(&browser.find("#sidebar .toc-toggle"));
        browser.wait_until(
            "var b = document.querySelector('#sidebar .fold-toggle'); \
             return !!b && b.getAttribute('aria-expanded') === 'false';",
            WAIT,
            "the part's pages, folded below level 0",
        );
        assert_eq!(browser.js(part, vec![]), json!(["true", false]), "{mode:?}");
        assert_eq!(browser.js(fold, vec![]), json!(["false", true]), "{mode:?}");
        browser.click(&browser.find("#sidebar .fold-toggle"));
        assert_eq!(browser.js(fold, vec![]), json!(["true", false]), "{mode:?}");
        // MathML is laid out by the browser itself: the fraction is taller
        // than a line of text, and the block formula is on its own line.
        open(&browser, &site, "one.html");
        let sizes = browser.js(
            "var m = document.querySelectorAll('article math'); \
             var p = document.querySelector('article p'); \
             return [m.length, m[0].getBoundingClientRect().height > 0, \
                     m[1].getAttribute('display'), \
                     m[1].getBoundingClientRect().width > 0, \
                     !!document.querySelector('article mfrac')];",
            vec![],
        );
        assert_eq!(sizes, json!([2, true, "block", true, true]), "{mode:?}");
        let problems = page_problems(&browser, &site);
        assert!(problems.is_empty(), "{mode:?}: {problems:?}");
    }
}

/// Layout problems on the open page, found by geometry: each a line.
const GEOMETRY: &str = r#"
var out = [];
function rect(e) { return e.getBoundingClientRect(); }
var seen = {};
document.querySelectorAll('#sidebar a').forEach(function (a) {
  var t = a.textContent.replace(/^[0-9.]+\s*/, '').trim();
  if (seen[t]) out.push('the sidebar lists "' + t + '" twice');
  seen[t] = true;
});
var h1 = document.querySelector('main h1');
if (h1 && !h1.querySelector('a.heading-anchor')) out.push('the title has no # anchor');
document.querySelectorAll('.code-wrap').forEach(function (w) {
  var button = w.querySelector('.copy-button'), pre = w.querySelector('pre');
  if (!button || !pre || button.offsetParent === null) return;
  var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  var node = walker.nextNode();
  while (node && !node.textContent.trim()) node = walker.nextNode();
  if (!node) return;
  var range = document.createRange();
  range.setStart(node, 0); range.setEnd(node, 1);
  var line = range.getClientRects()[0], b = rect(button);
  if (line && b.top < line.bottom && line.top < b.bottom)
    out.push('the Copy button (' + b.top + '..' + b.bottom + ') covers the first line of code (' + line.top + '..' + line.bottom + ')');
});
document.querySelectorAll('.phase ul.tags').forEach(function (ul) {
  var next = ul.nextElementSibling;
  if (!next) return;
  var gap = rect(next).top - rect(ul).bottom;
  if (gap < 6) out.push('the Outputs chips are ' + gap + 'px from "' + next.textContent.trim() + '"');
});
var search = document.querySelector('#search');
if (search && search.offsetParent !== null) {
  // The placeholder's text as the value: the input's own font and box.
  search.value = search.placeholder;
  var need = search.scrollWidth, room = search.clientWidth;
  search.value = '';
  if (need > room) out.push('the search placeholder needs ' + need + 'px and has ' + room + 'px');
}
document.querySelectorAll('.settings th code').forEach(function (code) {
  var text = code.textContent, walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  var prevTop = null, prevChar = '', node;
  while ((node = walker.nextNode())) {
    for (var i = 0; i < node.length; i++) {
      var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
      var box = r.getClientRects()[0];
      if (!box) continue;
      if (prevTop !== null && box.top > prevTop + 2 && '_.'.indexOf(prevChar) < 0)
        out.push('setting ' + text + ' breaks after "' + prevChar + '"');
      prevTop = box.top; prevChar = node.textContent[i];
    }
  }
});
document.querySelectorAll('svg.chart').forEach(function (svg, n) {
  var name = 'chart ' + (n + 1);
  function box(e) { var b = e.getBBox(); return {left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height}; }
  function meet(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  var lineRight = 0;
  svg.querySelectorAll('polyline').forEach(function (l) { lineRight = Math.max(lineRight, box(l).right); });
  svg.querySelectorAll('.chart-target-label').forEach(function (t) {
    if (box(t).left < lineRight) out.push(name + ': a line runs through "' + t.textContent + '"');
  });
  var ticks = Array.prototype.slice.call(svg.querySelectorAll('.chart-tick'));
  svg.querySelectorAll('.chart-label').forEach(function (l) {
    var lb = box(l); lb.top -= 4; lb.bottom += 4;
    ticks.forEach(function (t) { if (meet(lb, box(t))) out.push(name + ': "' + l.textContent + '" crowds "' + t.textContent + '"'); });
  });
  var rows = svg.querySelectorAll('.chart-label').length, ys = svg.querySelectorAll('.chart-y').length;
  if (ys < 3 * rows) out.push(name + ': ' + ys + ' value ticks for ' + rows + ' rows');
  var xs = Array.prototype.map.call(svg.querySelectorAll('.chart-x'), function (t) { return t.textContent; });
  if (xs.length < 3 || !xs.every(function (d) { return /^\d{4}-\d{2}-\d{2}$/.test(d); }))
    out.push(name + ': time axis labels ' + JSON.stringify(xs));
});
return {problems: out, title_left: h1 ? Math.round(rect(h1).left) : null};
"#;

/// The pages whose title should start where every other page's does.
const SAME_TITLE_X: &[&str] = &[
    "home",
    "cli-baseline",
    "policy",
    "profiles",
    "rollout",
    "metrics",
    "diagnostics",
    "templates",
];

#[test]
#[ignore = "needs Chromium and chromedriver (installed by .ci/run)"]
fn layout_holds_at_390_and_1280_px_in_both_themes() {
    let site = Site::bundled(Mode::Served);
    let browser = Browser::start();
    let shots = screenshots_dir();
    let mut problems = Vec::new();
    for width in [390, 1280] {
        browser.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
        for theme in ["light", "dark"] {
            open(&browser, &site, "index.html");
            set_theme(&browser, theme);
            let mut title_x: Vec<(&str, i64)> = Vec::new();
            for (name, path) in PAGE_TYPES {
                open(&browser, &site, path);
                std::fs::write(
                    shots.join(format!("{name}-{width}-{theme}.png")),
                    browser.screenshot(),
                )
                .expect("a screenshot");
                let found = browser.js(GEOMETRY, vec![]);
                for p in found["problems"].as_array().into_iter().flatten() {
                    // A "not found" title is not a section anyone links to.
                    if *name == "404" && string(p.clone()).contains("# anchor") {
                        continue;
                    }
                    problems.push(format!(
                        "{path} at {width}px ({theme}): {}",
                        string(p.clone())
                    ));
                }
                if *name == "metrics" {
                    let chart = browser.find("svg.chart");
                    std::fs::write(
                        shots.join(format!("metrics-chart-{width}-{theme}.png")),
                        browser.element_screenshot(&chart),
                    )
                    .expect("a screenshot");
                }
                if let (true, Some(x)) = (SAME_TITLE_X.contains(name), found["title_left"].as_i64())
                {
                    title_x.push((name, x));
                }
            }
            let first = title_x.first().map(|t| t.1);
            if title_x.iter().any(|t| Some(t.1) != first) {
                problems.push(format!(
                    "titles start at different x at {width}px: {title_x:?}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
