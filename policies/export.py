"""Write the public tables to disk as CSV, JSON or Parquet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from policies.models import Atlas
from policies.tables import COLUMNS, tables

FORMATS = ("csv", "json", "parquet")


def export(atlas: Atlas, fmt: str, out: Path) -> list[Path]:
    """Write documents, targets and clauses in `fmt` under `out`; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables(atlas).items():
        path = out / f"{name}.{fmt}"
        columns = COLUMNS[name]
        if fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        elif fmt == "json":
            path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pylist(rows, schema=_schema(rows, columns))
            table = table.replace_schema_metadata({"data_version": atlas.data_version})
            pq.write_table(table, path)
        written.append(path)
    return written


def _schema(rows: list[dict], columns: list[str]):  # noqa: ANN202 - pyarrow type
    """A stable Arrow schema: each column typed by its first non-null value, else string."""
    import pyarrow as pa

    fields = []
    for col in columns:
        sample = next((r[col] for r in rows if r[col] is not None), None)
        if isinstance(sample, bool):
            typ = pa.bool_()
        elif isinstance(sample, int) and all(
            isinstance(r[col], int) or r[col] is None for r in rows
        ):
            typ = pa.int64()
        elif isinstance(sample, (int, float)):
            typ = pa.float64()
        else:
            typ = pa.string()
        fields.append(pa.field(col, typ))
    return pa.schema(fields)
