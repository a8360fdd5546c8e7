"""Coverage: every figure of every source is cited by a record or dismissed with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies.coverage import coverage_of
from policies.figures import figures
from policies.models import Atlas
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("最高奖励50万元", ["50万元"]),
        ("按照改造费用的20%给予补贴", ["20%"]),
        ("建设3-5家离岸孵化器", ["3-5家"]),
        ("每月每平方米20元", ["20元"]),
        ("按上述标准的1.5倍补贴", ["1.5倍"]),
        ("给予五十万元奖励", ["五十万元"]),
        ("新增孵化面积1万平方米", ["1万平方米"]),
    ],
)
def test_an_amount_or_a_count_with_its_unit_is_a_figure(text: str, found: list[str]) -> None:
    assert [f.text for f in figures(text)] == found


@pytest.mark.parametrize(
    "text",
    [
        "到2025年",
        "已经局第7次局长办公会审议通过",
        "柳科规〔2019〕4号",
        "引进一家企业",
        "2019-08-30",
    ],
)
def test_years_ordinals_document_numbers_and_articles_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_the_five_documents_cite_or_dismiss_every_figure() -> None:
    out = run("coverage")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok: 5 documents, ")
    assert "1 dismissed with a reason" in out.stdout


def test_a_dismissed_sentence_taken_back_is_listed_and_exits_1(data_copy: Path) -> None:
    path = data_copy / "policies/qingdao_2019.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n# Sentences with a figure")] + "\n", "utf-8")
    out = run("--data", str(data_copy), "coverage")
    assert out.returncode == 1
    assert (
        "data/policies/qingdao_2019.yaml: dismissed: not cited by a record nor dismissed (十五个): "
        "加强部门协同,市科创办统筹协调十五个攻势中孵化器建设有关目标和任务落实。"
    ) in out.stderr
    assert "1 sentence(s) with a figure neither cited nor dismissed" in out.stderr


def test_a_money_clause_removed_leaves_its_sentence_uncovered(atlas: Atlas) -> None:
    doc = atlas.document("liuzhou_2016")
    money = [c for c in doc.policy.clauses if c.amount.kind == "fixed"]
    assert money, "Liuzhou 2016 states one sum"
    kept = [c for c in doc.policy.clauses if c not in money]
    cov = coverage_of(doc.policy.model_copy(update={"clauses": kept}), doc.text)
    assert [u.figures for u in cov.uncovered] == [("55万元",)]
    assert money[0].quote in cov.uncovered[0].sentence.text


def test_a_dismissal_must_quote_the_source(data_copy: Path) -> None:
    path = data_copy / "policies/qingdao_2019.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("统筹协调十五个攻势", "统筹协调15个攻势"), "utf-8")
    out = run("--data", str(data_copy), "check")
    assert out.returncode == 1
    assert "data/policies/qingdao_2019.yaml: dismissed[0].quote: not found verbatim" in out.stderr


def test_a_dismissal_of_a_sentence_a_record_already_cites_is_refused(data_copy: Path) -> None:
    path = data_copy / "policies/qingdao_2019.yaml"
    text = path.read_text(encoding="utf-8")
    cited = "打造10家标杆孵化器"
    path.write_text(
        text.replace(
            "quote: 市科创办统筹协调十五个攻势中孵化器建设有关目标和任务落实", f"quote: {cited}"
        ),
        "utf-8",
    )
    out = run("--data", str(data_copy), "check")
    assert out.returncode == 1
    assert "dismissed[0].quote: holds no figure that a record does not already cite" in out.stderr
