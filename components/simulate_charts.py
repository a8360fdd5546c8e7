"""Pure Altair builders for the Simulate page: frames in (components.simulate_view and
components.simulate_whatif), charts out.

Intervals are drawn as intervals, never as bars of invented height:
- exactly X: a filled dot at X;
- up to X (a ceiling): a rule from 0 to X ending in a hollow circle;
- X–Y (a range): a rule from X to Y with a tick at each end;
- at least X (a floor, no stated top): a dot at X with a triangle pointing on, and no end (on
  the what-if chart, a dashed line with upward triangles);
- only clauses with no stated amount: a hollow diamond at 0 labelled "amount not stated".
Every text on a chart is passed in by the caller, in words of the reader's language (no ≥, ≤
or ?).

Each chart is an encoding over named datasets (`*_layers`, which depend only on the words and
the document order, so a page can cache them) plus the rows (`with_data`), attached per run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from components.charts import document_colors

AMOUNT_FORMAT = ",.2~f"
OPEN_MARKERS_PER_LINE = 8
POINT_SIZE = 110
TRIANGLE_SIZE = 150
FADED = 0.35
BAND_OPACITY = 0.18
CHART_HEIGHT = 340
TICK_SIZE = 18
FLOOR_OFFSET = -16
LABEL_GAP = 8
LABEL_FONT = 13
GREY = "#999999"
TEXT = "#31333F"
KINDS = ("exact", "ceiling", "range", "floor", "not_stated", "none")
ROW_STEP = 44  # the height of one row of the totals chart (a label above its mark)
ROW_LABEL_LIMIT = 120
OTHERS_PART = "others"  # components.simulate_shares: the money to recipients but the operator
TOTALS_DATA = "totals"
SWEEP_DATA = "sweep"
CROSSINGS_DATA = "crossings"
CURRENT_DATA = "current"


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as JSON-ready dicts (NaN → null, numpy scalars → plain numbers)."""
    return json.loads(frame.to_json(orient="records"))


def with_data(spec: Mapping, frames: Mapping[str, pd.DataFrame]) -> dict:
    """A layers spec with its named datasets filled in (a new dict; `spec` is left alone)."""
    out = dict(spec)
    out["datasets"] = {name: records(frame) for name, frame in frames.items()}
    return out


def _attach(chart: alt.LayerChart, frames: Mapping[str, pd.DataFrame]) -> alt.LayerChart:
    """The layers with their rows as top-level datasets (the Altair form of `with_data`)."""
    chart = chart.copy(deep=False)
    chart.datasets = {name: records(frame) for name, frame in frames.items()}
    return chart


def _title(labels: Mapping[str, str]) -> alt.TitleParams | alt.UndefinedType:
    """The chart's title, with its source line as the subtitle when one is given."""
    if "title" not in labels:
        return alt.Undefined
    subtitle = [labels["subtitle"]] if labels.get("subtitle") else alt.Undefined
    return alt.TitleParams(text=labels["title"], subtitle=subtitle, anchor="start")


def _only(column: str, values: Sequence[object]) -> alt.FieldOneOfPredicate:
    """A typed filter (cheap: no schema validation) keeping rows whose column is in values."""
    return alt.FieldOneOfPredicate(field=column, oneOf=list(values))


def _opacity() -> alt.Opacity:
    """Documents not in force in the chosen year are faded. Typed channels throughout: Altair
    validates dict and shorthand channels against the JSON schema, ~20-30 ms each."""
    return alt.Opacity(
        "in_force:N", scale=alt.Scale(domain=[True, False], range=[1.0, FADED]), legend=None
    )


def _doc_axis(title: str, order: Sequence[str] | None) -> alt.X:
    return alt.X(
        "name:N",
        title=title,
        sort=list(order) if order is not None else None,
        scale=alt.Scale(domain=list(order)) if order is not None else alt.Undefined,
        axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ' ')", labelLimit=160),
    )


