"""The payout engine: a profile in, one interval per clause out, for every document.

Data-driven: one small function per amount kind and one condition matcher. No amount, rate or
threshold is written here; they all come from data/policies. A payout is an interval
[low, high] with high = None when open-ended (不低于 floors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from policies.explanations import NO_WHY, Why, joined, say
from policies.fields import (
    DERIVED,
    INVERSES,
    ITEM_PREFIX,
    UNDEFINED_HINTS,
    label,
    read,
)
from policies.fields import value_label as _plain_value_label
from policies.fmt import num
from policies.models import (
    AmountForm,
    Atlas,
    Cap,
    Clause,
    Condition,
    Document,
    Fixed,
    Lookup,
    Percentage,
    PerUnit,
    Range,
    Schedule,
    SumOf,
)
from policies.profile import Profile, ProfileError
from policies.units import AMOUNT_STEP, PERCENT

ZERO = 0.0

# Value labels that follow the document being evaluated (自治区级 where the place is a region).
_DOC_LABELS: ContextVar[Mapping[str, tuple[str, str]]] = ContextVar(
    "_DOC_LABELS", default=MappingProxyType({})
)


def value_label(value: Any, lang: str) -> str:
    """A value's display form, in the words of the document being evaluated."""
    pair = _DOC_LABELS.get().get(str(value))
    if pair is not None:
        return pair[0] if lang == "zh" else pair[1]
    return _plain_value_label(value, lang)


def document_labels(doc: Document) -> dict[str, tuple[str, str]]:
    """The value labels a document words its own way: the province-level tier of its place."""
    place = doc.provenance.place
    if place.provincial_zh is None or place.provincial_en is None:
        return {}
    return {"provincial": (place.provincial_zh, place.provincial_en)}


@contextmanager
def _labels_of(labels: Mapping[str, tuple[str, str]]):  # noqa: ANN202 - a context manager
    token = _DOC_LABELS.set(labels)
    try:
        yield
    finally:
        _DOC_LABELS.reset(token)


