"""The Simulate page's clause-by-clause views and its readings: each clause's result in words
(amount, stated form, why, quote), the clauses table of the exports, the profile's values in words,
and the named interpretations with the choices that differ from their defaults.

No Streamlit calls: every function takes the language explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from components.display import amount_text, interval_text
from components.i18n import pick, t
from components.readings_view import decisive_lines, range_text
from components.simulate_view import (
    category_label,
    doc_name,
    doc_title,
    ordered,
    recipient_label,
    total_text,
    validity_text,
)
from policies.engine import DocumentResult, Line, Result
from policies.fields import label, value_label
from policies.fmt import num
from policies.models import Atlas
from policies.profile import Profile
from policies.sentences import clause_conditions, condition_sentence, matching_condition

# --- clauses -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseView:
    """One clause's result as the page shows it."""

    clause: str
    document: str
    status: str
    title: str
    category: str
    recipient: str
    amount: str  # the computed interval in words, or "amount not stated"
    stated: str  # what the text promises (rate, cap, floor …), from the data
    why: str
    quote: str
    section: str
    readings: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()


def _reading_labels(atlas: Atlas, readings: Sequence[str], lang: str) -> tuple[str, ...]:
    known = atlas.interpretations
    out = []
    for reading in readings:
        ident, _, choice = reading.partition("=")
        interp = known.get(ident)
        if interp is None:
            out.append(reading)
            continue
        chosen = next((c for c in interp.choices if c.id == choice), None)
        shown = pick(chosen.label_zh, chosen.label_en, lang) if chosen else choice
        out.append(f"{pick(interp.question_zh, interp.question_en, lang)} → {shown}")
    return tuple(out)


def clause_view(atlas: Atlas, doc_id: str, line: Line, lang: str) -> ClauseView:
    clause = atlas.clause(line.clause)
    if line.status == "computed":
        amount = interval_text(line.low, line.high, lang)
    elif line.status == "not_stated":
        amount = t("common.amount_not_stated", lang)
    else:
        amount = t("simulate.does_not_apply", lang)
    return ClauseView(
        clause=line.clause,
        document=doc_id,
        status=line.status,
        title=pick(clause.title_zh, clause.title_en, lang),
        category=category_label(atlas, line.category, lang),
        recipient=recipient_label(atlas, line.recipient, lang),
        amount=amount,
        stated=amount_text(clause.amount, clause.period, lang, clause.period_inferred),
        why=pick(line.why_zh, line.why_en, lang),
        quote=clause.quote,
        section=clause.section,
        readings=_reading_labels(atlas, line.readings, lang),
        failed=tuple(
            condition_sentence(f, lang, matching_condition(clause_conditions(clause), f))
            for f in line.failed
        ),
    )


def clause_views(result: Result, atlas: Atlas, lang: str) -> dict[str, dict[str, list[ClauseView]]]:
    """For each document: its computed, not-stated and not-applicable clauses, in data order."""
    out: dict[str, dict[str, list[ClauseView]]] = {}
    for doc in ordered(result, atlas):
        groups: dict[str, list[ClauseView]] = {
            "computed": [],
            "not_stated": [],
            "not_applicable": [],
        }
        for line in doc.lines:
            groups[line.status].append(clause_view(atlas, doc.id, line, lang))
        out[doc.id] = groups
    return out


def profile_summary(profile: Profile, lang: str) -> str:
    """The profile's non-default fields in one line ("field: value; …"), for presentation mode,
    where the form is hidden but the audience should see what the figures are for."""
    parts = []
    for name, value in profile.model_dump(mode="json", exclude_defaults=True).items():
        if isinstance(value, bool):
            shown = value_label(value, lang)
        elif isinstance(value, int | float):
            shown = num(value)
        elif isinstance(value, list):
            shown = t("simulate.summary_items", lang, n=len(value))
        else:
            shown = value_label(value, lang)
        parts.append(f"{label(name, lang)}: {shown}")
    return "; ".join(parts)


def clause_table(views: Sequence[ClauseView], atlas: Atlas, lang: str) -> pd.DataFrame:
    """Clauses as an export table: document, id, what it pays and why, and the quote."""
    columns = {
        "document": t("simulate.col_document", lang),
        "id": "id",
        "title": t("simulate.col_clause", lang),
        "recipient": t("common.recipient", lang),
        "amount": t("simulate.col_amount", lang),
        "stated": t("simulate.stated_form", lang),
        "why": t("simulate.col_why", lang),
        "section": t("common.section", lang),
        "quote": t("common.quote", lang),
    }
    rows = [
        {
            "document": doc_name(atlas, v.document, lang),
            "id": v.clause,
            "title": v.title,
            "recipient": v.recipient,
            "amount": v.amount,
            "stated": v.stated,
            "why": v.why,
            "section": v.section,
            "quote": v.quote,
        }
        for v in views
    ]
    return pd.DataFrame(rows, columns=list(columns)).rename(columns=columns)