def _doc_color(title: str, order: Sequence[str] | None, legend: bool = True) -> alt.Color:
    """The document colours of every chart of the app (components.charts.document_colors):
    `order` holds every document's name in reading order, so each keeps its own colour."""
    if order is None:
        return alt.Color("name:N", title=title, legend=alt.Legend() if legend else None)
    colors = document_colors(order)
    return alt.Color(
        "name:N",
        title=title,
        sort=list(order),
        scale=alt.Scale(domain=list(colors), range=list(colors.values())),
        legend=alt.Legend() if legend else None,
    )


def totals_chart(
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    group: str | None = None,
    order: Sequence[str] | None = None,
) -> alt.LayerChart:
    """One row per document, amounts along the horizontal axis, each mark with its amount in
    words above it (starting at 0, so a label never runs off the chart).

    `frame` needs: name, low, high, kind, short, text, in_force; `rank` (optional) orders the
    rows, otherwise `order` does. `group`: a column splitting each document's row in two, its
    value `others` drawn in grey apart from the document's own colour (the operator's share and
    the money to others, components.simulate_shares). `labels`: document, amount, wording, and
    optionally title, subtitle and legend (the key in words, lines split by a line break, shown
    under the amount axis so that an exported picture keeps it).
    `order`: every document name in reading order (fixes each document's colour).
    """
    return _attach(totals_layers(labels, group, order), totals_data(frame))


