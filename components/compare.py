"""Compare page helpers: clause rows, the category × document matrix, comparable amounts, and the
difference between two documents (the Liuzhou 2016 → 2019 versions) — all built from the data.

Pure: data in, frames and strings out (no Streamlit calls).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from components.compare_amounts import amount_marks as amount_marks
from components.display import amount_short, amount_text, doc_label, md_escape
from components.i18n import pick, t
from policies.engine import document_labels
from policies.fields import value_label
from policies.models import (
    Atlas,
    Clause,
    Document,
)

CARRIER_TYPES = ("incubator", "accelerator", "maker_space")
AMOUNT_FILTERS = ("all", "quantified", "qualitative")
VIEWS = ("matrix", "chart", "versions", "list")
DEFAULT_OLDER, DEFAULT_NEWER = "liuzhou_2016", "liuzhou_2019"  # the two versions of one policy
CELL_SEP = "|"
LINE_SEP = "\n"  # one clause per line in a matrix cell


# --- clause rows ---------------------------------------------------------------------------


def carrier_scope(clause: Clause) -> tuple[str, ...] | None:
    """The carrier types a clause is limited to by its `carrier_type` condition; None: all types."""
    for cond in clause.conditions:
        if cond.field != "carrier_type":
            continue
        values = cond.value if isinstance(cond.value, list) else [cond.value]
        named = tuple(str(v) for v in values)
        if cond.op in ("in", "eq"):
            return named
        if cond.op in ("not_in", "ne"):
            return tuple(c for c in CARRIER_TYPES if c not in named)
    return None


def _level_after(clause: Clause) -> str | None:
    for cond in clause.conditions:
        if cond.field == "level_after" and cond.op in ("eq", "in"):
            values = cond.value if isinstance(cond.value, list) else [cond.value]
            if len(values) == 1:
                return str(values[0])
    return None


def clause_tag(clause: Clause, lang: str, doc: Document | None = None) -> str:
    """A short tag from the conditions: carrier types and the level reached (孵化器·省级), the
    level in the document's own words (自治区级 in Guangxi)."""
    parts: list[str] = []
    scope = carrier_scope(clause)
    if scope is not None:
        parts.append("/".join(value_label(c, lang) for c in scope))
    level = _level_after(clause)
    if level is not None:
        own = document_labels(doc).get(level) if doc is not None else None
        parts.append(value_label(level, lang) if own is None else pick(*own, lang))
    return "·".join(parts)


def carriers_text(scope: tuple[str, ...] | None, lang: str) -> str:
    """'孵化器、众创空间' / 'incubator, maker space', or 'every carrier type' when unlimited."""
    if scope is None:
        return t("compare.all_carriers", lang)
    return ("、" if lang == "zh" else ", ").join(value_label(c, lang) for c in scope)


def source_text(doc_id: str, section: str, quote: str) -> str:
    """The source column of every export: document id, section path and the verbatim quote."""
    return f"{doc_id} § {section}: 「{quote}」"


