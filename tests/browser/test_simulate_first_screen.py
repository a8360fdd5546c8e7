"""Simulate's first screen answers the founder's question, read from the visible viewport only:
per document, what the operator receives, what goes to others and to whom, what has no stated
amount and whether the document is in its period; and a notice when documents are out of it.
At 1440×900 and 390×844, in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from components import simulate_answer as answer
from components.i18n import t
from policies import load_all
from policies.engine import Engine
from policies.presets import load_presets

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TIMEOUT_MS = 60_000
ATLAS = load_all()
PRESETS = {p.id: p for p in load_presets()}
EXAMPLE = next(iter(PRESETS.values()))  # the example a new session opens on
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# The text of every text node whose box lies (at least partly) inside the viewport.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.bottom > 0 && r.top < window.innerHeight
          && r.right > 0 && r.left < window.innerWidth) { out.push(node.textContent); break; }
    }
  }
  return out.join("\\n");
}"""


def expected(lang: str, year: int | None = None) -> list[answer.DocumentAnswer]:
    """The answer the engine gives for the example, in the page's words."""
    result = Engine(ATLAS).evaluate(EXAMPLE.profile, year)
    return answer.answers(result, ATLAS, lang, dt.date.today().year)


def open_example(page: Page, base: str, lang: str) -> None:
    """Open Simulate in `lang`; a new session shows the first example, already chosen."""
    page.goto(f"{base}simulate" + ("?lang=English" if lang == "en" else ""), timeout=TIMEOUT_MS)
    name = EXAMPLE.name_zh if lang == "zh" else EXAMPLE.name_en
    heading = t("simulate.answer_heading", lang, example=name)
    expect(page.get_by_text(heading, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )


def visible_text(page: Page) -> str:
    return page.evaluate(VISIBLE_TEXT)


def flat(text: str) -> str:
    """Text with line breaks and spaces removed (wrapping splits words across nodes)."""
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_1440_the_first_screen_says_per_document_who_gets_what_and_whether_it_is_in_force(
    browser: Browser, app_url: str, lang: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        open_example(page, app_url, lang)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"simulate_first_screen_{lang}.png"))
        seen = flat(visible_text(page))
        rows = expected(lang)
        notice = answer.validity_notice(rows, None, dt.date.today().year, lang)
        assert notice is not None  # every period has ended
        assert flat(notice) in seen
        for row in rows:
            assert flat(row.name) in seen
            assert flat(row.period) in seen, row.period
            if row.applies:
                assert flat(t("simulate.answer_operator", lang, amount=row.operator)) in seen
                for other in row.others:
                    assert flat(other) in seen, other
            assert flat(row.total) in seen, row.total
        # Jiangdu's total is not all the operator's: the builder's share is named apart
        jiangdu = next(r for r in rows if r.document == "jiangdu_2023")
        builder = t(
            "simulate.answer_other",
            lang,
            recipient=ATLAS.taxonomy.recipients["builder"].zh
            if lang == "zh"
            else ATLAS.taxonomy.recipients["builder"].en,
            amount="",
        )
        assert any(flat(o).startswith(flat(builder)) for o in jiangdu.others)
        assert jiangdu.operator != jiangdu.total
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_notice_computes_for_a_year_in_one_click_and_marks_documents_out_of_period(
    browser: Browser, app_url: str, lang: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        open_example(page, app_url, lang)
        year = answer.best_year(ATLAS)
        page.get_by_role("button", name=t("simulate.notice_use_year", lang, year=year)).click()
        rows = expected(lang, year)
        notice = answer.validity_notice(rows, year, dt.date.today().year, lang)
        assert notice is not None
        expect(page.get_by_text(notice)).to_be_visible(timeout=TIMEOUT_MS)
        seen = flat(visible_text(page))
        for row in rows:
            assert flat(row.period) in seen
            mark = flat(t("simulate.answer_out_mark", lang))
            assert (flat(row.name) + mark in seen) is (not row.in_period)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_answer_comes_before_the_form_and_nothing_scrolls_sideways(
    browser: Browser, app_url: str, lang: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_example(page, app_url, lang)
        page.screenshot(path=str(ARTIFACTS / f"simulate_phone_{lang}.png"))
        seen = flat(visible_text(page))
        rows = expected(lang)
        notice = answer.validity_notice(rows, None, dt.date.today().year, lang)
        assert notice is not None and flat(notice) in seen
        name = EXAMPLE.name_zh if lang == "zh" else EXAMPLE.name_en
        heading = page.get_by_text(t("simulate.answer_heading", lang, example=name), exact=True)
        form = page.get_by_text(t("simulate.form_title", lang), exact=True)
        last = page.get_by_text(rows[-1].period, exact=True)
        assert heading.bounding_box()["y"] < last.bounding_box()["y"] < form.bounding_box()["y"]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_operators_share_per_document_is_on_the_first_screen(
    browser: Browser, app_url: str, lang: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_example(page, app_url, lang)
        result = Engine(ATLAS).evaluate(EXAMPLE.profile)
        seen = flat(visible_text(page))
        for line in answer.summary(result, ATLAS, lang):
            assert flat(line) in seen, line  # within the first 844 px, without scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_whatif_tab_and_its_crossovers_do_not_scroll_sideways(
    browser: Browser, app_url: str, lang: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        query = "?sim_tab=whatif" + ("&lang=English" if lang == "en" else "")
        page.goto(f"{app_url}simulate{query}", timeout=TIMEOUT_MS)
        title = page.get_by_text(t("simulate.crossovers_title", lang), exact=True)
        expect(title).to_be_attached(timeout=TIMEOUT_MS)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
        )
        title.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        main = page.locator("[data-testid=stMain]")
        assert main.evaluate("e => e.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
