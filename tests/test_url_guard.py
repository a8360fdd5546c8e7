"""Hostile or malformed URL parameters are dropped with a reason, never passed to a page."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components import url_guard, url_keys
from components.url_guard import (
    DETAIL_LENGTH,
    SHOWN_LENGTH,
    Ignored,
    cleared_by_widgets,
    known_keys,
    refuse,
    screen,
    shown_detail,
    shown_key,
    take_refused,
    to_delete,
)
from components.url_keys import MAX_VALUE_LENGTH, max_length
from tests.strategies import examples


def test_an_unknown_key_is_dropped() -> None:
    assert screen({"utm_source": ["x"]}) == [Ignored("utm_source", "unknown")]


def test_a_known_key_with_a_sane_value_passes() -> None:
    assert screen({"lang": ["English"], "doc": ["江都 2023"]}) == []


def test_a_bad_language_is_dropped() -> None:
    assert screen({"lang": ["<script>alert(1)</script>"]}) == [Ignored("lang", "invalid")]


def test_an_oversized_value_is_dropped() -> None:
    assert screen({"doc": ["x" * (MAX_VALUE_LENGTH + 1)]}) == [Ignored("doc", "too_long")]


def test_control_characters_are_dropped() -> None:
    assert screen({"doc": ["a\x00b"]}) == [Ignored("doc", "control_chars")]
    assert screen({"doc": ["a\u202eb"]}) == [Ignored("doc", "control_chars")]


def test_a_value_refused_by_its_widget_is_reported_once() -> None:
    before = {"doc": ["nope"], "zzz": ["1"], "lang": ["English"]}
    after = {"lang": ["English"]}
    dropped = [Ignored("zzz", "unknown")]
    assert cleared_by_widgets(before, after, dropped) == [Ignored("doc", "invalid")]


def test_a_shown_key_is_short_and_printable() -> None:
    shown = shown_key("k\x07" + "y" * 100)
    assert "\x07" not in shown and len(shown) <= SHOWN_LENGTH + 1


@examples(300)
@given(params=st.dictionaries(st.text(max_size=80), st.lists(st.text(max_size=600), max_size=3)))
def test_screening_any_parameters_never_fails_and_keeps_only_known_keys(params) -> None:
    dropped = {i.key for i in screen(params)}
    kept = set(params) - dropped
    assert kept <= known_keys()
    for key in kept:
        assert all(len(v) <= max_length(key) for v in params[key])


def test_only_unknown_keys_are_deleted_from_the_url() -> None:
    dropped = screen({"zzz": ["1"], "doc": ["x" * (MAX_VALUE_LENGTH + 1)]})
    assert to_delete(dropped) == ["zzz"]


KEYS_HOME = "components/url_keys.py"
SIMULATE_PREFIXES = ("sim_", "_sim_")
ROOT = Path(__file__).resolve().parents[1]


def _interface_files() -> list[Path]:
    return [
        path
        for path in [ROOT / "app.py", *sorted((ROOT / "components").glob("*.py"))]
        + sorted((ROOT / "views").glob("*.py"))
        if path.relative_to(ROOT).as_posix() != KEYS_HOME
    ]


def test_every_url_bound_widget_takes_its_key_from_the_one_declaration() -> None:
    """A widget bound to the URL names its key by a constant of components.url_keys, and no
    interface file writes a URL parameter or a Simulate key as a string of its own."""
    written = []
    for path in _interface_files():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                given = {k.arg: k.value for k in node.keywords}
                if "bind" in given and not isinstance(given.get("key"), (ast.Attribute, ast.Name)):
                    written.append(f"{rel}:{node.lineno} (bound key)")
                key = given.get("key")
                if isinstance(key, ast.Constant) and key.value in known_keys():
                    written.append(f"{rel}:{node.lineno} ({key.value})")
            elif isinstance(node, ast.Constant) and str(node.value).startswith(SIMULATE_PREFIXES):
                written.append(f"{rel}:{node.lineno} ({node.value})")
    assert written == [], "use components.url_keys: " + ", ".join(written)


def test_the_pages_keys_are_the_ones_the_guard_knows() -> None:
    pages = (
        url_keys.COMPARE_KEYS,
        url_keys.TARGETS_KEYS,
        url_keys.SOURCES_KEYS,
        url_keys.POPULATION_KEYS,
        url_keys.SIMULATE_KEYS,
    )
    declared = {url_keys.LANG_KEY, url_keys.PRESENT_KEY}.union(*pages)
    assert declared == known_keys()
    assert set(url_keys.URL_KEYS) <= set(url_keys.SIMULATE_KEYS)


def test_the_edited_profile_and_the_readings_may_be_longer_than_other_values() -> None:
    for key in ("sim_profile", "sim_readings"):
        assert screen({key: ["A" * (MAX_VALUE_LENGTH + 1)]}) == []
        too_long = "A" * (max_length(key) + 1)
        assert screen({key: [too_long]}) == [Ignored(key, "too_long")]
    assert screen({"sim_range": ["x" * (MAX_VALUE_LENGTH + 1)]}) == [
        Ignored("sim_range", "too_long")
    ]


def test_the_simulate_link_parameters_are_known() -> None:
    assert {"sim_profile", "sim_readings"} <= known_keys()


def test_a_detail_is_escaped_printable_and_short() -> None:
    assert shown_detail(Ignored("k", "invalid")) == ""
    detail = shown_detail(Ignored("k", "invalid", "<script>*x*</script>\x00\u202e" + "y" * 500))
    assert detail.startswith(": ")
    assert "<script>" not in detail and "*x*" not in detail
    assert "\x00" not in detail and "\u202e" not in detail
    assert len(detail) < 3 * DETAIL_LENGTH


def test_a_refused_parameter_is_named_once(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStreamlit:
        session_state: dict = {}

    monkeypatch.setattr(url_guard, "st", FakeStreamlit)
    refuse("sim_profile", "bad")
    refuse("sim_profile", "worse")
    refuse("sim_readings", "long", "too_long")
    already = [Ignored("sim_readings", "too_long")]
    assert take_refused(already) == [Ignored("sim_profile", "invalid", "bad")]
    assert take_refused([]) == []  # taken once
