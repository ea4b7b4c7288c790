//! Per-page cost of each build stage, on one page shaped like the benchmark
//! corpus's (headings, a table, lists, a task list, a quote and three
//! highlighted code blocks), and of a whole build of the bundled handbook.
//! `bench/run.py` measures whole builds against the peers; this shows where
//! a page's time goes when a stage changes.
//!
//! usage: cargo bench --bench stages   (prints the median of each stage)

use std::hint::black_box;
use std::time::{Duration, Instant};

use govbook::config::RawHtml;
use govbook::markdown;

/// One corpus-shaped page, as `gen_corpus.py` writes them.
fn page(i: usize) -> String {
    format!(
        r#"# Page {i}: policy sandbox

Policy profile sandbox approval verification command checklist rollout pilot standardize govern.
Scale baseline upgrade changelog review owner team repository instruction template risk.
See also [page 7](../s000/p00007.md), [page 12](../s000/p00012.md).

## Rules for audit

- **Rule 0.{i}.0**: Incident defect metric quality adoption training runbook plugin.
- **Rule 0.{i}.1**: Marketplace desktop handoff token debug smoke inventory model.

| Setting | Value | Why |
|---|---|---|
| `cloud_0` | 412 | Local workspace network write read access. |
| `audit_1` | 87 | Escalation audit path approver release cadence. |

## Configuration

```toml
[profiles.p{i}]
model = "gpt-5-codex"
approval_policy = "on-request"
sandbox_mode = "workspace-write"
# signal policy profile sandbox approval
```

Read access escalation audit path approver release cadence signal policy profile.

```rust
fn check_{i}(input: &str) -> Result<usize, String> {{
    let n = input.len() * 3;
    if n > 0 {{ Ok(n) }} else {{ Err("empty".to_string()) }}
}}
```

### Verification

```bash
cargo test --workspace -- --test-threads 4
codex --profile p{i} exec 'run the audit checks'
```

- [x] Token debug smoke inventory model cloud local.
- [ ] Workspace network write read access escalation audit.

> Path approver release cadence signal policy profile sandbox approval verification.
"#
    )
}

/// Runs `f` until about `budget` has passed (at least 5 times) and returns
/// the median time of one call.
fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || start.elapsed() < budget {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn report(name: &str, d: Duration) {
    println!("{name:<44} {:>10.1} µs", d.as_secs_f64() * 1e6);
}

fn main() {
    // `cargo test --benches` runs this too: keep that short.
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    let budget = Duration::from_millis(if quick { 10 } else { 1500 });
    let md = page(1234);
    let rust = "fn check(input: &str) -> Result<usize, String> {\n    let n = input.len() * 3;\n    if n > 0 { Ok(n) } else { Err(\"empty\".to_string()) }\n}\n";

    // The syntax set loads on first use; that is a cost per build, not per page.
    let t = Instant::now();
    black_box(markdown::highlight::highlight("x = 1\n", "toml"));
    report("syntax set load (once per build)", t.elapsed());

    report(
        "outline (headings, links) of one page",
        median(budget, || {
            black_box(markdown::outline(black_box(&md), 0));
        }),
    );
    report(
        "render one page (Markdown + highlighting)",
        median(budget, || {
            black_box(markdown::render(black_box(&md), RawHtml::Escape));
        }),
    );
    report(
        "highlight one 4-line rust block",
        median(budget, || {
            black_box(markdown::highlight::highlight(black_box(rust), "rust"));
        }),
    );
    let html = markdown::render(&md, RawHtml::Escape).html;
    report(
        "strip highlighting for the print page",
        median(budget, || {
            black_box(markdown::highlight::strip(black_box(&html)));
        }),
    );

    // A whole build of the bundled handbook into a scratch directory.
    let Ok(tmp) = tempfile::tempdir() else {
        eprintln!("no scratch directory; whole-build stage skipped");
        return;
    };
    let book = tmp.path().join("book");
    for (rel, bytes) in govbook::bundled::files() {
        let path = book.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        if let Err(e) = written {
            eprintln!(
                "cannot write {} ({e}); whole-build stage skipped",
                path.display()
            );
            return;
        }
    }
    let opts = govbook::check::CheckOptions {
        today: govbook::values::Date::parse("2026-11-24").expect("a date"),
        strict: false,
    };
    let mut n = 0;
    report(
        "build the bundled handbook (check + render + write)",
        median(budget, || {
            n += 1;
            let out = tmp.path().join(format!("out-{n}"));
            let built = govbook::pipeline::build(&book, Some(&out), &opts, &|_| None);
            black_box(built.site.is_some());
        }),
    );
}
