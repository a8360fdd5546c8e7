"""The data model: provenance records, targets, money clauses and interpretations.

Every model is frozen and rejects unknown keys, so a typo in a data file fails loudly.
Amounts are in 万元; percentages are stored as percent numbers (20 for 20%) so that the
number in the record is the number in the quote.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from policies.units import PERCENT

Bound = Literal["exact", "floor", "ceiling"]
CapPer = Literal["item", "year", "total"]
Period = Literal["one_off", "per_year", "per_item", "over_years"]
Op = Literal["eq", "ne", "in", "not_in", "ge", "gt", "le", "lt"]
TargetUnit = Literal["家", "个", "万平方米", "人次", "场", "%", "家次", "名", "学时", "学分"]
Comparator = Literal[">=", ">", "=", "<=", "range"]
TargetKind = Literal[
    "carriers",
    "enterprises",
    "service_agencies",
    "floor_area",
    "people_events",
    "share",
    "education",
]
TargetBasis = Literal["new", "cumulative", "stock"]
TargetNature = Literal["goal", "quota", "requirement"]
ArtifactKind = Literal[
    "missing_bracket",
    "squashed_date",
    "page_fragment",
    "typo",
    "missing_punctuation",
    "missing_character",
    "site_text",
]


class Frozen(BaseModel):
    """Base for every data record: immutable, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- provenance ---------------------------------------------------------------------------


class Place(Frozen):
    """Where a document applies; `provincial_zh/en`, where given, name the province-level tier
    as the place does (an autonomous region says 自治区级, not 省级)."""

    city_zh: str
    city_en: str
    province_zh: str
    province_en: str
    district_zh: str | None = None
    district_en: str | None = None
    provincial_zh: str | None = None
    provincial_en: str | None = None


class Artifact(Frozen):
    """A scraping artifact: the raw text as it stands in the file and its clean reading."""

    id: str
    kind: ArtifactKind
    raw: str
    clean: str
    note_en: str


class Provenance(Frozen):
    """Where a source text came from and what is known about the document it carries."""

    document: str
    file: str
    seed_file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title_zh: str
    title_en: str
    place: Place
    issuer_zh: str
    issuer_en: str
    doc_number: str | None
    doc_number_note_en: str | None = None
    issued: dt.date | None
    issued_note_en: str | None = None
    period_start: int
    period_end: int
    period_inferred: bool = False
    period_note_en: str | None = None
    published_zh: str
    published_en: str
    artifacts: list[Artifact] = []
    notes_en: str | None = None

    @model_validator(mode="after")
    def _period_order(self) -> Provenance:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


# --- targets ------------------------------------------------------------------------------


class Citation(Frozen):
    """A further place where the same fact is stated (a restatement, not a new target)."""

    section: str
    quote: str


class Target(Frozen):
    """One quantified target of a document."""

    id: str
    kind: TargetKind
    metric_zh: str
    metric_en: str
    value: float = Field(ge=0)
    value_max: float | None = Field(None, ge=0)
    value_words: str | None = None  # the words that carry the value when no digit does (全覆盖)
    unit: TargetUnit
    comparator: Comparator
    aspiration: bool = False
    deadline: int | None
    basis: TargetBasis
    nature: TargetNature = "goal"
    scope_zh: str | None = None
    scope_en: str | None = None
    part_of: str | None = None
    interpretation: str | None = None
    section: str
    quote: str
    restated: list[Citation] = []
    notes_en: str | None = None

    @model_validator(mode="after")
    def _range_has_max(self) -> Target:
        if (self.comparator == "range") != (self.value_max is not None):
            raise ValueError("value_max is required for comparator 'range' and only there")
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError("value_max is below value")
        return self


# --- amounts ------------------------------------------------------------------------------


class Cap(Frozen):
    """A ceiling on the computed amount, per item, per year or in total."""

    value: float = Field(gt=0)
    per: CapPer


class Mark(NamedTuple):
    """One chartable interval of an amount: shape is exact (a point), range (low–high), floor
    (low, open above: never a made-up high) or ceiling (0–high); `entry` names a table's row."""

    low: float
    high: float | None
    shape: Literal["exact", "range", "floor", "ceiling"]
    entry: str = ""
    uncapped: bool = False