class InterpretationError(ValueError):
    """An unknown interpretation id or choice was requested."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- intervals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """[low, high] in 万元; high None means no upper bound is stated."""

    low: float = ZERO
    high: float | None = ZERO

    def __add__(self, other: Interval) -> Interval:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Interval(self.low + other.low, high)

    def widest(self, other: Interval) -> Interval:
        """The larger of two awards where only one is paid (max of bounds)."""
        high = None if self.high is None or other.high is None else max(self.high, other.high)
        return Interval(max(self.low, other.low), high)

    def as_dict(self) -> dict[str, float | None]:
        return {"low": self.low, "high": self.high}


def _bounded(value: float, bound: str) -> Interval:
    """Turn a computed figure into an interval according to its bound."""
    if bound == "floor":
        return Interval(value, None)
    if bound == "ceiling":
        return Interval(ZERO, value)
    return Interval(value, value)


def _bound(bound: str) -> Why:
    """The words before a figure that carries a bound (不低于, 最高)."""
    return say(f"bound.{bound}")


def _capped(raw: float, cap: Cap | None, explain: bool) -> tuple[float, Why]:
    """Apply a cap and, when asked, say what happened."""
    if cap is None:
        return raw, NO_WHY
    if not explain:
        return min(raw, cap.value), NO_WHY
    if raw > cap.value:
        return cap.value, say("cap.over", cap=num(cap.value))
    return raw, say("cap.within", cap=num(cap.value))


# --- one function per amount kind --------------------------------------------------------


def _fixed(a: Fixed, profile: Profile, item: Any, explain: bool) -> tuple[Interval, Why]:
    if not explain:
        return _bounded(a.value, a.bound), NO_WHY
    if a.difference_of is not None:
        hi, lo = a.difference_of
        why = say("fixed.top_up", high=num(hi), low=num(lo), value=num(a.value))
    elif a.bound == "exact":
        why = say("fixed.exact", value=num(a.value))
    else:
        why = say("fixed.bounded", bound=_bound(a.bound), value=num(a.value))
    return _bounded(a.value, a.bound), why


def _range(a: Range, profile: Profile, item: Any, explain: bool) -> tuple[Interval, Why]:
    if not explain:
        return Interval(a.low, a.high), NO_WHY
    return Interval(a.low, a.high), say("range", low=num(a.low), high=num(a.high))


def _per_unit(a: PerUnit, profile: Profile, item: Any, explain: bool) -> tuple[Interval, Why]:
    counts = [read(profile, name, item) for name in a.count]
    n = sum(counts)
    if a.distinct and len(counts) > 1 and max(counts) < n:
        return _per_distinct_unit(a, max(counts), n, explain)
    raw = a.rate * n
    value, cap_why = _capped(raw, a.cap, explain)
    if not explain:
        return _bounded(value, a.bound), NO_WHY
    why = say(
        "per_unit",
        bound=_bound(a.bound),
        rate=num(a.rate),
        count=num(n),
        raw=num(raw),
        cap=cap_why,
    )
    return _bounded(value, a.bound), why


def _per_distinct_unit(
    a: PerUnit, fewest: float, most: float, explain: bool
) -> tuple[Interval, Why]:
    """rate × distinct units, known only to lie between the largest count and the sum."""
    low, low_cap = _capped(a.rate * fewest, a.cap, explain)
    high, high_cap = _capped(a.rate * most, a.cap, explain)
    bounded = (
        _bounded(low, a.bound)
        if a.bound == "floor"
        else Interval(low if a.bound == "exact" else ZERO, high)
    )
    if not explain:
        return bounded, NO_WHY
    return bounded, say(
        "per_unit.distinct",
        bound=_bound(a.bound),
        rate=num(a.rate),
        fewest=num(fewest),
        most=num(most),
        low=num(a.rate * fewest),
        low_cap=low_cap,
        high=num(a.rate * most),
        high_cap=high_cap,
    )


def _percentage(a: Percentage, profile: Profile, item: Any, explain: bool) -> tuple[Interval, Why]:
    base = read(profile, a.base, item)
    raw = a.rate_pct * base / PERCENT
    value, cap_why = _capped(raw, a.cap, explain)
    if not explain:
        return _bounded(value, a.bound), NO_WHY
    why = say(
        "percentage",
        bound=_bound(a.bound),
        rate=num(a.rate_pct),
        base=num(base),
        raw=num(raw),
        cap=cap_why,
    )
    return _bounded(value, a.bound), why


def schedule_parts(a: Schedule, profile: Profile, item: Any = None) -> list[float]:
    """The amount of each scheduled year (year 1 first), each capped; later years earn nothing."""
    bases = read(profile, a.base, item)
    return [
        _capped(rate * base / PERCENT, a.cap, False)[0]
        for rate, base in zip(a.rates_pct, bases, strict=False)
    ]


def _schedule(a: Schedule, profile: Profile, item: Any, explain: bool) -> tuple[Interval, Why]:
    bases = read(profile, a.base, item)
    total = ZERO
    parts: list[Why] = []
    for year, (rate, base) in enumerate(zip(a.rates_pct, bases, strict=False), start=1):
        raw = rate * base / PERCENT
        value, cap_why = _capped(raw, a.cap, explain)
        total += value
        if not explain:
            continue
        parts.append(
            say(
                "schedule.year",
                year=year,
                rate=num(rate),
                base=num(base),
                raw=num(raw),
                cap=cap_why,
            )
        )
    if not explain:
        return Interval(total, total), NO_WHY
    if len(bases) > len(a.rates_pct):
        parts.append(say("schedule.after", year=len(a.rates_pct) + 1))
    return Interval(total, total), joined(parts) + say("schedule.total", total=num(total))


def _lookup_key(a: Lookup, item: Any) -> str:
    if not a.key:
        return str(item)
    return "/".join(str(getattr(item, k)) for k in a.key)


def _lookup(a: Lookup, profile: Profile, item: Any, explain: bool) -> tuple[Interval, Why]:
    key = _lookup_key(a, item)
    value = a.table[key]
    if not explain:
        return Interval(value, value), NO_WHY
    shown_zh = " ".join(value_label(part, "zh") for part in key.split("/"))
    shown_en = " ".join(value_label(part, "en") for part in key.split("/"))
    return Interval(value, value), Why(f"{shown_zh} → {num(value)}", f"{shown_en} → {num(value)}")


def _sum(a: SumOf, profile: Profile, item: Any, explain: bool) -> tuple[Interval, Why]:
    total, why = Interval(), None
    for part in a.parts:
        amount, part_why = compute(part, profile, item, explain)
        total = total + amount
        why = part_why if why is None else why + part_why
    return total, why if explain else NO_WHY


AMOUNT_KINDS: dict[str, Callable[[Any, Profile, Any, bool], tuple[Interval, Why]]] = {
    "fixed": _fixed,
    "range": _range,
    "per_unit": _per_unit,
    "percentage": _percentage,
    "schedule": _schedule,
    "lookup": _lookup,
    "sum": _sum,
}


def compute(
    amount: AmountForm, profile: Profile, item: Any = None, explain: bool = True
) -> tuple[Interval, Why]:
    """The interval one amount form yields for a profile (and one list entry, if any).

    With explain=False no text is built: the fast path for sweeps and batches.
    """
    return AMOUNT_KINDS[amount.kind](amount, profile, item, explain)


# --- conditions --------------------------------------------------------------------------

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}
OP_SYMBOLS = {
    "eq": "=",
    "ne": "≠",
    "in": "∈",
    "not_in": "∉",
    "ge": "≥",
    "gt": ">",
    "le": "≤",
    "lt": "<",
}


@dataclass(frozen=True)
class Failure:
    """A condition the profile does not meet, and the nearest change that would meet it."""

    field: str
    op: str
    required: Any
    current: Any
    suggestion_field: str | None = None
    suggestion_value: Any = None
    zh: str = ""
    en: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "op": self.op,
            "required": self.required,
            "current": self.current,
            "suggestion_field": self.suggestion_field,
            "suggestion_value": self.suggestion_value,
            "zh": self.zh,
            "en": self.en,
        }


def _label(field: str) -> Why:
    """A field's label in both languages, for a sentence slot."""
    return Why(label(field, "zh"), label(field, "en"))


