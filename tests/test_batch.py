"""The vectorised batch gives the engine's totals, to the last bit, for every profile."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from policies.batch import OPEN, DocumentTotals, population_totals
from policies.engine import Engine, Interval
from policies.models import Atlas
from policies.presets import load_presets
from policies.profile import Profile
from policies.readings import across_document
from tests.strategies import examples, profiles

PRESETS = load_presets()


def engine_view(engine: Engine, profile: Profile) -> dict[str, tuple]:
    """Per document: total, not-stated count and split by recipient, as the engine gives them."""
    out = {}
    for doc in engine.evaluate(profile, explain=False).documents:
        not_stated = sum(
            line.status == "not_stated" and line.payer == "government" for line in doc.lines
        )
        split = {k: (v.low, v.high) for k, v in doc.by_recipient.items()}
        out[doc.id] = ((doc.total.low, doc.total.high), not_stated, split)
    return out


def batch_view(cols: DocumentTotals, i: int) -> tuple:
    """The same for profile i of a batch (recipients with nothing counted left out)."""

    def pair(low: float, high: float) -> tuple:
        return (float(low), None if high == OPEN else float(high))

    split = {
        k: pair(low[i], high[i])
        for k, (low, high) in cols.by_recipient.items()
        if low[i] != 0 or high[i] != 0
    }
    return pair(cols.low[i], cols.high[i]), int(cols.not_stated[i]), split


def assert_batch_is_the_engine(engine: Engine, batch: list[Profile], across: bool) -> None:
    totals = population_totals(engine, batch, across=across)
    for i, profile in enumerate(batch):
        expected = engine_view(engine, profile)
        for doc_id, (total, not_stated, split) in expected.items():
            got_total, got_not_stated, got_split = batch_view(totals[doc_id], i)
            # the engine lists a recipient whose counted lines add up to zero; the batch cannot
            split = {k: v for k, v in split.items() if v != (0.0, 0.0)}
            assert (got_total, got_not_stated, got_split) == (total, not_stated, split), doc_id
        if across:
            for doc in engine.atlas.documents:
                rng = across_document(engine, doc, profile)
                cols = totals[doc.id]
                assert cols.across_low is not None and cols.across_high is not None
                high = None if cols.across_high[i] == OPEN else float(cols.across_high[i])
                assert Interval(float(cols.across_low[i]), high) == Interval(rng.low, rng.high)


@pytest.mark.parametrize("year", [None, 2020])
def test_the_batch_equals_the_engine_on_every_example_profile(atlas: Atlas, year) -> None:
    engine = Engine(atlas)
    assert_batch_is_the_engine(engine, [p.profile for p in PRESETS], across=True)


def choices(atlas: Atlas) -> st.SearchStrategy[dict[str, str]]:
    """Any combination of readings."""
    return st.fixed_dictionaries(
        {i.id: st.sampled_from([c.id for c in i.choices]) for i in atlas.interpretations.values()}
    )


@examples(40, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(profiles, min_size=1, max_size=12), data=st.data())
def test_the_batch_equals_the_engine_on_random_profiles_and_readings(
    atlas: Atlas, batch: list[Profile], data: st.DataObject
) -> None:
    engine = Engine(atlas, data.draw(choices(atlas)))
    assert_batch_is_the_engine(engine, batch, across=data.draw(st.booleans()))


def paid_by_others(atlas: Atlas, clause_id: str) -> Atlas:
    """The atlas with one clause's money marked as offered by others (not government)."""
    docs = []
    for doc in atlas.documents:
        clauses = [
            c.model_copy(update={"payer": "non_government"}) if c.id == clause_id else c
            for c in doc.policy.clauses
        ]
        policy = doc.policy.model_copy(update={"clauses": clauses})
        docs.append(doc.model_copy(update={"policy": policy}))
    return atlas.model_copy(update={"documents": docs})


def test_money_others_pay_never_enters_a_total_or_a_recipients_share(atlas: Atlas) -> None:
    builder = Profile.model_validate(
        {"level_after": "provincial", "converted_existing_building": True, "renovation_cost": 500.0}
    )
    before = population_totals(Engine(atlas), [builder])["jiangdu_2023"]
    others = Engine(paid_by_others(atlas, "jiangdu_2023.renovation_incubator"))
    after = population_totals(others, [builder])["jiangdu_2023"]
    assert before.low[0] - after.low[0] == 100.0  # 20% of 500 leaves the total
    assert after.by_recipient["builder"][0][0] == 0.0
    assert_batch_is_the_engine(others, [builder], across=True)


def test_an_amount_the_text_does_not_state_is_counted_apart_never_added(atlas: Atlas) -> None:
    winner = Profile.model_validate(
        {"contest_awards": [{"level": "city", "rank": 1, "rd_investment": 100.0}]}
    )
    totals = population_totals(Engine(atlas), [winner])["liuzhou_2019"]
    assert totals.not_stated[0] >= 1
    assert_batch_is_the_engine(Engine(atlas), [winner], across=False)


def test_an_empty_population_has_empty_columns(atlas: Atlas) -> None:
    totals = population_totals(Engine(atlas), [], across=True)
    assert all(len(t.low) == 0 and len(t.not_stated) == 0 for t in totals.values())
