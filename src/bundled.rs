//! The bundled Codex rollout handbook (`book.toml` + `content/`), embedded in
//! the binary so `govbook init` works without a source checkout, and the
//! default theme.

use include_dir::{Dir, DirEntry, include_dir};

static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
static BOOK_TOML: &str = include_str!("../book.toml");

/// The default theme, embedded (the site's templates, stylesheet and
/// scripts).
pub static THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The default theme's files (path inside the theme, bytes), sorted.
pub fn theme_files() -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    collect(&THEME, "", &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every bundled file as (path relative to the book root, bytes), sorted.
pub fn files() -> Vec<(String, &'static [u8])> {
    let mut out = vec![("book.toml".to_owned(), BOOK_TOML.as_bytes())];
    collect(&CONTENT, "content/", &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn collect(dir: &'static Dir<'static>, prefix: &str, out: &mut Vec<(String, &'static [u8])>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, prefix, out),
            DirEntry::File(f) => {
                let rel = f.path().to_string_lossy().replace('\\', "/");
                out.push((format!("{prefix}{rel}"), f.contents()));
            }
        }
    }
}
