"""`python -m policies draft`: the source copied byte for byte, provenance with its sha256, and
one commented stub per sentence with an amount or a target figure; bad input writes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from policies.figures import sentences_with_figures
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent

# Invented text, to show the shapes only; it is no real document.
INVENTED = (
    "示例区孵化载体扶持办法(虚构示例)\n"
    "一、支持措施\n"
    "(一)房租补贴。按入驻企业租用面积给予房租补贴,第一年每月每平方米20元,第二年15元。\n"
    "(二)认定奖励。对新认定的国家级、省级孵化器,分别给予50万元、20万元奖励;已获省级奖励的,补足差额。\n"
    "二、发展目标\n"
    "到2025年,新增孵化器10家以上。加强组织领导,完善工作机制。\n"
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_draft_copies_the_source_and_records_its_sha256(data_copy: Path, tmp_path: Path) -> None:
    source = tmp_path / "示例区办法.txt"
    source.write_text(INVENTED, encoding="utf-8")
    out = run("draft", str(source), "--id", "example_2024", "--data", str(data_copy))
    assert out.returncode == 0, out.stderr
    copied = data_copy / "sources/example_2024.txt"
    assert copied.read_bytes() == source.read_bytes()
    prov = yaml.safe_load((data_copy / "sources/example_2024.provenance.yaml").read_text("utf-8"))
    assert prov["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert (prov["document"], prov["file"], prov["seed_file"]) == (
        "example_2024",
        "example_2024.txt",
        "示例区办法.txt",
    )


def test_every_sentence_with_a_figure_becomes_one_stub_and_nothing_else(
    data_copy: Path, tmp_path: Path
) -> None:
    source = tmp_path / "s.txt"
    source.write_text(INVENTED, encoding="utf-8")
    assert (
        run("draft", str(source), "--id", "example_2024", "--data", str(data_copy)).returncode == 0
    )
    draft = (data_copy / "policies/example_2024.yaml").read_text("utf-8")
    quotes = [line.split("quote: ", 1)[1] for line in draft.splitlines() if "#   quote: " in line]
    assert quotes == [
        "按入驻企业租用面积给予房租补贴,第一年每月每平方米20元,第二年15元。",
        "对新认定的国家级、省级孵化器,分别给予50万元、20万元奖励;",
        "到2025年,新增孵化器10家以上。",
    ]
    assert all(q in INVENTED for q in quotes)
    assert len(quotes) == len(sentences_with_figures(INVENTED))
    assert "加强组织领导" not in draft  # a sentence without a figure is no stub
    parsed = yaml.safe_load(draft)
    assert parsed == {
        "document": "example_2024",
        "targets": [],
        "clauses": [],
        "interpretations": [],
        "dismissed": [],
    }


def test_a_stub_names_its_section_figures_bound_words_and_a_suggested_kind(
    data_copy: Path, tmp_path: Path
) -> None:
    source = tmp_path / "s.txt"
    source.write_text(INVENTED, encoding="utf-8")
    run("draft", str(source), "--id", "example_2024", "--data", str(data_copy))
    draft = (data_copy / "policies/example_2024.yaml").read_text("utf-8")
    stub = draft.split("# stub 2\n", 1)[1].split("\n\n", 1)[0]
    assert stub.splitlines()[1:] == [
        "#   section: 一、支持措施 > (二)认定奖励",
        "#   figures: 50万元, 20万元",
        "#   bound words: 分别",
        "#   suggested kind: lookup or tiers (分别: one amount per class)",
    ]
    rent = draft.split("# stub 1\n", 1)[1].split("\n\n", 1)[0]
    assert "#   bound words: 每月, 每平方米, 第一年" in rent
    assert "#   suggested kind: schedule" not in rent  # no rate in percent: an area rate
    assert "#   suggested kind: area × rate per m² (per month or year)" in rent


def test_check_names_every_fact_the_draft_leaves_to_the_reader(
    data_copy: Path, tmp_path: Path
) -> None:
    source = tmp_path / "s.txt"
    source.write_text(INVENTED, encoding="utf-8")
    run("draft", str(source), "--id", "example_2024", "--data", str(data_copy))
    out = run("check", "--data", str(data_copy))
    assert out.returncode == 1
    for field in ("title_zh", "place", "issuer_zh", "doc_number", "issued", "period_start"):
        assert f"data/sources/example_2024.provenance.yaml: {field}: Field required" in out.stderr
    for field in ("short_zh", "short_en", "summary_zh", "summary_en"):
        assert f"data/policies/example_2024.yaml: {field}: Field required" in out.stderr


def test_an_existing_document_is_never_overwritten(data_copy: Path) -> None:
    before = snapshot(data_copy)
    out = run(
        "draft",
        str(data_copy / "sources/wuhan_2021.txt"),
        "--id",
        "wuhan_2021",
        "--data",
        str(data_copy),
    )
    assert out.returncode == 2
    assert "wuhan_2021.yaml: already exists; nothing was written" in out.stderr
    assert snapshot(data_copy) == before


def test_a_bad_id_or_a_source_that_is_not_utf8_writes_nothing(
    data_copy: Path, tmp_path: Path
) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes("孵化器奖励50万元".encode("gb18030"))
    before = snapshot(data_copy)
    out = run("draft", str(source), "--id", "Bad Id", "--data", str(data_copy))
    assert out.returncode == 2
    assert "--id 'Bad Id': use lower-case letters, digits and _" in out.stderr
    assert f"{source}: not UTF-8; convert it" in out.stderr
    assert "Traceback" not in out.stderr
    assert snapshot(data_copy) == before
