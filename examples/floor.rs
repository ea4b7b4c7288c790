//! The floor under a build, for `bench/run.py`: how long it takes to read
//! every Markdown file of a book and write the same bytes out with no
//! processing, and how long pulldown-cmark alone takes to turn them into
//! HTML (no highlighting, no templates, nothing written). Both run on all
//! cores, as govbook does.
//!
//! usage: cargo run --release --example floor -- CONTENT_DIR OUT_DIR

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (Some(src), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: floor CONTENT_DIR OUT_DIR".into());
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();

    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let bytes: usize = files
        .par_iter()
        .map(|f| copy(f, Path::new(&src), Path::new(&out)))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .sum();
    let io = started.elapsed();

    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display())))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    let html: usize = texts
        .par_iter()
        .map(|t| {
            let mut html = String::with_capacity(t.len() * 2);
            let opts = pulldown_cmark::Options::all();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(t, opts));
            html.len()
        })
        .sum();
    let parse = started.elapsed();

    println!("files {}", files.len());
    println!("read+write {:.3} s ({} bytes)", io.as_secs_f64(), bytes);
    println!(
        "pulldown-cmark {:.3} s ({} bytes of HTML)",
        parse.as_secs_f64(),
        html
    );
    Ok(())
}

fn copy(file: &Path, src: &Path, out: &Path) -> Result<usize, String> {
    let rel = file.strip_prefix(src).map_err(|e| e.to_string())?;
    let dest = out.join(rel).with_extension("html");
    let text = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&dest, &text).map_err(|e| format!("{}: {e}", dest.display()))?;
    Ok(text.len())
}
