"""Share-link hygiene: every URL parameter is either understood or dropped with a visible notice.

Widgets bound to the URL (`bind=bound(key, default)`) drop values they cannot take; unknown keys,
oversized or control-character values, and a bad language code are dropped here. A page that
reads a parameter itself (the Simulate page's edited profile and readings) checks its value and,
refusing it, calls `refuse` with what was wrong; app.py adds those to the same notice. The notice
names what was ignored (escaped, truncated), and the view falls back to its defaults.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from components.display import md_escape
from components.i18n import LANG_LABELS
from components.url_keys import BOUND_KEYS, LANG_KEY, max_length

EXTRA_KEYS: frozenset[str] = frozenset()  # parameters read with st.query_params directly
SHOWN_LENGTH = 40
DETAIL_LENGTH = 160
REFUSED_KEY = "_url_refused"
DEFAULTS_KEY = "_url_defaults"  # bound widget key -> how the URL writes its default (this run)


@dataclass(frozen=True)
class Ignored:
    """One parameter that was dropped, and why (reason is an i18n key suffix)."""

    key: str
    reason: str  # unknown | invalid | too_long | control_chars
    detail: str = ""  # what exactly was wrong, in the reader's language (shown escaped)


def known_keys() -> frozenset[str]:
    """Every parameter any page understands."""
    keys: set[str] = set(EXTRA_KEYS)
    for page_keys in BOUND_KEYS.values():
        keys |= page_keys
    return frozenset(keys)


def _has_control_chars(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def screen(params: Mapping[str, list[str]]) -> list[Ignored]:
    """The parameters to drop before the page runs: unknown, oversized, control chars, bad lang."""
    known = known_keys()
    dropped = []
    for key, values in params.items():
        if key not in known:
            dropped.append(Ignored(key, "unknown"))
        elif any(len(v) > max_length(key) for v in values):
            dropped.append(Ignored(key, "too_long"))
        elif any(_has_control_chars(v) for v in values):
            dropped.append(Ignored(key, "control_chars"))
        elif key == LANG_KEY and any(v not in LANG_LABELS.values() for v in values):
            dropped.append(Ignored(key, "invalid"))
    return dropped


def to_delete(dropped: list[Ignored]) -> list[str]:
    """Keys to remove from the URL: only unknown ones (a bound widget refuses its own bad values,
    and Streamlit forbids deleting a parameter bound to a widget)."""
    return [i.key for i in dropped if i.reason == "unknown"]


def cleared_by_widgets(
    before: Mapping[str, list[str]], after: Mapping[str, list[str]], dropped: list[Ignored]
) -> list[Ignored]:
    """Parameters a bound widget refused during the run (present before, gone after).

    Streamlit also drops a value that names the widget's default (defaults stay out of the
    URL); such a value was understood, so it is not reported.
    """
    already = {i.key for i in dropped}
    out = []
    for key, values in before.items():
        if key in already:
            continue
        if key not in after:
            if not names_the_default(key, values):
                out.append(Ignored(key, "invalid"))
            continue
        # a list parameter that kept some of its values (docs=柳州 2016&docs=nope): name the rest
        kept = after[key]
        lost = [v for v in dict.fromkeys(values) if v not in kept]
        if lost and len(set(kept)) < len(set(values)):
            out.append(Ignored(key, "invalid", ", ".join(lost)))
    return out


def bound(key: str, *default: str | bool) -> str:
    """`bind=` for a widget kept in the URL under `key`: records how the URL writes the widget's
    default (its formatted option(s), True/False for a toggle, nothing for an empty choice), so a
    link that names the default is understood rather than reported as ignored."""
    texts = frozenset(str(d).casefold() for d in default) or frozenset({""})
    st.session_state.setdefault(DEFAULTS_KEY, {})[key] = texts
    return "query-params"


def names_the_default(key: str, values: list[str]) -> bool:
    """Whether `values` is how the URL writes the default of the widget bound to `key` this run
    (as recorded by `bound`); an unrecorded widget's value is reported as ignored."""
    texts = st.session_state.get(DEFAULTS_KEY, {}).get(key)
    return bool(values) and texts is not None and {v.casefold() for v in values} == texts


def _printable(text: str, length: int) -> str:
    printable = "".join(ch if not _has_control_chars(ch) else "?" for ch in text)
    if len(printable) > length:
        return printable[:length] + "…"
    return printable


def shown_key(key: str) -> str:
    """A parameter name safe and short enough to show in a notice."""
    return _printable(key, SHOWN_LENGTH)


def shown_detail(item: Ignored) -> str:
    """': what was wrong' for the notice (Markdown-escaped, printable, short), or ''."""
    if not item.detail:
        return ""
    return ": " + md_escape(_printable(" ".join(item.detail.split()), DETAIL_LENGTH))


# --- parameters a page refused itself ----------------------------------------------------


def refuse(key: str, detail: str, reason: str = "invalid") -> None:
    """A page refused the value of a parameter it reads itself; app.py names it in its notice."""
    st.session_state.setdefault(REFUSED_KEY, []).append(Ignored(key, reason, detail))


def take_refused(dropped: list[Ignored]) -> list[Ignored]:
    """The parameters pages refused since the last notice, except keys already named."""
    named = {i.key for i in dropped}
    out: list[Ignored] = []
    for item in st.session_state.pop(REFUSED_KEY, []):
        if item.key not in named:
            named.add(item.key)
            out.append(item)
    return out
