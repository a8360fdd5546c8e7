"""Chart builders read through chart.to_dict(): marks, encodings, titles with units, and the
honesty rules (a floor is never a bar of a made-up height, a qualitative clause is never drawn)."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import pytest

from components import chart_rows, charts
from components import compare as cmp
from components import sources as src
from components import targets as tg
from components.exports import text_width
from components.present import projector
from policies.models import Atlas

AMOUNT_TEXT = {
    "title": "可比金额(万元)",
    "source": "来源:各文件原文;数据版本 test",
    "x": "金额(万元)",
    "doc": "文件",
    "clause": "条款",
    "amount": "金额",
    "recipient": "受益方",
    "period": "发放方式",
    "section": "位置",
    "quote": "原文",
    "id": "编号",
}
TARGET_TEXT = {
    "title": "量化目标",
    "source": "来源:各文件原文",
    "x_title": "目标值(单位见各面板标题)",
    "doc": "文件",
    "metric": "目标",
    "value": "数值",
    "deadline": "期限",
    "basis": "口径",
    "nature": "性质",
    "part_of": "属于",
    "section": "位置",
    "quote": "原文",
    "id": "编号",
}
TIMELINE_TEXT = {
    "title": "规划期与目标期限",
    "source": "来源",
    "x": "年份",
    "doc": "文件",
    "period": "规划期",
    "deadline": "期限",
    "count": "目标数",
    "metrics": "目标",
    "today": "今天 2026-11-22",
}


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The layers of a (possibly faceted) layered chart."""
    inner = spec.get("spec", spec)
    return inner["layer"]


