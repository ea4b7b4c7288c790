#!/usr/bin/env python3
"""Times govbook against the peer generators on the same synthetic book.

Generates the corpus with ../shared/bench/gen_corpus.py (mdBook, Hugo and
Zola layouts of the same pages), builds govbook in release mode, and times
each tool on each size, alternating tools within every run so machine noise
hits all of them alike. Reports medians of wall time and peak RSS (from
/usr/bin/time -v), output size, and govbook's ratio to each peer, as a
Markdown table on stdout.

Peers: mdBook 0.5.4 (`cargo install mdbook --version 0.5.4 --locked`, into
target/bench/tools) and Hugo (Debian's package). Zola is in neither registry
this project can reach, so it is reported as not measured.

bench/search_quality.js measures govbook's search (title, heading and
body-word queries, and the index bytes a query loads), beside mdBook's
elasticlunr when mdBook is measured; with --real-book PATH it also builds
that book (e.g. a local checkout of Rust by Example) and measures recall on
its words. In Chromium (chromedriver), under a plain static file server, it
measures what a page view transfers before any interaction, and the first
search's bytes and time; Pagefind 1.6.0 (npm, into target/tools) indexes
the same output for its index bytes, per-query bytes and time, and Zola
(only when ZOLA_BIN names a binary) builds with its search index on.

Every timed build writes into a directory that has never existed, and the
outputs are deleted only after all timing. On ext4 without a journal (this
kind of machine), creating a file skips, one by one, each inode freed in the
last minutes (`recently_deleted` in fs/ext4/ialloc.c): a build right after
`rm -rf` of 10,000 files pays seconds for the deletion, not for its own
work. A run less than six minutes after the last one waits out the rest.
See BENCHMARKS.md.

usage: bench/run.py [--sizes 1000,10000] [--runs 3] [--tools govbook,hugo,mdbook,pagefind]
                    [--real-book PATH]
       bench/run.py --fleet-only [--fleet 10000] [--runs 3]

`--fleet N` (default 10,000; 0 skips) also times `govbook build` of the
minimal fixture book with and without N drift reports under `[fleet]
reports` (the Fleet page), made from tests/fixtures/fleet-reports.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "bench")
# The corpus generator the issue names, beside the checkout; a fresh clone
# elsewhere uses the verbatim copy in bench/.
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
if not os.path.exists(GEN):
    GEN = os.path.join(ROOT, "bench", "gen_corpus.py")
RUNS = os.path.join(WORK, "runs")
DELETED = os.path.join(WORK, "deleted-at")
# ext4 treats an inode freed in the last 60 s as recently deleted, or in the
# last 360 s while its inode table block is dirty (RECENTCY_MIN and
# RECENTCY_DIRTY). Measured here: a build 180 s after `rm -rf` and `sync`
# still paid 11x for the floor's writes, one 370 s after did not.
RECENCY = 370


def clear_outputs():
    """Deletes the outputs of an earlier run, then waits until no freed
    inode counts as recently deleted, so no timed build pays for it."""
    if os.path.isdir(RUNS):
        shutil.rmtree(RUNS)
        with open(DELETED, "w") as f:
            f.write(str(time.time()))
    if os.path.exists(DELETED):
        sh(["sync"])
        wait = RECENCY - (time.time() - float(open(DELETED).read() or 0))
        if wait > 0:
            print(f"waiting {wait:.0f} s for freed inodes to age (see the docstring)", file=sys.stderr)
            time.sleep(wait)
    os.makedirs(RUNS, exist_ok=True)


def fresh(name):
    """A path under RUNS that no earlier build used."""
    path = os.path.join(RUNS, name)
    if os.path.exists(path):
        sys.exit(f"{path} exists: outputs are only deleted before timing starts")
    return path


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def find_mdbook():
    local = os.path.join(WORK, "tools", "bin", "mdbook")
    for cand in (local, shutil.which("mdbook")):
        if cand and os.path.exists(cand):
            out = subprocess.run([cand, "--version"], capture_output=True, text=True).stdout
            if "0.5.4" in out:
                return cand
    sh(["cargo", "install", "mdbook", "--version", "0.5.4", "--locked", "--root", os.path.join(WORK, "tools")])
    return local


def find_hugo():
    if not shutil.which("hugo"):
        sh(["apt-get", "install", "-y", "-qq", "hugo"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("hugo")


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS in MB)."""
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stdout}\n{r.stderr[-2000:]}")
    secs = rss = None
    for line in r.stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            t = line.rsplit(" ", 1)[1]
            parts = [float(p) for p in t.split(":")]
            secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[1]) / 1024
    return secs, rss


