"""Near misses: clauses a profile fails by exactly one condition, the one change that would meet
it, and what the change would pay, ranked so a founder sees first what she can act on.

Ranking: actions (more enterprises, more revenue or spending, a higher level, an award) before
changes of what the carrier is (its type, a major platform, a converted building); within each,
by the money the change adds to the document's total (what is certain first, then the most it
could add). Pure Python, so the page and the command line rank the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from policies.engine import Engine, Failure, Interval, Result
from policies.fields import numeric_profile_fields
from policies.profile import Profile, field_facts

# Fields that say what the carrier is rather than what it did this year: changing them is a
# change of identity, shown apart from the actions.
IDENTITY_FIELDS = frozenset(n for n in Profile.model_fields if field_facts(n).identity)
ACTION = "action"
IDENTITY = "identity"


@dataclass(frozen=True)
class NearMiss:
    """One clause one condition away from applying, and (when one change is enough) that change."""

    document: str
    clause: str
    recipient: str
    failure: Failure
    field: str | None = None  # the profile field to change, when one change is enough
    value: Any = None  # the value that meets the condition
    status: str = ""  # the clause after the change: computed | not_stated
    low: float = 0.0  # what the clause would pay after the change
    high: float | None = 0.0
    total_before: Interval | None = None  # the document's total before and after the change
    total_after: Interval | None = None
    not_stated_after: int = 0  # the document's clauses of unstated amount after the change

    @property
    def kind(self) -> str | None:
        """`action`, `identity`, or None when no single change meets the condition."""
        if self.field is None:
            return None
        return IDENTITY if self.field in IDENTITY_FIELDS else ACTION

    @property
    def gain(self) -> tuple[float, float]:
        """What the change adds to the document's total: (certain part, most it could add;
        infinite when the total becomes open-ended)."""
        if self.total_before is None or self.total_after is None:
            return 0.0, 0.0
        low = self.total_after.low - self.total_before.low
        if self.total_after.high is None:
            return low, math.inf
        before_high = self.total_before.high or 0.0
        return low, self.total_after.high - before_high


def suggested_change(failure: Failure) -> tuple[str, Any] | None:
    """The one profile change that meets a failed condition, or None when there is no single
    obvious one (a list that needs an entry, a choice among several values, a derived count with
    no inverse). Numbers use the engine's own suggestion, amounts rounded up to a whole 万元; the
    caller re-evaluates to confirm."""
    fields = Profile.model_fields
    name, value = failure.suggestion_field, failure.suggestion_value
    if name in numeric_profile_fields() and value is not None:
        if fields[name].annotation is int:
            return name, max(int(math.ceil(value)), 0)
        # an amount rounds up to a whole 万元 (not "0.01万元" for "more than 0")
        return name, max(float(math.ceil(value)), 0.0)
    if failure.field not in fields:
        return None
    if failure.op == "eq":
        return failure.field, failure.required
    if failure.op == "in" and isinstance(failure.required, list) and len(failure.required) == 1:
        return failure.field, failure.required[0]
    return None


def near_misses(result: Result, engine: Engine, profile: Profile) -> list[NearMiss]:
    """Every not-applicable clause with exactly one failed condition, ranked (module docstring);
    the ones no single change can meet come last, in document order."""
    found: list[NearMiss] = []
    cache: dict[tuple[str, Any], Result] = {}
    for doc in result.documents:
        for line in doc.lines:
            if line.status != "not_applicable" or len(line.failed) != 1:
                continue
            base = NearMiss(doc.id, line.clause, line.recipient, line.failed[0])
            change = suggested_change(line.failed[0])
            if change is None:
                found.append(base)
                continue
            if change not in cache:
                changed = profile.model_copy(update={change[0]: change[1]})
                cache[change] = engine.evaluate(changed, result.year, explain=False)
            after = cache[change].document(doc.id)
            new = next(x for x in after.lines if x.clause == line.clause)
            if new.status == "not_applicable":  # the change alone is not enough after all
                found.append(base)
                continue
            found.append(
                NearMiss(
                    doc.id,
                    line.clause,
                    new.recipient,
                    line.failed[0],
                    field=change[0],
                    value=change[1],
                    status=new.status,
                    low=new.low or 0.0,
                    high=new.high,
                    total_before=doc.total,
                    total_after=after.total,
                    not_stated_after=sum(1 for x in after.lines if x.status == "not_stated"),
                )
            )
    return ranked(found)


def ranked(misses: list[NearMiss]) -> list[NearMiss]:
    """Actions, then changes of identity, each by money gained; then those with no single
    change (a stable sort keeps document order among equals)."""
    group = {ACTION: 0, IDENTITY: 1, None: 2}
    return sorted(misses, key=lambda m: (group[m.kind], -m.gain[0], -m.gain[1]))
