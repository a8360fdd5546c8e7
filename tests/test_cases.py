"""Engine cases as data (tests/cases/*.yaml): a sentence name, a profile, the expected lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policies.engine import Engine
from policies.models import Atlas
from policies.profile import parse_profile
from policies.readings import with_across

CASES_DIR = Path(__file__).resolve().parent / "cases"


def _load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case["file"] = path.name
            cases.append(case)
    return cases


CASES = _load_cases()


def _interval_matches(actual_low, actual_high, expected: dict) -> None:
    if "low" in expected:
        if expected["low"] is None:
            assert actual_low is None
        else:
            assert actual_low == pytest.approx(expected["low"])
    if "high" in expected:
        if expected["high"] is None:
            assert actual_high is None
        else:
            assert actual_high == pytest.approx(expected["high"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict, atlas: Atlas) -> None:
    engine = Engine(atlas, case.get("interpretations"))
    profile = parse_profile(case["profile"])
    result = engine.evaluate(profile, case.get("year"))
    if "across_readings" in case:
        result = with_across(engine, profile, result)
    lines = {line.clause: line for doc in result.documents for line in doc.lines}
    for clause, expected in case.get("lines", {}).items():
        assert clause in lines, f"{clause} produced no line"
        line = lines[clause]
        assert line.status == expected["status"], line.why_en
        _interval_matches(line.low, line.high, expected)
        if "recipient" in expected:
            assert line.recipient == expected["recipient"]
        if "why_contains" in expected:
            assert expected["why_contains"] in line.why_en
        if "why_zh_contains" in expected:
            assert expected["why_zh_contains"] in line.why_zh
        if "payer" in expected:
            assert line.payer == expected["payer"]
        if "payments" in expected:
            shown = [p.as_dict() for p in line.payments]
            assert len(shown) == len(expected["payments"]), shown
            for got, want in zip(shown, expected["payments"], strict=True):
                _interval_matches(got["low"], got["high"], want)
                for key in set(want) - {"low", "high"}:
                    assert got[key] == want[key], (key, shown)
        if "suggestion" in expected:
            fail = line.failed[0]
            assert fail.suggestion_field == expected["suggestion"]["field"]
            assert fail.suggestion_value == pytest.approx(expected["suggestion"]["value"])
    for doc_id, expected in case.get("totals", {}).items():
        total = result.document(doc_id).total
        _interval_matches(total.low, total.high, expected)
    for doc_id, recipients in case.get("by_recipient", {}).items():
        split = result.document(doc_id).by_recipient
        assert set(split) == set(recipients)
        for recipient, expected in recipients.items():
            _interval_matches(split[recipient].low, split[recipient].high, expected)
    for doc_id, expected in case.get("in_force", {}).items():
        assert result.document(doc_id).in_force is expected
    for doc_id, expected in case.get("after_period", {}).items():
        late = result.document(doc_id).after_period
        _interval_matches(late.low, late.high, expected)
    for doc_id, expected in case.get("across_readings", {}).items():
        across = result.document(doc_id).across
        _interval_matches(across.low, across.high, expected)
        decisive = {d.interpretation: d.totals for d in across.decisive}
        assert set(decisive) == set(expected.get("decisive", {})), decisive
        for ident, totals in expected.get("decisive", {}).items():
            assert set(decisive[ident]) == set(totals)
            for choice, want in totals.items():
                got = decisive[ident][choice]
                _interval_matches(got.low, got.high, want)


def test_every_quantified_clause_is_computed_by_some_case(atlas: Atlas) -> None:
    computed = {
        clause
        for case in CASES
        for clause, expected in case.get("lines", {}).items()
        if expected["status"] == "computed"
    }
    quantified = {
        c.id for d in atlas.documents for c in d.policy.clauses if c.status == "quantified"
    }
    assert quantified - computed == set()


def test_every_case_names_an_existing_clause_and_interpretation(atlas: Atlas) -> None:
    clauses = {c.id for d in atlas.documents for c in d.policy.clauses}
    for case in CASES:
        assert set(case.get("lines", {})) <= clauses, case["name"]
        assert set(case.get("interpretations", {})) <= set(atlas.interpretations), case["name"]
