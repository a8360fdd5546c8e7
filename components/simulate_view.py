"""Pure helpers for the Simulate page: a Result (and the atlas) in, frames and records out.

No Streamlit calls: every function takes the language explicitly, so it can be tested and reused
by exports. Amounts stay in 万元 and are worded through components.display.
"""

from __future__ import annotations

import json
import math
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from components.display import amount_text, interval_text
from components.i18n import pick, t
from policies.crossovers import Crossover
from policies.engine import DocumentResult, Interval, Line, Result
from policies.fields import label, value_label
from policies.fmt import interval, num
from policies.models import Atlas, Document
from policies.profile import Profile
from policies.sentences import clause_conditions, condition_sentence, matching_condition

CLI_PREFIX = ".venv/bin/python -m policies simulate"
PROFILE_FILE = "profile.json"

KINDS = ("exact", "ceiling", "range", "floor", "not_stated", "none")


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


def short_text(low: float | None, high: float | None, computed: int, not_stated: int) -> str:
    """A compact label for a chart mark: 150, ≥ 117, ≤ 55, 5–45, ? (amount not stated);
    '+?' when clauses of unstated amount come on top."""
    if not computed:
        return "?" if not_stated else "0"
    text = interval(low or 0.0, high, unit="")
    return f"{text} +?" if not_stated else text


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
                "short": short_text(doc.total.low, doc.total.high, computed, not_stated),
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


def sweep_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The what-if sweep as an export table: each value of the input, each document's total."""
    columns = {
        "x": t("simulate.col_value", lang),
        "name": t("simulate.col_document", lang),
        "text": t("simulate.col_wording", lang),
        "low": t("simulate.col_low", lang),
        "high": t("simulate.col_high", lang),
    }
    return frame.reindex(columns=list(columns)).rename(columns=columns)


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


# --- reproduce ---------------------------------------------------------------------------


def profile_json(profile: Profile) -> str:
    """The profile as JSON, listing only the fields that differ from the defaults."""
    data = profile.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def cli_command(
    atlas: Atlas, choices: Mapping[str, str], year: int | None, fmt: str = "table"
) -> str:
    """The command line that prints the same result from a saved profile.json."""
    parts = [CLI_PREFIX, PROFILE_FILE]
    if year is not None:
        parts += ["--year", str(year)]
    for ident, choice in non_default(atlas, choices).items():
        parts += ["--interpretation", shlex.quote(f"{ident}={choice}")]
    parts += ["--format", fmt]
    return " ".join(parts)


# --- what-if sweeps ----------------------------------------------------------------------


def sweep_frame(
    sweep: Sequence[tuple[float, Mapping[str, Interval]]],
    atlas: Atlas,
    lang: str,
    in_force: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """Long table for the sweep chart: one row per value and document.

    `open` marks an open-ended high (no band top is drawn there); `segment` numbers the runs of
    equal openness per document, so lines and bands are drawn run by run, never bridged.
    """
    rows = []
    runs: dict[str, tuple[bool, int]] = {}
    order = [ident for ident in document_order(atlas) if sweep and ident in sweep[0][1]]
    for x, totals in sweep:
        for doc_id in order:
            total = totals[doc_id]
            is_open = total.high is None
            previous = runs.get(doc_id)
            run = 0 if previous is None else previous[1] + (previous[0] != is_open)
            runs[doc_id] = (is_open, run)
            rows.append(
                {
                    "x": float(x),
                    "document": doc_id,
                    "name": doc_name(atlas, doc_id, lang),
                    "low": total.low,
                    "high": total.high,
                    "open": is_open,
                    "segment": f"{doc_id}#{run}",
                    "text": interval_text(total.low, total.high, lang),
                    "in_force": True if in_force is None else in_force.get(doc_id, True),
                }
            )
    columns = ["x", "document", "name", "low", "high", "open", "segment", "text", "in_force"]
    return pd.DataFrame(rows, columns=columns)


def crossover_frame(found: Sequence[Crossover], atlas: Atlas, name: str, lang: str) -> pd.DataFrame:
    """One row per crossover: where, who overtakes whom, on which bound, in words."""
    rows = []
    for c in found:
        leader, other = doc_name(atlas, c.leader, lang), doc_name(atlas, c.other, lang)
        bound = t(f"simulate.bound_{c.bound}", lang)
        before, at = show_value(name, c.before, lang), show_value(name, c.at, lang)
        leader_text = (
            t("simulate.unbounded", lang)
            if c.leader_value is None
            else interval_text(c.leader_value, c.leader_value, lang)
        )
        other_text = (
            t("simulate.unbounded", lang)
            if c.other_value is None
            else interval_text(c.other_value, c.other_value, lang)
        )
        rows.append(
            {
                "at": float(c.at),
                "before": float(c.before),
                "y": c.leader_value if c.leader_value is not None else c.other_value,
                "leader": leader,
                "other": other,
                "bound": c.bound,
                "bound_label": bound,
                "open": c.open_ended,
                "text": t(
                    "simulate.crossover_text",
                    lang,
                    leader=leader,
                    other=other,
                    bound=bound,
                    before=before,
                    at=at,
                ),
                "leader_value": leader_text,
                "other_value": other_text,
            }
        )
    columns = [
        "at",
        "before",
        "y",
        "leader",
        "other",
        "bound",
        "bound_label",
        "open",
        "text",
        "leader_value",
        "other_value",
    ]
    return pd.DataFrame(rows, columns=columns)
