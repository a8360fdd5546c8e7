"""Browser load: concurrent Chromium contexts (one browser) open every page of one running app.

Every context opens the same page at the same moment, page after page (/, /compare, /simulate,
/targets, /sources), so the server draws each page for N readers at once. A page counts as drawn
when its title (h1) is shown, its chart too on the pages that open on one (a Vega canvas or svg
of nonzero size), and the script run has finished; a script in the page records that moment
against the page's own navigation start, so the figures do not depend on when Python looks.
Any exception box (data-testid="stException"), uncaught JavaScript error, wrong page or timeout
is reported for its page and context.

The floor, measured in the same run: the same load on a bare page with a title and one chart,
opened twice: first in fresh contexts, which fetch Streamlit's frontend, as they do for the
Overview (the first page), then again with it cached, as for every later page.
Run: .venv/bin/python scripts/browser_load.py [--contexts 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Error, Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import chromium  # noqa: E402
from scripts.bench_pages import Server  # noqa: E402

# name -> (URL path, whether the page opens on a chart). Compare opens on its matrix, Sources
# on the annotated text: for them the title and a finished run are the sign the page is drawn.
PAGES: dict[str, tuple[str, bool]] = {
    "overview": ("", True),
    "compare": ("compare", False),
    "simulate": ("simulate", True),
    "targets": ("targets", True),
    "sources": ("sources", False),
}
BARE_CHART_PAGE = (
    "import altair as alt\nimport pandas as pd\nimport streamlit as st\n"
    "st.title('Bare')\n"
    "df = pd.DataFrame({'x': list('abc'), 'y': [1, 2, 3]})\n"
    "st.altair_chart(alt.Chart(df).mark_bar().encode(x='x', y='y'))\n"
)
PAGE_TIMEOUT_S = 240  # for all contexts to draw one page; 2 cores drawing N pages at once
SETTLE_TIMEOUT_S = 60  # for a drawn page's script run to be finished when it is checked
VIEWPORT = {"width": 1400, "height": 1000}

# Runs in every document before the app's own scripts: every 50 ms it notes the first moment
# (ms since navigation start) the title was shown with the run finished ("text"), the same with a
# drawn chart ("chart"), and the first exception box.
MONITOR = """
(() => {
  if (window.top !== window) return;
  const seen = { text: null, chart: null, exception: null, message: null, path: null };
  window.__pageLoad = seen;
  const drawn = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const tick = () => {
    const now = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    const done = !!app && app.getAttribute('data-test-script-state') === 'notRunning';
    const title = document.querySelector('[data-testid="stMain"] h1');
    const titled = !!title && title.textContent.trim() !== '' && drawn(title);
    const chart = [...document.querySelectorAll('.vega-embed canvas, .vega-embed svg')].some(drawn);
    const error = document.querySelector('[data-testid="stException"]');
    if (error && seen.exception === null) {
      seen.exception = now;
      seen.message = error.textContent.slice(0, 300);
    }
    if (done && titled && seen.text === null) {
      seen.text = now;
      seen.path = location.pathname;
    }
    if (done && titled && chart && seen.chart === null) seen.chart = now;
  };
  setInterval(tick, 50);
})();
"""
DRAWN = """
need => { const s = window.__pageLoad; return !!s && (s[need] !== null || s.exception !== null); }
"""
SETTLED = """
() => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute('data-test-script-state') === 'notRunning'
"""


@dataclass
class Visit:
    """One context's visit to one page: seconds until drawn (None if never), and what went wrong."""

    page: str
    context: int
    seconds: float | None = None
    problems: list[str] = field(default_factory=list)


class Reader:
    """One browser context with one tab, watched by MONITOR and for uncaught JavaScript errors."""

    def __init__(self, browser: Browser, number: int) -> None:
        self.number = number
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(script=MONITOR)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"JavaScript error: {exc}"))

    def open(self, url: str, visit: Visit) -> None:
        """Start loading `url` (returns once the server has answered the navigation)."""
        self.errors.clear()
        try:
            self.page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
        except Error as err:
            visit.problems.append(f"navigation failed: {err}")


