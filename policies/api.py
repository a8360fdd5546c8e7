"""The public Python API: one profile, many profiles, and the data as tables.

    import policies
    policies.simulate({"level_before": "municipal", "level_after": "provincial"})
    frame = policies.simulate_many("carriers.csv", year=2024)
    data = policies.load(); data.clauses.head()

`simulate` returns exactly the object `python -m policies simulate --format json` prints;
`simulate_many` returns totals only (no per-line explanations), one row per (profile, document).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from policies.batch import OPEN, population_totals
from policies.engine import Engine, InterpretationError
from policies.loader import DATA_DIR, load_all
from policies.models import Atlas
from policies.profile import Profile, ProfileError, parse_profile, parse_profile_json
from policies.profile_table import ID_COLUMN, Row, records_of, row_profile, validate_rows
from policies.readings import with_across
from policies.tables import COLUMNS, tables

Readings = Literal["all"] | None
Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]

# The columns of `simulate_many`, before the two per recipient and the optional range
# (across_low, across_high, across_open_ended).
BASE_COLUMNS = ("profile_id", "document", "low", "high", "open_ended", "in_force", "not_stated")


class SimulationError(ValueError):
    """Input that cannot be simulated; `problems` lists every one as `where: problem` text."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class RejectedRowsWarning(UserWarning):
    """Some rows of a batch were not valid profiles; the others were computed."""


@dataclass(frozen=True)
class Data:
    """The validated data: the models themselves and the three public tables."""

    atlas: Atlas
    documents: pd.DataFrame
    clauses: pd.DataFrame
    targets: pd.DataFrame
    data_version: str


@dataclass(frozen=True)
class Batch:
    """A batch's result: the table, the rows rejected (number and every problem), rows read."""

    frame: pd.DataFrame
    rejected: tuple[Row, ...]
    rows_read: int

    def problems(self) -> list[str]:
        """One `row N (id): field: problem` line per problem (rows counted from 1; the id when
        the row has its own `profile_id`)."""
        return [
            f"row {r.number}{_named(r)}: {where}: {why}"
            for r in self.rejected
            for where, why in r.problems
        ]


def _named(row: Row) -> str:
    """' (C042)' for a row with its own id, '' for one numbered only."""
    return f" ({row.profile_id})" if row.profile_id != str(row.number) else ""


def _tree_stamp(root: Path) -> tuple[float, ...]:
    """Modification times of the data files, so an edited tree is read again."""
    return tuple(p.stat().st_mtime for p in sorted(root.rglob("*")) if p.is_file())


@lru_cache(maxsize=4)
def _atlas(root: Path, stamp: tuple[float, ...]) -> Atlas:
    return load_all(root)


@lru_cache(maxsize=16)
def _cached_engine(
    root: Path, stamp: tuple[float, ...], choices: tuple[tuple[str, str], ...]
) -> Engine:
    return Engine(_atlas(root, stamp), dict(choices))


def _root(data: Path | str | None) -> Path:
    return Path(data).resolve() if data is not None else DATA_DIR


def _load_atlas(data: Path | str | None) -> Atlas:
    root = _root(data)
    return _atlas(root, _tree_stamp(root))


def _engine(data: Path | str | None, interpretations: Mapping[str, str] | None) -> Engine:
    """An engine for the data and readings, prepared once and reused while the data is unchanged."""
    root = _root(data)
    choices = tuple(sorted((interpretations or {}).items()))
    try:
        return _cached_engine(root, _tree_stamp(root), choices)
    except InterpretationError as err:
        raise SimulationError(list(err.problems)) from None


def _check_readings(readings: Readings) -> None:
    if readings not in (None, "all"):
        raise SimulationError([f"readings: expected None or 'all', got {readings!r}"])


def _one_profile(profile: Profile | Mapping[str, Any] | pd.Series | str | Path) -> Profile:
    """A profile from a model, a dict, or the path of a JSON file; every problem listed."""
    try:
        if isinstance(profile, Profile):
            return profile
        if isinstance(profile, (str, Path)):
            path = Path(profile)
            try:
                return parse_profile_json(path.read_bytes())
            except OSError as err:
                raise SimulationError([f"{path}: cannot be read ({err.strerror})"]) from None
        # A row of a table may carry its id: the same dict works in simulate and simulate_many.
        if isinstance(profile, pd.Series):  # a row of a table: its cells read by the table's rules
            row = row_profile(1, profile.to_dict(), cells=True)
            if row.profile is None:
                raise ProfileError(list(row.problems))
            return row.profile
        if isinstance(profile, Mapping):
            profile = {k: v for k, v in profile.items() if k != ID_COLUMN}
        return parse_profile(profile)
    except ProfileError as err:
        raise SimulationError([f"{where}: {why}" for where, why in err.problems]) from None


def simulate(
    profile: Profile | Mapping[str, Any] | pd.Series | str | Path,
    *,
    year: int | None = None,
    readings: Readings = None,
    interpretations: Mapping[str, str] | None = None,
    data: Path | str | None = None,
) -> dict[str, Any]:
    """One profile against every document: the object `simulate --format json` prints.

    `profile` is a dict (a `profile_id` key is ignored), a row of a table (`frame.iloc[i]`, its
    cells read like `simulate_many` reads them), a `Profile` or the path of a profile JSON file;
    `readings="all"` adds
    each document's range over every reading; `interpretations` switches readings (id → choice).
    Raises `SimulationError` listing every problem of the profile or the readings.
    """
    _check_readings(readings)
    valid = _one_profile(profile)
    engine = _engine(data, interpretations)
    result = engine.evaluate(valid, year)
    if readings == "all":
        result = with_across(engine, valid, result)
    return json.loads(json.dumps(result.as_dict()))


