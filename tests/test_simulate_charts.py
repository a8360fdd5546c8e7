"""The Simulate page's chart builders, read back through `chart.to_dict()` (which validates the
spec against the Vega-Lite schema): intervals are drawn as intervals, open-ended totals never get
a top or a bar, crossovers are marked, the totals chart puts the operator's share first and the
money to others apart, and every label is in words."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from components import simulate_charts as charts
from components import simulate_shares as shares
from components import simulate_view as view
from components import simulate_whatif as whatif
from policies.crossovers import crossovers
from policies.engine import Engine
from policies.models import Atlas
from policies.presets import load_presets
from policies.shares import most_then_certain, operator_share
from policies.sweeps import sweep_values

SYMBOLS = ("≥", "≤", "+?", "◇", "◆", "▲", "●", "○", "?")

LABELS = {
    "document": "文件",
    "amount": "金额(万元)",
    "wording": "合计",
    "x": "改造实际费用(万元)",
    "crossover": "交叉点",
    "current": "当前",
}
KIND_ROWS = [
    # name, low, high, kind
    ("exact", 30.0, 30.0, "exact"),
    ("ceiling", 0.0, 55.0, "ceiling"),
    ("range", 5.0, 45.0, "range"),
    ("floor", 117.0, None, "floor"),
    ("unstated", 0.0, 0.0, "not_stated"),
    ("nothing", 0.0, 0.0, "none"),
]


def kinds_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "name": name,
                "low": low,
                "high": high,
                "kind": kind,
                "text": kind,
                "short": kind,
                "in_force": True,
            }
            for name, low, high, kind in KIND_ROWS
        ]
    )


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each layer with its mark, encoding and the data rows it draws (after its filters)."""
    datasets = spec.get("datasets", {})
    top = datasets.get(spec.get("data", {}).get("name"), [])
    out = []
    for layer in spec["layer"]:
        mark = layer["mark"] if isinstance(layer["mark"], dict) else {"type": layer["mark"]}
        rows = datasets[layer["data"]["name"]] if "data" in layer else top
        for step in layer.get("transform", []):
            flt = step.get("filter")
            if isinstance(flt, dict) and "oneOf" in flt:
                rows = [r for r in rows if r[flt["field"]] in flt["oneOf"]]
            elif isinstance(flt, dict) and "equal" in flt:
                rows = [r for r in rows if r[flt["field"]] == flt["equal"]]
            elif flt is not None:
                raise AssertionError(f"unexpected filter {flt!r}")
        out.append({"mark": mark, "encoding": layer.get("encoding", {}), "rows": rows})
    return out


def glyphs_of(spec: dict[str, Any], name: str) -> list[tuple]:
    """(mark type, shape, filled, x field, x2?) for every layer that draws document `name`
    (amounts run along the horizontal axis)."""
    found = []
    for layer in layers(spec):
        if any(r.get("name") == name for r in layer["rows"]):
            mark, enc = layer["mark"], layer["encoding"]
            found.append(
                (
                    mark["type"],
                    mark.get("shape"),
                    mark.get("filled"),
                    enc.get("x", {}).get("field"),
                    "x2" in enc,
                )
            )
    return found


# --- totals --------------------------------------------------------------------------------


def test_no_total_is_drawn_as_a_bar_or_area() -> None:
    spec = charts.totals_chart(kinds_frame(), LABELS).to_dict()
    assert {layer["mark"]["type"] for layer in layers(spec)} <= {"rule", "point", "tick", "text"}


def test_an_open_ended_total_has_a_triangle_pointing_on_and_no_end() -> None:
    spec = charts.totals_chart(kinds_frame(), LABELS).to_dict()
    drawn = glyphs_of(spec, "floor")
    assert ("point", "triangle-right", True, "low", False) in drawn
    assert ("point", "circle", True, "low", False) in drawn
    # nothing reads the (missing) high, no rule spans it, no y2
    assert all(x != "high" and not x2 for _, _, _, x, x2 in drawn), drawn
    assert all(mark != "rule" for mark, *_ in drawn), drawn


