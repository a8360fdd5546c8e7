"""Pure Altair chart builders: data frame in, chart out, no Streamlit."""

from __future__ import annotations

import altair as alt
import pandas as pd


def clauses_per_document(df: pd.DataFrame) -> alt.Chart:
    """Stacked bars of quantified vs not-stated money clauses for each document."""
    return (
        alt.Chart(df, title="资金条款 Money clauses per document")
        .mark_bar()
        .encode(
            x=alt.X("document:N", title="文件 Document", sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("clauses:Q", title="条款数 Clauses", stack="zero"),
            color=alt.Color("status:N", title="状态 Status", sort=None),
            tooltip=[
                alt.Tooltip("document:N", title="文件 Document"),
                alt.Tooltip("status:N", title="状态 Status"),
                alt.Tooltip("clauses:Q", title="条款数 Clauses"),
            ],
        )
    )
