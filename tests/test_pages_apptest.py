"""Pages run headless through Streamlit's AppTest, starting at app.py."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import policies
from components import data
from policies import DataError

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT_COUNT = 5


def test_overview_lists_documents_and_draws_chart() -> None:
    """The default page runs cleanly, lists five documents and has a Vega chart."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()

    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert len(at.dataframe) == 1
    table = at.dataframe[0].value
    assert len(table) == DOCUMENT_COUNT
    assert table["id"].is_unique
    charts = at.get("vega_lite_chart")
    assert charts, "no Vega-Lite chart on the overview page"


def test_invalid_data_shows_problems_and_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    """A DataError from the loader is shown line by line and the page renders nothing else."""
    problems = [
        "data/policies/x.yaml: clauses[0].amount: bad `kind`",
        "data/taxonomy.yaml: -: gone",
    ]

    def broken(root: object = None) -> None:
        """Stand-in loader that always fails validation."""
        raise DataError(problems)

    monkeypatch.setattr(policies, "load_all", broken)
    data.atlas.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
    finally:
        data.atlas.clear()

    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    shown = at.error[0].value
    assert all(line in shown for line in problems), shown
    assert not at.dataframe
    assert not at.get("vega_lite_chart")


HOSTILE_PARAMS = [
    {"zzz": "1"},
    {"lang": "<script>alert(1)</script>"},
    {"doc": "x" * 5000},
    {"docs": "a\x00b"},
    {"utm_source": "mail", "lang": "English"},
    {"cats": "[[[", "**bold**": "_x_"},
]


@pytest.mark.parametrize("params", HOSTILE_PARAMS, ids=[str(i) for i in range(len(HOSTILE_PARAMS))])
def test_hostile_url_parameters_fall_back_with_a_visible_notice(params: dict) -> None:
    """Unknown, oversized, control-character or script-like parameters never crash a page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notices = [w.value for w in at.warning]
    assert any("ignored" in n or "忽略" in n for n in notices), notices
    assert "<script>" not in " ".join(notices)
