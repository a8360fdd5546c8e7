"""Totals for many profiles at once, clause by clause over numpy columns (no explanations).

`population_totals` gives, per document, numpy columns over the profiles: the total's low and
high (high is +inf when open-ended), the count of eligible lines whose amount is not stated,
the split by recipient and, if asked, the range over every reading. It follows
`Engine.evaluate(..., explain=False)` step for step: each condition, amount kind and list entry
is evaluated for the whole population in one numpy operation, in the engine's order of
additions, so the figures are the engine's to the last bit (a test compares them on every
example and on random profiles). Only lines the engine counts (computed government money) are
added; an ineligible line adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product
from operator import attrgetter
from typing import Any, get_origin

import numpy as np

from policies.engine import (
    Effective,
    Engine,
    Interval,
    _line,
    effective,
)
from policies.explanations import NO_WHY
from policies.fields import DERIVED, ITEM_PREFIX
from policies.models import (
    AmountForm,
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
from policies.profile import Profile
from policies.readings import _groups
from policies.units import PERCENT

OPEN = np.inf  # an open-ended high in the numpy columns; shown as null in every output
Pair = tuple[np.ndarray, np.ndarray]


@dataclass
class DocumentTotals:
    """One document's columns over a population (index i is profile i)."""

    low: np.ndarray
    high: np.ndarray
    not_stated: np.ndarray
    by_recipient: dict[str, Pair] = field(default_factory=dict)
    across_low: np.ndarray | None = None
    across_high: np.ndarray | None = None


class Columns:
    """The population's fields as numpy arrays, built on first use and kept."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self.profiles = profiles
        self.size = len(profiles)
        self._cache: dict[Any, Any] = {}

    def _fields(self) -> None:
        """Every profile field as a column, read in one pass over the profiles."""
        names = list(Profile.model_fields)
        rows = list(map(attrgetter(*names), self.profiles))
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        for name, values in zip(names, columns, strict=True):
            if get_origin(Profile.model_fields[name].annotation) is list:
                column = np.empty(self.size, dtype=object)
                column[:] = values
                self._cache[name] = column
            else:
                self._cache[name] = np.array(values)

    def get(self, name: str) -> np.ndarray:
        """A profile or derived field; an undefined derived value (growth from zero) is NaN."""
        if name not in self._cache:
            if name in DERIVED:
                fn = DERIVED[name].compute
                values = [fn(p) for p in self.profiles]
                self._cache[name] = np.array(
                    [np.nan if v is None else v for v in values], dtype=float
                )
            else:
                self._fields()
        return self._cache[name]

    def entries(self, each: str) -> tuple[np.ndarray, list[Any]]:
        """Every entry of a list field, flattened: the owning profile's index and the entry."""
        key = ("entries", each)
        if key not in self._cache:
            lists = [getattr(p, each) for p in self.profiles]
            owner = np.repeat(np.arange(self.size), [len(x) for x in lists])
            self._cache[key] = (owner, [e for x in lists for e in x])
        return self._cache[key]

    def padded(self, name: str, width: int) -> list[np.ndarray]:
        """A list field's first `width` entries as columns (0 where the list is shorter)."""
        key = ("padded", name, width)
        if key not in self._cache:
            lists = self.get(name)
            self._cache[key] = [
                np.array([x[k] if len(x) > k else 0.0 for x in lists], dtype=float)
                for k in range(width)
            ]
        return self._cache[key]


@dataclass
class Context:
    """What a condition or amount reads: whole profiles, or the entries of one list field."""

    cols: Columns
    size: int
    each: str | None = None
    owner: np.ndarray | None = None
    entries: list[Any] | None = None

    def read(self, name: str) -> np.ndarray:
        if self.each is None or self.owner is None or self.entries is None:
            return self.cols.get(name)
        if name == "item":
            return _array(self.entries)
        if name.startswith(ITEM_PREFIX):
            key = ("item", self.each, name)
            cache = self.cols._cache
            if key not in cache:
                attr = name.removeprefix(ITEM_PREFIX)
                cache[key] = _array([getattr(e, attr) for e in self.entries])
            return cache[key]
        return self.cols.get(name)[self.owner]


def _array(values: list[Any]) -> np.ndarray:
    return np.array(values) if values else np.array([], dtype=object)


# --- conditions ------------------------------------------------------------------------

OPS: dict[str, Callable[[np.ndarray, Any], np.ndarray]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "in": lambda a, b: np.isin(a, b),
    "not_in": lambda a, b: ~np.isin(a, b),
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}


def _holds(op: str, column: np.ndarray, value: Any) -> np.ndarray:
    """Where `column op value` holds; an undefined (NaN) value never does, as in the engine."""
    met = np.asarray(OPS[op](column, value), dtype=bool)
    if column.dtype.kind == "f":
        met &= ~np.isnan(column)
    return met


