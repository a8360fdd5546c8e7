"""What each amount kind says about itself: its headline sum and where its cap is reached, checked
against the engine's own computation (a case exactly at the cap point and one on each side)."""

from __future__ import annotations

import pytest

from policies.engine import compute
from policies.models import (
    Cap,
    Fixed,
    Lookup,
    Mark,
    Modifier,
    NotStated,
    Percentage,
    PerUnit,
    Range,
)
from policies.profile import Profile

CAP = Cap(value=200.0, per="item")


def test_a_fixed_sum_and_a_range_name_their_largest_sum() -> None:
    assert Fixed(value=50.0).headline() == 50.0
    assert Range(low=10.0, high=30.0).headline() == 30.0
    assert Lookup(key=["level"], table={"city": 5.0, "provincial": 20.0}).headline() == 20.0


def test_a_rate_names_its_cap_or_nothing() -> None:
    assert Percentage(rate_pct=20.0, base="renovation_cost", cap=CAP).headline() == 200.0
    assert Percentage(rate_pct=20.0, base="renovation_cost").headline() is None
    assert NotStated(form_en="a subsidy").headline() is None
    assert Modifier(uplift_pct=30.0, base_en="the standard").headline() is None


@pytest.mark.parametrize(("step", "reaches_cap"), [(-1.0, False), (0.0, True), (1.0, True)])
def test_a_percentage_reaches_its_cap_exactly_at_its_cap_point(
    step: float, reaches_cap: bool
) -> None:
    amount = Percentage(rate_pct=20.0, base="renovation_cost", cap=CAP)
    point = amount.cap_point("renovation_cost")
    assert point == 1000.0
    interval, _ = compute(amount, Profile(renovation_cost=point + step), explain=False)
    assert (interval.high == CAP.value) is reaches_cap
    assert interval.high <= CAP.value


@pytest.mark.parametrize(("step", "reaches_cap"), [(-1, False), (0, True), (1, True)])
def test_a_per_unit_award_reaches_its_cap_exactly_at_its_cap_point(
    step: int, reaches_cap: bool
) -> None:
    amount = PerUnit(rate=40.0, count=["new_high_tech_enterprises"], cap=CAP)
    point = amount.cap_point("new_high_tech_enterprises")
    assert point == 5.0
    profile = Profile(new_high_tech_enterprises=int(point) + step)
    interval, _ = compute(amount, profile, explain=False)
    assert (interval.high == CAP.value) is reaches_cap


def test_an_amount_has_no_cap_point_on_a_field_it_does_not_grow_with() -> None:
    amount = Percentage(rate_pct=20.0, base="renovation_cost", cap=CAP)
    assert amount.cap_point("service_revenue") is None
    assert PerUnit(rate=3.0, count=["new_tech_smes"]).cap_point("new_tech_smes") is None
    assert Fixed(value=50.0).cap_point("renovation_cost") is None


def test_a_floor_is_drawn_open_above_and_a_ceiling_from_zero() -> None:
    assert Fixed(value=100.0, bound="floor").marks() == (Mark(100.0, None, "floor"),)
    assert Fixed(value=80.0, bound="ceiling").marks() == (Mark(0.0, 80.0, "ceiling"),)
    assert Fixed(value=50.0).marks() == (Mark(50.0, 50.0, "exact"),)


def test_an_uncapped_rate_is_open_above_and_a_capped_one_runs_to_its_cap() -> None:
    uncapped = PerUnit(rate=3.0, count=["new_tech_smes"]).marks()
    assert uncapped == (Mark(3.0, None, "floor", uncapped=True),)
    capped = PerUnit(rate=40.0, count=["new_high_tech_enterprises"], cap=CAP).marks()
    assert capped == (Mark(40.0, 200.0, "range"),)
    assert Percentage(rate_pct=20.0, base="renovation_cost", cap=CAP).marks() == (
        Mark(0.0, 200.0, "ceiling"),
    )


def test_an_amount_that_cannot_be_bounded_is_never_drawn() -> None:
    assert Percentage(rate_pct=20.0, base="renovation_cost").marks() == ()
    assert NotStated(form_en="a subsidy").marks() == ()
    assert Modifier(uplift_pct=30.0, base_en="the standard").marks() == ()


def test_a_table_is_drawn_one_exact_point_per_entry() -> None:
    table = Lookup(key=["level", "rank"], table={"city/1": 5.0, "provincial/1": 20.0})
    assert [(m.low, m.high, m.shape, m.entry) for m in table.marks()] == [
        (5.0, 5.0, "exact", "city/1"),
        (20.0, 20.0, "exact", "provincial/1"),
    ]
