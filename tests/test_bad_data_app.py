"""A broken data tree stops the app with an error page naming the file and the field, on every
page, and nothing on disk changes. The app reads the tree named by $ATLAS_DATA."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import data

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("compare", "simulate", "targets", "sources")

# file, text to replace, replacement, what the error must say
BREAKS = {
    "bad YAML": (
        "policies/wuhan_2021.yaml", None, "\n  - : [\n", "data/policies/wuhan_2021.yaml: line "
    ),
    "unknown key": (
        "policies/liuzhou_2019.yaml", "    period: one_off\n",
        "    period: one_off\n    amout: 3\n", "upgrade_incubator_provincial].amout",
    ),
    "wrong type": (
        "policies/liuzhou_2019.yaml", "amount: {kind: fixed, value: 100, bound: floor}",
        "amount: {kind: fixed, value: lots, bound: floor}",
        "upgrade_incubator_provincial].amount.fixed.value",
    ),
    "quote not in the source": (
        "policies/liuzhou_2016.yaml",
        "政府将给予最多不超过55万元/年", "政府将给予最多不超过56万元/年",
        "clauses[liuzhou_2016.free_workspace_broadband].quote",
    ),
    "dangling id": (
        "policies/jiangdu_2023.yaml", "interpretation: jiangdu_2023.top_up\n",
        "interpretation: jiangdu_2023.no_such_reading\n", "no_such_reading",
    ),
    "broken preset": (
        "profiles/index.yaml", None, "\n- {id: x, file: missing.json\n", "data/profiles/index.yaml",
    ),
}  # fmt: skip


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _break_tree(root: Path, case: str) -> None:
    name, old, new, _ = BREAKS[case]
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old is None or old in text, old
    path.write_text(text + new if old is None else text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def app_data(monkeypatch: pytest.MonkeyPatch):
    """Point the app at another data tree (set by the test) with fresh caches; undo after."""

    def point(root: Path) -> None:
        monkeypatch.setenv(data.DATA_ENV, str(root))
        data.atlas.clear()
        data.presets.clear()

    yield point
    data.atlas.clear()
    data.presets.clear()


@pytest.mark.parametrize("case", list(BREAKS))
def test_every_page_names_the_file_and_field_and_shows_nothing_else(
    case: str, data_copy: Path, app_data
) -> None:
    _break_tree(data_copy, case)
    before = _snapshot(data_copy)
    app_data(data_copy)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert len(at.error) == 1
    assert BREAKS[case][3] in at.error[0].value, at.error[0].value
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.error) == 1, page
        assert not at.dataframe and not at.get("vega_lite_chart"), page
    assert _snapshot(data_copy) == before


def test_the_same_app_on_the_intact_copy_runs(data_copy: Path, app_data) -> None:
    app_data(data_copy)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.error
    assert at.get("vega_lite_chart")