def floor(corpus, out):
    """The floor: read + write the Markdown bytes, and pulldown-cmark alone."""
    exe = os.path.join(ROOT, "target", "release", "examples", "floor")
    r = subprocess.run([exe, os.path.join(corpus, "mdbook", "content"), out],
                       capture_output=True, text=True, check=True)
    got = {}
    for line in r.stdout.splitlines():
        if line.startswith("read+write "):
            got["io"] = float(line.split()[1])
        elif line.startswith("pulldown-cmark "):
            got["parse"] = float(line.split()[1])
    return got


def serve_latency(govbook, book, edits):
    """Starts `govbook serve` on the book, edits the body of one deep page
    `edits` times, and returns the seconds from each write to the new text
    being served (polling the page over loopback), plus the same for an
    edit that adds a heading."""
    import threading
    import time
    import urllib.request

    proc = subprocess.Popen([govbook, "serve", "--port", "0", "--today", "2026-11-24", book],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    port = None
    for line in proc.stderr:
        if "http://127.0.0.1:" in line:
            port = line.split("http://127.0.0.1:")[1].split("/")[0]
            break
    if port is None:
        sys.exit("serve did not start")
    # Keep reading so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    pages = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(os.path.join(book, "content"))
        for f in fs if f.endswith(".md") and f not in ("SUMMARY.md", "README.md"))
    page = pages[len(pages) // 2]
    url = f"http://127.0.0.1:{port}/" + os.path.relpath(page, os.path.join(book, "content"))[:-3] + ".html"
    original = open(page, encoding="utf-8").read()

    def save_in_place(text):
        with open(page, "w", encoding="utf-8") as f:
            f.write(text)

    def save_by_rename(text):
        tmp = os.path.join(os.path.dirname(page), ".sedXyZ12")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, page)

    def save_delete_create(text):
        os.remove(page)
        with open(page, "w", encoding="utf-8") as f:
            f.write(text)

    def save_backup_rename(text):
        backup = page + "~"
        os.rename(page, backup)
        with open(page, "w", encoding="utf-8") as f:
            f.write(text)
        os.remove(backup)

    def timed_edit(text, marker, save=save_in_place):
        t0 = time.perf_counter()
        save(text)
        while time.perf_counter() - t0 < 60:
            body = urllib.request.urlopen(url).read().decode("utf-8")
            if marker in body:
                return time.perf_counter() - t0
            time.sleep(0.002)
        sys.exit(f"serve never showed the edit of {page}")

    styles = {"in place": save_in_place, "temporary file + rename": save_by_rename,
              "delete + create": save_delete_create, "backup rename": save_backup_rename}
    try:
        body = []
        for i in range(edits):
            marker = f"benchedit{i}x"
            body.append(timed_edit(original + f"\nEdited paragraph {marker}.\n", marker))
            time.sleep(0.3)
        heading = timed_edit(original + "\n## Added heading zz\n\nheadingedit.\n", "headingedit")
        by_style = {}
        for name, save in styles.items():
            times = []
            for i in range(edits):
                time.sleep(0.3)
                marker = f"style{len(by_style)}e{i}x"
                times.append(timed_edit(original + f"\nSaved {marker}.\n", marker, save))
            by_style[name] = times
    finally:
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        time.sleep(0.5)
        proc.kill()
        proc.wait()
    return body, heading, by_style


PAGEFIND = "1.6.0"


def find_pagefind():
    """Pagefind from npm, into target/tools (pinned)."""
    tools = os.path.join(ROOT, "target", "tools")
    exe = os.path.join(tools, "node_modules", ".bin", "pagefind")
    if os.path.exists(exe):
        out = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
        if PAGEFIND in out:
            return exe
    os.makedirs(tools, exist_ok=True)
    sh(["npm", "install", "--no-audit", "--no-fund", "--prefix", tools, f"pagefind@{PAGEFIND}"])
    return exe


