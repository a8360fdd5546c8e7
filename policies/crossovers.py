"""Where one document's total overtakes another's along a sweep of one profile field.

Pure Python. A sweep is what `Engine.sweep` returns: a list of `(value, {document: interval})`
with the values in increasing order and each interval exposing `low` and `high` (`high` None
when open-ended, i.e. no upper bound is stated). Each bound is compared on its own:

- `low`: the guaranteed part of each total ("at least");
- `high`: the most each total could be, an open (None) high counting as larger than any number
  and equal to another open high (two unbounded totals cannot be ordered).

A crossover is a change of order: at some sampled value A was below B, and at a later one A is
above B, with only ties in between. Touching (A reaches B and falls back) and identical lines are
not crossovers, nor is two lines leaving a tie they started in. Because totals jump at thresholds,
the crossing is reported as the bracket of sampled values (`before`, `at`): A was still below B at
`before` and is above it from `at` on; nothing is interpolated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal, Protocol

Bound = Literal["low", "high"]
BOUNDS: tuple[Bound, ...] = ("low", "high")
# Two totals closer than this (relative to their size, in 万元) are a tie, not an order:
# sums of percentages carry float noise of ~1e-13.
REL_TOLERANCE = 1e-9
ABS_TOLERANCE = 1e-9


class IntervalLike(Protocol):
    low: float
    high: float | None


@dataclass(frozen=True)
class Crossover:
    """`leader` overtakes `other` on one bound between two sampled values.

    `before`: the last sampled value where `leader` was still below `other`;
    `at`: the first sampled value where `leader` is above `other`;
    `leader_value` / `other_value`: the two bounds at `at` (None for an open high).
    """

    leader: str
    other: str
    bound: Bound
    before: float
    at: float
    leader_value: float | None
    other_value: float | None

    @property
    def open_ended(self) -> bool:
        """True when the overtaking is an upper bound becoming unbounded."""
        return self.leader_value is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "other": self.other,
            "bound": self.bound,
            "before": self.before,
            "at": self.at,
            "leader_value": self.leader_value,
            "other_value": self.other_value,
            "open_ended": self.open_ended,
        }


def compare(a: float | None, b: float | None) -> int:
    """-1, 0 or 1 as a is below, tied with or above b; None stands for +infinity."""
    if a is None or b is None:
        return (a is None) - (b is None)
    if math.isclose(a, b, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE):
        return 0
    return 1 if a > b else -1


def _bound_of(interval: IntervalLike, bound: Bound) -> float | None:
    return interval.low if bound == "low" else interval.high


def pair_crossovers(
    xs: Sequence[float],
    a: Sequence[float | None],
    b: Sequence[float | None],
    names: tuple[str, str] = ("a", "b"),
    bound: Bound = "low",
) -> list[Crossover]:
    """Every change of order between two series sampled at the same increasing xs."""
    if not len(xs) == len(a) == len(b):
        raise ValueError("xs, a and b must have the same length")
    out: list[Crossover] = []
    last_sign, last_index = 0, -1
    for i, (va, vb) in enumerate(zip(a, b, strict=True)):
        sign = compare(va, vb)
        if sign == 0:
            continue
        if last_sign and sign != last_sign:
            leader, other = (names[0], names[1]) if sign > 0 else (names[1], names[0])
            v_leader, v_other = (va, vb) if sign > 0 else (vb, va)
            out.append(Crossover(leader, other, bound, xs[last_index], xs[i], v_leader, v_other))
        last_sign, last_index = sign, i
    return out


def crossovers(
    sweep: Sequence[tuple[float, Mapping[str, IntervalLike]]],
    bounds: Iterable[Bound] = BOUNDS,
    documents: Sequence[str] | None = None,
) -> list[Crossover]:
    """Crossovers between every pair of documents in a sweep, on each requested bound.

    Ordered by where they happen (`at`), then bound, leader and other; `documents` limits and
    orders the pairs (default: the documents of the first sample, in their order).
    """
    if not sweep:
        return []
    xs = [x for x, _ in sweep]
    if any(later < earlier for earlier, later in zip(xs, xs[1:], strict=False)):
        raise ValueError("sweep values must be in increasing order")
    docs = list(documents) if documents is not None else list(sweep[0][1])
    found: list[Crossover] = []
    for bound in bounds:
        series = {d: [_bound_of(totals[d], bound) for _, totals in sweep] for d in docs}
        for first, second in combinations(docs, 2):
            found.extend(pair_crossovers(xs, series[first], series[second], (first, second), bound))
    order = {d: i for i, d in enumerate(docs)}
    return sorted(
        found,
        key=lambda c: (c.at, BOUNDS.index(c.bound), order[c.leader], order[c.other]),
    )
