"""Compare on a 1920 × 1080 projector in presentation mode: the amounts chart fills the page's
width with every row label whole and large enough to read, the presenter moves between pages
without leaving presentation mode or the language, and the chart downloads as a PNG.

Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from components import compare as cmp
from policies.loader import load_all
from tests.browser.test_research_pages import CHART, TIMEOUT_MS, Watch, assert_clean, settle, shoot

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
CHART_LINK = "compare?view=Amounts+chart&present=true&lang=English"
MIN_SHARE = 0.8  # of the main block's width
MIN_TEXT_PX = 16

MEASURE = """() => {
  const main = document.querySelector('.stMainBlockContainer').getBoundingClientRect();
  const svg = document.querySelector('[data-testid=stVegaLiteChart] svg');
  const box = svg.getBoundingClientRect();
  const axis = [...svg.querySelectorAll('[aria-roledescription=axis]')]
    .find(a => (a.getAttribute('aria-label') || '').startsWith('Y-axis'));
  const labels = [...axis.querySelectorAll('.role-axis-label text')]
    .filter(t => t.textContent.trim() !== '')
    .map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, left: r.left, right: r.right,
              size: parseFloat(t.getAttribute('font-size'))};
    });
  const words = [...svg.querySelectorAll('.mark-text.role-mark text')].map(t => ({
    text: t.textContent, right: t.getBoundingClientRect().right,
    size: parseFloat(t.getAttribute('font-size'))}));
  return {main: main.width, chart: box.width, left: box.left, right: box.right, labels, words};
}"""


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PROJECTOR, accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def rows() -> list[str]:
    """The rows the chart draws, as the page builds them in English."""
    atlas = load_all()
    marks, _ = cmp.amount_marks(cmp.clause_rows(atlas, "en"), atlas, "en")
    return list(dict.fromkeys(marks["row"]))


def open_chart(page: Page, app_url: str) -> None:
    page.goto(app_url + CHART_LINK, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    settle(page)


def test_on_a_projector_the_amounts_chart_fills_the_page_with_every_row_label_whole(
    page: Page, app_url: str, rows: list[str]
) -> None:
    watch = Watch(page)
    open_chart(page, app_url)
    shoot(page, "present_compare_chart_1920")
    seen = page.evaluate(MEASURE)
    assert seen["chart"] >= MIN_SHARE * seen["main"]
    # one label per row, none cut short, none outside the picture
    shown = ["".join(label["text"].split()) for label in seen["labels"]]
    assert len(seen["labels"]) >= len(rows)
    for row in rows:
        assert "".join(row.split()) in "".join(shown), row
    assert not any("…" in label["text"] for label in seen["labels"])
    assert all(seen["left"] <= label["left"] for label in seen["labels"])
    # label and value text large enough for the back of the room, and inside the picture
    assert min(label["size"] for label in seen["labels"]) >= MIN_TEXT_PX
    assert seen["words"] and min(word["size"] for word in seen["words"]) >= MIN_TEXT_PX
    assert all(word["right"] <= seen["right"] + 1 for word in seen["words"])
    assert_clean(page, watch, deep_link=True)


def test_a_presenter_moves_to_another_page_and_stays_in_presentation_mode_and_english(
    page: Page, app_url: str
) -> None:
    open_chart(page, app_url)
    nav = page.locator(".st-key-present_nav")
    expect(nav).to_be_visible()
    expect(nav.locator('[data-testid="stPageLink"]')).to_have_count(6)
    nav.get_by_role("link", name="Simulate").click()
    page.wait_for_url(lambda url: "/simulate" in url, timeout=TIMEOUT_MS)
    settle(page)
    assert "present=true" in page.url and "lang=English" in page.url
    expect(page.locator("h1").first).to_be_visible()
    expect(page.get_by_role("button", name="Leave presentation mode")).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    shoot(page, "present_simulate_from_nav_1920")


def test_the_compare_chart_downloads_as_a_png_from_its_export_menu(
    page: Page, app_url: str
) -> None:
    page.goto(
        app_url + "compare?view=Amounts+chart&lang=English",
        wait_until="domcontentloaded",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    settle(page)
    page.get_by_role("button", name="Export").click()
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="PNG")
    button.wait_for(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    assert info.value.suggested_filename.endswith("_amounts.png")
    assert info.value.path().read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