def mark_type(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def filters(layer: dict[str, Any]) -> str:
    return " ".join(str(t.get("filter", "")) for t in layer.get("transform", []))


def dataset(spec: dict[str, Any]) -> list[dict[str, Any]]:
    (values,) = spec["datasets"].values()
    return values


AMOUNT_COLORS = {"柳州 2016": "#4c78a8", "柳州 2019": "#f58518", "江都 2023": "#e45756"}


@pytest.fixture(scope="module")
def amount_spec(atlas: Atlas) -> tuple[dict[str, Any], pd.DataFrame]:
    rows = cmp.clause_rows(atlas, "zh")
    marks, _ = cmp.amount_marks(rows, atlas, "zh")
    return charts.amount_ranges(marks, AMOUNT_TEXT, documents=AMOUNT_COLORS).to_dict(), rows


def field_layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The layers drawing data on the amount axis (not the category headings)."""
    return [layer for layer in layers(spec) if "field" in layer["encoding"]["x"]]


def test_amount_chart_title_carries_unit_and_source(amount_spec) -> None:
    spec, _ = amount_spec
    assert spec["title"]["text"] == AMOUNT_TEXT["title"]
    assert AMOUNT_TEXT["source"] in spec["title"]["subtitle"]
    assert field_layers(spec)
    for layer in field_layers(spec):
        assert "万元" in layer["encoding"]["x"]["title"]


def test_amount_chart_has_no_bars_and_floors_are_arrows(amount_spec) -> None:
    spec, _ = amount_spec
    kinds = {mark_type(layer) for layer in layers(spec)}
    assert "bar" not in kinds and "area" not in kinds
    assert kinds <= {"rule", "tick", "point", "text"}
    floor_layers = [
        layer for layer in layers(spec)
        if "'floor'" in filters(layer) and "!=" not in filters(layer)
    ]  # fmt: skip
    assert len(floor_layers) == 1
    (arrow,) = floor_layers
    assert arrow["mark"]["shape"] == "triangle-right"
    assert "x2" not in arrow["encoding"], "a floor has no upper end"
    # only ranges and ceilings are drawn as lines from one end to another
    for layer in layers(spec):
        if "x2" in layer["encoding"]:
            assert "'range'" in filters(layer) or "'ceiling'" in filters(layer)
            assert mark_type(layer) == "rule"


def test_amount_chart_data_never_holds_a_qualitative_clause(amount_spec) -> None:
    spec, rows = amount_spec
    drawn = {row["clause"] for row in dataset(spec)}
    assert not drawn & set(rows[rows["status"] == "qualitative"]["id"])
    floors = [row for row in dataset(spec) if row["shape"] == "floor"]
    assert floors and all(row["high"] is None for row in floors)
    ceilings = [row for row in dataset(spec) if row["shape"] == "ceiling"]
    assert ceilings and all(row["low"] == 0 for row in ceilings)


def shared(spec: dict[str, Any]) -> dict[str, Any]:
    """The encodings every layer inherits from the layer parent."""
    return spec.get("spec", spec)["encoding"]


def test_amount_chart_tooltip_names_the_clause(amount_spec) -> None:
    spec, _ = amount_spec
    fields = {t["field"] for t in shared(spec)["tooltip"]}
    assert {"title", "quote_excerpt", "section", "recipient_label", "clause"} <= fields


def test_amount_chart_groups_its_rows_under_a_heading_per_category_on_one_axis(
    amount_spec,
) -> None:
    spec, _ = amount_spec
    assert "facet" not in spec  # one view: one shared amount axis, and it can fill its container
    order = shared(spec)["y"]["sort"]
    rows = dataset(spec)
    headings = [r["line"] for r in rows if r["heading"]]
    assert order[0] == headings[0]
    for heading in headings:
        category = [r["line"] for r in rows if r.get("category_label") == heading]
        at = order.index(heading)
        assert set(order[at + 1 : at + len(category)]) <= set(category)
    (heading_layer,) = [layer for layer in layers(spec) if "field" not in layer["encoding"]["x"]]
    assert heading_layer["mark"]["fontWeight"] == "bold"


def scale_ranges(node: Any) -> list[list]:
    """The `range` of every scale in a spec."""
    if isinstance(node, dict):
        found = [node["scale"]["range"]] if "range" in (node.get("scale") or {}) else []
        return found + [r for value in node.values() for r in scale_ranges(value)]
    if isinstance(node, list):
        return [r for value in node for r in scale_ranges(value)]
    return []


def test_the_amount_chart_fills_its_container_with_no_pixel_range(amount_spec) -> None:
    spec, _ = amount_spec
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    # the amount axis takes the width the row labels leave: no scale holds a range in pixels
    assert not [r for r in scale_ranges(spec) if any(isinstance(v, int | float) for v in r)]
    assert scale_ranges(spec) == [list(AMOUNT_COLORS.values())]  # only the document colours
    for layer in field_layers(spec):
        assert "range" not in layer["encoding"]["x"]["scale"]


def test_every_row_label_is_shown_whole_on_at_most_two_lines(amount_spec) -> None:
    spec, _ = amount_spec
    axis = shared(spec)["y"]["axis"]
    assert axis["labelLimit"] == 0
    assert "split(datum.value" in axis["labelExpr"]
    lines = [r["line"] for r in dataset(spec) if not r["heading"]]
    assert lines
    for line in lines:
        assert "…" not in line
        assert len(line.split(chart_rows.LINE_BREAK)) <= chart_rows.ROW_LINES
    for row in dataset(spec):
        if not row["heading"]:  # the wrapped label holds the whole row label, nothing cut
            assert "".join(row["line"].split()) == "".join(row["row"].split())


def test_a_row_label_wraps_only_past_its_width_and_never_onto_a_third_line() -> None:
    def width(text: str) -> float:
        return text_width(text, chart_rows.LABEL_FONT)

    short = "a" * 10
    under = "word"
    while width(under + " word") <= chart_rows.LABEL_WRAP:
        under += " word"  # the longest run of words that fits the wrap width: one line
    over = under + " word"  # one word past it: two lines
    huge = " ".join(["word"] * 60)  # four lines at the wrap width: the width grows instead
    assert width(huge) > 3 * chart_rows.LABEL_WRAP
    lines = chart_rows.row_lines([short, under, over])
    assert lines[short] == short
    assert lines[under] == under
    assert len(lines[over].split("\n")) == 2
    widened = chart_rows.row_lines([huge])
    assert len(widened[huge].split("\n")) == 2
    assert widened[huge].replace("\n", " ") == huge


def test_on_a_projector_row_labels_and_amounts_are_at_least_16_pixels(amount_spec) -> None:
    spec, _ = amount_spec
    big = projector(spec)
    assert shared(big)["y"]["axis"]["labelFontSize"] >= 16
    texts = [layer["mark"] for layer in layers(big) if mark_type(layer) == "text"]
    assert texts and all(mark["fontSize"] >= 16 for mark in texts)
    assert big["height"]["step"] >= 2 * 16 * chart_rows.LINE_HEIGHT


def test_amount_chart_linear_scale(atlas: Atlas) -> None:
    rows = cmp.clause_rows(atlas, "en")
    marks, _ = cmp.amount_marks(rows, atlas, "en")
    spec = charts.amount_ranges(marks, AMOUNT_TEXT, documents={"x": "#000000"}, log=False).to_dict()
    assert field_layers(spec)[0]["encoding"]["x"]["scale"]["type"] == "linear"


@pytest.fixture(scope="module")
def target_spec(atlas: Atlas) -> dict[str, Any]:
    rows = tg.target_rows(atlas, "zh")
    docs = list(dict.fromkeys(rows["doc_label"]))
    colors = charts.document_colors(docs)
    return charts.target_panels(rows, tg.panel_order(rows), TARGET_TEXT, documents=colors).to_dict()


def test_target_chart_one_unit_per_panel_with_own_axis(target_spec, atlas: Atlas) -> None:
    spec = target_spec
    assert spec["facet"]["row"]["field"] == "panel"
    assert spec["resolve"]["scale"]["x"] == "independent"
    units = {}
    for row in dataset(spec):
        units.setdefault(row["panel"], set()).add(row["panel"].split(" · ")[1])
    assert all(len(u) == 1 for u in units.values())
    assert spec["title"]["text"] == TARGET_TEXT["title"]


def test_target_chart_draws_comparators(target_spec) -> None:
    spec = target_spec
    by_filter = [(filters(layer), layer) for layer in layers(spec)]
    ranges = [layer for f, layer in by_filter if "'range'" in f and "x2" in layer["encoding"]]
    assert ranges and mark_type(ranges[0]) == "rule"
    floor = next(layer for f, layer in by_filter if "'floor'" in f)
    ceiling = next(layer for f, layer in by_filter if "'ceiling'" in f)
    assert floor["mark"]["shape"] == "triangle-right"
    assert ceiling["mark"]["shape"] == "triangle-left"
    hollow = [
        layer for layer in layers(spec)
        if mark_type(layer) == "point" and layer["mark"].get("filled") is False
    ]  # fmt: skip
    assert hollow and "aspiration" in filters(hollow[0])
    fields = {t["field"] for t in shared(spec)["tooltip"]}
    assert {"metric", "deadline_label", "basis_label", "nature_label", "quote"} <= fields


def test_target_chart_range_target_spans_its_ends(target_spec) -> None:
    row = next(r for r in dataset(target_spec) if r["id"] == "qingdao_2019.offshore_incubators")
    assert (row["value"], row["hi"], row["shape"]) == (3, 5, "range")


def test_timeline_marks_periods_deadlines_and_today(atlas: Atlas) -> None:
    rows = tg.target_rows(atlas, "zh")
    periods, deadlines = tg.timeline(atlas, rows, "zh")
    docs = list(periods["doc_label"])
    spec = charts.deadline_timeline(
        periods,
        deadlines,
        TIMELINE_TEXT,
        documents=charts.document_colors(docs),
        today="2026-11-22",
    ).to_dict()
    kinds = [mark_type(layer) for layer in spec["layer"]]
    assert kinds == ["rule", "point", "rule", "text"]
    assert spec["layer"][0]["encoding"]["x"]["type"] == "temporal"
    assert spec["layer"][0]["encoding"]["x2"]["field"] == "end"
    assert spec["layer"][1]["encoding"]["size"]["field"] == "count"
    assert spec["height"] == {"step": charts.TIMELINE_ROW_PX}
    assert spec["title"]["text"] == TIMELINE_TEXT["title"]
    assert "2026-11-22" in json.dumps(spec["datasets"], ensure_ascii=False)


def test_clause_count_chart(atlas: Atlas) -> None:
    counts = src.clause_counts(atlas, "en")
    text = {"title": "Money clauses", "source": "src", "x": "Document", "y": "Clauses",
            "color": "Amount"}  # fmt: skip
    spec = charts.clauses_per_document(counts, text).to_dict()
    assert mark_type(spec) == "bar", "counts of clauses are bars; amounts never are"
    assert spec["encoding"]["y"]["title"] == "Clauses"
    assert spec["title"]["subtitle"] == ["src"]
    assert charts.clauses_per_document(counts).to_dict()["title"]["text"]


@pytest.mark.parametrize("log", [True, False])
@pytest.mark.parametrize("top", [0.5, 10.0, 5000.0])
def test_the_largest_amount_leaves_room_right_of_it_for_its_words(top: float, log: bool) -> None:
    end = charts.axis_end(top, log)
    place = math.log1p(top) / math.log1p(end) if log else top / end
    assert place == pytest.approx(charts.MARK_SHARE)


def test_an_empty_amount_axis_still_has_a_length() -> None:
    assert charts.axis_end(0.0, log=True) == 1.0
