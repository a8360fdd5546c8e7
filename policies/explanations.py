"""The engine's one-line explanations in both languages: every sentence pattern in one table.

The engine computes; this module words. A pattern's slots take plain values (numbers already
formatted) or a `Why`, whose Chinese half fills the Chinese pattern and English half the English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Why:
    """One explanation in both languages."""

    zh: str
    en: str

    def __add__(self, other: Why) -> Why:
        return Why(f"{self.zh};{other.zh}", f"{self.en}; {other.en}")


NO_WHY = Why("", "")

# key -> (Chinese pattern, English pattern); slots in braces.
SENTENCES: dict[str, tuple[str, str]] = {
    # the bound a stated figure carries, written before it
    "bound.exact": ("", ""),
    "bound.floor": ("不低于 ", "at least "),
    "bound.ceiling": ("最高 ", "up to "),
    # caps
    "cap.over": (" > 上限 {cap} → {cap}", " > cap {cap} → {cap}"),
    "cap.within": (" ≤ 上限 {cap}", " ≤ cap {cap}"),
    # one pattern per amount kind
    "fixed.exact": ("定额 {value}", "exactly {value}"),
    "fixed.bounded": ("{bound}{value}", "{bound}{value}"),
    "fixed.top_up": ("补差 {high} − {low} = {value}", "top-up {high} − {low} = {value}"),
    "range": ("区间 {low}–{high}", "range {low}–{high}"),
    "per_unit": (
        "{bound}{rate} × {count} 家 = {raw}{cap}",
        "{bound}{rate} × {count} = {raw}{cap}",
    ),
    "per_unit.distinct": (
        "{bound}{rate} × {fewest}–{most} 家(同一家可能兼有两项,每家只计一次)"
        " = {low}{low_cap} 至 {high}{high_cap}",
        "{bound}{rate} × {fewest}–{most} (one enterprise may count under both;"
        " each is paid once) = {low}{low_cap} to {high}{high_cap}",
    ),
    "percentage": ("{bound}{rate}% × {base} = {raw}{cap}", "{bound}{rate}% × {base} = {raw}{cap}"),
    "schedule.year": (
        "第{year}年 {rate}% × {base} = {raw}{cap}",
        "year {year} {rate}% × {base} = {raw}{cap}",
    ),
    "schedule.after": ("第{year}年起不补", "nothing from year {year}"),
    "schedule.total": ("合计 {total}", "total {total}"),
    # conditions
    "condition.failed": (
        "{field} {current},需 {op} {value}",
        "{field} {current}, needs {op} {value}",
    ),
    "condition.when": ("{when}:{text}", "{when}: {text}"),
    "condition.because": ("{text}({because})", "{text} ({because})"),
    "condition.undefined": ("{field} 无法计算{hint}", "{field} cannot be computed{hint}"),
    "condition.suggestion": (":{field} {value} 即可", ": {field} of {value} would qualify"),
    # list entries (prizes, grades)
    "item.not_in_table": ("{entry} 不在奖励表中", "{entry} is not in the award table"),
    "item.none": ("无{items}", "no {items}"),
    "item.not_counted": ("不计:{failures}", "not counted: {failures}"),
    "item.only_highest": ("只取最高 {value}", "only the highest, {value}"),
    # the clause as a whole
    "clause.excluded": ("此解读下不适用", "excluded under this reading"),
    "clause.not_stated": ("符合条件,但文件未写明金额", "eligible; amount not stated ({form})"),
    "clause.not_government": ("非政府资金,不计入合计", "not government money; not in the totals"),
    # when the money is paid
    "paid.by_year": (
        "第 k 年的部分计入第 k 年(原文写的是计算基数所属的年份,未写支付时间)",
        "year k's part is counted in year k (the text names the year of the base, "
        "not when it is paid)",
    ),
    "paid.this_year": ("当年", "this year"),
    "paid.next_year": ("次年", "the following year"),
    "paid.years_later": ("{years} 年后", "{years} years later"),
    "paid.within": (
        "自{when}起 {years} 年内支付,具体年份未写明(原文:“{words}”)",
        "paid within {years} years from {when}; the year is not stated",
    ),
    "paid.once": ("于{when}支付(原文:“{words}”)", "paid {when}"),
}


def say(key: str, **slots: object) -> Why:
    """The sentence `key` with its slots filled, in both languages."""
    zh, en = SENTENCES[key]
    return Why(
        zh.format(**{k: v.zh if isinstance(v, Why) else v for k, v in slots.items()}),
        en.format(**{k: v.en if isinstance(v, Why) else v for k, v in slots.items()}),
    )


def joined(parts: Iterable[Why]) -> Why:
    """Several explanations as one, in the separators `Why.__add__` uses (none when empty)."""
    items = list(parts)
    return Why(";".join(p.zh for p in items), "; ".join(p.en for p in items))
