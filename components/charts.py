"""Pure Altair chart builders: data frame and interface text in, chart out, no Streamlit.

Every builder takes the words it shows (`text`: title, axis titles, tooltip names, the source
line) from the caller, so the same chart works in Chinese and English and tests can read the
whole specification with `chart.to_dict()`.

Honesty rules the builders keep: a floor (at least X) is a point with an arrow pointing to larger
values, never a bar of a made-up height; a ceiling (at most X) is a dashed line from 0 to X; a
range is a line between its ends; an amount that is not stated is not drawn at all (the pages list
it beside the chart). Units are never mixed on one axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import altair as alt
import pandas as pd

from components.chart_rows import LINE_BREAK, row_axis, row_lines
from components.exports import EXPORT_WIDTH_KEY

# One colour per document, in reading order, shared by every chart of the app.
DOC_PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#9d755d")
ROW_PX = 26
AMOUNT_ROW_PX = 30  # a row of the amounts chart: room for a label of two lines
TIMELINE_ROW_PX = 44
PANEL_WIDTH = 560
TARGET_WIDTH = 500
LABEL_ROOM = 190  # pixels kept free right of the marks for their text labels
AMOUNT_EXPORT_WIDTH = 1100  # pixels: the amounts chart as a picture, row labels and words whole
MARK_SHARE = 0.85  # the largest amount's place on the amount axis (0: start, 1: end)
LABEL_LIMIT = 360
VALUE_FONT = 11  # the amount written beside a mark
HEADING_FONT = 12  # a category's heading
HEADING_COLOR = "#31333f"
ARROW_OFFSET = 11
MARK_SIZE = 70
ARROW_SIZE = 90
# Tick values for a log-like amount axis (万元): 1-2-5 steps, so the gaps read at a glance.
LOG_TICKS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)
DEFAULT_CLAUSE_TEXT = {
    "title": "资金条款 Money clauses per document",
    "x": "文件 Document",
    "y": "条款数 Clauses",
    "color": "状态 Status",
}


def source_title(text: Mapping[str, str]) -> alt.TitleParams:
    """The chart title with the source line as its subtitle (so exports carry it)."""
    subtitle = [text["source"]] if text.get("source") else []
    return alt.TitleParams(text=text["title"], subtitle=subtitle, anchor="start")


def document_colors(labels: Sequence[str]) -> dict[str, str]:
    """Each document's colour, fixed by its place among all documents (`labels`: every
    document's label in reading order), so no filter can change it."""
    return {label: DOC_PALETTE[i % len(DOC_PALETTE)] for i, label in enumerate(labels)}


def colors_of(colors: Mapping[str, str], shown: Iterable[str]) -> dict[str, str]:
    """The fixed colours of the documents shown, in reading order (a legend lists only them)."""
    wanted = set(shown)
    return {label: color for label, color in colors.items() if label in wanted}


def doc_color(
    documents: Mapping[str, str], title: str, *, legend: bool = True, field: str = "doc_label"
) -> alt.Color:
    """The document colour scale: each document label shown → its fixed colour, so the same
    document keeps its colour on every chart and under every filter."""
    return alt.Color(
        f"{field}:N",
        title=title,
        sort=list(documents),
        scale=alt.Scale(domain=list(documents), range=list(documents.values())),
        legend=alt.Legend(orient="top") if legend else None,
    )


