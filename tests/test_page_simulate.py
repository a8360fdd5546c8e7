"""The Simulate page through Streamlit's AppTest (starting at app.py), and its form helpers.

Every expected figure comes from the engine itself (policies.engine.Engine), never from a
number written here.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import shlex
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from components import form_values, readings_view, share_link
from components import simulate_clauses as clauses_view
from components import simulate_view as view
from components import simulate_whatif as whatif
from components import url_keys as keys
from components.display import md_escape
from components.i18n import strings, t
from policies import cli, load_all
from policies.engine import Engine, Result
from policies.fields import form_bounds, form_groups, label, profile_bounds
from policies.fmt import num
from policies.models import Atlas
from policies.near_misses import near_misses
from policies.presets import Preset, load_presets
from policies.profile import (
    FORM_MAX_AMOUNT,
    FORM_MAX_COUNT,
    Profile,
    parse_profile,
    parse_profile_json,
)
from policies.readings import with_across
from tests.strategies import examples

ROOT = Path(__file__).resolve().parents[1]
PAGE = "views/simulate.py"
OWN_FILES = [
    "views/simulate.py",
    "components/profile_form.py",
    "components/simulate_inputs.py",
    "components/share_link.py",
    "components/url_state.py",
    "components/simulate_view.py",
    "components/simulate_clauses.py",
    "components/simulate_whatif.py",
    "components/simulate_charts.py",
]
PRESETS = load_presets()


def preset(ident: str) -> Preset:
    return next(p for p in PRESETS if p.id == ident)


def open_page(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if lang != "zh":
        at.segmented_control(key="lang").set_value(lang).run()
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def open_tab(at: AppTest, name: str, lang: str = "zh") -> AppTest:
    """Show one result tab, as a click on it does: only the open tab is drawn."""
    label = t(f"simulate.tab_{name}", lang)
    if at.session_state[keys.TABS_KEY] != label:
        at.session_state[keys.TABS_KEY] = label
        at.run()
        assert_clean(at)
    return at


def codes(at: AppTest) -> dict[str, str]:
    """The Reproduce tab's code blocks by language (profile JSON, CLI command)."""
    open_tab(at, "reproduce", current(at))
    return {c.language: c.value for c in at.code}


def current(at: AppTest) -> str:
    return at.session_state.get("lang", "zh")


TABLE_MARKERS = {"totals": "simulate.col_low", "crossovers": "simulate.col_leader"}


def table(at: AppTest, which: str, lang: str = "zh"):
    """The one table whose columns include the marker column of `which`."""
    marker = t(TABLE_MARKERS[which], lang)
    frames = [df.value for df in at.dataframe if marker in df.value.columns]
    assert len(frames) == 1, f"table {which!r} not found once"
    return frames[0]


def shown_totals(at: AppTest, lang: str = "zh") -> dict[str, tuple[str, str, str]]:
    """document name -> (low, high, wording) as the totals table shows them."""
    open_tab(at, "results", lang)
    frame = table(at, "totals", lang)
    cols = [t(f"simulate.col_{c}", lang) for c in ("document", "low", "high", "wording")]
    return {row[0]: (row[1], row[2], row[3]) for row in frame[cols].itertuples(index=False)}


def full_result(engine: Engine, profile: Profile, year: int | None = None) -> Result:
    """An evaluation as Simulate makes it: with each document's range across readings."""
    return with_across(engine, profile, engine.evaluate(profile, year))


def expected_totals(atlas: Atlas, result: Result, lang: str = "zh") -> dict:
    """The same three cells computed straight from an engine result (the wording names the range
    across readings where a reading moves the total)."""
    out = {}
    for doc in result.documents:
        not_stated = any(line.status == "not_stated" for line in doc.lines)
        computed = any(line.status == "computed" for line in doc.lines)
        if not computed and not_stated:
            low = high = "—"
        else:
            low = num(doc.total.low)
            high = t("simulate.unbounded", lang) if doc.total.high is None else num(doc.total.high)
        name = view.doc_name(atlas, doc.id, lang)
        out[name] = (low, high, readings_view.total_words(doc, lang))
    return out


def chart_rows(element) -> list[dict]:
    """Every data row of a Streamlit Vega-Lite chart (as Arrow datasets or inline in the spec)."""
    rows: list[dict] = []
    for dataset in element.proto.datasets:
        frame = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
        rows.extend(frame.to_dict("records"))
    for values in json.loads(element.proto.spec).get("datasets", {}).values():
        rows.extend(values)
    return rows


def choose_preset(at: AppTest, ident: str) -> None:
    at.selectbox(key=keys.PRESET_KEY).set_value(ident).run()
    assert_clean(at)


# --- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs_in_both_languages_with_its_charts(lang: str) -> None:
    at = open_page(lang)
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == t("simulate.title", lang)
    labels = [tab.label for tab in at.tabs]
    assert t("simulate.tab_whatif", lang) in labels and t("simulate.tab_interp", lang) in labels
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1, "the totals, the operator's share and the money to others apart"
    charts += open_tab(at, "whatif", lang).get("vega_lite_chart")
    assert len(charts) == 2, "and the what-if chart on its own tab"
    marks = json.dumps([json.loads(c.proto.spec) for c in charts])
    assert '"bar"' not in marks
    # the default preset is loaded into the form on first open
    first = PRESETS[0]
    assert at.selectbox(key=keys.PRESET_KEY).value == first.id
    assert at.number_input(key=keys.key("renovation_cost")).value == (first.profile.renovation_cost)


