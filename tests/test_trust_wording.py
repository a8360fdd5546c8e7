"""The screen says no more and no less than the text: who pays, per what, and what is inferred."""

from __future__ import annotations

import datetime as dt

from components.compare import clause_rows
from components.display import amount_short, amount_text
from components.simulate_view import validity_text
from components.sources import document_facts
from components.targets import target_rows
from policies.engine import Engine
from policies.models import Atlas
from policies.profile import parse_profile
from policies.tables import document_row


def _clause(atlas: Atlas, ident: str):
    doc = atlas.document(ident.split(".")[0])
    return next(c for c in doc.policy.clauses if c.id == ident)


def test_a_benchmark_award_reads_per_carrier_with_its_yearly_period_marked_inferred(atlas):
    c = _clause(atlas, "liuzhou_2019.benchmark_incubator")
    zh = amount_text(c.amount, c.period, "zh", c.period_inferred)
    en = amount_text(c.amount, c.period, "en", c.period_inferred)
    assert "80万元/家" in zh and "推定" in zh
    assert "per carrier" in en and "inferred" in en
    assert "/家" in amount_short(c.amount, c.period, "zh", c.period_inferred)


def test_a_yearly_award_the_text_dates_is_not_marked_inferred(atlas):
    c = _clause(atlas, "jiangdu_2023.first_hte_or_graduate")
    assert "inferred" not in amount_text(c.amount, c.period, "en", c.period_inferred)


def test_a_plan_period_inferred_from_target_years_says_so_wherever_validity_is_shown(atlas):
    wuhan, jiangdu = atlas.document("wuhan_2021"), atlas.document("jiangdu_2023")
    assert "inferred" in validity_text(wuhan, 2030, "en")
    assert "推定" in validity_text(wuhan, 2022, "zh")
    assert "inferred" not in validity_text(jiangdu, 2030, "en")
    today = dt.date(2026, 12, 1)
    assert "inferred" in str(
        document_facts(atlas.document("liuzhou_2016"), "en", today)["status_text"]
    )


def test_a_plain_target_figure_is_called_a_stated_figure_not_an_equals_sign(atlas):
    rows = target_rows(atlas, "en")
    plain = rows[rows["comparator"] == "="]
    assert not plain.empty
    assert set(plain["comparator_label"]) == {"stated figure (目标数)"}
    zh = target_rows(atlas, "zh")
    assert set(zh[zh["comparator"] == "="]["comparator_label"]) == {"目标数"}


def test_money_offered_by_others_is_kept_out_of_a_document_s_clause_counts(atlas):
    doc = atlas.document("liuzhou_2019")
    row = document_row(doc, atlas.data_version)
    assert row["clauses_non_government"] == 1
    assert row["clauses_quantified"] + row["clauses_qualitative"] == len(doc.policy.clauses) - 1


def test_money_offered_by_others_is_shown_but_not_added_to_any_total(atlas):
    # the Jiangdu contest prizes stand in, marked as paid by others
    doc = atlas.document("jiangdu_2023")
    clauses = [
        c.model_copy(update={"payer": "non_government"}) if c.id.endswith("contest_prizes") else c
        for c in doc.policy.clauses
    ]
    policy = doc.policy.model_copy(update={"clauses": clauses})
    documents = [
        d.model_copy(update={"policy": policy}) if d.id == doc.id else d for d in atlas.documents
    ]
    other = atlas.model_copy(update={"documents": documents})
    profile = parse_profile({"contest_awards": [{"level": "provincial", "rank": 1}]})
    result = Engine(other).evaluate(profile).document("jiangdu_2023")
    line = next(x for x in result.lines if x.clause.endswith("contest_prizes"))
    assert (line.status, line.low, line.payer) == ("computed", 20, "non_government")
    assert "not government money" in line.why_en
    assert result.total.low == 0 and result.by_recipient == {}


def test_compare_names_guangxi_s_province_level_tier_as_the_document_does(atlas):
    rows = clause_rows(atlas, "zh").set_index("id")
    assert rows.loc["liuzhou_2019.upgrade_incubator_provincial", "tag"] == "孵化器·自治区级"
    assert rows.loc["jiangdu_2023.recognition_incubator_provincial", "tag"] == "孵化器·省级"
    en = clause_rows(atlas, "en").set_index("id")
    assert "autonomous-region level" in en.loc["liuzhou_2019.upgrade_incubator_provincial", "tag"]
