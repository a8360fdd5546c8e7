"""Number and interval formatting shared by the engine's explanations and the app."""

from __future__ import annotations

import math


def num(value: float) -> str:
    """A number the way policy readers write it: thousands separators, no trailing zeros."""
    if value is None or not math.isfinite(value):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def interval(low: float, high: float | None, unit: str = "万元") -> str:
    """'exactly X', 'X–Y', 'at least X' or 'up to Y' in compact symbolic form."""
    if high is None:
        return f"≥ {num(low)}{unit}"
    if low == high:
        return f"{num(low)}{unit}"
    if low == 0:
        return f"≤ {num(high)}{unit}"
    return f"{num(low)}–{num(high)}{unit}"
