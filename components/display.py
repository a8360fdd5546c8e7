"""How amounts, intervals and clauses are written on screen, in 万元, in either language."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from components.exports import csv_bytes
from components.i18n import current_lang, pick, t
from policies.fields import label, value_label
from policies.fmt import num
from policies.models import (
    AmountForm,
    Document,
    Fixed,
    Lookup,
    Percentage,
    PerUnit,
    Schedule,
)


def wan(value: float, lang: str | None = None) -> str:
    """A sum in 万元 with thousands separators: 1,035万元."""
    return f"{num(value)}{t('common.unit_wan', lang)}"


def interval_text(low: float | None, high: float | None, lang: str | None = None) -> str:
    """'exactly X', 'at least X', 'up to X' or 'X–Y' — never a ceiling shown as certain."""
    if low is None and high is None:
        return t("common.amount_not_stated", lang)
    low = low or 0.0
    if high is None:
        return t("common.at_least", lang, amount=wan(low, lang))
    if low == high:
        return t("common.exactly", lang, amount=wan(low, lang))
    if low == 0:
        return t("common.up_to", lang, amount=wan(high, lang))
    return t("common.between", lang, low=num(low), high=wan(high, lang))


def _bound(value: float, bound: str, suffix: str, lang: str | None) -> str:
    amount = wan(value, lang) + suffix
    if bound == "floor":
        return t("common.at_least", lang, amount=amount)
    if bound == "ceiling":
        return t("common.up_to", lang, amount=amount)
    return amount


def _cap(amount: AmountForm, lang: str | None) -> str:
    cap = getattr(amount, "cap", None)
    if cap is None:
        return ""
    key = {"year": "common.cap_per_year", "item": "common.cap_per_item"}.get(cap.per, "common.cap")
    return ", " + t(key, lang, amount=wan(cap.value, lang))


def _per(amount: AmountForm, period: str, inferred: bool, lang: str | None) -> str:
    """'/家' for a sum stated per carrier, then '/年' (marked when the text names no period)."""
    per = t("common.per_carrier", lang) if getattr(amount, "per_carrier", False) else ""
    if period == "per_year":
        per += t("common.per_year_inferred" if inferred else "common.per_year", lang)
    return per


def _fixed(a: Fixed, per: str, lang: str | None) -> str:
    """A stated sum, long or short alike: '至少 100万元/年', '补差 40 − 20 = 20万元'."""
    if a.difference_of:
        x, y = a.difference_of
        return t("common.difference_of", lang, a=num(x), b=num(y), value=wan(a.value, lang))
    return _bound(a.value, a.bound, per, lang)


def _per_unit_long(a: PerUnit, per: str, lang: str | None) -> str:
    return _bound(a.rate, a.bound, t("common.per_enterprise", lang), lang) + _cap(a, lang)


def _percentage_long(a: Percentage, per: str, lang: str | None) -> str:
    text = t("common.rate_of", lang, rate=num(a.rate_pct), base=label(a.base, lang or "zh"))
    if a.bound == "ceiling":
        text = t("common.up_to", lang, amount=text)
    return text + _cap(a, lang)


def _schedule_long(a: Schedule, per: str, lang: str | None) -> str:
    rates = "/".join(f"{num(r)}%" for r in a.rates_pct)
    base = label(a.base, lang or "zh")
    text = t("common.schedule", lang, rates=rates, base=base, years=len(a.rates_pct))
    return text + _cap(a, lang)


def _lookup_long(a: Lookup, per: str, lang: str | None) -> str:
    entries = ", ".join(
        f"{' '.join(value_label(p, lang or 'zh') for p in key.split('/'))} {wan(v, lang)}"
        for key, v in a.table.items()
    )
    return t("common.table_of", lang, entries=entries)


def amount_text(
    amount: AmountForm, period: str = "one_off", lang: str | None = None, inferred: bool = False
) -> str:
    """One line that states an amount honestly: '≥ 100万元', '20% of cost, capped at 200万元'.

    `inferred` marks a yearly period the text does not state."""
    return _worded(amount, period, inferred, lang, long=True)


# --- compact amounts, Markdown escaping, CSV, URL-bound widgets (research pages) -----------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=^%\"'/@?])")


def md_escape(text: str) -> str:
    """Escape text for st.markdown so that it shows literally (no emphasis, links, maths …).

    Every ASCII punctuation mark Markdown or Streamlit's extensions could read is backslash-
    escaped; leading ASCII blanks (which would start a code block) are dropped and single line
    breaks become hard breaks, so the layout of the source survives. Not HTML: nothing is built.
    """
    lines = [_MD_SPECIAL.sub(r"\\\1", line.lstrip(" \t")) for line in text.split("\n")]
    return "  \n".join(lines)


def _short_cap(amount: AmountForm, lang: str | None) -> str:
    cap = getattr(amount, "cap", None)
    if cap is None:
        return ""
    per = {"year": t("common.per_year", lang), "item": t("common.per_item", lang)}.get(cap.per, "")
    return ", " + t("common.up_to", lang, amount=wan(cap.value, lang) + per)


def _per_unit_short(a: PerUnit, per: str, lang: str | None) -> str:
    rate = _bound(a.rate, a.bound, t("common.per_enterprise", lang), lang)
    return rate + _short_cap(a, lang)


def _percentage_short(a: Percentage, per: str, lang: str | None) -> str:
    text = f"{num(a.rate_pct)}% × {label(a.base, lang or 'zh')}"
    if a.bound == "ceiling":
        text = t("common.up_to", lang, amount=text)
    return text + _short_cap(a, lang)


def _schedule_short(a: Schedule, per: str, lang: str | None) -> str:
    rates = "/".join(f"{num(r)}%" for r in a.rates_pct)
    return f"{rates} × {label(a.base, lang or 'zh')}" + _short_cap(a, lang)


def _lookup_short(a: Lookup, per: str, lang: str | None) -> str:
    lang_ = lang or "zh"
    sep = "" if lang_ == "zh" else " "
    return " · ".join(
        f"{sep.join(value_label(part, lang_) for part in key.split('/'))} {wan(v, lang)}"
        for key, v in a.table.items()
    )


def amount_short(
    amount: AmountForm, period: str = "one_off", lang: str | None = None, inferred: bool = False
) -> str:
    """The amount in a few words for tables and lists: '至少 100万元', '20% × 改造实际费用,
    最多 200万元' (bounds in words, not ≥/≤); a qualitative clause reads 'amount not stated',
    never 0.
    """
    return _worded(amount, period, inferred, lang, long=False)


def _worded(amount: AmountForm, period: str, inferred: bool, lang: str | None, long: bool) -> str:
    """The amount in its kind's words; a sum part by part, joined with '+' (a part's period is
    never marked inferred)."""
    pieces = amount.pieces()
    inferred = inferred and len(pieces) == 1
    which = 0 if long else 1
    return " + ".join(
        WORDING[p.kind][which](p, _per(p, period, inferred, lang), lang) for p in pieces
    )


Words = Callable[[Any, str, "str | None"], str]

# Each amount kind's wording, long (sentences) and short (symbols), in both languages through
# the locale strings; a test checks that every kind of the model has both. A sum of parts is
# worded part by part.
WORDING: dict[str, tuple[Words, Words]] = {
    "fixed": (_fixed, _fixed),
    "range": (
        lambda a, per, lang: (
            t("common.between", lang, low=num(a.low), high=wan(a.high, lang)) + per
        ),
        lambda a, per, lang: f"{num(a.low)}–{wan(a.high, lang)}{per}",
    ),
    "per_unit": (_per_unit_long, _per_unit_short),
    "percentage": (_percentage_long, _percentage_short),
    "schedule": (_schedule_long, _schedule_short),
    "lookup": (_lookup_long, _lookup_short),
    "modifier": (
        lambda a, per, lang: t("common.modifier", lang, pct=num(a.uplift_pct)),
        lambda a, per, lang: (
            t("common.amount_not_stated", lang)
            + t("common.modifier_short", lang, pct=num(a.uplift_pct))
        ),
    ),
    "not_stated": (
        lambda a, per, lang: t("common.amount_not_stated", lang),
        lambda a, per, lang: t("common.amount_not_stated", lang),
    ),
}


LANG_SEEN_KEY = "_bound_widgets_lang"


def rebind_on_language_change(keys: list[str]) -> None:
    """Keep URL-bound widgets' query parameters valid when the language changes.

    A widget bound with bind="query-params" writes its *formatted* label to the URL; after a
    language switch that label is stale and a shared link would lose the view. Re-assigning the
    widget's own value before it is drawn makes Streamlit write the label in the new language.
    Call at the top of a page, before its bound widgets.
    """
    lang = current_lang()
    if st.session_state.get(LANG_SEEN_KEY) not in (None, lang):
        for key in keys:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state[LANG_SEEN_KEY] = lang


def doc_label(doc: Document, lang: str | None = None) -> str:
    """A document's short name in the current language: 柳州 2019 / Liuzhou 2019."""
    return pick(doc.policy.short_zh, doc.policy.short_en, lang)


def download_csv(frame: pd.DataFrame, name: str, key: str) -> None:
    """A 'Download CSV' button for one table (UTF-8 with BOM); a click does not rerun the page.
    The file is written when the button is clicked, not on every run."""
    st.download_button(
        t("common.download_csv"),
        partial(csv_bytes, frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def quote_markdown(quote: str, lang: str) -> str:
    """A verbatim quote as an escaped Markdown block quote; in English labelled as the original."""
    body = "\n".join(f"> {line}" for line in md_escape(quote).split("\n"))
    if lang == "zh":
        return body
    return f"*{t('common.original_quote', lang)}:*\n\n{body}"