def bytes_under(path, pred=lambda name: True):
    total = files = 0
    for dirpath, _, names in os.walk(path):
        for f in names:
            if pred(f):
                total += os.path.getsize(os.path.join(dirpath, f))
                files += 1
    return total, files


class Static:
    """A plain static file server (python's http.server) over `root`."""

    def __init__(self, root):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1",
             "--directory", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import urllib.request
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=1)
                return
            except Exception:
                time.sleep(0.05)

    def close(self):
        self.proc.kill()
        self.proc.wait()


class Chromium:
    """Headless Chromium through chromedriver's WebDriver API (no client
    library: plain HTTP)."""

    def __init__(self):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        driver = os.environ.get("GOVBOOK_CHROMEDRIVER", "/usr/bin/chromedriver")
        self.proc = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except Exception:
                time.sleep(0.05)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": os.environ.get("GOVBOOK_CHROMIUM", "/usr/bin/chromium"),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        import urllib.request
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read() or b"{}").get("value", {})

    def goto(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script, *args):
        """An async script: its last argument is the callback."""
        return self.call("POST", f"/session/{self.session}/execute/async",
                         {"script": script, "args": list(args)})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.kill()
            self.proc.wait()


# What a page view transfers before any interaction: the document and every
# resource it loaded, once the page is idle.
PAGE_WEIGHT_JS = """
var done = arguments[arguments.length - 1];
function size(e) { return e.transferSize || e.encodedBodySize || 0; }
setTimeout(function () {
  var nav = performance.getEntriesByType('navigation')[0];
  var list = performance.getEntriesByType('resource');
  var total = size(nav), kinds = {};
  list.forEach(function (e) {
    total += size(e);
    var k = e.name.split('?')[0].split('/').slice(-2).join('/');
    kinds[k] = (kinds[k] || 0) + size(e);
  });
  done({ total: total, html: size(nav), resources: list.length, kinds: kinds,
         dcl: nav.domContentLoadedEventEnd });
}, 1500);
"""

# govbook's search box: focus (which loads the index's table), then after a
# reader's pause type the query as one input event; time until the first
# result is shown, and the bytes loaded from focus on. Then a second query
# on the same page.
GOVBOOK_SEARCH_JS = """
var q1 = arguments[0], q2 = arguments[1], done = arguments[arguments.length - 1];
function size(e) { return e.transferSize || e.encodedBodySize || 0; }
function bytesSince(t) {
  return performance.getEntriesByType('resource').filter(function (e) { return e.startTime >= t; })
    .reduce(function (a, e) { return a + size(e); }, 0);
}
var input = document.getElementById('search');
var list = document.getElementById('search-results');
function query(q, next) {
  var from = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input'));
  (function wait() {
    var first = list.querySelector('a');
    if (first && list.getAttribute('data-q') !== 'old') {
      var ms = performance.now() - from;
      list.setAttribute('data-q', 'old');
      return setTimeout(function () { next(ms, from, first.getAttribute('href')); }, 300);
    }
    if (performance.now() - from > 10000) return next(null, from, null);
    requestAnimationFrame(wait);
  })();
}
var focused = performance.now();
input.focus();
setTimeout(function () {
  list.removeAttribute('data-q');
  query(q1, function (ms1, from1, href1) {
    var b1 = bytesSince(focused);
    list.removeAttribute('data-q');
    list.textContent = '';
    query(q2, function (ms2, from2, href2) {
      done({ first_ms: ms1, first_bytes: b1, first_href: href1,
             second_ms: ms2, second_bytes: bytesSince(from2), second_href: href2 });
    });
  });
}, 400);
"""

# Pagefind's own API on the same page: the bytes and time of one query and
# the data of its first ten results (what a results list shows).
PAGEFIND_SEARCH_JS = """
var q = arguments[0], base = arguments[1], done = arguments[arguments.length - 1];
function size(e) { return e.transferSize || e.encodedBodySize || 0; }
var from = performance.now();
import(base + 'pagefind/pagefind.js').then(function (pf) {
  return pf.search(q).then(function (r) {
    return Promise.all(r.results.slice(0, 10).map(function (x) { return x.data(); }));
  });
}).then(function (data) {
  var ms = performance.now() - from;
  var bytes = performance.getEntriesByType('resource').filter(function (e) {
    return e.startTime >= from; }).reduce(function (a, e) { return a + size(e); }, 0);
  done({ ms: ms, bytes: bytes, results: data.length, first: data.length ? data[0].url : null });
}, function (e) { done({ error: String(e) }); });
"""


