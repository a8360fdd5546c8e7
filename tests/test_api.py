"""The Python API and `simulate-batch` give what `simulate` gives, and report every bad row."""

from __future__ import annotations

import json
import random
import warnings
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import policies
from policies.api import Batch, SimulationError, batch
from policies.presets import load_presets
from policies.profile import Profile
from policies.profile_table import cells_of, template_csv, write_csv
from scripts.bench_engine import random_profile
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent
PRESETS = load_presets()
PRESET_IDS = [p.id for p in PRESETS]


run = partial(run, timeout=300)  # batches of 10,000 rows


def expected_rows(result: dict, profile_id: str) -> list[dict]:
    """The rows `simulate_many` should give, read off `simulate`'s object."""
    recipients = policies.load().atlas.taxonomy.recipients
    rows = []
    for doc in result["documents"]:
        row = {
            "profile_id": profile_id,
            "document": doc["id"],
            "low": doc["total"]["low"],
            "high": doc["total"]["high"],
            "open_ended": doc["total"]["high"] is None,
            "in_force": doc["in_force"],
            "not_stated": sum(
                line["status"] == "not_stated" and line["payer"] == "government"
                for line in doc["lines"]
            ),
        }
        for recipient in recipients:
            amount = doc["by_recipient"].get(recipient, {"low": 0.0, "high": 0.0})
            row[f"{recipient}_low"] = amount["low"]
            row[f"{recipient}_high"] = amount["high"]
        if "across_readings" in doc:
            row["across_low"] = doc["across_readings"]["low"]
            row["across_high"] = doc["across_readings"]["high"]
            row["across_open_ended"] = doc["across_readings"]["high"] is None
        rows.append(row)
    return rows


