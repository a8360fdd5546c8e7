"""The research pages in a real browser: each loads, draws its charts, raises nothing and logs no
console error; share links reopen a view; the Sources text links to its records and back.

Screenshots go to test-artifacts/<page>.png. Pages are reached the way a reader does, from the
home page through the sidebar, so the strict "no console error" check holds. Share-link tests
open a deep link instead; there the Streamlit frontend first probes <page>/_stcore/health and
<page>/_stcore/host-config (404) before falling back to /_stcore/…, and only those probes are
tolerated.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHART = ".vega-embed canvas, .vega-embed svg"
TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 2200}
DEEP_LINK_PROBE = re.compile(r"/[a-z]+/_stcore/(health|host-config)$")


class Watch:
    """Console errors, page errors and failed responses seen by one page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.probes: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("response", self._response)

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text} @ {msg.location}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status} {response.url}")
            if DEEP_LINK_PROBE.search(response.url):
                self.probes.append(response.url)

    def unexpected(self) -> list[str]:
        """Errors other than Streamlit's deep-link probes (and the console lines they cause)."""
        if not self.probes:
            return self.errors
        return [
            e for e in self.errors
            if not DEEP_LINK_PROBE.search(e.removeprefix("HTTP 404 "))
            and "Failed to load resource: the server responded with a status of 404" not in e
        ]  # fmt: skip


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


def home(page: Page, app_url: str) -> None:
    """Open the home page and wait until app.py has run (its language switch is drawn): before
    that the sidebar can show Streamlit's automatic page list instead of the app's."""
    page.goto(app_url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.get_by_role("radio", name="English").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stSidebarNavLink"]', timeout=TIMEOUT_MS)


def via_sidebar(page: Page, app_url: str, label: str) -> None:
    """Open the home page, then the page whose navigation label is `label`."""
    home(page, app_url)
    page.locator('[data-testid="stSidebarNavLink"]', has_text=label).click()
    page.wait_for_selector(f'h1:has-text("{TITLES[label]}")', timeout=TIMEOUT_MS)


TITLES = {"对比": "补贴条款对比", "目标": "量化目标", "原文": "原文与出处"}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page: Page) -> None:
    """Wait until Streamlit has finished running the script: the app says it is not running and
    its running indicator is gone."""
    page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS)


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_clean(page: Page, watch: Watch, *, deep_link: bool = False) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    problems = watch.unexpected() if deep_link else watch.errors
    assert problems == []


def test_overview(page: Page, app_url: str) -> None:
    watch = Watch(page)
    started = time.monotonic()
    home(page, app_url)
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    print(f"overview chart after {time.monotonic() - started:.2f} s")
    expect(page.locator('[data-testid="stPageLink"]')).to_have_count(4 + 5)  # guide + cards
    settle(page)
    shoot(page, "overview")
    assert_clean(page, watch)


def test_compare_matrix_and_chart(page: Page, app_url: str) -> None:
    watch = Watch(page)
    via_sidebar(page, app_url, "对比")
    page.wait_for_selector('[data-testid="stTable"]', timeout=TIMEOUT_MS)
    expect(page.locator('[data-testid="stTable"]').first).to_contain_text("无对应条款")
    expect(page.locator('[data-testid="stTable"]').first).to_contain_text("未写明金额")
    settle(page)
    shoot(page, "compare_matrix")

    started = time.monotonic()
    page.get_by_role("radio", name="金额图").click()
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    print(f"compare chart after {time.monotonic() - started:.2f} s")
    settle(page)
    assert "view=" in page.url, "the view is in the URL"
    shoot(page, "compare")
    assert_clean(page, watch)


def test_compare_versions(page: Page, app_url: str) -> None:
    watch = Watch(page)
    via_sidebar(page, app_url, "对比")
    page.get_by_role("radio", name="版本对比").click()
    page.wait_for_selector('[data-testid="stTable"]', timeout=TIMEOUT_MS)
    expect(page.locator('[data-testid="stTable"]').first).to_contain_text("删去")
    settle(page)
    shoot(page, "compare_versions")
    assert_clean(page, watch)


def test_targets_chart_and_timeline(page: Page, app_url: str) -> None:
    watch = Watch(page)
    started = time.monotonic()
    via_sidebar(page, app_url, "目标")
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    print(f"targets chart after {time.monotonic() - started:.2f} s")
    settle(page)
    shoot(page, "targets")
    page.get_by_role("radio", name="时间线").click()
    page.wait_for_url(lambda url: "时间线" in unquote(url), timeout=TIMEOUT_MS)  # its rerun ran
    settle(page)
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    shoot(page, "targets_timeline")
    assert_clean(page, watch)


def test_sources_text_links_both_ways(page: Page, app_url: str) -> None:
    watch = Watch(page)
    via_sidebar(page, app_url, "原文")
    page.wait_for_selector("#user-content-fn-1", state="attached", timeout=TIMEOUT_MS)
    settle(page)
    shoot(page, "sources")
    # from a highlighted sentence to its record (the note) and back
    page.locator('a[href="#user-content-fn-3"]').first.click()
    expect(page.locator("#user-content-fn-3")).to_be_in_viewport()
    page.locator('a[href="#user-content-fnref-3"]').first.click()
    expect(page.locator("#user-content-fnref-3")).to_be_in_viewport()
    assert_clean(page, watch)


def test_share_link_reopens_the_view(page: Page, app_url: str) -> None:
    home(page, app_url)  # a session has run app.py (see the module docstring)
    watch = Watch(page)
    link = f"{app_url}compare?view={quote('金额图')}&docs={quote('柳州 2019')}"
    page.goto(link, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    expect(page.locator('[data-testid="stMultiSelect"]').first).to_contain_text("柳州 2019")
    expect(page.get_by_text("未作图的条款")).to_be_visible()
    assert_clean(page, watch, deep_link=True)


def test_language_switch_keeps_a_valid_share_link(page: Page, app_url: str) -> None:
    home(page, app_url)
    watch = Watch(page)
    page.goto(f"{app_url}sources?doc={quote('青岛 2019')}", timeout=TIMEOUT_MS)
    page.wait_for_selector("#user-content-fn-1", state="attached", timeout=TIMEOUT_MS)
    page.get_by_role("radio", name="English").click()
    page.wait_for_selector('h1:has-text("Sources")', timeout=TIMEOUT_MS)
    settle(page)
    url = unquote(page.url.replace("+", " "))
    assert "doc=Qingdao 2019" in url, url
    shoot(page, "sources_en")

    shared = page.context.new_page()  # the link as shared, opened in a tab of its own
    other = Watch(shared)
    shared.goto(page.url, timeout=TIMEOUT_MS)
    shared.wait_for_selector('h1:has-text("Sources")', timeout=TIMEOUT_MS)
    expect(shared.get_by_role("combobox", name="Document")).to_have_value("Qingdao 2019")
    assert_clean(page, watch, deep_link=True)
    assert_clean(shared, other, deep_link=True)
    shared.close()
