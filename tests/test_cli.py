"""The public command line: check, export, simulate and schema, and their exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import traceback
import warnings
from pathlib import Path

import pytest

import policies
from policies.cli import main
from policies.engine import Engine
from policies.models import Atlas
from policies.presets import load_presets

ROOT = Path(__file__).resolve().parent.parent


def run_process(
    *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """The project's command line run as a user runs it, `python -m policies`, from the checkout."""
    return subprocess.run(
        [sys.executable, "-m", "policies", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The command line's `main`, in this process, from the checkout: what `python -m policies`
    prints and its exit code, without starting an interpreter (a few tests use `run_process`).

    As in a process of its own, stdin is given as bytes, a warning is printed on stderr and an
    uncaught exception exits 1 with its traceback on stderr. `timeout` is only `run_process`'s.
    """
    del timeout
    out, err = io.StringIO(), io.StringIO()
    given = io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8")
    with (
        contextlib.chdir(ROOT),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("default")
        saved, sys.stdin = sys.stdin, given
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code
            if not isinstance(code, int | None):
                print(code, file=sys.stderr)
                code = 1
        except Exception:  # what the interpreter does with an uncaught exception
            traceback.print_exc()
            code = 1
        finally:
            sys.stdin = saved
    for w in caught:
        err.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
    return subprocess.CompletedProcess(
        ["python", "-m", "policies", *args], int(code or 0), out.getvalue(), err.getvalue()
    )


def test_check_passes_on_the_data() -> None:
    out = run_process("check")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok: 5 documents")


def test_check_fails_with_file_field_problem_lines(data_copy: Path) -> None:
    path = data_copy / "policies/qingdao_2019.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: 场", "unit: 次"), "utf-8")
    out = run_process("--data", str(data_copy), "check")
    assert out.returncode == 1
    assert (
        "data/policies/qingdao_2019.yaml: targets[qingdao_2019.qianfan_events].unit:" in out.stderr
    )
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_writes_three_tables(fmt: str, tmp_path: Path) -> None:
    out = run("export", "--format", fmt, "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{t}.{fmt}" for t in ("clauses", "documents", "targets")
    )


def test_simulate_prints_the_json_contract(atlas: Atlas) -> None:
    preset = next(p for p in load_presets() if p.id == "municipal_incubator_to_provincial")
    out = run("simulate", str(preset.path), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"documents", "interpretations", "data_version"}
    assert data["data_version"] == atlas.data_version
    expected = Engine(atlas).evaluate(preset.profile)
    for doc in data["documents"]:
        assert set(doc) >= {"id", "in_force", "total", "by_recipient", "lines"}
        assert doc["total"] == expected.document(doc["id"]).total.as_dict()
        for line in doc["lines"]:
            assert set(line) >= {"clause", "category", "recipient", "status", "low", "high", "why"}
            assert line["status"] in {"computed", "not_stated", "not_applicable"}
        computed = [ln for ln in doc["lines"] if ln["status"] == "computed"]
        assert doc["total"]["low"] == pytest.approx(sum(ln["low"] for ln in computed))


def test_simulate_year_and_interpretation_flags() -> None:
    profile = (
        '{"carrier_type": "incubator", "level_before": "provincial", "level_after": "national"}'
    )
    out = run_process(
        "simulate",
        "-",
        "--year",
        "2024",
        "--interpretation",
        "jiangdu_2023.top_up=full",
        stdin=profile,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    docs = {d["id"]: d for d in data["documents"]}
    assert docs["jiangdu_2023"]["in_force"] is True
    assert docs["liuzhou_2019"]["in_force"] is False
    assert docs["jiangdu_2023"]["total"] == {"low": 40.0, "high": 40.0}
    assert data["interpretations"]["jiangdu_2023.top_up"] == "full"


def test_simulate_open_ended_totals_print_null_high() -> None:
    profile = (
        '{"carrier_type": "incubator", "level_before": "municipal", "level_after": "provincial"}'
    )
    data = json.loads(run("simulate", "-", stdin=profile).stdout)
    liuzhou = next(d for d in data["documents"] if d["id"] == "liuzhou_2019")
    assert liuzhou["total"] == {"low": 100.0, "high": None}


def test_simulate_table_format_is_readable() -> None:
    out = run("simulate", "-", "--format", "table", stdin='{"major_platform": true}')
    assert out.returncode == 0
    assert "jiangdu_2023: total 50–100万元" in out.stdout


BAD_PROFILES = {
    "not JSON": ("{carrier", "not valid JSON"),
    "not an object": ("[1, 2]", "expected a JSON object"),
    "unknown field": ('{"colour": "red"}', "colour: Extra inputs are not permitted"),
    "wrong type": ('{"new_tech_smes": "3"}', "new_tech_smes: Input should be a valid integer"),
    "negative amount": ('{"renovation_cost": -5}', "renovation_cost: Input should be greater"),
    "non-finite amount": ('{"renovation_cost": NaN}', "NaN"),
    "unknown enum": ('{"level_after": "galactic"}', "level_after: Input should be"),
    "repeated grade": (
        '{"evaluation_grade_a": ["national", "national"]}',
        "each evaluation level can appear only once",
    ),
    "impossible rank": (
        '{"contest_awards": [{"level": "city", "rank": 4}]}',
        "contest_awards[0].rank: Input should be 1, 2 or 3",
    ),
}


@pytest.mark.parametrize("name", BAD_PROFILES)
def test_simulate_rejects_bad_input_with_exit_2(name: str) -> None:
    text, message = BAD_PROFILES[name]
    out = run("simulate", "-", stdin=text)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_simulate_lists_every_problem_at_once() -> None:
    out = run("simulate", "-", stdin='{"renovation_cost": -1, "carrier_type": "boat", "x": 1}')
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 3


def test_simulate_rejects_an_unknown_interpretation() -> None:
    out = run("simulate", "-", "--interpretation", "nope=1", stdin="{}")
    assert out.returncode == 2 and "unknown interpretation 'nope'" in out.stderr
    out = run("simulate", "-", "--interpretation", "jiangdu_2023.top_up=half", stdin="{}")
    assert out.returncode == 2 and "unknown choice 'half'" in out.stderr


def test_simulate_a_missing_file_is_a_clear_error() -> None:
    out = run("simulate", "no/such/profile.json")
    assert out.returncode == 2 and "cannot be read" in out.stderr


def test_schema_describes_every_contract_field() -> None:
    out = run("schema")
    schema = json.loads(out.stdout)
    contract = {
        "carrier_type",
        "level_before",
        "level_after",
        "converted_existing_building",
        "renovation_cost",
        "rated_excellent",
        "evaluation_grade_a",
        "new_high_tech_enterprises",
        "new_tech_smes",
        "graduated_enterprises",
        "free_workspace_and_broadband",
        "offshore_rent",
        "major_platform",
        "especially_major_platform",
        "rd_equipment_investment",
        "service_revenue",
        "service_revenue_prev",
        "first_provincial_service_recognition",
        "contest_awards",
    }
    assert contract <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_very_large_valid_numbers_give_finite_totals() -> None:
    profile = json.dumps(
        {
            "carrier_type": "incubator",
            "level_before": "municipal",
            "level_after": "provincial",
            "converted_existing_building": True,
            "renovation_cost": 1e12,
            "new_high_tech_enterprises": 10**9,
            "new_tech_smes": 10**9,
            "graduated_enterprises": 10**9,
            "offshore_rent": [1e12] * 50,
            "service_revenue": 1e12,
            "service_revenue_prev": 1e-9,
            "contest_awards": [{"level": "city", "rank": 1, "rd_investment": 1e12}] * 1000,
        }
    )
    out = run("simulate", "-", stdin=profile)
    assert out.returncode == 0, out.stderr
    for doc in json.loads(out.stdout)["documents"]:
        assert doc["total"]["low"] < float("inf")
        assert doc["total"]["high"] is None or doc["total"]["high"] < float("inf")


def test_sweep_prints_each_documents_total_at_each_value_and_the_landmarks() -> None:
    profile = ROOT / "data/profiles/municipal_incubator_to_provincial.json"
    out = run("sweep", str(profile), "--field", "renovation_cost", "--points", "5")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert [p["value"] for p in found["points"]] == [0.0, 750.0, 1500.0, 2250.0, 3000.0]
    assert 0.0 in found["landmarks"]
    one = policies.simulate(json.loads(profile.read_text()) | {"renovation_cost": 750.0})
    at_750 = found["points"][1]["totals"]
    for doc in one["documents"]:
        assert at_750[doc["id"]] == doc["total"]


def test_sweep_refuses_a_field_it_cannot_vary_and_names_those_it_can() -> None:
    profile = ROOT / "data/profiles/municipal_incubator_to_provincial.json"
    out = run("sweep", str(profile), "--field", "carrier_type")
    assert out.returncode == 2
    assert "not a field a sweep can vary" in out.stderr and "renovation_cost" in out.stderr
