"""What to ask a carrier first, and which input to try first: read from the data, not ordered by
hand. A group of fields ranks by how many documents pay a stated sum that depends on one of
them, then by how many such clauses, then by the largest sum they name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from policies.engine import Engine
from policies.profile import Profile
from policies.sweeps import default_sweep_range, sweep_values

Rank = tuple[int, int, float]


def rank_of(engine: Engine, fields: Iterable[str]) -> Rank:
    """(documents, clauses, largest sum) over the clauses with a stated amount whose conditions
    or amount read any of `fields` (a derived field counts for its inputs)."""
    wanted = set(fields)
    documents: set[str] = set()
    clauses: set[str] = set()
    largest = 0.0
    for doc, effective in engine.plan:
        for e in effective:
            value = e.amount.headline()
            if value and e.reads() & wanted:
                documents.add(doc.id)
                clauses.add(e.clause.id)
                largest = max(largest, value)
    return len(documents), len(clauses), largest


def by_money(groups: Iterable[tuple[str, Sequence[str]]], engine: Engine) -> list[str]:
    """Group names, those whose fields together unlock the most money first (stable for ties)."""
    listed = list(groups)
    ranks = [rank_of(engine, fields) for _, fields in listed]
    order = sorted(range(len(listed)), key=lambda i: ranks[i], reverse=True)
    return [listed[i][0] for i in order]


def moving_input(engine: Engine, profile: Profile, fields: Sequence[str]) -> str | None:
    """The first of `fields` (in their order) whose default what-if range changes some
    document's total for this profile, or None when none does."""
    for name in fields:
        low, high = default_sweep_range(engine.atlas, name, profile)
        values = sweep_values(name, low, high, 21)
        totals = [dict(t) for _, t in engine.sweep(profile, name, values)]
        if any(t != totals[0] for t in totals[1:]):
            return name
    return None