class Amount(Frozen):
    """What every amount kind declares about itself, so no caller needs a chain over the kinds:
    the numbers its text states (each looked for in the quote) and the fields it reads."""

    # A kind paid year by year (a schedule over the carrier's first years).
    paid_by_year: ClassVar[bool] = False
    # A kind that reads each entry of a list (`each`), like a table keyed by a prize's level.
    needs_each: ClassVar[bool] = False

    def item_problems(self, allowed: frozenset[str]) -> tuple[str, ...]:
        """What is wrong with the item fields it reads, given those the clause's list allows."""
        return ()

    def per_carrier_words(self) -> str | None:
        """The words a quote must hold for a sum stated per carrier ('80万元/家')."""
        return None

    def numbers(self) -> tuple[float, ...]:
        """Every number the amount carries, its cap included."""
        raise NotImplementedError(f"amount kind {type(self).__name__} does not list its numbers")

    def fields(self) -> tuple[tuple[str, str], ...]:
        """(use, field) pairs the amount reads: use is 'numeric' or 'list'."""
        raise NotImplementedError(f"amount kind {type(self).__name__} does not list its fields")

    def headline(self) -> float | None:
        """The largest sum the text names (a sum, a range's top, a cap, a table's top entry)."""
        cap = getattr(self, "cap", None)
        return cap.value if cap is not None else None

    def cap_point(self, field: str) -> float | None:
        """The value of `field` at which the amount reaches its cap, when it grows with it."""
        return None

    def pieces(self) -> tuple[AmountForm, ...]:
        """The amounts that are worded one by one: itself, or a sum's parts (flattened)."""
        return (self,)  # type: ignore[return-value]

    def marks(self) -> tuple[Mark, ...]:
        """The intervals a chart may draw; none when the amount depends on an uncapped base or
        is not stated (never drawn as 0)."""
        cap = getattr(self, "cap", None)
        return (Mark(0.0, cap.value, "ceiling"),) if cap is not None else ()

    def _with_cap(self, numbers: tuple[float, ...]) -> tuple[float, ...]:
        cap = getattr(self, "cap", None)
        return numbers + ((cap.value,) if cap is not None else ())


class Fixed(Amount):
    """A stated sum; `difference_of` records a top-up (补差) computed as a − b from stated sums.

    `per_carrier` marks a sum the text states per carrier (80万元/家), shown as such.
    """

    kind: Literal["fixed"] = "fixed"
    value: float = Field(gt=0)
    bound: Bound = "exact"
    difference_of: tuple[float, float] | None = None
    per_carrier: bool = False

    @model_validator(mode="after")
    def _difference_matches(self) -> Fixed:
        if self.difference_of is not None:
            a, b = self.difference_of
            if a - b != self.value:
                raise ValueError(f"value {self.value:g} is not {a:g} − {b:g}")
        return self

    def numbers(self) -> tuple[float, ...]:
        return tuple(self.difference_of or (self.value,))

    def per_carrier_words(self) -> str | None:
        return f"{self.value:g}万元/家" if self.per_carrier else None

    def headline(self) -> float | None:
        return self.value

    def marks(self) -> tuple[Mark, ...]:
        if self.bound == "floor":
            return (Mark(self.value, None, "floor"),)
        if self.bound == "ceiling":
            return (Mark(0.0, self.value, "ceiling"),)
        return (Mark(self.value, self.value, "exact"),)

    def fields(self) -> tuple[tuple[str, str], ...]:
        return ()


class Range(Amount):
    """An amount between two stated sums (10–30万元)."""

    kind: Literal["range"] = "range"
    low: float = Field(ge=0)
    high: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.high < self.low:
            raise ValueError("high is below low")
        return self

    def numbers(self) -> tuple[float, ...]:
        return (self.low, self.high)

    def headline(self) -> float | None:
        return self.high

    def marks(self) -> tuple[Mark, ...]:
        return (Mark(self.low, self.high, "range"),)

    def fields(self) -> tuple[tuple[str, str], ...]:
        return ()


class PerUnit(Amount):
    """rate × (sum of the count fields), e.g. 3万元/家.

    `distinct` pays each unit once where the counted fields may name the same units (an
    enterprise both recognised high-tech and graduated): the number of distinct units then lies
    between the largest count and the sum of the counts, and the amount is that interval.
    """

    kind: Literal["per_unit"] = "per_unit"
    rate: float = Field(gt=0)
    count: list[str] = Field(min_length=1)
    bound: Bound = "exact"
    cap: Cap | None = None
    distinct: bool = False

    def numbers(self) -> tuple[float, ...]:
        return self._with_cap((self.rate,))

    def cap_point(self, field: str) -> float | None:
        return self.cap.value / self.rate if self.cap and field in self.count else None

    def marks(self) -> tuple[Mark, ...]:
        low = self.rate if self.bound != "ceiling" else 0.0
        if self.cap is None:
            return (Mark(low, None, "floor", uncapped=True),)
        return (Mark(low, self.cap.value, "range"),)

    def fields(self) -> tuple[tuple[str, str], ...]:
        return tuple(("numeric", name) for name in self.count)


