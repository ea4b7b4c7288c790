//! The sandbox for templates a book brings (artifact templates, theme
//! overrides): what they render must follow from the sources alone, and no
//! template may make a build run away.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tera::{Tera, Value};

/// The most numbers one `range` call yields.
pub const MAX_RANGE: usize = 10_000;
/// The most numbers all `range` calls of one build yield together: nested
/// loops over ranges are what turns a small template into a large output.
pub const RANGE_BUDGET: usize = 1_000_000;
/// The largest text one template may render.
pub const MAX_OUTPUT: usize = 4 << 20;

/// Removes what reads the build machine (`get_env`), the clock (`now`) or
/// chance (`get_random`), and bounds `range`.
pub fn apply(tera: &mut Tera) {
    for name in ["get_env", "now", "get_random"] {
        tera.register_function(name, move |_: &HashMap<String, Value>| {
            Err(tera::Error::msg(format!(
                "`{name}()` is not available in govbook templates: what they render must \
                 follow from the book's sources alone"
            )))
        });
    }
    let budget = Arc::new(AtomicUsize::new(RANGE_BUDGET));
    tera.register_function("range", move |args: &HashMap<String, Value>| {
        range(args, &budget)
    });
}

/// Tera's `range(start=0, end, step_by=1)`, refusing a zero step (an
/// endless loop in Tera's own) and more numbers than the limits allow.
fn range(args: &HashMap<String, Value>, budget: &AtomicUsize) -> tera::Result<Value> {
    let arg = |name: &str, default: Option<u64>| -> tera::Result<u64> {
        match args.get(name) {
            Some(v) => v.as_u64().ok_or_else(|| {
                tera::Error::msg(format!(
                    "`range` takes a whole number for `{name}`, not {v}"
                ))
            }),
            None => default.ok_or_else(|| tera::Error::msg(format!("`range` needs `{name}`"))),
        }
    };
    let (start, end, step) = (
        arg("start", Some(0))?,
        arg("end", None)?,
        arg("step_by", Some(1))?,
    );
    if step == 0 {
        return Err(tera::Error::msg("`range` needs a `step_by` above 0"));
    }
    if start > end {
        return Err(tera::Error::msg(
            "`range` was given a `start` above its `end`",
        ));
    }
    let count = usize::try_from((end - start).div_ceil(step)).unwrap_or(usize::MAX);
    if count > MAX_RANGE {
        return Err(tera::Error::msg(format!(
            "`range` would yield {count} numbers; govbook templates may take at most {MAX_RANGE}"
        )));
    }
    let left = budget.fetch_sub(count.min(budget.load(Ordering::Relaxed)), Ordering::Relaxed);
    if left < count {
        return Err(tera::Error::msg(format!(
            "the templates' ranges yield more than {RANGE_BUDGET} numbers in all (nested loops?)"
        )));
    }
    let numbers: Vec<Value> = (start..end)
        .step_by(usize::try_from(step).unwrap_or(usize::MAX))
        .map(Value::from)
        .collect();
    Ok(Value::Array(numbers))
}

/// Refuses a rendered text over [`MAX_OUTPUT`].
pub fn bounded(text: String) -> Result<String, String> {
    if text.len() > MAX_OUTPUT {
        Err(format!(
            "it renders {} MiB; a template may render at most {} MiB",
            text.len() >> 20,
            MAX_OUTPUT >> 20
        ))
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(src: &str) -> Result<String, String> {
        let mut tera = Tera::default();
        apply(&mut tera);
        tera.add_raw_template("t", src).map_err(|e| e.to_string())?;
        tera.render("t", &tera::Context::new())
            .map_err(|e| crate::diag::error_chain(&e))
    }

    #[test]
    fn environment_clock_and_chance_are_refused() {
        for t in [
            r#"{{ get_env(name="PATH") }}"#,
            r#"{{ get_env(name="PATH", default="x") }}"#,
            "{{ now() }}",
            "{{ get_random(end=10) }}",
        ] {
            let e = render(t).unwrap_err();
            assert!(e.contains("not available in govbook templates"), "{t}: {e}");
        }
    }

    #[test]
    fn ranges_are_bounded() {
        assert_eq!(
            render("{% for i in range(start=1, end=7, step_by=2) %}{{ i }}{% endfor %}").unwrap(),
            "135"
        );
        assert!(
            render("{{ range(end=20000000) | length }}")
                .unwrap_err()
                .contains("at most")
        );
        assert!(
            render("{{ range(end=5, step_by=0) }}")
                .unwrap_err()
                .contains("above 0")
        );
        let nested = "{% for i in range(end=10000) %}{% for j in range(end=10000) %}{% endfor %}{% endfor %}";
        assert!(render(nested).unwrap_err().contains("in all"));
    }
}
