"""Targets page helpers: one row per quantified target with honest value text, panels that never
mix units, and the deadlines of each document on a timeline. Pure: data in, frames out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

import pandas as pd

from components.display import doc_label
from components.i18n import pick, t
from policies.fmt import num
from policies.models import Atlas, Target, TargetKind, TargetNature

KINDS = get_args(TargetKind)
NATURES = get_args(TargetNature)
# The URL-bound widgets of the page (their keys are the query parameters).
VIEWS = ("chart", "timeline", "table")
# How a comparator is drawn: floor = at least (open above), ceiling = at most, range, exact.
SHAPES = {">=": "floor", ">": "floor", "=": "exact", "<=": "ceiling", "range": "range"}
# How a comparator is said: a plain figure (=) is the stated target figure (目标数), not a cap.
COMPARATOR_WORDS = {
    ">=": "at_least",
    ">": "more_than",
    "=": "stated",
    "<=": "at_most",
    "range": "range",
}
METRICS_IN_TOOLTIP = 160


UNITS = ("家", "个", "家次", "万平方米", "人次", "场", "名", "%", "学时", "学分")


def _panel_order(is_goal: bool, kind: str, unit: str) -> int:
    """Goals first, then quotas and requirements; by kind, then unit."""
    unit_rank = UNITS.index(unit) if unit in UNITS else len(UNITS)
    return ((0 if is_goal else 1) * len(KINDS) + KINDS.index(kind)) * (len(UNITS) + 1) + unit_rank


def unit_label(unit: str, lang: str) -> str:
    """家 in Chinese; 'units (家)' in English — the unit of the text is always shown."""
    return t(f"targets.unit.{unit}", lang)


def value_text(target: Target, lang: str) -> str:
    """'不少于 3家', '3–5家', '超过 340家', '力争 5家', '全覆盖 (100%)': the comparator in words
    (not ≥/>) and the unit kept."""
    unit = unit_label(target.unit, lang)
    gap = "" if lang == "zh" or target.unit == "%" else " "
    if target.comparator == "range":
        number = f"{num(target.value)}–{num(target.value_max or target.value)}"
    else:
        number = num(target.value)
        if target.comparator != "=":
            words = t(f"targets.comparator_{COMPARATOR_WORDS[target.comparator]}", lang)
            number = f"{words} {number}"
    text = f"{number}{gap}{unit}"
    if target.value_words:
        text = f"{target.value_words} ({text})"
    if target.aspiration:
        text = t("targets.aspiration_prefix", lang, text=text)
    return text


def target_rows(data: Atlas, lang: str) -> pd.DataFrame:
    """Every target in reading order ("of which" targets right after the target they are part of),
    with labels in `lang`, the panel it is drawn in and its source."""
    rows = []
    for doc_order, doc in enumerate(data.in_reading_order()):
        targets = doc.policy.targets
        position = {x.id: i for i, x in enumerate(targets)}
        by_id = {x.id: x for x in targets}
        for x in targets:
            parent = by_id.get(x.part_of) if x.part_of else None
            anchor = position[parent.id] if parent else position[x.id]
            metric = pick(x.metric_zh, x.metric_en, lang)
            is_goal = x.nature == "goal"
            kind_label = t(f"targets.kind_{x.kind}", lang)
            panel = f"{kind_label} · {unit_label(x.unit, lang)}"
            if not is_goal:
                panel = f"{panel} · {t('targets.not_goals', lang)}"
            deadline = x.deadline
            parent_label = pick(parent.metric_zh, parent.metric_en, lang) if parent else ""
            scope = pick(x.scope_zh, x.scope_en, lang) if (x.scope_zh or x.scope_en) else ""
            rows.append(
                {
                    "document": doc.id,
                    "doc_label": doc_label(doc, lang),
                    "id": x.id,
                    "kind": x.kind,
                    "kind_label": kind_label,
                    "unit": x.unit,
                    "unit_label": unit_label(x.unit, lang),
                    "panel": panel,
                    "panel_order": _panel_order(is_goal, x.kind, x.unit),
                    "nature": x.nature,
                    "nature_label": t(f"targets.nature_{x.nature}", lang),
                    "metric": metric,
                    "row": f"{doc_label(doc, lang)} · {'↳ ' if parent else ''}{metric}",
                    "order": (doc_order * len(targets) + anchor) * len(targets) + position[x.id],
                    "comparator": x.comparator,
                    "comparator_label": t(
                        f"targets.comparator_{COMPARATOR_WORDS[x.comparator]}", lang
                    ),
                    "shape": SHAPES[x.comparator],
                    "value": x.value,
                    "value_max": x.value_max,
                    "value_text": value_text(x, lang),
                    "aspiration": x.aspiration,
                    "aspiration_label": t(f"targets.flag_{'yes' if x.aspiration else 'no'}", lang),
                    "deadline": deadline,
                    "deadline_label": str(deadline) if deadline else t("targets.no_deadline", lang),
                    "basis": x.basis,
                    "basis_label": t(f"targets.basis_{x.basis}", lang),
                    "part_of": x.part_of or "",
                    "part_of_label": parent_label,
                    "scope": scope,
                    "interpretation": x.interpretation or "",
                    "section": x.section,
                    "quote": x.quote,
                    "restated": " | ".join(c.quote for c in x.restated),
                    "notes_en": x.notes_en or "",
                    "source": f"{doc.id} § {x.section}: 「{x.quote}」",
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["deadline"] = frame["deadline"].astype("Int64")
    frame["value_max"] = frame["value_max"].astype(float)
    return frame.sort_values("order", kind="stable").reset_index(drop=True)


def filter_targets(
    frame: pd.DataFrame,
    *,
    documents: Iterable[str] = (),
    kinds: Iterable[str] = (),
    natures: Iterable[str] = (),
) -> pd.DataFrame:
    """Keep the targets matching every filter; an empty filter keeps everything."""
    keep = pd.Series(True, index=frame.index)
    for column, chosen in (("document", documents), ("kind", kinds), ("nature", natures)):
        chosen = list(chosen)
        if chosen:
            keep &= frame[column].isin(chosen)
    return frame[keep]


def panel_order(frame: pd.DataFrame) -> list[str]:
    """The panel titles (one kind and one unit each: never two units on one axis), in order."""
    if frame.empty:
        return []
    firsts: dict[str, int] = {}
    for panel, order in zip(frame["panel"], frame["panel_order"], strict=True):
        firsts.setdefault(panel, order)
    return sorted(firsts, key=firsts.__getitem__)  # stable: ties keep first-seen order


EXPORT_COLUMNS = [
    "document", "id", "kind", "kind_label", "metric", "value_text", "comparator",
    "comparator_label", "value",
    "value_max", "unit", "aspiration", "deadline", "basis", "basis_label", "nature",
    "nature_label", "part_of", "scope", "interpretation", "section", "quote", "restated",
    "notes_en", "source",
]  # fmt: skip


def target_export(frame: pd.DataFrame) -> pd.DataFrame:
    """The targets as exported, every row with its quote and source."""
    return frame[EXPORT_COLUMNS]


def summary(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per document: targets, of which 'of which' sub-targets, goals, quotas and requirements.

    A sub-target is part of another target's figure, so it is never added to it.
    """
    counts: dict[str, dict[str, object]] = {}
    columns = ("document", "doc_label", "part_of", "nature", "aspiration")
    for doc_id, label, part_of, nature, aspiration in zip(
        *(frame[c] for c in columns), strict=True
    ):
        row = counts.setdefault(
            doc_id, {"label": label, "n": 0, "part": 0, "goal": 0, "rule": 0, "asp": 0}
        )
        row["n"] += 1
        row["part"] += part_of != ""
        row["goal"] += nature == "goal"
        row["rule"] += nature != "goal"
        row["asp"] += bool(aspiration)
    rows = [
        {
            t("common.document", lang): row["label"],
            t("targets.col_targets", lang): row["n"],
            t("targets.col_part_of", lang): int(row["part"]),
            t("targets.col_goals", lang): int(row["goal"]),
            t("targets.col_rules", lang): int(row["rule"]),
            t("targets.col_aspiration", lang): int(row["asp"]),
            "id": doc_id,
        }
        for doc_id, row in counts.items()
    ]
    return pd.DataFrame(rows)