def test_each_kind_of_interval_has_its_own_glyph() -> None:
    spec = charts.totals_chart(kinds_frame(), LABELS).to_dict()
    exact = glyphs_of(spec, "exact")
    assert ("point", "circle", True, "low", False) in exact
    assert not any(mark == "rule" for mark, *_ in exact)
    ceiling = glyphs_of(spec, "ceiling")
    assert ("rule", None, None, "low", True) in ceiling  # 0 .. X
    assert ("point", "circle", False, "high", False) in ceiling  # the hollow end
    assert not any(shape == "circle" and filled for _, shape, filled, *_ in ceiling)
    ranged = glyphs_of(spec, "range")
    assert ("rule", None, None, "low", True) in ranged
    assert {y for mark, _, _, y, _ in ranged if mark == "tick"} == {"low", "high"}
    unstated = glyphs_of(spec, "unstated")
    assert ("point", "diamond", False, "zero", False) in unstated
    assert not any(x in {"low", "high"} for mark, _, _, x, _ in unstated if mark != "text")


def test_labels_are_the_compact_wording_and_faded_when_not_in_force() -> None:
    frame = kinds_frame()
    frame.loc[0, "in_force"] = False
    spec = charts.totals_chart(frame, LABELS).to_dict()
    texts = [layer for layer in layers(spec) if layer["mark"]["type"] == "text"]
    assert {r["name"] for layer in texts for r in layer["rows"]} == set(frame["name"])
    assert all(layer["encoding"]["text"]["field"] == "short" for layer in texts)
    opacity = layers(spec)[0]["encoding"]["opacity"]
    assert opacity["field"] == "in_force" and opacity["scale"]["domain"] == [True, False]


def test_money_to_others_gets_its_own_grey_row_under_the_operators_share() -> None:
    frame = kinds_frame().assign(part=["operator", "others"] * 3)
    spec = charts.totals_chart(frame, LABELS, group="part").to_dict()
    marks = [layer for layer in layers(spec) if layer["mark"]["type"] != "text"]
    assert all(layer["encoding"]["yOffset"]["field"] == "part" for layer in marks)
    for layer in marks:
        colour = layer["encoding"]["color"]
        if "condition" in colour:
            assert colour["condition"]["test"] == {"field": "part", "equal": "others"}
            assert colour["condition"]["value"] == charts.GREY
            assert colour["field"] == "name"  # the operator's share keeps the document colour


@pytest.mark.parametrize("item", load_presets(), ids=lambda p: p.id)
def test_real_results_chart_every_document_with_its_engine_kind(atlas: Atlas, item: Any) -> None:
    result = Engine(atlas).evaluate(item.profile)
    frame = view.totals_frame(result, atlas, "en")
    spec = charts.totals_chart(frame, LABELS, order=view.document_names(atlas, "en")).to_dict()
    for doc in result.documents:
        name = view.doc_name(atlas, doc.id, "en")
        drawn = glyphs_of(spec, name)
        assert drawn, name
        if doc.total.high is None:
            assert any(shape == "triangle-right" for _, shape, *_ in drawn), name
        else:
            assert not any(shape == "triangle-right" for _, shape, *_ in drawn), name
    assert charts.spec(charts.totals_chart(frame, LABELS))["layer"]


# --- the totals chart as the founder reads it ----------------------------------------------


