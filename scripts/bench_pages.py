"""Page benchmark: server reruns, first chart in a real browser, cold start and memory.

Every figure is printed beside a floor measured in the same run on the same machine: for server
reruns, a bare one-chart page run through app.py (its URL check, sidebar, data check and
navigation, with one page drawing one Altair chart) and a bare one-line page; for the browser, a
bare page with one Altair chart.
Run: .venv/bin/python scripts/bench_pages.py [--reruns 10] [--sessions 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import chromium  # noqa: E402

PAGES = {
    "overview": "views/overview.py",
    "compare": "views/compare.py",
    "simulate": "views/simulate.py",
    "targets": "views/targets.py",
    "sources": "views/sources.py",
}
# Where each page first draws a chart (Compare opens on its matrix; Sources has no chart, so its
# figure is the time until the annotated text is shown).
URL_PATHS = {
    "overview": "",
    "compare": "compare?view=%E9%87%91%E9%A2%9D%E5%9B%BE",
    "simulate": "simulate",
    "targets": "targets",
    "sources": "sources",
}
CHART = ".vega-embed canvas, .vega-embed svg"
TEXT = '[data-testid="stMarkdown"]'

# The production settings (also in .streamlit/config.toml, which a script outside the project
# folder does not read) and Streamlit's development defaults, always passed on the command line,
# which wins over config.toml, so every server runs with the settings it is labelled with.
PRODUCTION = {"server.fileWatcherType": "none", "browser.gatherUsageStats": "false"}
DEVELOPMENT = {"server.fileWatcherType": "auto", "browser.gatherUsageStats": "true"}
# Loopback only, never through a proxy from the environment.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
BARE_PAGE = 'import streamlit as st\nst.number_input("x", value=0)\n'
# The app floor: app.py itself, its navigation holding one page that draws one chart. The entry
# script sits in a temporary folder beside a link to views/ (app.py names its pages relative to
# the entry script) and replaces st.navigation's pages for its own run only.
APP_FLOOR = """import runpy
import sys

import altair as alt
import pandas as pd
import streamlit as st

sys.path.insert(0, {root!r})


def bare_chart_page():
    x = st.number_input("x", value=0, key="x")
    df = pd.DataFrame({{"x": list("abc"), "y": [1, 2, 3 + x]}})
    st.altair_chart(alt.Chart(df).mark_bar().encode(x="x", y="y"))


navigation = st.navigation
st.navigation = lambda pages, **kw: navigation([st.Page(bare_chart_page, title="bare")], **kw)
try:
    runpy.run_path({app!r}, run_name="__main__")
finally:
    st.navigation = navigation
