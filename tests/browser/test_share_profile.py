"""A Simulate view with an edited profile and a switched reading, shared by its link: the link
opened in a new browser context (a recipient with no session) shows the same form and the same
totals, figure for figure; a hostile link opens the defaults with a notice."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, expect

from components import profile_form as form
from components import readings_view, share_link
from components import url_keys as keys
from components.i18n import t
from policies import load_all
from policies.engine import Engine
from policies.presets import load_presets
from policies.profile import Profile, parse_profile
from policies.readings import with_across

pytestmark = pytest.mark.browser

CHART = ".vega-embed canvas, .vega-embed svg"
# The Simulate link by its address: its name (测算) is also part of Cost to a place (成本测算).
SIMULATE_LINK = '[data-testid="stSidebarNavLink"][href$="/simulate"]'
EXCEPTION = '[data-testid="stException"]'
TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1500, "height": 1100}
# Opening a page's own URL, Streamlit's frontend first probes <page>/_stcore/health and
# <page>/_stcore/host-config for the base path; those 404s are not app errors.
BASE_PATH_PROBE = re.compile(r"/simulate/_stcore/(health|host-config)$")
LANG = "zh"

ATLAS = load_all()
PRESETS = {p.id: p for p in load_presets()}
PRESET = PRESETS["service_agency"]
EDITS = {"service_revenue": 2600, "service_revenue_prev": 0, "new_tech_smes": 12}
EDITED = parse_profile({**PRESET.profile.model_dump(), **EDITS})
READING = ("jiangdu_2023.growth_from_zero", "counts_as_growth")
NOTICE = t("common.url_ignored", LANG, names="")


def watch(page: Page) -> list[str]:
    """Console and page errors, except the base-path probes."""
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        where = msg.location.get("url", "") if msg.location else ""
        if msg.type == "error" and not BASE_PATH_PROBE.search(where):
            errors.append(f"console: {msg.text} @ {where}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def amount_input(page: Page, name: str) -> Locator:
    """A profile field's number input, found by its label as the form writes it."""
    text = form.field_label(name, LANG)
    if Profile.model_fields[name].annotation is float:
        text += t("simulate.unit_suffix", LANG)
    return page.get_by_label(text, exact=True)


def shown(value: int) -> re.Pattern[str]:
    """A whole number as a number input shows it: 2600 or 2600.00."""
    return re.compile(rf"^{value}(\.0+)?$")


def settle(page: Page) -> None:
    """Wait until Streamlit has finished running the script (no status widget)."""
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=TIMEOUT_MS)


def set_number(page: Page, name: str, value: int) -> None:
    """Type a value once the page is idle; a rerun still in flight when typing began (a loaded
    machine) can write the preset's value back, so the value is typed again, up to three times."""
    box = amount_input(page, name)
    for _ in range(3):
        settle(page)
        box.fill(str(value))
        box.press("Enter")
        settle(page)
        if shown(value).match(box.input_value()):
            break
    expect(box).to_have_value(shown(value), timeout=TIMEOUT_MS)


def reading_group(page: Page, ident: str) -> Locator:
    question = ATLAS.interpretations[ident].question_zh
    return page.locator('[data-testid="stRadio"]').filter(has_text=question)


def choice_label(ident: str, choice: str) -> str:
    return next(c.label_zh for c in ATLAS.interpretations[ident].choices if c.id == choice)


def totals_rows(page: Page) -> list[list[str]]:
    """The per-document totals table as rendered (the grid's accessible rows), header first."""
    open_tab(page, t("simulate.tab_results", LANG))
    header = t("simulate.col_status", LANG)
    grid = page.locator('[data-testid="stDataFrame"]').filter(has_text=header)
    expect(grid).to_have_count(1, timeout=TIMEOUT_MS)
    return grid.evaluate(
        """e => [...e.querySelectorAll('[role=row]')].map(r =>
            [...r.querySelectorAll('[role=gridcell],[role=columnheader]')]
                .map(c => c.textContent.trim()))"""
    )


def wait_for_totals(page: Page, first_cells: list[str]) -> list[list[str]]:
    """The totals rows once the table shows `first_cells` for some row (the run has finished)."""
    open_tab(page, t("simulate.tab_results", LANG))
    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has_text=t("simulate.col_status", LANG)
    )
    for cell in first_cells:
        expect(grid).to_contain_text(cell, timeout=TIMEOUT_MS)
    return totals_rows(page)


def share_link_text(page: Page) -> str:
    """The link the Reproduce tab offers to copy."""
    open_tab(page, t("simulate.tab_reproduce", LANG))
    code = page.locator('[data-testid="stCode"]').filter(has_text="sim_profile=")
    expect(code).to_have_count(1, timeout=TIMEOUT_MS)
    return code.inner_text().strip()