def share_chart(atlas: Atlas, profile: Any, lang: str) -> tuple[dict, Any]:
    result = Engine(atlas).evaluate(profile)
    frame = shares.shares_frame(result, atlas, lang)
    legend = shares.totals_legend(frame["kind"], lang)
    labels = view.totals_labels("source", lang, legend)
    chart = charts.totals_chart(frame, labels, "part", view.document_names(atlas, lang))
    return chart.to_dict(), result


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("item", load_presets(), ids=lambda p: p.id)
def test_rows_go_by_the_most_the_operator_could_receive_then_the_certain_part(
    atlas: Atlas, item: Any, lang: str
) -> None:
    spec, result = share_chart(atlas, item.profile, lang)
    rows = spec["datasets"][charts.TOTALS_DATA]
    assert spec["layer"][0]["encoding"]["y"]["sort"] == {
        "field": "rank",
        "op": "min",
        "order": "ascending",
    }
    by_rank = sorted({r["rank"]: r["document"] for r in rows}.items())
    keys = [most_then_certain(*bounds(operator_share(result.document(d)))) for _, d in by_rank]
    assert keys == sorted(keys)
    assert {d for _, d in by_rank} == {doc.id for doc in result.documents}


def bounds(amount: Any) -> tuple[float, float | None]:
    return amount.low, amount.high


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("item", load_presets(), ids=lambda p: p.id)
def test_every_label_and_the_key_are_words_without_symbols(
    atlas: Atlas, item: Any, lang: str
) -> None:
    spec, _ = share_chart(atlas, item.profile, lang)
    texts = [r["short"] for r in spec["datasets"][charts.TOTALS_DATA]]
    key = spec["layer"][0]["encoding"]["x"]["title"]
    for text in [*texts, *key]:
        assert not any(symbol in text for symbol in SYMBOLS), text
    assert key[0] == view.amount_axis(lang) and len(key) > 1  # the key travels with the chart


def test_the_upgrade_example_names_the_builder_apart_from_the_operators_share(
    atlas: Atlas,
) -> None:
    profile = next(p for p in load_presets() if p.id == "municipal_incubator_to_provincial")
    spec, result = share_chart(atlas, profile.profile, "zh")
    rows = [r for r in spec["datasets"][charts.TOTALS_DATA] if r["document"] == "jiangdu_2023"]
    parts = {r["part"]: r for r in rows}
    doc = result.document("jiangdu_2023")
    builder = view.recipient_label(atlas, "builder", "zh")
    assert (parts["operator"]["low"], parts["operator"]["high"]) == bounds(operator_share(doc))
    assert parts["others"]["low"] == doc.by_recipient["builder"].low
    assert builder in parts["others"]["short"] and builder not in parts["operator"]["short"]


# --- what-if sweeps ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renovation_sweep(atlas: Atlas) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Municipal incubator upgraded to provincial, renovation cost 0–3,000万元: Jiangdu's exact
    total rises through Liuzhou 2019's open-ended floor."""
    profile = next(p for p in load_presets() if p.id == "municipal_incubator_to_provincial").profile
    values = sweep_values("renovation_cost", 0, 3000, 101)
    sweep = Engine(atlas).sweep(profile, "renovation_cost", values)
    found = crossovers(sweep)
    frame = whatif.sweep_frame(sweep, atlas, "zh")
    return frame, whatif.crossover_frame(found, atlas, "renovation_cost", "zh"), found


def test_sweep_bands_only_where_there_is_a_top(renovation_sweep) -> None:
    frame, cross, _ = renovation_sweep
    assert frame["open"].any() and (~frame["open"]).any(), "the case needs both"
    spec = charts.sweep_chart(frame, cross, LABELS, current=600).to_dict()
    found = layers(spec)
    areas = [layer for layer in found if layer["mark"]["type"] == "area"]
    assert len(areas) == 1
    assert areas[0]["rows"] and not any(r["open"] for r in areas[0]["rows"])
    assert areas[0]["encoding"]["y2"]["field"] == "high"
    for layer in found:
        enc = layer["encoding"]
        reads_high = enc.get("y", {}).get("field") == "high" or "y2" in enc
        if reads_high:
            assert not any(r.get("open") for r in layer["rows"]), layer["mark"]


