"""The Simulate page through Streamlit's AppTest (starting at app.py), and its form helpers.

Every expected figure comes from the engine itself (policies.engine.Engine), never from a
number written here.
"""

from __future__ import annotations

import ast
import json
import shlex
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from components import profile_form as form
from components import simulate_view as view
from components.display import md_escape
from components.i18n import strings, t
from policies import cli
from policies.engine import Engine, Result
from policies.fmt import num
from policies.models import Atlas
from policies.presets import Preset, load_presets
from policies.profile import Profile, parse_profile, parse_profile_json

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/simulate.py"
OWN_FILES = [
    "pages/simulate.py",
    "components/profile_form.py",
    "components/simulate_view.py",
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


TABLE_MARKERS = {"totals": "simulate.col_low", "crossovers": "simulate.col_leader"}


def table(at: AppTest, which: str, lang: str = "zh"):
    """The one table whose columns include the marker column of `which`."""
    marker = t(TABLE_MARKERS[which], lang)
    frames = [df.value for df in at.dataframe if marker in df.value.columns]
    assert len(frames) == 1, f"table {which!r} not found once"
    return frames[0]


def shown_totals(at: AppTest, lang: str = "zh") -> dict[str, tuple[str, str, str]]:
    """document name -> (low, high, wording) as the totals table shows them."""
    frame = table(at, "totals", lang)
    cols = [t(f"simulate.col_{c}", lang) for c in ("document", "low", "high", "wording")]
    return {row[0]: (row[1], row[2], row[3]) for row in frame[cols].itertuples(index=False)}


def expected_totals(atlas: Atlas, result: Result, lang: str = "zh") -> dict:
    """The same three cells computed straight from an engine result."""
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
        out[name] = (low, high, view.total_text(doc.lines, doc.total, lang))
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
    at.selectbox(key=form.PRESET_KEY).set_value(ident).run()
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
    assert len(charts) >= 3, "totals, split by recipient and what-if charts"
    marks = json.dumps([json.loads(c.proto.spec) for c in charts])
    assert '"bar"' not in marks
    # the default preset is loaded into the form on first open
    first = PRESETS[0]
    assert at.selectbox(key=form.PRESET_KEY).value == first.id
    assert at.number_input(key=form.key("renovation_cost")).value == (
        first.profile.renovation_cost
    )


def test_each_preset_gives_the_engine_totals(atlas: Atlas) -> None:
    at = open_page()
    engine = Engine(atlas)
    for item in PRESETS:
        choose_preset(at, item.id)
        expected = expected_totals(atlas, engine.evaluate(item.profile))
        assert shown_totals(at) == expected, item.id
        assert not at.error, (item.id, [e.value for e in at.error])
        code = next(c.value for c in at.code if c.language == "json")  # the Reproduce tab
        assert parse_profile_json(code) == item.profile, item.id


def test_changing_one_input_changes_only_the_documents_that_read_it(atlas: Atlas) -> None:
    at = open_page()
    base = preset("municipal_incubator_to_provincial").profile
    choose_preset(at, "municipal_incubator_to_provincial")
    before = shown_totals(at)
    changed = base.model_copy(update={"renovation_cost": base.renovation_cost + 200})
    at.number_input(key=form.key("renovation_cost")).set_value(changed.renovation_cost).run()
    assert_clean(at)
    after = shown_totals(at)
    engine = Engine(atlas)
    assert after == expected_totals(atlas, engine.evaluate(changed))
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

    at.radio(key=form.interp_key("jiangdu_2023.top_up")).set_value("full").run()
    assert_clean(at)
    full = Engine(atlas, {"jiangdu_2023.top_up": "full"}).evaluate(profile)
    full_total = full.document("jiangdu_2023").total
    assert full_total.low > default_total.low  # the full national award, not the top-up
    assert shown_totals(at) == expected_totals(atlas, full)
    command = [c.value for c in at.code if c.language == "bash"][0]
    assert "--interpretation jiangdu_2023.top_up=full" in command
    assert command.count("--interpretation") == 1  # only the non-default reading

    at.button(key="sim_interp_reset").click().run()
    assert shown_totals(at)[jiangdu][0] == num(default_total.low)


def test_an_invalid_profile_lists_its_problems_and_keeps_the_last_good_result(
    atlas: Atlas,
) -> None:
    at = open_page()
    choose_preset(at, "contest_winners")
    good = shown_totals(at)
    editor = f"sim_contest_awards_{at.session_state[form.CONTESTS_VERSION]}"
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
    assert md_escape(form.problem_text("contest_awards[0].rd_investment", "x", "zh")[:-3]) in errors
    assert md_escape(form.problem_text("contest_awards[1].level", "x", "zh")[:-3]) in errors
    assert any(t("simulate.showing_last_good") in w.value for w in at.warning)
    assert shown_totals(at) == good

    # fixing the entry brings the results back to the new, valid profile
    at.session_state[editor] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    assert not at.error
    fixed = preset("contest_winners").profile
    fixed = fixed.model_copy(update={"contest_awards": fixed.contest_awards[1:]})
    assert shown_totals(at) == expected_totals(atlas, Engine(atlas).evaluate(fixed))


def test_a_saved_profile_can_be_loaded_back(atlas: Atlas) -> None:
    at = open_page()
    saved = preset("service_agency").profile.model_copy(update={"service_revenue": 1500.0})
    text = view.profile_json(saved).encode("utf-8")
    at.file_uploader(key=form.UPLOAD_KEY).set_value(("profile.json", text, "application/json"))
    at.run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert shown_totals(at) == expected_totals(atlas, Engine(atlas).evaluate(saved))
    assert at.number_input(key=form.key("service_revenue")).value == 1500.0
    # the form stays editable after loading (the file is applied once, not on every rerun)
    at.number_input(key=form.key("service_revenue")).set_value(1100.0).run()
    changed = saved.model_copy(update={"service_revenue": 1100.0})
    assert shown_totals(at) == expected_totals(atlas, Engine(atlas).evaluate(changed))


def test_a_bad_profile_file_is_refused_with_its_problems(atlas: Atlas) -> None:
    at = open_page()
    good = shown_totals(at)
    bad = json.dumps({"renovation_cost": -1, "carrier_type": "castle"}).encode("utf-8")
    at.file_uploader(key=form.UPLOAD_KEY).set_value(("bad.json", bad, "application/json"))
    at.run()
    assert_clean(at)
    errors = " ".join(e.value for e in at.error)
    # shown as Markdown with every ASCII punctuation mark escaped, so compare escaped text
    assert md_escape("bad.json") in errors
    assert md_escape(form.problem_text("renovation_cost", "x", "zh")[:-3]) in errors
    assert md_escape(form.problem_text("carrier_type", "x", "zh")[:-3]) in errors
    assert shown_totals(at) == good


def test_a_near_miss_can_be_tried_in_one_click(atlas: Atlas) -> None:
    at = open_page()
    profile = preset("municipal_incubator_to_provincial").profile
    choose_preset(at, "municipal_incubator_to_provincial")
    engine = Engine(atlas)
    misses = view.near_misses(engine.evaluate(profile), atlas, engine, profile, "zh")
    first = next(m for m in misses if m.field is not None)
    buttons = [b for b in at.button if b.key and b.key.startswith("sim_try_0_")]
    assert len(buttons) == 1
    buttons[0].click().run()
    assert_clean(at)
    changed = profile.model_copy(update={first.field: first.value})
    assert shown_totals(at) == expected_totals(atlas, engine.evaluate(changed))
    line = next(
        x for x in engine.evaluate(changed).document(first.document).lines
        if x.clause == first.clause
    )
    assert line.status in {"computed", "not_stated"}


def test_a_year_marks_documents_out_of_force(atlas: Atlas) -> None:
    at = open_page()
    at.selectbox(key=form.YEAR_KEY).set_value(2020).run()
    assert_clean(at)
    status = table(at, "totals").set_index(t("simulate.col_document"))[
        t("simulate.col_status")
    ]
    for doc in atlas.documents:
        name = view.doc_name(atlas, doc.id, "zh")
        assert status[name] == view.validity_text(doc, 2020, "zh")
    rows = [r for r in chart_rows(at.get("vega_lite_chart")[0]) if "in_force" in r]
    assert {r["document"]: r["in_force"] for r in rows} == {
        d.id: d.in_force(2020) for d in atlas.documents
    }
    command = [c.value for c in at.code if c.language == "bash"][0]
    assert "--year 2020" in command


def test_the_whatif_sweep_draws_and_lists_crossovers(atlas: Atlas) -> None:
    at = open_page()
    choose_preset(at, "municipal_incubator_to_provincial")
    assert at.selectbox(key=form.WHATIF_KEY).value == "renovation_cost"
    crossings = table(at, "crossovers")
    assert len(crossings) >= 1
    jiangdu = view.doc_name(atlas, "jiangdu_2023", "zh")
    assert jiangdu in set(crossings[t("simulate.col_leader")])
    sweep = [c for c in at.get("vega_lite_chart") if any("segment" in r for r in chart_rows(c))]
    assert len(sweep) == 1
    marked = {r["at"] for r in chart_rows(sweep[0]) if "at" in r}
    assert marked, "the what-if chart marks its crossovers"

    at.selectbox(key=form.WHATIF_KEY).set_value("new_high_tech_enterprises").run()
    assert_clean(at)
    xs = {
        r["x"]
        for c in at.get("vega_lite_chart")
        for r in chart_rows(c)
        if "segment" in r
    }
    assert xs and all(float(x).is_integer() for x in xs)

    # an empty range is refused with a message, not an exception
    key_from, key_to = form.whatif_keys("new_high_tech_enterprises")
    at.number_input(key=key_from).set_value(5).run()
    at.number_input(key=key_to).set_value(5).run()
    assert_clean(at)
    assert any(t("simulate.whatif_bad_range") in w.value for w in at.warning)


def test_the_reproduce_command_gives_the_same_result(
    atlas: Atlas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = open_page()
    choose_preset(at, "offshore_incubator")
    at.selectbox(key=form.YEAR_KEY).set_value(2021).run()
    at.radio(key=form.interp_key("jiangdu_2023.renovation_recipient")).set_value(
        "carrier_operator"
    ).run()
    assert_clean(at)
    codes = {c.language: c.value for c in at.code}
    profile_file = tmp_path / view.PROFILE_FILE
    profile_file.write_text(codes["json"], encoding="utf-8")
    words = shlex.split(codes["bash"])
    assert words[:5] == shlex.split(view.CLI_PREFIX) + [view.PROFILE_FILE]
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
    grouped = [name for _, fields in form.GROUPS for name in fields]
    assert sorted(grouped) == sorted(Profile.model_fields)
    assert len(grouped) == len(set(grouped))


def test_form_bounds_stay_inside_the_profile_bounds() -> None:
    for name in [*form.SCALAR_FIELDS, "rd_investment"]:
        if name in form.CHOICES or Profile.model_fields.get(name) and (
            Profile.model_fields[name].annotation is bool
        ):
            continue
        low, high = form.ui_bounds(name)
        p_low, p_high = form.profile_bounds(name)
        assert p_low <= low < high <= p_high, name
    low, high = form.ui_bounds("offshore_rent", item=True)
    assert (low, high) == (0.0, form.UI_MAX_AMOUNT)


@pytest.mark.parametrize("item", PRESETS, ids=lambda p: p.id)
def test_widget_state_round_trips_every_preset(item: Preset) -> None:
    state = form.widget_values(item.profile)
    rows = [form._contest_row(a) for a in item.profile.contest_awards]
    assert parse_profile(form.collected(state, rows)) == item.profile
    assert form.same_profile(parse_profile(form.collected(state, rows)), item.profile)


def test_contest_rows_from_the_editor_become_entries() -> None:
    assert form.contest_entry({"level": "city", "rank": "2", "rd_investment": 30}) == {
        "level": "city",
        "rank": 2,
        "rd_investment": 30.0,
    }
    blank = form.contest_entry({"level": None, "rank": None, "rd_investment": float("nan")})
    assert blank == {"level": None, "rank": None}
    with pytest.raises(ValueError):  # ProfileError: level and rank are required
        parse_profile({"contest_awards": [blank]})


def test_problems_name_the_field_and_entry_in_the_reader_language() -> None:
    zh = form.problem_text("contest_awards[2].rd_investment", "bad", "zh")
    assert zh == "大赛获奖 · 第 3 项 · 项目研发总投入: bad"
    assert form.problem_text("renovation_cost", "bad", "en") == "renovation cost: bad"
    assert form.problem_text("(profile)", "bad", "en") == "(profile): bad"


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
    for name in Profile.model_fields:
        assert f"simulate.help.{name}" in strings("en"), name
    for group, _ in form.GROUPS:
        assert f"simulate.group.{group}" in strings("zh"), group
    for bound in ("low", "high"):
        assert f"simulate.bound_{bound}" in strings("zh")
    for tab in ("results", "clauses", "near", "whatif", "interp", "reproduce"):
        assert f"simulate.tab_{tab}" in strings("zh")
