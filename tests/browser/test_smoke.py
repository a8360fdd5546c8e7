"""Smoke test in a real browser: the overview renders a chart with no errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHART = ".vega-embed canvas, .vega-embed svg"
TIMEOUT_MS = 60_000


def test_overview_renders_chart(browser: Browser, app_url: str) -> None:
    """The overview shows its Vega chart and table, no exception box, no console errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        """Record console errors."""
        if msg.type == "error":
            errors.append(f"console: {msg.text} @ {msg.location}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    try:
        started = time.monotonic()
        page.goto(app_url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=TIMEOUT_MS)
        first_chart_s = time.monotonic() - started
        print(f"first chart after {first_chart_s:.2f} s")

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

        assert page.locator('[data-testid="stException"]').count() == 0
        assert errors == []
    finally:
        context.close()
