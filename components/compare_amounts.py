"""Compare's comparable amounts: each quantified clause's chartable intervals with their row
labels (document, the clause's whole title, a table row's entry) and what the chart cannot draw,
with the reason — pure: data in, frames out (no Streamlit calls)."""

from __future__ import annotations

import pandas as pd

from components.display import amount_short, wan
from components.i18n import t
from policies.fields import value_label
from policies.models import Atlas, Clause

TOOLTIP_QUOTE_CHARS = 90


def _marks_for(clause: Clause, lang: str) -> list[dict]:
    """The chartable intervals of one quantified clause (the amount kind's own marks), each with
    its label: the compact amount, a table row's entry, or 'no cap' on an uncapped rate."""
    short = amount_short(clause.amount, clause.period, lang, clause.period_inferred)
    sep = "" if lang == "zh" else " "
    out = []
    for m in clause.amount.marks():
        mark = {"low": m.low, "high": m.high, "shape": m.shape, "label": short}
        if m.uncapped:
            mark["label"] = f"{short} {t('compare.no_cap', lang)}"
        if m.entry:
            entry = sep.join(value_label(part, lang) for part in m.entry.split("/"))
            mark |= {"label": f"{entry} {wan(m.low, lang)}", "entry": entry}
        out.append(mark)
    return out


def amount_marks(frame: pd.DataFrame, data: Atlas, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split the filtered clauses into chartable intervals and the rest (listed, never drawn as 0).

    Returns (marks, not_drawn). marks has one row per interval: row label, document, category,
    low, high (NaN when open), shape, label, and the clause's id, title, recipient, section and
    a quote excerpt for the tooltip (the full quote is in `source`). not_drawn lists the other
    clauses with the reason.
    """
    clauses = {c.id: c for c in data.clauses()}
    marks, rest = [], []
    for row in frame.itertuples():
        clause = clauses[row.id]
        found = _marks_for(clause, lang) if row.status == "quantified" else []
        if not found:
            reason = (
                t("compare.reason_not_stated", lang)
                if row.status == "qualitative"
                else t("compare.reason_uncapped", lang)
            )
            rest.append(
                {
                    "clause": row.id,
                    "document": row.document,
                    "doc_label": row.doc_label,
                    "category_label": row.category_label,
                    "title": row.title,
                    "amount": row.amount,
                    "reason": reason,
                    "recipient_label": row.recipient_label,
                    "section": row.section,
                    "quote": row.quote,
                    "source": row.source,
                }
            )
            continue
        for mark in found:
            entry = mark.pop("entry", None)
            name = f"{row.doc_label} · {row.title}" + (f" · {entry}" if entry else "")
            marks.append(
                {
                    "row": name,
                    "document": row.document,
                    "doc_label": row.doc_label,
                    "category": row.category,
                    "category_label": row.category_label,
                    **mark,
                    "clause": row.id,
                    "title": row.title,
                    "amount_full": row.amount_full,
                    "recipient_label": row.recipient_label,
                    "period_label": row.period_label,
                    "section": row.section,
                    "quote_excerpt": shorten(row.quote, TOOLTIP_QUOTE_CHARS),
                    "source": row.source,  # the full verbatim quote
                }
            )
    columns = [
        "row", "document", "doc_label", "category", "category_label", "low", "high", "shape",
        "label", "clause", "title", "amount_full", "recipient_label", "period_label", "section",
        "quote_excerpt", "source",
    ]  # fmt: skip
    marks_frame = pd.DataFrame(marks, columns=columns)
    rank = {cat: i for i, cat in enumerate(data.taxonomy.categories)}
    marks_frame = marks_frame.sort_values(
        "category", key=lambda c: c.map(rank), kind="stable"
    ).reset_index(drop=True)
    marks_frame["low"] = marks_frame["low"].astype(float)
    marks_frame["high"] = marks_frame["high"].astype(float)
    return marks_frame, pd.DataFrame(rest)


def shorten(text: str, limit: int) -> str:
    """The first `limit` characters, with … when cut (line breaks shown as spaces)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