def browser_rows(n, site_dir, pagefind_dir):
    """Page weight and search in Chromium under a static server, for the
    govbook output at `site_dir` (and Pagefind's index of a copy)."""
    rows = {}
    mid = f"s{(n // 2) // 50:03}/p{n // 2:05}.html"
    # A word on exactly one page, in its text (the profile of page N/2+1),
    # and a title query.
    body_word = f"check_{n // 2 + 1}"
    title = f"Page {n // 3}"
    server = Static(os.path.dirname(site_dir))
    browser = Chromium()
    try:
        base = f"http://127.0.0.1:{server.port}/{os.path.basename(site_dir)}/"
        browser.goto(base + mid)
        rows["weight"] = browser.run(PAGE_WEIGHT_JS)
        browser.goto(base + mid)
        browser.run(PAGE_WEIGHT_JS)
        rows["search"] = browser.run(GOVBOOK_SEARCH_JS, body_word, title)
        rows["search"]["query"] = [body_word, title]
        if pagefind_dir:
            pbase = f"http://127.0.0.1:{server.port}/{os.path.basename(pagefind_dir)}/"
            browser.goto(pbase + mid)
            browser.run(PAGE_WEIGHT_JS)
            rows["pagefind"] = browser.run(PAGEFIND_SEARCH_JS, body_word, pbase)
    finally:
        browser.close()
        server.close()
    return rows


