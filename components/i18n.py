"""Interface strings in Chinese and English, one folder per language (components/locales/<lang>).

Keys are `<file stem>.<key>`; `t("common.app_title")` returns the string in the current language.
The Chinese original of every quote stays authoritative; these are interface strings only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st
import yaml

from components.url_keys import LANG_KEY

LOCALES = Path(__file__).resolve().parent / "locales"
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_LABELS = {"zh": "中文", "en": "English"}


def _flatten(prefix: str, node: object, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}", value, out)
    else:
        out[prefix] = str(node)


@cache
def strings(lang: str) -> dict[str, str]:
    """Every interface string of one language, keyed `<file stem>.<key>`."""
    out: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.yaml")):
        _flatten(path.stem, yaml.safe_load(path.read_text(encoding="utf-8")) or {}, out)
    return out


def current_lang() -> str:
    """The language chosen in the sidebar (remembered in the URL), Chinese by default."""
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The interface string `key` in the current (or given) language, formatted with `values`;
    with `n=1`, the key's singular `<key>_one` when the language has one (English plurals)."""
    table = strings(lang or current_lang())
    if values.get("n") == 1 and f"{key}_one" in table:
        key = f"{key}_one"
    text = table.get(key)
    if text is None:
        text = strings(DEFAULT_LANG).get(key, key)
    return text.format(**values) if values else text


def pick(zh: str | None, en: str | None, lang: str | None = None) -> str:
    """Choose between a record's Chinese and English label (falling back to the other)."""
    if (lang or current_lang()) == "en":
        return en or zh or ""
    return zh or en or ""
