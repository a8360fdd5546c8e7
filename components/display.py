"""How amounts, intervals and clauses are written on screen, in 万元, in either language."""

from __future__ import annotations

from components.i18n import pick, t
from policies.fields import label, value_label
from policies.fmt import num
from policies.models import (
    AmountForm,
    Clause,
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


def amount_text(amount: AmountForm, period: str = "one_off", lang: str | None = None) -> str:
    """One line that states an amount honestly: '≥ 100万元', '20% of cost, capped at 200万元'."""
    lang_ = lang
    per = t("common.per_year", lang_) if period == "per_year" else ""
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


def clause_title(clause: Clause, lang: str | None = None) -> str:
    """The clause's title in the current language."""
    return pick(clause.title_zh, clause.title_en, lang)
