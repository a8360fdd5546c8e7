"""Shared fixtures: the loaded data, once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policies import load_all
from policies.models import Atlas

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_all()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the data tree that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
