"""Near misses are ranked for a founder (actions by the money she, the carrier's operator, would
gain: the most first, then the certain part; identity changes apart; money to other bodies apart
and never among her actions) and unmet conditions read as sentences, without symbols, in both
languages."""

from __future__ import annotations

import math
import re

import pytest

from policies.engine import Engine, Failure, Interval
from policies.models import Atlas
from policies.near_misses import (
    ACTION,
    IDENTITY,
    IDENTITY_FIELDS,
    OTHERS,
    NearMiss,
    near_misses,
    ranked,
)
from policies.presets import load_presets
from policies.sentences import condition_sentence
from policies.shares import OPERATOR, operator_share

PRESETS = load_presets()
SYMBOLS = ("∈", "∉", "≥", "≤", "≠", "=", ">", "<", "{", "}")
GROUP = {ACTION: 0, IDENTITY: 1, OTHERS: 2, None: 3}
FAILURE = Failure("new_high_tech_enterprises", "gt", 0, 0)


def miss(
    name: str,
    before: Interval,
    after: Interval,
    recipient: str = OPERATOR,
    field: str = "new_high_tech_enterprises",
    clause: Interval | None = None,
) -> NearMiss:
    """A near miss of the operator's share going from `before` to `after`."""
    own = clause or Interval(after.low - before.low, after.high)
    return NearMiss(
        "doc",
        name,
        recipient,
        FAILURE,
        field=field,
        value=1,
        status="computed",
        low=own.low,
        high=own.high,
        total_before=before,
        total_after=after,
        operator_before=before,
        operator_after=after,
    )


def names(misses: list[NearMiss]) -> list[str]:
    return [m.clause for m in misses]


@pytest.fixture(scope="module")
def engine(atlas: Atlas) -> Engine:
    return Engine(atlas)


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_actions_come_first_then_identity_changes_then_what_no_single_change_meets(
    engine: Engine, preset
) -> None:
    misses = near_misses(engine.evaluate(preset.profile), engine, preset.profile)
    groups = [GROUP[m.kind] for m in misses]
    assert groups == sorted(groups)
    for miss in misses:
        if miss.kind == IDENTITY:
            assert miss.field in IDENTITY_FIELDS
        if miss.kind == ACTION:
            assert miss.field not in IDENTITY_FIELDS


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_within_her_groups_the_most_she_could_gain_comes_first_then_the_certain_part(
    engine: Engine, preset
) -> None:
    misses = near_misses(engine.evaluate(preset.profile), engine, preset.profile)
    for kind in (ACTION, IDENTITY):
        gains = [m.operator_gain for m in misses if m.kind == kind]
        assert gains == sorted(gains, key=lambda g: (-g[1], -g[0]))


def test_up_to_80_comes_before_a_certain_1() -> None:
    nothing = Interval(0.0, 0.0)
    found = ranked(
        [
            miss("certain 1", nothing, Interval(1.0, 1.0)),
            miss("up to 80", nothing, Interval(0.0, 80.0)),
        ]
    )
    assert names(found) == ["up to 80", "certain 1"]


def test_at_equal_tops_the_larger_certain_part_comes_first_and_a_hair_above_wins() -> None:
    nothing = Interval(0.0, 0.0)
    found = ranked(
        [
            miss("up to 80", nothing, Interval(0.0, 80.0)),
            miss("10 to 80", nothing, Interval(10.0, 80.0)),
            miss("up to 80.01", nothing, Interval(0.0, 80.01)),
            miss("up to 79.99", nothing, Interval(79.0, 79.99)),
        ]
    )
    assert names(found) == ["up to 80.01", "10 to 80", "up to 80", "up to 79.99"]


def test_a_share_that_becomes_open_ended_comes_first_and_one_already_open_counts_the_clause() -> (
    None
):
    open_ = Interval(117.0, None)
    found = ranked(
        [
            miss("exact 500", Interval(0.0, 0.0), Interval(500.0, 500.0)),
            miss("becomes open", Interval(0.0, 0.0), Interval(1.0, None)),
            miss("adds up to 80 to an open share", open_, open_, clause=Interval(0.0, 80.0)),
        ]
    )
    assert names(found) == ["becomes open", "exact 500", "adds up to 80 to an open share"]
    assert found[2].operator_gain == (0.0, 80.0)


def test_money_to_another_body_is_never_an_action_however_large() -> None:
    nothing = Interval(0.0, 0.0)
    builder = miss("builder 5000", nothing, nothing, "builder", clause=Interval(5000.0, 5000.0))
    own = miss("operator 1", nothing, Interval(1.0, 1.0))
    found = ranked([builder, own])
    assert [m.kind for m in found] == [ACTION, OTHERS]
    assert names(found) == ["operator 1", "builder 5000"]
    assert builder.operator_gain == (0.0, 0.0)


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_every_clause_paying_another_body_is_listed_apart_from_her_own(
    engine: Engine, preset
) -> None:
    misses = near_misses(engine.evaluate(preset.profile), engine, preset.profile)
    for m in misses:
        if m.field is not None:
            assert (m.kind == OTHERS) == (m.recipient != OPERATOR), m.clause


