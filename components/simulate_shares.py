"""The totals chart's rows for the founder: per document, what the carrier's operator receives
and, apart, what goes to others and to whom, the documents ordered by her share
(policies.shares.most_then_certain), every label in words; and the chart's key in words.

No Streamlit calls: every function takes the language explicitly.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from components.i18n import t
from components.simulate_view import (
    KINDS,
    doc_name,
    ordered,
    recipient_label,
    short_text,
    total_kind,
)
from policies.engine import DocumentResult, Interval, Result
from policies.models import Atlas
from policies.shares import (
    OPERATOR,
    most_then_certain,
    operator_share,
    other_recipients,
    others_share,
    unstated_for,
)

SHARE_COLUMNS = ["document", "name", "part", "low", "high", "kind", "text", "short", "in_force"]
SHARE_COLUMNS += ["rank"]


def operator_order(result: Result, atlas: Atlas) -> list[DocumentResult]:
    """A result's documents by what the carrier's operator receives, largest first
    (policies.shares.most_then_certain; documents in display order among equals)."""
    return sorted(
        ordered(result, atlas), key=lambda d: most_then_certain(*_bounds(operator_share(d)))
    )


def _bounds(amount: Interval) -> tuple[float, float | None]:
    return amount.low, amount.high


def _part_row(doc: DocumentResult, name: str, part: str, rank: int, words: tuple) -> dict:
    amount, computed, unstated, who, lang = words
    text = short_text(amount.low, amount.high, computed, unstated, lang)
    return {
        "document": doc.id,
        "name": name,
        "part": part,
        "low": amount.low,
        "high": amount.high,
        "kind": total_kind(amount, computed, unstated),
        "text": text,
        "short": t("simulate.share_label", lang, who=who, amount=text),
        "in_force": doc.in_force,
        "rank": rank,
    }


def shares_frame(result: Result, atlas: Atlas, lang: str) -> pd.DataFrame:
    """The totals chart's rows: per document, what the carrier's operator receives (`part`
    'operator') and, apart, what goes to every other recipient together (`part` 'others',
    its label naming them); `rank` orders the documents by the operator's share."""
    rows = []
    for rank, doc in enumerate(operator_order(result, atlas)):
        name = doc_name(atlas, doc.id, lang)
        own = any(x.status == "computed" and x.recipient == OPERATOR for x in doc.lines)
        words = (operator_share(doc), int(own), unstated_for(doc, OPERATOR))
        rows.append(_part_row(doc, name, "operator", rank, (*words, _operator(lang), lang)))
        if others := other_recipients(doc):
            sep = t("overview.list_sep", lang)
            names = sep.join(recipient_label(atlas, r, lang) for r in others)
            paid = any(x.status == "computed" and x.recipient != OPERATOR for x in doc.lines)
            words = (others_share(doc), int(paid), unstated_for(doc, None))
            who = t("simulate.share_others", lang, recipients=names)
            rows.append(_part_row(doc, name, "others", rank, (*words, who, lang)))
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def _operator(lang: str) -> str:
    return t("simulate.share_operator", lang)


def totals_legend(kinds: Sequence[str], lang: str) -> str:
    """The key of the totals chart in words, one line per kind of mark drawn (lines joined by
    a line break; the chart shows them under its amount axis, so an exported picture keeps
    them)."""
    drawn = [k for k in KINDS if k in set(kinds)]
    return "\n".join(t(f"simulate.key_{kind}", lang) for kind in drawn)
