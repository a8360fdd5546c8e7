"""Profiles read from a table (CSV, Parquet, a DataFrame or a list of dicts), one per row.

A table holds the profile's own columns plus an optional `profile_id`. A cell left empty means
the field's default. Cells written as text follow one rule per field type: booleans are
`true`/`false` (or `1`/`0`), counts are whole numbers (`6` or `6.0`), amounts finite numbers,
and the list fields (`evaluation_grade_a`, `offshore_rent`, `contest_awards`) JSON text such as
`["national"]`. Rows are numbered from 1, the first row after the header being row 1.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_origin

from policies.profile import Profile, ProfileError, parse_profile

ID_COLUMN = "profile_id"
TABLE_SUFFIXES = (".csv", ".parquet")
_WHOLE = re.compile(r"[+-]?\d+")
_WHOLE_FLOAT = re.compile(r"[+-]?\d+\.0*")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def _kind(name: str) -> str:
    """How a text cell of a profile field is read: bool, int, float, json or text."""
    info = Profile.model_fields[name]
    if get_origin(info.annotation) is list:
        return "json"
    if info.annotation is bool:
        return "bool"
    if info.annotation is int:
        return "int"
    if info.annotation is float:
        return "float"
    return "text"


FIELD_KINDS: dict[str, str] = {name: _kind(name) for name in Profile.model_fields}
COLUMNS: tuple[str, ...] = (ID_COLUMN, *Profile.model_fields)


@dataclass(frozen=True)
class Row:
    """One row of the table: its 1-based number, its id, and the profile or every problem."""

    number: int
    profile_id: str
    profile: Profile | None
    problems: tuple[tuple[str, str], ...] = ()


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _from_text(kind: str, text: str) -> Any:
    """A cell's value from its text, or ValueError saying what was expected."""
    if kind == "bool":
        low = text.strip().lower()
        if low in _TRUE or low in _FALSE:
            return low in _TRUE
        raise ValueError(f"expected true or false, got {text!r}")
    if kind == "int":
        if _WHOLE.fullmatch(text.strip()):
            return int(text)
        if _WHOLE_FLOAT.fullmatch(text.strip()):
            return int(float(text))  # "6.0": a count written by a program that wrote floats
        raise ValueError(f"expected a whole number, got {text!r}")
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {text!r}")
        return value
    if kind == "json":
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as err:
            raise ValueError(f"expected JSON text such as [] ({err})") from None
    return text


def _plain(value: Any) -> Any:
    """A numpy/pandas/pyarrow value as plain Python (lists and dicts included)."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    elif hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _cell(kind: str, value: Any) -> Any:
    """A table cell as the profile expects it; text is read by the field's rule."""
    value = _plain(value)
    if isinstance(value, str):
        return _from_text(kind, value)
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)  # a column of counts with an empty cell is read as floats
    return value


def row_profile(number: int, record: Mapping[str, Any], *, cells: bool) -> Row:
    """Validate one row; `cells` says it comes from a table (text cells, empty means default)."""
    problems: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    raw_id = record.get(ID_COLUMN)
    profile_id = str(number) if raw_id is None or _missing(raw_id) else str(_plain(raw_id))
    for key, value in record.items():
        if key == ID_COLUMN:
            continue
        if not cells:
            data[key] = value
            continue
        if _missing(value) or (isinstance(value, str) and not value.strip()):
            continue
        kind = FIELD_KINDS.get(str(key))
        if kind is None:
            problems.append((str(key), "not a profile field"))
            continue
        try:
            data[str(key)] = _cell(kind, value)
        except ValueError as err:
            problems.append((str(key), str(err)))
    try:
        profile = parse_profile(data)
    except ProfileError as err:
        problems.extend(err.problems)
        profile = None
    if problems:
        return Row(number, profile_id, None, tuple(problems))
    return Row(number, profile_id, profile)


def read_table(source: Path) -> list[dict[str, Any]]:
    """The records of a CSV (every cell as text) or Parquet file; ValueError names the file."""
    return read_bytes(source, str(source))


def read_bytes(source: Path | bytes, name: str) -> list[dict[str, Any]]:
    """The records of a CSV or Parquet file, given as a path or as its bytes (an upload) named
    `name`; the suffix of `name` says which. ValueError names the file and what is wrong."""
    import io

    import pandas as pd

    suffix = Path(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ValueError(f"{name}: expected a .csv or .parquet file")
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        if suffix == ".csv":
            frame = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            frame = pd.read_parquet(handle)
    except (OSError, ValueError) as err:  # pandas' and pyarrow's read errors derive from these
        raise ValueError(f"{name}: cannot be read as {suffix[1:]} ({err})") from None
    return frame.to_dict("records")


def records_of(profiles: object) -> tuple[list[Any], bool]:
    """The records of a list, a DataFrame or a CSV/Parquet path, and whether they are cells."""
    import pandas as pd

    if isinstance(profiles, (str, Path)):
        return read_table(Path(profiles)), True
    if isinstance(profiles, pd.DataFrame):
        return profiles.to_dict("records"), True
    if isinstance(profiles, Mapping) or not isinstance(profiles, Iterable):
        raise ValueError("expected a list of profiles, a DataFrame or a CSV/Parquet path")
    return list(profiles), False


def validate_rows(records: Iterable[Any], cells: bool) -> Iterator[Row]:
    """Each record validated as a profile, numbered from 1."""
    for number, record in enumerate(records, start=1):
        if isinstance(record, Profile):
            yield Row(number, str(number), record)
        elif isinstance(record, Mapping):
            yield row_profile(number, record, cells=cells)
        else:
            problem = ("(profile)", f"expected a mapping, got {type(record).__name__}")
            yield Row(number, str(number), None, (problem,))


def cells_of(profile: Profile, profile_id: str) -> dict[str, str]:
    """A profile as one row of text cells, the form `read_table` reads back to the same profile."""
    row = {ID_COLUMN: profile_id}
    for name, value in profile.model_dump(mode="json").items():
        kind = FIELD_KINDS[name]
        if kind == "json":
            row[name] = json.dumps(value, ensure_ascii=False)
        elif kind == "bool":
            row[name] = "true" if value else "false"
        else:
            row[name] = repr(value) if kind == "float" else str(value)
    return row


def write_csv(rows: Iterable[Mapping[str, str]], path: Path) -> None:
    """Write rows of text cells with every profile column (UTF-8)."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


TEMPLATE_EXAMPLE = {
    "carrier_type": "incubator",
    "level_before": "municipal",
    "level_after": "provincial",
    "evaluation_grade_a": ["provincial"],
    "new_high_tech_enterprises": 2,
    "contest_awards": [{"level": "city", "rank": 1, "rd_investment": 100.0}],
}


def csv_text(rows: Iterable[Mapping[str, str]]) -> str:
    """Rows of text cells as CSV text with every profile column (header first)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def template_csv() -> str:
    """A CSV with every column and one example row: the file to fill in."""
    return csv_text([cells_of(Profile.model_validate(TEMPLATE_EXAMPLE), "example-1")])
