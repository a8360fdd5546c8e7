"""Every example profile simulates exactly as stored: new rule shapes change no existing figure."""

from __future__ import annotations

import pytest

from policies.presets import load_presets
from scripts.store_simulate_outputs import VARIANTS, golden_path, render

CASES = [(p, v) for p in load_presets() for v in VARIANTS]


@pytest.mark.parametrize(("preset", "variant"), CASES, ids=[f"{p.id}-{v}" for p, v in CASES])
def test_simulate_output_is_byte_identical_to_the_stored_output(preset, variant: str) -> None:
    stored = golden_path(preset.id, variant).read_text(encoding="utf-8")
    assert render(preset.path, VARIANTS[variant]) == stored, (
        "simulate output changed; if the change is intended, run "
        "scripts/store_simulate_outputs.py and say in the commit which figure changed and why"
    )


def test_every_example_profile_has_stored_outputs() -> None:
    stored = {p.name for p in golden_path("x", "json").parent.glob("*.txt")}
    expected = {golden_path(p.id, v).name for p in load_presets() for v in VARIANTS}
    assert stored == expected