def _shown(value: Any) -> Why:
    """A value as each language shows it, for a sentence slot."""
    return Why(_show(value, "zh"), _show(value, "en"))


def _show(value: Any, lang: str) -> str:
    if isinstance(value, list):
        return "{" + ", ".join(_show(v, lang) for v in value) + "}"
    if isinstance(value, float):
        return num(value)
    return value_label(value, lang)


def _step(field_name: str) -> float:
    """The smallest change of a field: one enterprise, or the smallest amount step."""
    info = Profile.model_fields.get(field_name)
    return 1 if info is not None and info.annotation is int else AMOUNT_STEP


def _needed(cond: Condition, profile: Profile) -> tuple[str | None, float | None]:
    """The profile field to change and its smallest value that meets a lower-bound condition."""
    if cond.op not in ("ge", "gt") or cond.field.startswith(ITEM_PREFIX):
        return None, None
    if cond.field in INVERSES:
        target, inverse = INVERSES[cond.field]
        boundary = inverse(profile, cond.value)
    elif cond.field in DERIVED:
        return None, None
    else:
        target, boundary = cond.field, cond.value
    if boundary is None:
        return None, None
    return target, boundary + _step(target) if cond.op == "gt" else boundary


def _failure(
    cond: Condition, current: Any, sug_field: str | None, sug_value: float | None
) -> Failure:
    """Describe a failed condition and, for numbers, the nearest value that would pass."""
    field = _label(cond.field)
    why = say(
        "condition.failed",
        field=field,
        current=_shown(current),
        op=OP_SYMBOLS[cond.op],
        value=_shown(cond.value),
    )
    if cond.when is not None:
        why = say("condition.when", when=_shown(cond.when.value), text=why)
    if cond.because_zh and cond.because_en:
        why = say("condition.because", text=why, because=Why(cond.because_zh, cond.because_en))
    if current is None:
        hint = Why(*UNDEFINED_HINTS.get(cond.field, ("", "")))
        why = say("condition.undefined", field=field, hint=hint)
    elif sug_field is not None and sug_value is not None:
        more = say("condition.suggestion", field=_label(sug_field), value=num(sug_value))
        why = Why(why.zh + more.zh, why.en + more.en)
    return Failure(cond.field, cond.op, cond.value, current, sug_field, sug_value, why.zh, why.en)


UNMET = (Failure("", "", None, None),)  # stands for "some condition failed" on the fast path


