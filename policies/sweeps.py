"""What-if sweeps as domain facts: which inputs may vary, the values to try, the landmarks
where some document's total changes behaviour (a threshold, a cap reached), read from the data,
and the sweep of what one recipient (the carrier's operator) receives.

Used by the Simulate page's what-if view and by `python -m policies sweep`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from policies.engine import Engine, Interval
from policies.fields import INVERSES, sweep_fields
from policies.models import AmountForm, Atlas
from policies.profile import Profile
from policies.shares import OPERATOR

# The numeric inputs a what-if sweep may vary in the order the selector lists them (declared on
# each profile field).
SWEEP_FIELDS: tuple[str, ...] = sweep_fields()
MAX_SWEEP_POINTS = 200
MIN_SWEEP_POINTS = 2
# Default sweep span: this many times the largest threshold, cap breakpoint or current value.
SWEEP_HEADROOM = 1.5
FALLBACK_SWEEP_MAX_AMOUNT = 1000.0
FALLBACK_SWEEP_MAX_COUNT = 10


def year_options(atlas: Atlas) -> list[int]:
    """Every year from the first document's start to one year past the last one's end."""
    first = min(d.provenance.period_start for d in atlas.documents)
    last = max(d.provenance.period_end for d in atlas.documents)
    return list(range(first, last + 2))


def is_count(name: str) -> bool:
    return Profile.model_fields[name].annotation is int


def sweep_values(name: str, low: float, high: float, points: int) -> list[float] | list[int]:
    """`points` evenly spaced values from low to high (whole numbers for counts, no repeats)."""
    points = max(MIN_SWEEP_POINTS, min(MAX_SWEEP_POINTS, int(points)))
    if high < low:
        low, high = high, low
    steps = [low + (high - low) * i / (points - 1) for i in range(points)]
    if is_count(name):
        return sorted({int(round(v)) for v in steps})
    return sorted(set(steps))


def _nice_ceiling(value: float) -> float:
    """The next round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) at or above value."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def sweep_landmarks(atlas: Atlas, name: str, profile: Profile) -> list[float]:
    """Values of `name` where some total changes behaviour: thresholds on the field and the
    points where a capped rate reaches its cap (from the data), and the profile's own value."""
    marks = [float(getattr(profile, name))]
    for doc in atlas.documents:
        for clause in doc.policy.clauses:
            conditions = list(clause.conditions)
            amounts = [clause.amount]
            for reading in clause.readings:
                conditions += reading.conditions or []
                if reading.amount is not None:
                    amounts.append(reading.amount)
            for cond in conditions:
                if isinstance(cond.value, bool) or not isinstance(cond.value, (int, float)):
                    continue
                if cond.field == name:
                    marks.append(float(cond.value))
                elif cond.field in INVERSES and INVERSES[cond.field][0] == name:
                    value = INVERSES[cond.field][1](profile, cond.value)
                    if value is not None:
                        marks.append(float(value))
            for amount in amounts:
                marks += _cap_breakpoints(amount, name, profile)
    return sorted(set(marks))


def _cap_breakpoints(amount: AmountForm, name: str, profile: Profile) -> list[float]:
    """Where a capped amount growing with `name` (directly or through a derived base) reaches
    its cap."""
    direct = amount.cap_point(name)
    if direct is not None:
        return [direct]
    for _, base in amount.fields():
        at_cap = amount.cap_point(base)
        if at_cap is not None and base in INVERSES and INVERSES[base][0] == name:
            value = INVERSES[base][1](profile, at_cap)
            return [] if value is None else [float(value)]
    return []


def default_sweep_range(atlas: Atlas, name: str, profile: Profile) -> tuple[float, float]:
    """0 to a round number past the last landmark, so thresholds and caps show on the chart."""
    top = max(sweep_landmarks(atlas, name, profile)) * SWEEP_HEADROOM
    if top <= 0:
        top = FALLBACK_SWEEP_MAX_COUNT if is_count(name) else FALLBACK_SWEEP_MAX_AMOUNT
    top = _nice_ceiling(top)
    return 0.0, float(max(top, 1.0))


def share_sweep(
    engine: Engine, profile: Profile, name: str, values: Sequence[float], recipient: str = OPERATOR
) -> list[tuple[float, dict[str, Interval]]]:
    """Like `Engine.sweep`, but what each document pays one recipient (by default the carrier's
    operator) at each value: (value, {document: interval}), nothing paid being an exact 0.
    Evaluated value by value (about a millisecond each), every document as if in force."""
    out = []
    for value in values:
        changed = profile.model_copy(update={name: value})
        result = engine.evaluate(changed, None, explain=False)
        paid = {doc.id: doc.by_recipient.get(recipient, Interval()) for doc in result.documents}
        out.append((value, paid))
    return out
