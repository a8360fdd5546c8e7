"""Flat tables of the data (documents, targets, clauses) for export and for the app's views."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from policies.models import AmountForm, Atlas, Clause, Document, Target

DOCUMENT_COLUMNS = [
    "document",
    "short_zh",
    "short_en",
    "title_zh",
    "title_en",
    "city_zh",
    "city_en",
    "province_zh",
    "province_en",
    "district_zh",
    "district_en",
    "issuer_zh",
    "issuer_en",
    "doc_number",
    "issued",
    "period_start",
    "period_end",
    "period_inferred",
    "published_zh",
    "published_en",
    "source_file",
    "sha256",
    "targets",
    "clauses_quantified",
    "clauses_qualitative",
    "clauses_non_government",
    "artifacts",
    "data_version",
]
# The documents table of every export: enough to cite each document and check its text.
CITATION_COLUMNS = [
    "document",
    "title_zh",
    "title_en",
    "place_zh",
    "place_en",
    "issuer_zh",
    "issuer_en",
    "doc_number",
    "issued",
    "period",
    "period_inferred",
    "published_zh",
    "published_en",
    "source_file",
    "sha256",
]
INFERRED_MARK = "*"  # after a period the text does not state (period_inferred)
TARGET_COLUMNS = [
    "document",
    "id",
    "kind",
    "metric_zh",
    "metric_en",
    "value",
    "value_max",
    "value_words",
    "unit",
    "comparator",
    "aspiration",
    "deadline",
    "basis",
    "nature",
    "scope_zh",
    "scope_en",
    "part_of",
    "interpretation",
    "section",
    "quote",
    "restated_quotes",
    "notes_en",
]
CLAUSE_COLUMNS = [
    "document",
    "id",
    "category",
    "recipient",
    "title_zh",
    "title_en",
    "status",
    "kind",
    "bound",
    "value",
    "low",
    "high",
    "rate",
    "rate_pct",
    "rates_pct",
    "base",
    "count",
    "cap",
    "cap_per",
    "table",
    "combine",
    "uplift_pct",
    "form_en",
    "per_carrier",
    "distinct",
    "each",
    "conditions",
    "period",
    "period_inferred",
    "paid",
    "payer",
    "section",
    "quote",
    "interpretations",
    "notes_en",
]


def document_row(doc: Document, data_version: str) -> dict[str, Any]:
    """One row per document: bibliographic facts and counts."""
    p, pol = doc.provenance, doc.policy
    government = pol.government_clauses
    quantified = sum(c.status == "quantified" for c in government)
    return {
        "document": doc.id,
        "short_zh": pol.short_zh,
        "short_en": pol.short_en,
        "title_zh": p.title_zh,
        "title_en": p.title_en,
        "city_zh": p.place.city_zh,
        "city_en": p.place.city_en,
        "province_zh": p.place.province_zh,
        "province_en": p.place.province_en,
        "district_zh": p.place.district_zh,
        "district_en": p.place.district_en,
        "issuer_zh": p.issuer_zh,
        "issuer_en": p.issuer_en,
        "doc_number": p.doc_number,
        "issued": p.issued.isoformat() if p.issued else None,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "period_inferred": p.period_inferred,
        "published_zh": p.published_zh,
        "published_en": p.published_en,
        "source_file": p.file,
        "sha256": p.sha256,
        "targets": len(pol.targets),
        "clauses_quantified": quantified,
        "clauses_qualitative": len(government) - quantified,
        "clauses_non_government": len(pol.clauses) - len(government),
        "artifacts": len(p.artifacts),
        "data_version": data_version,
    }


def place_names(doc: Document) -> tuple[str, str]:
    """Where the document applies, in Chinese and in English (district, city, province)."""
    place = doc.provenance.place
    zh = "".join(x for x in (place.province_zh, place.city_zh, place.district_zh) if x)
    en = ", ".join(x for x in (place.district_en, place.city_en, place.province_en) if x)
    return zh, en


def citation_row(doc: Document, data_version: str) -> dict[str, Any]:
    """A document's citation, read from its provenance record: the documents row's
    bibliographic fields, with the place in words and the period marked when inferred."""
    row = document_row(doc, data_version)
    row["place_zh"], row["place_en"] = place_names(doc)
    period = f"{row['period_start']}–{row['period_end']}"
    row["period"] = period + INFERRED_MARK if row["period_inferred"] else period
    return {key: row[key] for key in CITATION_COLUMNS}


def citations(atlas: Atlas, documents: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The citation rows of the named documents (every document when none is named), in
    reading order; unknown ids are left out."""
    wanted = set(documents)
    return [
        citation_row(d, atlas.data_version)
        for d in atlas.in_reading_order()
        if not wanted or d.id in wanted
    ]


