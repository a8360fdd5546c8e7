"""Shared fixtures: the loaded data, once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from policies import load_all
from policies.models import Atlas
from tests.strategies import FAST_PROFILE, STATED_FOR

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

# `--hypothesis-profile=fast` (make fast) runs a fifth of each property test's examples.
settings.register_profile(FAST_PROFILE, max_examples=STATED_FOR // 5)


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_all()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the data tree that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
