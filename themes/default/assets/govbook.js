/* govbook default theme: theme toggle, sidebar, copy buttons, checklist
   ticks and the command filter.
   A plain script, not a module, so the site works from file://. Every
   feature first checks that its elements exist, so one template can leave
   a part out without breaking the rest. Nothing here makes a request. */
(function () {
  "use strict";

  var doc = document;
  var html = doc.documentElement;
  var body = doc.body;
  var siteRoot = body.getAttribute("data-root") || "";
  var pagePath = body.getAttribute("data-path") || "";

  // localStorage can throw (privacy modes, some file:// setups): never let
  // that break the page.
  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* not kept; the page still works */ }
  }

  // One polite live region for short messages such as "Copied".
  var live = doc.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  body.appendChild(live);
  function announce(message) {
    live.textContent = "";
    // A fresh text node after a tick makes screen readers repeat a message.
    window.setTimeout(function () { live.textContent = message; }, 60);
  }

  // (a) Theme toggle. The pre-paint script in page.html already applied the
  // saved or system theme; this keeps the button in step and saves changes.
  function themeToggle() {
    var button = doc.getElementById("theme-toggle");
    if (!button) return;
    function sync() {
      button.setAttribute("aria-pressed", html.getAttribute("data-theme") === "dark" ? "true" : "false");
    }
    sync();
    button.addEventListener("click", function () {
      var next = html.getAttribute("data-theme") === "dark" ? "light" : "dark";
      html.setAttribute("data-theme", next);
      save("govbook-theme", next);
      sync();
    });
    // Follow the system setting live until the reader picks a theme here.
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      var follow = function (event) {
        if (load("govbook-theme")) return;
        html.setAttribute("data-theme", event.matches ? "dark" : "light");
        sync();
      };
      if (query.addEventListener) query.addEventListener("change", follow);
      else if (query.addListener) query.addListener(follow);
    }
  }

  // (b) Sidebar: the top level comes from toc/top.js and the part this
  // page is in from toc/N.js (both loaded by the page); other parts load
  // when the reader expands them.
  var DATA = window.GOVBOOK_DATA = window.GOVBOOK_DATA || {};
  function loadData(name, done) {
    if (name in DATA) return done(DATA[name]);
    var script = doc.createElement("script");
    script.src = siteRoot + name + ".js";
    script.onload = script.onerror = function () {
      if (script.parentNode) script.parentNode.removeChild(script);
      done(DATA[name]);
    };
    doc.head.appendChild(script);
  }

  function sidebar() {
    var nav = doc.getElementById("sidebar");
    var entries = DATA["toc/top"];
    if (!nav || !Array.isArray(entries)) return;
    var here = body.getAttribute("data-toc");
    var current = null;

    function label(entry) {
      var el = entry.u ? doc.createElement("a") : doc.createElement("span");
      if (entry.n) {
        var number = doc.createElement("span");
        number.className = "number";
        number.textContent = entry.n;
        el.appendChild(number);
      }
      // `h`: the title's inline Markdown (code, emphasis) as HTML that
      // govbook wrote, with raw HTML escaped and links removed.
      if (entry.h) el.insertAdjacentHTML("beforeend", entry.h);
      else el.appendChild(doc.createTextNode(entry.t || ""));
      if (entry.u) {
        el.href = siteRoot + entry.u;
        if (entry.u.split("#")[0] === pagePath && !current) {
          el.setAttribute("aria-current", "page");
          current = el;
        }
      } else {
        el.className = "draft"; // a chapter without a page yet
      }
      return el;
    }

    // mdBook's [output.html] fold: nested lists below the level start
    // closed, except those that hold the current page; a button opens each.
    function fold(folds) {
      if (typeof window.GOVBOOK_FOLD !== "number") return;
      folds.forEach(function (f) {
        var open = f.level <= window.GOVBOOK_FOLD || (current && f.host.contains(current));
        var name = f.host.firstChild ? f.host.firstChild.textContent : "";
        var button = doc.createElement("button");
        button.type = "button";
        button.className = "fold-toggle";
        button.setAttribute("aria-label", "Sections of " + name);
        var set = function (isOpen) {
          f.list.hidden = !isOpen;
          button.setAttribute("aria-expanded", isOpen ? "true" : "false");
        };
        set(!!open);
        button.addEventListener("click", function () { set(f.list.hidden); });
        f.host.insertBefore(button, f.list);
      });
    }

    // The entries under one top-level entry, nested by level.
    function subtree(list) {
      var folds = []; // each nested list with the item that holds it
      var outer = doc.createElement("ol");
      var base = Infinity;
      list.forEach(function (e) { if (typeof e.l === "number" && e.l < base) base = e.l; });
      if (base === Infinity) base = 0;
      var stack = [{ level: 1, list: outer }];
      var lastItem = null;
      list.forEach(function (entry) {
        var level = Math.max(1, (typeof entry.l === "number" ? entry.l : base) - base + 1);
        while (stack.length > 1 && stack[stack.length - 1].level > level) stack.pop();
        while (stack[stack.length - 1].level < level) {
          var host = lastItem;
          if (!host) {
            host = doc.createElement("li");
            stack[stack.length - 1].list.appendChild(host);
          }
          var nested = doc.createElement("ol");
          host.appendChild(nested);
          // The subtree hangs under a top-level entry: its lists start at 2.
          folds.push({ host: host, list: nested, level: stack[stack.length - 1].level + 1 });
          stack.push({ level: stack[stack.length - 1].level + 1, list: nested });
        }
        var item = doc.createElement("li");
        item.appendChild(label(entry));
        stack[stack.length - 1].list.appendChild(item);
        lastItem = item;
      });
      fold(folds);
      return outer;
    }

    function expand(item, button, chunk, open) {
      var nested = item.querySelector("ol");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (nested) { nested.hidden = !open; return; }
      if (!open) return;
      loadData("toc/" + chunk, function (list) {
        if (!Array.isArray(list) || item.querySelector("ol")) return;
        item.appendChild(subtree(list));
      });
    }

    var top = doc.createElement("ol");
    entries.forEach(function (entry) {
      var item = doc.createElement("li");
      if (entry.s) {
        item.className = "separator";
        item.setAttribute("aria-hidden", "true");
        item.appendChild(doc.createElement("hr"));
      } else if (entry.p) {
        item.className = "part-title";
        item.textContent = entry.t || "";
      } else {
        item.appendChild(label(entry));
        if (typeof entry.c === "number") {
          var button = doc.createElement("button");
          button.type = "button";
          button.className = "toc-toggle";
          button.setAttribute("aria-label", "Show the pages under " + (entry.t || ""));
          item.insertBefore(button, item.firstChild);
          var mine = String(entry.c) === here;
          button.addEventListener("click", function () {
            var nested = item.querySelector("ol");
            expand(item, button, entry.c, !nested || nested.hidden);
          });
          if (mine && Array.isArray(DATA["toc/" + entry.c])) {
            item.appendChild(subtree(DATA["toc/" + entry.c]));
          }
          button.setAttribute("aria-expanded", mine ? "true" : "false");
        }
      }
      top.appendChild(item);
    });

    // Replace the noscript fallback; keep nothing else.
    nav.textContent = "";
    nav.appendChild(top);

    // Scroll the list, not the page, so the current chapter is visible.
    if (current) {
      var offset = current.offsetTop - nav.clientHeight / 3;
      if (offset > 0) nav.scrollTop = offset;
    }

    // Narrow screens: the menu button slides the sidebar in and out.
    var toggle = doc.getElementById("sidebar-toggle");
    if (!toggle) return;
    function setOpen(open, restoreFocus) {
      body.classList.toggle("sidebar-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var target = current || nav.querySelector("a");
        if (target) target.focus();
      } else if (restoreFocus) {
        toggle.focus();
      }
    }
    toggle.addEventListener("click", function () {
      setOpen(!body.classList.contains("sidebar-open"), false);
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && body.classList.contains("sidebar-open")) setOpen(false, true);
    });
    doc.addEventListener("click", function (event) {
      if (!body.classList.contains("sidebar-open")) return;
      if (nav.contains(event.target) || toggle.contains(event.target)) return;
      setOpen(false, false);
    });
  }

  // (c) Copy buttons on code blocks. navigator.clipboard needs a secure
  // context and may be refused on file://, so fall back to execCommand.
  function copyWithTextarea(text) {
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    body.removeChild(area);
    return ok;
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithTextarea(text); }
      );
    }
    return Promise.resolve(copyWithTextarea(text));
  }
  // Hidden lines (Rust's `# `, a `hidelines` prefix) are in the page,
  // shown until this script hides them; a button shows them again.
  function hiddenLines(code, wrap) {
    if (!code.querySelector(".boring")) return;
    code.classList.add("hide-boring");
    var toggle = doc.createElement("button");
    toggle.type = "button";
    toggle.className = "button boring-toggle";
    toggle.textContent = "Show hidden lines";
    toggle.setAttribute("aria-pressed", "false");
    wrap.appendChild(toggle);
    toggle.addEventListener("click", function () {
      var hiding = code.classList.toggle("hide-boring");
      toggle.textContent = hiding ? "Show hidden lines" : "Hide lines";
      toggle.setAttribute("aria-pressed", hiding ? "false" : "true");
      announce(hiding ? "Hidden lines hidden" : "Hidden lines shown");
    });
  }
  // What the reader sees: hidden lines are copied only once shown.
  function visibleText(code) {
    if (!code.classList.contains("hide-boring")) return code.textContent;
    var copy = code.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".boring"), function (b) {
      b.parentNode.removeChild(b);
    });
    return copy.textContent;
  }
  function copyButtons() {
    var blocks = doc.querySelectorAll("pre.code");
    Array.prototype.forEach.call(blocks, function (pre) {
      // The button sits beside the <pre>, not in it, so selecting the
      // code by hand never picks up the word "Copy".
      var wrap = doc.createElement("div");
      wrap.className = "code-wrap";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      // A block that scrolls sideways must be reachable by keyboard.
      if (pre.scrollWidth > pre.clientWidth && !pre.hasAttribute("tabindex")) pre.tabIndex = 0;
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "button copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy code");
      wrap.appendChild(button);
      var timer = 0;
      var code = pre.querySelector("code") || pre;
      hiddenLines(code, wrap);
      button.addEventListener("click", function () {
        copyText(visibleText(code)).then(function (ok) {
          button.focus(); // the textarea fallback moved focus away
          button.textContent = ok ? "Copied" : "Failed";
          announce(ok ? "Copied" : "Copy failed: select the code and copy it by hand");
          window.clearTimeout(timer);
          timer = window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
    });
  }

  // (d) Checklists: ticks are kept per page and checklist in this browser.
  function checklists() {
    var sections = doc.querySelectorAll("[data-checklist]");
    Array.prototype.forEach.call(sections, function (section) {
      var key = "govbook-checklist:" + pagePath + "#" + section.getAttribute("data-checklist");
      var boxes = section.querySelectorAll('input[type="checkbox"][data-item]');
      var progress = section.querySelector(".checklist-progress");
      var clear = section.querySelector(".checklist-clear");
      var saved = [];
      try { saved = JSON.parse(load(key) || "[]"); } catch (e) { saved = []; }
      if (!Array.isArray(saved)) saved = [];

      function update(store) {
        var ticked = [];
        Array.prototype.forEach.call(boxes, function (box) {
          if (box.checked) ticked.push(box.getAttribute("data-item"));
        });
        if (progress) progress.textContent = ticked.length + " of " + boxes.length + " items ticked";
        if (store) save(key, ticked.length ? JSON.stringify(ticked) : null);
      }
      Array.prototype.forEach.call(boxes, function (box) {
        box.checked = saved.indexOf(box.getAttribute("data-item")) !== -1;
        box.addEventListener("change", function () { update(true); });
      });
      update(false);
      if (clear) {
        clear.addEventListener("click", function () {
          Array.prototype.forEach.call(boxes, function (box) { box.checked = false; });
          update(true);
          announce("Ticks cleared");
        });
      }
    });
  }

  // (e) Command filter: show only the commands run at one stage.
  function commandFilter() {
    var group = doc.querySelector(".command-filter");
    if (!group) return;
    var buttons = group.querySelectorAll(".filter-button[data-stage]");
    var commands = doc.querySelectorAll("[data-stages]");
    var status = doc.getElementById("command-filter-status");
    function apply(stage, label) {
      var shown = 0;
      Array.prototype.forEach.call(buttons, function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-stage") === stage ? "true" : "false");
      });
      Array.prototype.forEach.call(commands, function (command) {
        var stages = " " + command.getAttribute("data-stages") + " ";
        var show = !stage || stages.indexOf(" " + stage + " ") !== -1;
        command.hidden = !show;
        if (show) shown += 1;
        // Keep the on-page list in step with what is visible.
        var link = doc.querySelector('.page-toc a[href="#' + command.id + '"]');
        if (link && link.parentNode) link.parentNode.hidden = !show;
      });
      if (status) {
        status.textContent = stage
          ? shown + (shown === 1 ? " command" : " commands") + " for " + label
          : "All " + shown + " commands";
      }
    }
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        var label = (b.firstChild && b.firstChild.nodeValue || "").trim();
        apply(b.getAttribute("data-stage"), label.toLowerCase());
      });
    });
  }

  // Wide Markdown tables scroll on their own instead of widening the page.
  function wrapTables() {
    var tables = doc.querySelectorAll(".prose table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.parentNode.classList.contains("table-wrap")) return;
      var wrap = doc.createElement("div");
      wrap.className = "table-wrap";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  }

  // Small helpers used by print.html and 404.html.
  function extras() {
    var print = doc.getElementById("print-button");
    if (print) print.addEventListener("click", function () { window.print(); });
    Array.prototype.forEach.call(doc.querySelectorAll("[data-focus-search]"), function (link) {
      link.addEventListener("click", function (event) {
        var input = doc.getElementById("search");
        if (!input) return;
        event.preventDefault();
        input.focus();
      });
    });
  }

  [themeToggle, sidebar, copyButtons, checklists, commandFilter, wrapTables, extras].forEach(function (feature) {
    try { feature(); } catch (e) {
      // One broken feature must not take the others down.
      if (window.console) window.console.error("govbook:", e);
    }
  });
})();
