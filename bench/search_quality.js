#!/usr/bin/env node
/* Compares the ranking of govbook's search with mdBook's on the same
   benchmark book, for the queries the benchmark targets: page titles and
   section headings. Both engines run as the browser runs them: govbook's
   assets/search.js over its searchindex.js, and mdBook's elasticlunr over
   its searchindex with the search options mdBook writes into it.

   For a sample of pages (every STEP-th), two kinds of query:
   - title: the page's first heading ("Page 12: model template"); the
     answer is that page. Reported: share found first, share in the top
     10, mean reciprocal rank.
   - heading: the text of a section heading that several pages share
     ("Rules for audit"); the answers are those sections. Reported: the
     share of the top 10 that are answers, out of at most 10 possible.

   usage: node bench/search_quality.js GOVBOOK_OUT MDBOOK_OUT [SAMPLES]
   prints one JSON object: {govbook: {...}, mdbook: {...}, queries: {...}} */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [govOut, mdOut, samplesArg] = process.argv.slice(2);
if (!govOut || !mdOut) {
  console.error("usage: search_quality.js GOVBOOK_OUT MDBOOK_OUT [SAMPLES]");
  process.exit(2);
}
const SAMPLES = Number(samplesArg || 200);
const TOP = 10;

function run(ctx, file) {
  vm.runInContext(fs.readFileSync(file, "utf8"), ctx, { filename: file });
}

// govbook: the index as data, the theme's own ranking over it.
const gov = { window: {} };
vm.createContext(gov);
run(gov, path.join(govOut, "searchindex.js"));
run(gov, path.join(govOut, "assets", "search.js"));
const govSearch = gov.window.govbookSearch;
const govDocs = gov.window.GOVBOOK_SEARCH.docs; // [url, page, heading, text]

// mdBook: elasticlunr with the options mdBook ships (OR, expand, boosts).
const md = { window: { search: {} } };
vm.createContext(md);
const named = (prefix) => fs.readdirSync(mdOut).find((f) => f.startsWith(prefix) && f.endsWith(".js"));
run(md, path.join(mdOut, named("searchindex")));
run(md, path.join(mdOut, named("elasticlunr")));
const mdConfig = md.window.search;
const mdIndex = md.elasticlunr.Index.load(mdConfig.index);
const mdSearch = (q) =>
  mdIndex.search(q, mdConfig.search_options).map((r) => mdConfig.doc_urls[r.ref]);

const pageOf = (url) => url.split("#")[0];

// Queries from govbook's index entries (the same pages and headings are in
// both books): page headings of /pNNNNN.html pages, and every section
// heading, grouped by text.
const pages = [];
const sectionsByHeading = new Map();
for (const [url, , heading] of govDocs) {
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
  const n = titleQueries.length;
  const share = (x) => (n ? x / n : null);
  return {
    title_first: share(first),
    title_top10: share(top),
    title_mrr: share(rr),
    heading_precision10: headingQueries.length ? precision / headingQueries.length : null,
  };
}

console.log(
  JSON.stringify({
    govbook: measure(govSearch),
    mdbook: measure(mdSearch),
    queries: { title: titleQueries.length, heading: headingQueries.length },
  })
);