def query(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urllib.parse.urlsplit(url)
    return parts.path, urllib.parse.parse_qs(parts.query)


def expected_cells(profile: Profile, choices: dict[str, str]) -> list[str]:
    """Each document's total wording, as the page words it (from the engine, not the page)."""
    engine = Engine(ATLAS, choices)
    result = with_across(engine, profile, engine.evaluate(profile))
    return [readings_view.total_words(doc, LANG) for doc in result.documents]


def test_an_edited_view_reopens_identically_from_its_link_in_a_new_context(
    browser: Browser, app_url: str
) -> None:
    edited, (ident, choice) = EDITED, READING
    # the test means something: the edits and the reading both change the totals
    assert expected_cells(edited, {}) != expected_cells(PRESET.profile, {})
    assert expected_cells(edited, {ident: choice}) != expected_cells(edited, {})

    sender = browser.new_context(viewport=VIEWPORT)
    page = sender.new_page()
    errors = watch(page)
    try:
        page.goto(app_url, timeout=TIMEOUT_MS)
        nav = page.locator(SIMULATE_LINK)
        expect(nav).to_be_visible(timeout=TIMEOUT_MS)
        nav.click()
        page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)

        boxes = page.locator('[data-testid="stSelectbox"]')
        boxes.filter(has_text=t("simulate.preset", LANG)).click()
        page.get_by_role("option", name=PRESET.name_zh, exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(urllib.parse.quote_plus(PRESET.name_zh))))
        for name, value in EDITS.items():
            set_number(page, name, value)
        expect(page).to_have_url(re.compile(r"sim_profile="), timeout=TIMEOUT_MS)

        open_tab(page, t("simulate.tab_interp", LANG))
        group = reading_group(page, ident)
        group.get_by_text(choice_label(ident, choice), exact=True).click()
        expect(page).to_have_url(re.compile(r"sim_readings="), timeout=TIMEOUT_MS)

        wanted = expected_cells(edited, {ident: choice})
        totals = wait_for_totals(page, wanted)
        assert set(wanted) <= {row[1] for row in totals[1:]}, totals

        link = share_link_text(page)
        assert query(link) == query(page.url), (link, page.url)
        path, params = query(link)
        assert path.endswith("/simulate")
        assert params[keys.PROFILE_PARAM] == [share_link.encode_profile(edited, PRESET.profile)]
        assert params[keys.READINGS_PARAM] == [f"{ident}~{choice}"]

        # A recipient: a new browser context, no cookies, no session, the link only.
        receiver = browser.new_context(viewport=VIEWPORT)
        try:
            other = receiver.new_page()
            errors += watch(other)
            other.goto(link, timeout=TIMEOUT_MS)
            # the link reopens the tab it was copied from (Reproduce & export) ...
            tab = t("simulate.tab_reproduce", LANG)
            reproduce = other.get_by_role("tab", name=tab, exact=True)
            expect(reproduce).to_have_attribute("aria-selected", "true", timeout=TIMEOUT_MS)
            # ... and the totals are the sender's, row for row
            assert wait_for_totals(other, wanted) == totals
            for name, value in EDITS.items():
                expect(amount_input(other, name)).to_have_value(shown(value), timeout=TIMEOUT_MS)
            open_tab(other, t("simulate.tab_interp", LANG))
            picked = reading_group(other, ident).get_by_role("radio", checked=True)
            expect(picked).to_have_count(1)
            expect(picked).to_have_accessible_name(
                re.compile(re.escape(choice_label(ident, choice)))
            )
            assert other.get_by_text(NOTICE).count() == 0  # no parameter was refused
            assert other.locator(EXCEPTION).count() == 0
        finally:
            receiver.close()
        assert page.locator(EXCEPTION).count() == 0
        assert errors == []
    finally:
        sender.close()


def test_a_hostile_profile_link_opens_the_defaults_with_a_notice(
    browser: Browser, app_url: str
) -> None:
    hostile = {
        keys.PROFILE_PARAM: "<script>alert(1)</script>",
        keys.READINGS_PARAM: "jiangdu_2023.top_up~everything",
    }
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors = watch(page)
    try:
        page.goto(app_url, timeout=TIMEOUT_MS)
        expect(page.locator(SIMULATE_LINK)).to_be_visible(timeout=TIMEOUT_MS)
        page.goto(f"{app_url}simulate?{urllib.parse.urlencode(hostile)}", timeout=TIMEOUT_MS)
        page.wait_for_selector(CHART, state="visible", timeout=TIMEOUT_MS)
        notice = page.locator('[data-testid="stAlert"]').filter(has_text="sim_profile")
        expect(notice).to_be_visible(timeout=TIMEOUT_MS)
        expect(notice).to_contain_text("sim_readings")
        assert page.locator("script", has_text="alert(1)").count() == 0
        first = next(iter(PRESETS.values()))
        wait_for_totals(page, expected_cells(first.profile, {}))
        # the refused values are gone from the address, so a copied link is clean
        expect(page).not_to_have_url(re.compile("sim_profile|sim_readings"), timeout=TIMEOUT_MS)
        assert page.locator(EXCEPTION).count() == 0
        assert errors == []
    finally:
        context.close()
