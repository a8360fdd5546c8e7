"""policies/crossovers.py: where one document's total overtakes another's along a sweep."""

from __future__ import annotations

import pytest

from policies.crossovers import Crossover, compare, crossovers, pair_crossovers
from policies.engine import Engine, Interval
from policies.presets import load_presets

XS = [0.0, 1.0, 2.0, 3.0, 4.0]


def sweep_of(**series: list[tuple[float, float | None]]) -> list[tuple[float, dict]]:
    """Build a sweep from per-document lists of (low, high) at XS."""
    return [(x, {d: Interval(*pts[i]) for d, pts in series.items()}) for i, x in enumerate(XS)]


def exact(*values: float) -> list[tuple[float, float | None]]:
    return [(v, v) for v in values]


def test_compare_treats_none_as_unbounded_and_near_values_as_ties() -> None:
    assert compare(1.0, 2.0) == -1
    assert compare(2.0, 1.0) == 1
    assert compare(None, 1e12) == 1
    assert compare(1e12, None) == -1
    assert compare(None, None) == 0
    assert compare(0.1 + 0.2, 0.3) == 0


def test_a_clean_crossing_is_found_once_with_its_bracket() -> None:
    """a rises 0, 10, 20, 30, 40 through b's flat 25: a overtakes b between 2 and 3."""
    sweep = sweep_of(a=exact(0, 10, 20, 30, 40), b=exact(25, 25, 25, 25, 25))
    found = crossovers(sweep, bounds=("low",))
    assert found == [Crossover("a", "b", "low", 2.0, 3.0, 30.0, 25.0)]
    assert not found[0].open_ended


def test_both_bounds_are_reported_for_exact_totals() -> None:
    sweep = sweep_of(a=exact(0, 10, 20, 30, 40), b=exact(25, 25, 25, 25, 25))
    assert [c.bound for c in crossovers(sweep)] == ["low", "high"]


def test_crossing_back_gives_two_crossovers_in_order() -> None:
    sweep = sweep_of(a=exact(0, 30, 30, 0, 0), b=exact(10, 10, 10, 10, 10))
    found = crossovers(sweep, bounds=("low",))
    assert [(c.leader, c.other, c.before, c.at) for c in found] == [
        ("a", "b", 0.0, 1.0),
        ("b", "a", 2.0, 3.0),
    ]


def test_touching_without_crossing_is_not_a_crossover() -> None:
    """a climbs to b's level at x = 2 and falls back: no change of order."""
    sweep = sweep_of(a=exact(0, 5, 10, 5, 0), b=exact(10, 10, 10, 10, 10))
    assert crossovers(sweep) == []


def test_crossing_through_a_tie_reports_the_bracket_around_the_tie() -> None:
    """a < b, a = b at x = 1 and 2, a > b from 3: the bracket spans the tie."""
    sweep = sweep_of(a=exact(0, 10, 10, 20, 30), b=exact(10, 10, 10, 10, 10))
    found = crossovers(sweep, bounds=("low",))
    assert [(c.before, c.at) for c in found] == [(0.0, 3.0)]


def test_leaving_an_initial_tie_is_not_a_crossover() -> None:
    sweep = sweep_of(a=exact(0, 0, 5, 10, 20), b=exact(0, 0, 0, 0, 0))
    assert crossovers(sweep) == []


def test_identical_lines_never_cross() -> None:
    same = exact(0, 7, 7, 20, 20)
    assert crossovers(sweep_of(a=same, b=list(same))) == []
    open_same = [(v, None) for v in (0, 7, 7, 20, 20)]
    assert crossovers(sweep_of(a=open_same, b=list(open_same))) == []


def test_open_high_overtakes_a_finite_high_but_not_another_open_high() -> None:
    """b's high becomes unbounded at x = 2 (a floor starts to apply): b's high overtakes a's."""
    a = [(0, 50), (0, 50), (0, 50), (0, 50), (0, 50)]
    b = [(0, 10), (0, 10), (30, None), (30, None), (30, None)]
    found = crossovers(sweep_of(a=a, b=b))
    assert len(found) == 1
    only = found[0]
    assert (only.leader, only.other, only.bound, only.before, only.at) == ("b", "a", "high", 1, 2)
    assert only.open_ended and only.leader_value is None and only.other_value == 50


def test_two_open_highs_are_ties_even_when_their_lows_cross() -> None:
    a = [(v, None) for v in (0, 10, 20, 30, 40)]
    b = [(25, None)] * 5
    found = crossovers(sweep_of(a=a, b=b))
    assert [(c.leader, c.bound) for c in found] == [("a", "low")]


def test_a_high_that_becomes_finite_falls_below_an_open_one() -> None:
    a = [(0, None), (0, None), (0, 40), (0, 40), (0, 40)]
    b = [(5, None)] * 5
    found = crossovers(sweep_of(a=a, b=b), bounds=("high",))
    assert found == []  # a was tied (both open), then below: no order to change from


def test_pairs_are_ordered_by_position_and_limited_to_requested_documents() -> None:
    sweep = sweep_of(
        a=exact(0, 10, 20, 30, 40),
        b=exact(15, 15, 15, 15, 15),
        c=exact(35, 35, 35, 35, 35),
    )
    found = crossovers(sweep, bounds=("low",))
    assert [(c.leader, c.other, c.at) for c in found] == [("a", "b", 2.0), ("a", "c", 4.0)]
    assert crossovers(sweep, bounds=("low",), documents=["b", "c"]) == []


def test_inputs_are_checked() -> None:
    with pytest.raises(ValueError, match="same length"):
        pair_crossovers([0, 1], [0], [1, 2])
    unordered = [(1.0, {"a": Interval(0, 0)}), (0.0, {"a": Interval(0, 0)})]
    with pytest.raises(ValueError, match="increasing"):
        crossovers(unordered)
    assert crossovers([]) == []


def test_a_real_sweep_finds_the_renovation_crossover() -> None:
    """Municipal incubator upgraded to provincial: as renovation cost grows, Jiangdu's total
    (a share of the cost) overtakes Liuzhou 2019's floor somewhere; checked against the sweep."""
    from policies import load_all

    atlas = load_all()
    preset = next(p for p in load_presets() if p.id == "municipal_incubator_to_provincial")
    values = [float(v) for v in range(0, 2001, 10)]
    sweep = Engine(atlas).sweep(preset.profile, "renovation_cost", values)
    found = crossovers(sweep)
    for c in found:
        i_before = values.index(c.before)
        i_at = values.index(c.at)
        lead_before = getattr(sweep[i_before][1][c.leader], c.bound)
        other_before = getattr(sweep[i_before][1][c.other], c.bound)
        assert compare(lead_before, other_before) == -1
        assert compare(getattr(sweep[i_at][1][c.leader], c.bound), c.other_value) == 1
    assert any(c.leader == "jiangdu_2023" and c.bound == "low" for c in found), found
