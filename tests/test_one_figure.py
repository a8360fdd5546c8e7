"""Under the default readings every view gives one figure for a clause: the exported record is
what the engine pays, for the same recipient."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policies.engine import Engine
from policies.export import export
from policies.models import Atlas
from policies.profile import parse_profile
from policies.tables import amount_fields
from tests.test_cases import CASES

AMOUNT_COLUMNS = ("kind", "bound", "value", "low", "high", "rate", "rate_pct", "cap", "table")


@pytest.fixture(scope="module")
def exported(atlas: Atlas, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("export")
    export(atlas, "json", out)
    rows = json.loads(Path(out, "clauses.json").read_text(encoding="utf-8"))
    return {row["id"]: row for row in rows}


def test_the_engine_pays_the_exported_amount_to_the_exported_recipient_by_default(
    atlas: Atlas, exported: dict[str, dict]
) -> None:
    engine = Engine(atlas)
    for _, plan in engine.plan:
        for e in plan:
            row = exported[e.clause.id]
            used = amount_fields(e.amount)
            for column in AMOUNT_COLUMNS:
                assert row[column] == used[column], (e.clause.id, column)
            assert row["recipient"] == e.recipient, e.clause.id
            assert e.readings == (), e.clause.id


def _stated(row: dict) -> tuple[float, float | None]:
    """The interval a stated sum means: exact, at least (floor) or up to (ceiling)."""
    if row["kind"] == "range":
        return row["low"], row["high"]
    return {"exact": (row["value"], row["value"]), "floor": (row["value"], None)}.get(
        row["bound"], (0.0, row["value"])
    )


DEFAULT_CASES = [c for c in CASES if not c.get("interpretations")]


def test_every_stated_sum_is_what_simulate_pays_a_profile_that_meets_its_clause(
    atlas: Atlas, exported: dict[str, dict]
) -> None:
    engine = Engine(atlas)
    checked: set[str] = set()
    for case in DEFAULT_CASES:
        lines = {
            line.clause: line
            for doc in engine.evaluate(parse_profile(case["profile"])).documents
            for line in doc.lines
        }
        for clause, expected in case.get("lines", {}).items():
            row = exported[clause]
            if expected["status"] != "computed" or row["kind"] not in ("fixed", "range"):
                continue
            line = lines[clause]
            assert (line.low, line.high) == _stated(row), (case["name"], clause)
            checked.add(clause)
    stated = {i for i, r in exported.items() if r["kind"] in ("fixed", "range")}
    assert stated - checked == set(), "stated sums with no default-reading case"
