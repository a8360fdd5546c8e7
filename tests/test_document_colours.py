"""One colour per document everywhere: a document's colour is fixed by its place among all
documents in reading order, so no filter, page or chart changes it."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from components import simulate_charts as sim
from components import simulate_view as view
from components import simulate_whatif as whatif
from components.charts import DOC_PALETTE, colors_of, document_colors
from components.data import doc_colors, documents_in_order
from components.display import doc_label
from policies.engine import Engine
from policies.models import Atlas
from policies.presets import load_presets
from tests.test_page_research import open_page

DOC_FIELDS = ("doc_label", "name")  # the fields that name a document on the app's charts
LABELS = {"document": "Document", "amount": "Amount", "wording": "Wording", "x": "x"}
LABELS |= {"crossover": "Crossover", "current": "Current"}


def colour_pairs(spec: Any) -> dict[str, str]:
    """Every document → colour pairing (a scale's domain and range) anywhere in a chart spec."""
    pairs: dict[str, str] = {}
    if isinstance(spec, dict):
        scale = spec.get("scale")
        if spec.get("field") in DOC_FIELDS and isinstance(scale, dict) and "range" in scale:
            assert len(scale["domain"]) == len(scale["range"]), spec
            for doc, colour in zip(scale["domain"], scale["range"], strict=True):
                assert pairs.setdefault(doc, colour) == colour, doc
        for value in spec.values():
            pairs.update(colour_pairs(value))
    elif isinstance(spec, list):
        for value in spec:
            pairs.update(colour_pairs(value))
    return pairs


def page_pairs(page: str, **state: object) -> dict[str, str]:
    """The document colours of every chart a page draws (English) with the given state."""
    at = open_page(page, "en", **state)
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert specs, f"{page} draws a chart"
    pairs: dict[str, str] = {}
    for spec in specs:
        pairs.update(colour_pairs(spec))
    assert pairs, f"{page} colours its documents"
    return pairs


def test_each_document_has_its_own_colour_fixed_by_its_place_in_reading_order(
    atlas: Atlas,
) -> None:
    labels = [doc_label(d, "en") for d in documents_in_order(atlas)]
    colours = doc_colors(atlas, "en")
    assert list(colours) == labels
    assert list(colours.values()) == list(DOC_PALETTE[: len(labels)])
    assert len(set(colours.values())) == len(labels)
    assert doc_colors(atlas, "zh") == dict(
        zip([doc_label(d, "zh") for d in documents_in_order(atlas)], colours.values(), strict=True)
    )


def test_the_colours_of_a_filtered_chart_are_those_of_all_documents() -> None:
    everyone = document_colors(["A", "B", "C", "D"])
    assert colors_of(everyone, ["D", "B"]) == {"B": everyone["B"], "D": everyone["D"]}


@pytest.mark.parametrize(
    ("page", "state", "filtered"),
    [
        ("compare", {"view": "chart"}, {"docs": ["liuzhou_2019", "jiangdu_2023"]}),
        ("targets", {"tview": "chart"}, {"tdocs": ["liuzhou_2019", "qingdao_2019"]}),
        ("targets", {"tview": "timeline"}, {"tdocs": ["liuzhou_2019", "qingdao_2019"]}),
    ],
    ids=["compare-amounts", "targets-chart", "targets-timeline"],
)
def test_a_document_filter_never_changes_a_documents_colour(
    atlas: Atlas, page: str, state: dict, filtered: dict
) -> None:
    colours = doc_colors(atlas, "en")
    everything = page_pairs(page, **state)
    chosen = page_pairs(page, **state, **filtered)
    shown = {doc_label(atlas.document(d), "en") for d in next(iter(filtered.values()))}
    assert set(chosen) == shown  # the legend lists only the documents drawn
    assert set(chosen) < set(everything)
    for doc, colour in chosen.items():
        assert colour == everything[doc] == colours[doc], doc
    assert everything.items() <= colours.items()


def test_the_population_chart_colours_each_document_as_every_other_chart(atlas: Atlas) -> None:
    pairs = page_pairs("population", pop_sample=True)
    assert pairs == doc_colors(atlas, "en")


def test_the_simulate_charts_colour_each_document_as_every_other_chart(atlas: Atlas) -> None:
    colours = doc_colors(atlas, "en")
    order = view.document_names(atlas, "en")
    preset = load_presets()[0]
    eng = Engine(atlas)
    result = eng.evaluate(preset.profile)
    totals = sim.totals_chart(view.totals_frame(result, atlas, "en"), LABELS, order=order)
    assert colour_pairs(totals.to_dict()) == colours
    sweep = eng.sweep(preset.profile, "renovation_cost", [0.0, 100.0, 500.0])
    in_force = {doc.id: doc.in_force for doc in result.documents}
    frame = whatif.sweep_frame(sweep, atlas, "en", in_force)
    chart = sim.sweep_chart(frame, pd.DataFrame(), LABELS, order=order)
    assert colour_pairs(chart.to_dict()) == colours
