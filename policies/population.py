"""What a scheme would cost a place: one document's totals summed over a population of carriers.

`summarise` turns `simulate_many`'s table (one row per carrier and document) into one row per
document: the total it would pay as an interval (no upper bound when any carrier's is open), how
many carriers get something for certain and how many might, and the split by recipient.
`synthetic_carriers` draws a seeded sample of plausible carriers for trying the view.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from policies.api import Batch, Readings, SimulationError, batch
from policies.profile_table import read_bytes

# One row per document, in this order (the recipient columns follow).
SUMMARY_COLUMNS = (
    "document",
    "in_force",
    "carriers",
    "paid_for_sure",
    "paid_possibly",
    "total_low",
    "total_high",
    "open_ended_carriers",
    "not_stated_carriers",
    "unstated_only_carriers",
)


def _sum_or_open(high: pd.Series) -> float | None:
    """The sum of the upper ends, or None when any of them is open-ended (null)."""
    return None if high.isna().any() else float(high.sum())


def unstated_only(frame: pd.DataFrame) -> pd.Series:
    """Rows whose only money has no stated amount: 0 computed, at least one clause unstated
    (such a row must never read as 'nothing')."""
    return (frame["low"] == 0) & (frame["high"].fillna(1) == 0) & (frame["not_stated"] > 0)


def recipients_paid(frame: pd.DataFrame, recipients: Sequence[str]) -> list[str]:
    """The recipients that might receive something from some carrier's clauses, in order."""
    out = []
    for r in recipients:
        high = frame.get(f"{r}_high")
        if high is not None and (high.isna().any() or (high.fillna(0) > 0).any()):
            out.append(r)
    return out


def summarise(frame: pd.DataFrame, recipients: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per document: totals over every carrier, carriers paid, split by recipient.

    `frame` is `simulate_many`'s output; `recipients` default to those its columns name.
    `paid_for_sure` counts carriers whose lower end is above zero; `paid_possibly` those whose
    upper end is above zero or open; `unstated_only_carriers` those whose only money has no
    stated amount. Recipient columns are `<recipient>_low` and `<recipient>_high` (null when
    some carrier's share is open-ended).
    """
    if recipients is None:
        ends = ("_low", "_high")
        named = [c[: -len("_low")] for c in frame.columns if c.endswith("_low")]
        recipients = [r for r in named if r != "across" and all(f"{r}{e}" in frame for e in ends)]
    rows: list[dict[str, Any]] = []
    for doc, part in frame.groupby("document", sort=False):
        high = part["high"]
        row: dict[str, Any] = {
            "document": str(doc),
            "in_force": bool(part["in_force"].all()),
            "carriers": int(len(part)),
            "paid_for_sure": int((part["low"] > 0).sum()),
            "paid_possibly": int((high.isna() | (high.fillna(0) > 0)).sum()),
            "total_low": float(part["low"].sum()),
            "total_high": _sum_or_open(high),
            "open_ended_carriers": int(high.isna().sum()),
            "not_stated_carriers": int((part["not_stated"] > 0).sum()),
            "unstated_only_carriers": int(unstated_only(part).sum()),
        }
        for r in recipients:
            row[f"{r}_low"] = float(part[f"{r}_low"].sum())
            row[f"{r}_high"] = _sum_or_open(part[f"{r}_high"])
        if "across_low" in part:
            row["across_low"] = float(part["across_low"].sum())
            row["across_high"] = _sum_or_open(part["across_high"])
        rows.append(row)
    columns = list(SUMMARY_COLUMNS) + [f"{r}_{end}" for r in recipients for end in ("low", "high")]
    if "across_low" in frame:
        columns += ["across_low", "across_high"]
    return pd.DataFrame(rows, columns=columns)


def cost_of(
    content: bytes,
    name: str,
    *,
    year: int | None = None,
    readings: Readings = None,
    interpretations: dict[str, str] | None = None,
    data: Path | str | None = None,
    max_rows: int | None = None,
) -> Batch:
    """An uploaded CSV/Parquet file of carriers (`name` gives its kind) through `batch`:
    the good rows computed, the bad ones returned with every problem; an unreadable file
    raises `SimulationError` naming it. Past `max_rows` rows nothing is computed: the result
    only says how many rows the file has."""
    try:
        records = read_bytes(content, name)
    except ValueError as err:
        raise SimulationError([str(err)]) from None
    if max_rows is not None and len(records) > max_rows:
        return Batch(pd.DataFrame(), (), len(records))
    return batch(
        pd.DataFrame(records),
        year=year,
        readings=readings,
        interpretations=interpretations,
        data=data,
    )


# A step up in recognition happens to a few carriers a year; most keep their level.
_LEVELS = ("none", "municipal", "provincial", "national")


def _carrier(rng: random.Random, number: int) -> dict[str, Any]:
    """One plausible carrier's year: mostly small numbers, a few recognitions and prizes."""
    before = rng.choices(_LEVELS, weights=(3, 4, 2, 1))[0]
    step = rng.random() < 0.15 and before != "national"
    after = _LEVELS[_LEVELS.index(before) + 1] if step else before
    converted = rng.random() < 0.3
    return {
        "profile_id": f"carrier-{number:04d}",
        "carrier_type": rng.choices(("incubator", "maker_space", "accelerator"), (5, 4, 1))[0],
        "level_before": before,
        "level_after": after,
        "converted_existing_building": converted,
        "renovation_cost": round(rng.uniform(50, 800), 1) if converted else 0.0,
        "rated_excellent": rng.random() < 0.1,
        "evaluation_grade_a": ["provincial"] if rng.random() < 0.08 else [],
        "new_high_tech_enterprises": min(rng.randint(0, 3) * (rng.random() < 0.5), 20),
        "new_tech_smes": rng.randint(0, 8),
        "graduated_enterprises": rng.randint(0, 3),
        "free_workspace_and_broadband": rng.random() < 0.4,
        "professional_carrier": rng.random() < 0.2,
        "first_angel_round_enterprises": rng.randint(0, 2) * (rng.random() < 0.3),
        "hosted_major_event": rng.random() < 0.05,
    }


def synthetic_carriers(n: int = 200, seed: int = 2024) -> list[dict[str, Any]]:
    """`n` synthetic carriers (seeded, so the same every time): for trying the view, not data."""
    rng = random.Random(seed)
    return [_carrier(rng, i) for i in range(1, n + 1)]