def failures(
    conditions: Iterable[Condition], profile: Profile, item: Any = None, explain: bool = True
) -> Sequence[Failure]:
    """Every condition not met (an undefined value, such as growth from zero, is not met).

    Where several conditions ask for more of the same field, each suggestion is the value that
    meets all of them. With explain=False, stop at the first unmet condition, describing nothing.
    """
    unmet: list[tuple[Condition, Any]] = []
    for cond in conditions:
        when = cond.when
        if when is not None and not OPS[when.op](read(profile, when.field, item), when.value):
            continue
        current = read(profile, cond.field, item)
        if current is None or not OPS[cond.op](current, cond.value):
            if not explain:
                return UNMET
            unmet.append((cond, current))
    if not unmet:
        return ()
    needs = [_needed(cond, profile) for cond, _ in unmet]
    combined: dict[str, float] = {}
    for target, value in needs:
        if target is not None:
            combined[target] = max(value, combined.get(target, value))
    return [
        _failure(cond, current, target, combined.get(target) if target else None)
        for (cond, current), (target, _) in zip(unmet, needs, strict=True)
    ]


# --- clauses, documents, results ---------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    """Part of a line's money and when it is paid: `offset` years after the profile's year, in
    one of `within` years from there. With a year, `first`/`last` date it and `after_period`
    says whether it falls after the document's period: "no", "partly" or "yes"."""

    offset: int
    within: int
    low: float
    high: float | None
    first: int | None = None
    last: int | None = None
    after_period: str | None = None

    def dated(self, year: int, period_end: int) -> Payment:
        first, last = year + self.offset, year + self.offset + self.within - 1
        after = "yes" if first > period_end else "partly" if last > period_end else "no"
        return replace(self, first=first, last=last, after_period=after)

    def as_dict(self) -> dict[str, Any]:
        return {
            "offset": self.offset,
            "within": self.within,
            "low": self.low,
            "high": self.high,
            "first_year": self.first,
            "last_year": self.last,
            "after_period": self.after_period,
        }


@dataclass(frozen=True)
class Line:
    """One clause's result for one profile."""

    clause: str
    category: str
    recipient: str
    status: str  # computed | not_stated | not_applicable
    low: float | None
    high: float | None
    why_zh: str
    why_en: str
    failed: tuple[Failure, ...] = ()
    readings: tuple[str, ...] = ()
    payer: str = "government"
    payments: tuple[Payment, ...] = ()

    @property
    def interval(self) -> Interval:
        return Interval(self.low or ZERO, self.high)

    @property
    def counts(self) -> bool:
        """True when the line's money is government money computed for this profile."""
        return self.status == "computed" and self.payer == "government"

    def as_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "category": self.category,
            "recipient": self.recipient,
            "status": self.status,
            "low": self.low,
            "high": self.high,
            "why": f"{self.why_zh} / {self.why_en}",
            "why_zh": self.why_zh,
            "why_en": self.why_en,
            "failed": [f.as_dict() for f in self.failed],
            "readings": list(self.readings),
            "payer": self.payer,
            "payments": [p.as_dict() for p in self.payments],
        }


@dataclass(frozen=True)
class Effective:
    """A clause with the readings in force applied, its conditions split once for speed."""

    clause: Clause
    conditions: tuple[Condition, ...]
    amount: AmountForm
    recipient: str
    excluded: bool
    readings: tuple[str, ...]
    whole: tuple[Condition, ...] = ()
    per_item: tuple[Condition, ...] = ()

    @property
    def touchable(self) -> bool:
        """False for a clause no profile field can reach (a general statement)."""
        c = self.clause
        return bool(self.conditions or c.each or c.status == "quantified" or self.readings)

    def reads(self) -> set[str]:
        """The profile fields this clause depends on (for sweeps)."""
        names = {name for k in self.whole for name in condition_fields(k)}
        if self.clause.each is not None:
            names.add(self.clause.each)
        names |= amount_reads(self.amount)
        return {inp for name in names for inp in _inputs(name)}


def amount_reads(amount: AmountForm) -> set[str]:
    """Profile fields an amount form reads (item fields excluded)."""
    return {name for _, name in amount.fields() if not name.startswith(ITEM_PREFIX)}


def effective(clause: Clause, choices: dict[str, str]) -> Effective:
    """Apply every reading whose interpretation choice is in force."""
    conditions, amount, recipient = clause.conditions, clause.amount, clause.recipient
    excluded, used = False, []
    for reading in clause.readings:
        if choices.get(reading.interpretation) != reading.choice:
            continue
        used.append(f"{reading.interpretation}={reading.choice}")
        if reading.conditions is not None:
            conditions = reading.conditions
        for swap in reading.swap:
            conditions = [swap.to if k.field == swap.field else k for k in conditions]
        if reading.amount is not None:
            amount = reading.amount
        if reading.recipient is not None:
            recipient = reading.recipient
        excluded = excluded or reading.excluded
    per_item = tuple(k for k in conditions if _is_item(k))
    whole = tuple(k for k in conditions if not _is_item(k))
    return Effective(
        clause, tuple(conditions), amount, recipient, excluded, tuple(used), whole, per_item
    )


