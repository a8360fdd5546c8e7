"""The research pages (Overview, Compare, Targets, Sources) through AppTest, and their helpers.

Pages start at app.py and are reached with switch_page, in Chinese and in English. Focused tests
check what a researcher relies on: filters change the matrix, a qualitative clause reads "amount
not stated" and never 0, the Liuzhou 2016 → 2019 view lists the free-desk grant as dropped, and
choosing a document on Sources shows its text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import compare as cmp
from components import sources as src
from components import targets as tg
from components import versions
from components.data import documents_in_order
from components.display import amount_short, md_escape
from components.i18n import strings
from policies.models import Atlas

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "compare", "targets", "sources")
LANGS = ("zh", "en")
FREE_DESK = "liuzhou_2016.free_workspace_broadband"
NOT_STATED = {"zh": "未写明金额", "en": "amount not stated"}
DROPPED = {"zh": "删去", "en": "dropped"}


def open_page(page: str, lang: str = "zh", **state: object) -> AppTest:
    """Run app.py, then the page, with the language and any widget state set beforehand."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first st.dataframe on the page that has `column`."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no dataframe with column {column!r}")


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# --- every page, every view, both languages -------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_cleanly(page: str, lang: str) -> None:
    at = open_page(page, lang)
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("page", "key", "view"),
    [("compare", "view", v) for v in cmp.VIEWS] + [("targets", "tview", v) for v in tg.VIEWS],
)
def test_every_view_runs(page: str, key: str, view: str, lang: str) -> None:
    at = open_page(page, lang, **{key: view})
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize(
    ("page", "state"),
    [
        ("compare", {"view": "chart", "log": False}),
        ("targets", {"tview": "chart", "tlog": False}),
        ("compare", {"view": "matrix", "amounts": "qualitative", "docs": ["qingdao_2019"]}),
        ("compare", {"view": "chart", "amounts": "qualitative"}),
        ("sources", {"doc": "jiangdu_2023", "text": "raw"}),
    ],
)
def test_switches_and_edge_filters_run(page: str, state: dict) -> None:
    at = open_page(page, "en", **state)
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang", LANGS)
def test_overview_cards_and_headlines(lang: str, atlas: Atlas) -> None:
    at = open_page("overview", lang)
    text = markdown_text(at)
    # one card heading per document, and the documents that state no amount are named
    for doc in atlas.documents:
        label = doc.policy.short_zh if lang == "zh" else doc.policy.short_en
        assert f"#### {md_escape(label)}" in text
    silent = cmp.documents_without_amounts(atlas)
    assert silent, "Qingdao and Wuhan state no amount at all"
    for doc in silent:
        assert md_escape(doc.policy.short_zh if lang == "zh" else doc.policy.short_en) in text
    table = at.dataframe[0].value
    assert list(table["id"]) == [d.id for d in documents_in_order(atlas)]
    assert at.get("vega_lite_chart"), "the clause-count chart is drawn"


# --- Compare ---------------------------------------------------------------------------------


def matrix_of(at: AppTest) -> pd.DataFrame:
    assert len(at.table) >= 1, "the matrix is an st.table"
    return at.table[0].value


def test_a_filter_changes_the_matrix() -> None:
    at = open_page("compare")
    full = matrix_of(at)
    assert full.shape[1] == 1 + 5, "category column plus one column per document"

    at.multiselect(key="docs").set_value(["liuzhou_2019", "jiangdu_2023"]).run()
    assert not at.exception
    narrowed = matrix_of(at)
    assert list(narrowed.columns[1:]) == ["柳州 2019", "江都 2023"]

    at.multiselect(key="cats").set_value(["recognition_award"]).run()
    one_row = matrix_of(at)
    assert len(one_row) == 1 and len(one_row) < len(full)

    at.multiselect(key="carriers").set_value(["maker_space"]).run()
    maker = matrix_of(at)
    cell = maker.iloc[0]["江都 2023"]
    assert "众创空间" in cell and "孵化器·" not in cell, "incubator-only clauses are filtered out"


