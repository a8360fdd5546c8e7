"""A fresh server's first visit may be a deep link: it must still go through app.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

NAV = '[data-testid="stSidebarNav"] a'
PAGES = len(list((Path(__file__).resolve().parents[2] / "views").glob("*.py")))  # one link each
WAIT_MS = 60_000


def test_a_first_deep_link_opens_its_page_and_parameters_through_the_app(
    browser: Browser, fresh_app_url: str
) -> None:
    page = browser.new_page()
    try:
        page.goto(fresh_app_url + "targets?lang=English")
        expect(page.locator("h1").first).to_have_text("Quantified targets", timeout=WAIT_MS)
        expect(page.locator(NAV)).to_have_count(PAGES, timeout=WAIT_MS)
        links = [a.inner_text() for a in page.locator(NAV).all()]
        assert not any(text.strip() in {"app", "compare", "targets"} for text in links), links
        expect(page.get_by_text("语言 · Language")).to_have_count(1)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        assert "lang=" in page.url
        # a second visitor then gets the app directly, with its URL state
        other = browser.new_page()
        other.goto(fresh_app_url + "compare?lang=English")
        expect(other.locator("h1").first).to_have_text("Compare money clauses", timeout=WAIT_MS)
        expect(other.locator(NAV)).to_have_count(PAGES, timeout=WAIT_MS)
        other.close()
    finally:
        page.close()
