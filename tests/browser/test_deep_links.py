"""A fresh server's first visit may be a deep link: it must still go through app.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

NAV = '[data-testid="stSidebarNav"] a'


def test_a_first_deep_link_runs_the_app_with_its_navigation(
    browser: Browser, fresh_app_url: str
) -> None:
    page = browser.new_page()
    try:
        page.goto(fresh_app_url + "targets")
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_timeout(1500)
        links = [a.inner_text() for a in page.locator(NAV).all()]
        assert len(links) == 5, links
        assert not any(text.strip() in {"app", "compare", "targets"} for text in links), links
        assert page.get_by_text("语言 · Language").count() == 1
        # a second visitor then gets the app directly, with its URL state
        other = browser.new_page()
        other.goto(fresh_app_url + "targets?lang=English")
        other.wait_for_selector("h1", timeout=60_000)
        other.wait_for_timeout(1500)
        assert other.locator("h1").first.inner_text() == "Quantified targets"
        other.close()
    finally:
        page.close()