def test_each_preset_gives_the_engine_totals(atlas: Atlas) -> None:
    at = open_page()
    engine = Engine(atlas)
    for item in PRESETS:
        choose_preset(at, item.id)
        expected = expected_totals(atlas, full_result(engine, item.profile))
        assert shown_totals(at) == expected, item.id
        assert not at.error, (item.id, [e.value for e in at.error])
        assert shown_profile(at) == item.profile, item.id


def test_changing_one_input_changes_only_the_documents_that_read_it(atlas: Atlas) -> None:
    at = open_page()
    base = preset("municipal_incubator_to_provincial").profile
    choose_preset(at, "municipal_incubator_to_provincial")
    before = shown_totals(at)
    changed = base.model_copy(update={"renovation_cost": base.renovation_cost + 200})
    at.number_input(key=keys.key("renovation_cost")).set_value(changed.renovation_cost).run()
    assert_clean(at)
    after = shown_totals(at)
    engine = Engine(atlas)
    assert after == expected_totals(atlas, full_result(engine, changed))
    moved = {name for name in after if after[name] != before[name]}
    jiangdu = view.doc_name(atlas, "jiangdu_2023", "zh")
    assert moved == {jiangdu}, moved
    assert at.info, "the form says it differs from the preset"


def test_switching_an_interpretation_changes_the_affected_total(atlas: Atlas) -> None:
    at = open_page()
    profile = preset("maker_space_to_national").profile
    choose_preset(at, "maker_space_to_national")
    jiangdu = view.doc_name(atlas, "jiangdu_2023", "zh")
    default_total = Engine(atlas).evaluate(profile).document("jiangdu_2023").total
    assert shown_totals(at)[jiangdu][0] == num(default_total.low)

    open_tab(at, "interp").radio(key=keys.interp_key("jiangdu_2023.top_up")).set_value("full")
    at.run()
    assert_clean(at)
    full = full_result(Engine(atlas, {"jiangdu_2023.top_up": "full"}), profile)
    full_total = full.document("jiangdu_2023").total
    assert full_total.low > default_total.low  # the full national award, not the top-up
    assert shown_totals(at) == expected_totals(atlas, full)
    command = codes(at)["bash"]
    assert "--interpretation jiangdu_2023.top_up=full" in command
    assert command.count("--interpretation") == 1  # only the non-default reading

    open_tab(at, "interp").button(key="sim_interp_reset").click().run()
    assert shown_totals(at)[jiangdu][0] == num(default_total.low)


