//! The offline full-text search index, split into small scripts under
//! `search/` that `search.js` loads on demand (as `<script>` elements, so
//! search works from `file://` and under `serve`):
//!
//! - `search/meta.js`: the number of sections, the shard keys, and where
//!   each page's sections start;
//! - `search/t-KEY.js`: every word whose first two letters are KEY, with the
//!   sections that have it in their heading, the pages that have it in
//!   their title, and the sections that have it in their text;
//! - `search/d-N.js`: what a result shows (URL, titles, heading, the start
//!   of the text) for sections `N*CHUNK ..`.
//!
//! A query loads the meta, one shard per word and the chunks of the results
//! shown; nothing else. Every word of every page is indexed.

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

/// Sections per `d-N.js` chunk: ten results cost at most ten small files.
pub(super) const CHUNK: usize = 32;

/// Characters of a section's text a result shows.
const EXCERPT: usize = 64;

/// One searchable section of a page.
#[derive(Debug, Clone, Default)]
pub(super) struct Section {
    /// `#anchor` of its heading, or empty for the page's opening text.
    pub anchor: String,
    /// The heading's text; empty for the opening text.
    pub heading: String,
    /// The start of the text, shown under the result.
    pub excerpt: String,
}

/// What the index keeps of one page: its sections and its words, in two
/// allocations for the words (10,000 pages keep theirs until the index is
/// written).
#[derive(Debug, Clone, Default)]
pub(super) struct PageIndex {
    /// Page URL, relative to the site root.
    pub url: String,
    /// Page title.
    pub title: String,
    pub sections: Vec<Section>,
    /// The page's distinct words, in the order first seen, each ended by
    /// `\n`; the title's words are marked by a leading `\t` and come first.
    words: String,
    /// For each word of `words` in order: the number of its sections, then
    /// each section as `section << 1 | in_heading`, as LEB128 varints
    /// (nearly all one byte: 10,000 pages keep these until the index is
    /// written). Title words have none.
    postings: Vec<u8>,
}

impl PageIndex {
    /// The title's words.
    pub(super) fn title_terms(&self) -> impl Iterator<Item = &str> {
        self.words
            .split_terminator('\n')
            .filter_map(|w| w.strip_prefix('\t'))
    }

    /// Each word of the text and headings with its sections.
    pub(super) fn terms(&self) -> impl Iterator<Item = (&str, Varints<'_>)> {
        let mut rest = Varints(&self.postings);
        self.words
            .split_terminator('\n')
            .filter(|w| !w.starts_with('\t'))
            .map(move |w| {
                let n = rest.next().unwrap_or(0) as usize;
                let all = rest.0;
                // This word's postings: n varints, each ended by a byte < 0x80.
                let (mut len, mut left) = (0, n);
                while left > 0 && len < all.len() {
                    if all[len] < 0x80 {
                        left -= 1;
                    }
                    len += 1;
                }
                rest = Varints(&all[len..]);
                (w, Varints(&all[..len]))
            })
    }
}

/// Appends `v` as a LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The values of a run of LEB128 varints.
pub(super) struct Varints<'a>(&'a [u8]);

impl Iterator for Varints<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let mut v = 0u32;
        for (i, &b) in self.0.iter().enumerate().take(5) {
            v |= u32::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                self.0 = &self.0[i + 1..];
                return Some(v);
            }
        }
        self.0 = &[];
        None
    }
}

/// Splits lowercase text into words of letters, digits and `_`, as
/// `search.js` does (`/[^\p{L}\p{N}_]+/u` after `toLowerCase`).
pub(super) fn words(lower: &str) -> impl Iterator<Item = &str> {
    // Bytes for ASCII, chars only past it: every page's every word is split.
    let is_word = |i: usize| -> (bool, usize) {
        match lower.as_bytes()[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric() || b == b'_', 1),
            _ => lower[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8())),
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < lower.len() {
            let (word, n) = is_word(i);
            if word {
                break;
            }
            i += n;
        }
        let start = i;
        while i < lower.len() {
            let (word, n) = is_word(i);
            if !word {
                break;
            }
            i += n;
        }
        (i > start).then(|| &lower[start..i])
    })
}