def target_row(doc_id: str, t: Target) -> dict[str, Any]:
    """One row per quantified target."""
    return {
        "document": doc_id,
        "id": t.id,
        "kind": t.kind,
        "metric_zh": t.metric_zh,
        "metric_en": t.metric_en,
        "value": t.value,
        "value_max": t.value_max,
        "value_words": t.value_words,
        "unit": t.unit,
        "comparator": t.comparator,
        "aspiration": t.aspiration,
        "deadline": t.deadline,
        "basis": t.basis,
        "nature": t.nature,
        "scope_zh": t.scope_zh,
        "scope_en": t.scope_en,
        "part_of": t.part_of,
        "interpretation": t.interpretation,
        "section": t.section,
        "quote": t.quote,
        "restated_quotes": " | ".join(c.quote for c in t.restated) or None,
        "notes_en": t.notes_en,
    }


AMOUNT_SCALARS = (
    "bound",
    "value",
    "low",
    "high",
    "rate",
    "rate_pct",
    "base",
    "combine",
    "uplift_pct",
    "form_en",
    "per_carrier",
    "distinct",
)


def amount_fields(amount: AmountForm) -> dict[str, Any]:
    """The amount form spread over flat columns; nested parts are kept as JSON text."""
    data = amount.model_dump()
    row: dict[str, Any] = {key: data.get(key) for key in AMOUNT_SCALARS}
    row["kind"] = data["kind"]
    cap = data.get("cap")
    row["cap"], row["cap_per"] = (cap["value"], cap["per"]) if cap else (None, None)
    row["rates_pct"] = json.dumps(data["rates_pct"]) if "rates_pct" in data else None
    row["count"] = ",".join(data["count"]) if "count" in data else None
    row["table"] = None
    if data["kind"] == "lookup":
        row["table"] = json.dumps({"key": data["key"], "table": data["table"]}, ensure_ascii=False)
    elif data["kind"] == "sum":
        row["table"] = json.dumps({"parts": data["parts"]}, ensure_ascii=False)
    return row


def clause_row(doc_id: str, c: Clause) -> dict[str, Any]:
    """One row per money clause, quantified or not."""
    row = {
        "document": doc_id,
        "id": c.id,
        "category": c.category,
        "recipient": c.recipient,
        "title_zh": c.title_zh,
        "title_en": c.title_en,
        "status": c.status,
    }
    row.update(amount_fields(c.amount))
    row.update(
        {
            "each": c.each,
            "conditions": json.dumps(
                [cond.model_dump() for cond in c.conditions], ensure_ascii=False
            ),
            "period": c.period,
            "period_inferred": c.period_inferred,
            "paid": None if c.paid is None else json.dumps(c.paid.model_dump(), ensure_ascii=False),
            "payer": c.payer,
            "section": c.section,
            "quote": c.quote,
            "interpretations": ",".join(c.interpretations) or None,
            "notes_en": c.notes_en,
        }
    )
    return {k: row.get(k) for k in CLAUSE_COLUMNS}


def tables(atlas: Atlas) -> dict[str, list[dict[str, Any]]]:
    """The three public tables: documents, targets, clauses."""
    return {
        "documents": [document_row(d, atlas.data_version) for d in atlas.documents],
        "targets": [target_row(d.id, t) for d in atlas.documents for t in d.policy.targets],
        "clauses": [clause_row(d.id, c) for d in atlas.documents for c in d.policy.clauses],
    }


COLUMNS = {"documents": DOCUMENT_COLUMNS, "targets": TARGET_COLUMNS, "clauses": CLAUSE_COLUMNS}
