"""What to ask a carrier first, and which input to try first: read from the data, not ordered by
hand. A field ranks by how many documents pay a stated sum that depends on it, then by how many
such clauses, then by the largest sum they name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from policies.engine import Engine
from policies.profile import Profile
from policies.sweeps import default_sweep_range, sweep_values

Rank = tuple[int, int, float]


def field_ranks(engine: Engine) -> dict[str, Rank]:
    """Each profile field: (documents, clauses, largest sum) over the clauses with a stated
    amount whose conditions or amount read it (a derived field counts for its inputs)."""
    documents: dict[str, set[str]] = {}
    clauses: dict[str, int] = {}
    largest: dict[str, float] = {}
    for doc, effective in engine.plan:
        for e in effective:
            value = e.amount.headline()
            if not value:
                continue
            for name in e.reads():
                documents.setdefault(name, set()).add(doc.id)
                clauses[name] = clauses.get(name, 0) + 1
                largest[name] = max(largest.get(name, 0.0), value)
    return {name: (len(documents[name]), clauses[name], largest[name]) for name in documents}


def by_money(groups: Iterable[tuple[str, Sequence[str]]], engine: Engine) -> list[str]:
    """Group names, those whose fields unlock the most money first (stable for equal ranks)."""
    ranks = field_ranks(engine)
    listed = list(groups)

    def rank(fields: Sequence[str]) -> Rank:
        return max((ranks.get(f, (0, 0, 0.0)) for f in fields), default=(0, 0, 0.0))

    order = sorted(range(len(listed)), key=lambda i: rank(listed[i][1]), reverse=True)
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
