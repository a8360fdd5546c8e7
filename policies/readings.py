"""How far each document's total depends on the ambiguous readings.

Every combination of the readings that touch a document is evaluated, but readings that touch
disjoint sets of clauses are independent: they are grouped (two readings share a group when
some clause depends on both), each group's combinations are evaluated on its own clauses only,
and the document's range is the sum of the groups' ranges. A reading is decisive when, in some
combination of the others in its group, changing it alone changes the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

from policies.engine import Engine, Interval, Result, effective, evaluate_clause
from policies.models import Clause, Document
from policies.profile import Profile


@dataclass(frozen=True)
class Decisive:
    """A reading that changes a document's total: the total under each of its choices, the
    other readings as chosen."""

    interpretation: str
    totals: dict[str, Interval]

    def as_dict(self) -> dict[str, Any]:
        return {
            "interpretation": self.interpretation,
            "totals": {choice: total.as_dict() for choice, total in self.totals.items()},
        }


@dataclass(frozen=True)
class Across:
    """A document's total over every combination of its readings, and what moves it."""

    low: float
    high: float | None
    decisive: tuple[Decisive, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "decisive": [d.as_dict() for d in self.decisive],
        }


def _groups(clauses: list[Clause]) -> list[tuple[list[str], list[Clause]]]:
    """Interpretations joined when some clause depends on both, with the clauses of each group."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for clause in clauses:
        ids = clause.interpretations
        for other in ids[1:]:
            parent[root(other)] = root(ids[0])
        for ident in ids:
            root(ident)
    members: dict[str, list[str]] = {}
    for ident in parent:
        members.setdefault(root(ident), []).append(ident)
    out = []
    for ids in members.values():
        touched = [c for c in clauses if set(c.interpretations) & set(ids)]
        out.append((sorted(ids), touched))
    return out


def _total(clauses: list[Clause], choices: dict[str, str], profile: Profile) -> Interval:
    """Government money the clauses pay under one set of choices (totals only)."""
    total = Interval()
    for clause in clauses:
        e = effective(clause, choices)
        if not e.touchable:
            continue
        line = evaluate_clause(e, profile, explain=False)
        if line is not None and line.counts:
            total = total + line.interval
    return total


def across_document(engine: Engine, doc: Document, profile: Profile) -> Across:
    """The range of one document's total over every combination of its readings."""
    interpretations = engine.atlas.interpretations
    chosen = engine.choices
    outside = _total([c for c in doc.policy.clauses if not c.readings], chosen, profile)
    groups = []
    for ids, clauses in _groups([c for c in doc.policy.clauses if c.readings]):
        options = [[c.id for c in interpretations[i].choices] for i in ids]
        combos = {
            combo: _total(clauses, {**chosen, **dict(zip(ids, combo, strict=True))}, profile)
            for combo in product(*options)
        }
        groups.append((ids, options, combos, combos[tuple(chosen[i] for i in ids)]))
    low, high = outside.low, outside.high
    for _, _, combos, _ in groups:
        low += min(t.low for t in combos.values())
        highs = [t.high for t in combos.values()]
        high = None if high is None or None in highs else high + max(highs)
    decisive: list[Decisive] = []
    for g, (ids, options, combos, _) in enumerate(groups):
        rest = outside
        for other, (_, _, _, at_base) in enumerate(groups):
            if other != g:
                rest = rest + at_base
        for k, ident in enumerate(ids):
            moves = any(  # judged on the document's total: an open-ended rest hides a change
                rest + combos[combo] != rest + combos[combo[:k] + (choice,) + combo[k + 1 :]]
                for combo in combos
                for choice in options[k]
            )
            if not moves:
                continue
            totals = {
                choice: rest
                + combos[tuple(choice if j == k else chosen[i] for j, i in enumerate(ids))]
                for choice in options[k]
            }
            decisive.append(Decisive(ident, totals))
    return Across(low, high, tuple(decisive))


def across_readings(engine: Engine, profile: Profile) -> dict[str, Across]:
    """Every document's `Across` under the engine's choices."""
    return {doc.id: across_document(engine, doc, profile) for doc in engine.atlas.documents}


def with_across(engine: Engine, profile: Profile, result: Result) -> Result:
    """The result with each document's range over every reading attached (`across_readings`)."""
    across = across_readings(engine, profile)
    for doc in result.documents:
        doc.across = across[doc.id]
    return result
