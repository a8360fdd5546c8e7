"""Conventions over the whole data tree: every value cited, every quote found, every id resolves."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from policies.checks import amount_numbers, clean_quote, number_in_text
from policies.models import Atlas

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DOC_IDS = {"liuzhou_2016", "liuzhou_2019", "qingdao_2019", "wuhan_2021", "jiangdu_2023"}


def test_the_five_documents_are_loaded_under_their_fixed_ids(atlas: Atlas) -> None:
    assert {d.id for d in atlas.documents} == DOC_IDS


def test_every_source_text_matches_its_recorded_sha256(atlas: Atlas) -> None:
    for doc in atlas.documents:
        raw = (ROOT / "data" / "sources" / doc.provenance.file).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == doc.provenance.sha256


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the scraped seeds are not beside this checkout")
def test_every_source_text_is_a_byte_for_byte_copy_of_its_seed(atlas: Atlas) -> None:
    for doc in atlas.documents:
        ours = (ROOT / "data" / "sources" / doc.provenance.file).read_bytes()
        assert ours == (SEEDS / doc.provenance.seed_file).read_bytes()


def test_every_quote_is_found_verbatim_in_its_source(atlas: Atlas) -> None:
    for doc in atlas.documents:
        for record in [*doc.policy.targets, *doc.policy.clauses]:
            assert record.quote in doc.text, record.id


def test_every_number_of_a_clause_appears_in_its_cleaned_quote(atlas: Atlas) -> None:
    for doc in atlas.documents:
        for clause in doc.policy.clauses:
            cleaned = clean_quote(clause.quote, doc.provenance)
            for n in amount_numbers(clause.amount):
                assert number_in_text(n, cleaned), f"{clause.id}: {n}"


def test_every_target_value_appears_in_its_cleaned_quote(atlas: Atlas) -> None:
    for doc in atlas.documents:
        for t in doc.policy.targets:
            cleaned = clean_quote(t.quote, doc.provenance)
            if t.value_words:
                assert t.value_words in cleaned, t.id
            else:
                assert number_in_text(t.value, cleaned), t.id


def test_a_page_fragment_inside_a_number_is_corrected_before_the_check(atlas: Atlas) -> None:
    doc = atlas.document("jiangdu_2023")
    clause = next(c for c in doc.policy.clauses if c.id == "jiangdu_2023.major_platform_equipment")
    assert "300万\n6、元" in clause.quote
    assert "300万元以上" in clean_quote(clause.quote, doc.provenance)


def test_every_clause_has_a_known_category_recipient_and_amount_form(atlas: Atlas) -> None:
    for doc in atlas.documents:
        for c in doc.policy.clauses:
            assert c.category in atlas.taxonomy.categories, c.id
            assert c.recipient in atlas.taxonomy.recipients, c.id
            assert c.amount.kind, c.id


def test_qualitative_clauses_carry_no_number_as_an_amount(atlas: Atlas) -> None:
    for doc in atlas.documents:
        for c in doc.policy.clauses:
            if c.amount.kind == "not_stated":
                assert c.status == "qualitative"
                assert not hasattr(c.amount, "value"), c.id


def test_ids_are_unique_across_the_whole_tree(atlas: Atlas) -> None:
    ids = [
        r.id
        for d in atlas.documents
        for r in [*d.policy.targets, *d.policy.clauses, *d.policy.interpretations]
    ]
    assert len(ids) == len(set(ids))


def test_every_interpretation_is_used_and_every_reading_resolves(atlas: Atlas) -> None:
    interpretations = atlas.interpretations
    used = set()
    for doc in atlas.documents:
        for c in doc.policy.clauses:
            for r in c.readings:
                assert r.choice in [ch.id for ch in interpretations[r.interpretation].choices]
                used.add(r.interpretation)
        used.update(t.interpretation for t in doc.policy.targets if t.interpretation)
    assert used == set(interpretations)


def test_every_part_of_points_at_a_target_of_the_same_document(atlas: Atlas) -> None:
    for doc in atlas.documents:
        ids = {t.id for t in doc.policy.targets}
        for t in doc.policy.targets:
            assert t.part_of is None or t.part_of in ids


def test_every_artifact_raw_reading_is_in_its_source(atlas: Atlas) -> None:
    for doc in atlas.documents:
        for art in doc.provenance.artifacts:
            assert art.raw in doc.text, art.id


def test_every_document_has_english_and_chinese_labels(atlas: Atlas) -> None:
    for doc in atlas.documents:
        assert doc.policy.short_en and doc.policy.short_zh
        for c in doc.policy.clauses:
            assert c.title_en and c.title_zh, c.id
        for t in doc.policy.targets:
            assert t.metric_en and t.metric_zh, t.id