def clauses_per_document(df: pd.DataFrame, text: Mapping[str, str] | None = None) -> alt.Chart:
    """Stacked bars of quantified vs not-stated money clauses for each document (counts)."""
    text = {**DEFAULT_CLAUSE_TEXT, **(text or {})}
    return (
        alt.Chart(df, title=source_title(text))
        .mark_bar()
        .encode(
            x=alt.X("document:N", title=text["x"], sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("clauses:Q", title=text["y"], stack="zero"),
            color=alt.Color("status:N", title=text["color"], sort=None),
            tooltip=[
                alt.Tooltip("document:N", title=text["x"]),
                alt.Tooltip("status:N", title=text["color"]),
                alt.Tooltip("clauses:Q", title=text["y"]),
            ],
        )
    )


def _facet(field: str, order: list[str]) -> alt.Facet:
    """One panel per value of `field`, stacked, each titled above on the left."""
    return alt.Facet(
        f"{field}:N",
        sort=order,
        title=None,
        header=alt.Header(labelOrient="top", labelAnchor="start", labelFontSize=12,
                          labelFontWeight="bold", labelAngle=0, labelPadding=6),
    )  # fmt: skip


def axis_end(top: float, log: bool) -> float:
    """The end of the amount axis: far enough past the largest amount that it sits at
    `MARK_SHARE` of the axis, leaving the rest for the words written right of it, at any width
    (a symlog axis places v at log(1 + v))."""
    if top <= 0:
        return 1.0
    return math.expm1(math.log1p(top) / MARK_SHARE) if log else top / MARK_SHARE


def amount_ranges(
    marks: pd.DataFrame,
    text: Mapping[str, str],
    *,
    documents: Mapping[str, str],
    log: bool = True,
) -> alt.LayerChart:
    """Comparable amounts in 万元, one row per interval, grouped under a heading per category,
    all on one shared axis; the chart fills its container's width (the plot takes what the row
    labels leave), and every row label is shown whole, wrapped onto at most two lines.

    marks: one row per interval with row, doc_label, category_label, low, high (NaN: open),
    shape (exact | range | floor | ceiling), label, and the tooltip fields title, amount_full,
    recipient_label, period_label, section, quote_excerpt, clause.
    text: title, source, x (axis title with the unit), doc, clause, amount, recipient, period,
    section, quote, id.
    """
    used = [
        "row", "doc_label", "category_label", "low", "high", "shape", "label", "title",
        "amount_full", "recipient_label", "period_label", "section", "quote_excerpt", "clause",
    ]  # fmt: skip
    wrapped = row_lines(marks["row"])
    data = marks[used].assign(
        at=marks["high"].fillna(marks["low"]), line=marks["row"].map(wrapped), heading=False
    )
    top = float(data["at"].max()) if len(data) else 0.0
    domain = [0, axis_end(top, log)]
    scale = (
        alt.Scale(type="symlog", domain=domain, nice=False)
        if log
        else alt.Scale(type="linear", domain=domain, nice=True)
    )
    ticks = [v for v in LOG_TICKS if v <= domain[1]] if log else None
    tooltip = [
        alt.Tooltip("doc_label:N", title=text["doc"]),
        alt.Tooltip("title:N", title=text["clause"]),
        alt.Tooltip("amount_full:N", title=text["amount"]),
        alt.Tooltip("recipient_label:N", title=text["recipient"]),
        alt.Tooltip("period_label:N", title=text["period"]),
        alt.Tooltip("section:N", title=text["section"]),
        alt.Tooltip("quote_excerpt:N", title=text["quote"]),
        alt.Tooltip("clause:N", title=text["id"]),
    ]
    # A heading row per category, then its rows: the order of the row axis.
    categories = list(dict.fromkeys(data["category_label"]))
    order: list[str] = []
    for category in categories:
        order.append(category)
        order.extend(dict.fromkeys(data.loc[data["category_label"] == category, "line"]))
    headings = pd.DataFrame({"line": categories, "category_label": categories, "heading": True})
    data = pd.concat([data, headings], ignore_index=True)
    two_lines = [line for line in dict.fromkeys(wrapped.values()) if LINE_BREAK in line]
    y = alt.Y(
        "line:N", sort=order, scale=alt.Scale(domain=order), title=None,
        axis=row_axis(categories, two_lines),
    )  # fmt: skip
    # Vega formats a symlog axis with its log formatter (1e+2); labelExpr writes 100, 1,000.
    axis = alt.Axis(labelExpr="format(datum.value, ',')", labelFlush=False)
    if ticks:
        axis = alt.Axis(values=ticks, labelExpr="format(datum.value, ',')", labelFlush=False)
    x_low = alt.X("low:Q", scale=scale, title=text["x"], axis=axis)
    # Shared encodings sit once on the layer parent (every layer inherits them): a small spec.
    base = alt.Chart().transform_filter(~alt.datum.heading)
    shape = alt.datum.shape
    layers = [
        # a category's heading, at the start of the plot, on its own row
        alt.Chart()
        .transform_filter(alt.datum.heading)
        .mark_text(align="left", fontSize=HEADING_FONT, fontWeight="bold", color=HEADING_COLOR)
        .encode(x=alt.value(0), text="category_label:N", color=alt.value(HEADING_COLOR),
                tooltip=alt.value(None)),
        # a range: a solid line between its ends
        base.transform_filter(shape == "range")
        .mark_rule(strokeWidth=3)
        .encode(x=x_low, x2="high:Q"),
        # a ceiling: dashed from 0 up to it, with a bar-end at the ceiling
        base.transform_filter(shape == "ceiling")
        .mark_rule(strokeWidth=2, strokeDash=[4, 3])
        .encode(x=x_low, x2="high:Q"),
        base.transform_filter(shape == "ceiling")
        .mark_tick(thickness=3, size=16)
        .encode(x=alt.X("high:Q", scale=scale, title=text["x"], axis=axis)),
        # a stated number (an exact sum, a range's low end, a floor): a filled point
        base.transform_filter(shape != "ceiling")
        .mark_point(filled=True, size=MARK_SIZE, shape="circle", opacity=1)
        .encode(x=x_low),
        base.transform_filter(shape == "range")
        .mark_point(filled=True, size=MARK_SIZE, shape="circle", opacity=1)
        .encode(x=alt.X("high:Q", scale=scale, title=text["x"], axis=axis)),
        # a floor: an arrow to larger amounts, no invented upper end
        base.transform_filter(shape == "floor")
        .mark_point(
            filled=True,
            size=ARROW_SIZE,
            shape="triangle-right",
            xOffset=ARROW_OFFSET,
            opacity=1,
        )
        .encode(x=x_low),
        # the amount as the text states it, right of the mark
        base.mark_text(align="left", dx=ARROW_OFFSET + 10, fontSize=VALUE_FONT).encode(
            x=alt.X("at:Q", scale=scale, title=text["x"], axis=axis), text="label:N"
        ),
    ]  # fmt: skip
    return (
        alt.layer(*layers, data=data)
        .encode(y=y, color=doc_color(documents, text["doc"]), tooltip=tooltip)
        .properties(
            width="container",
            height=alt.Step(AMOUNT_ROW_PX),
            title=source_title(text),
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
            usermeta={EXPORT_WIDTH_KEY: AMOUNT_EXPORT_WIDTH},
        )
        .configure_view(strokeWidth=0)
    )


def target_panels(
    frame: pd.DataFrame,
    panel_order: list[str],
    text: Mapping[str, str],
    *,
    documents: Mapping[str, str],
    log: bool = True,
    width: int = TARGET_WIDTH,
) -> alt.FacetChart:
    """Every quantified target, one panel per kind and unit (units never share an axis: each
    panel has its own axis, titled with its unit).

    Comparators are drawn, not hidden: ≥ / > a point with an arrow to larger values, ≤ a point
    with an arrow to smaller values, a range a line between its ends, = a point; 力争 (an
    aspiration) hollow. The label gives value, basis and deadline; the tooltip names the target.
    frame: rows of components.targets.target_rows; panel_order: the panel titles in order.
    text: title, source, x_prefix, doc, metric, value, deadline, basis, nature, part_of,
    section, quote, id.
    """
    tooltip = [
        alt.Tooltip("doc_label:N", title=text["doc"]),
        alt.Tooltip("metric:N", title=text["metric"]),
        alt.Tooltip("value_text:N", title=text["value"]),
        alt.Tooltip("deadline_label:N", title=text["deadline"]),
        alt.Tooltip("basis_label:N", title=text["basis"]),
        alt.Tooltip("nature_label:N", title=text["nature"]),
        alt.Tooltip("part_of_label:N", title=text["part_of"]),
        alt.Tooltip("section:N", title=text["section"]),
        alt.Tooltip("quote:N", title=text["quote"]),
        alt.Tooltip("id:N", title=text["id"]),
    ]
    used = [
        "row", "panel", "doc_label", "metric", "value", "value_text", "deadline_label",
        "basis_label", "nature_label", "part_of_label", "section", "quote", "id", "shape",
        "aspiration",
    ]  # fmt: skip
    data = frame[used].assign(
        hi=frame["value_max"].fillna(frame["value"]),
        label_text=frame["value_text"]
        + " · "
        + frame["basis_label"]
        + " · "
        + frame["deadline_label"],
    )
    plot = [0, width - LABEL_ROOM]
    scale = (
        alt.Scale(type="log", nice=True, range=plot)
        if log
        else alt.Scale(type="linear", zero=True, nice=True, range=plot)
    )
    # The panel title carries the unit; the axis says "target value (see panel)".
    axis = alt.Axis(labelExpr="format(datum.value, ',')", labelOverlap="greedy")
    x = alt.X("value:Q", scale=scale, title=text["x_title"], axis=axis)
    x_hi = alt.X("hi:Q", scale=scale, title=text["x_title"], axis=axis)
    rows = list(dict.fromkeys(data["row"]))
    y = alt.Y("row:N", sort=rows, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    base = alt.Chart()  # shared encodings sit once on the layer parent
    shape = alt.datum.shape
    aspiration = alt.datum.aspiration
    layers = [
        base.transform_filter(shape == "range").mark_rule(strokeWidth=3).encode(x=x, x2="hi:Q"),
        # a firm figure is a filled point; 力争 (an aspiration) a hollow one
        base.transform_filter(~aspiration)
        .mark_point(size=MARK_SIZE, shape="circle", opacity=1, filled=True)
        .encode(x=x),
        base.transform_filter(aspiration)
        .mark_point(size=MARK_SIZE, shape="circle", opacity=1, filled=False, strokeWidth=2)
        .encode(x=x),
        base.transform_filter(shape == "range")
        .mark_point(size=MARK_SIZE, shape="circle", opacity=1, filled=True)
        .encode(x=x_hi),
        # at least / more than: an arrow to larger values; at most: to smaller values
        base.transform_filter(shape == "floor")
        .mark_point(
            size=ARROW_SIZE,
            shape="triangle-right",
            xOffset=ARROW_OFFSET,
            opacity=1,
            filled=True,
        )
        .encode(x=x),
        base.transform_filter(shape == "ceiling")
        .mark_point(
            size=ARROW_SIZE,
            shape="triangle-left",
            xOffset=-ARROW_OFFSET,
            opacity=1,
            filled=True,
        )
        .encode(x=x),
        base.mark_text(align="left", dx=ARROW_OFFSET + 10, fontSize=11).encode(
            x=x_hi, text="label_text:N"
        ),
    ]
    return (
        alt.layer(*layers, data=data)
        .encode(y=y, color=doc_color(documents, text["doc"]), tooltip=tooltip)
        .properties(width=width, height=alt.Step(ROW_PX))
        .facet(row=_facet("panel", panel_order), title=source_title(text))
        .resolve_scale(x="independent", y="independent")
        .configure_view(strokeWidth=0)
    )


def deadline_timeline(
    periods: pd.DataFrame,
    deadlines: pd.DataFrame,
    text: Mapping[str, str],
    *,
    documents: Mapping[str, str],
    today: str,
    width: int = PANEL_WIDTH,
) -> alt.LayerChart:
    """Each document's plan period as a bar of years, its target deadlines as points sized by the
    number of targets due, and today's date as a rule.

    text: title, source, x, doc, period, deadline, count, metrics, today.
    """
    color = doc_color(documents, text["doc"], legend=False)  # the rows name the documents
    order = list(documents)
    y = alt.Y("doc_label:N", sort=order, title=None)
    x_axis = alt.Axis(format="%Y", tickCount="year", labelAngle=0)
    period = (
        alt.Chart(periods)
        .mark_rule(strokeWidth=12, opacity=0.35)
        .encode(
            x=alt.X("start:T", title=text["x"], axis=x_axis),
            x2="end:T",
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("doc_label:N", title=text["doc"]),
                alt.Tooltip("period:N", title=text["period"]),
            ],
        )
    )
    points = (
        alt.Chart(deadlines)
        .mark_point(filled=True, opacity=1, shape="diamond")
        .encode(
            x=alt.X("date:T", title=text["x"], axis=x_axis),
            y=y,
            color=color,
            size=alt.Size(
                "count:Q", title=text["count"], scale=alt.Scale(zero=False, range=[80, 400])
            ),
            tooltip=[
                alt.Tooltip("doc_label:N", title=text["doc"]),
                alt.Tooltip("deadline:O", title=text["deadline"]),
                alt.Tooltip("count:Q", title=text["count"]),
                alt.Tooltip("metrics:N", title=text["metrics"]),
            ],
        )
    )
    now = pd.DataFrame({"date": [today], "label": [text["today"]], "doc_label": order[:1]})
    rule = alt.Chart(now).mark_rule(strokeDash=[6, 4], color="#444").encode(x="date:T")
    note = (
        alt.Chart(now)
        .mark_text(align="right", dx=-4, dy=-6, fontSize=11, color="#444")
        .encode(x="date:T", y=alt.Y("doc_label:N", sort=order, title=None), text="label:N")
    )
    # A step height (pixels per document) keeps Streamlit from resizing the band scale.
    return alt.layer(period, points, rule, note, title=source_title(text)).properties(
        width=width, height=alt.Step(TIMELINE_ROW_PX)
    )