/// Builds a page's index entry from its sections: `(anchor, heading,
/// text)`, the page's opening text first.
pub(super) fn page(url: &str, title: &str, sections: &[(String, String, String)]) -> PageIndex {
    // Each distinct word gets a number on first sight, and each mention a
    // (word, posting) pair: no list per word, and one pass to sort them out.
    let mut ids: Words<'_, u32> = Words::default();
    let mut vocab: Vec<&str> = Vec::new();
    let mut last: Vec<usize> = Vec::new();
    let mut mentions: Vec<(u32, u32)> = Vec::new();
    let lowered: Vec<(String, String)> = sections
        .iter()
        .map(|(_, h, t)| (h.to_lowercase(), t.to_lowercase()))
        .collect();
    for (i, (heading, text)) in lowered.iter().enumerate() {
        let i = i as u32;
        let heading = words(heading).map(|w| (w, i << 1 | 1));
        for (w, posting) in heading.chain(words(text).map(|w| (w, i << 1))) {
            let id = *ids.entry(w).or_insert_with(|| {
                vocab.push(w);
                last.push(usize::MAX);
                (vocab.len() - 1) as u32
            });
            // Once per section; a heading mention wins over the text's.
            let at = last[id as usize];
            match mentions.get_mut(at) {
                Some(m) if m.1 >> 1 == posting >> 1 => m.1 |= posting & 1,
                _ => {
                    last[id as usize] = mentions.len();
                    mentions.push((id, posting));
                }
            }
        }
    }
    // Each word's count and postings together, in word order.
    let mut count = vec![0u32; vocab.len()];
    for &(id, _) in &mentions {
        count[id as usize] += 1;
    }
    let mut start = vec![0usize; vocab.len()];
    let mut at = 0;
    for (id, n) in count.iter().enumerate() {
        start[id] = at + 1;
        at += 1 + *n as usize;
    }
    let mut grouped = vec![0u32; at];
    for (id, n) in count.iter().enumerate() {
        grouped[start[id] - 1] = *n;
    }
    for &(id, posting) in &mentions {
        let s = &mut start[id as usize];
        grouped[*s] = posting;
        *s += 1;
    }
    let mut postings = Vec::with_capacity(grouped.len() + grouped.len() / 8);
    for v in grouped {
        put_varint(&mut postings, v);
    }
    let title_lower = title.to_lowercase();
    let mut title_terms: Vec<&str> = words(&title_lower).collect();
    title_terms.sort_unstable();
    title_terms.dedup();
    let mut index = PageIndex {
        url: url.to_owned(),
        title: title.to_owned(),
        sections: sections
            .iter()
            .map(|(anchor, heading, text)| Section {
                anchor: anchor.clone(),
                heading: heading.clone(),
                excerpt: excerpt(text),
            })
            .collect(),
        words: String::with_capacity(title_terms.iter().chain(&vocab).map(|w| w.len() + 2).sum()),
        postings,
    };
    for w in title_terms {
        index.words.push('\t');
        index.words.push_str(w);
        index.words.push('\n');
    }
    for w in vocab {
        index.words.push_str(w);
        index.words.push('\n');
    }
    index
}

