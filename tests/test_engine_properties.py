"""Properties of the engine over arbitrary valid profiles (hypothesis)."""

from __future__ import annotations

import math
from itertools import product

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from policies.engine import Engine, Interval
from policies.fields import numeric_profile_fields
from policies.models import Atlas, Percentage, PerUnit, Schedule
from policies.profile import MAX_AMOUNT, MAX_COUNT, Profile, ProfileError
from policies.readings import across_readings
from tests.strategies import examples, model_dicts, profiles

small = st.floats(min_value=0, max_value=5000, allow_nan=False, allow_infinity=False)
amounts = st.floats(min_value=0, max_value=MAX_AMOUNT, allow_nan=False, allow_infinity=False)

SETTINGS = examples(300, suppress_health_check=[HealthCheck.function_scoped_fixture])


_ENGINES: dict[int, list[Engine]] = {}


def _engines(atlas: Atlas) -> list[Engine]:
    """The default readings and every single alternative reading, built once for every example
    (an engine is not changed by evaluating)."""
    if id(atlas) not in _ENGINES:
        engines = [Engine(atlas)]
        for ident, interp in atlas.interpretations.items():
            for choice in interp.choices:
                if choice.id != interp.default:
                    engines.append(Engine(atlas, {ident: choice.id}))
        _ENGINES[id(atlas)] = engines
    return _ENGINES[id(atlas)]


@SETTINGS
@given(profile=profiles)
def test_every_line_is_a_finite_non_negative_interval_with_low_at_most_high(atlas, profile):
    for engine in _engines(atlas):
        for doc in engine.evaluate(profile).documents:
            for line in doc.lines:
                if line.status != "computed":
                    assert line.low is None and line.high is None
                    continue
                assert math.isfinite(line.low) and line.low >= 0
                assert line.high is None or (math.isfinite(line.high) and line.low <= line.high)


@SETTINGS
@given(profile=profiles)
def test_totals_are_the_sum_of_computed_lines_and_of_recipients(atlas, profile):
    for doc in Engine(atlas).evaluate(profile).documents:
        total = Interval()
        for line in doc.lines:
            if line.status == "computed" and line.payer == "government":
                total = total + line.interval
        assert doc.total.low == total.low and doc.total.high == total.high
        by_recipient = Interval()
        for amount in doc.by_recipient.values():
            by_recipient = by_recipient + amount
        assert math.isclose(by_recipient.low, total.low, rel_tol=1e-9, abs_tol=1e-9)


def _cap_bound(amount, profile: Profile) -> float | None:
    """The most a capped amount can pay for this profile, from the data."""
    if isinstance(amount, Schedule) and amount.cap:
        return amount.cap.value * min(len(amount.rates_pct), len(profile.offshore_rent))
    if isinstance(amount, (Percentage, PerUnit)) and amount.cap and amount.cap.per != "item":
        return amount.cap.value
    return None


@SETTINGS
@given(profile=profiles)
def test_no_cap_is_ever_exceeded(atlas, profile):
    engine = Engine(atlas)
    clauses = {e.clause.id: e for _, plan in engine.plan for e in plan}
    for doc in engine.evaluate(profile).documents:
        for line in doc.lines:
            if line.status != "computed":
                continue
            cap = _cap_bound(clauses[line.clause].amount, profile)
            if cap is not None:
                assert line.high <= cap + 1e-9


BASES = [
    "renovation_cost",
    "rd_equipment_investment",
    "service_revenue",
    "new_high_tech_enterprises",
    "new_tech_smes",
    "graduated_enterprises",
]


@SETTINGS
@given(profile=profiles, field=st.sampled_from(BASES), bump=st.floats(0, 1000))
def test_payouts_never_fall_when_a_base_amount_rises(atlas, profile, field, bump):
    engine = Engine(atlas)
    value = getattr(profile, field)
    raised = value + (int(bump) if isinstance(value, int) else bump)
    if raised > (MAX_COUNT if isinstance(value, int) else MAX_AMOUNT):
        return
    before = engine.evaluate(profile)
    after = engine.evaluate(Profile.model_validate({**profile.model_dump(), field: raised}))
    for b, a in zip(before.documents, after.documents, strict=True):
        assert a.total.low >= b.total.low - 1e-9
        if b.total.high is None:
            assert a.total.high is None
        elif a.total.high is not None:
            assert a.total.high >= b.total.high - 1e-9