def test_the_upgrade_example_lists_the_builder_and_platform_money_apart(engine: Engine) -> None:
    preset = next(p for p in PRESETS if p.id == "municipal_incubator_to_provincial")
    misses = near_misses(engine.evaluate(preset.profile), engine, preset.profile)
    apart = {m.recipient for m in misses if m.kind == OTHERS}
    assert {"builder", "platform"} <= apart
    assert all(m.recipient == OPERATOR for m in misses if m.kind in (ACTION, IDENTITY))


@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_each_suggested_change_makes_its_clause_apply_and_the_gain_is_the_totals_difference(
    engine: Engine, preset
) -> None:
    before = engine.evaluate(preset.profile)
    for miss in near_misses(before, engine, preset.profile):
        if miss.field is None:
            continue
        changed = preset.profile.model_copy(update={miss.field: miss.value})
        after = engine.evaluate(changed).document(miss.document)
        line = next(x for x in after.lines if x.clause == miss.clause)
        assert line.status in {"computed", "not_stated"}
        old = before.document(miss.document).total
        assert miss.gain[0] == pytest.approx(after.total.low - old.low)
        if after.total.high is None:
            assert miss.gain[1] == math.inf
        share = operator_share(before.document(miss.document))
        assert miss.operator_gain[0] == pytest.approx(operator_share(after).low - share.low)


def test_the_upgrade_example_is_first_offered_a_higher_level_not_a_change_of_identity(
    engine: Engine,
) -> None:
    preset = next(p for p in PRESETS if p.id == "municipal_incubator_to_provincial")
    first = near_misses(engine.evaluate(preset.profile), engine, preset.profile)[0]
    assert (first.kind, first.field, first.value) == (ACTION, "level_after", "national")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("preset", PRESETS, ids=[p.id for p in PRESETS])
def test_every_unmet_condition_reads_as_a_sentence_without_symbols(
    engine: Engine, preset, lang: str
) -> None:
    for doc in engine.evaluate(preset.profile).documents:
        for line in doc.lines:
            for failure in line.failed:
                text = condition_sentence(failure, lang)
                assert text
                assert not any(s in text for s in SYMBOLS), text


def test_a_carrier_type_condition_says_what_the_carrier_needs_to_be_and_what_it_is() -> None:
    failure = Failure("carrier_type", "in", ["maker_space"], "incubator")
    assert condition_sentence(failure, "zh") == "载体类型需为众创空间(现为孵化器)"
    assert (
        condition_sentence(failure, "en") == "carrier type needs to be maker space (now incubator)"
    )


def test_a_threshold_names_the_amount_with_its_unit_and_the_current_value() -> None:
    at_least = Failure("rd_equipment_investment", "ge", 300, 0.0)
    assert condition_sentence(at_least, "zh") == "三年内新增研发设备投入需达到 300万元(现为0万元)"
    more = Failure("new_high_tech_enterprises", "gt", 0, 0)
    assert (
        condition_sentence(more, "en")
        == "new high-tech enterprises needs to be more than 0 (now 0)"
    )


@pytest.mark.parametrize(
    ("engine_value", "suggested"), [(0.01, 1.0), (100.0, 100.0), (100.2, 101.0)]
)
def test_an_amount_to_reach_is_suggested_as_a_whole_wan(
    engine_value: float, suggested: float
) -> None:
    from policies.near_misses import suggested_change

    failure = Failure(
        field="rd_equipment_investment", op="gt", required=0, current=0,
        suggestion_field="rd_equipment_investment", suggestion_value=engine_value,
    )  # fmt: skip
    assert suggested_change(failure) == ("rd_equipment_investment", suggested)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_card_for_support_of_unstated_amount_never_says_she_would_receive_0(
    atlas: Atlas, engine: Engine, lang: str
) -> None:
    from components.i18n import t
    from components.near_miss_view import card

    found = []
    for preset in PRESETS:
        misses = near_misses(engine.evaluate(preset.profile), engine, preset.profile)
        found += [m for m in misses if m.kind == ACTION and m.status == "not_stated"]
    assert found, "the examples hold such a near miss"
    zero = re.compile(r"(?<![\d,.])0" + re.escape(t("common.unit_wan", lang)))
    for m in found:
        sentence = card(m, atlas, lang).sentence
        assert t("simulate.near_amount_not_stated", lang) in sentence
        assert not zero.search(sentence), sentence
