"""The fields a condition or an amount may read: profile fields, derived fields and item fields.

Derived fields are formulas over the profile (growth of revenue, number of rent years …); they
live here, in code, while every threshold and rate stays in the data files.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args, get_origin

from policies.profile import FORM_GROUPS, ContestAward, Profile, field_facts
from policies.units import PERCENT

ITEM_PREFIX = "item."
GROWTH_DIGITS = 9  # rounding that removes float noise so a rise of exactly 15% compares as 15


def _growth_pct(p: Profile) -> float | None:
    """Year-on-year revenue growth in percent; None when last year's revenue is zero."""
    if p.service_revenue_prev <= 0:
        return None
    growth = (p.service_revenue - p.service_revenue_prev) * PERCENT / p.service_revenue_prev
    return round(growth, GROWTH_DIGITS)


def _growth_or_new_pct(p: Profile) -> float | None:
    """Like the growth, but revenue from nothing counts as unlimited growth."""
    if p.service_revenue_prev <= 0:
        return math.inf if p.service_revenue > 0 else None
    return _growth_pct(p)


# How to meet a threshold on a derived field by changing one profile field:
# (profile field, function(profile, threshold) -> the value of that field, None when none does).
Inverse = tuple[str, Callable[[Profile, float], float | None]]


@dataclass(frozen=True)
class Derived:
    """A derived field: how it is computed, the profile fields it reads, its label (zh, en),
    and, where they exist, the hint shown when it is undefined and its inverse."""

    compute: Callable[[Profile], Any]
    inputs: tuple[str, ...]
    label: tuple[str, str]
    undefined: tuple[str, str] | None = None
    inverse: Inverse | None = None


REVENUES = ("service_revenue", "service_revenue_prev")

DERIVED: dict[str, Derived] = {
    "service_revenue_increase": Derived(
        lambda p: max(p.service_revenue - p.service_revenue_prev, 0.0),
        REVENUES,
        ("开票收入增加额", "increase in invoiced revenue"),
        inverse=("service_revenue", lambda p, inc: p.service_revenue_prev + inc),
    ),
    "service_revenue_growth_pct": Derived(
        _growth_pct,
        REVENUES,
        ("开票收入增幅(%)", "growth of invoiced revenue (%)"),
        undefined=("(需上年开票收入大于 0)", " (needs last year's revenue above 0)"),
        inverse=(
            "service_revenue",
            lambda p, pct: (
                p.service_revenue_prev * (1 + pct / PERCENT) if p.service_revenue_prev > 0 else None
            ),
        ),
    ),
    "service_revenue_growth_or_new_pct": Derived(
        _growth_or_new_pct,
        REVENUES,
        (
            "开票收入增幅(%,上年为零视为达标)",
            "growth of invoiced revenue (%, from zero counts)",
        ),
    ),
    "offshore_years": Derived(
        lambda p: len(p.offshore_rent),
        ("offshore_rent",),
        ("离岸孵化器租金年数", "years of offshore rent"),
    ),
    "hte_and_graduates": Derived(
        lambda p: p.new_high_tech_enterprises + p.graduated_enterprises,
        ("new_high_tech_enterprises", "graduated_enterprises"),
        ("首次认定高企与毕业企业数", "new high-tech plus graduated enterprises"),
        inverse=("new_high_tech_enterprises", lambda p, n: n - p.graduated_enterprises),
    ),
    "unquantified_indicator_events": Derived(
        lambda p: p.new_tech_smes + p.first_angel_round_enterprises,
        ("new_tech_smes", "first_angel_round_enterprises"),
        (
            "新入库科技型中小企业与获首轮天使投资企业数(后者代指获取投融资)",
            "new tech SMEs plus firms with a first angel round (a proxy for financing)",
        ),
    ),
}

# Labels of what an `each:` clause reads of one entry (profile fields declare their own).
ITEM_LABELS: dict[str, tuple[str, str]] = {
    "item": ("该项", "this entry"),
    "item.level": ("大赛级别", "contest level"),
    "item.rank": ("获奖等次", "prize rank"),
    "item.rd_investment": ("项目研发总投入", "project R&D investment"),
}

VALUE_LABELS: dict[str, tuple[str, str]] = {
    "incubator": ("孵化器", "incubator"),
    "accelerator": ("加速器", "accelerator"),
    "maker_space": ("众创空间", "maker space"),
    "none": ("无", "none"),
    "municipal": ("市级", "municipal"),
    "provincial": ("省级", "provincial"),
    "national": ("国家级", "national"),
    "city": ("市级", "city"),
    "1": ("一等奖", "1st prize"),
    "2": ("二等奖", "2nd prize"),
    "3": ("三等奖", "3rd prize"),
    "True": ("是", "yes"),
    "False": ("否", "no"),
}