@pytest.mark.parametrize("lang", LANGS)
def test_qualitative_clause_reads_not_stated_never_zero(lang: str) -> None:
    at = open_page("compare", lang)
    table = matrix_of(at)
    qingdao = "青岛 2019" if lang == "zh" else "Qingdao 2019"
    header = table.columns[0]
    performance = table[table[header].str.contains("绩效|Performance")].iloc[0]
    assert NOT_STATED[lang] in performance[qingdao]
    # Qingdao states no amount anywhere: no cell of its column shows a sum or a zero
    for cell in table[qingdao]:
        assert "万元" not in cell
        assert not re.search(r"(?<![\d×])0(?!\d)", cell), cell


def test_choosing_a_cell_shows_its_quotes(atlas: Atlas) -> None:
    at = open_page("compare")
    at.selectbox(key="cell").select("performance_award|qingdao_2019").run()
    text = markdown_text(at)
    quote = next(c.quote for c in atlas.document("qingdao_2019").policy.clauses
                 if c.id == "qingdao_2019.performance_award")  # fmt: skip
    assert md_escape(quote) in text
    assert NOT_STATED["zh"] in text


@pytest.mark.parametrize("lang", LANGS)
def test_liuzhou_versions_list_the_free_desk_grant_as_dropped(lang: str, atlas: Atlas) -> None:
    at = open_page("compare", lang, view="versions")
    clause = next(c for c in atlas.document("liuzhou_2016").policy.clauses if c.id == FREE_DESK)
    title = clause.title_zh if lang == "zh" else clause.title_en
    rows = frame_with(at, "原文" if lang == "zh" else "Original text")
    change_col = "变化" if lang == "zh" else "Change"
    title_col = "条款" if lang == "zh" else "Clause"
    row = rows[rows[title_col] == title]
    assert len(row) == 1
    assert row.iloc[0][change_col] == DROPPED[lang]
    # the 2019 additions the issue names are there, as added
    added = set(rows[rows[change_col] == ("新增" if lang == "zh" else "added")][title_col])
    assert len(added) >= 4


def test_chart_view_draws_no_bars_and_lists_not_stated(atlas: Atlas) -> None:
    at = open_page("compare", view="chart")
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert specs and '"bar"' not in specs[0]
    listed = frame_with(at, "原因")
    assert (listed["金额"] == NOT_STATED["zh"]).any()


# --- Targets ---------------------------------------------------------------------------------


def test_targets_table_has_quotes_and_flags_parts(atlas: Atlas) -> None:
    at = open_page("targets", tview="table")
    table = frame_with(at, "原文")
    total = sum(len(d.policy.targets) for d in atlas.documents)
    assert len(table) == total
    parts = table[table["属于"] != ""]
    assert len(parts) == sum(1 for d in atlas.documents for x in d.policy.targets if x.part_of)
    assert (table["原文"].str.len() > 0).all()


def test_targets_filter_by_kind() -> None:
    at = open_page("targets", tview="table")
    at.multiselect(key="kinds").set_value(["floor_area"]).run()
    table = frame_with(at, "原文")
    assert set(table["类型"]) == {"面积"}


# --- Sources ---------------------------------------------------------------------------------


def test_choosing_a_document_shows_its_text(atlas: Atlas) -> None:
    at = open_page("sources")
    at.selectbox(key="doc").select("qingdao_2019").run()
    assert not at.exception
    text = markdown_text(at)
    assert "打造10家标杆孵化器" in text  # a target of Qingdao, highlighted in its text
    assert "青岛市科学技术局" in text
    assert "[^1]" in text, "records are footnoted"


def test_choosing_a_record_marks_it_in_the_text() -> None:
    at = open_page("sources", doc="liuzhou_2019")
    at.selectbox(key="rec").select("liuzhou_2019.benchmark_maker_space").run()
    text = markdown_text(at)
    assert ":orange-background[给予众创空间不高于40万元\\/家的奖励性后补助]" in text
    assert "#user-content-fnref-" in text, "a link back to the sentence"


def test_record_choice_survives_a_document_change() -> None:
    at = open_page("sources", doc="liuzhou_2019")
    at.selectbox(key="rec").select("liuzhou_2019.benchmark_maker_space").run()
    at.selectbox(key="doc").select("wuhan_2021").run()
    assert not at.exception
    assert at.selectbox(key="rec").value is None


