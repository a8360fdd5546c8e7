"""Meeting use in a real browser: the Excel export lists every quote the view shows, the
evidence pack holds the view's files, and presentation mode hides the controls and comes back.

Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from urllib.parse import quote

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from components.exports import PROJECT
from components.i18n import t
from policies.loader import load_all
from tests.browser.test_research_pages import (
    CHART,
    TIMEOUT_MS,
    VIEWPORT,
    Watch,
    assert_clean,
    home,
    settle,
    shoot,
    via_sidebar,
)

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def squeeze(text: str) -> str:
    """Text without whitespace (the page wraps lines; the sheet keeps the source's breaks)."""
    return "".join(text.split())


def download(page: Page, label: str) -> bytes:
    """Open the view's Export menu and download the file behind `label`."""
    page.get_by_role("button", name="导出").click()
    button = page.locator('[data-testid="stDownloadButton"] button', has_text=label)
    button.wait_for(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    path = info.value.path()
    page.keyboard.press("Escape")
    return path.read_bytes()


def test_the_excel_export_lists_every_quote_the_view_shows(page: Page, app_url: str) -> None:
    watch = Watch(page)
    via_sidebar(page, app_url, "对比")
    page.wait_for_selector('[data-testid="stTable"]', timeout=TIMEOUT_MS)
    # open one cell of the matrix: its clauses are shown with their quotes
    page.locator('[data-testid="stSelectbox"]').last.click()
    page.get_by_role("option").first.click()
    page.wait_for_selector("blockquote", timeout=TIMEOUT_MS)
    settle(page)
    shown = [squeeze(q) for q in page.locator("blockquote").all_inner_texts()]
    assert shown, "the chosen cell shows its quotes"

    book = openpyxl.load_workbook(io.BytesIO(download(page, "Excel")))
    assert book.sheetnames[-3:] == ["Sources", "Documents", "About"]
    sheet = book["Sources"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    quotes = [squeeze(str(row[header.index("quote")])) for row in rows]
    missing = [q for q in shown if not any(q in full for full in quotes)]
    assert missing == []
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert load_all().data_version in about["source"] and "孵化政策对比" in about["source"]
    assert_clean(page, watch)


def test_the_evidence_pack_holds_the_charts_tables_and_quotes(page: Page, app_url: str) -> None:
    home(page, app_url)
    watch = Watch(page)
    page.goto(f"{app_url}compare?view={quote('金额图')}", timeout=TIMEOUT_MS)
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    settle(page)
    archive = zipfile.ZipFile(io.BytesIO(download(page, "证据包")))
    names = set(archive.namelist())
    assert {"manifest.json", "SOURCE.txt"} <= names
    assert any(n.endswith("_amounts.png") for n in names)
    assert any(n.endswith("_amounts.svg") for n in names)
    assert any(n.endswith(".xlsx") for n in names), names
    svg = next(archive.read(n).decode() for n in names if n.endswith(".svg"))
    # the stamped line (not only the chart's own subtitle): data version and document ids
    version = load_all().data_version
    stamp = t("exports.source_line", "zh", project=PROJECT, version=version)
    assert stamp in svg and "liuzhou_2016" in svg, "the chart carries the export's source line"
    assert_clean(page, watch, deep_link=True)


def test_presentation_mode_hides_the_controls_and_can_be_left(page: Page, app_url: str) -> None:
    home(page, app_url)
    watch = Watch(page)
    link = f"{app_url}compare?view={quote('金额图')}&present=true"
    page.goto(link, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    settle(page)
    expect(page.locator(SIDEBAR)).to_be_hidden()
    expect(page.locator('[data-testid="stMultiSelect"]').first).to_be_hidden()
    expect(page.get_by_role("button", name="导出")).to_be_hidden()
    expect(page.locator("h1", has_text="补贴条款对比")).to_be_visible()
    shoot(page, "compare_presentation")

    page.get_by_role("button", name="退出演示模式").click()
    expect(page.locator('[data-testid="stMultiSelect"]').first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(SIDEBAR)).to_be_visible()
    assert "present=true" not in page.url
    assert_clean(page, watch, deep_link=True)


VISIBLE_CONTROLS = """() => {
  const selector = 'input, button, select, textarea, [role=combobox], [role=radio], '
    + '[role=switch], [role=checkbox], [role=slider], [data-baseweb=select]';
  const skip = '.st-key-present_exit, [role=tab], [data-testid=stElementToolbar], .vega-embed, '
    + '[data-testid=stExpander] summary';
  return [...document.querySelectorAll(selector)]
    .filter(e => e.getClientRects().length > 0 && !e.closest(skip))
    .filter(e => !(e.getAttribute('aria-label') || '').startsWith('Help for'))  // tooltips
    .map(e => (e.getAttribute('aria-label') || e.innerText || e.tagName).trim().slice(0, 40));
}"""

PRESENTED = [
    ("", "h1"),
    ("compare", '[data-testid="stTable"]'),
    ("compare?view=" + quote("金额图"), CHART),
    ("targets", CHART),
    ("sources", "#user-content-fn-1"),
    ("simulate", CHART),
]


@pytest.mark.parametrize(("path", "ready"), PRESENTED)
def test_presentation_mode_shows_no_control_but_the_way_out(
    page: Page, app_url: str, path: str, ready: str
) -> None:
    home(page, app_url)
    joiner = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{joiner}present=true", timeout=TIMEOUT_MS)
    page.wait_for_selector(ready, state="attached", timeout=TIMEOUT_MS)
    settle(page)
    expect(page.get_by_role("button", name="退出演示模式")).to_be_visible()
    assert page.evaluate(VISIBLE_CONTROLS) == []
    if path == "simulate":
        for tab, name in (("差一点就能拿到", "near"), ("解读", "interp"), ("假设分析", "whatif")):
            page.get_by_role("tab", name=tab, exact=True).click()
            page.wait_for_url(lambda url, name=name: f"sim_tab={name}" in url, timeout=TIMEOUT_MS)
            settle(page)  # the tab's rerun, which drew it and named it in the URL, has finished
            assert page.evaluate(VISIBLE_CONTROLS) == [], tab
    shoot(page, f"present_{path.split('?')[0] or 'overview'}")


def test_the_simulate_evidence_pack_holds_every_chart_and_every_quote_shown(
    page: Page, app_url: str
) -> None:
    """Whichever tab is open: the totals chart (each document's split by recipient on it) and
    the what-if chart, their tables, the profile, and on the Sources sheet each quote of the
    Clause-by-clause tab."""
    watch = Watch(page)
    home(page, app_url)
    page.locator('[data-testid="stSidebarNavLink"][href$="/simulate"]').click()
    page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
    page.get_by_role("tab", name="逐条明细", exact=True).click()
    codes = page.locator('[role="tabpanel"] [data-testid="stExpander"] [data-testid="stCode"]')
    expect(codes.first).to_be_attached(timeout=TIMEOUT_MS)
    settle(page)
    shown = [squeeze(q) for q in codes.all_text_contents()]
    assert shown, "the clauses tab shows quotes"

    archive = zipfile.ZipFile(io.BytesIO(download(page, "证据包")))
    names = archive.namelist()
    for part in ("totals", "whatif"):
        assert any(n.endswith(f"_{part}.png") for n in names), (part, names)
        assert any(n.endswith(f"_{part}.svg") for n in names), (part, names)
    for table in ("Totals", "Recipients", "Clauses", "What-if", "Crossovers"):
        assert any(n.endswith(f"_{table}.csv") for n in names), (table, names)
    assert "profile.json" in names
    book = openpyxl.load_workbook(
        io.BytesIO(archive.read(next(n for n in names if n.endswith(".xlsx"))))
    )
    sheet = book["Sources"]
    header = [c.value for c in sheet[1]]
    quotes = [
        squeeze(str(r[header.index("quote")])) for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert [q for q in shown if q not in quotes] == []
    assert_clean(page, watch)
