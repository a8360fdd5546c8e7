"""Interface strings exist in both languages, with the same placeholders."""

from __future__ import annotations

import string

from components.i18n import LANGS, LOCALES, strings


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_both_languages() -> None:
    zh, en = strings("zh"), strings("en")
    assert set(zh) - set(en) == set(), "keys missing in English"
    assert set(en) - set(zh) == set(), "keys missing in Chinese"


def test_both_languages_have_the_same_files() -> None:
    files = [{p.name for p in (LOCALES / lang).glob("*.yaml")} for lang in LANGS]
    assert files[0] == files[1]


def test_no_string_is_empty_and_placeholders_match() -> None:
    zh, en = strings("zh"), strings("en")
    for key in zh:
        assert zh[key].strip() and en[key].strip(), key
        assert _placeholders(zh[key]) == _placeholders(en[key]), key