class Percentage(Amount):
    """rate_pct % of a base amount, e.g. 20% of renovation cost."""

    kind: Literal["percentage"] = "percentage"
    rate_pct: float = Field(gt=0, le=100)
    base: str
    bound: Bound = "exact"
    cap: Cap | None = None

    def numbers(self) -> tuple[float, ...]:
        return self._with_cap((self.rate_pct,))

    def cap_point(self, field: str) -> float | None:
        if self.cap is None or field != self.base:
            return None
        return self.cap.value * PERCENT / self.rate_pct

    def fields(self) -> tuple[tuple[str, str], ...]:
        return (("numeric", self.base),)


class Schedule(Amount):
    """Year-by-year percentages of a yearly base (a list field), e.g. 30%/20%/10% of rent."""

    kind: Literal["schedule"] = "schedule"
    rates_pct: list[float] = Field(min_length=1)
    base: str
    cap: Cap | None = None
    paid_by_year: ClassVar[bool] = True

    def numbers(self) -> tuple[float, ...]:
        return self._with_cap(tuple(self.rates_pct))

    def fields(self) -> tuple[tuple[str, str], ...]:
        return (("list", self.base),)


class Lookup(Amount):
    """A table of exact amounts keyed by an item's fields, e.g. contest level and rank."""

    kind: Literal["lookup"] = "lookup"
    key: list[str] = []
    table: dict[str, float]
    combine: Literal["sum", "max"] = "sum"
    needs_each: ClassVar[bool] = True

    def item_problems(self, allowed: frozenset[str]) -> tuple[str, ...]:
        out = [f"key: unknown item field {k!r}" for k in self.key if f"item.{k}" not in allowed]
        width = max(len(self.key), 1)
        out += [
            f"table: key {k!r} needs {width} part(s) joined by '/'"
            for k in self.table
            if len(k.split("/")) != width
        ]
        return tuple(out)

    def numbers(self) -> tuple[float, ...]:
        return tuple(self.table.values())

    def headline(self) -> float | None:
        return max(self.table.values())

    def marks(self) -> tuple[Mark, ...]:
        return tuple(Mark(v, v, "exact", entry=key) for key, v in self.table.items())

    def fields(self) -> tuple[tuple[str, str], ...]:
        return ()  # its keys are fields of each item, checked with the clause's `each`


class NotStated(Amount):
    """Money is promised but no amount or rate is given (一定补助, 给予奖励, 予以倾斜)."""

    kind: Literal["not_stated"] = "not_stated"
    form_en: str

    def numbers(self) -> tuple[float, ...]:
        return ()

    def fields(self) -> tuple[tuple[str, str], ...]:
        return ()


class Modifier(Amount):
    """An uplift on a base the text does not state (上浮30%): no amount can be computed."""

    kind: Literal["modifier"] = "modifier"
    uplift_pct: float = Field(gt=0)
    bound: Bound = "ceiling"
    base_en: str

    def numbers(self) -> tuple[float, ...]:
        return (self.uplift_pct,)

    def fields(self) -> tuple[tuple[str, str], ...]:
        return ()


class SumOf(Amount):
    """Several amounts added, used where one reading splits a clause into parts."""

    kind: Literal["sum"] = "sum"
    parts: list[AmountForm] = Field(min_length=2)

    def numbers(self) -> tuple[float, ...]:
        return tuple(n for part in self.parts for n in part.numbers())

    def fields(self) -> tuple[tuple[str, str], ...]:
        return tuple(f for part in self.parts for f in part.fields())

    def pieces(self) -> tuple[AmountForm, ...]:
        return tuple(piece for part in self.parts for piece in part.pieces())


AmountForm = Annotated[
    Fixed | Range | PerUnit | Percentage | Schedule | Lookup | NotStated | Modifier | SumOf,
    Field(discriminator="kind"),
]
SumOf.model_rebuild()

QUALITATIVE_KINDS = frozenset({"not_stated", "modifier"})


# --- clauses ------------------------------------------------------------------------------


class Condition(Frozen):
    """field op value, evaluated against the profile (or the current item, `item.*`).

    `when` makes the condition apply only where another one holds (a national grade A needs a
    national carrier; a provincial one does not); `because_zh/en` say why, for a reader told it
    is not met.
    """

    field: str
    op: Op
    value: float | int | str | bool | list[str] | list[int]
    when: Condition | None = None
    because_zh: str | None = None
    because_en: str | None = None


Condition.model_rebuild()


class Paid(Frozen):
    """When a clause's money is paid, relative to the profile's year, with the words that say so.

    `offset`: years after the profile's year (在次年 = 1). `within`: the money falls in one of
    that many years from the offset, the text naming no closer date (三年内 = 3). `by_year`: a
    schedule's year k is paid in year offset + k − 1 (前三年).
    """

    offset: int = Field(0, ge=0)
    within: int = Field(1, ge=1)
    by_year: bool = False
    words: str


