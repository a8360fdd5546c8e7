"""The Simulate page in a real browser: charts render, a preset updates the figures, the what-if
chart appears, share links reopen the view (in either language), and nothing errors."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect

from components import simulate_view as view
from components.i18n import t
from policies import load_all
from policies.engine import Engine
from policies.fields import label
from policies.presets import load_presets

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHART = ".vega-embed canvas, .vega-embed svg"
# The Simulate link by its address: its name (测算) is also part of Cost to a place (成本测算).
SIMULATE_LINK = '[data-testid="stSidebarNavLink"][href$="/simulate"]'
EXCEPTION = '[data-testid="stException"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_MS = 60_000
# Opening a page's own URL (a share link), Streamlit's frontend first probes
# <page>/_stcore/health and <page>/_stcore/host-config to find the server's base path; the
# 404s it logs are the probe, not an app error, and are the only console errors tolerated there.
BASE_PATH_PROBE = re.compile(r"/simulate/_stcore/(health|host-config)$")

ATLAS = load_all()
PRESETS = {p.id: p for p in load_presets()}


def expected_headings(preset_id: str, lang: str = "zh") -> list[str]:
    """The per-document headings of the Clause-by-clause tab, straight from the engine."""
    result = Engine(ATLAS).evaluate(PRESETS[preset_id].profile)
    return [
        f"{view.doc_name(ATLAS, doc.id, lang)} · {view.total_text(doc.lines, doc.total, lang)}"
        for doc in view.ordered(result, ATLAS)
    ]


def watch(page: Page, tolerate: re.Pattern[str] | None = None) -> list[str]:
    """Collect console errors and page errors (except the tolerated base-path probes)."""
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        where = msg.location.get("url", "") if msg.location else ""
        if tolerate is not None and tolerate.search(where):
            return
        errors.append(f"console: {msg.text} @ {where}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


def settle(page: Page) -> None:
    """Wait until Streamlit has finished running the script: the app says it is not running and
    its running indicator is gone."""
    page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS)


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def headings(page: Page) -> list[str]:
    return [h.strip() for h in page.locator('[role="tabpanel"] h4').all_inner_texts()]


def combo(page: Page, widget_label: str) -> Locator:
    """A Streamlit selectbox's input, found by its label (its value is the chosen option)."""
    return page.get_by_role("combobox", name=widget_label, exact=True)


def choose(page: Page, widget_label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by its visible label."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=widget_label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_simulate_renders_updates_on_a_preset_and_draws_the_whatif(
    browser: Browser, app_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    errors = watch(page)
    try:
        # Start at the entry page, as a first-time visitor would
        page.goto(app_url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        page.locator(SIMULATE_LINK).click()
        started = time.monotonic()
        page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
        expect(page.get_by_role("heading", name=t("simulate.title", "zh"))).to_be_visible()
        print(f"simulate: first chart after {time.monotonic() - started:.2f} s")
        assert page.locator(".vega-embed").count() >= 1  # the totals: her share, others apart
        ARTIFACTS.mkdir(exist_ok=True)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "simulate.png"), full_page=True)

        first = next(iter(PRESETS))
        open_tab(page, t("simulate.tab_clauses", "zh"))
        expect(page.locator('[role="tabpanel"] h4').first).to_be_visible(timeout=TIMEOUT_MS)
        assert headings(page) == expected_headings(first)

        open_tab(page, t("simulate.tab_whatif", "zh"))
        panel_chart = page.locator('[role="tabpanel"]:visible .vega-embed')
        expect(panel_chart.first).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_selector(
            '[role="tabpanel"]:visible .vega-embed canvas, '
            '[role="tabpanel"]:visible .vega-embed svg',
            state="visible",
            timeout=TIMEOUT_MS,
        )
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "simulate_whatif.png"), full_page=True)

        open_tab(page, t("simulate.tab_clauses", "zh"))
        target = "maker_space_to_national"
        started = time.monotonic()
        choose(page, t("simulate.preset", "zh"), PRESETS[target].name_zh)
        expect(combo(page, t("simulate.preset", "zh"))).to_have_value(PRESETS[target].name_zh)
        open_tab(page, t("simulate.tab_clauses", "zh"))
        expect(page.locator('[role="tabpanel"] h4').first).to_have_text(
            expected_headings(target)[0], timeout=TIMEOUT_MS
        )
        print(f"simulate: preset applied after {time.monotonic() - started:.2f} s")
        assert headings(page) == expected_headings(target)
        assert f"sim_preset={urllib.parse.quote_plus(PRESETS[target].name_zh)}" in page.url

        open_tab(page, t("simulate.tab_near", "zh"))
        page.get_by_role("button", name=t("simulate.near_apply", "zh")).first.click()
        expect(page.get_by_text(t("simulate.preset_edited", "zh"))).to_be_visible(
            timeout=TIMEOUT_MS
        )
        page.screenshot(path=str(ARTIFACTS / "simulate_near.png"), full_page=True)

        assert page.locator(EXCEPTION).count() == 0
        assert errors == []
    finally:
        context.close()