def test_language_switch_keeps_the_view() -> None:
    at = open_page("sources", doc="wuhan_2021")
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.selectbox(key="doc").value == "wuhan_2021"


# --- helpers ---------------------------------------------------------------------------------


def test_md_escape_leaves_no_markup() -> None:
    raw = "1. *a* _b_ [c](d) `e` # f > g $5 | h ~~i~~ <b>\n    code?"
    escaped = md_escape(raw)
    unescaped = re.findall(r"(?<!\\)[*_\[\]`$<>~#|()]", escaped)
    assert unescaped == [], escaped
    assert escaped.startswith("1\\.")
    assert "\n    " not in escaped, "no indented code block"


@pytest.mark.parametrize(
    ("clause_id", "zh"),
    [
        ("liuzhou_2019.upgrade_incubator_national", "至少 150万元"),
        ("liuzhou_2019.benchmark_incubator", "最多 80万元/家/年(推定:原文未写期限)"),
        ("jiangdu_2023.renovation_incubator", "20% × 改造实际费用, 最多 200万元"),
        ("jiangdu_2023.first_hte_or_graduate", "3万元/家, 最多 10万元/年"),
        ("jiangdu_2023.major_platform_startup", "50–100万元"),
        ("qingdao_2019.performance_award", "未写明金额"),
    ],
)
def test_amount_short_states_bounds(clause_id: str, zh: str, atlas: Atlas) -> None:
    clause = next(c for d in atlas.documents for c in d.policy.clauses if c.id == clause_id)
    assert amount_short(clause.amount, clause.period, "zh", clause.period_inferred) == zh


def test_carrier_scope_reads_the_condition(atlas: Atlas) -> None:
    clauses = {c.id: c for d in atlas.documents for c in d.policy.clauses}
    assert cmp.carrier_scope(clauses["liuzhou_2016.free_workspace_broadband"]) == ("maker_space",)
    assert cmp.carrier_scope(clauses["jiangdu_2023.major_platform_startup"]) is None


def test_every_clause_is_in_the_matrix_exactly_once(atlas: Atlas) -> None:
    rows = cmp.clause_rows(atlas, "zh")
    mx = cmp.matrix(rows, atlas, "zh")
    listed = [clause for ids in mx.cells.values() for clause in ids]
    assert sorted(listed) == sorted(rows["id"])


def test_amount_marks_never_chart_a_qualitative_clause(atlas: Atlas) -> None:
    rows = cmp.clause_rows(atlas, "en")
    marks, rest = cmp.amount_marks(rows, atlas, "en")
    qualitative = set(rows[rows["status"] == "qualitative"]["id"])
    assert not qualitative & set(marks["clause"])
    assert qualitative <= set(rest["clause"])
    floors = marks[marks["shape"] == "floor"]
    assert floors["high"].isna().all(), "a floor has no invented upper end"
    assert (marks["low"] <= marks["high"].fillna(float("inf"))).all()


def test_version_diff_from_category_matching(atlas: Atlas) -> None:
    rows = cmp.clause_rows(atlas, "en")
    diff = versions.version_diff(atlas, "liuzhou_2016", "liuzhou_2019", rows, "en")
    by_cat = dict(zip(diff.categories["category"], diff.categories["change"], strict=True))
    assert by_cat["space_support"] == "dropped"
    assert by_cat["recognition_award"] == "added"
    assert by_cat["contest_award"] == "added"
    assert by_cat["cultivation_award"] == "added"
    assert by_cat["performance_award"] == "changed"


def test_marks_locate_every_record_and_link_both_ways(atlas: Atlas) -> None:
    for doc in atlas.documents:
        found, missing = src.marks(doc, "zh")
        assert missing == []
        records = {x.id for x in doc.policy.targets} | {c.id for c in doc.policy.clauses}
        assert records <= {m.record for m in found}
        assert [m.number for m in found] == list(range(1, len(found) + 1))
        text = src.annotated_markdown(doc.text, found, None, "zh")
        for m in found:
            assert text.count(f"[^{m.number}]") == 2, "one reference and one note"


