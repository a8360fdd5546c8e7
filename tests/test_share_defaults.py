"""A link may name a widget's default value (a hand-written link, or one from an older view):
that value was understood, so the page opens without the "ignored" notice; a value the widget
cannot take still gets the notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from policies.presets import load_presets

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _open(page: str | None, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(f"views/{page}.py")
    return at.run()


DEFAULTS = [
    (None, {"lang": "中文"}),
    (None, {"present": "false"}),
    ("compare", {"view": "矩阵"}),
    ("compare", {"amounts": "全部"}),
    ("targets", {"tview": "图表"}),
    ("simulate", {"sim_preset": load_presets()[0].name_zh}),
]
REFUSED = [
    (None, {"lang": "Klingon"}),
    ("compare", {"view": "nonsense"}),
    ("simulate", {"sim_preset": "no such example"}),
]


@pytest.mark.parametrize(("page", "params"), DEFAULTS)
def test_a_link_naming_the_default_opens_without_a_notice(page, params) -> None:
    at = _open(page, params)
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]


@pytest.mark.parametrize(("page", "params"), REFUSED)
def test_a_value_the_widget_cannot_take_is_still_named(page, params) -> None:
    at = _open(page, params)
    assert not at.exception
    (key,) = params
    shown = " ".join(w.value for w in at.warning).replace("\\_", "_")
    assert key in shown


def test_a_list_value_the_widget_cannot_take_is_named_and_the_rest_kept() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["docs"] = ["柳州 2016", "nope"]
    at.switch_page("views/compare.py")
    at.run()
    assert not at.exception
    shown = " ".join(w.value for w in at.warning)
    assert "docs" in shown and "nope" in shown
    assert at.multiselect(key="docs").value == ["liuzhou_2016"]