def clause_rows(data: Atlas, lang: str) -> pd.DataFrame:
    """One row per money clause in reading order, with labels in `lang` and its source."""
    tax = data.taxonomy
    rows = []
    for doc in data.in_reading_order():
        for c in doc.policy.clauses:
            scope = carrier_scope(c)
            rows.append(
                {
                    "document": doc.id,
                    "doc_label": doc_label(doc, lang),
                    "id": c.id,
                    "category": c.category,
                    "category_label": pick(
                        tax.categories[c.category].zh, tax.categories[c.category].en, lang
                    ),
                    "recipient": c.recipient,
                    "recipient_label": pick(
                        tax.recipients[c.recipient].zh, tax.recipients[c.recipient].en, lang
                    ),
                    "carriers": scope,
                    "carriers_label": carriers_text(scope, lang),
                    "status": c.status,
                    "status_label": t(f"compare.status_{c.status}", lang)
                    + ("" if c.payer == "government" else t("compare.not_government", lang)),
                    "payer": c.payer,
                    "title": pick(c.title_zh, c.title_en, lang),
                    "tag": clause_tag(c, lang, doc),
                    "amount": amount_short(c.amount, c.period, lang, c.period_inferred),
                    "amount_full": amount_text(c.amount, c.period, lang, c.period_inferred),
                    "period_label": t(f"compare.period_{c.period}", lang),
                    "section": c.section,
                    "quote": c.quote,
                    "interpretations": ", ".join(c.interpretations),
                    "notes_en": c.notes_en or "",
                    "source": source_text(doc.id, c.section, c.quote),
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Options:
    """The choices of the filters, with their labels in one language."""

    documents: dict[str, str]  # id -> label, reading order
    categories: dict[str, str]  # the categories that have a clause, taxonomy order
    recipients: dict[str, str]  # the recipients that have a clause, taxonomy order
    carriers: dict[str, str]


def options(data: Atlas, frame: pd.DataFrame, lang: str) -> Options:
    """The filter choices: every document, and the categories and recipients in use."""
    tax = data.taxonomy
    used_cats, used_recipients = set(frame["category"]), set(frame["recipient"])
    return Options(
        documents={d.id: doc_label(d, lang) for d in data.in_reading_order()},
        categories={k: pick(v.zh, v.en, lang) for k, v in tax.categories.items() if k in used_cats},
        recipients={
            k: pick(v.zh, v.en, lang) for k, v in tax.recipients.items() if k in used_recipients
        },
        carriers={c: value_label(c, lang) for c in CARRIER_TYPES},
    )


def filter_clauses(
    frame: pd.DataFrame,
    *,
    documents: Iterable[str] = (),
    categories: Iterable[str] = (),
    recipients: Iterable[str] = (),
    carriers: Iterable[str] = (),
    amounts: str = "all",
) -> pd.DataFrame:
    """Keep the clauses that match every filter; an empty filter keeps everything.

    A clause with no `carrier_type` condition applies to every carrier type, so it matches any
    carrier filter.
    """
    keep = pd.Series(True, index=frame.index)
    for column, chosen in (
        ("document", documents),
        ("category", categories),
        ("recipient", recipients),
    ):
        chosen = list(chosen)
        if chosen:
            keep &= frame[column].isin(chosen)
    wanted = set(carriers)
    if wanted:
        keep &= frame["carriers"].map(lambda s: s is None or bool(wanted & set(s)))
    if amounts in ("quantified", "qualitative"):
        keep &= frame["status"] == amounts
    return frame[keep]


EXPORT_COLUMNS = [
    "document", "id", "category", "category_label", "recipient", "recipient_label",
    "carriers_label", "status", "title", "amount", "amount_full", "period_label", "section",
    "quote", "interpretations", "notes_en", "source",
]  # fmt: skip


def clause_export(frame: pd.DataFrame) -> pd.DataFrame:
    """The clause table as exported: every column a reader needs to cite it."""
    return frame[EXPORT_COLUMNS]


# --- the matrix ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    """The category × document matrix and what its rows and columns stand for."""

    frame: pd.DataFrame  # first column: category label; one column per document label
    categories: list[str]  # category id of each row
    documents: dict[str, str]  # column label -> document id
    cells: dict[str, list[str]] = field(default_factory=dict)  # "category|doc" -> clause ids
    labels: dict[str, str] = field(default_factory=dict)  # "category|doc" -> '类别 × 文件 (n)'


def cell_key(category: str, doc_id: str) -> str:
    """The id of one matrix cell, 'category|document' (the value of the URL's `cell`)."""
    return f"{category}{CELL_SEP}{doc_id}"


def cell_text(rows: list[dict], lang: str) -> str:
    """One cell: each stated amount with its tag, then the clauses whose amount is not stated.

    Empty: 'no equivalent'. A qualitative clause reads 'amount not stated' — never 0.
    """
    if not rows:
        return t("common.no_equivalent", lang)
    not_stated = t("common.amount_not_stated", lang)
    lines = [f"{r['tag']} {r['amount']}".strip() for r in rows if r["status"] == "quantified"]
    qualitative = [r for r in rows if r["status"] == "qualitative"]
    lines += [f"{r['tag']} {r['amount']}".strip() for r in qualitative if r["amount"] != not_stated]
    count = sum(1 for r in qualitative if r["amount"] == not_stated)
    if count:
        many = t("compare.not_stated_n", lang, text=not_stated, n=count)
        lines.append(not_stated if count == 1 else many)
    return LINE_SEP.join(lines)


def _grouped(frame: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """The clause rows by (category, document), in reading order."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in frame.to_dict("records"):
        groups.setdefault((row["category"], row["document"]), []).append(row)
    return groups


def matrix(frame: pd.DataFrame, data: Atlas, lang: str, documents: Iterable[str] = ()) -> Matrix:
    """Rows: the categories that have a clause after filtering (taxonomy order); columns: the
    chosen documents (all when none is chosen)."""
    tax = data.taxonomy
    chosen = set(documents)
    docs = [d for d in data.in_reading_order() if not chosen or d.id in chosen]
    groups = _grouped(frame)
    present = {cat for cat, _ in groups}
    categories = [c for c in tax.categories if c in present]
    header = t("common.category", lang)
    records, cells, labels = [], {}, {}
    for cat in categories:
        label = tax.categories[cat]
        record = {header: pick(label.zh, label.en, lang)}
        for doc in docs:
            rows = groups.get((cat, doc.id), [])
            text = cell_text(rows, lang)
            record[doc_label(doc, lang)] = text
            if rows:
                cells[cell_key(cat, doc.id)] = [r["id"] for r in rows]
                labels[cell_key(cat, doc.id)] = (
                    f"{record[header]} × {doc_label(doc, lang)} ({len(rows)})"
                )
        records.append(record)
    columns = [header] + [doc_label(d, lang) for d in docs]
    return Matrix(
        frame=pd.DataFrame(records, columns=columns),
        categories=categories,
        documents={doc_label(d, lang): d.id for d in docs},
        cells=cells,
        labels=labels,
    )


def matrix_display(mx: Matrix) -> pd.DataFrame:
    """The matrix for st.table, which renders Markdown: every cell escaped, one clause a line."""
    return mx.frame.map(md_escape)


def matrix_export(mx: Matrix, frame: pd.DataFrame) -> pd.DataFrame:
    """The matrix in long form for CSV: one row per cell, with the clause ids and their sources."""
    header = mx.frame.columns[0]
    sources = dict(zip(frame["id"], frame["source"], strict=True))
    table = mx.frame.to_dict("records")
    rows = []
    for cat, record in zip(mx.categories, table, strict=True):
        for col, doc_id in mx.documents.items():
            ids = mx.cells.get(cell_key(cat, doc_id), [])
            rows.append(
                {
                    "category": cat,
                    "category_label": record[header],
                    "document": doc_id,
                    "cell": record[col],
                    "clauses": ", ".join(ids),
                    "source": " | ".join(sources[i] for i in ids),
                }
            )
    return pd.DataFrame(rows)


# --- headline figures (overview) -----------------------------------------------------------


def headline_value(clause: Clause) -> float | None:
    """The largest sum a clause's text names (a floor, a ceiling, a cap or a table's top entry)."""
    return clause.amount.headline()


def largest_amounts(data: Atlas, lang: str, n: int) -> pd.DataFrame:
    """The clauses naming the largest sums, with the amount stated honestly (≥, ≤, cap)."""
    rows = []
    for doc in data.in_reading_order():
        for c in doc.policy.clauses:
            value = headline_value(c)
            if value is None:
                continue
            rows.append(
                {
                    "value": value,
                    "doc_label": doc_label(doc, lang),
                    "title": pick(c.title_zh, c.title_en, lang),
                    "amount": amount_short(c.amount, c.period, lang, c.period_inferred),
                    "id": c.id,
                }
            )
    frame = pd.DataFrame(rows, columns=["value", "doc_label", "title", "amount", "id"])
    return frame.sort_values("value", ascending=False, kind="stable").head(n)


def documents_without_amounts(data: Atlas) -> list[Document]:
    """Documents none of whose money clauses states an amount or rate."""
    return [
        d
        for d in data.in_reading_order()
        if not any(c.status == "quantified" for c in d.policy.clauses)
    ]