def test_an_invalid_profile_lists_its_problems_and_keeps_the_last_good_result(
    atlas: Atlas,
) -> None:
    at = open_page()
    choose_preset(at, "contest_winners")
    good = shown_totals(at)
    editor = keys.contests_key(at.session_state[keys.CONTESTS_VERSION])
    at.session_state[editor] = {
        "edited_rows": {0: {"rd_investment": -5.0}, 1: {"level": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    errors = " ".join(e.value for e in at.error)
    assert t("simulate.problems_title") in errors
    # both problems, each with its field and entry
    assert "greater than or equal to 0" in errors
    for where in ("contest_awards[0].rd_investment", "contest_awards[1].level"):
        assert md_escape(share_link.problem_text(where, "x", "zh")[:-3]) in errors
    assert any(t("simulate.showing_last_good") in w.value for w in at.warning)
    assert shown_totals(at) == good

    # fixing the entry brings the results back to the new, valid profile
    at.session_state[editor] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    assert not at.error
    fixed = preset("contest_winners").profile
    fixed = fixed.model_copy(update={"contest_awards": fixed.contest_awards[1:]})
    assert shown_totals(at) == expected_totals(atlas, full_result(Engine(atlas), fixed))


def test_a_saved_profile_can_be_loaded_back(atlas: Atlas) -> None:
    at = open_page()
    saved = preset("service_agency").profile.model_copy(update={"service_revenue": 1500.0})
    text = whatif.profile_json(saved).encode("utf-8")
    at.file_uploader(key=keys.UPLOAD_KEY).set_value(("profile.json", text, "application/json"))
    at.run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert shown_totals(at) == expected_totals(atlas, full_result(Engine(atlas), saved))
    assert at.number_input(key=keys.key("service_revenue")).value == 1500.0
    # the form stays editable after loading (the file is applied once, not on every rerun)
    at.number_input(key=keys.key("service_revenue")).set_value(1100.0).run()
    changed = saved.model_copy(update={"service_revenue": 1100.0})
    assert shown_totals(at) == expected_totals(atlas, full_result(Engine(atlas), changed))


def test_a_bad_profile_file_is_refused_with_its_problems(atlas: Atlas) -> None:
    at = open_page()
    good = shown_totals(at)
    bad = json.dumps({"renovation_cost": -1, "carrier_type": "castle"}).encode("utf-8")
    at.file_uploader(key=keys.UPLOAD_KEY).set_value(("bad.json", bad, "application/json"))
    at.run()
    assert_clean(at)
    errors = " ".join(e.value for e in at.error)
    # shown as Markdown with every ASCII punctuation mark escaped, so compare escaped text
    assert md_escape("bad.json") in errors
    assert md_escape(share_link.problem_text("renovation_cost", "x", "zh")[:-3]) in errors
    assert md_escape(share_link.problem_text("carrier_type", "x", "zh")[:-3]) in errors
    assert shown_totals(at) == good


def test_a_near_miss_can_be_tried_in_one_click(atlas: Atlas) -> None:
    at = open_page()
    profile = preset("municipal_incubator_to_provincial").profile
    choose_preset(at, "municipal_incubator_to_provincial")
    engine = Engine(atlas)
    misses = near_misses(engine.evaluate(profile), engine, profile)
    first = misses[0]
    assert first.kind == "action"  # the first card is something the founder can do
    open_tab(at, "near")
    buttons = [b for b in at.button if b.key and b.key.startswith("sim_try_0_")]
    assert len(buttons) == 1
    buttons[0].click().run()
    said = [x.value for x in at.toast]
    assert_clean(at)
    changed = profile.model_copy(update={first.field: first.value})
    assert shown_totals(at) == expected_totals(atlas, full_result(engine, changed))
    line = next(
        x
        for x in engine.evaluate(changed).document(first.document).lines
        if x.clause == first.clause
    )
    assert line.status in {"computed", "not_stated"}
    # the click is said in words once: which field, from what, to what, and how to undo it
    assert said == [
        t(
            "simulate.near_tried",
            "zh",
            field=label(first.field, "zh"),
            before=clauses_view.show_value(first.field, getattr(profile, first.field), "zh"),
            after=clauses_view.show_value(first.field, first.value, "zh"),
        )
    ]
    assert not at.run().toast


def test_a_year_marks_documents_out_of_force(atlas: Atlas) -> None:
    at = open_page()
    at.selectbox(key=keys.YEAR_KEY).set_value(2020).run()
    assert_clean(at)
    status = table(at, "totals").set_index(t("simulate.col_document"))[t("simulate.col_status")]
    for doc in atlas.documents:
        name = view.doc_name(atlas, doc.id, "zh")
        assert status[name] == view.validity_text(doc, 2020, "zh")
    rows = [r for r in chart_rows(at.get("vega_lite_chart")[0]) if "in_force" in r]
    assert {r["document"]: r["in_force"] for r in rows} == {
        d.id: d.in_force(2020) for d in atlas.documents
    }
    assert "--year 2020" in codes(at)["bash"]


def test_the_whatif_sweep_draws_and_lists_crossovers(atlas: Atlas) -> None:
    at = open_page()
    choose_preset(at, "municipal_incubator_to_provincial")
    open_tab(at, "whatif")
    assert at.selectbox(key=keys.WHATIF_KEY).value == "renovation_cost"
    sweep = [c for c in at.get("vega_lite_chart") if any("segment" in r for r in chart_rows(c))]
    assert len(sweep) == 1
    # by default the lines follow what the operator receives: renovation pays Jiangdu's builder
    rows = [r for r in chart_rows(sweep[0]) if r.get("document") == "jiangdu_2023"]
    engine = Engine(atlas)
    profile = preset("municipal_incubator_to_provincial").profile
    share = engine.evaluate(profile).document("jiangdu_2023").by_recipient["carrier_operator"]
    assert {r["low"] for r in rows} == {share.low}
    # everyone's totals on request, with the crossovers as sentences (no wide table)
    at.segmented_control(key=keys.WHATIF_WHO_KEY).set_value(True).run()
    assert_clean(at)
    sweep = [c for c in at.get("vega_lite_chart") if any("segment" in r for r in chart_rows(c))]
    rows = [r for r in chart_rows(sweep[0]) if r.get("document") == "jiangdu_2023"]
    assert len({r["low"] for r in rows}) > 1
    marked = {r["at"] for r in chart_rows(sweep[0]) if "at" in r}
    assert marked, "the what-if chart marks its crossovers"
    jiangdu = view.doc_name(atlas, "jiangdu_2023", "zh")
    sentences = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any(jiangdu in s for s in sentences)
    assert not any(t("simulate.col_leader") in f.columns for f in (d.value for d in at.dataframe))

    at.selectbox(key=keys.WHATIF_KEY).set_value("new_high_tech_enterprises").run()
    assert_clean(at)
    xs = {r["x"] for c in at.get("vega_lite_chart") for r in chart_rows(c) if "segment" in r}
    assert xs and all(float(x).is_integer() for x in xs)

    # an empty range is refused with a message, not an exception
    key_from, key_to = keys.whatif_keys("new_high_tech_enterprises")
    at.number_input(key=key_from).set_value(5).run()
    at.number_input(key=key_to).set_value(5).run()
    assert_clean(at)
    assert any(t("simulate.whatif_bad_range") in w.value for w in at.warning)


def test_the_reproduce_command_gives_the_same_result(
    atlas: Atlas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = open_page()
    choose_preset(at, "offshore_incubator")
    at.selectbox(key=keys.YEAR_KEY).set_value(2021).run()
    open_tab(at, "interp")
    at.radio(key=keys.interp_key("jiangdu_2023.renovation_recipient")).set_value(
        "carrier_operator"
    ).run()
    assert_clean(at)
    shown_codes = codes(at)
    profile_file = tmp_path / whatif.PROFILE_FILE
    profile_file.write_text(shown_codes["json"], encoding="utf-8")
    words = shlex.split(shown_codes["bash"])
    assert words[:5] == shlex.split(whatif.CLI_PREFIX) + [whatif.PROFILE_FILE]
    args = words[4:]
    args[0] = str(profile_file)
    args[args.index("--format") + 1] = "json"
    capsys.readouterr()
    assert cli.main(["simulate", *args]) == 0
    printed = json.loads(capsys.readouterr().out)
    shown = shown_totals(at)
    for doc in printed["documents"]:
        name = view.doc_name(atlas, doc["id"], "zh")
        assert shown[name][0] in {num(doc["total"]["low"]), "—"}, name
    assert printed["year"] == 2021


# --- the form's pure parts ---------------------------------------------------------------


def test_every_profile_field_is_in_exactly_one_group() -> None:
    grouped = [name for _, fields in form_groups() for name in fields]
    assert sorted(grouped) == sorted(Profile.model_fields)
    assert len(grouped) == len(set(grouped))


def test_form_bounds_stay_inside_the_profile_bounds() -> None:
    for name in [*form_values.SCALAR_FIELDS, "rd_investment"]:
        if (
            name in form_values.CHOICES
            or Profile.model_fields.get(name)
            and (Profile.model_fields[name].annotation is bool)
        ):
            continue
        low, high = form_bounds(name)
        p_low, p_high = profile_bounds(name)
        assert p_low <= low < high <= p_high, name
    low, high = form_bounds("offshore_rent", item=True)
    assert (low, high) == (0.0, FORM_MAX_AMOUNT)


@pytest.mark.parametrize("item", PRESETS, ids=lambda p: p.id)
def test_widget_state_round_trips_every_preset(item: Preset) -> None:
    state = form_values.widget_values(item.profile)
    rows = [form_values.contest_row(a) for a in item.profile.contest_awards]
    assert parse_profile(form_values.collected(state, rows)) == item.profile
    assert form_values.same_profile(parse_profile(form_values.collected(state, rows)), item.profile)


def test_contest_rows_from_the_editor_become_entries() -> None:
    assert form_values.contest_entry({"level": "city", "rank": "2", "rd_investment": 30}) == {
        "level": "city",
        "rank": 2,
        "rd_investment": 30.0,
    }
    blank = form_values.contest_entry({"level": None, "rank": None, "rd_investment": float("nan")})
    assert blank == {"level": None, "rank": None}
    with pytest.raises(ValueError):  # ProfileError: level and rank are required
        parse_profile({"contest_awards": [blank]})


def test_problems_name_the_field_and_entry_in_the_reader_language() -> None:
    zh = share_link.problem_text("contest_awards[2].rd_investment", "bad", "zh")
    assert zh == "大赛获奖 · 第 3 项 · 项目研发总投入: bad"
    assert share_link.problem_text("renovation_cost", "bad", "en") == "renovation cost: bad"
    assert share_link.problem_text("(profile)", "bad", "en") == "(profile): bad"


def test_every_simulate_string_used_in_code_exists() -> None:
    keys = set()
    for rel in OWN_FILES:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text.startswith("simulate.") and " " not in text and text[-1] not in "._":
                    keys.add(text)
    assert keys, "the scan found no keys"
    missing = {k for k in keys if k not in strings("zh") or k not in strings("en")}
    assert not missing, missing
    for group, _ in form_groups():
        assert f"simulate.group.{group}" in strings("zh"), group
    for bound in ("low", "high"):
        assert f"simulate.bound_{bound}" in strings("zh")
    for tab in ("results", "clauses", "near", "whatif", "interp", "reproduce"):
        assert f"simulate.tab_{tab}" in strings("zh")


# --- share links: the edited profile and the readings in the URL --------------------------

ATLAS = load_all()
SERVICE = preset("service_agency")
# A profile edited on top of a preset in every kind of field: choice, toggle, count, amount,
# grade pills, rent years and a contest entry.
EDITED = parse_profile(
    {
        **SERVICE.profile.model_dump(mode="json"),
        "level_after": "provincial",
        "rated_excellent": True,
        "new_tech_smes": 12,
        "service_revenue": 2600.0,
        "service_revenue_prev": 0.0,
        "evaluation_grade_a": ["provincial"],
        "offshore_rent": [120.0, 80.5],
        "contest_awards": [{"level": "city", "rank": 2, "rd_investment": 300.0}],
    }
)


def b64(text: str | bytes) -> str:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def open_link(params: dict[str, str], lang: str = "zh") -> AppTest:
    """A fresh session opened at the Simulate page's URL with `params` (a recipient's first run)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    if lang != "zh":
        at.query_params["lang"] = "English"
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    return at


def shown_profile(at: AppTest) -> Profile:
    """The profile the Reproduce tab prints (the one the results are for)."""
    return parse_profile_json(codes(at)["json"])


def form_profile(at: AppTest) -> Profile:
    """The profile the form widgets hold."""
    rows = at.session_state[keys.CONTESTS_ROWS]
    state = {k: at.session_state[k] for k in form_values.widget_values(Profile())}
    return parse_profile(form_values.collected(state, rows))


def notices(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def readings_of(at: AppTest) -> dict[str, str]:
    open_tab(at, "interp")  # the switches are drawn on their own tab only
    return {i: at.radio(key=keys.interp_key(i)).value for i in ATLAS.interpretations}


def test_a_link_with_a_profile_shows_the_same_profile_and_totals_as_editing_by_hand(
    atlas: Atlas,
) -> None:
    link = {
        keys.PRESET_KEY: SERVICE.name_zh,
        keys.PROFILE_PARAM: share_link.encode_profile(EDITED, SERVICE.profile),
    }
    linked = open_link(link)
    assert not linked.warning, notices(linked)
    assert linked.selectbox(key=keys.PRESET_KEY).value == SERVICE.id
    assert form_profile(linked) == EDITED
    assert shown_profile(linked) == EDITED
    expected = expected_totals(atlas, full_result(Engine(atlas), EDITED))
    assert shown_totals(linked) == expected

    # the same fields set by hand in the form (contest rows as the editor would add them)
    at = open_page()
    choose_preset(at, SERVICE.id)
    at.segmented_control(key=keys.key("level_after")).set_value("provincial").run()
    at.toggle(key=keys.key("rated_excellent")).set_value(True).run()
    at.number_input(key=keys.key("new_tech_smes")).set_value(12).run()
    at.number_input(key=keys.key("service_revenue")).set_value(2600.0).run()
    at.number_input(key=keys.key("service_revenue_prev")).set_value(0.0).run()
    at.pills(key=keys.key("evaluation_grade_a")).set_value(["provincial"]).run()
    at.number_input(key=keys.RENT_YEARS_KEY).set_value(2).run()
    at.number_input(key=keys.rent_key(1)).set_value(120.0).run()
    at.number_input(key=keys.rent_key(2)).set_value(80.5).run()
    editor = keys.contests_key(at.session_state[keys.CONTESTS_VERSION])
    at.session_state[editor] = {
        "edited_rows": {},
        "added_rows": [{"level": "city", "rank": "2", "rd_investment": 300.0}],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    assert shown_profile(at) == EDITED
    assert shown_totals(at) == shown_totals(linked) == expected
    # ... and editing by hand writes that very parameter
    assert at.query_params[keys.PROFILE_PARAM] == link[keys.PROFILE_PARAM]


def test_editing_fields_and_readings_round_trips_through_the_url(atlas: Atlas) -> None:
    start = preset("maker_space_to_national")
    at = open_link({keys.PRESET_KEY: start.name_zh})  # the address bar as the browser shows it
    assert keys.PROFILE_PARAM not in at.query_params  # nothing edited yet
    at.number_input(key=keys.key("new_high_tech_enterprises")).set_value(4).run()
    at.toggle(key=keys.key("hosted_major_event")).set_value(True).run()
    at.number_input(key=keys.key("renovation_cost")).set_value(333.33).run()
    open_tab(at, "interp").radio(key=keys.interp_key("jiangdu_2023.top_up")).set_value("full")
    at.run()
    at.radio(key=keys.interp_key("liuzhou_2019.upgrade_path")).set_value("named_steps").run()
    open_tab(at, "results")  # the first tab: not in the URL
    params = dict(at.query_params)
    # the what-if opens on the number of new high-tech enterprises for this example; editing
    # that number keeps the range drawn before, so the link carries the range too
    assert set(params) - {keys.RANGE_PARAM} == {
        keys.PRESET_KEY, keys.PROFILE_PARAM, keys.READINGS_PARAM,
    }  # fmt: skip
    assert params[keys.READINGS_PARAM] == (
        "jiangdu_2023.top_up~full-liuzhou_2019.upgrade_path~named_steps"
    )
    again = open_link(params)
    assert not again.warning, notices(again)
    assert form_profile(again) == form_profile(at) == shown_profile(at)
    assert readings_of(again) == readings_of(at)
    assert shown_totals(again) == shown_totals(at)
    choices = {"jiangdu_2023.top_up": "full", "liuzhou_2019.upgrade_path": "named_steps"}
    result = full_result(Engine(atlas, choices), shown_profile(at))
    assert shown_totals(again) == expected_totals(atlas, result)
    # opening the link rewrites nothing: it is already the state it shows
    assert dict(again.query_params) == params


def test_a_link_in_english_round_trips_too(atlas: Atlas) -> None:
    link = {
        keys.PRESET_KEY: SERVICE.name_en,
        keys.PROFILE_PARAM: share_link.encode_profile(EDITED, SERVICE.profile),
        keys.READINGS_PARAM: "jiangdu_2023.growth_from_zero~counts_as_growth",
    }
    at = open_link(link, lang="en")
    assert not at.warning, notices(at)
    assert form_profile(at) == EDITED
    result = full_result(
        Engine(atlas, {"jiangdu_2023.growth_from_zero": "counts_as_growth"}), EDITED
    )
    assert shown_totals(at, "en") == expected_totals(atlas, result, "en")


def test_changing_the_preset_drops_the_edits_from_the_url() -> None:
    link = {
        keys.PRESET_KEY: SERVICE.name_zh,
        keys.PROFILE_PARAM: share_link.encode_profile(EDITED, SERVICE.profile),
    }
    at = open_link(link)
    choose_preset(at, "offshore_incubator")
    assert keys.PROFILE_PARAM not in at.query_params
    assert form_profile(at) == preset("offshore_incubator").profile
    # editing again writes the edits relative to the new preset
    at.number_input(key=keys.key("graduated_enterprises")).set_value(7).run()
    assert share_link.decode_profile(
        at.query_params[keys.PROFILE_PARAM], preset("offshore_incubator").profile, "zh"
    ) == preset("offshore_incubator").profile.model_copy(update={"graduated_enterprises": 7})
    # "restore the example" and "back to the default readings" empty the URL again
    open_tab(at, "interp").radio(key=keys.interp_key("jiangdu_2023.top_up")).set_value("full")
    at.run()
    assert keys.READINGS_PARAM in at.query_params
    at.button(key="sim_reset").click().run()
    at.button(key="sim_interp_reset").click().run()
    assert_clean(at)
    assert keys.PROFILE_PARAM not in at.query_params
    assert keys.READINGS_PARAM not in at.query_params


def test_edits_to_a_preset_the_link_does_not_name_correctly_are_not_applied(
    atlas: Atlas,
) -> None:
    link = {
        keys.PRESET_KEY: "no such example",
        keys.PROFILE_PARAM: share_link.encode_profile(EDITED, SERVICE.profile),
    }
    at = open_link(link)
    shown = notices(at)
    assert md_escape(keys.PROFILE_PARAM) in shown and md_escape(keys.PRESET_KEY) in shown
    assert md_escape(t("simulate.link_preset_refused")) in shown
    assert form_profile(at) == PRESETS[0].profile
    assert shown_totals(at) == expected_totals(
        atlas, full_result(Engine(atlas), PRESETS[0].profile)
    )


NAN_JSON = '{"renovation_cost":NaN}'
HOSTILE_PROFILES = [
    "!!!",
    "a",
    "<script>alert(1)</script>",
    "孵化器",
    "%7B%7D",
    b64("not json"),
    b64("[1,2]"),
    b64("null"),
    b64(b"\xff\xfe\x00"),
    b64('{"castle":1}'),
    b64('{"<script>alert(1)</script>":"<img src=x onerror=alert(1)>"}'),
    b64('{"renovation_cost":-5}'),
    b64('{"renovation_cost":1e300}'),
    b64('{"renovation_cost":1e999}'),
    b64(NAN_JSON),
    b64('{"renovation_cost":Infinity}'),
    b64('{"renovation_cost":"300"}'),
    b64('{"renovation_cost":5000000}'),  # allowed by the profile, beyond the form's maximum
    b64('{"new_tech_smes":true}'),
    b64('{"new_tech_smes":2.5}'),
    b64('{"new_tech_smes":100000}'),
    b64('{"carrier_type":"孵化器😀\\u202e"}'),
    b64('{"offshore_rent":[1,2,3,4,5,6]}'),
    b64('{"evaluation_grade_a":["national","national"]}'),
    b64('{"contest_awards":[{"level":"city","rank":4}]}'),
    b64("[" * 1000),
    b64('{"a":' * 400 + "1" + "}" * 400),
    "A" * 5000,  # oversized: dropped before the page reads it
]
HOSTILE_READINGS = [
    "<script>alert(1)</script>",
    "jiangdu_2023.top_up",
    "jiangdu_2023.top_up~everything",
    "nowhere.nothing~full",
    "jiangdu_2023.top_up~full-jiangdu_2023.top_up~full",
    "解读~全部",
    "~",
    "x" * 600,
]


@pytest.mark.parametrize(
    ("profile", "readings"),
    [(p, HOSTILE_READINGS[i % len(HOSTILE_READINGS)]) for i, p in enumerate(HOSTILE_PROFILES)],
    ids=[str(i) for i in range(len(HOSTILE_PROFILES))],
)
def test_a_hostile_link_falls_back_to_the_defaults_with_a_notice_naming_it(
    atlas: Atlas, profile: str, readings: str
) -> None:
    at = open_link({keys.PROFILE_PARAM: profile, keys.READINGS_PARAM: readings})
    shown = notices(at)
    assert t("common.url_ignored", names="") in shown
    assert md_escape(keys.PROFILE_PARAM) in shown, shown
    assert md_escape(keys.READINGS_PARAM) in shown, shown
    assert "<script>" not in shown and "<img" not in shown
    assert len(shown) < 1000  # named and explained briefly, not echoed
    first = PRESETS[0].profile
    assert form_profile(at) == first
    assert readings_of(at) == {i: x.default for i, x in atlas.interpretations.items()}
    assert shown_totals(at) == expected_totals(atlas, full_result(Engine(atlas), first))
    # the refused values leave the URL, so a copied link is clean
    assert keys.PROFILE_PARAM not in at.query_params
    assert keys.READINGS_PARAM not in at.query_params


def test_a_hostile_link_notice_is_in_the_reader_language() -> None:
    at = open_link({keys.PROFILE_PARAM: b64('{"renovation_cost":-5}')}, lang="en")
    shown = notices(at)
    assert md_escape(share_link.problem_text("renovation_cost", "x", "en")[:-3]) in shown, shown
    at = open_link({keys.PROFILE_PARAM: b64('{"renovation_cost":5000000}')})
    shown = notices(at)
    assert md_escape(t("simulate.link_form_max", "zh", max=num(FORM_MAX_AMOUNT))) in shown


def test_an_empty_or_redundant_link_value_is_accepted_silently() -> None:
    for value in ("", b64("{}"), b64(f'{{"service_revenue":{SERVICE.profile.service_revenue}}}')):
        at = open_link({keys.PRESET_KEY: SERVICE.name_zh, keys.PROFILE_PARAM: value})
        assert not at.warning, (value, notices(at))
        assert form_profile(at) == SERVICE.profile
    at = open_link({keys.READINGS_PARAM: "jiangdu_2023.top_up~difference"})  # the default
    assert not at.warning, notices(at)


def test_a_repeated_parameter_takes_its_last_value_and_is_written_back_once() -> None:
    one_sme = SERVICE.profile.model_copy(update={"new_tech_smes": 1})
    first = share_link.encode_profile(one_sme, SERVICE.profile)
    last = share_link.encode_profile(EDITED, SERVICE.profile)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params[keys.PRESET_KEY] = SERVICE.name_zh
    at.query_params[keys.PROFILE_PARAM] = [first, last]
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    assert form_profile(at) == EDITED
    assert at.query_params[keys.PROFILE_PARAM] == last


def test_a_profile_too_large_for_a_link_says_so() -> None:
    at = open_page()
    awards = [{"level": "city", "rank": 1 + i % 3, "rd_investment": 1000.25 + i} for i in range(80)]
    big = Profile.model_validate({"contest_awards": awards})
    limit = keys.max_length(keys.PROFILE_PARAM)
    assert len(share_link.encode_profile(big, PRESETS[0].profile)) > limit
    text = whatif.profile_json(big).encode("utf-8")
    at.file_uploader(key=keys.UPLOAD_KEY).set_value(("big.json", text, "application/json"))
    at.run()
    assert_clean(at)
    assert shown_profile(at) == big
    assert keys.PROFILE_PARAM not in at.query_params
    assert any(t("simulate.share_too_big") in w.value for w in at.warning)


def test_an_uploaded_value_beyond_the_form_is_refused_not_silently_reset(atlas: Atlas) -> None:
    at = open_page()
    good = shown_totals(at)
    text = json.dumps({"renovation_cost": 5e6, "offshore_rent": [1, 2, 3, 4, 5, 6]})
    at.file_uploader(key=keys.UPLOAD_KEY).set_value(("far.json", text.encode(), "text/json"))
    at.run()
    assert_clean(at)
    errors = " ".join(e.value for e in at.error)
    assert md_escape(share_link.problem_text("renovation_cost", "x", "zh")[:-3]) in errors
    assert md_escape(share_link.problem_text("offshore_rent", "x", "zh")[:-3]) in errors
    assert shown_totals(at) == good


def test_the_reproduce_tab_offers_the_link_to_copy() -> None:
    link = {
        keys.PRESET_KEY: SERVICE.name_zh,
        keys.PROFILE_PARAM: share_link.encode_profile(EDITED, SERVICE.profile),
    }
    at = open_tab(open_link(link), "reproduce")
    links = [c.value for c in at.code if keys.PROFILE_PARAM in c.value]
    assert len(links) == 1
    shared = parse_qs(urlsplit(links[0]).query)
    opened = {**link, keys.TAB_PARAM: "reproduce"}  # the tab the link was copied from
    assert shared == {k: [v] for k, v in opened.items()}
    assert any(t("simulate.share_note") in c.value for c in at.caption)


# --- the share-link codec ----------------------------------------------------------------

AMOUNTS = st.floats(0, FORM_MAX_AMOUNT, allow_nan=False, allow_infinity=False)
FIELD_VALUES = {
    "carrier_type": st.sampled_from(form_values.CHOICES["carrier_type"]),
    "level_before": st.sampled_from(form_values.CHOICES["level_before"]),
    "level_after": st.sampled_from(form_values.CHOICES["level_after"]),
    "evaluation_grade_a": st.lists(st.sampled_from(form_values.GRADE_LEVELS), unique=True),
    "offshore_rent": st.lists(AMOUNTS, max_size=form_values.MAX_RENT_YEARS),
    "contest_awards": st.lists(
        st.fixed_dictionaries(
            {
                "level": st.sampled_from(form_values.CONTEST_LEVELS),
                "rank": st.sampled_from([1, 2, 3]),
                "rd_investment": AMOUNTS,
            }
        ),
        max_size=3,
    ),
}
for _name in form_values.SCALAR_FIELDS:
    _kind = Profile.model_fields[_name].annotation
    if _kind is bool:
        FIELD_VALUES[_name] = st.booleans()
    elif _kind is int:
        FIELD_VALUES[_name] = st.integers(0, FORM_MAX_COUNT)
    elif _kind is float:
        FIELD_VALUES[_name] = AMOUNTS
PROFILES = st.fixed_dictionaries({}, optional=FIELD_VALUES).map(parse_profile)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=30), inner),
    max_leaves=8,
)
JSON_OBJECTS = st.dictionaries(
    st.sampled_from([*Profile.model_fields, "x", "<b>"]) | st.text(max_size=10), JSON_VALUES
)


def _decoded_or_refused(text: str) -> Profile | None:
    """The decoder's only outcomes: a profile the form can show, or a LinkError."""
    base = PRESETS[0].profile
    try:
        profile = share_link.decode_profile(text, base, "en")
    except share_link.LinkError as err:
        assert err.detail and err.reason in {"invalid", "too_long"}
        return None
    assert share_link.form_problems(profile, "en") == []
    return profile


@examples(400)
@given(text=st.text(max_size=3000))
def test_decoding_any_text_gives_a_profile_or_a_link_error(text: str) -> None:
    _decoded_or_refused(text)


@examples(300)
@given(text=st.from_regex(r"[A-Za-z0-9_-]{0,120}", fullmatch=True))
def test_decoding_any_base64_text_gives_a_profile_or_a_link_error(text: str) -> None:
    _decoded_or_refused(text)


@examples(200)
@given(data=JSON_OBJECTS)
def test_decoding_any_json_object_gives_a_profile_or_a_link_error(data: dict) -> None:
    try:
        text = json.dumps(data, allow_nan=True)
    except ValueError:
        return
    _decoded_or_refused(b64(text))


@examples(300)
@given(text=st.text(max_size=700))
def test_decoding_any_readings_text_gives_readings_or_a_link_error(text: str) -> None:
    try:
        chosen = share_link.decode_readings(text, ATLAS, "en")
    except share_link.LinkError as err:
        assert err.detail
        return
    for ident, choice in chosen.items():
        assert choice in {c.id for c in ATLAS.interpretations[ident].choices}


@examples(300)
@given(profile=PROFILES, base=st.sampled_from(PRESETS))
def test_every_profile_the_form_can_hold_round_trips_through_its_link(
    profile: Profile, base: Preset
) -> None:
    text = share_link.encode_profile(profile, base.profile)
    assert re.fullmatch(r"[A-Za-z0-9_-]*", text)
    assert (text == "") == form_values.same_profile(profile, base.profile)
    assert form_values.same_profile(share_link.decode_profile(text, base.profile, "zh"), profile)


@examples(200)
@given(
    choices=st.fixed_dictionaries(
        {
            ident: st.sampled_from([c.id for c in interp.choices])
            for ident, interp in ATLAS.interpretations.items()
        }
    )
)
def test_every_set_of_readings_round_trips_through_its_link(choices: dict[str, str]) -> None:
    text = share_link.encode_readings(ATLAS, choices)
    assert re.fullmatch(r"[A-Za-z0-9_.~-]*", text)  # nothing a URL needs to escape
    decoded = share_link.decode_readings(text, ATLAS, "zh")
    assert clauses_view.non_default(ATLAS, decoded) == clauses_view.non_default(ATLAS, choices)


def test_reading_ids_and_choices_never_contain_the_link_separators() -> None:
    for ident, interp in ATLAS.interpretations.items():
        for word in [ident, *(c.id for c in interp.choices)]:
            assert re.fullmatch(r"[a-z0-9_.]+", word), word


def test_a_typical_edit_gives_a_short_link() -> None:
    base = SERVICE.profile
    text = share_link.encode_profile(base.model_copy(update={"service_revenue": 2600.0}), base)
    assert json.loads(base64.urlsafe_b64decode(text + "==")) == {"service_revenue": 2600}
    assert len(text) < 40
    # nine fields of every kind, contest entry included, stay far inside the limit
    assert len(share_link.encode_profile(EDITED, base)) < keys.max_length(keys.PROFILE_PARAM) / 4


# --- result tabs -------------------------------------------------------------------------


def test_only_the_open_tab_is_drawn_and_it_stays_open_across_a_language_switch() -> None:
    at = open_page()
    assert not [c for c in at.code if c.language == "json"], "Reproduce is not drawn yet"
    open_tab(at, "reproduce")
    assert [c for c in at.code if c.language == "json"], "Reproduce drawn once open"
    assert not at.get("vega_lite_chart"), "the Results charts are not drawn meanwhile"
    at.session_state["lang"] = "en"  # the sidebar switch (app.py)
    at.run()
    assert_clean(at)
    assert at.session_state[keys.TABS_KEY] == t("simulate.tab_reproduce", "en")
    assert [c for c in at.code if c.language == "json"]


def test_a_rerun_carrying_an_older_url_of_this_session_keeps_the_latest_edit() -> None:
    """The browser may send a rerun (a tab click) before it has applied the URL of the run
    before: the page must not read its own older value back as a link being opened."""
    at = open_link({keys.PRESET_KEY: SERVICE.name_zh})
    at.number_input(key=keys.key("service_revenue")).set_value(2600.0).run()
    older = at.query_params[keys.PROFILE_PARAM]
    at.number_input(key=keys.key("new_tech_smes")).set_value(12).run()
    latest = at.query_params[keys.PROFILE_PARAM]
    assert older != latest
    at.query_params[keys.PROFILE_PARAM] = older  # the stale echo
    at.run()
    assert_clean(at)
    assert at.number_input(key=keys.key("new_tech_smes")).value == 12
    assert at.query_params[keys.PROFILE_PARAM] == latest
    assert not at.warning, notices(at)


def test_the_whatif_range_the_open_tab_and_the_clause_toggle_round_trip_through_the_url() -> None:
    at = open_link({keys.PRESET_KEY: preset("municipal_incubator_to_provincial").name_zh})
    open_tab(at, "whatif")
    key_from, key_to = keys.whatif_keys("renovation_cost")
    at.number_input(key=key_from).set_value(100.0).run()
    at.number_input(key=key_to).set_value(900.5).run()
    at.number_input(key=keys.POINTS_KEY).set_value(41).run()
    at.toggle(key="sim_show_not_applicable").set_value(True).run()
    assert_clean(at)
    params = dict(at.query_params)
    assert params[keys.RANGE_PARAM] == "100~900.5~41"
    assert params[keys.TAB_PARAM] == "whatif"
    params["sim_show_not_applicable"] = "true"  # the browser writes bound toggles itself

    again = open_link(params)
    assert not again.warning, notices(again)
    assert again.session_state[keys.TABS_KEY] == t("simulate.tab_whatif", "zh")
    assert again.number_input(key=key_from).value == 100.0
    assert again.number_input(key=key_to).value == 900.5
    assert again.number_input(key=keys.POINTS_KEY).value == 41
    assert again.toggle(key="sim_show_not_applicable").value is True
    xs = sorted(
        {r["x"] for c in again.get("vega_lite_chart") for r in chart_rows(c) if "segment" in r}
    )
    assert len(xs) == 41 and xs[0] == 100.0 and xs[-1] == 900.5

    # the same link in English opens the same tab (the URL names it, not its label)
    english = open_link(params, lang="en")
    assert english.session_state[keys.TABS_KEY] == t("simulate.tab_whatif", "en")


@pytest.mark.parametrize(
    "bad",
    [
        {keys.RANGE_PARAM: "abc"},
        {keys.RANGE_PARAM: "900~100~41"},
        {keys.RANGE_PARAM: "0~1e99~41"},
        {keys.RANGE_PARAM: "0~nan~41"},
        {keys.RANGE_PARAM: "0~100~100000"},
        {keys.TAB_PARAM: "<script>"},
    ],
)
def test_a_bad_range_or_tab_in_a_link_falls_back_with_a_notice(bad: dict[str, str]) -> None:
    at = open_link({keys.PRESET_KEY: preset("municipal_incubator_to_provincial").name_zh, **bad})
    (key,) = bad
    assert md_escape(key) in notices(at) or key in notices(at)
    assert "<script>" not in notices(at)
    assert at.session_state[keys.TABS_KEY] == t("simulate.tab_results", "zh")


@pytest.mark.parametrize(("lang", "label"), [("zh", "添加一项奖项"), ("en", "Add a prize")])
def test_a_prize_is_added_and_removed_with_buttons_in_the_readers_language(
    lang: str, label: str
) -> None:
    at = open_link({}, lang=lang)
    before = len(form_profile(at).contest_awards)
    add = at.button(key="sim_contest_add")
    assert add.label == label
    add.click().run()
    assert len(form_profile(at).contest_awards) == before + 1
    assert form_profile(at).contest_awards[-1].level == "city"
    at.button(key="sim_contest_remove").click().run()
    assert len(form_profile(at).contest_awards) == before


def test_a_cleared_form_says_in_words_that_nobody_is_paid_instead_of_an_empty_table() -> None:
    at = open_link({})
    at.button(key=f"{keys.PREFIX}clear").click().run()
    assert not at.exception
    assert t("simulate.recipients_none", "zh") in [i.value for i in at.info]