def test_overlapping_quotes_are_split_not_lost(atlas: Atlas) -> None:
    doc = atlas.document("liuzhou_2019")
    found, _ = src.marks(doc, "zh")
    text = src.annotated_markdown(doc.text, found, None, "zh")
    # the incubator target's quote is the start of the maker-space target's quote
    assert ":green-background[新增3家以上国家级科技企业孵化器]" in text
    assert ":green-background[,6家以上国家级众创空间]" in text


def test_targets_never_mix_units_in_a_panel(atlas: Atlas) -> None:
    rows = tg.target_rows(atlas, "zh")
    assert (rows.groupby("panel")["unit"].nunique() == 1).all()
    qingdao = rows[rows["id"] == "qingdao_2019.offshore_incubators"].iloc[0]
    assert qingdao["shape"] == "range" and qingdao["value_text"] == "3–5家"
    aspiration = rows[rows["aspiration"]]
    assert aspiration["value_text"].str.startswith("力争").all()


def test_period_status_is_computed_from_today(atlas: Atlas) -> None:
    import datetime as dt

    doc = atlas.document("jiangdu_2023")
    assert src.period_status(doc, dt.date(2026, 11, 22)) == "ended"
    assert src.period_status(doc, dt.date(2024, 1, 1)) == "in_period"
    assert src.period_status(doc, dt.date(2022, 1, 1)) == "before"


# --- interface strings -----------------------------------------------------------------------

OWN = [ROOT / "views" / f"{name}.py" for name in PAGES] + [
    ROOT / "components" / f"{name}.py" for name in ("compare", "targets", "sources", "charts")
]
LITERAL_KEY = re.compile(
    r"""\bt\(\s*["']((?:common|overview|compare|targets|sources)\.[^"'{}]+)["']"""
)
DYNAMIC_KEYS = {
    "compare.amounts_": cmp.AMOUNT_FILTERS,
    "compare.view_": cmp.VIEWS,
    "compare.change_": versions.CHANGES,
    "compare.status_": ("quantified", "qualitative"),
    "compare.period_": ("one_off", "per_year", "per_item", "over_years"),
    "targets.kind_": tg.KINDS,
    "targets.nature_": tg.NATURES,
    "targets.basis_": ("new", "cumulative", "stock"),
    "targets.view_": tg.VIEWS,
    "targets.unit.": tg.UNITS,
    "targets.flag_": ("yes", "no"),
    "sources.kind_": ("clause", "target", "artifact"),
    "sources.text_": src.TEXT_VIEWS,
    "sources.artifact_": (
        "missing_bracket", "squashed_date", "page_fragment", "typo", "missing_punctuation",
        "missing_character", "site_text",
    ),
    "sources.field_": (
        "title", "place", "issuer", "doc_number", "doc_number_note", "issued", "issued_note",
        "period", "period_note", "published", "file", "seed_file", "sha256", "notes",
    ),
    "overview.status_": ("before", "in_period", "ended"),
    "overview.guide_": ("compare", "simulate", "targets", "sources"),
    "common.nav_": ("compare", "simulate", "targets", "sources"),
    "overview.status_label_": ("quantified", "qualitative"),
}  # fmt: skip


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in OWN:
        keys |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    for prefix, suffixes in DYNAMIC_KEYS.items():
        keys |= {f"{prefix}{s}" for s in suffixes}
    return keys


@pytest.mark.parametrize("lang", LANGS)
def test_every_interface_string_exists_in_both_languages(lang: str) -> None:
    keys = used_keys()
    assert len(keys) > 100, "the scan found the keys"
    missing = sorted(k for k in keys if k not in strings(lang))
    assert not missing, f"{lang}: {missing}"


@pytest.mark.parametrize("name", PAGES)
def test_locale_files_have_the_same_keys(name: str) -> None:
    zh = {k for k in strings("zh") if k.startswith(f"{name}.")}
    en = {k for k in strings("en") if k.startswith(f"{name}.")}
    assert zh and zh == en, sorted(zh ^ en)