def plain_rows(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain Python values, nulls as None."""
    return [
        {k: (None if pd.isna(v) else v) for k, v in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


@pytest.mark.parametrize("preset", PRESETS, ids=PRESET_IDS)
@pytest.mark.parametrize("year", [None, 2024])
def test_simulate_is_what_the_cli_prints_for_every_example(preset, year) -> None:
    args = ["simulate", str(preset.path), "--readings", "all"]
    if year is not None:
        args += ["--year", str(year)]
    out = run(*args)
    assert out.returncode == 0, out.stderr
    assert policies.simulate(preset.path, year=year, readings="all") == json.loads(out.stdout)


def test_simulate_takes_a_dict_a_profile_or_a_path_alike() -> None:
    preset = PRESETS[0]
    as_dict = preset.profile.model_dump(mode="json")
    assert policies.simulate(as_dict) == policies.simulate(preset.profile)
    assert policies.simulate(as_dict) == policies.simulate(str(preset.path))


def test_simulate_raises_one_error_listing_every_problem() -> None:
    with pytest.raises(SimulationError) as err:
        policies.simulate({"renovation_cost": -1, "carrier_type": "castle", "colour": "red"})
    fields = sorted(p.split(":")[0] for p in err.value.problems)
    assert fields == ["carrier_type", "colour", "renovation_cost"]


def test_simulate_refuses_an_unknown_reading_and_an_unknown_readings_mode() -> None:
    with pytest.raises(SimulationError, match="unknown interpretation 'nope'"):
        policies.simulate({}, interpretations={"nope": "x"})
    with pytest.raises(SimulationError, match="readings"):
        policies.simulate({}, readings="some")  # type: ignore[arg-type]


@pytest.mark.parametrize("year", [None, 2021])
def test_simulate_many_gives_simulates_totals_for_every_example(year) -> None:
    profiles = [{"profile_id": p.id, **p.profile.model_dump(mode="json")} for p in PRESETS]
    frame = policies.simulate_many(profiles, year=year, readings="all")
    expected = [
        row
        for p in PRESETS
        for row in expected_rows(policies.simulate(p.profile, year=year, readings="all"), p.id)
    ]
    assert plain_rows(frame) == expected


def test_simulate_many_follows_the_chosen_readings() -> None:
    choice = {"jiangdu_2023.top_up": "full"}
    preset = next(p for p in PRESETS if p.id == "maker_space_to_national")
    frame = policies.simulate_many([preset.profile], interpretations=choice)
    assert plain_rows(frame) == expected_rows(
        policies.simulate(preset.profile, interpretations=choice), "1"
    )


def test_a_dataframe_a_csv_and_a_parquet_file_give_the_same_table(tmp_path: Path) -> None:
    cells = [cells_of(p.profile, p.id) for p in PRESETS]
    write_csv(cells, tmp_path / "in.csv")
    pd.DataFrame(cells).to_parquet(tmp_path / "in.parquet")
    from_list = policies.simulate_many(
        [{"profile_id": p.id, **p.profile.model_dump(mode="json")} for p in PRESETS]
    )
    for source in (pd.DataFrame(cells), tmp_path / "in.csv", str(tmp_path / "in.parquet")):
        pd.testing.assert_frame_equal(policies.simulate_many(source), from_list)


def test_a_high_is_null_never_nan_and_open_ended_says_why() -> None:
    frame = policies.simulate_many([p.profile for p in PRESETS])
    assert frame["open_ended"].any()
    assert frame.loc[frame["open_ended"], "high"].isna().all()
    assert frame.loc[~frame["open_ended"], "high"].notna().all()
    floats = frame.select_dtypes("Float64")
    assert not (
        floats.to_numpy(dtype=float, na_value=0.0) != floats.to_numpy(dtype=float, na_value=0.0)
    ).any()


BAD_ROWS = [
    {"profile_id": "ok-1", "level_before": "municipal", "level_after": "provincial"},
    {"profile_id": "bad-2", "renovation_cost": "-5", "carrier_type": "castle"},
    {"profile_id": "ok-3", "carrier_type": "maker_space", "free_workspace_and_broadband": "true"},
    {"profile_id": "bad-4", "new_tech_smes": "2.5", "evaluation_grade_a": "[national"},
    {"profile_id": "bad-5", "rated_excellent": "maybe", "offshore_rent": "[NaN]"},
]


def test_bad_rows_are_reported_with_their_number_and_every_problem_and_the_rest_computed() -> None:
    with pytest.warns(policies.RejectedRowsWarning, match="3 of 5 rows rejected"):
        frame = policies.simulate_many(pd.DataFrame(BAD_ROWS).fillna(""))
    assert sorted(set(frame["profile_id"])) == ["ok-1", "ok-3"]
    problems = frame.attrs["rejected"]
    assert [p.split(":")[0] for p in problems] == (
        ["row 2 (bad-2)"] * 2 + ["row 4 (bad-4)"] * 2 + ["row 5 (bad-5)"] * 2
    )
    assert any("carrier_type" in p for p in problems)
    assert any("renovation_cost: Input should be greater than or equal to 0" in p for p in problems)
    assert any("new_tech_smes: expected a whole number" in p for p in problems)
    assert any("offshore_rent: expected JSON text" in p for p in problems)


def test_strict_computes_nothing_and_lists_every_problem() -> None:
    with pytest.raises(SimulationError) as err:
        policies.simulate_many(pd.DataFrame(BAD_ROWS).fillna(""), strict=True)
    assert len(err.value.problems) == 6


def test_a_table_with_no_bad_row_warns_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = policies.simulate_many([{}])
    assert frame.attrs["rejected"] == []
    assert len(frame) == len(policies.load().documents)


def test_an_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SimulationError, match="missing.csv"):
        policies.simulate_many(tmp_path / "missing.csv")
    with pytest.raises(SimulationError, match="expected a .csv or .parquet file"):
        policies.simulate_many(tmp_path / "profiles.xlsx")


def test_load_gives_the_validated_data_as_three_tables() -> None:
    data = policies.load()
    assert list(data.documents["document"]) == [d.id for d in data.atlas.documents]
    assert set(data.clauses["document"]) == set(data.documents["document"])
    assert data.targets["quote"].str.len().gt(0).all()
    assert len(data.clauses) == sum(len(d.policy.clauses) for d in data.atlas.documents)


def test_the_template_reads_back_as_one_valid_profile() -> None:
    import io

    frame = pd.read_csv(io.StringIO(template_csv()), dtype=str, keep_default_na=False)
    result: Batch = batch(frame)
    assert result.rejected == () and result.rows_read == 1


# --- the command line ---------------------------------------------------------------------


def test_simulate_batch_reports_each_bad_row_and_writes_the_rest(tmp_path: Path) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame(BAD_ROWS).fillna("").to_csv(source, index=False)
    done = run("simulate-batch", str(source), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert "rows read: 5" in done.stdout
    assert "rejected: 3" in done.stdout
    assert "row 4 (bad-4): new_tech_smes: expected a whole number, got '2.5'" in done.stdout
    assert "written: 10 rows (2 profiles × 5 documents)" in done.stdout
    written = pd.read_csv(out)
    assert sorted(set(written["profile_id"])) == ["ok-1", "ok-3"]


def test_simulate_batch_strict_writes_nothing(tmp_path: Path) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.parquet"
    pd.DataFrame(BAD_ROWS).fillna("").to_csv(source, index=False)
    done = run("simulate-batch", str(source), "--out", str(out), "--strict")
    assert done.returncode == 2
    assert "row 2 (bad-2): carrier_type" in done.stderr
    assert not out.exists()


def test_simulate_batch_equals_the_api_for_every_example(tmp_path: Path) -> None:
    source, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pd.DataFrame([cells_of(p.profile, p.id) for p in PRESETS]).to_parquet(source)
    done = run("simulate-batch", str(source), "--out", str(out), "--year", "2022")
    assert done.returncode == 0, done.stderr
    written = pd.read_parquet(out)
    expected = policies.simulate_many([p.profile for p in PRESETS], year=2022)
    expected["profile_id"] = [pid for pid in PRESET_IDS for _ in range(5)]
    pd.testing.assert_frame_equal(written, expected.astype(written.dtypes.to_dict()))
    assert pq.read_schema(out).metadata[b"data_version"].decode() == expected.attrs["data_version"]


def test_ten_thousand_rows_round_trip_through_csv_and_parquet(tmp_path: Path) -> None:
    rng = random.Random(17)
    profiles: list[Profile] = [random_profile(rng) for _ in range(10_000)]
    cells = [cells_of(p, f"p{i}") for i, p in enumerate(profiles, start=1)]
    write_csv(cells, tmp_path / "in.csv")
    pd.DataFrame(cells).to_parquet(tmp_path / "in.parquet")
    for suffix in ("csv", "parquet"):
        out = tmp_path / f"out.{suffix}"
        done = run("simulate-batch", str(tmp_path / f"in.{suffix}"), "--out", str(out))
        assert done.returncode == 0, done.stderr
        assert "rejected: 0" in done.stdout.splitlines()
        assert "written: 50000 rows (10000 profiles × 5 documents)" in done.stdout
    from_parquet = pd.read_parquet(tmp_path / "out.parquet")
    from_csv = pd.read_csv(tmp_path / "out.csv", dtype=from_parquet.dtypes.to_dict())
    assert from_parquet["high"].isna().any()
    pd.testing.assert_frame_equal(from_csv, from_parquet, check_exact=True)
    direct = [
        dict(p.model_dump(mode="json"), profile_id=f"p{i}")
        for i, p in enumerate(profiles[:200], start=1)
    ]
    head = policies.simulate_many(direct)
    pd.testing.assert_frame_equal(
        from_parquet.head(len(head)), head.astype(from_parquet.dtypes.to_dict())
    )