def test_open_ended_runs_are_dashed_with_upward_arrows(renovation_sweep) -> None:
    frame, cross, _ = renovation_sweep
    spec = charts.sweep_chart(frame, cross, LABELS).to_dict()
    found = layers(spec)
    dashed = [
        layer
        for layer in found
        if layer["mark"]["type"] == "line" and layer["mark"].get("strokeDash")
    ]
    assert len(dashed) == 1
    assert dashed[0]["rows"] and all(r["open"] for r in dashed[0]["rows"])
    assert dashed[0]["encoding"]["y"]["field"] == "low"
    arrows = [layer for layer in found if layer["mark"].get("shape") == "triangle-up"]
    assert len(arrows) == 1 and arrows[0]["rows"]
    assert all(r["open"] for r in arrows[0]["rows"])
    assert 0 < len(arrows[0]["rows"]) < len(dashed[0]["rows"])  # a few, not every point


def test_crossovers_and_the_current_value_are_marked(renovation_sweep) -> None:
    frame, cross, found = renovation_sweep
    assert found, "the case has a crossover"
    spec = charts.sweep_chart(frame, cross, LABELS, current=600).to_dict()
    found_layers = layers(spec)
    diamonds = [layer for layer in found_layers if layer["mark"].get("shape") == "diamond"]
    assert len(diamonds) == 1
    assert sorted(r["at"] for r in diamonds[0]["rows"]) == sorted(c.at for c in found)
    rules = [
        layer
        for layer in found_layers
        if layer["mark"]["type"] == "rule" and layer["encoding"]["x"]["field"] == "at"
    ]
    assert len(rules) == 1
    current = [
        layer
        for layer in found_layers
        if layer["mark"]["type"] == "rule" and any(r.get("label") for r in layer["rows"])
    ]
    assert current and current[0]["rows"][0]["x"] == 600


def test_no_crossovers_means_no_crossover_layers(renovation_sweep) -> None:
    frame, cross, _ = renovation_sweep
    spec = charts.sweep_chart(frame, cross.iloc[0:0], LABELS).to_dict()
    assert not any(layer["mark"].get("shape") == "diamond" for layer in layers(spec))


def test_counts_are_drawn_as_steps_and_amounts_as_lines(renovation_sweep) -> None:
    frame, cross, _ = renovation_sweep
    lines = charts.sweep_chart(frame, cross, LABELS).to_dict()
    steps = charts.sweep_chart(frame, cross, LABELS, steps=True).to_dict()
    assert {layer["mark"].get("interpolate") for layer in layers(lines)} - {None} == {"linear"}
    assert {layer["mark"].get("interpolate") for layer in layers(steps)} - {None} == {"step-after"}


def test_document_order_fixes_colours_across_charts(atlas: Atlas, renovation_sweep) -> None:
    frame, cross, _ = renovation_sweep
    order = view.document_names(atlas, "zh")
    spec = charts.sweep_chart(frame, cross, LABELS, order=order).to_dict()
    colour = layers(spec)[0]["encoding"]["color"]
    assert colour["scale"]["domain"] == order


# --- cached encoding + rows per run: the page's path draws the same chart ------------------


def test_the_cached_encoding_with_the_rows_attached_is_the_same_totals_chart() -> None:
    frame = kinds_frame()
    cached = charts.spec(charts.totals_layers(LABELS, "kind"))
    drawn = charts.with_data(cached, charts.totals_data(frame))
    assert drawn == charts.totals_chart(frame, LABELS, group="kind").to_dict()


def test_the_cached_encoding_with_the_rows_attached_is_the_same_sweep_chart(
    renovation_sweep,
) -> None:
    frame, cross, _ = renovation_sweep
    labels = {**LABELS, "current": "now 600"}
    cached = charts.spec(charts.sweep_layers(LABELS, steps=True, crossings=not cross.empty))
    drawn = charts.with_data(cached, charts.sweep_data(frame, cross, labels, current=600))
    assert drawn == charts.sweep_chart(frame, cross, labels, current=600, steps=True).to_dict()
    assert drawn["datasets"]["current"] == [{"x": 600.0, "label": "now 600"}]
