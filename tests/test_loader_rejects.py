"""A malformed data file is rejected with a message naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import DataError, load_all


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_all(root)
    return err.value.problems


def test_an_unknown_key_is_named_with_file_and_field(data_copy: Path) -> None:
    _break(
        data_copy / "policies/liuzhou_2019.yaml",
        "    period: one_off\n",
        "    period: one_off\n    amout: 3\n",
    )
    problems = _problems(data_copy)
    assert any(
        p.startswith("data/policies/liuzhou_2019.yaml: clauses[")
        and "upgrade_incubator_provincial].amout:" in p
        and "Extra inputs" in p
        for p in problems
    ), problems


def test_a_dangling_interpretation_id_is_named(data_copy: Path) -> None:
    _break(
        data_copy / "policies/jiangdu_2023.yaml",
        "interpretation: jiangdu_2023.top_up\n",
        "interpretation: jiangdu_2023.no_such_reading\n",
    )
    problems = _problems(data_copy)
    assert any(
        "jiangdu_2023.yaml" in p and "readings[0].interpretation" in p and "no_such_reading" in p
        for p in problems
    ), problems


def test_a_dangling_part_of_is_named(data_copy: Path) -> None:
    _break(
        data_copy / "policies/wuhan_2021.yaml",
        "part_of: wuhan_2021.carriers_total",
        "part_of: wuhan_2021.nothing",
    )
    problems = _problems(data_copy)
    assert any(
        "wuhan_2021.yaml: targets[wuhan_2021.national_carriers].part_of" in p for p in problems
    ), problems


def test_a_bad_unit_is_named(data_copy: Path) -> None:
    _break(data_copy / "policies/qingdao_2019.yaml", "unit: 场", "unit: 次")
    problems = _problems(data_copy)
    assert any(
        "qingdao_2019.yaml: targets[qingdao_2019.qianfan_events].unit" in p for p in problems
    ), problems


def test_a_quote_not_in_the_source_is_named(data_copy: Path) -> None:
    _break(
        data_copy / "policies/liuzhou_2016.yaml",
        "政府将给予最多不超过55万元/年",
        "政府将给予最多不超过56万元/年",
    )
    problems = _problems(data_copy)
    assert any(
        "liuzhou_2016.yaml: clauses[liuzhou_2016.free_workspace_broadband].quote" in p
        for p in problems
    ), problems


def test_a_number_not_in_its_quote_is_named(data_copy: Path) -> None:
    _break(
        data_copy / "policies/liuzhou_2016.yaml",
        "amount: {kind: fixed, value: 55, bound: ceiling}",
        "amount: {kind: fixed, value: 65, bound: ceiling}",
    )
    problems = _problems(data_copy)
    assert any("free_workspace_broadband].amount: 65 does not appear" in p for p in problems)


def test_a_wrong_type_is_named(data_copy: Path) -> None:
    _break(
        data_copy / "policies/liuzhou_2019.yaml",
        "amount: {kind: fixed, value: 100, bound: floor}",
        "amount: {kind: fixed, value: lots, bound: floor}",
    )
    problems = _problems(data_copy)
    assert any("upgrade_incubator_provincial].amount.fixed.value" in p for p in problems), problems


def test_an_unknown_category_is_named(data_copy: Path) -> None:
    _break(
        data_copy / "policies/jiangdu_2023.yaml",
        "category: platform_equipment\n",
        "category: rockets\n",
    )
    problems = _problems(data_copy)
    assert any(
        "jiangdu_2023.yaml" in p and ".category: unknown category 'rockets'" in p for p in problems
    ), problems


def test_an_unknown_condition_field_is_named(data_copy: Path) -> None:
    _break(
        data_copy / "policies/jiangdu_2023.yaml",
        "{field: major_platform, op: eq, value: true}",
        "{field: major_platfrom, op: eq, value: true}",
    )
    problems = _problems(data_copy)
    assert any("unknown field 'major_platfrom'" in p for p in problems), problems


def test_bad_yaml_is_reported_with_its_line(data_copy: Path) -> None:
    path = data_copy / "policies/wuhan_2021.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - : [\n", encoding="utf-8")
    problems = _problems(data_copy)
    assert any(
        p.startswith("data/policies/wuhan_2021.yaml: line ") and "not valid YAML" in p
        for p in problems
    ), problems


def test_a_changed_source_text_fails_its_sha256(data_copy: Path) -> None:
    src = data_copy / "sources/qingdao_2019.txt"
    src.write_bytes(src.read_bytes() + b" ")
    problems = _problems(data_copy)
    assert any("qingdao_2019.provenance.yaml: sha256" in p for p in problems), problems


def test_a_missing_provenance_record_is_named(data_copy: Path) -> None:
    (data_copy / "sources/wuhan_2021.provenance.yaml").unlink()
    problems = _problems(data_copy)
    assert any("wuhan_2021.provenance.yaml: -: missing provenance record" in p for p in problems)


def test_loading_never_writes_to_the_data_tree(data_copy: Path) -> None:
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    _break(data_copy / "policies/qingdao_2019.yaml", "unit: 场", "unit: 次")
    broken = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    _problems(data_copy)
    after = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    assert after == broken and set(after) == set(before)
