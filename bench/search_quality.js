#!/usr/bin/env node
/* Measures govbook's search on the benchmark book, as the browser runs it
   (the theme's assets/search.js over the index scripts under search/),
   against mdBook's elasticlunr on the same book when its output is given.

   For a sample of pages (every STEP-th), three kinds of query:
   - title: the page's first heading ("Page 12: model template"); the
     answer is that page. Reported: share found first, share in the top
     10, mean reciprocal rank.
   - heading: the text of a section heading that several pages share
     ("Rules for audit"); the answers are those sections. Reported: the
     share of the top 10 that are answers, out of at most 10 possible.
   - body word: a word that occurs in the text of exactly one page (read
     from the built pages); the answer is that page. Reported: recall (the
     page is among the results) and share found first. SAMPLES of them, or
     every one when SAMPLES is "all".
   It also reports the index bytes a query loads: the first query of a
   fresh page (the table, its shards and the chunks of ten results), and
   the median and largest over all queries from a fresh page.

   usage: node bench/search_quality.js GOVBOOK_OUT [MDBOOK_OUT|-] [SAMPLES]
   prints one JSON object: {govbook: {...}, mdbook: {...}, queries: {...}, bytes: {...}} */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [govOut, mdArg, samplesArg] = process.argv.slice(2);
if (!govOut) {
  console.error("usage: search_quality.js GOVBOOK_OUT [MDBOOK_OUT|-] [SAMPLES]");
  process.exit(2);
}
const mdOut = mdArg && mdArg !== "-" ? mdArg : null;
const SAMPLES = samplesArg === "all" ? Infinity : Number(samplesArg || 200);
const TOP = 10;
const LIMIT = 1000;

function run(ctx, file) {
  vm.runInContext(fs.readFileSync(file, "utf8"), ctx, { filename: file });
}

// govbook: a fresh context per measured query when bytes are counted; the
// loader reads the data scripts from disk, as the browser would fetch them.
function govContext() {
  const ctx = { window: {}, loaded: 0, files: 0 };
  ctx.window.govbookLoad = (name) => {
    const file = path.join(govOut, name + ".js");
    if (!fs.existsSync(file)) return;
    ctx.loaded += fs.statSync(file).size;
    ctx.files += 1;
    run(ctx, file);
  };
  vm.createContext(ctx);
  run(ctx, path.join(govOut, "assets", "search.js"));
  return ctx;
}
const gov = govContext();
function govSearch(q, limit) {
  let out = null;
  gov.window.govbookSearch(q, limit || LIMIT, (urls) => { out = urls; });
  return out;
}
function bytesOf(q) {
  const ctx = govContext();
  ctx.window.govbookSearch(q, TOP, () => {});
  return ctx.loaded;
}

// Every section, from the index's chunks: [url, page title, heading].
function govDocs() {
  const ctx = govContext();
  ctx.window.govbookLoad("search/meta");
  const meta = ctx.window.GOVBOOK_DATA["search/meta"];
  const out = [];
  for (let c = 0; c * meta.c < meta.n; c++) {
    ctx.window.govbookLoad("search/d-" + c);
    const [pages, docs] = ctx.window.GOVBOOK_DATA["search/d-" + c];
    for (const d of docs) out.push([pages[d[0]][0] + d[1], pages[d[0]][1], d[2]]);
  }
  return out;
}

// mdBook: elasticlunr with the options mdBook ships (OR, expand, boosts).
let mdSearch = null;
if (mdOut) {
  const md = { window: { search: {} } };
  vm.createContext(md);
  const named = (prefix) => fs.readdirSync(mdOut).find((f) => f.startsWith(prefix) && f.endsWith(".js"));
  run(md, path.join(mdOut, named("searchindex")));
  run(md, path.join(mdOut, named("elasticlunr")));
  const mdConfig = md.window.search;
  const mdIndex = md.elasticlunr.Index.load(mdConfig.index);
  mdSearch = (q) =>
    mdIndex.search(q, mdConfig.search_options).map((r) => mdConfig.doc_urls[r.ref]);
}

const pageOf = (url) => url.split("#")[0];