def counted(views: Mapping[str, Mapping[str, list[ClauseView]]]) -> list[ClauseView]:
    """Every clause that counts (computed, or stated without an amount), document by document."""
    return [c for doc in views.values() for c in doc["computed"] + doc["not_stated"]]


def document_heading(
    atlas: Atlas, doc: DocumentResult, year: int | None, lang: str
) -> tuple[str, str, str]:
    """A document's heading over its clauses: its name, its total in words, and its title,
    period and validity in one line."""
    source = atlas.document(doc.id)
    prov = source.provenance
    about = (
        f"{doc_title(source, lang)} · "
        + t("simulate.period_label", lang, start=prov.period_start, end=prov.period_end)
        + f" · {validity_text(source, year, lang)}"
    )
    return doc_name(atlas, doc.id, lang), total_text(doc.lines, doc.total, lang), about


def unmet_table(views: Sequence[ClauseView], lang: str) -> dict[str, list[str]]:
    """The clauses that do not apply, each with the conditions it does not meet."""
    return {
        t("simulate.col_clause", lang): [c.title for c in views],
        t("simulate.col_unmet", lang): ["; ".join(c.failed) for c in views],
    }


# --- values ---------------------------------------------------------------------------


def show_value(name: str, value: Any, lang: str) -> str:
    """A profile value in words: 是/否, 国家级, 1,200万元, 3."""
    if isinstance(value, (bool, str)):
        return value_label(value, lang)
    shown = num(value)
    if Profile.model_fields[name].annotation is float:
        return f"{shown}{t('common.unit_wan', lang)}"
    return shown


# --- interpretations ---------------------------------------------------------------------


@dataclass(frozen=True)
class InterpretationView:
    id: str
    document: str
    doc_name: str
    question: str
    why: str
    default: str
    current: str
    options: tuple[str, ...]
    labels: Mapping[str, str]
    clauses: tuple[str, ...]  # titles of the clauses whose amount or conditions it changes


def interpretation_views(
    atlas: Atlas, choices: Mapping[str, str], lang: str
) -> list[InterpretationView]:
    """Every named interpretation, grouped by document in data order."""
    views = []
    for doc in atlas.documents:
        for interp in doc.policy.interpretations:
            touched = tuple(
                pick(c.title_zh, c.title_en, lang)
                for c in doc.policy.clauses
                if interp.id in c.interpretations
            )
            views.append(
                InterpretationView(
                    id=interp.id,
                    document=doc.id,
                    doc_name=pick(doc.policy.short_zh, doc.policy.short_en, lang),
                    question=pick(interp.question_zh, interp.question_en, lang),
                    why=pick(interp.why_zh, interp.why_en, lang),
                    default=interp.default,
                    current=choices.get(interp.id, interp.default),
                    options=tuple(c.id for c in interp.choices),
                    labels={c.id: pick(c.label_zh, c.label_en, lang) for c in interp.choices},
                    clauses=touched,
                )
            )
    return views


def non_default(atlas: Atlas, choices: Mapping[str, str]) -> dict[str, str]:
    """The choices that differ from each interpretation's default, sorted by id."""
    known = atlas.interpretations
    return {
        ident: choice
        for ident, choice in sorted(choices.items())
        if ident in known and known[ident].default != choice
    }


def changed_readings(atlas: Atlas, changed: Mapping[str, str], lang: str) -> str:
    """The readings that differ from their defaults in words: 'question → answer; …'."""
    switched = interpretation_views(atlas, changed, lang)
    return "; ".join(
        f"{v.question} → {v.labels[changed[v.id]]}" for v in switched if v.id in changed
    )


def moved_by_readings(result: Result, atlas: Atlas, lang: str) -> list[tuple[str, str, list[str]]]:
    """Each document whose total moves with the readings: its name, its range, and one line per
    reading that moves it with the total under each answer."""
    return [
        (
            doc_name(atlas, doc.id, lang),
            range_text(doc.across, doc.total, lang),
            decisive_lines(atlas, doc.across, lang),
        )
        for doc in ordered(result, atlas)
        if doc.across is not None and doc.across.decisive
    ]