def totals_data(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The rows of a totals chart, by dataset name (`rank` from the row order when missing)."""
    frame = frame.copy()
    frame["low"] = frame["low"].astype("float64")
    frame["high"] = frame["high"].astype("float64")
    if "rank" not in frame:
        frame["rank"] = range(len(frame))
    return {TOTALS_DATA: frame}


def _amount_title(labels: Mapping[str, str]) -> str | list[str]:
    """The amount axis title, with the chart's key in words under it when there is one."""
    legend = [line for line in labels.get("legend", "").split("\n") if line]
    return [labels["amount"], *legend] if legend else labels["amount"]


def totals_layers(
    labels: Mapping[str, str],
    group: str | None = None,
    order: Sequence[str] | None = None,
) -> alt.LayerChart:
    """The totals chart's encoding over the named dataset `totals` (see `totals_chart`)."""
    y = alt.Y(
        "name:N",
        title=None,
        sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
        axis=alt.Axis(labelLimit=ROW_LABEL_LIMIT, labelFontSize=LABEL_FONT),
    )
    tooltip = [
        alt.Tooltip("name:N", title=labels["document"]),
        alt.Tooltip("short:N", title=labels["wording"]),
    ]
    color = _doc_color(labels["document"], order, legend=False)
    extra: dict = {"color": color}
    if group is not None:
        extra = {
            "yOffset": alt.YOffset(f"{group}:N", sort=None),
            "color": alt.condition(_is(group, OTHERS_PART), alt.value(GREY), color),
        }

    def base(kinds: tuple[str, ...], coloured: bool = True) -> alt.Chart:
        channels = extra if coloured else {k: v for k, v in extra.items() if k != "color"}
        return (
            alt.Chart()
            .transform_filter(_only("kind", kinds))
            .encode(y=y, tooltip=tooltip, opacity=_opacity(), **channels)
        )

    x_title = _amount_title(labels)
    axis = alt.Axis(
        format=AMOUNT_FORMAT, titleFontWeight="normal", titleAlign="left", titleAnchor="start"
    )
    x_low = alt.X("low:Q", title=x_title, axis=axis)
    x_high = alt.X("high:Q", title=x_title, axis=axis)
    x_zero = alt.X("zero:Q", title=x_title, axis=axis)
    layers = [
        # ceilings and ranges: a rule over the whole interval
        base(("ceiling", "range")).mark_rule(strokeWidth=3).encode(x=x_low, x2=alt.X2("high")),
        # exactly X
        base(("exact",)).mark_point(filled=True, size=POINT_SIZE, shape="circle").encode(x=x_low),
        # nothing applies: a small grey dot at 0
        base(("none",))
        .mark_point(filled=True, size=POINT_SIZE / 3, shape="circle", color=GREY)
        .encode(x=x_low),
        # up to X: a hollow circle at the end of the rule
        base(("ceiling",))
        .mark_point(filled=False, size=POINT_SIZE, shape="circle", strokeWidth=2)
        .encode(x=x_high),
        # X–Y: ticks at both ends
        base(("range",)).mark_tick(thickness=3, size=TICK_SIZE).encode(x=x_low),
        base(("range",)).mark_tick(thickness=3, size=TICK_SIZE).encode(x=x_high),
        # at least X: a dot at X and a triangle pointing on, no end
        base(("floor",)).mark_point(filled=True, size=POINT_SIZE, shape="circle").encode(x=x_low),
        base(("floor",))
        .mark_point(filled=True, size=TRIANGLE_SIZE, shape="triangle-right", xOffset=-FLOOR_OFFSET)
        .encode(x=x_low),
        # only clauses whose amount is not stated: a hollow diamond at 0, never a 0 figure
        base(("not_stated",))
        .transform_calculate(zero="0")
        .mark_point(filled=False, size=TRIANGLE_SIZE, shape="diamond", strokeWidth=2)
        .encode(x=x_zero),
        # the amount in words above each mark, from 0 (the table below repeats it)
        base(KINDS, coloured=False)
        .transform_calculate(zero="0")
        .mark_text(align="left", baseline="bottom", dy=-LABEL_GAP, fontSize=LABEL_FONT, color=TEXT)
        .encode(x=x_zero, text=alt.Text("short:N")),
    ]
    rows = ROW_STEP if group is None else 2 * ROW_STEP
    return alt.layer(
        *layers,
        data=alt.NamedData(name=TOTALS_DATA),
        height=alt.Step(rows, **{"for": "position"}) if group else alt.Step(rows),
        title=_title(labels),
    )


def _is(field: str, value: str) -> alt.FieldEqualPredicate:
    return alt.FieldEqualPredicate(field=field, equal=value)


def _arrow_rows(frame: pd.DataFrame) -> pd.Series:
    """Which rows carry an upward arrow: a few points along each open-ended run, and its last."""
    is_open = frame["open"].astype(bool)
    if not is_open.any():
        return is_open
    xs = sorted(frame["x"].unique())
    every = max(1, len(xs) // OPEN_MARKERS_PER_LINE)
    keep = frame["x"].isin(set(xs[::every]))
    last = frame["x"] == frame.groupby("segment")["x"].transform("max")
    return is_open & (keep | last)


def _where(field: str, value: bool) -> alt.FieldEqualPredicate:
    return alt.FieldEqualPredicate(field=field, equal=value)


def sweep_chart(
    frame: pd.DataFrame,
    crossings: pd.DataFrame,
    labels: Mapping[str, str],
    current: float | None = None,
    order: Sequence[str] | None = None,
    steps: bool = False,
) -> alt.LayerChart:
    """Each document's total along the swept input as an interval band.

    Closed intervals: a band from low to high, with lines at both bounds. Open-ended highs: no
    band and no top, a dashed line at the low with upward triangles along it. Crossovers: a
    vertical rule and a diamond where one total overtakes another. `current`: the profile's own
    value, as a dotted rule.
    `frame` from simulate_whatif.sweep_frame; `crossings` from simulate_whatif.crossover_frame.
    `labels`: x, amount, document, wording, crossover, current.
    `order`: document names in display order; `steps`: draw steps (a count changes only at
    whole numbers) instead of straight lines between the sampled values.
    """
    layers = sweep_layers(labels, order, steps, not crossings.empty, current is not None)
    return _attach(layers, sweep_data(frame, crossings, labels, current))


def sweep_data(
    frame: pd.DataFrame,
    crossings: pd.DataFrame,
    labels: Mapping[str, str],
    current: float | None = None,
) -> dict[str, pd.DataFrame]:
    """The rows of a what-if chart, by dataset name (the current value's label is data)."""
    frame = frame.copy()
    frame["low"] = frame["low"].astype("float64")
    frame["high"] = frame["high"].astype("float64")
    frame["open"] = frame["open"].astype(bool)
    frame["arrow"] = _arrow_rows(frame)
    out = {SWEEP_DATA: frame}
    if not crossings.empty:
        out[CROSSINGS_DATA] = crossings
    if current is not None:
        out[CURRENT_DATA] = pd.DataFrame({"x": [float(current)], "label": [labels["current"]]})
    return out


def sweep_layers(
    labels: Mapping[str, str],
    order: Sequence[str] | None = None,
    steps: bool = False,
    crossings: bool = True,
    current: bool = True,
) -> alt.LayerChart:
    """The what-if chart's encoding over the named datasets `sweep`, `crossings` (when there
    are crossovers) and `current` (when the profile's value is marked); see `sweep_chart`."""
    x = alt.X("x:Q", title=labels["x"], axis=alt.Axis(format=AMOUNT_FORMAT))
    y_title = labels["amount"]
    color = _doc_color(labels["document"], order)
    interpolate = "step-after" if steps else "linear"
    tooltip = [
        alt.Tooltip("name:N", title=labels["document"]),
        alt.Tooltip("x:Q", title=labels["x"], format=AMOUNT_FORMAT),
        alt.Tooltip("text:N", title=labels["wording"]),
    ]

    def base(field: str, value: bool) -> alt.Chart:
        """Rows of the one shared dataset where `field` is `value` (one copy of the data)."""
        return (
            alt.Chart()
            .transform_filter(_where(field, value))
            .encode(
                x=x,
                color=color,
                detail=alt.Detail("segment:N"),
                tooltip=tooltip,
                opacity=_opacity(),
            )
        )

    y_low = alt.Y("low:Q", title=y_title, axis=alt.Axis(format=AMOUNT_FORMAT))
    layers = [
        base("open", False)
        .mark_area(fillOpacity=BAND_OPACITY, interpolate=interpolate)
        .encode(y=y_low, y2=alt.Y2("high")),
        base("open", False).mark_line(interpolate=interpolate, strokeWidth=2).encode(y=y_low),
        base("open", False)
        .mark_line(interpolate=interpolate, strokeWidth=1)
        .encode(y=alt.Y("high:Q", title=y_title)),
        base("open", True)
        .mark_line(interpolate=interpolate, strokeWidth=2, strokeDash=[6, 4])
        .encode(y=y_low),
        base("arrow", True)
        .mark_point(shape="triangle-up", filled=True, size=TRIANGLE_SIZE / 2, yOffset=-9)
        .encode(y=y_low),
    ]
    if crossings:
        cross_tooltip = [alt.Tooltip("text:N", title=labels["crossover"])]
        cross_data = alt.NamedData(name=CROSSINGS_DATA)
        layers += [
            alt.Chart(cross_data)
            .mark_rule(strokeDash=[2, 3], color="#555555")
            .encode(x=alt.X("at:Q", title=labels["x"]), tooltip=cross_tooltip),
            alt.Chart(cross_data)
            .mark_point(shape="diamond", size=TRIANGLE_SIZE, filled=True, color="#222222")
            .encode(
                x=alt.X("at:Q", title=labels["x"]),
                y=alt.Y("y:Q", title=y_title),
                tooltip=cross_tooltip,
            ),
        ]
    if current:
        marker = alt.NamedData(name=CURRENT_DATA)
        layers += [
            alt.Chart(marker).mark_rule(strokeDash=[1, 3], color="#000000").encode(x=x),
            alt.Chart(marker)
            .mark_text(align="left", baseline="top", dx=4, y=4, fontSize=12)
            .encode(x=x, text=alt.Text("label:N")),
        ]
    title = _title(labels)
    return alt.layer(*layers, data=alt.NamedData(name=SWEEP_DATA), height=CHART_HEIGHT, title=title)


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec of a chart, data inline, without re-validating it against the schema.

    Validation costs ~0.1-0.2 s per chart on every rerun; the builders' output is validated by
    the tests (tests/test_simulate_charts.py calls `to_dict()` with validation), so the page
    can skip it.
    """
    return chart.to_dict(validate=False)