def condition_fields(cond: Condition) -> tuple[str, ...]:
    """The fields a condition reads: its own and that of its `when`, if any."""
    return (cond.field,) if cond.when is None else (cond.field, cond.when.field)


def _is_item(cond: Condition) -> bool:
    """True when a condition reads the current list entry, so it is checked entry by entry."""
    return any(name.startswith("item") for name in condition_fields(cond))


def _line(
    e: Effective,
    status: str,
    interval: Interval | None,
    why: Why,
    failed: Sequence[Failure] = (),
    payments: tuple[Payment, ...] = (),
) -> Line:
    c = e.clause
    low = interval.low if interval is not None else None
    high = interval.high if interval is not None else None
    return Line(
        c.id,
        c.category,
        e.recipient,
        status,
        low,
        high,
        why.zh,
        why.en,
        tuple(failed),
        e.readings,
        c.payer,
        payments,
    )


def _payments(e: Effective, profile: Profile, items: list[Any], total: Interval) -> tuple:
    """When a computed line's money is paid: by schedule year, or all at the clause's time."""
    paid = e.clause.paid
    if paid is None:
        return (Payment(0, 1, total.low, total.high),)
    if paid.by_year and isinstance(e.amount, Schedule) and items == [None]:
        parts = schedule_parts(e.amount, profile)
        return tuple(Payment(paid.offset + k, 1, v, v) for k, v in enumerate(parts))
    return (Payment(paid.offset, paid.within, total.low, total.high),)


def _timing(e: Effective) -> Why:
    """The words that say when the money is paid, for a clause that pays later or over years."""
    paid = e.clause.paid
    if paid is None:
        return NO_WHY
    if paid.by_year:
        return say("paid.by_year")
    if paid.offset == 0:
        when = say("paid.this_year")
    elif paid.offset == 1:
        when = say("paid.next_year")
    else:
        when = say("paid.years_later", years=paid.offset)
    if paid.within > 1:
        return say("paid.within", when=when, years=paid.within, words=paid.words)
    return say("paid.once", when=when, words=paid.words)


def _item_failures(e: Effective, profile: Profile, entry: Any, explain: bool) -> Sequence[Failure]:
    """Why one list entry (a prize, a grade) does not count, if it does not."""
    miss = failures(e.per_item, profile, entry, explain)
    if miss or not isinstance(e.amount, Lookup):
        return miss
    key = _lookup_key(e.amount, entry)
    if key in e.amount.table:
        return ()
    if not explain:
        return UNMET
    shown = Why(
        " ".join(value_label(part, "zh") for part in key.split("/")),
        " ".join(value_label(part, "en") for part in key.split("/")),
    )
    why = say("item.not_in_table", entry=shown)
    current = entry.model_dump() if hasattr(entry, "model_dump") else entry
    return [Failure("item", "in", sorted(e.amount.table), current, zh=why.zh, en=why.en)]


