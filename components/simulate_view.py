"""Pure helpers for the Simulate page: a Result (and the atlas) in, frames and records out.

Document names, totals and the split by recipient, the late-payment notice, and the bundle of
what the page showed for its exports; the clause-by-clause views and the readings are in
components.simulate_clauses, the reproduce and what-if tables in components.simulate_whatif.

No Streamlit calls: every function takes the language explicitly, so it can be tested and reused
by exports. Amounts stay in 万元 and are worded through components.display.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from components.display import interval_text
from components.i18n import pick, t
from policies.engine import DocumentResult, Interval, Line, Result
from policies.fmt import num
from policies.models import Atlas, Document

KINDS = ("exact", "ceiling", "range", "floor", "not_stated", "none")


@dataclass
class Shown:
    """What the page showed, for its exports: the tables (sheet name → table, or a function
    making it when a file is asked for; in sheet order, the first is the CSV), the chart specs
    (name → spec, or a function making it) and the titles of the deferred charts' buttons."""

    tables: dict[str, pd.DataFrame | Callable[[], pd.DataFrame]] = field(default_factory=dict)
    charts: dict[str, Mapping | Callable[[], Mapping]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


# --- names -------------------------------------------------------------------------------


def doc_name(atlas: Atlas, doc_id: str, lang: str) -> str:
    """The document's short name ('江都 2023' / 'Jiangdu 2023')."""
    policy = atlas.document(doc_id).policy
    return pick(policy.short_zh, policy.short_en, lang)


def doc_title(doc: Document, lang: str) -> str:
    prov = doc.provenance
    return pick(prov.title_zh, prov.title_en, lang)


def recipient_label(atlas: Atlas, recipient: str, lang: str) -> str:
    entry = atlas.taxonomy.recipients.get(recipient)
    return pick(entry.zh, entry.en, lang) if entry else recipient


def category_label(atlas: Atlas, category: str, lang: str) -> str:
    entry = atlas.taxonomy.categories.get(category)
    return pick(entry.zh, entry.en, lang) if entry else category


# --- intervals ---------------------------------------------------------------------------


def interval_kind(low: float, high: float | None) -> str:
    """exact (a dot), ceiling (0..X), range (a..b) or floor (X and up, no stated top)."""
    if high is None:
        return "floor"
    if low == high:
        return "exact"
    if low == 0:
        return "ceiling"
    return "range"


def total_kind(total: Interval, computed: int, not_stated: int) -> str:
    """The chart mark for a total: an interval kind, or `not_stated` / `none` when no clause
    computed an amount (eligible only for unstated amounts / nothing applies)."""
    if computed:
        return interval_kind(total.low, total.high)
    return "not_stated" if not_stated else "none"


def _plus_not_stated(text: str, count: int, lang: str) -> str:
    if not count:
        return text
    return t("simulate.plus_not_stated", lang, amount=text, n=count)


def total_text(doc_lines: Sequence[Line], total: Interval, lang: str) -> str:
    """A document's total in words, with the eligible clauses whose amount is not stated."""
    computed = sum(1 for line in doc_lines if line.status == "computed")
    not_stated = sum(1 for line in doc_lines if line.status == "not_stated")
    if not computed and not not_stated:
        return t("simulate.nothing_applies", lang)
    if not computed:
        return t("simulate.only_not_stated", lang, n=not_stated)
    return _plus_not_stated(interval_text(total.low, total.high, lang), not_stated, lang)


def validity_text(doc: Document, year: int | None, lang: str) -> str:
    """'as if in force', 'in force', 'not yet in force' or 'period ended' for a year; a period the
    text never states is said to be inferred."""
    if year is None:
        return t("common.as_if_in_force", lang)
    if doc.in_force(year):
        text = t("common.in_force", lang)
    elif year < doc.provenance.period_start:
        text = t("simulate.not_yet_in_force", lang)
    else:
        text = t("simulate.expired", lang)
    if doc.provenance.period_inferred:
        text = f"{text} ({t('common.period_inferred', lang)})"
    return text


def short_text(
    low: float | None, high: float | None, computed: int, not_stated: int, lang: str
) -> str:
    """The label of a chart mark, in words: '150万元', '至少 117万元', '最多 55万元',
    '5–45万元', 'amount not stated', with the clauses of unstated amount on top named."""
    if not computed:
        if not_stated:
            return t("simulate.only_not_stated", lang, n=not_stated)
        return t("simulate.nothing_applies", lang)
    return _plus_not_stated(interval_text(low or 0.0, high, lang), not_stated, lang)


def document_order(atlas: Atlas) -> list[str]:
    """Document ids in the order every page shows them (by plan period, then issue date)."""
    return [doc.id for doc in atlas.in_reading_order()]


def ordered(result: Result, atlas: Atlas) -> list[DocumentResult]:
    """A result's documents in display order."""
    rank = {ident: i for i, ident in enumerate(document_order(atlas))}
    return sorted(result.documents, key=lambda d: rank.get(d.id, len(rank)))


def document_names(atlas: Atlas, lang: str) -> list[str]:
    """Short names of every document in display order (the order and colours of each chart)."""
    return [doc_name(atlas, ident, lang) for ident in document_order(atlas)]


def totals_frame(result: Result, atlas: Atlas, lang: str) -> pd.DataFrame:
    """One row per document: its total as an interval, its kind, wording and validity."""
    rows = []
    for doc in ordered(result, atlas):
        not_stated = sum(1 for line in doc.lines if line.status == "not_stated")
        computed = sum(1 for line in doc.lines if line.status == "computed")
        rows.append(
            {
                "document": doc.id,
                "name": doc_name(atlas, doc.id, lang),
                "low": doc.total.low,
                "high": doc.total.high,
                "kind": total_kind(doc.total, computed, not_stated),
                "text": total_text(doc.lines, doc.total, lang),
                "short": short_text(doc.total.low, doc.total.high, computed, not_stated, lang),
                "computed": computed,
                "not_stated": not_stated,
                "in_force": doc.in_force,
                "status": validity_text(atlas.document(doc.id), result.year, lang),
            }
        )
    return pd.DataFrame(rows, columns=_TOTAL_COLUMNS)


_TOTAL_COLUMNS = [
    "document",
    "name",
    "low",
    "high",
    "kind",
    "text",
    "short",
    "computed",
    "not_stated",
    "in_force",
    "status",
]


def totals_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The totals for reading: bounds as text, an open high as "no ceiling", and no figure at
    all (never 0) for a document eligible only for clauses of unstated amount."""
    table = frame.copy()
    unknown = table["kind"] == "not_stated"
    table["low"] = ["—" if u else num(v) for u, v in zip(unknown, table["low"], strict=True)]
    table["high"] = [
        "—" if u else (t("simulate.unbounded", lang) if _missing(v) else num(v))
        for u, v in zip(unknown, table["high"], strict=True)
    ]
    return table


def totals_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The totals for a CSV: numbers stay numbers; an open high and an unknown amount are empty
    cells (the `text` column says which)."""
    table = frame.copy()
    unknown = table["kind"] == "not_stated"
    table["low"] = table["low"].astype("float64").where(~unknown)
    table["high"] = table["high"].astype("float64").where(~unknown)
    return table


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def recipients_frame(result: Result, atlas: Atlas, lang: str) -> pd.DataFrame:
    """Long table: document × recipient with the interval each recipient would receive.

    A recipient with only eligible clauses of unstated amount appears with no interval.
    """
    rows = []
    for doc in ordered(result, atlas):
        not_stated: dict[str, int] = {}
        for line in doc.lines:
            if line.status == "not_stated":
                not_stated[line.recipient] = not_stated.get(line.recipient, 0) + 1
        recipients = list(doc.by_recipient) + [r for r in not_stated if r not in doc.by_recipient]
        for recipient in recipients:
            amount = doc.by_recipient.get(recipient)
            n = not_stated.get(recipient, 0)
            if amount is None:
                text = t("simulate.only_not_stated", lang, n=n)
            else:
                text = _plus_not_stated(interval_text(amount.low, amount.high, lang), n, lang)
            rows.append(
                {
                    "document": doc.id,
                    "name": doc_name(atlas, doc.id, lang),
                    "recipient": recipient,
                    "recipient_label": recipient_label(atlas, recipient, lang),
                    "low": amount.low if amount else None,
                    "high": amount.high if amount else None,
                    "kind": interval_kind(amount.low, amount.high) if amount else "not_stated",
                    "text": text,
                    "short": short_text(
                        amount.low if amount else None,
                        amount.high if amount else None,
                        int(amount is not None),
                        n,
                        lang,
                    ),
                    "not_stated": n,
                    "in_force": doc.in_force,
                }
            )
    columns = [
        "document",
        "name",
        "recipient",
        "recipient_label",
        "low",
        "high",
        "kind",
        "text",
        "short",
        "not_stated",
        "in_force",
    ]
    return pd.DataFrame(rows, columns=columns)


def recipients_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Wording of each recipient's share, one row per document, one column per recipient."""
    if frame.empty:
        return pd.DataFrame(columns=[t("common.document", lang)])
    # a plain dict pivot: pandas' pivot_table costs ~20 ms for these few rows
    names = list(dict.fromkeys(frame["name"]))
    recipients = list(dict.fromkeys(frame["recipient_label"]))
    cells: dict[tuple[str, str], str] = {}
    for name, recipient, text in zip(
        frame["name"], frame["recipient_label"], frame["text"], strict=True
    ):
        cells.setdefault((name, recipient), text)
    table = {t("common.document", lang): names}
    for recipient in recipients:
        table[recipient] = [cells.get((name, recipient), "—") for name in names]
    return pd.DataFrame(table)


# --- words of the page ---------------------------------------------------------------------


def amount_axis(lang: str) -> str:
    """The amount axis of every Simulate chart, with its unit."""
    return t("simulate.col_amount", lang) + t("simulate.unit_suffix", lang)


def year_words(year: int | None, lang: str) -> str:
    """The year the figures are computed for, or 'as if in force'."""
    return t("simulate.year_as_if", lang) if year is None else str(year)


def chart_source(atlas: Atlas, year: int | None, lang: str) -> str:
    """The source line under every Simulate chart: data version and the year computed for."""
    return t("simulate.chart_source", lang, version=atlas.data_version, year=year_words(year, lang))


def totals_labels(source: str, lang: str, legend: str = "") -> dict[str, str]:
    """The words of the totals chart; `source` is its source line, `legend` its key
    (totals_legend)."""
    return {
        "document": t("simulate.col_document", lang),
        "amount": amount_axis(lang),
        "wording": t("simulate.col_wording", lang),
        "title": t("simulate.totals_chart_title", lang),
        "subtitle": source,
        "legend": legend,
    }


def totals_columns(lang: str) -> dict[str, str]:
    """The totals table's columns → their headers (the CSV keeps `across`; the screen does not)."""
    return {
        "name": t("simulate.col_document", lang),
        "text": t("simulate.col_wording", lang),
        "low": t("simulate.col_low", lang),
        "high": t("simulate.col_high", lang),
        "status": t("simulate.col_status", lang),
        "not_stated": t("simulate.col_not_stated", lang),
        "across": t("simulate.col_across", lang),
    }


def totals_shown(frame: pd.DataFrame, words: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The totals as the page shows them: each document's total in `words` (document id →
    words), under the headers of the reader's language."""
    columns = totals_columns(lang)
    shown = totals_table(frame, lang)
    shown["text"] = shown["document"].map(words)
    return shown[[c for c in columns if c != "across"]].rename(columns=columns)


def totals_download(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The totals for the CSV download: numbers stay numbers, every column kept."""
    columns = totals_columns(lang)
    return totals_csv_frame(frame)[["document", *columns]].rename(columns=columns)


def late_notice(result: Result, atlas: Atlas, lang: str) -> str | None:
    """Money a document in force would pay after its period ends (needs a chosen year)."""
    late = [
        t(
            "simulate.late_item",
            lang,
            document=doc_name(atlas, doc.id, lang),
            amount=interval_text(doc.after_period.low, doc.after_period.high, lang),
        )
        for doc in ordered(result, atlas)
        if doc.in_force
        and doc.after_period is not None
        and (doc.after_period.high is None or doc.after_period.high > 0)
    ]
    if not late:
        return None
    return t("simulate.late_payments", lang, docs=t("overview.list_sep", lang).join(late))
