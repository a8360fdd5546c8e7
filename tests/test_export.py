"""`export` writes documents, targets and clauses, and each format reads back unchanged."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from policies.export import export
from policies.models import Atlas
from policies.tables import CITATION_COLUMNS, COLUMNS, DOCUMENT_COLUMNS, citations, tables


@pytest.fixture(scope="module")
def rows(atlas: Atlas) -> dict[str, list[dict]]:
    return tables(atlas)


def test_the_tables_hold_every_record_with_the_public_columns(atlas: Atlas, rows) -> None:
    assert len(rows["documents"]) == 5
    assert len(rows["targets"]) == sum(len(d.policy.targets) for d in atlas.documents)
    assert len(rows["clauses"]) == sum(len(d.policy.clauses) for d in atlas.documents)
    for col in (
        "document",
        "id",
        "metric_zh",
        "metric_en",
        "value",
        "unit",
        "comparator",
        "deadline",
        "quote",
    ):
        assert col in COLUMNS["targets"]
    for col in ("document", "id", "category", "recipient", "status", "kind", "quote"):
        assert col in COLUMNS["clauses"]
    assert {r["status"] for r in rows["clauses"]} == {"quantified", "qualitative"}


def test_json_round_trips(atlas: Atlas, rows, tmp_path: Path) -> None:
    export(atlas, "json", tmp_path)
    for name in rows:
        assert json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8")) == rows[name]


def test_parquet_round_trips(atlas: Atlas, rows, tmp_path: Path) -> None:
    export(atlas, "parquet", tmp_path)
    for name in rows:
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.column_names == COLUMNS[name]
        assert table.to_pylist() == rows[name]
        assert table.schema.metadata[b"data_version"] == atlas.data_version.encode()


def _as_csv_text(value) -> str:
    return "" if value is None else str(value)


def test_csv_round_trips_as_text(atlas: Atlas, rows, tmp_path: Path) -> None:
    export(atlas, "csv", tmp_path)
    for name in rows:
        with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            back = list(csv.DictReader(fh))
        assert back == [{k: _as_csv_text(v) for k, v in r.items()} for r in rows[name]]


def test_a_quote_with_a_line_break_survives_csv(atlas: Atlas, tmp_path: Path) -> None:
    export(atlas, "csv", tmp_path)
    with (tmp_path / "clauses.csv").open(encoding="utf-8", newline="") as fh:
        quotes = {r["id"]: r["quote"] for r in csv.DictReader(fh)}
    assert "\n6、" in quotes["jiangdu_2023.major_platform_equipment"]


def test_an_unknown_format_is_refused(atlas: Atlas, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export(atlas, "xls", tmp_path)


def test_a_citation_repeats_the_documents_row_in_reading_order(atlas: Atlas, rows) -> None:
    cited = citations(atlas)
    assert [c["document"] for c in cited] == [d.id for d in atlas.in_reading_order()]
    full = {r["document"]: r for r in rows["documents"]}
    for row in cited:
        assert list(row) == CITATION_COLUMNS
        shared = set(row) & set(DOCUMENT_COLUMNS)
        assert {k: row[k] for k in shared} == {k: full[row["document"]][k] for k in shared}
    assert citations(atlas, ["wuhan_2021", "no_such_document"])[0]["document"] == "wuhan_2021"
    assert len(citations(atlas, ["wuhan_2021", "no_such_document"])) == 1