def evaluate_clause(e: Effective, profile: Profile, explain: bool = True) -> Line | None:
    """One clause against one profile; None when no profile field can touch the clause."""
    c = e.clause
    if not e.touchable:
        return None
    if e.excluded:
        return _line(e, "not_applicable", None, say("clause.excluded"))
    failed = failures(e.whole, profile, None, explain)
    if failed:
        return _line(e, "not_applicable", None, Why(failed[0].zh, failed[0].en), failed)
    items: list[Any] = [None]
    item_failed: list[Failure] = []
    if c.each is not None:
        entries = getattr(profile, c.each)
        items = []
        for entry in entries:
            miss = _item_failures(e, profile, entry, explain)
            if miss:
                item_failed.extend(miss)
            else:
                items.append(entry)
        if not items:
            if not entries:
                why = say("item.none", items=_label(c.each))
                fail = Failure(c.each, "nonempty", True, [], zh=why.zh, en=why.en)
                return _line(e, "not_applicable", None, why, [fail])
            first = item_failed[0]
            return _line(e, "not_applicable", None, Why(first.zh, first.en), item_failed)
    if c.status == "qualitative":
        form = getattr(e.amount, "form_en", None) or getattr(e.amount, "base_en", "")
        why = say("clause.not_stated", form=form)
        return _line(e, "not_stated", None, why)
    combine_max = isinstance(e.amount, Lookup) and e.amount.combine == "max"
    results = [compute(e.amount, profile, entry, explain) for entry in items]
    total, why = results[0]
    for amount, more in results[1:]:
        total = total.widest(amount) if combine_max else total + amount
        why = why + more if explain else NO_WHY
    if explain and combine_max and len(items) > 1:
        why = why + say("item.only_highest", value=num(total.low))
    if explain and c.each is not None and item_failed:
        failures_why = joined(Why(f.zh, f.en) for f in item_failed)
        why = why + say("item.not_counted", failures=failures_why)
    if not explain:
        return _line(e, "computed", total, why)
    if c.paid is not None:
        why = why + _timing(e)
    if c.payer != "government":
        why = why + say("clause.not_government")
    return _line(e, "computed", total, why, payments=_payments(e, profile, items, total))


@dataclass
class DocumentResult:
    id: str
    in_force: bool
    lines: list[Line]
    total: Interval = field(default_factory=Interval)
    by_recipient: dict[str, Interval] = field(default_factory=dict)
    after_period: Interval | None = None
    across: Any = None  # an `Across` (policies.readings) when every reading was evaluated

    def as_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "in_force": self.in_force,
            "total": self.total.as_dict(),
            "by_recipient": {k: v.as_dict() for k, v in self.by_recipient.items()},
            "after_period": None if self.after_period is None else self.after_period.as_dict(),
            "lines": [line.as_dict() for line in self.lines],
        }
        if self.across is not None:
            out["across_readings"] = self.across.as_dict()
        return out


@dataclass
class Result:
    documents: list[DocumentResult]
    interpretations: dict[str, str]
    data_version: str
    year: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": [d.as_dict() for d in self.documents],
            "interpretations": self.interpretations,
            "year": self.year,
            "data_version": self.data_version,
        }

    def document(self, doc_id: str) -> DocumentResult:
        return next(d for d in self.documents if d.id == doc_id)


def resolve_choices(atlas: Atlas, requested: dict[str, str] | None = None) -> dict[str, str]:
    """Defaults for every interpretation, overridden by `requested`; unknown ids are errors."""
    known = atlas.interpretations
    choices = {i.id: i.default for i in known.values()}
    problems = []
    for ident, choice in (requested or {}).items():
        if ident not in known:
            problems.append(f"unknown interpretation {ident!r}")
        elif choice not in [c.id for c in known[ident].choices]:
            allowed = ", ".join(c.id for c in known[ident].choices)
            problems.append(f"{ident}: unknown choice {choice!r} (choose {allowed})")
        else:
            choices[ident] = choice
    if problems:
        raise InterpretationError(problems)
    return choices


