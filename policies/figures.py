"""Figures in a source text: amounts and target figures, the sentences that carry them, their
section path and the bound words around them.

Shared by `coverage` (is every figure cited or dismissed?) and `draft` (one stub per sentence).
A figure is a number written in digits, or in Chinese numerals, followed by a unit that makes it
an amount (元, 万元, %, 倍, per m²) or a count a target would state (家, 个, 万平方米 …). Years,
dates, document numbers and ordinals (第7次) carry no unit of that kind and are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONEY_UNITS = ("亿元", "万元", "元", "%", "％", "倍")
COUNT_UNITS = (
    "万平方米",
    "平方米",
    "㎡",
    "家次",
    "人次",
    "家",
    "个",
    "名",
    "场",
    "项",
    "学时",
    "学分",
)
_DIGITS = r"\d+(?:\.\d+)?"
_CN = "零一二三四五六七八九十百千两"
_UNIT = "|".join(re.escape(u) for u in MONEY_UNITS + COUNT_UNITS)
# A digit number, optionally a range (3-5家), optionally 万/亿 before the unit; not after 第
# (an ordinal) and not the tail of a longer number.
FIGURE = re.compile(
    rf"(?<![\d.第])(?:{_DIGITS}\s*[-—–~至]\s*)?{_DIGITS}\s*(?:万|亿)?\s*(?:{_UNIT})"
    rf"|(?<![{_CN}第])[{_CN}]+(?:万|亿)?(?:{_UNIT})"
)
_MONEY = re.compile(r"元|%|％|倍")
# A lone 一 before a counting word is an article (一家企业, 一个平台), not a figure.
_ARTICLE = re.compile(rf"^一(?:{'|'.join(re.escape(u) for u in COUNT_UNITS)})$")

SENTENCE_END = "。;;!?!?\n"
_SPACES = " \u3000\xa0\t"

# Words that say how a figure bounds the amount or which of several figures applies.
BOUND_WORDS = (
    "不低于",
    "不少于",
    "不高于",
    "不超过",
    "最高",
    "最多",
    "最低",
    "以上",
    "以下",
    "以内",
    "超过",
    "达到",
    "分别",
    "补差",
    "差额",
    "累计",
    "每年",
    "每家",
    "每个",
    "每月",
    "每平方米",
    "按照",
    "比例",
    "第一年",
    "前三年",
    "可给予",
    "倍",
)

# Section headings: 一、  (一)/(一)  1./1 .  — each opens a deeper level than the one before.
_TITLE = r"[^,,。;;:: \n((\d]{0,24}"
_HEADINGS = (
    re.compile(rf"(?:^|(?<=[\n \u3000\xa0。;;::]))[一二三四五六七八九十]+、{_TITLE}"),
    re.compile(rf"[((][一二三四五六七八九十]+[))]{_TITLE}"),
    re.compile(rf"(?<![\d.])\d{{1,2}}\s?[..](?!\d){_TITLE}"),
)


@dataclass(frozen=True)
class Figure:
    """One figure in the text: where it stands and how it is written."""

    start: int
    end: int
    text: str

    @property
    def money(self) -> bool:
        """True for an amount or a rate (元, %, 倍); False for a count or an area."""
        return _MONEY.search(self.text) is not None


@dataclass(frozen=True)
class Sentence:
    """A sentence of the source (delimited by 。;!? or a line or paragraph break)."""

    start: int
    end: int
    text: str
    figures: tuple[Figure, ...]


def figures(text: str) -> list[Figure]:
    """Every amount or target figure in the text, in order."""
    out = []
    for m in FIGURE.finditer(text):
        if _ARTICLE.match(m.group()):
            continue
        out.append(Figure(m.start(), m.end(), m.group()))
    return out


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around position `pos`, without surrounding spaces."""
    start = max(text.rfind(ch, 0, pos) for ch in SENTENCE_END + _SPACES) + 1
    ends = [i for i in (text.find(ch, pos) for ch in SENTENCE_END + _SPACES) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    while end > start and text[end - 1] in _SPACES + "\n":
        end -= 1
    return start, end


def sentences_with_figures(text: str) -> list[Sentence]:
    """The sentences that carry at least one figure, each with its figures, in order."""
    grouped: dict[tuple[int, int], list[Figure]] = {}
    for fig in figures(text):
        grouped.setdefault(_sentence_bounds(text, fig.start), []).append(fig)
    return [Sentence(s, e, text[s:e], tuple(figs)) for (s, e), figs in grouped.items()]


def section_path(text: str, pos: int) -> str:
    """The headings in force at `pos` ("三、重点任务 > (二)… > 5.强化科技金融供给"), a guess."""
    path: list[str] = []
    spans: list[tuple[int, int, str]] = []
    for level, pattern in enumerate(_HEADINGS):
        for m in pattern.finditer(text, 0, pos):
            spans.append((m.start(), level, re.sub(r"\s", "", m.group())))
    for _, level, heading in sorted(spans):
        del path[level:]
        path.extend([""] * (level - len(path)))
        path.append(heading)
    return " > ".join(p for p in path if p)


def bound_words(sentence: str) -> list[str]:
    """The bound and distribution words of a sentence, in the order of BOUND_WORDS."""
    return [w for w in BOUND_WORDS if w in sentence]


def suggested_kind(sentence: str, found: tuple[Figure, ...]) -> str:
    """A suggestion of the amount kind for a sentence, in words; a question, never an answer."""
    if not any(f.money for f in found):
        return "target (a count or an area): targets[], or dismissed: if it sets no goal"
    money = [f for f in found if f.money]
    rates = [f for f in money if "%" in f.text or "％" in f.text]
    if "倍" in sentence:
        return "multiplier of another clause's standard (倍)"
    if "补差" in sentence or "差额" in sentence:
        return "fixed with difference_of, or an offset against support already received"
    if re.search(r"第[一二三四五]年|前[二三四五]年", sentence) and rates:
        return "schedule (year-by-year rates of a yearly base)"
    if "平方米" in sentence and not rates:
        return "area × rate per m² (per month or year)"
    if "分别" in sentence and len(money) > 1:
        return "lookup or tiers (分别: one amount per class)"
    if rates:
        return "percentage of a base" + (", with a cap" if len(money) > len(rates) else "")
    if re.search(r"每(?:家|个|名|项|引进|新增|认定|培育)", sentence):
        return "per_unit (rate × count)"
    if any(w in sentence for w in ("不低于", "不少于")):
        return "fixed, bound floor"
    if any(w in sentence for w in ("最高", "不超过", "不高于", "最多")):
        return "fixed, bound ceiling"
    if re.search(r"\d\s*[-—–~至]\s*\d", sentence):
        return "range"
    return "fixed"
