"""What the form asks first and what the what-if opens on are read from the data."""

from __future__ import annotations

from policies.engine import Engine
from policies.fields import form_groups
from policies.guidance import by_money, moving_input, rank_of
from policies.loader import load_all
from policies.presets import load_presets
from policies.sweeps import SWEEP_FIELDS, default_sweep_range, sweep_values

ENGINE = Engine(load_all())


def test_the_form_groups_that_unlock_money_in_most_documents_come_first() -> None:
    order = by_money(form_groups(), ENGINE)
    ranks = [rank_of(ENGINE, dict(form_groups())[g]) for g in order]
    assert ranks == sorted(ranks, reverse=True)
    assert order[0] == "carrier"  # carrier type and level gate money in most documents
    # one case-by-case platform award of 5,000万元 does not outrank what many documents pay
    assert order.index("space") < order.index("platforms")
    assert rank_of(ENGINE, ["carrier_type"])[0] > rank_of(ENGINE, ["especially_major_platform"])[0]


def test_the_what_if_opens_on_an_input_that_moves_each_examples_totals() -> None:
    for preset in load_presets():
        name = moving_input(ENGINE, preset.profile, SWEEP_FIELDS)
        assert name is not None, preset.id
        low, high = default_sweep_range(ENGINE.atlas, name, preset.profile)
        values = sweep_values(name, low, high, 21)
        totals = [t for _, t in ENGINE.sweep(preset.profile, name, values)]
        assert any(t != totals[0] for t in totals), preset.id
