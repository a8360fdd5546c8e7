"""How far each document's total depends on the readings, in words (Simulate and its exports)."""

from __future__ import annotations

import pandas as pd

from components.display import interval_text, wan
from components.i18n import pick, t
from components.simulate_view import total_text
from policies.engine import DocumentResult, Interval, Result
from policies.fmt import num
from policies.models import Atlas
from policies.readings import Across

SENSITIVITY_COLUMNS = ["document", "name", "low", "high", "text", "readings"]


def range_text(across: Across, total: Interval, lang: str) -> str:
    """'the same under every reading', or the range: '0–30万元 depending on the readings' (both
    ends written out, 0 included: 'between up to 30' would not say where the range starts)."""
    if across.low == total.low and across.high == total.high:
        return t("simulate.across_same", lang)
    if across.high is None or across.low == across.high:
        span = interval_text(across.low, across.high, lang)
    else:
        span = t("common.between", lang, low=num(across.low or 0.0), high=wan(across.high, lang))
    return t("simulate.across_range", lang, range=span)


def total_words(doc: DocumentResult, lang: str) -> str:
    """A document's total in words, followed by its range across the readings when a reading
    moves it: the one wording of a total on the page, in its exports and in the tests."""
    text = total_text(doc.lines, doc.total, lang)
    if doc.across is None or not doc.across.decisive:
        return text
    spread = range_text(doc.across, doc.total, lang)
    return t("simulate.across_in_total", lang, text=text, range=spread)


def decisive_text(atlas: Atlas, across: Across, lang: str) -> str:
    """Each reading that moves the total: its question, then the total under each answer."""
    return " ".join(decisive_lines(atlas, across, lang))


def decisive_lines(atlas: Atlas, across: Across, lang: str) -> list[str]:
    """One sentence per reading that moves the total: the question and each answer's total."""
    interpretations = atlas.interpretations
    parts = []
    for d in across.decisive:
        interp = interpretations[d.interpretation]
        labels = {c.id: pick(c.label_zh, c.label_en, lang) for c in interp.choices}
        answers = t("simulate.across_sep", lang).join(
            t(
                "simulate.across_answer",
                lang,
                answer=labels[choice],
                total=interval_text(total.low, total.high, lang),
            )
            for choice, total in d.totals.items()
        )
        question = pick(interp.question_zh, interp.question_en, lang)
        parts.append(t("simulate.across_reading", lang, question=question, answers=answers))
    return parts


def sensitivity_frame(result: Result, atlas: Atlas, order: list[str], lang: str) -> pd.DataFrame:
    """One row per document: the range of its total over every reading and what moves it.

    Empty when the result was evaluated without the readings' range.
    """
    rank = {ident: i for i, ident in enumerate(order)}
    rows = []
    for doc in sorted(result.documents, key=lambda d: rank.get(d.id, len(rank))):
        if doc.across is None:
            continue
        source = atlas.document(doc.id)
        rows.append(
            {
                "document": doc.id,
                "name": pick(source.policy.short_zh, source.policy.short_en, lang),
                "low": doc.across.low,
                "high": doc.across.high,
                "text": range_text(doc.across, doc.total, lang),
                "readings": decisive_text(atlas, doc.across, lang),
            }
        )
    return pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