def timeline(data: Atlas, frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(periods, deadlines): each document's plan period, and its target deadlines with counts.

    Dates: a period runs from 1 January of its first year to 31 December of its last; a deadline
    "到2022年" is drawn at the end of that year.
    """
    shown = set(frame["document"]) if not frame.empty else set()
    periods, deadlines = [], []
    for doc in data.in_reading_order():
        if doc.id not in shown:
            continue
        p = doc.provenance
        periods.append(
            {
                "document": doc.id,
                "doc_label": doc_label(doc, lang),
                "start": f"{p.period_start}-01-01",
                "end": f"{p.period_end}-12-31",
                "period": f"{p.period_start}–{p.period_end}",
            }
        )
        mine = frame[(frame["document"] == doc.id) & frame["deadline"].notna()]
        for year, group in mine.groupby("deadline"):
            listing = "; ".join(f"{r.metric} {r.value_text}" for r in group.itertuples())
            deadlines.append(
                {
                    "document": doc.id,
                    "doc_label": doc_label(doc, lang),
                    "date": f"{int(year)}-12-31",
                    "deadline": int(year),
                    "count": len(group),
                    "metrics": listing[:METRICS_IN_TOOLTIP]
                    + ("…" if len(listing) > METRICS_IN_TOOLTIP else ""),
                }
            )
    return pd.DataFrame(periods), pd.DataFrame(deadlines)