def open_pages(
    browser: Browser,
    base_url: str,
    contexts: int = 5,
    pages: dict[str, tuple[str, bool]] = PAGES,
    artifacts: Path | None = None,
) -> list[Visit]:
    """Open every page in `contexts` fresh contexts at once, page after page; one Visit each."""
    readers: list[Reader] = []
    visits: list[Visit] = []
    try:
        for number in range(1, contexts + 1):
            readers.append(Reader(browser, number))
        for name, (path, has_chart) in pages.items():
            need = "chart" if has_chart else "text"
            now = [(reader, Visit(name, reader.number)) for reader in readers]
            for reader, visit in now:
                reader.open(base_url + path, visit)
            deadline = time.monotonic() + PAGE_TIMEOUT_S
            for reader, visit in now:
                if not visit.problems:
                    _await_drawn(reader.page, visit, need, deadline)
            for reader, visit in now:
                if not visit.problems:
                    _check_settled(reader.page, visit, urlsplit(base_url).path + path)
                visit.problems += reader.errors
                if visit.problems and artifacts is not None:
                    _screenshot(reader.page, visit, artifacts / f"{name}-{reader.number}.png")
                visits.append(visit)
    finally:
        for reader in readers:
            reader.context.close()
    return visits


def _await_drawn(page: Page, visit: Visit, need: str, deadline: float) -> None:
    """Wait until the page is drawn (or shows an exception); note its time or the problem."""
    try:
        page.wait_for_function(
            DRAWN, arg=need, timeout=max(1.0, deadline - time.monotonic()) * 1000
        )
    except Error as err:
        visit.problems.append(f"not drawn within {PAGE_TIMEOUT_S} s ({type(err).__name__})")
        return
    seen = page.evaluate("() => window.__pageLoad")
    if seen[need] is not None:
        visit.seconds = seen[need] / 1000


def _check_settled(page: Page, visit: Visit, url_path: str) -> None:
    """Once the run has finished: no exception box, and the page asked for."""
    try:
        page.wait_for_function(SETTLED, timeout=SETTLE_TIMEOUT_S * 1000)
    except Error as err:
        visit.problems.append(f"script still running after {SETTLE_TIMEOUT_S} s ({err})")
    seen = page.evaluate("() => window.__pageLoad")
    boxes = page.locator('[data-testid="stException"]').count()
    if seen["exception"] is not None or boxes:
        visit.problems.append(f"exception shown: {seen['message'] or boxes}")
    if seen["path"] is not None and seen["path"].rstrip("/") != url_path.rstrip("/"):
        visit.problems.append(f"drawn at {seen['path']}, not {url_path}")


def _screenshot(page: Page, visit: Visit, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(path), full_page=True)
    except Error as err:
        visit.problems.append(f"no screenshot: {err}")
    else:
        visit.problems.append(f"screenshot: {path}")


def summary(visits: list[Visit]) -> dict[str, tuple[float, float, int]]:
    """Per page: median and worst seconds to drawn across contexts, and visits with problems."""
    out: dict[str, tuple[float, float, int]] = {}
    for name in dict.fromkeys(v.page for v in visits):
        mine = [v for v in visits if v.page == name]
        times = [v.seconds for v in mine if v.seconds is not None]
        median = statistics.median(times) if times else float("nan")
        worst = max(times) if times else float("nan")
        out[name] = (median, worst, sum(1 for v in mine if v.problems))
    return out


def measure(browser: Browser, script: Path, cwd: Path, contexts: int, pages: dict) -> list[Visit]:
    """Start a server (production settings), warm it with every page once, then load it."""
    server = Server(script, cwd)
    try:
        open_pages(browser, server.url, 1, pages)
        return open_pages(
            browser, server.url, contexts, pages, ROOT / "test-artifacts" / "browser-load"
        )
    finally:
        server.stop()


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contexts", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium.EXECUTABLE, headless=True, args=chromium.ARGS
        )
        try:
            bare = Path(tmp) / "bare_chart.py"
            bare.write_text(BARE_CHART_PAGE)
            floor = {"bare, fresh context": ("", True), "bare, again": ("", True)}
            visits = measure(browser, bare, Path(tmp), args.contexts, floor)
            visits += measure(browser, ROOT / "app.py", ROOT, args.contexts, PAGES)
        finally:
            browser.close()
    print(
        f"{args.contexts} contexts in one headless Chromium open each page at once; seconds from "
        "navigation to the page drawn (title, chart where it opens on one, run finished)"
    )
    print(f"{'page':<20} {'median s':>9} {'worst s':>8}  problems")
    for name, (median, worst, failed) in summary(visits).items():
        print(f"{name:<20} {median:>9.2f} {worst:>8.2f}  {failed}")
    problems = [f"{v.page} (context {v.context}): {p}" for v in visits for p in v.problems]
    for problem in problems[:20]:
        print("problem:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