def _nullable(values: Any) -> pd.Series:
    """A float column with null where the value is open-ended (never NaN)."""
    series = pd.Series(values, dtype="Float64")
    return series.mask(series == OPEN)


def _as_is(items: Iterable[Any], total: int, what: str) -> Iterable[Any]:
    return items


def batch(
    profiles: object,
    *,
    year: int | None = None,
    readings: Readings = None,
    interpretations: Mapping[str, str] | None = None,
    strict: bool = False,
    data: Path | str | None = None,
    progress: Progress = _as_is,
) -> Batch:
    """`simulate_many` with the rejected rows returned beside the table (used by the CLI).

    `progress(items, total, what)` wraps each long loop (rows checked, documents computed), so
    a caller can draw a progress bar. A file that cannot be read raises `SimulationError`.
    """
    _check_readings(readings)
    engine = _engine(data, interpretations)
    try:
        records, cells = records_of(profiles)
    except ValueError as err:
        raise SimulationError([str(err)]) from None
    rows = list(progress(validate_rows(records, cells), len(records), "rows"))
    rejected = tuple(r for r in rows if r.profile is None)
    good = [r for r in rows if r.profile is not None]
    if strict and rejected:
        raise SimulationError(Batch(pd.DataFrame(), rejected, len(rows)).problems())
    totals = population_totals(engine, [r.profile for r in good], across=readings == "all")
    recipients = list(engine.atlas.taxonomy.recipients)
    frames = []
    documents = engine.atlas.documents
    for doc in progress(documents, len(documents), "documents"):
        cols = totals[doc.id]
        n = len(good)
        frame: dict[str, Any] = {
            "profile_id": pd.Series([r.profile_id for r in good], dtype="string"),
            "document": pd.Series([doc.id] * n, dtype="string"),
            "low": pd.Series(cols.low, dtype="Float64"),
            "high": _nullable(cols.high),
            "open_ended": pd.Series(cols.high == OPEN, dtype="boolean"),
            "in_force": pd.Series([doc.in_force(year)] * n, dtype="boolean"),
            "not_stated": pd.Series(cols.not_stated, dtype="Int64"),
        }
        for recipient in recipients:
            low, high = cols.by_recipient[recipient]
            frame[f"{recipient}_low"] = pd.Series(low, dtype="Float64")
            frame[f"{recipient}_high"] = _nullable(high)
        if cols.across_low is not None and cols.across_high is not None:
            frame["across_low"] = pd.Series(cols.across_low, dtype="Float64")
            frame["across_high"] = _nullable(cols.across_high)
            frame["across_open_ended"] = pd.Series(cols.across_high == OPEN, dtype="boolean")
        frame["_order"] = pd.Series(range(n))
        frames.append(pd.DataFrame(frame))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=BASE_COLUMNS)
    out = out.sort_values(["_order"], kind="stable").drop(columns="_order")
    out = out.reset_index(drop=True)
    out.attrs["data_version"] = engine.atlas.data_version
    return Batch(out, rejected, len(rows))


def simulate_many(
    profiles: object,
    *,
    year: int | None = None,
    readings: Readings = None,
    interpretations: Mapping[str, str] | None = None,
    strict: bool = False,
    data: Path | str | None = None,
) -> pd.DataFrame:
    """Totals for many profiles: one row per (profile, document), no per-line explanations.

    `profiles` is a list of dicts (or `Profile`s), a DataFrame, or a CSV/Parquet path (one
    profile per row, optional `profile_id` column; list fields as JSON text). Columns:
    profile_id, document, low, high (null when open-ended), open_ended, in_force, not_stated
    (eligible lines whose amount the text does not state), `<recipient>_low`/`_high` for every
    recipient, and with `readings="all"` across_low, across_high, across_open_ended.
    Rows that are not valid profiles are skipped with a `RejectedRowsWarning` naming each row
    (counted from 1, the first profile being row 1) and every problem; `strict=True` raises
    `SimulationError` instead and computes nothing. `frame.attrs["rejected"]` holds the lines.
    """
    result = batch(
        profiles,
        year=year,
        readings=readings,
        interpretations=interpretations,
        strict=strict,
        data=data,
    )
    problems = result.problems()
    result.frame.attrs["rejected"] = problems
    if problems:
        warnings.warn(
            f"{len(result.rejected)} of {result.rows_read} rows rejected (rows counted from 1):\n"
            + "\n".join(problems),
            RejectedRowsWarning,
            stacklevel=2,
        )
    return result.frame


def load(data: Path | str | None = None) -> Data:
    """The validated data (raises `DataError` listing every problem) with three DataFrames."""
    atlas = _load_atlas(data)
    rows = tables(atlas)
    frames = {name: pd.DataFrame(rows[name], columns=COLUMNS[name]) for name in rows}
    return Data(
        atlas,
        frames["documents"],
        frames["clauses"],
        frames["targets"],
        atlas.data_version,
    )


__all__ = [
    "ID_COLUMN",
    "Batch",
    "Data",
    "RejectedRowsWarning",
    "SimulationError",
    "batch",
    "load",
    "simulate",
    "simulate_many",
]