class Engine:
    """Clauses prepared once for a set of interpretation choices, then evaluated many times."""

    def __init__(self, atlas: Atlas, interpretations: dict[str, str] | None = None) -> None:
        self.atlas = atlas
        self.choices = resolve_choices(atlas, interpretations)
        self.plan = [
            (doc, [e for c in doc.policy.clauses if (e := effective(c, self.choices)).touchable])
            for doc in atlas.documents
        ]
        self._reads = {e.clause.id: e.reads() for _, plan in self.plan for e in plan}
        self._labels = {doc.id: document_labels(doc) for doc in atlas.documents}

    def evaluate(self, profile: Profile, year: int | None = None, explain: bool = True) -> Result:
        """Every document's lines, totals and split by recipient for one profile.

        Totals add the computed lines of government money; with a year and explanations, each
        payment is dated and the money falling after the document's period is summed apart.
        """
        docs = []
        for doc, clauses in self.plan:
            if explain:
                with _labels_of(self._labels[doc.id]):
                    lines = [evaluate_clause(e, profile, explain) for e in clauses]
            else:
                lines = [evaluate_clause(e, profile, explain) for e in clauses]
            if explain and year is not None:
                end = doc.provenance.period_end
                lines = [
                    replace(line, payments=tuple(p.dated(year, end) for p in line.payments))
                    for line in lines
                ]
            result = DocumentResult(doc.id, doc.in_force(year), lines)
            for line in lines:
                if line.counts:
                    result.total = result.total + line.interval
                    prev = result.by_recipient.get(line.recipient, Interval())
                    result.by_recipient[line.recipient] = prev + line.interval
            if explain and year is not None and result.in_force:
                result.after_period = _after_period(lines)
            docs.append(result)
        return Result(docs, dict(self.choices), self.atlas.data_version, year)

    def evaluate_many(
        self, profiles: Iterable[Profile], year: int | None = None, explain: bool = False
    ) -> list[Result]:
        """Evaluate a batch of profiles with the same readings (totals only by default)."""
        return [self.evaluate(p, year, explain) for p in profiles]

    def sweep(
        self, profile: Profile, field_name: str, values: Iterable[float]
    ) -> list[tuple[float, dict[str, Interval]]]:
        """Vary one numeric profile field; return (value, {document: total}) for each value.

        Clauses that do not read the field are evaluated once; only the others are re-run,
        checking just the conditions on that field, against a view of the profile with that
        one field replaced.
        Values are validated like any profile field (ProfileError on a bad one).
        """
        values = [_validated(field_name, v) for v in values]
        fixed: dict[str, Interval] = {}
        moving: list[tuple[str, Effective]] = []
        for doc, clauses in self.plan:
            fixed[doc.id] = Interval()
            for e in clauses:
                if field_name in self._reads[e.clause.id]:
                    steady = [k for k in e.whole if not _reads_field(k, field_name)]
                    if not failures(steady, profile, None, explain=False):
                        varying = tuple(k for k in e.whole if _reads_field(k, field_name))
                        moving.append((doc.id, replace(e, whole=varying)))
                    continue
                line = evaluate_clause(e, profile, explain=False)
                if line.counts:
                    fixed[doc.id] = fixed[doc.id] + line.interval
        out = []
        for value in values:
            variant = _WithField(profile, field_name, value)
            totals = dict(fixed)
            for doc_id, e in moving:
                line = evaluate_clause(e, variant, explain=False)
                if line.counts:
                    totals[doc_id] = totals[doc_id] + line.interval
            out.append((value, totals))
        return out


def _after_period(lines: list[Line]) -> Interval:
    """Government money paid after the document's period: certainly (low) and possibly (high)."""
    low, high = ZERO, ZERO
    for line in lines:
        if not line.counts:
            continue
        for p in line.payments:
            if p.after_period == "no":
                continue
            if p.after_period == "yes":
                low += p.low
            high = None if high is None or p.high is None else high + p.high
    return Interval(low, high)


def _inputs(name: str) -> tuple[str, ...]:
    """The profile fields a (possibly derived) field is read from."""
    return DERIVED[name].inputs if name in DERIVED else (name,)


def _reads_field(cond: Condition, field_name: str) -> bool:
    """True when a condition depends on the profile field `field_name`."""
    return any(field_name in _inputs(name) for name in condition_fields(cond))


class _WithField:
    """A read-only view of a profile with one field replaced (cheaper than a model copy)."""

    __slots__ = ("_profile", "_name", "_value")

    def __init__(self, profile: Profile, name: str, value: Any) -> None:
        self._profile, self._name, self._value = profile, name, value

    def __getattr__(self, name: str) -> Any:
        return self._value if name == self._name else getattr(self._profile, name)


@cache
def _field_adapter(field_name: str) -> TypeAdapter:
    """A validator for one profile field with the same type and bounds as the profile's."""
    info = Profile.model_fields[field_name]
    return TypeAdapter(Annotated[info.annotation, *info.metadata], config=ConfigDict(strict=True))


def _validated(field_name: str, value: Any) -> Any:
    """Check one sweep value against the profile's own rules for that field."""
    info = Profile.model_fields.get(field_name)
    if info is None:
        raise ProfileError([(field_name, "not a profile field")])
    if info.annotation is int and isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return _field_adapter(field_name).validate_python(value)
    except ValidationError as err:
        raise ProfileError([(field_name, e["msg"]) for e in err.errors()]) from None


def evaluate(
    atlas: Atlas,
    profile: Profile,
    year: int | None = None,
    interpretations: dict[str, str] | None = None,
) -> Result:
    """Convenience wrapper: prepare an Engine and evaluate one profile."""
    return Engine(atlas, interpretations).evaluate(profile, year)