// Queries from govbook's index entries (the same pages and headings are in
// both books): page headings of /pNNNNN.html pages, and every section
// heading, grouped by text.
const pages = [];
const sectionsByHeading = new Map();
for (const [url, , heading] of govDocs()) {
  if (!/\/p\d+\.html#/.test(url)) continue;
  if (/^Page \d+:/.test(heading)) pages.push({ url: pageOf(url), heading });
  else {
    const key = heading.toLowerCase();
    if (!sectionsByHeading.has(key)) sectionsByHeading.set(key, { text: heading, urls: new Set() });
    sectionsByHeading.get(key).urls.add(url);
  }
}
const step = Math.max(1, Math.floor(pages.length / SAMPLES));
const titleQueries = pages.filter((_, i) => i % step === 0).slice(0, SAMPLES);
// Headings shared by 2..(a few hundred) sections; "Configuration" is on
// every page and says nothing about ranking.
const headingQueries = [...sectionsByHeading.values()]
  .filter((h) => h.urls.size >= 2 && h.urls.size < pages.length / 4)
  .sort((a, b) => (a.text < b.text ? -1 : 1));

// Body words: words (with a letter, four characters or more) that occur
// in the text of exactly one page, as a reader sees it: the page's <main>
// without the pager and the owner line.
function bodyWords() {
  const WORD = /[^\p{L}\p{N}_]+/u;
  const byWord = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(govOut, p).replace(/\\/g, "/");
      if (e.isDirectory()) {
        if (!["search", "toc", "assets", "templates"].includes(rel)) walk(p);
        continue;
      }
      if (!e.name.endsWith(".html") || ["print.html", "404.html", "toc.html"].includes(rel)) continue;
      const html = fs.readFileSync(p, "utf8");
      const main = (html.match(/<main[^>]*>([\s\S]*)<\/main>/) || [, ""])[1]
        .replace(/<nav class="pager"[\s\S]*?<\/nav>/, "")
        .replace(/<p class="page-meta">[\s\S]*?<\/p>/, "")
        .replace(/<div class="overdue-banner"[\s\S]*?<\/div>/, "");
      // Inline elements join the text around them ("`panic`king" reads
      // "panicking"); any other tag separates words (a footnote mark too).
      const text = main
        .replace(/<\/?(?:a|code|em|strong|span|b|i|del|s|kbd|mark)(?:\s[^>]*)?>/g, "")
        .replace(/<[^>]*>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      for (const w of new Set(text.toLowerCase().split(WORD))) {
        if (!/^(?=.*\p{L})[\p{L}\p{N}_]{4,}$/u.test(w)) continue;
        const seen = byWord.get(w);
        if (seen === undefined) byWord.set(w, rel);
        else if (seen !== rel) byWord.set(w, null);
      }
    }
  };
  walk(govOut);
  const words = [...byWord].filter(([, page]) => page).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const step = Math.max(1, Math.floor(words.length / SAMPLES));
  return { all: words.length, sample: words.filter((_, i) => i % step === 0).map(([word, url]) => ({ word, url })) };
}
const body = bodyWords();
const bodyQueries = body.sample;

function measure(search) {
  let first = 0;
  let top = 0;
  let rr = 0;
  for (const q of titleQueries) {
    const rank = search(q.heading).findIndex((u) => pageOf(u) === q.url);
    if (rank === 0) first++;
    if (rank >= 0 && rank < TOP) top++;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  let precision = 0;
  for (const h of headingQueries) {
    const got = search(h.text).slice(0, TOP);
    const hits = got.filter((u) => h.urls.has(u)).length;
    precision += hits / Math.min(TOP, h.urls.size);
  }
  let found = 0;
  let bodyFirst = 0;
  for (const q of bodyQueries) {
    const rank = search(q.word).findIndex((u) => pageOf(u) === q.url);
    if (rank >= 0) found++;
    if (rank === 0) bodyFirst++;
  }
  const n = titleQueries.length;
  const share = (x) => (n ? x / n : null);
  const b = bodyQueries.length;
  return {
    title_first: share(first),
    title_top10: share(top),
    title_mrr: share(rr),
    heading_precision10: headingQueries.length ? precision / headingQueries.length : null,
    body_recall: b ? found / b : null,
    body_first: b ? bodyFirst / b : null,
  };
}

// Bytes: the first query of a fresh page for a sample of every kind.
const sample = [
  ...titleQueries.slice(0, 20).map((q) => q.heading),
  ...headingQueries.slice(0, 20).map((h) => h.text),
  ...bodyQueries.slice(0, 20).map((q) => q.word),
];
const bytes = sample.map(bytesOf).sort((a, b) => a - b);
const median = bytes.length ? bytes[Math.floor(bytes.length / 2)] : null;

console.log(
  JSON.stringify({
    govbook: measure((q) => govSearch(q)),
    mdbook: mdSearch ? measure(mdSearch) : null,
    queries: { title: titleQueries.length, heading: headingQueries.length, body: bodyQueries.length, body_words: body.all },
    bytes: { first_query_median: median, first_query_max: bytes.length ? bytes[bytes.length - 1] : null },
  })
);