Payer = Literal["government", "non_government"]


class Swap(Frozen):
    """Replace the condition on `field` with `to` (readings that touch one condition compose)."""

    field: str
    to: Condition


class Reading(Frozen):
    """What one choice of an interpretation changes in this clause."""

    interpretation: str
    choice: str
    amount: AmountForm | None = None
    conditions: list[Condition] | None = None
    swap: list[Swap] = []
    recipient: str | None = None
    excluded: bool = False


class Clause(Frozen):
    """One money clause: who gets how much for what, with the sentence it comes from."""

    id: str
    category: str
    recipient: str
    title_zh: str
    title_en: str
    each: Literal["contest_awards", "evaluation_grade_a"] | None = None
    conditions: list[Condition] = []
    amount: AmountForm
    period: Period
    section: str
    quote: str
    readings: list[Reading] = []
    notes_en: str | None = None
    paid: Paid | None = None
    period_inferred: bool = False
    payer: Payer = "government"

    @property
    def status(self) -> str:
        """quantified when the text states an amount or rate the engine can compute."""
        return "qualitative" if self.amount.kind in QUALITATIVE_KINDS else "quantified"

    @property
    def interpretations(self) -> list[str]:
        """Ids of the interpretations that change this clause, in order of first mention."""
        return list(dict.fromkeys(r.interpretation for r in self.readings))

    @model_validator(mode="after")
    def _quantified_need_conditions(self) -> Clause:
        if self.status == "quantified" and not self.conditions and self.each is None:
            raise ValueError("a quantified clause needs a condition or an `each` list")
        return self


class Choice(Frozen):
    id: str
    label_zh: str
    label_en: str


class Interpretation(Frozen):
    """A named ambiguity: the question, the default reading and its alternatives."""

    id: str
    question_zh: str
    question_en: str
    default: str
    choices: list[Choice] = Field(min_length=2)
    why_zh: str
    why_en: str

    @model_validator(mode="after")
    def _default_is_a_choice(self) -> Interpretation:
        ids = [c.id for c in self.choices]
        if self.default not in ids:
            raise ValueError(f"default {self.default!r} is not one of {ids}")
        if len(set(ids)) != len(ids):
            raise ValueError("choice ids repeat")
        return self


class Dismissed(Frozen):
    """A sentence with a figure that no record models, and why (e.g. sets a quota, pays nothing).

    `python -m policies coverage` accepts its figures as accounted for; money that should be
    modelled is never dismissed.
    """

    quote: str
    section: str | None = None
    reason_zh: str = Field(min_length=2)
    reason_en: str = Field(min_length=2)


class PolicyFile(Frozen):
    """One document's structured content: targets, money clauses, interpretations, and the
    figure-bearing sentences it deliberately leaves unmodelled (`dismissed`)."""

    document: str
    short_zh: str
    short_en: str
    summary_zh: str
    summary_en: str
    targets: list[Target] = []
    clauses: list[Clause] = []
    interpretations: list[Interpretation] = []
    dismissed: list[Dismissed] = []

    @property
    def government_clauses(self) -> list[Clause]:
        """The clauses paid by government: the ones counted in totals and counts."""
        return [c for c in self.clauses if c.payer == "government"]


class Label(Frozen):
    zh: str
    en: str


class Taxonomy(Frozen):
    """The categories and recipients shared by all documents."""

    categories: dict[str, Label]
    recipients: dict[str, Label]


class Document(Frozen):
    """A document as the rest of the project sees it: provenance, content and source text."""

    provenance: Provenance
    policy: PolicyFile
    text: str

    @property
    def id(self) -> str:
        return self.policy.document

    def in_force(self, year: int | None) -> bool:
        """True when `year` falls in the plan period; None means 'as if in force'."""
        if year is None:
            return True
        return self.provenance.period_start <= year <= self.provenance.period_end


class Atlas(Frozen):
    """Everything loaded and cross-checked."""

    taxonomy: Taxonomy
    documents: list[Document]
    data_version: str

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def in_reading_order(self) -> list[Document]:
        """The documents in the order a reader expects: by plan start, then issue date, then id."""
        return sorted(
            self.documents,
            key=lambda d: (d.provenance.period_start, str(d.provenance.issued or ""), d.id),
        )

    def clauses(self) -> list[Clause]:
        """Every money clause of every document, in file order."""
        return [c for d in self.documents for c in d.policy.clauses]

    def clause(self, clause_id: str) -> Clause:
        """One clause by its id (KeyError when there is none)."""
        for c in self.clauses():
            if c.id == clause_id:
                return c
        raise KeyError(clause_id)

    @property
    def interpretations(self) -> dict[str, Interpretation]:
        return {i.id: i for d in self.documents for i in d.policy.interpretations}
