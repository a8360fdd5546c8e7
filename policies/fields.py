"""The fields a condition or an amount may read: profile fields, derived fields and item fields.

Derived fields are formulas over the profile (growth of revenue, number of rent years …); they
live here, in code, while every threshold and rate stays in the data files.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args, get_origin

from policies.profile import ContestAward, Profile
from policies.units import PERCENT

ITEM_PREFIX = "item."


def _growth_pct(p: Profile) -> float | None:
    """Year-on-year growth of invoiced revenue in percent; None when last year is zero or unknown."""
    if p.service_revenue_prev <= 0:
        return None
    return (p.service_revenue - p.service_revenue_prev) / p.service_revenue_prev * PERCENT


DERIVED: dict[str, Callable[[Profile], Any]] = {
    "service_revenue_increase": lambda p: max(p.service_revenue - p.service_revenue_prev, 0.0),
    "service_revenue_growth_pct": _growth_pct,
    "offshore_years": lambda p: len(p.offshore_rent),
    "hte_and_graduates": lambda p: p.new_high_tech_enterprises + p.graduated_enterprises,
}

DERIVED_LABELS: dict[str, tuple[str, str]] = {
    "service_revenue_increase": ("开票收入增加额", "increase in invoiced revenue"),
    "service_revenue_growth_pct": ("开票收入增幅(%)", "growth of invoiced revenue (%)"),
    "offshore_years": ("离岸孵化器租金年数", "years of offshore rent"),
    "hte_and_graduates": ("首次认定高企与毕业企业数", "new high-tech plus graduated enterprises"),
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


def read(profile: Profile, field: str, item: Any = None) -> Any:
    """The value of a profile, derived or item field."""
    if field == "item":
        return item
    if field.startswith(ITEM_PREFIX):
        return getattr(item, field.removeprefix(ITEM_PREFIX))
    if field in DERIVED:
        return DERIVED[field](profile)
    return getattr(profile, field)
