"""Presentation mode: on from the URL, a visible way out, projector-sized charts."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from components.present import EXIT_KEY, PROJECTOR_CHART_CONFIG, carried_params, projector
from components.url_keys import LANG_KEY, PRESENT_KEY

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_presentation_mode_is_off_by_default_and_offers_no_exit() -> None:
    at = _app()
    assert not at.exception
    assert at.session_state[PRESENT_KEY] is False
    assert EXIT_KEY not in [b.key for b in at.button]


def test_a_link_with_present_true_opens_presentation_mode_with_a_way_out() -> None:
    at = _app(present="true")
    assert not at.exception
    assert at.session_state[PRESENT_KEY] is True
    at.button(key=EXIT_KEY).click().run()
    assert at.session_state[PRESENT_KEY] is False
    assert EXIT_KEY not in [b.key for b in at.button]
    assert at.query_params.get(PRESENT_KEY) in (None, [], ["false"])


def test_every_page_runs_in_presentation_mode() -> None:
    at = _app(present="true")
    for page in ("compare", "simulate", "targets", "sources"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, page
        assert at.session_state[PRESENT_KEY] is True, page


PAGES = ("", "compare", "simulate", "targets", "sources", "population")  # "": the Overview


def _nav_links(at: AppTest) -> dict[str, str]:
    """The page links of the presentation bar: page url path → the query string it opens."""
    return {link.proto.page: link.proto.query_string for link in at.get("page_link")}


def test_presentation_mode_links_every_page_keeping_presentation_mode_and_the_language() -> None:
    at = _app(present="true", lang="English")
    at.switch_page("views/compare.py").run()
    assert not at.exception
    links = _nav_links(at)
    assert tuple(links) == PAGES
    for query in links.values():
        assert query == "lang=English&present=true"


def test_a_presentation_link_without_a_language_keeps_presentation_mode_only() -> None:
    at = _app(present="true")
    at.switch_page("views/compare.py").run()
    links = _nav_links(at)
    assert set(links) == set(PAGES)
    assert set(links.values()) == {"present=true"}


def test_outside_presentation_mode_the_sidebar_navigates_and_no_page_bar_is_drawn() -> None:
    at = _app(lang="English")
    at.switch_page("views/compare.py").run()
    assert not at.exception
    assert _nav_links(at) == {}


def test_a_page_link_carries_the_language_and_presentation_mode_but_no_page_filter() -> None:
    url = {LANG_KEY: "English", PRESENT_KEY: "true", "docs": "qingdao_2019"}
    assert carried_params(url) == {LANG_KEY: "English", PRESENT_KEY: "true"}
    assert carried_params({LANG_KEY: ""}) == {PRESENT_KEY: "true"}


def test_projector_charts_enlarge_every_text_and_leave_the_original_alone() -> None:
    spec = {"mark": "point", "config": {"axis": {"labelFontSize": 10, "grid": False}}}
    big = projector(spec)
    assert spec["config"] == {"axis": {"labelFontSize": 10, "grid": False}}
    assert big["config"]["axis"]["grid"] is False
    for part, sizes in PROJECTOR_CHART_CONFIG.items():
        for name, size in sizes.items():
            assert big["config"][part][name] == size


def test_a_projector_spec_grows_rows_labels_and_text_marks_but_never_the_data() -> None:
    """On a projector a row is 1.6 times as tall, a label has 1.6 times the room and a text
    mark is 1.6 times as large; the rows of data stay as they are."""
    spec = {
        "height": {"step": 25},
        "encoding": {"y": {"axis": {"labelLimit": 300}}},
        "layer": [{"mark": {"type": "text", "fontSize": 10}}],
        "datasets": {"d": [{"step": 25, "fontSize": 10}]},
        "data": {"values": [{"step": 5}]},
    }
    out = projector(spec)
    assert out["height"] == {"step": 40}
    assert out["encoding"]["y"]["axis"]["labelLimit"] == 480
    assert out["layer"][0]["mark"]["fontSize"] == 16
    assert out["datasets"] == spec["datasets"] and out["data"] == spec["data"]
    assert spec["height"] == {"step": 25}  # the cached spec is left alone
