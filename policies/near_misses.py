"""Near misses: clauses a profile fails by exactly one condition, the one change that would meet
it, and what the change would pay, ranked so a founder sees first what she can act on.

Groups: what the founder can do for her own carrier (more enterprises, more revenue or spending,
a higher level, an award), then changes of what the carrier is (its type, a major platform, a
converted building), then clauses that pay another body (a builder, the enterprises, talent),
which are never offered as something she gains; last the clauses no single change can meet.

Within a group, by the money the change adds to what the carrier's operator receives from that
document (`operator_gain`), with policies.shares.most_then_certain: the most it could add first,
the certain part between equal tops (so "up to 80万元" comes before "exactly 1万元"). The clauses
paying another body are ranked by what that body would receive. Pure Python, so the page and the
command line rank the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from policies.engine import Engine, Failure, Interval, Result
from policies.fields import numeric_profile_fields
from policies.profile import Profile, field_facts
from policies.shares import OPERATOR, most_then_certain, operator_share

# Fields that say what the carrier is rather than what it did this year: changing them is a
# change of identity, shown apart from the actions.
IDENTITY_FIELDS = frozenset(n for n in Profile.model_fields if field_facts(n).identity)
ACTION = "action"
IDENTITY = "identity"
OTHERS = "others"  # the clause pays another body, not the carrier's operator
GROUPS: tuple[str | None, ...] = (ACTION, IDENTITY, OTHERS, None)


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
    operator_before: Interval | None = None  # what the operator receives before and after
    operator_after: Interval | None = None

    @property
    def kind(self) -> str | None:
        """`action`, `identity`, `others` (the clause pays another body), or None when no single
        change meets the condition."""
        if self.field is None:
            return None
        if self.recipient != OPERATOR:
            return OTHERS
        return IDENTITY if self.field in IDENTITY_FIELDS else ACTION

    @property
    def operator_gain(self) -> tuple[float, float]:
        """What the change adds to the operator's share of the document: (certain part, most it
        could add; infinite when her share becomes open-ended). When her share had no top
        already, the most is what the clause itself could pay (an open top minus an open top
        says nothing)."""
        low, most = _difference(self.operator_before, self.operator_after)
        if self.operator_before is not None and self.operator_before.high is None:
            most = self.clause_amount[1] if self.recipient == OPERATOR else 0.0
        return low, most

    @property
    def clause_amount(self) -> tuple[float, float]:
        """What the clause itself would pay its recipient: (certain part, most; infinite when
        no top is stated); nothing known, (0, 0), when its amount is not stated."""
        if self.status != "computed":
            return 0.0, 0.0
        return self.low, math.inf if self.high is None else self.high

    @property
    def gain(self) -> tuple[float, float]:
        """What the change adds to the document's total, every recipient together: (certain
        part, most it could add; infinite when the total becomes open-ended)."""
        return _difference(self.total_before, self.total_after)

    @property
    def rank_key(self) -> tuple[float, float]:
        """The order within a group (policies.shares.most_then_certain, largest first): the
        operator's gain for her own items, the clause's own amount for another body's."""
        low, high = self.clause_amount if self.kind == OTHERS else self.operator_gain
        return most_then_certain(low, None if math.isinf(high) else high)


def _difference(before: Interval | None, after: Interval | None) -> tuple[float, float]:
    """after − before as (certain part, most); infinite most when `after` has no top."""
    if before is None or after is None:
        return 0.0, 0.0
    low = after.low - before.low
    if after.high is None:
        return low, math.inf
    return low, after.high - (before.high or 0.0)


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
                    operator_before=operator_share(doc),
                    operator_after=operator_share(after),
                )
            )
    return ranked(found)


def ranked(misses: list[NearMiss]) -> list[NearMiss]:
    """By group (`GROUPS`), then by `NearMiss.rank_key`; those with no single change last (a
    stable sort keeps document order among equals)."""
    return sorted(misses, key=lambda m: (GROUPS.index(m.kind), m.rank_key if m.kind else ()))
