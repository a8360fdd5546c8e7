"""How amounts, intervals and clauses are written on screen, in 万元, in either language."""

from __future__ import annotations

import re
from functools import partial

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
    Modifier,
    NotStated,
    Percentage,
    PerUnit,
    Range,
    Schedule,
    SumOf,
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


def amount_text(
    amount: AmountForm, period: str = "one_off", lang: str | None = None, inferred: bool = False
) -> str:
    """One line that states an amount honestly: '≥ 100万元', '20% of cost, capped at 200万元'.

    `inferred` marks a yearly period the text does not state."""
    lang_ = lang
    per = _per(amount, period, inferred, lang_)
    if isinstance(amount, Fixed):
        if amount.difference_of:
            a, b = amount.difference_of
            return t(
                "common.difference_of", lang_, a=num(a), b=num(b), value=wan(amount.value, lang_)
            )
        return _bound(amount.value, amount.bound, per, lang_)
    if isinstance(amount, Range):
        return t("common.between", lang_, low=num(amount.low), high=wan(amount.high, lang_)) + per
    if isinstance(amount, PerUnit):
        unit = t("common.per_enterprise", lang_)
        return _bound(amount.rate, amount.bound, unit, lang_) + _cap(amount, lang_)
    if isinstance(amount, Percentage):
        base = label(amount.base, lang_ or "zh")
        text = t("common.rate_of", lang_, rate=num(amount.rate_pct), base=base)
        if amount.bound == "ceiling":
            text = t("common.up_to", lang_, amount=text)
        return text + _cap(amount, lang_)
    if isinstance(amount, Schedule):
        rates = "/".join(f"{num(r)}%" for r in amount.rates_pct)
        base = label(amount.base, lang_ or "zh")
        text = t("common.schedule", lang_, rates=rates, base=base, years=len(amount.rates_pct))
        return text + _cap(amount, lang_)
    if isinstance(amount, Lookup):
        entries = ", ".join(
            f"{' '.join(value_label(p, lang_ or 'zh') for p in key.split('/'))} {wan(v, lang_)}"
            for key, v in amount.table.items()
        )
        return t("common.table_of", lang_, entries=entries)
    if isinstance(amount, SumOf):
        return " + ".join(amount_text(p, period, lang_) for p in amount.parts)
    if isinstance(amount, Modifier):
        return t("common.modifier", lang_, pct=num(amount.uplift_pct))
    if isinstance(amount, NotStated):
        return t("common.amount_not_stated", lang_)
    raise TypeError(f"unknown amount kind {amount.kind!r}")


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


def _short_bound(value: float, bound: str, lang: str | None) -> str:
    amount = wan(value, lang)
    return {"floor": f"≥ {amount}", "ceiling": f"≤ {amount}"}.get(bound, amount)


def _short_cap(amount: AmountForm, lang: str | None) -> str:
    cap = getattr(amount, "cap", None)
    if cap is None:
        return ""
    per = {"year": t("common.per_year", lang), "item": t("common.per_item", lang)}.get(cap.per, "")
    return f", ≤ {wan(cap.value, lang)}{per}"


def amount_short(
    amount: AmountForm, period: str = "one_off", lang: str | None = None, inferred: bool = False
) -> str:
    """The amount in compact symbols for tables and charts: '≥ 100万元', '20% × cost, ≤ 200万元'.

    Floors read ≥, ceilings ≤; a qualitative clause reads 'amount not stated', never 0.
    """
    lang_ = lang or "zh"
    per = _per(amount, period, inferred, lang)
    if isinstance(amount, Fixed):
        if amount.difference_of:
            a, b = amount.difference_of
            value = wan(amount.value, lang)
            return t("common.difference_of", lang, a=num(a), b=num(b), value=value)
        return _short_bound(amount.value, amount.bound, lang) + per
    if isinstance(amount, Range):
        return f"{num(amount.low)}–{wan(amount.high, lang)}{per}"
    if isinstance(amount, PerUnit):
        rate = _short_bound(amount.rate, amount.bound, lang) + t("common.per_enterprise", lang)
        return rate + _short_cap(amount, lang)
    if isinstance(amount, Percentage):
        text = f"{num(amount.rate_pct)}% × {label(amount.base, lang_)}"
        if amount.bound == "ceiling":
            text = f"≤ {text}"
        return text + _short_cap(amount, lang)
    if isinstance(amount, Schedule):
        rates = "/".join(f"{num(r)}%" for r in amount.rates_pct)
        return f"{rates} × {label(amount.base, lang_)}" + _short_cap(amount, lang)
    if isinstance(amount, Lookup):
        sep = "" if lang_ == "zh" else " "
        return " · ".join(
            f"{sep.join(value_label(part, lang_) for part in key.split('/'))} {wan(v, lang)}"
            for key, v in amount.table.items()
        )
    if isinstance(amount, SumOf):
        return " + ".join(amount_short(p, period, lang) for p in amount.parts)
    if isinstance(amount, Modifier):
        uplift = t("common.modifier_short", lang, pct=num(amount.uplift_pct))
        return t("common.amount_not_stated", lang) + uplift
    if isinstance(amount, NotStated):
        return t("common.amount_not_stated", lang)
    raise TypeError(f"unknown amount kind {amount.kind!r}")


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