@examples(50)
@given(rents=st.lists(st.floats(0, MAX_AMOUNT, allow_nan=False), min_size=1, max_size=8))
def test_the_offshore_schedule_pays_at_most_three_capped_years(atlas, rents):
    result = Engine(atlas).evaluate(Profile(offshore_rent=rents))
    line = next(
        ln
        for ln in result.document("jiangdu_2023").lines
        if ln.clause == "jiangdu_2023.offshore_rent"
    )
    assert line.low == line.high <= 300


SWEEP_FIELDS = sorted(numeric_profile_fields())  # every numeric field of the profile model


@examples(60)
@given(
    profile=profiles,
    field=st.sampled_from(SWEEP_FIELDS),
    values=st.lists(st.integers(0, 5000), min_size=1, max_size=6),
)
def test_a_sweep_gives_the_same_totals_as_evaluating_each_variant(atlas, profile, field, values):
    engine = Engine(atlas)
    for value, totals in engine.sweep(profile, field, values):
        full = engine.evaluate(Profile.model_validate({**profile.model_dump(), field: value}))
        for doc in full.documents:
            assert totals[doc.id].low == pytest.approx(doc.total.low)
            if doc.total.high is None:
                assert totals[doc.id].high is None
            else:
                assert totals[doc.id].high == pytest.approx(doc.total.high)


def test_a_sweep_rejects_a_value_the_profile_would_reject(atlas):
    with pytest.raises(ProfileError, match="renovation_cost"):
        Engine(atlas).sweep(Profile(), "renovation_cost", [10, -1])


def test_the_profile_strategy_draws_every_field_of_the_profile_model():
    drawn = model_dicts(Profile).example()
    assert set(drawn) == set(Profile.model_fields)


@SETTINGS
@given(profile=profiles)
def test_each_line_s_payments_add_up_to_the_line(atlas, profile):
    for doc in Engine(atlas).evaluate(profile, year=2024).documents:
        for line in doc.lines:
            if line.status != "computed":
                assert line.payments == ()
                continue
            low = sum(p.low for p in line.payments)
            assert math.isclose(low, line.low, rel_tol=1e-9, abs_tol=1e-9)
            highs = [p.high for p in line.payments]
            if line.high is None:
                assert None in highs
            else:
                assert math.isclose(sum(highs), line.high, rel_tol=1e-9, abs_tol=1e-9)


@SETTINGS
@given(profile=profiles)
def test_the_range_across_readings_holds_the_default_total_and_every_decisive_total(atlas, profile):
    engine = Engine(atlas)
    result = engine.evaluate(profile, explain=False)
    across = across_readings(engine, profile)
    for doc in result.documents:
        span = across[doc.id]
        totals = [doc.total] + [t for d in span.decisive for t in d.totals.values()]
        for total in totals:
            assert span.low <= total.low + 1e-6
            if span.high is not None:
                assert total.high is not None and total.high <= span.high + 1e-6
        for d in span.decisive:
            chosen = d.totals[engine.choices[d.interpretation]]
            assert math.isclose(chosen.low, doc.total.low, rel_tol=1e-9, abs_tol=1e-9)


_COMBINATIONS: dict[tuple[int, str], list[Engine]] = {}


def _combination_engines(
    atlas: Atlas, doc_id: str, ids: list[str], options: list[list[str]]
) -> list[Engine]:
    """One engine per combination of a document's readings, built once for every example.

    Each is built on an atlas holding that one document: the engine evaluates every document on
    its own, so the document's result is the one the whole atlas gives, without the other
    documents' clauses evaluated 1,024 times per example."""
    key = (id(atlas), doc_id)
    if key not in _COMBINATIONS:
        alone = atlas.model_copy(update={"documents": [atlas.document(doc_id)]})
        _COMBINATIONS[key] = [
            Engine(alone, dict(zip(ids, combo, strict=True))) for combo in product(*options)
        ]
    return _COMBINATIONS[key]


@examples(60)
@given(profile=profiles)
def test_the_range_across_readings_is_the_range_over_every_combination(atlas, profile):
    """Checked the slow way: every combination of one document's readings evaluated whole."""
    doc = atlas.document("jiangdu_2023")
    ids = [i.id for i in doc.policy.interpretations]
    options = [[c.id for c in i.choices] for i in doc.policy.interpretations]
    engines = _combination_engines(atlas, doc.id, ids, options)
    totals = [e.evaluate(profile, explain=False).document(doc.id).total for e in engines]
    span = across_readings(Engine(atlas), profile)[doc.id]
    assert math.isclose(span.low, min(t.low for t in totals), rel_tol=1e-9, abs_tol=1e-9)
    highs = [t.high for t in totals]
    if None in highs:
        assert span.high is None
    else:
        assert math.isclose(span.high, max(highs), rel_tol=1e-9, abs_tol=1e-9)