def met(conditions: Sequence[Condition], ctx: Context) -> np.ndarray:
    """Where every condition is met (one whose `when` does not hold is skipped)."""
    ok = np.ones(ctx.size, dtype=bool)
    for cond in conditions:
        holds = _holds(cond.op, ctx.read(cond.field), cond.value)
        if cond.when is not None:
            holds |= ~_holds(cond.when.op, ctx.read(cond.when.field), cond.when.value)
        ok &= holds
    return ok


# --- amounts ---------------------------------------------------------------------------


def _full(ctx: Context, value: float) -> np.ndarray:
    return np.full(ctx.size, value, dtype=float)


def _cap(raw: np.ndarray, cap: Cap | None) -> np.ndarray:
    return raw if cap is None else np.minimum(raw, cap.value)


def _bounded(value: np.ndarray, bound: str) -> Pair:
    if bound == "floor":
        return value, np.full_like(value, OPEN)
    if bound == "ceiling":
        return np.zeros_like(value), value
    return value, value


def _fixed(a: Fixed, ctx: Context) -> Pair:
    return _bounded(_full(ctx, a.value), a.bound)


def _range(a: Range, ctx: Context) -> Pair:
    return _full(ctx, a.low), _full(ctx, a.high)


def _per_unit(a: PerUnit, ctx: Context) -> Pair:
    counts = [ctx.read(name) for name in a.count]
    n = counts[0]
    for more in counts[1:]:
        n = n + more
    value = _cap(a.rate * n, a.cap)
    low, high = _bounded(value, a.bound)
    if not (a.distinct and len(counts) > 1):
        return low, high
    fewest = np.maximum.reduce(counts)
    split = fewest < n  # an enterprise may count twice: between the largest count and the sum
    d_low = _cap(a.rate * fewest, a.cap)
    if a.bound == "floor":
        d_low, d_high = d_low, np.full_like(d_low, OPEN)
    else:
        d_low = d_low if a.bound == "exact" else np.zeros_like(d_low)
        d_high = value
    return np.where(split, d_low, low), np.where(split, d_high, high)


def _percentage(a: Percentage, ctx: Context) -> Pair:
    base = ctx.read(a.base)
    return _bounded(_cap(a.rate_pct * base / PERCENT, a.cap), a.bound)


def _schedule(a: Schedule, ctx: Context) -> Pair:
    total = np.zeros(ctx.size)
    for rate, base in zip(a.rates_pct, ctx.cols.padded(a.base, len(a.rates_pct)), strict=True):
        total = total + _cap(rate * base / PERCENT, a.cap)
    return total, total


def lookup_keys(a: Lookup, ctx: Context) -> np.ndarray:
    """Each entry's key in a lookup table, as `_lookup_key` writes it (fields joined by /)."""
    if ctx.entries is None:
        return np.full(ctx.size, "None")
    parts = [ctx.read("item")] if not a.key else [ctx.read(ITEM_PREFIX + k) for k in a.key]
    keys = parts[0].astype(str)
    for part in parts[1:]:
        keys = np.char.add(np.char.add(keys, "/"), part.astype(str))
    return keys


def _lookup(a: Lookup, ctx: Context) -> Pair:
    keys = lookup_keys(a, ctx)
    value = np.zeros(ctx.size)
    for key, amount_ in a.table.items():
        value[keys == key] = amount_
    return value, value


def _sum(a: SumOf, ctx: Context) -> Pair:
    low, high = np.zeros(ctx.size), np.zeros(ctx.size)
    for part in a.parts:
        p_low, p_high = amount(part, ctx)
        low, high = low + p_low, high + p_high
    return low, high


AMOUNT_KINDS: dict[str, Callable[[Any, Context], Pair]] = {
    "fixed": _fixed,
    "range": _range,
    "per_unit": _per_unit,
    "percentage": _percentage,
    "schedule": _schedule,
    "lookup": _lookup,
    "sum": _sum,
}


def amount(form: AmountForm, ctx: Context) -> Pair:
    """The interval one amount form yields for every profile (or entry) of a context."""
    return AMOUNT_KINDS[form.kind](form, ctx)


# --- clauses and documents -------------------------------------------------------------


@dataclass
class ClauseColumns:
    """One clause over the population: where it pays, what, and whether it is counted."""

    counted: bool
    not_stated: np.ndarray | None = None
    low: np.ndarray | None = None
    high: np.ndarray | None = None


def _entries_ok(e: Effective, ctx: Context) -> np.ndarray:
    """Where an entry counts: its own conditions met and, for a lookup, its key in the table."""
    ok = met(e.per_item, ctx)
    if isinstance(e.amount, Lookup) and ctx.entries is not None:
        ok &= np.isin(lookup_keys(e.amount, ctx), list(e.amount.table))
    return ok


