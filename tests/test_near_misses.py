"""Near misses are ranked for a founder (actions by money gained, identity changes apart) and
unmet conditions read as sentences, without symbols, in both languages."""

from __future__ import annotations

import math

import pytest

from policies.engine import Engine, Failure
from policies.models import Atlas
from policies.near_misses import ACTION, IDENTITY, IDENTITY_FIELDS, near_misses
from policies.presets import load_presets
from policies.sentences import condition_sentence

PRESETS = load_presets()
SYMBOLS = ("∈", "∉", "≥", "≤", "≠", "=", ">", "<", "{", "}")
GROUP = {ACTION: 0, IDENTITY: 1, None: 2}


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
def test_within_a_group_the_change_that_adds_more_certain_money_comes_first(
    engine: Engine, preset
) -> None:
    misses = near_misses(engine.evaluate(preset.profile), engine, preset.profile)
    for kind in (ACTION, IDENTITY):
        gains = [m.gain for m in misses if m.kind == kind]
        assert gains == sorted(gains, key=lambda g: (-g[0], -g[1]))


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