def fleet_bench(govbook, n, runs):
    """Seconds `build` takes on the minimal fixture book without and with
    `n` drift reports (medians of `runs`), and the reports' total size."""
    base = os.path.join(WORK, f"fleet-{n}")
    if os.path.isdir(base):
        shutil.rmtree(base)
    plain = os.path.join(base, "plain")
    shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "minimal"), plain)
    withr = os.path.join(base, "with-reports")
    shutil.copytree(plain, withr)
    with open(os.path.join(withr, "book.toml"), "a") as f:
        f.write('\n[fleet]\nreports = "fleet"\n')
    reports = os.path.join(withr, "fleet")
    os.makedirs(reports)
    fixtures = os.path.join(ROOT, "tests", "fixtures", "fleet-reports")
    samples = [json.load(open(os.path.join(fixtures, f))) for f in sorted(os.listdir(fixtures))]
    teams = ["payments", "mobile", "data-platform", None]
    size = 0
    for i in range(n):
        r = json.loads(json.dumps(samples[i % len(samples)]))
        for lock in r.get("locks", []):
            lock["team"] = teams[i % len(teams)]
        r["date"] = f"2026-11-{1 + i % 24:02d}"
        text = json.dumps(r)
        size += len(text)
        with open(os.path.join(reports, f"repo-{i:05d}.json"), "w") as f:
            f.write(text)
    times = {"plain": [], "with": []}
    for run in range(runs):
        for name, book in (("plain", plain), ("with", withr)):
            out = os.path.join(base, f"out-{name}-{run}")
            times[name].append(timed([govbook, "build", "--quiet", "--today", "2026-11-24",
                                      "-o", out, book])[0])
    return statistics.median(times["plain"]), statistics.median(times["with"]), size / 1e6


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="govbook,hugo,mdbook")
    ap.add_argument("--fleet", type=int, default=10000)
    ap.add_argument("--fleet-only", action="store_true")
    ap.add_argument("--real-book", help="an mdBook book (e.g. Rust by Example) to measure search recall on")
    args = ap.parse_args()
    if args.fleet_only:
        sh(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT)
        print_fleet(os.path.join(ROOT, "target", "release", "govbook"), args.fleet, args.runs)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    tools = args.tools.split(",")
    measure_pagefind = "pagefind" in tools
    tools = [t for t in tools if t != "pagefind"]
    os.makedirs(WORK, exist_ok=True)
    sh(["cargo", "build", "--release", "--quiet", "--bins", "--example", "floor"], cwd=ROOT)
    govbook = os.path.join(ROOT, "target", "release", "govbook")
    exe = {"govbook": govbook}
    if "mdbook" in tools:
        exe["mdbook"] = find_mdbook()
    if "hugo" in tools:
        exe["hugo"] = find_hugo()
    if measure_pagefind:
        exe["pagefind"] = find_pagefind()
    zola = os.environ.get("ZOLA_BIN")

    clear_outputs()
    rows = []
    serve_rows = []
    rebuild_rows = []
    quality_rows = []
    search_rows = []
    own_quality = {}
    browser = {}
    real_book = None
    last_govbook = {}
    for n in sizes:
        corpus = os.path.join(WORK, f"corpus-{n}")
        if not os.path.isdir(corpus):
            sh([sys.executable, GEN, str(n), corpus])

        def cmd(t, out):
            return {
                "govbook": [exe["govbook"], "build", "--quiet", "--today", "2026-11-24", "-o", out,
                            os.path.join(corpus, "mdbook")],
                "mdbook": [exe.get("mdbook", "mdbook"), "build", "-d", out,
                           os.path.join(corpus, "mdbook")],
                "hugo": [exe.get("hugo", "hugo"), "--quiet", "--source", os.path.join(corpus, "hugo"),
                         "--destination", out],
            }[t]

        results = {t: [] for t in tools}
        sizes_mb = {}
        last = {}
        for run in range(args.runs):
            order = tools[run % len(tools):] + tools[:run % len(tools)]
            for t in order:
                out = fresh(f"{n}-{t}-{run}")
                # The previous build's output goes to disk now, not during
                # this one.
                sh(["sync"])
                results[t].append(timed(cmd(t, out)))
                sizes_mb[t] = du(out)
                last[t] = out
                if t == "govbook":
                    last_govbook[n] = out
                    sizes_mb["govbook-index"] = bytes_under(os.path.join(out, "search"))[0] / 1e6
                if t == "mdbook":
                    # mdBook 0.5 names the index searchindex-HASH.js.
                    idx = [f for f in os.listdir(out) if f.startswith("searchindex") and f.endswith(".js")]
                    if idx:
                        sizes_mb["mdbook-index"] = os.path.getsize(os.path.join(out, idx[0])) / 1e6
        check = [timed([govbook, "check", "--quiet", "--today", "2026-11-24", os.path.join(corpus, "mdbook")])[0]
                 for _ in range(args.runs)]
        for t in tools:
            secs = statistics.median(r[0] for r in results[t])
            rss = statistics.median(r[1] for r in results[t])
            rows.append((n, t, secs, rss, sizes_mb[t]))
        rows.append((n, "govbook check", statistics.median(check), None, None))
        limit = floor(corpus, fresh(f"{n}-floor"))
        rows.append((n, "floor: read + write the Markdown bytes", limit["io"], None, None))
        rows.append((n, "floor: pulldown-cmark alone", limit["parse"], None, None))
        if "govbook-index" in sizes_mb:
            rows.append((n, "govbook search index", None, None, sizes_mb["govbook-index"]))
        if "mdbook-index" in sizes_mb:
            rows.append((n, "mdbook search index", None, None, sizes_mb["mdbook-index"]))
        if "govbook" in last and "mdbook" in last and shutil.which("node"):
            q = subprocess.run(["node", os.path.join(ROOT, "bench", "search_quality.js"),
                                last["govbook"], last["mdbook"]],
                               capture_output=True, text=True)
            if q.returncode == 0:
                quality_rows.append((n, json.loads(q.stdout)))
            else:
                print(f"search comparison at {n} pages failed, skipped:\n{q.stderr[-2000:]}",
                      file=sys.stderr)

        # Peers with a search index, on the same book: Pagefind indexes
        # govbook's own output (into its pagefind/ directory); Zola builds
        # its layout with build_search_index = true.
        if measure_pagefind and n in last_govbook:
            site = last_govbook[n]
            secs, rss = timed([exe["pagefind"], "--site", site])
            pf = os.path.join(site, "pagefind")
            chunks = bytes_under(os.path.join(pf, "index"))
            frags = bytes_under(os.path.join(pf, "fragment"))
            search_rows.append((n, "pagefind index (after the build)", secs, rss,
                                f"{chunks[0] / 1e6:.1f} MB in {chunks[1]} chunks, "
                                f"{frags[0] / 1e6:.1f} MB of fragments"))
        if zola and os.path.exists(zola):
            conf = os.path.join(corpus, "zola", "config.toml")
            text = open(conf).read().replace("build_search_index = false", "build_search_index = true")
            open(conf, "w").write(text)
            out = fresh(f"{n}-zola")
            secs, rss = timed([zola, "--root", os.path.join(corpus, "zola"), "build", "--output-dir", out])
            idx = [f for f in os.listdir(out) if f.startswith("search_index") and f.endswith(".js")]
            size = sum(os.path.getsize(os.path.join(out, f)) for f in idx)
            search_rows.append((n, "zola build with its search index", secs, rss,
                                f"{size / 1e6:.1f} MB, loaded whole"))
        if n in last_govbook:
            g = statistics.median(r[0] for r in results["govbook"])
            grss = statistics.median(r[1] for r in results["govbook"])
            idx, files = bytes_under(os.path.join(last_govbook[n], "search"))
            search_rows.insert(0, (n, "govbook build, index included", g, grss,
                                   f"{idx / 1e6:.1f} MB in {files} files"))
            q = subprocess.run(["node", os.path.join(ROOT, "bench", "search_quality.js"),
                                last_govbook[n], "-", "200"], capture_output=True, text=True)
            if q.returncode == 0:
                own_quality[n] = json.loads(q.stdout)
            try:
                browser[n] = browser_rows(n, last_govbook[n],
                                          last_govbook[n] if measure_pagefind else None)
            except Exception as e:  # the browser is optional for the timing rows
                print(f"browser measurements at {n} pages failed: {e}", file=sys.stderr)

    if args.real_book:
        out = fresh("real-book")
        secs, _ = timed([govbook, "build", "--quiet", "-o", out, args.real_book])
        q = subprocess.run(["node", os.path.join(ROOT, "bench", "search_quality.js"), out, "-", "all"],
                           capture_output=True, text=True, check=True)
        real_book = (os.path.basename(os.path.abspath(args.real_book)), secs, json.loads(q.stdout),
                     bytes_under(os.path.join(out, "search")))

    # serve writes nothing to disk; rebuilds delete the output they replace,
    # so they come after every cold build.
    for n in sizes:
        book = os.path.join(WORK, f"corpus-{n}", "mdbook")
        edits, heading, styles = serve_latency(govbook, book, max(5, args.runs))
        serve_rows.append((n, statistics.median(edits), max(edits), heading, styles))
    for n in sizes:
        if n in last_govbook:
            again = [timed([govbook, "build", "--quiet", "--today", "2026-11-24", "-o", last_govbook[n],
                            os.path.join(WORK, f"corpus-{n}", "mdbook")])
                     for _ in range(args.runs)]
            rebuild_rows.append((n, statistics.median(r[0] for r in again),
                                 statistics.median(r[1] for r in again)))
    shutil.rmtree(RUNS)
    with open(DELETED, "w") as f:
        f.write(str(time.time()))

    print(f"| pages | tool | wall (median of {args.runs}) | peak RSS | output |")
    print("|---|---|---|---|---|")
    for n, t, secs, rss, size in rows:
        s = f"{secs:.2f} s" if secs is not None else ""
        r = f"{rss:.0f} MB" if rss is not None else ""
        z = f"{size:.1f} MB" if size is not None else ""
        print(f"| {n} | {t} | {s} | {r} | {z} |")
    print()
    by = {(n, t): (s, r, z) for n, t, s, r, z in rows}
    for n in sizes:
        g = by.get((n, "govbook"))
        for peer in [t for t in tools if t != "govbook"]:
            p = by.get((n, peer))
            if g and p and g[0]:
                print(f"- {n} pages: govbook is {p[0] / g[0]:.1f}x faster than {peer}, "
                      f"uses {g[1] / p[1]:.2f}x its peak RSS and writes {g[2] / p[2]:.2f}x its output")
    print()
    print("| pages | serve: body edit to served (median) | (worst) | edit adding a heading |")
    print("|---|---|---|---|")
    for n, med, worst, heading, _ in serve_rows:
        print(f"| {n} | {med * 1000:.0f} ms | {worst * 1000:.0f} ms | {heading * 1000:.0f} ms |")
    print()
    print("| pages | save style | edit to served (median) | (worst) |")
    print("|---|---|---|---|")
    for n, _, _, _, styles in serve_rows:
        for style, times in styles.items():
            print(f"| {n} | {style} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms |")
    print()
    if search_rows:
        print("| pages | search: tool | time | peak RSS | index |")
        print("|---|---|---|---|---|")
        for n, what, secs, rss, size in search_rows:
            print(f"| {n} | {what} | {secs:.2f} s | {rss:.0f} MB | {size} |")
        print()
    for n, q in own_quality.items():
        m, b = q["govbook"], q["bytes"]
        print(f"- {n} pages, govbook search ({q['queries']['title']} title, {q['queries']['heading']} heading, "
              f"{q['queries']['body']} body-word queries of {q['queries']['body_words']} words on one page): "
              f"title first {m['title_first']:.1%}, MRR {m['title_mrr']:.3f}, heading precision@10 "
              f"{m['heading_precision10']:.1%}, body-word recall {m['body_recall']:.1%} (first {m['body_first']:.1%}); "
              f"index a first query loads: median {b['first_query_median'] / 1e3:.0f} KB, "
              f"largest {b['first_query_max'] / 1e3:.0f} KB")
    if real_book:
        name, secs, q, (idx, files) = real_book
        m = q["govbook"]
        print(f"- {name}: built in {secs:.2f} s, index {idx / 1e3:.0f} KB in {files} files; "
              f"{q['queries']['body']} words on exactly one page, recall {m['body_recall']:.1%}, "
              f"found first {m['body_first']:.1%}")
    print()
    if browser:
        print("| pages | in Chromium, static server | govbook | pagefind |")
        print("|---|---|---|---|")
        for n, b in browser.items():
            w, s_, pf = b.get("weight", {}), b.get("search", {}), b.get("pagefind", {})
            kb = lambda x: "n/a" if x is None else f"{x / 1e3:.1f} KB"
            ms = lambda x: "n/a" if x is None else f"{x:.0f} ms"
            print(f"| {n} | page view before interaction | {kb(w.get('total'))} "
                  f"({w.get('resources')} resources, HTML {kb(w.get('html'))}) | |")
            print(f"| {n} | first query `{s_.get('query', ['?'])[0]}`: bytes (from focus) | "
                  f"{kb(s_.get('first_bytes'))} | {kb(pf.get('bytes'))} (pagefind.js, wasm, meta, chunks, 10 fragments) |")
            print(f"| {n} | first query: keystroke to first result | {ms(s_.get('first_ms'))} | "
                  f"{ms(pf.get('ms'))} (to ten results' data) |")
            print(f"| {n} | second query `{s_.get('query', ['', '?'])[1]}`: bytes, time | "
                  f"{kb(s_.get('second_bytes'))}, {ms(s_.get('second_ms'))} | |")
        print()
    print("| pages | govbook rebuild over its previous output (median) | peak RSS |")
    print("|---|---|---|")
    for n, secs, rss in rebuild_rows:
        print(f"| {n} | {secs:.2f} s | {rss:.0f} MB |")
    print()
    if quality_rows:
        print("| pages | search | title found first | title in top 10 | title MRR "
              "| heading precision@10 |")
        print("|---|---|---|---|---|---|")
        for n, q in quality_rows:
            for tool in ("govbook", "mdbook"):
                m = q[tool]

                def pct(key):
                    return "n/a" if m.get(key) is None else f"{m[key]:.1%}"
                mrr = "n/a" if m.get("title_mrr") is None else f"{m['title_mrr']:.3f}"
                print(f"| {n} | {tool} | {pct('title_first')} | {pct('title_top10')} "
                      f"| {mrr} | {pct('heading_precision10')} |")
        print(f"\n(queries per size: {q['queries']['title']} titles, "
              f"{q['queries']['heading']} headings; bench/search_quality.js)")
        print()
    if not (zola and os.path.exists(zola)):
        print("- Zola: not measured (set ZOLA_BIN to a zola binary; it is in neither registry reachable here)")
    if args.fleet:
        print()
        print_fleet(govbook, args.fleet, args.runs)


def print_fleet(govbook, n, runs):
    plain, with_reports, mb = fleet_bench(govbook, n, runs)
    print(f"| fleet reports | build without (median of {runs}) | build with | added | reports |")
    print("|---|---|---|---|---|")
    print(f"| {n} | {plain:.2f} s | {with_reports:.2f} s | {with_reports - plain:.2f} s | {mb:.0f} MB |")


if __name__ == "__main__":
    main()