def clause_columns(e: Effective, cols: Columns) -> ClauseColumns:
    """What `evaluate_clause(e, profile, explain=False)` gives, for every profile at once."""
    counted = _line(e, "computed", Interval(), NO_WHY).counts
    if not e.touchable or e.excluded:
        return ClauseColumns(counted)
    whole = Context(cols, cols.size)
    eligible = met(e.whole, whole)
    c = e.clause
    per_entry: Context | None = None
    entry_ok = None
    if c.each is not None:
        owner, entries = cols.entries(c.each)
        per_entry = Context(cols, len(entries), c.each, owner, entries)
        entry_ok = _entries_ok(e, per_entry) & eligible[owner]
        has_entry = np.zeros(cols.size, dtype=bool)
        has_entry[owner[entry_ok]] = True
        eligible &= has_entry
    if c.status == "qualitative":
        government = _line(e, "not_stated", None, NO_WHY).payer == "government"
        return ClauseColumns(counted, eligible if government else None)
    if per_entry is None or entry_ok is None:
        low, high = amount(e.amount, whole)
    else:
        e_low, e_high = amount(e.amount, per_entry)
        owner = per_entry.owner[entry_ok]
        if isinstance(e.amount, Lookup) and e.amount.combine == "max":
            low, high = np.full(cols.size, -np.inf), np.full(cols.size, -np.inf)
            np.maximum.at(low, owner, e_low[entry_ok])
            np.maximum.at(high, owner, e_high[entry_ok])
        else:
            low, high = np.zeros(cols.size), np.zeros(cols.size)
            np.add.at(low, owner, e_low[entry_ok])
            np.add.at(high, owner, e_high[entry_ok])
    zero = np.zeros(cols.size)
    return ClauseColumns(
        counted, None, np.where(eligible, low, zero), np.where(eligible, high, zero)
    )


def _empty(n: int, recipients: Sequence[str]) -> DocumentTotals:
    return DocumentTotals(
        np.zeros(n),
        np.zeros(n),
        np.zeros(n, dtype=np.int64),
        {r: (np.zeros(n), np.zeros(n)) for r in recipients},
    )


def _total(clauses: Sequence[Effective], cols: Columns) -> Pair:
    """Government money a list of clauses pays, per profile (the engine's order of addition)."""
    low, high = np.zeros(cols.size), np.zeros(cols.size)
    for e in clauses:
        cc = clause_columns(e, cols)
        if cc.counted and cc.low is not None and cc.high is not None:
            low, high = low + cc.low, high + cc.high
    return low, high


def across_document(engine: Engine, doc: Document, cols: Columns) -> Pair:
    """Each profile's range of the document's total over every combination of its readings.

    The same grouping as `policies.readings.across_document`: readings that touch disjoint
    clauses vary apart and their ranges add.
    """
    chosen = engine.choices
    interpretations = engine.atlas.interpretations

    def effs(clauses: Sequence[Clause], choices: dict[str, str]) -> list[Effective]:
        return [x for c in clauses if (x := effective(c, choices)).touchable]

    low, high = _total(effs([c for c in doc.policy.clauses if not c.readings], chosen), cols)
    for ids, clauses in _groups([c for c in doc.policy.clauses if c.readings]):
        options = [[c.id for c in interpretations[i].choices] for i in ids]
        lows, highs = [], []
        for combo in product(*options):
            g_low, g_high = _total(
                effs(clauses, {**chosen, **dict(zip(ids, combo, strict=True))}), cols
            )
            lows.append(g_low)
            highs.append(g_high)
        low = low + np.minimum.reduce(lows)
        high = high + np.maximum.reduce(highs)
    return low, high


def population_totals(
    engine: Engine, profiles: Sequence[Profile], *, across: bool = False
) -> dict[str, DocumentTotals]:
    """Every document's totals for every profile (and, with `across`, the range over readings)."""
    cols = Columns(profiles)
    recipients = list(engine.atlas.taxonomy.recipients)
    out: dict[str, DocumentTotals] = {}
    for doc, clauses in engine.plan:
        totals = _empty(cols.size, recipients)
        for e in clauses:
            cc = clause_columns(e, cols)
            if cc.not_stated is not None:
                totals.not_stated += cc.not_stated
            if not cc.counted or cc.low is None or cc.high is None:
                continue
            totals.low = totals.low + cc.low
            totals.high = totals.high + cc.high
            r_low, r_high = totals.by_recipient[e.recipient]
            totals.by_recipient[e.recipient] = (r_low + cc.low, r_high + cc.high)
        if across:
            totals.across_low, totals.across_high = across_document(engine, doc, cols)
        out[doc.id] = totals
    return out