"""
FLOOR = "bare one-chart page through app.py"
# The user-visible case on Simulate: one number of the profile changes (not the example).
SIMULATE_INPUT = "sim_new_high_tech_enterprises"
BARE_CHART_PAGE = (
    "import altair as alt\nimport pandas as pd\nimport streamlit as st\n"
    "df = pd.DataFrame({'x': list('abc'), 'y': [1, 2, 3]})\n"
    "st.altair_chart(alt.Chart(df).mark_bar().encode(x='x', y='y'))\n"
)


def _change_a_widget(at, step: int) -> None:  # noqa: ANN001 - AppTest
    """Change the first selectbox, number input or toggle found, as a user would, then rerun."""
    for kind in ("selectbox", "number_input", "toggle", "checkbox"):
        widgets = getattr(at, kind)
        if not widgets:
            continue
        w = widgets[0]
        if kind == "selectbox":
            options = list(w.options)
            w.select_index(step % len(options))
        elif kind == "number_input":
            w.set_value((w.value or 0) + 1)
        else:
            w.set_value(not w.value)
        at.run()
        return
    at.run()


class Timing(NamedTuple):
    """A rerun's median wall time and mean CPU time (ms): on a shared machine the wall time
    also counts waiting for a core, the CPU time only the work done."""

    wall: float
    cpu: float


def _timed(step, reruns: int, cpu_s=time.process_time) -> Timing:  # noqa: ANN001
    """Time `reruns` calls of step(i); `cpu_s` reads the CPU seconds of the process doing the
    work (this one for AppTest, the server's for the agent API)."""
    times = []
    cpu_start = cpu_s()
    for i in range(reruns):
        start = time.perf_counter()
        step(i + 1)
        times.append((time.perf_counter() - start) * 1000)
    return Timing(statistics.median(times), (cpu_s() - cpu_start) * 1000 / reruns)


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def apptest_reruns(reruns: int) -> dict[str, Timing]:
    """Median server-side rerun (ms) after a widget change: the two floors, every page, and
    Simulate after one profile number changes."""
    from streamlit.testing.v1 import AppTest

    out: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_PAGE)
        at = AppTest.from_file(str(bare), default_timeout=60).run()
        out["bare one-line page"] = _timed(lambda i: at.number_input[0].set_value(i).run(), reruns)
        (Path(tmp) / "views").symlink_to(ROOT / "views")
        floor = Path(tmp) / "floor.py"
        floor.write_text(APP_FLOOR.format(root=str(ROOT), app=str(ROOT / "app.py")))
        at = AppTest.from_file(str(floor), default_timeout=60).run()
        floor_at = AppTest.from_file(str(floor), default_timeout=60).run()
        if floor_at.exception or not floor_at.number_input:
            raise SystemExit(f"{FLOOR}: did not draw its page")
        out[FLOOR] = _timed(lambda i: floor_at.number_input[0].set_value(i).run(), reruns)
    for name, path in PAGES.items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.switch_page(path).run()
        out[name] = _timed(lambda i, at=at: _change_a_widget(at, i), reruns)
        if at.exception:
            raise SystemExit(f"{name}: exception during rerun: {at.exception[0].value}")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(PAGES["simulate"]).run()
    number = at.number_input(key=SIMULATE_INPUT)
    base = int(number.value or 0)
    out["simulate: a profile number changed"] = _timed(
        lambda i: at.number_input(key=SIMULATE_INPUT).set_value(base + i).run(), reruns
    )
    if at.exception:
        raise SystemExit(f"simulate: exception during rerun: {at.exception[0].value}")
    return out


def agent_reruns(reruns: int) -> dict[str, Timing]:
    """Median rerun (ms) through a real server's agent API after one widget changes: the app
    floor, and Simulate after one profile number changes. Unlike AppTest, the server reruns only
    the fragment holding the widget, as it does for a reader in a browser."""
    from scripts.load_test import interact

    out: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "views").symlink_to(ROOT / "views")
        floor = Path(tmp) / "floor.py"
        floor.write_text(APP_FLOOR.format(root=str(ROOT), app=str(ROOT / "app.py")))
        cases = [
            (FLOOR, floor, None, "x", 0),
            ("simulate: a profile number changed", ROOT / "app.py", "simulate",
             SIMULATE_INPUT, 100),
        ]  # fmt: skip
        for name, script, page, key, base in cases:
            server = Server(script, ROOT, extra_args=["--server.enableAgentApi=true"])
            try:
                _, snap, _ = interact(server.url, {"page": page} if page else {})
                session = {"session_id": snap["session_id"]}
                for i in range(2):  # warm the caches, as AppTest's first runs do
                    interact(server.url, {**session, "widget_state": {key: base + i}})
                out[name] = _timed(
                    lambda i, url=server.url, s=session, k=key, b=base: interact(
                        url, {**s, "widget_state": {k: b + 2 + i}}
                    ),
                    reruns,
                    lambda pid=server.proc.pid: _cpu_s(pid),
                )
            finally:
                server.stop()
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Server:
    """`streamlit run` on 127.0.0.1 (production settings unless told otherwise); call stop()."""

    def __init__(
        self,
        script: Path,
        cwd: Path,
        extra_args: list[str] | None = None,
        settings: dict[str, str] = PRODUCTION,
    ) -> None:
        self.port = _free_port()
        self.settings = dict(settings)
        options = [f"--{name}={value}" for name, value in self.settings.items()]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(script),
                "--server.headless=true",
                "--server.address=127.0.0.1",
                f"--server.port={self.port}",
                *options,
                *(extra_args or []),
            ],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            self.health_s = self._wait_health()
        except BaseException:
            self.stop()
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _wait_health(self, limit: float = 60) -> float:
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"streamlit exited with code {self.proc.returncode}")
            try:
                with LOCAL.open(f"{self.url}_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"server did not answer its health check within {limit:.0f} s")

    def rss_mib(self) -> float:
        """Resident memory of the server process; 0 once it has exited."""
        try:
            return _rss_kib(self.proc.pid) / 1024
        except OSError:
            return 0.0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)


