"""The named example profiles are valid, distinct and each pays something somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import DataError
from policies.engine import Engine
from policies.models import Atlas
from policies.presets import load_presets


def test_there_are_at_least_six_presets_with_names_in_both_languages() -> None:
    presets = load_presets()
    assert len(presets) >= 6
    for p in presets:
        assert p.name_zh and p.name_en and p.description_zh and p.description_en


def test_every_preset_is_paid_by_at_least_one_document(atlas: Atlas) -> None:
    engine = Engine(atlas)
    for p in load_presets():
        result = engine.evaluate(p.profile)
        assert any(d.total.high is None or d.total.high > 0 for d in result.documents), p.id


def test_presets_are_distinct_profiles() -> None:
    dumps = [p.profile.model_dump_json() for p in load_presets()]
    assert len(dumps) == len(set(dumps))


def test_an_invalid_preset_is_named_with_its_field(data_copy: Path) -> None:
    path = data_copy / "profiles/service_agency.json"
    path.write_text('{"service_revenue": -1}', encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_presets(data_copy)
    assert "data/profiles/service_agency.json: service_revenue:" in err.value.problems[0]


def test_a_preset_file_missing_from_the_index_is_named(data_copy: Path) -> None:
    (data_copy / "profiles/stray.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_presets(data_copy)
    assert any("stray.json" in p for p in err.value.problems)
