/* govbook default theme: offline full-text search.
   The index is split into small data scripts under search/ (see
   src/site/search.rs), loaded on demand as <script> elements so search works
   from file:// and under serve: search/meta.js when the box gets focus, then
   one shard per query word (search/t-KEY.js, every word whose longest shard
   key it starts with) and the chunks of the results shown (search/d-N.js).
   Loaded data is kept for later queries. Results are built with
   textContent only: index text is never parsed as HTML. */
(function () {
  "use strict";

  var DATA = window.GOVBOOK_DATA = window.GOVBOOK_DATA || {};
  var body = window.document && window.document.body;
  var root = (body && body.getAttribute("data-root")) || "";

  // Lowercase words of letters and digits, in any script.
  var WORD = /[^\p{L}\p{N}_]+/u;
  function tokenize(text) {
    return String(text || "").toLowerCase().split(WORD).filter(Boolean);
  }

  // Loads the data script `name` (a path without .js) once; `done` gets
  // its value, or undefined if it is missing. Tools that run this file
  // outside a browser set window.govbookLoad(name) to load synchronously.
  var pending = Object.create(null);
  function load(name, done) {
    if (name in DATA) return done(DATA[name]);
    if (typeof window.govbookLoad === "function") {
      window.govbookLoad(name);
      return done(DATA[name]);
    }
    if (pending[name]) { pending[name].push(done); return; }
    pending[name] = [done];
    var script = document.createElement("script");
    script.src = root + name + ".js";
    script.async = true;
    script.onload = script.onerror = function () {
      var waiting = pending[name];
      delete pending[name];
      if (script.parentNode) script.parentNode.removeChild(script);
      if (!(name in DATA)) DATA[name] = undefined; // missing: not asked again
      waiting.forEach(function (f) { f(DATA[name]); });
    };
    document.head.appendChild(script);
  }
  function loadAll(names, done) {
    var left = names.length;
    if (!left) return done();
    names.forEach(function (n) { load(n, function () { if (--left === 0) done(); }); });
  }

  // Varints: base-64 digits, five bits each, low first; the sixth bit says
  // more follow. Values are gaps from the previous one.
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = [];
  for (var i = 0; i < 64; i++) VALUE[DIGITS.charCodeAt(i)] = i;
  function decode(s) {
    var out = [], prev = 0, cur = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = VALUE[s.charCodeAt(i)];
      cur += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; continue; }
      prev += cur;
      out.push(prev);
      cur = 0;
      shift = 0;
    }
    return out;
  }

  // As src/site/search.rs names shard files.
  function fileKey(key) {
    if (/^[a-z0-9_]+$/.test(key)) return key;
    var bytes = unescape(encodeURIComponent(key)), hex = "x";
    for (var i = 0; i < bytes.length; i++) hex += ("0" + bytes.charCodeAt(i).toString(16)).slice(-2);
    return hex;
  }

  var meta = null; // {docs, chunk, keys, keySet, starts}
  function withMeta(done) {
    if (meta) return done(meta);
    load("search/meta", function (m) {
      if (!m || meta) return done(meta);
      var keySet = Object.create(null);
      m.k.forEach(function (k) { keySet[k] = true; });
      meta = { docs: m.n, chunk: m.c, keys: m.k, keySet: keySet, starts: decode(m.p) };
      done(meta);
    });
  }

  // The shard holding `term`: the longest key it starts with. A prefix
  // also needs every longer key that starts with it.
  function shardsFor(term, prefix) {
    var chars = Array.from(term), list = [], own = null;
    for (var n = Math.min(chars.length, 16); n >= 1 && !own; n--) {
      var k = chars.slice(0, n).join("");
      if (meta.keySet[k]) own = k;
    }
    if (own) list.push(own);
    if (prefix) {
      meta.keys.forEach(function (k) {
        if (k !== own && k.length > term.length && k.lastIndexOf(term, 0) === 0) list.push(k);
      });
    }
    return list.map(function (k) { return "search/t-" + fileKey(k); });
  }

  // Per section, the best score of one query word: in the heading 12
  // (a prefix 6), in the page title 8 (4), in the text 2 (1).
  function scoreTerm(term, prefix, shards) {
    var scores = new Uint8Array(meta.docs);
    function mark(list, s) {
      for (var i = 0; i < list.length; i++) if (scores[list[i]] < s) scores[list[i]] = s;
    }
    shards.forEach(function (name) {
      var shard = DATA[name];
      if (!shard) return;
      Object.keys(shard).forEach(function (w) {
        var exact = w === term;
        if (!exact && !(prefix && w.lastIndexOf(term, 0) === 0)) return;
        var e = shard[w];
        mark(decode(e[0]), exact ? 12 : 6);
        var pages = decode(e[1]), t = exact ? 8 : 4;
        for (var p = 0; p < pages.length; p++) {
          var from = meta.starts[pages[p]];
          var to = pages[p] + 1 < meta.starts.length ? meta.starts[pages[p] + 1] : meta.docs;
          for (var d = from; d < to; d++) if (scores[d] < t) scores[d] = t;
        }
        mark(decode(e[2]), exact ? 2 : 1);
      });
    });
    return scores;
  }

  // Section numbers of every match, best first (every word must match;
  // ties keep book order). Calls done(ids) once the shards are loaded.
  function rank(query, done) {
    var terms = tokenize(query);
    if (!terms.length) return done([]);
    withMeta(function (m) {
      if (!m) return done(null);
      // Words of two or more letters also match longer words.
      var wanted = terms.map(function (t) { return shardsFor(t, Array.from(t).length >= 2); });
      loadAll([].concat.apply([], wanted), function () {
        var total = null;
        for (var i = 0; i < terms.length; i++) {
          var s = scoreTerm(terms[i], Array.from(terms[i]).length >= 2, wanted[i]);
          if (!total) { total = new Uint16Array(m.docs); for (var d = 0; d < m.docs; d++) total[d] = s[d]; continue; }
          for (var d2 = 0; d2 < m.docs; d2++) total[d2] = s[d2] && total[d2] ? total[d2] + s[d2] : 0;
        }
        var ids = [];
        for (var d3 = 0; d3 < m.docs; d3++) if (total[d3]) ids.push(d3);
        ids.sort(function (a, b) { return total[b] - total[a] || a - b; });
        done(ids);
      });
    });
  }

  // What result `id` shows: {url, page, heading, text}, once its chunk is
  // loaded.
  function entries(ids, done) {
    var names = ids.map(function (id) { return "search/d-" + Math.floor(id / meta.chunk); });
    loadAll(names.filter(function (n, i) { return names.indexOf(n) === i; }), function () {
      done(ids.map(function (id, i) {
        var chunk = DATA[names[i]] || [[], []];
        var d = chunk[1][id % meta.chunk] || [0, "", "", ""];
        var page = chunk[0][d[0]] || ["", ""];
        return { url: page[0] + d[1], page: page[1], heading: d[2], text: d[3] };
      }));
    });
  }

  // The ranking alone, for tools that measure it (bench/search_quality.js):
  // done gets the URLs of the best `limit` results, best first.
  window.govbookSearch = function (query, limit, done) {
    rank(query, function (ids) {
      if (!ids) return done([]);
      entries(ids.slice(0, limit), function (list) {
        done(list.map(function (e) { return e.url; }));
      });
    });
  };

  var doc = window.document;
  if (!doc) return;
  var input = doc.getElementById("search");
  var panel = doc.getElementById("search-panel");
  var list = doc.getElementById("search-results");
  var status = doc.getElementById("search-status");
  if (!input || !panel || !list) return;

  var MAX_RESULTS = 10;
  var shown = []; // result links currently in the list
  var shownQuery = null; // the query they answer
  var asked = 0; // the latest query's number: older answers are dropped
  var enterWhenReady = false;

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

  function open() { panel.hidden = false; }
  function close() { panel.hidden = true; }

  function render() {
    var query = input.value;
    var terms = tokenize(query);
    var mine = ++asked;
    if (!terms.length) {
      list.textContent = "";
      shown = [];
      shownQuery = query;
      if (status) status.textContent = "";
      close();
      return;
    }
    rank(query, function (ids) {
      if (mine !== asked) return;
      if (!ids) {
        list.textContent = "";
        shown = [];
        if (status) status.textContent = "The search index is not available.";
        open();
        return;
      }
      entries(ids.slice(0, MAX_RESULTS), function (results) {
        if (mine !== asked) return;
        show(query, terms, ids.length, results);
      });
    });
  }

  function show(query, terms, n, results) {
    list.textContent = "";
    shown = [];
    shownQuery = query;
    var pattern = new RegExp("(" + terms.map(escapeRegExp).sort(function (a, b) { return b.length - a.length; }).join("|") + ")", "gi");
    results.forEach(function (entry) {
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
      if (entry.text) {
        var snip = doc.createElement("span");
        snip.className = "result-snippet";
        appendMarked(snip, entry.text + (entry.text.length >= 60 ? " …" : ""), pattern);
        link.appendChild(snip);
      }
      item.appendChild(link);
      list.appendChild(item);
      shown.push(link);
    });
    if (status) {
      status.textContent = n === 0
        ? "No results for “" + query.trim() + "”"
        : n + (n === 1 ? " result" : " results") + (n > MAX_RESULTS ? ", showing the best " + MAX_RESULTS : "");
    }
    open();
    if (enterWhenReady) {
      enterWhenReady = false;
      if (shown.length) window.location.href = shown[0].href;
    }
  }

  function current() { return shownQuery === input.value; }

  input.addEventListener("focus", function () {
    withMeta(function () {}); // the first focus loads the index's table, not the page
    if (input.value.trim()) render();
  });
  input.addEventListener("input", function () { enterWhenReady = false; render(); });

  // Keyboard: arrows move focus through the result links; Enter in the box
  // opens the first result; Escape closes and returns to the box.
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      if (!current() && input.value.trim()) render();
      if (current() && shown.length) { event.preventDefault(); shown[0].focus(); }
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (current()) {
        if (shown.length) window.location.href = shown[0].href;
      } else {
        enterWhenReady = true;
        render();
      }
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
