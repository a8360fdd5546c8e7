"""Load in CI: five concurrent agent-API sessions through every page and one simulation.

Runs scripts/load_test.py's load against the real app (`streamlit run` on 127.0.0.1, production
settings). Asserts sturdiness only, never speed: every request answered, every run finished ready
with no exception element on the page asked for, and the file watcher off.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.load_test import APP_STEPS, run_load

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 5

pytestmark = pytest.mark.load


def test_five_concurrent_sessions_get_every_page_without_error() -> None:
    result = run_load(ROOT / "app.py", ROOT, APP_STEPS, SESSIONS)

    assert result["errors"] == []
    assert result["planned"] == SESSIONS * (1 + len(APP_STEPS))
    assert result["requests"] == result["planned"]
    assert result["file_watches"] == 0
