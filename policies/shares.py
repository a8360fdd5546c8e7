"""Who receives a document's money: the carrier's operator (the founder asking) or another body
(a builder, the enterprises, talent), and the one rule that orders amounts for her.

An amount is an interval (low = what is certain, high = the most it could be, None for no stated
top). `most_then_certain` orders intervals by the most they could be, then by the certain part,
so "up to 80万元" comes before "exactly 1万元" and an open-ended "at least 117万元" comes first;
the totals chart, the first answer and the near misses all order by it.
"""

from __future__ import annotations

import math

from policies.engine import DocumentResult, Interval

OPERATOR = "carrier_operator"


def operator_share(doc: DocumentResult) -> Interval:
    """What a document pays the carrier's operator (nothing is an exact 0)."""
    return doc.by_recipient.get(OPERATOR, Interval())


def others_share(doc: DocumentResult) -> Interval:
    """What a document pays every other recipient together."""
    total = Interval()
    for recipient, amount in doc.by_recipient.items():
        if recipient != OPERATOR:
            total = total + amount
    return total


def other_recipients(doc: DocumentResult) -> list[str]:
    """The other recipients a document pays or names (with an amount or without), in the data's
    order."""
    named = [r for r in doc.by_recipient if r != OPERATOR]
    named += [
        x.recipient for x in doc.lines if x.status == "not_stated" and x.recipient != OPERATOR
    ]
    return list(dict.fromkeys(named))


def unstated_for(doc: DocumentResult, recipient: str | None) -> int:
    """How many eligible clauses of unstated amount a recipient has (None: every other one)."""
    return sum(
        1
        for x in doc.lines
        if x.status == "not_stated"
        and (x.recipient == recipient if recipient else x.recipient != OPERATOR)
    )


def most_then_certain(low: float, high: float | None) -> tuple[float, float]:
    """The sort key of an interval, largest first: minus the most it could be (an open top is
    larger than any number), then minus the certain part.

    By the most rather than the certain part, so that an item that may pay a lot is not buried
    under one that certainly pays a little; the certain part decides between equal tops, so of
    two "up to 80万元" the one with a guaranteed part comes first."""
    most = math.inf if high is None else high
    return -most, -low
