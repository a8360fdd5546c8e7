"""The Simulate form's values: a profile as widget state and back, with no Streamlit.

Every profile field has one widget keyed `sim_<field>` (components.url_keys.key); the offshore
rent is a number of years plus one input a year, and the contest prizes a table of rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, get_args, get_origin

import pandas as pd

from components.url_keys import RENT_YEARS_KEY, key, rent_key
from policies.profile import ContestLevel, GradeLevel, Profile

CHOICES: dict[str, tuple[str, ...]] = {
    name: get_args(info.annotation)
    for name, info in Profile.model_fields.items()
    if get_origin(info.annotation) is Literal
}
GRADE_LEVELS: tuple[str, ...] = get_args(GradeLevel)
CONTEST_LEVELS: tuple[str, ...] = get_args(ContestLevel)
CONTEST_RANKS: tuple[str, ...] = ("1", "2", "3")
CONTEST_COLUMNS = ("level", "rank", "rd_investment")
LIST_FIELDS = frozenset(
    n for n, info in Profile.model_fields.items() if get_origin(info.annotation) is list
)
SCALAR_FIELDS: tuple[str, ...] = tuple(n for n in Profile.model_fields if n not in LIST_FIELDS)
MAX_RENT_YEARS = 5  # the rent schedules cover three years; five shows what happens after


def contest_row(award: Any) -> dict[str, Any]:
    """One contest prize as a row of the contest table."""
    return {"level": award.level, "rank": str(award.rank), "rd_investment": award.rd_investment}


def widget_values(profile: Profile) -> dict[str, Any]:
    """The session-state values that show `profile` in the form."""
    values: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = getattr(profile, name)
        annotation = Profile.model_fields[name].annotation
        values[key(name)] = float(value) if annotation is float else value
    values[key("evaluation_grade_a")] = [g for g in GRADE_LEVELS if g in profile.evaluation_grade_a]
    rents = list(profile.offshore_rent)[:MAX_RENT_YEARS]
    values[RENT_YEARS_KEY] = len(rents)
    for year in range(1, MAX_RENT_YEARS + 1):
        values[rent_key(year)] = float(rents[year - 1]) if year <= len(rents) else 0.0
    return values


def _cell(value: Any) -> Any:
    """A data-editor cell as plain Python: NaN/NA -> None, numpy scalars -> Python scalars."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def contest_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """One edited table row as a profile entry (left for the profile to validate)."""
    level, rank, rd = (_cell(row.get(c)) for c in CONTEST_COLUMNS)
    entry: dict[str, Any] = {"level": level}
    entry["rank"] = int(rank) if isinstance(rank, str) and rank.isdigit() else rank
    if isinstance(rd, int) and not isinstance(rd, bool):
        rd = float(rd)
    if rd is not None:  # a blank investment means "not given": the profile's default, 0
        entry["rd_investment"] = rd
    return entry


def collected(state: Mapping[str, Any], contest_rows: Sequence[Mapping[str, Any]]) -> dict:
    """The profile as entered, from the widget state (validated by the caller)."""
    data: dict[str, Any] = {name: state[key(name)] for name in SCALAR_FIELDS}
    data["evaluation_grade_a"] = list(state[key("evaluation_grade_a")] or [])
    years = int(state[RENT_YEARS_KEY])
    data["offshore_rent"] = [state[rent_key(y)] for y in range(1, years + 1)]
    data["contest_awards"] = [contest_entry(row) for row in contest_rows]
    return data


def same_profile(a: Profile, b: Profile) -> bool:
    """Equal as the form shows them (grade levels in any order)."""

    def normal(profile: Profile) -> dict[str, Any]:
        data = profile.model_dump()
        data["evaluation_grade_a"] = sorted(data["evaluation_grade_a"])
        return data

    return normal(a) == normal(b)
