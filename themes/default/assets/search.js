/* govbook default theme: offline search.
   Reads window.GOVBOOK_SEARCH from searchindex.js ({docs: [[url, page
   title, heading, text], ...]}, one entry per heading section). The index
   is built on first use, so pages load without the cost. Results are built
   with textContent only: index text is never parsed as HTML. */
(function () {
  "use strict";

  var index = null; // built lazily

  // Lowercase words of letters and digits, in any script.
  var WORD = /[^\p{L}\p{N}_]+/u;
  function tokenize(text) {
    return String(text || "").toLowerCase().split(WORD).filter(Boolean);
  }
  function wordSet(words) {
    var set = Object.create(null);
    words.forEach(function (w) { set[w] = true; });
    return set;
  }

  function build() {
    if (index) return index;
    var data = window.GOVBOOK_SEARCH;
    if (!data || !Array.isArray(data.docs)) return null;
    index = data.docs.map(function (d, i) {
      var page = d[1] || "";
      var heading = d[2] || "";
      var text = d[3] || "";
      return {
        order: i,
        url: d[0] || "",
        page: page,
        heading: heading,
        text: text,
        lower: text.toLowerCase(),
        headingWords: tokenize(heading),
        pageWords: tokenize(page),
        bodyWords: wordSet(tokenize(text))
      };
    });
    return index;
  }

  // Exact word in the heading or page title ranks highest, a prefix of one
  // next, and the body text lowest. Every query word must match somewhere.
  function scoreTerm(entry, term) {
    var best = 0;
    function words(list, exact, prefix) {
      for (var i = 0; i < list.length; i++) {
        if (list[i] === term) { best = Math.max(best, exact); return; }
        if (list[i].lastIndexOf(term, 0) === 0) best = Math.max(best, prefix);
      }
    }
    words(entry.headingWords, 12, 6);
    words(entry.pageWords, 8, 4);
    if (best < 2 && entry.bodyWords[term]) best = 2;
    if (best < 1 && entry.lower.indexOf(term) !== -1) best = 1;
    return best;
  }
  function search(query) {
    var terms = tokenize(query);
    var entries = build();
    if (!terms.length || !entries) return [];
    var phrase = query.trim().toLowerCase();
    var hits = [];
    entries.forEach(function (entry) {
      var total = 0;
      for (var i = 0; i < terms.length; i++) {
        var s = scoreTerm(entry, terms[i]);
        if (!s) return;
        total += s;
      }
      if (terms.length > 1 && entry.heading.toLowerCase().indexOf(phrase) !== -1) total += 6;
      hits.push({ entry: entry, score: total });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.entry.order - b.entry.order; });
    return hits.map(function (h) { return h.entry; });
  }

  // The ranking alone, for tools that measure it (bench/search_quality.js):
  // the URLs of the results, best first.
  window.govbookSearch = function (query) {
    return search(query).map(function (entry) { return entry.url; });
  };

  var doc = window.document;
  if (!doc) return;
  var input = doc.getElementById("search");
  var panel = doc.getElementById("search-panel");
  var list = doc.getElementById("search-results");
  var status = doc.getElementById("search-status");
  if (!input || !panel || !list) return;

  var root = doc.body.getAttribute("data-root") || "";
  var MAX_RESULTS = 10;
  var SNIPPET = 160;
  var shown = []; // result links currently in the list
  var timer = 0;

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Appends `text` to `parent`, with every query word wrapped in <mark>.
  function appendMarked(parent, text, pattern) {
    var parts = pattern ? text.split(pattern) : [text];
    parts.forEach(function (part, i) {
      if (!part) return;
      if (i % 2 === 1) {
        var mark = doc.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else {
        parent.appendChild(doc.createTextNode(part));
      }
    });
  }

  // A short piece of the section text around the first match.
  function snippet(entry, terms) {
    var text = entry.text.replace(/\s+/g, " ").trim();
    var lower = text.toLowerCase();
    var at = -1;
    terms.forEach(function (t) {
      var i = lower.indexOf(t);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    });
    if (at === -1) at = 0;
    var start = Math.max(0, at - SNIPPET / 3);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space !== -1 && space < at ? space + 1 : start;
    }
    var end = Math.min(text.length, start + SNIPPET);
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > at) end = back;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function open() { panel.hidden = false; }
  function close() { panel.hidden = true; }

  function render() {
    var query = input.value;
    var terms = tokenize(query);
    list.textContent = "";
    shown = [];
    if (!terms.length) {
      if (status) status.textContent = "";
      close();
      return;
    }
    if (!build()) {
      if (status) status.textContent = "The search index is not available.";
      open();
      return;
    }
    var results = search(query);
    var pattern = new RegExp("(" + terms.map(escapeRegExp).sort(function (a, b) { return b.length - a.length; }).join("|") + ")", "gi");
    results.slice(0, MAX_RESULTS).forEach(function (entry) {
      var item = doc.createElement("li");
      var link = doc.createElement("a");
      link.href = root + entry.url;
      var title = doc.createElement("span");
      title.className = "result-title";
      appendMarked(title, entry.page || entry.heading, pattern);
      link.appendChild(title);
      if (entry.heading && entry.heading !== entry.page) {
        var heading = doc.createElement("span");
        heading.className = "result-heading";
        appendMarked(heading, entry.heading, pattern);
        link.appendChild(heading);
      }
      var text = snippet(entry, terms);
      if (text) {
        var snip = doc.createElement("span");
        snip.className = "result-snippet";
        appendMarked(snip, text, pattern);
        link.appendChild(snip);
      }
      item.appendChild(link);
      list.appendChild(item);
      shown.push(link);
    });
    if (status) {
      var n = results.length;
      status.textContent = n === 0
        ? "No results for “" + query.trim() + "”"
        : n + (n === 1 ? " result" : " results") + (n > MAX_RESULTS ? ", showing the best " + MAX_RESULTS : "");
    }
    open();
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(render, 120);
  }

  input.addEventListener("focus", function () {
    build(); // the first focus pays for the index, not the page load
    if (input.value.trim()) render();
  });
  input.addEventListener("input", schedule);

  // Keyboard: arrows move focus through the result links; Enter in the box
  // opens the first result; Escape closes and returns to the box.
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      window.clearTimeout(timer);
      if (input.value.trim()) render();
      if (shown.length) { event.preventDefault(); shown[0].focus(); }
    } else if (event.key === "Enter") {
      window.clearTimeout(timer);
      render();
      if (shown.length) { event.preventDefault(); window.location.href = shown[0].href; }
    } else if (event.key === "Escape") {
      if (!panel.hidden) { event.preventDefault(); close(); }
      else if (input.value) { input.value = ""; }
    }
  });
  list.addEventListener("keydown", function (event) {
    var i = shown.indexOf(doc.activeElement);
    if (i === -1) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      shown[Math.min(i + 1, shown.length - 1)].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (i === 0) input.focus();
      else shown[i - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
      input.focus();
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      input.focus(); // typing goes back to the box
    }
  });

  // Close when focus or a click leaves the search area.
  var area = input.closest ? input.closest(".search") || panel.parentNode : panel.parentNode;
  area.addEventListener("focusout", function (event) {
    if (!event.relatedTarget || !area.contains(event.relatedTarget)) close();
  });
  doc.addEventListener("mousedown", function (event) {
    if (!area.contains(event.target)) close();
  });

  // "/" focuses the search box unless the reader is typing somewhere.
  doc.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    var tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
