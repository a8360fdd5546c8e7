"""The Cost page's chart: each carrier's amount per document, as a pure Altair builder."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from components.charts import doc_color, source_title

CARRIER_ROW_PX = 70  # one document's row of carriers, spread up and down
CARRIER_WIDTH = 760


def carrier_distribution(
    points: pd.DataFrame,
    documents: Mapping[str, str],
    text: Mapping[str, str],
    notes: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Each carrier: a dot at what it gets at least, a line up to at most; a carrier with no
    upper end is a right-pointing triangle (more may come). One row per document, in the order
    of `documents` (label → its fixed colour). `notes` (doc_label, x, note) writes a line of
    words on a document's row, e.g. how many carriers qualify only for unstated money."""
    order = list(documents)
    base = alt.Chart(points).encode(
        y=alt.Y("doc_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-0.3, 1.3])),
        color=doc_color(documents, text["doc"], legend=False),
        tooltip=[
            alt.Tooltip("profile_id:N", title=text["carrier"]),
            alt.Tooltip("doc_label:N", title=text["doc"]),
            alt.Tooltip("low:Q", title=text["low"], format=",.1f"),
            alt.Tooltip("high:Q", title=text["high"], format=",.1f"),
        ],
    )
    x = alt.X("low:Q", title=text["x"], scale=alt.Scale(zero=True))
    span = (
        base.transform_filter("datum.high > datum.low")
        .mark_rule(opacity=0.2)
        .encode(x=x, x2="high:Q")
    )
    bounded = base.transform_filter("!datum.open_ended").mark_circle(size=28, opacity=0.7)
    open_ended = base.transform_filter("datum.open_ended").mark_point(
        shape="triangle-right", size=60, filled=True
    )
    layers = [span, bounded.encode(x=x), open_ended.encode(x=x)]
    if notes is not None and not notes.empty:
        layers.append(
            alt.Chart(notes)
            .mark_text(align="right", baseline="middle", dy=-12, fontSize=11, color="#555")
            .encode(y=alt.Y("doc_label:N", sort=order), x="x:Q", text="note:N")
        )
    return alt.layer(*layers).properties(
        width=CARRIER_WIDTH, height=CARRIER_ROW_PX * max(len(order), 1), title=source_title(text)
    )
