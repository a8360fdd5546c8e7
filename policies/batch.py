"""Totals for many profiles at once, without the per-line explanations.

`population_totals` returns, per document, numpy columns over the profiles: the total's low
and high (high is +inf when open-ended), the count of eligible lines whose amount is not
stated, and the split by recipient. Only government money computed for a profile counts, as in
`Engine.evaluate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from policies.engine import Engine
from policies.profile import Profile
from policies.readings import across_document

OPEN = np.inf  # an open-ended high in the numpy columns; shown as null in every output


@dataclass
class DocumentTotals:
    """One document's columns over a population (index i is profile i)."""

    low: np.ndarray
    high: np.ndarray
    not_stated: np.ndarray
    by_recipient: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    across_low: np.ndarray | None = None
    across_high: np.ndarray | None = None


def _empty(n: int, recipients: Sequence[str]) -> DocumentTotals:
    return DocumentTotals(
        np.zeros(n),
        np.zeros(n),
        np.zeros(n, dtype=np.int64),
        {r: (np.zeros(n), np.zeros(n)) for r in recipients},
    )


def population_totals(
    engine: Engine, profiles: Sequence[Profile], *, across: bool = False
) -> dict[str, DocumentTotals]:
    """Every document's totals for every profile (and, with `across`, the range over readings)."""
    recipients = list(engine.atlas.taxonomy.recipients)
    out = {doc.id: _empty(len(profiles), recipients) for doc in engine.atlas.documents}
    for i, profile in enumerate(profiles):
        result = engine.evaluate(profile, explain=False)
        for doc in result.documents:
            cols = out[doc.id]
            cols.low[i] = doc.total.low
            cols.high[i] = OPEN if doc.total.high is None else doc.total.high
            cols.not_stated[i] = sum(
                line.status == "not_stated" and line.payer == "government" for line in doc.lines
            )
            for recipient, amount in doc.by_recipient.items():
                low, high = cols.by_recipient[recipient]
                low[i] = amount.low
                high[i] = OPEN if amount.high is None else amount.high
    if across:
        for doc in engine.atlas.documents:
            cols = out[doc.id]
            cols.across_low = np.zeros(len(profiles))
            cols.across_high = np.zeros(len(profiles))
            for i, profile in enumerate(profiles):
                rng = across_document(engine, doc, profile)
                cols.across_low[i] = rng.low
                cols.across_high[i] = OPEN if rng.high is None else rng.high
    return out