/// A fast hasher for short words (the index hashes millions of them;
/// SipHash's resistance to chosen keys buys nothing for a build's own words).
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        // FxHash's mixing, eight bytes at a time.
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write(&[i]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Words<'a, V> = HashMap<&'a str, V, std::hash::BuildHasherDefault<WordHasher>>;

/// The start of `text` with white space folded, cut at a word boundary.
fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > EXCERPT {
            if out.is_empty() {
                out.extend(word.chars().take(EXCERPT));
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A shard key as a file name part: ASCII lowercase letters, digits and
/// `_` as they are, anything else as `x` and the UTF-8 bytes in hex
/// (`search.js` does the same).
pub(super) fn file_key(key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        key.to_owned()
    } else {
        let mut hex = String::from("x");
        for b in key.bytes() {
            let _ = write!(hex, "{b:02x}");
        }
        hex
    }
}

/// Estimated bytes of a shard above which it is split by one more letter.
const SHARD_BYTES: usize = 40_000;

/// The longest shard key: a run of words this alike stays in one shard.
const MAX_KEY: usize = 16;

/// Splits sorted words into shards: each word goes to the shard of its
/// first character, and a shard estimated above [`SHARD_BYTES`] is
/// split again by the next character. A word is in the shard with the
/// longest key it starts with.
fn shards(terms: &[(&str, Postings)], len: usize, out: &mut Vec<(String, std::ops::Range<usize>)>) {
    let key_of = |w: &str| -> String { w.chars().take(len).collect() };
    let mut start = 0;
    while start < terms.len() {
        let key = key_of(terms[start].0);
        let mut end = start + 1;
        while end < terms.len() && key_of(terms[end].0) == key {
            end += 1;
        }
        let bytes: usize = terms[start..end]
            .iter()
            .map(|(w, p)| w.len() + 12 + (p.heading.len() + p.title.len() + p.body.len()) * 3 / 2)
            .sum();
        let key_len = key.chars().count();
        if bytes > SHARD_BYTES && key_len == len && len < MAX_KEY && end - start > 1 {
            // The word equal to the key, if any, keeps the key.
            let mut from = start;
            if terms[start].0.chars().count() == len {
                out.push((key, start..start + 1));
                from += 1;
            }
            let mut inner = Vec::new();
            shards(&terms[from..end], len + 1, &mut inner);
            out.extend(
                inner
                    .into_iter()
                    .map(|(k, r)| (k, r.start + from..r.end + from)),
            );
        } else {
            out.push((key, start..end));
        }
        start = end;
    }
}

/// The postings of one word across the book.
#[derive(Default)]
struct Postings {
    /// Sections with the word in their heading.
    heading: Vec<u32>,
    /// Pages with the word in their title.
    title: Vec<u32>,
    /// Sections with the word in their text but not their heading.
    body: Vec<u32>,
}

/// Every file of the index, path (from the site root) and contents.
pub(super) fn files(pages: &[&PageIndex]) -> Vec<(String, String)> {
    let out = std::sync::Mutex::new(Vec::new());
    let _ = each_file(pages, &|path, text| {
        out.lock()
            .map_err(|_| ())?
            .push((path.to_owned(), text.to_owned()));
        Ok::<(), ()>(())
    });
    let mut out = out.into_inner().unwrap_or_default();
    out.sort_unstable();
    out
}

/// Hands each file of the index to `put` as it is made, in parallel (at
/// 10,000 pages the files are megabytes: none waits for the others).
pub(super) fn each_file<E: Send>(
    pages: &[&PageIndex],
    put: &(dyn Fn(&str, &str) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let mut first = Vec::with_capacity(pages.len());
    let mut docs = 0u32;
    for p in pages {
        first.push(docs);
        docs += p.sections.len() as u32;
    }
    let terms = merge(pages, &first);
    let mut keys = Vec::new();
    shards(&terms, 1, &mut keys);
    keys.par_iter().try_for_each(|(key, range)| {
        let mut obj = String::from("{");
        for (i, (word, p)) in terms[range.clone()].iter().enumerate() {
            if i > 0 {
                obj.push(',');
            }
            obj.push_str(&json(word));
            obj.push_str(":[\"");
            deltas(&mut obj, &p.heading);
            obj.push_str("\",\"");
            deltas(&mut obj, &p.title);
            obj.push_str("\",\"");
            deltas(&mut obj, &p.body);
            obj.push_str("\"]");
        }
        obj.push('}');
        let name = format!("search/t-{}", file_key(key));
        put(&format!("{name}.js"), &data_script(&name, &obj))
    })?;
    doc_chunks(pages, put)?;
    let mut starts = String::new();
    deltas(&mut starts, &first);
    let meta = Meta {
        docs,
        chunk: CHUNK,
        keys: keys.iter().map(|(k, _)| k.as_str()).collect(),
        pages: starts,
    };
    let meta = serde_json::to_string(&meta).unwrap_or_else(|_| "{}".into());
    put("search/meta.js", &data_script("search/meta", &meta))
}

#[derive(Serialize)]
struct Meta<'a> {
    /// Sections in all.
    #[serde(rename = "n")]
    docs: u32,
    /// Sections per chunk.
    #[serde(rename = "c")]
    chunk: usize,
    /// The shard keys, sorted.
    #[serde(rename = "k")]
    keys: Vec<&'a str>,
    /// Each page's first section, delta-coded.
    #[serde(rename = "p")]
    pages: String,
}

/// Every word's postings, with section numbers across the book, sorted by
/// word. Pages are merged in parallel runs, kept in page order.
fn merge<'a>(pages: &[&'a PageIndex], first: &[u32]) -> Vec<(&'a str, Postings)> {
    // Runs of pages are read in parallel into maps split by word, and each
    // split is merged on its own: every posting is copied once (a pairwise
    // reduce copied the long lists at every level).
    const SPLITS: usize = 16;
    let split_of = |w: &str| {
        let b = w.as_bytes();
        (b[0] as usize * 31 + b[b.len() - 1] as usize + b.len()) % SPLITS
    };
    let indexed: Vec<(usize, &&PageIndex)> = pages.iter().enumerate().collect();
    // Two runs per thread: enough to share the work, few maps to merge.
    let run = pages
        .len()
        .div_ceil(2 * rayon::current_num_threads())
        .max(64);
    let runs: Vec<Vec<Words<'a, Postings>>> = indexed
        .par_chunks(run)
        .map(|run| {
            let mut maps: Vec<Words<'a, Postings>> =
                (0..SPLITS).map(|_| Words::default()).collect();
            for &(pi, page) in run {
                let base = first[pi];
                for (word, list) in page.terms() {
                    let p = maps[split_of(word)].entry(word).or_default();
                    for x in list {
                        if x & 1 == 1 {
                            p.heading.push(base + (x >> 1));
                        } else {
                            p.body.push(base + (x >> 1));
                        }
                    }
                }
                for word in page.title_terms() {
                    maps[split_of(word)]
                        .entry(word)
                        .or_default()
                        .title
                        .push(pi as u32);
                }
            }
            maps
        })
        .collect();
    let mut splits: Vec<Vec<Words<'a, Postings>>> = (0..SPLITS)
        .map(|_| Vec::with_capacity(runs.len()))
        .collect();
    for run in runs {
        for (i, map) in run.into_iter().enumerate() {
            splits[i].push(map);
        }
    }
    let mut terms: Vec<(&str, Postings)> = splits
        .into_par_iter()
        .flat_map_iter(|maps| {
            // In page order, so each list stays sorted.
            let mut maps = maps.into_iter();
            let mut all = maps.next().unwrap_or_default();
            for map in maps {
                for (word, p) in map {
                    match all.entry(word) {
                        std::collections::hash_map::Entry::Occupied(mut e) => {
                            let q = e.get_mut();
                            q.heading.extend(p.heading);
                            q.title.extend(p.title);
                            q.body.extend(p.body);
                        }
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(p);
                        }
                    }
                }
            }
            all.into_iter()
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    terms
}

/// The `d-N.js` chunks: for each chunk, its pages (`[url, title]`) and its
/// sections (`[page in chunk, anchor, heading, excerpt]`).
fn doc_chunks<E: Send>(
    pages: &[&PageIndex],
    put: &(dyn Fn(&str, &str) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let mut all: Vec<(usize, &Section)> = Vec::new();
    for (pi, p) in pages.iter().enumerate() {
        for s in &p.sections {
            all.push((pi, s));
        }
    }
    all.par_chunks(CHUNK)
        .enumerate()
        .try_for_each(|(n, chunk)| {
            let mut page_list: Vec<(&str, &str)> = Vec::new();
            let mut last = usize::MAX;
            let mut docs = Vec::with_capacity(chunk.len());
            for &(pi, s) in chunk {
                if pi != last {
                    page_list.push((&pages[pi].url, &pages[pi].title));
                    last = pi;
                }
                docs.push((page_list.len() - 1, &s.anchor, &s.heading, &s.excerpt));
            }
            let body = serde_json::to_string(&(page_list, docs)).unwrap_or_else(|_| "[]".into());
            let name = format!("search/d-{n}");
            put(&format!("{name}.js"), &data_script(&name, &body))
        })
}

/// A data script: the JSON value stored under `key` in
/// `window.GOVBOOK_DATA`, so scripts loaded in any order never clash.
/// Inside a script, `</script>` or `<!--` in a string would change how
/// the page parses it: no `<` at all.
pub(super) fn data_script(key: &str, json: &str) -> String {
    format!(
        "(window.GOVBOOK_DATA||(window.GOVBOOK_DATA={{}}))[\"{key}\"]={};\n",
        json.replace('<', "\\u003c")
    )
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The base-64 digits of the varints (`search.js` reads them back).
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends a sorted list as varint gaps: five bits a digit, low first, the
/// sixth bit set while more digits follow.
fn deltas(out: &mut String, list: &[u32]) {
    let mut prev = 0u32;
    for (i, &x) in list.iter().enumerate() {
        let mut gap = if i == 0 { x } else { x - prev };
        prev = x;
        loop {
            let digit = (gap & 31) as usize;
            gap >>= 5;
            if gap == 0 {
                out.push(DIGITS[digit] as char);
                break;
            }
            out.push(DIGITS[digit | 32] as char);
        }
    }
}

/// The text of an HTML fragment: tags dropped, the common entities decoded,
/// for indexing the generated pages.
pub(super) fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        push_decoded(&mut out, &rest[..at]);
        out.push(' ');
        rest = match rest[at..].find('>') {
            Some(end) => &rest[at + end + 1..],
            None => "",
        };
    }
    push_decoded(&mut out, rest);
    out
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (ch, len) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#x27;", '\''),
            ("&nbsp;", ' '),
        ]
        .iter()
        .find(|(e, _)| tail.starts_with(e))
        .map_or(('&', 1), |(e, c)| (*c, e.len()));
        out.push(ch);
        rest = &tail[len..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        list.iter()
            .map(|(a, h, t)| (a.to_string(), h.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn every_word_is_indexed_with_its_field() {
        let p = page(
            "a.html",
            "Alpha Guide",
            &sections(&[
                ("", "", "intro words"),
                (
                    "#b",
                    "Rules for audit",
                    "the allocator is here; audit again",
                ),
            ]),
        );
        let find = |w: &str| {
            p.terms()
                .find(|(t, _)| *t == w)
                .map(|(_, l)| l.collect::<Vec<_>>())
        };
        assert_eq!(find("allocator"), Some(vec![2]));
        assert_eq!(find("audit"), Some(vec![3]), "the heading mention wins");
        assert_eq!(find("intro"), Some(vec![0]));
        assert_eq!(p.title_terms().collect::<Vec<_>>(), vec!["alpha", "guide"]);
    }

    #[test]
    fn varints_round_trip_in_order() {
        let mut s = String::new();
        deltas(&mut s, &[0, 31, 32, 1000, 100_000]);
        // 0; gap 31; gap 1; gap 968 (two digits); gap 99000 (four digits).
        assert_eq!(s.len(), 1 + 1 + 1 + 2 + 4);
        assert!(s.bytes().all(|b| DIGITS.contains(&b)));
    }

    #[test]
    fn shards_hold_words_by_their_first_letter_and_split_when_large() {
        let a = page("a.html", "A", &sections(&[("", "", "policy polish über")]));
        let files = files(&[&a]);
        let p = files.iter().find(|(p, _)| p == "search/t-p.js").unwrap();
        assert!(p.1.contains("\"policy\"") && p.1.contains("\"polish\""));
        assert_eq!(file_key("ü"), "xc3bc");
        assert!(files.iter().any(|(p, _)| p == "search/t-xc3bc.js"));
        let meta = files.iter().find(|(p, _)| p == "search/meta.js").unwrap();
        assert!(meta.1.contains("\"k\":[\"a\",\"p\",\"ü\"]"), "{}", meta.1);
        assert!(files.iter().any(|(p, _)| p == "search/d-0.js"));

        // Many words of one letter: split by the next letters, and the word
        // equal to a key keeps that key.
        let text: String = (0..6000).map(|i| format!("check_{i} ")).collect::<String>() + "check";
        let big = page("b.html", "B", &sections(&[("", "", &text)]));
        let files = super::files(&[&big]);
        let meta = &files.iter().find(|(p, _)| p == "search/meta.js").unwrap().1;
        for key in ["\"check\"", "\"check_1\"", "\"check_9\""] {
            assert!(meta.contains(key), "{key} in {meta}");
        }
        assert!(meta.contains("\"k\":[\"b\",\"check\","), "{meta}");
        let largest = files
            .iter()
            .filter(|(p, _)| p.starts_with("search/t-"))
            .map(|(_, t)| t.len())
            .max();
        assert!(largest.unwrap() < SHARD_BYTES, "{largest:?}");
    }

    #[test]
    fn script_cannot_close_a_script_tag() {
        let s = data_script("k", "[\"</script><!--\"]");
        assert!(!s.contains('<'));
        assert!(s.starts_with("(window.GOVBOOK_DATA||(window.GOVBOOK_DATA={}))[\"k\"]="));
    }

    #[test]
    fn html_text_drops_tags_and_decodes() {
        assert_eq!(
            html_text("<p>a &amp; b</p><td>c&lt;d</td>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            vec!["a", "&", "b", "c<d"]
        );
    }

    #[test]
    fn excerpts_are_short() {
        let e = excerpt(&"word ".repeat(100));
        assert!(e.chars().count() <= EXCERPT);
        assert_eq!(excerpt("  a\n b "), "a b");
    }
}