def test_a_share_link_reopens_the_view_in_either_language(browser: Browser, app_url: str) -> None:
    target = PRESETS["service_agency"]
    # not the input the what-if opens on for this example (that one is its default, kept out of
    # the URL), so the link has to carry it
    field = "service_revenue_prev"
    query = urllib.parse.urlencode(
        {"sim_preset": target.name_zh, "sim_year": "2020", "sim_whatif": label(field, "zh")}
    )
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    page = context.new_page()
    errors = watch(page, tolerate=BASE_PATH_PROBE)
    try:
        # Open the home page first, as a reader who got the link after browsing would.
        page.goto(app_url, timeout=TIMEOUT_MS)
        nav = page.locator(SIMULATE_LINK)
        expect(nav).to_be_visible(timeout=TIMEOUT_MS)
        page.goto(f"{app_url}simulate?{query}", timeout=TIMEOUT_MS)
        page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
        expect(combo(page, t("simulate.preset", "zh"))).to_have_value(target.name_zh)
        expect(combo(page, t("simulate.year", "zh"))).to_have_value("2020")
        open_tab(page, t("simulate.tab_whatif", "zh"))
        expect(combo(page, t("simulate.whatif_field", "zh"))).to_have_value(label(field, "zh"))
        open_tab(page, t("simulate.tab_clauses", "zh"))
        expect(page.locator('[role="tabpanel"] h4').first).to_be_visible(timeout=TIMEOUT_MS)
        assert headings(page) == expected_headings(target.id)

        # Switching the language rewrites the bound parameters in the new language ...
        page.get_by_text("English", exact=True).click()
        expect(combo(page, t("simulate.preset", "en"))).to_have_value(
            target.name_en, timeout=TIMEOUT_MS
        )
        # (each bound widget rewrites its own parameter: wait for the example and the input)
        for english in (target.name_en, label(field, "en")):
            expect(page).to_have_url(
                re.compile(re.escape(urllib.parse.quote_plus(english))), timeout=TIMEOUT_MS
            )
        shared = page.url
        # ... so the link still reopens the same view.
        again = context.new_page()
        errors += watch(again, tolerate=BASE_PATH_PROBE)
        again.goto(shared, timeout=TIMEOUT_MS)
        # the link reopens the tab that was open (Clause by clause), now in English
        clauses = again.get_by_role("tab", name=t("simulate.tab_clauses", "en"), exact=True)
        expect(clauses).to_have_attribute("aria-selected", "true", timeout=TIMEOUT_MS)
        expect(again.locator('[role="tabpanel"] h4').first).to_be_visible(timeout=TIMEOUT_MS)
        expect(combo(again, t("simulate.preset", "en"))).to_have_value(
            target.name_en, timeout=TIMEOUT_MS
        )
        expect(combo(again, t("simulate.year", "en"))).to_have_value("2020", timeout=TIMEOUT_MS)
        open_tab(again, t("simulate.tab_whatif", "en"))
        expect(combo(again, t("simulate.whatif_field", "en"))).to_have_value(label(field, "en"))
        assert again.locator(EXCEPTION).count() == 0
        assert page.locator(EXCEPTION).count() == 0
        assert errors == []
    finally:
        context.close()


# --- a fresh server opened at a page's URL -------------------------------------------------


@pytest.fixture()
def fresh_app_url(chromium_path: Path, tmp_path: Path) -> Iterator[str]:
    """A new `streamlit run app.py` that no session has opened yet."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "server.log").open("wb")
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("streamlit did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_a_fresh_servers_first_deep_link_runs_through_app_py(
    browser: Browser, fresh_app_url: str
) -> None:
    """The first visitor of a fresh server, arriving by a deep link, gets the page through app.py:
    its navigation, language switch and layout, and no "page not found" dialog (the page scripts
    live in views/, which Streamlit does not read as a legacy multipage folder)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{fresh_app_url}simulate", timeout=TIMEOUT_MS)
        page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
        settle(page)
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav).to_contain_text(t("common.nav_overview", "zh"), timeout=TIMEOUT_MS)
        expect(page.get_by_role("heading", name=t("simulate.title", "zh"))).to_be_visible()
        assert page.locator(EXCEPTION).count() == 0
        assert page.get_by_text("Page not found").count() == 0
    finally:
        context.close()
