"""Five browser contexts at once: every page draws in each, with no exception box.

One Chromium (the session's browser), five fresh contexts opening /, /compare, /simulate,
/targets and /sources together, page after page (scripts/browser_load.py). Checks that each page
shows its title, its chart where it opens on one, a finished run, no data-testid="stException"
and no uncaught JavaScript error. Times are printed, never asserted; the timeouts are generous
because two cores drawing five pages at once can take a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from scripts.browser_load import PAGES, open_pages, summary

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CONTEXTS = 5


def test_five_contexts_draw_every_page(browser: Browser, app_url: str) -> None:
    visits = open_pages(
        browser, app_url, CONTEXTS, artifacts=ROOT / "test-artifacts" / "browser-load"
    )
    for name, (median, worst, failed) in summary(visits).items():
        print(f"{name}: median {median:.2f} s, worst {worst:.2f} s, {failed} with problems")

    problems = [f"{v.page} (context {v.context}): {p}" for v in visits for p in v.problems]
    assert problems == []
    drawn = {(v.page, v.context) for v in visits if v.seconds is not None}
    assert drawn == {(page, n) for page in PAGES for n in range(1, CONTEXTS + 1)}
