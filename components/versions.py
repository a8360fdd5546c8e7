"""Two documents side by side (a policy and its later version): what changed, by category
(money clauses) and by kind (targets)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from components.compare import source_text
from components.display import doc_label
from components.i18n import pick, t
from components.targets import value_text
from policies.models import Atlas, Target

CHANGES = ("added", "dropped", "changed", "unchanged")


def _target_line(target: Target, lang: str) -> str:
    return f"{pick(target.metric_zh, target.metric_en, lang)} {value_text(target, lang)}"


def _change(old: list[str], new: list[str]) -> str:
    if old and not new:
        return "dropped"
    if new and not old:
        return "added"
    return "unchanged" if sorted(old) == sorted(new) else "changed"


@dataclass(frozen=True)
class VersionDiff:
    """What changed between two documents, by category (clauses) and by kind (targets)."""

    categories: pd.DataFrame  # one row per category: change, older and newer amounts
    clauses: pd.DataFrame  # one row per clause of either document, with its category's change
    targets: pd.DataFrame  # one row per target kind: change, older and newer targets
    counts: dict[str, int]


def version_diff(
    data: Atlas, older_id: str, newer_id: str, frame: pd.DataFrame, lang: str
) -> VersionDiff:
    """Match the two documents' clauses by shared category and their targets by kind.

    A category only the older document has is 'dropped', one only the newer has is 'added', one
    both have is 'changed' unless the same amounts are stated. Built from the data, not prose.
    `frame` holds the (filtered) clause rows of `clause_rows`.
    """
    tax = data.taxonomy
    older, newer = data.document(older_id), data.document(newer_id)
    sub = {doc_id: frame[frame["document"] == doc_id] for doc_id in (older_id, newer_id)}
    cat_rows, clause_list = [], []
    for cat, label in tax.categories.items():
        old = sub[older_id][sub[older_id]["category"] == cat]
        new = sub[newer_id][sub[newer_id]["category"] == cat]
        if old.empty and new.empty:
            continue
        change = _change(list(old["amount"]), list(new["amount"]))
        change_label = t(f"compare.change_{change}", lang)
        cat_rows.append(
            {
                "category": cat,
                "category_label": pick(label.zh, label.en, lang),
                "change": change,
                "change_label": change_label,
                "older": _lines(old, lang),
                "newer": _lines(new, lang),
                "older_n": len(old),
                "newer_n": len(new),
                "source": " | ".join([*old["source"], *new["source"]]),
            }
        )
        for version, rows in ((older, old), (newer, new)):
            for row in rows.itertuples():
                clause_list.append(
                    {
                        "category_label": row.category_label,
                        "change": change,
                        "change_label": change_label,
                        "version": doc_label(version, lang),
                        "document": row.document,
                        "id": row.id,
                        "title": row.title,
                        "amount": row.amount,
                        "recipient_label": row.recipient_label,
                        "section": row.section,
                        "quote": row.quote,
                        "source": row.source,
                    }
                )
    kinds_old = _by_kind(older.policy.targets)
    kinds_new = _by_kind(newer.policy.targets)
    target_rows = []
    for kind in dict.fromkeys([*kinds_old, *kinds_new]):
        old_lines = [_target_line(x, lang) for x in kinds_old.get(kind, [])]
        new_lines = [_target_line(x, lang) for x in kinds_new.get(kind, [])]
        change = _change(old_lines, new_lines)
        target_rows.append(
            {
                "kind": kind,
                "kind_label": t(f"targets.kind_{kind}", lang),
                "change": change,
                "change_label": t(f"compare.change_{change}", lang),
                "older": "; ".join(old_lines) or t("common.no_equivalent", lang),
                "newer": "; ".join(new_lines) or t("common.no_equivalent", lang),
                "source": " | ".join(
                    source_text(d.id, x.section, x.quote)
                    for d, group in ((older, kinds_old), (newer, kinds_new))
                    for x in group.get(kind, [])
                ),
            }
        )
    counts = {
        "older_total": len(older.policy.government_clauses),
        "older_quantified": sum(c.status == "quantified" for c in older.policy.government_clauses),
        "newer_total": len(newer.policy.government_clauses),
        "newer_quantified": sum(c.status == "quantified" for c in newer.policy.government_clauses),
    }
    for change in CHANGES:
        counts[change] = sum(r["change"] == change for r in cat_rows)
    return VersionDiff(
        categories=pd.DataFrame(cat_rows),
        clauses=pd.DataFrame(clause_list),
        targets=pd.DataFrame(target_rows),
        counts=counts,
    )


def _lines(rows: pd.DataFrame, lang: str) -> str:
    if rows.empty:
        return t("common.no_equivalent", lang)
    return "; ".join(f"{r.title}: {r.amount}" for r in rows.itertuples())


def _by_kind(targets: list[Target]) -> dict[str, list[Target]]:
    out: dict[str, list[Target]] = {}
    for target in targets:
        out.setdefault(target.kind, []).append(target)
    return out