# What each `each:` list holds, and the item fields a condition or amount may read.
EACH_ITEM_FIELDS: dict[str, set[str]] = {
    "contest_awards": {f"{ITEM_PREFIX}{name}" for name in ContestAward.model_fields},
    "evaluation_grade_a": {"item"},
}


def _is_number(annotation: Any) -> bool:
    return annotation in (int, float) or any(a in (int, float) for a in get_args(annotation))


def numeric_profile_fields() -> set[str]:
    """Profile fields holding one number (usable as an amount base or count)."""
    return {
        name
        for name, info in Profile.model_fields.items()
        if get_origin(info.annotation) is not list and _is_number(info.annotation)
    }


def list_profile_fields() -> set[str]:
    """Profile fields holding a list."""
    return {
        name for name, info in Profile.model_fields.items() if get_origin(info.annotation) is list
    }


def known_fields(each: str | None) -> set[str]:
    """Every field name a clause with this `each` may use in a condition."""
    names = set(Profile.model_fields) | set(DERIVED)
    if each is not None:
        names |= EACH_ITEM_FIELDS[each]
    return names


def numeric_fields(each: str | None) -> set[str]:
    """Field names a clause may use as a numeric base or count."""
    names = numeric_profile_fields() | set(DERIVED)
    if each == "contest_awards":
        names.add(f"{ITEM_PREFIX}rd_investment")
    return names


@cache
def _schema() -> dict[str, Any]:
    return Profile.model_json_schema()


def profile_bounds(name: str, item: bool = False) -> tuple[float, float]:
    """The profile's own minimum and maximum for a field (or a list field's items)."""
    if name == "rd_investment":
        prop = _schema()["$defs"]["ContestAward"]["properties"][name]
    else:
        prop = _schema()["properties"][name]
        if item:
            prop = prop["items"]
    return prop.get("minimum", 0), prop.get("maximum", math.inf)


def form_bounds(name: str, item: bool = False) -> tuple[float, float] | tuple[int, int]:
    """The form's bounds: the profile's own, narrowed to the field's declared form limit (a
    contest prize's `rd_investment` takes the limit declared on `contest_awards`)."""
    low, high = profile_bounds(name, item)
    limit = field_facts("contest_awards" if name == "rd_investment" else name).limit
    high = min(high, math.inf if limit is None else limit)
    if name in Profile.model_fields and Profile.model_fields[name].annotation is int:
        return int(low), int(high)
    return float(low), float(high)


def _pair(field: str) -> tuple[str, str]:
    if field in Profile.model_fields:
        return field_facts(field).label
    if field in DERIVED:
        return DERIVED[field].label
    return ITEM_LABELS.get(field, (field, field))


def label(field: str, lang: str) -> str:
    """The display name of a field in 'zh' or 'en'."""
    pair = _pair(field)
    return pair[0] if lang == "zh" else pair[1]


def help_text(field: str, lang: str) -> str:
    """The help text of a profile field in 'zh' or 'en', as declared on the field."""
    pair = field_facts(field).hint
    return pair[0] if lang == "zh" else pair[1]


def form_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The form's groups in their default order, each with its fields in the profile's order
    (every profile field exactly once, as its declaration places it)."""
    return tuple(
        (group, tuple(n for n in Profile.model_fields if field_facts(n).group == group))
        for group in FORM_GROUPS
    )


def sweep_fields() -> tuple[str, ...]:
    """The inputs a what-if sweep may vary, in the order their declarations give."""
    places = {n: field_facts(n).sweep for n in Profile.model_fields}
    return tuple(sorted((n for n, p in places.items() if p is not None), key=places.__getitem__))


def value_label(value: Any, lang: str) -> str:
    """The display form of an enum or boolean value."""
    pair = VALUE_LABELS.get(str(value))
    if pair is None:
        return str(value)
    return pair[0] if lang == "zh" else pair[1]


# Generated from the table above: the hint shown where a derived field is undefined, and how to
# meet a threshold on a derived field by changing a profile field.
UNDEFINED_HINTS: dict[str, tuple[str, str]] = {
    name: d.undefined for name, d in DERIVED.items() if d.undefined is not None
}
INVERSES: dict[str, Inverse] = {
    name: d.inverse for name, d in DERIVED.items() if d.inverse is not None
}


def read(profile: Profile, field: str, item: Any = None) -> Any:
    """The value of a profile, derived or item field."""
    if field == "item":
        return item
    if field.startswith(ITEM_PREFIX):
        return getattr(item, field.removeprefix(ITEM_PREFIX))
    if field in DERIVED:
        return DERIVED[field].compute(profile)
    return getattr(profile, field)