def first_chart_s(browser, url: str, selector: str = CHART) -> float:  # noqa: ANN001
    """Seconds from navigation to the first drawn Vega chart, in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, timeout=120_000)
        page.wait_for_selector(selector, timeout=120_000)
        return time.perf_counter() - start
    finally:
        context.close()


def browser_figures(sessions: int) -> dict[str, float]:
    """First-chart times, cold start, and memory per page and per extra session."""
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium.EXECUTABLE, headless=True, args=chromium.ARGS
        )
        bare_script = Path(tmp) / "bare_chart.py"
        bare_script.write_text(BARE_CHART_PAGE)
        bare = Server(bare_script, Path(tmp))
        try:
            first_chart_s(browser, bare.url)  # warm the server, as for the app below
            out["bare chart page: first chart (s)"] = statistics.median(
                first_chart_s(browser, bare.url) for _ in range(3)
            )
            out["bare page: server RSS after one session (MiB)"] = bare.rss_mib()
        finally:
            bare.stop()
        app = Server(ROOT / "app.py", ROOT)
        try:
            out["cold start: streamlit run → /_stcore/health (s)"] = app.health_s
            start = time.perf_counter()
            first_chart_s(browser, app.url)
            out["cold start: → Overview first chart (s)"] = (
                app.health_s + time.perf_counter() - start
            )
            for name, path in URL_PATHS.items():
                selector = TEXT if name == "sources" else CHART
                label = "text shown" if name == "sources" else "first chart"
                out[f"{name}: {label} (s)"] = statistics.median(
                    first_chart_s(browser, app.url + path, selector) for _ in range(3)
                )
            rss_all = app.rss_mib()
            out["app: server RSS after every page once (MiB)"] = rss_all
            contexts = []
            for _ in range(sessions):
                context = browser.new_context()
                page = context.new_page()
                page.goto(app.url)
                page.wait_for_selector(CHART, timeout=120_000)
                contexts.append(context)
            out["app: RSS per extra open session (MiB)"] = (app.rss_mib() - rss_all) / sessions
            for context in contexts:
                context.close()
        finally:
            app.stop()
        browser.close()
    return out


def print_reruns(title: str, rows: dict[str, Timing], other: str | None = None) -> None:
    """Wall and CPU time of each rerun, as ratios to the app floor (and to `other` if named)."""
    floor = rows[FLOOR]
    extra = f"  {'÷ ' + other:>22}" if other else ""
    print(f"{title:<44} {'wall ms':>8} {'÷ floor':>8} {'cpu ms':>8} {'÷ floor':>8}{extra}")
    for name, (wall, cpu) in rows.items():
        line = (
            f"  {name:<42} {wall:8.1f} {wall / floor.wall:7.2f}× {cpu:8.1f} {cpu / floor.cpu:7.2f}×"
        )
        if other:
            line += f"  {wall / rows[other].wall:6.2f}× wall {cpu / rows[other].cpu:5.2f}× cpu"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()

    reruns = apptest_reruns(args.reruns)
    print_reruns("AppTest rerun after a widget change", reruns, "bare one-line page")
    print()
    print_reruns("Agent API rerun on a real server", agent_reruns(args.reruns))
    if args.skip_browser:
        return 0
    figures = browser_figures(args.sessions)
    bare_chart = figures["bare chart page: first chart (s)"]
    print(f"\n{'Headless Chromium, fresh context per load':<52} {'value':>8}  ratio")
    for name, value in figures.items():
        timed = name.endswith("first chart (s)") or name.endswith("text shown (s)")
        ratio = f"{value / bare_chart:6.2f}×" if timed else ""
        print(f"  {name:<50} {value:8.2f}  {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
