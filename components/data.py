"""Cached access to the loaded documents and the tables the pages show."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd
import streamlit as st

import policies
from components.charts import amount_ranges, document_colors, target_panels
from components.compare import clause_rows
from components.compare import largest_amounts as build_largest
from components.export_panel import documents_table
from components.i18n import pick, t
from components.population_view import Input, sample_input
from components.simulate_charts import (
    spec,
    sweep_data,
    sweep_layers,
    totals_data,
    totals_layers,
    with_data,
)
from components.sources import documents_frame as build_documents
from components.targets import target_rows as build_target_rows
from policies.api import Batch
from policies.engine import Engine, Result
from policies.guidance import by_money, moving_input
from policies.loader import DataError
from policies.models import Atlas, Document
from policies.population import cost_of, synthetic_carriers
from policies.presets import Preset, load_presets
from policies.profile import Profile
from policies.readings import with_across
from policies.sweeps import SWEEP_FIELDS

DATA_ENV = "ATLAS_DATA"  # another data tree (e.g. a new document under review); default data/


def data_root() -> Path | None:
    """The data tree the app reads: $ATLAS_DATA when set, else the project's data/."""
    value = os.environ.get(DATA_ENV, "").strip()
    return Path(value) if value else None


@st.cache_resource(show_spinner=False)
def atlas() -> Atlas:
    """Load and cross-check every document once per server process."""
    return policies.load_all(data_root())


@st.cache_resource(show_spinner=False, max_entries=64)
def engine(choices: tuple[tuple[str, str], ...] = ()) -> Engine:
    """A prepared engine for one set of interpretation choices (id, choice) pairs."""
    return Engine(atlas(), dict(choices))


@st.cache_resource(show_spinner=False, max_entries=256)
def simulated(
    _profile: Profile, key: str, year: int | None, choices: tuple[tuple[str, str], ...] = ()
) -> Result:
    """One profile's result for a year and a set of readings, each document's range over every
    reading attached; shared by every session, since the examples are asked for again and again.
    `key` names `_profile` (its JSON). The result is shared: callers only read it."""
    eng = engine(choices)
    return with_across(eng, _profile, eng.evaluate(_profile, year))


@st.cache_resource(show_spinner=False, max_entries=256)
def first_whatif(
    _profile: Profile, key: str, choices: tuple[tuple[str, str], ...] = ()
) -> str | None:
    """The what-if input to open on for a profile: the first that moves some total (`key`
    names `_profile`, its JSON)."""
    return moving_input(engine(choices), _profile, SWEEP_FIELDS)


@st.cache_resource(show_spinner=False, max_entries=4)
def form_group_order(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """The form's groups, those whose fields unlock the most money in the data first."""
    return by_money(groups, engine())


@st.cache_data(show_spinner=False, max_entries=4)
def citation_table(version: str) -> pd.DataFrame:
    """Every document's citation row (the exports' Documents table), built once per data
    version (components.export_panel.documents_table)."""

    return documents_table(atlas())


@st.cache_data(show_spinner=False, max_entries=8)
def population_of_file(
    content: bytes, name: str, year: int | None, across: bool, version: str, max_rows: int
) -> Batch:
    """An uploaded file of carriers computed (none past `max_rows` rows), kept while the same
    file, year and readings are asked for again (`version` keys it to the data)."""
    readings = "all" if across else None
    return cost_of(content, name, year=year, readings=readings, data=data_root(), max_rows=max_rows)


@st.cache_data(show_spinner=False, max_entries=2)
def sample_file(size: int) -> Input:
    """The synthetic sample as the CSV file a user would upload, made once."""
    return sample_input(synthetic_carriers(size))


@st.cache_data(show_spinner=False, max_entries=8)
def population_of_sample(size: int, year: int | None, across: bool, version: str) -> Batch:
    """The synthetic sample computed once for every session, from the very file its evidence
    pack holds."""
    sample = sample_file(size)
    readings = "all" if across else None
    return cost_of(sample.content, sample.name, year=year, readings=readings, data=data_root())


@st.cache_resource(show_spinner=False)
def presets() -> list[Preset]:
    """The named example profiles of data/profiles."""
    return load_presets(data_root())


def atlas_or_stop() -> Atlas:
    """Return the atlas, or show the loaders' problems (policies or presets) and stop the page."""
    try:
        presets()  # the example profiles are data too: a broken one stops the app the same way
        return atlas()
    except DataError as err:
        st.error(_bullets(err.problems), title=t("common.data_invalid"))
        st.stop()


def _bullets(lines: list[str]) -> str:
    """Format lines as a Markdown list of code spans, so their text shows literally."""
    return "\n".join(f"- {_code_span(line)}" for line in lines)


def _code_span(text: str) -> str:
    """Wrap text in a Markdown code span whose fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def documents_in_order(data: Atlas) -> list[Document]:
    """The documents in the order a reader expects: by plan start, then issue date, then id."""
    return sorted(
        data.documents,
        key=lambda d: (d.provenance.period_start, str(d.provenance.issued or ""), d.id),
    )


def doc_colors(data: Atlas, lang: str) -> dict[str, str]:
    """Each document's short label in `lang` → its colour on every chart, fixed by the
    document's place among all documents in reading order (a filter never changes it)."""
    return document_colors([pick(d.policy.short_zh, d.policy.short_en, lang)
                            for d in data.in_reading_order()])  # fmt: skip


# --- Simulate page: chart specs. Building a layered Altair chart costs ~0.1-0.2 s, so the
# encoding (which depends only on the words, the order and the chart's shape) is cached, and
# each run attaches its rows (components.simulate_charts.with_data).


@st.cache_data(show_spinner=False, max_entries=64)
def _totals_layers(
    labels: tuple[tuple[str, str], ...], group: str | None, order: tuple[str, ...] | None
) -> dict:

    return spec(totals_layers(dict(labels), group, order))


def totals_spec(
    frame: pd.DataFrame,
    labels: tuple[tuple[str, str], ...],
    group: str | None = None,
    order: tuple[str, ...] | None = None,
) -> dict:
    """The Vega-Lite spec of a totals chart (components.simulate_charts.totals_chart)."""

    return with_data(_totals_layers(labels, group, order), totals_data(frame))


@st.cache_data(show_spinner=False, max_entries=64)
def _sweep_layers(
    labels: tuple[tuple[str, str], ...],
    order: tuple[str, ...] | None,
    steps: bool,
    crossings: bool,
    current: bool,
) -> dict:

    return spec(sweep_layers(dict(labels), order, steps, crossings, current))


def sweep_spec(
    frame: pd.DataFrame,
    crossings: pd.DataFrame,
    labels: tuple[tuple[str, str], ...],
    current: float | None = None,
    order: tuple[str, ...] | None = None,
    steps: bool = False,
) -> dict:
    """The Vega-Lite spec of a what-if chart (components.simulate_charts.sweep_chart)."""

    words = dict(labels)
    data = sweep_data(frame, crossings, words, current)
    # the current value's label is data, not encoding: keep it out of the cache key
    key = tuple((k, v) for k, v in labels if k != "current")
    layers = _sweep_layers(key, order, steps, not crossings.empty, current is not None)
    return with_data(layers, data)


# --- research pages (Compare, Targets): chart specs, cached ---------------------------------
# A faceted, layered Altair chart costs ~0.2 s to build and validate; tests/test_charts.py
# validates the builders' output, so the cached spec is made without re-validating.


@st.cache_data(show_spinner=False, max_entries=32)
def amounts_spec(
    _marks: pd.DataFrame,
    view: tuple,
    text: tuple[tuple[str, str], ...],
    documents: tuple[tuple[str, str], ...],
    log: bool,
) -> dict:
    """The Vega-Lite spec of the comparable-amounts chart (components.charts.amount_ranges);
    `documents` pairs each document label shown with its colour.

    `_marks` is not hashed (hashing a frame costs more than the lookup saves): `view` names it
    (language and filters; the marks are a function of them and of the data loaded once).
    """

    chart = amount_ranges(_marks, dict(text), documents=dict(documents), log=log)
    return chart.to_dict(validate=False)


@st.cache_data(show_spinner=False, max_entries=32)
def targets_spec(
    _frame: pd.DataFrame,
    view: tuple,
    panel_order: tuple[str, ...],
    text: tuple[tuple[str, str], ...],
    documents: tuple[tuple[str, str], ...],
    log: bool,
) -> dict:
    """The Vega-Lite spec of the targets chart (components.charts.target_panels); `_frame` is
    named by `view` (language and filters), as in `amounts_spec`."""

    chart = target_panels(_frame, list(panel_order), dict(text), documents=dict(documents), log=log)
    return chart.to_dict(validate=False)


# --- research pages: per-language tables built from the atlas once, not on every rerun -------
# `version` (the data version) is part of each key, so a reloaded tree never meets old rows.


@st.cache_data(show_spinner=False, max_entries=8)
def compare_rows(lang: str, version: str) -> pd.DataFrame:
    """Compare's money-clause rows in one language (components.compare.clause_rows)."""

    return clause_rows(atlas(), lang)


@st.cache_data(show_spinner=False, max_entries=8)
def target_rows(lang: str, version: str) -> pd.DataFrame:
    """The Targets page's rows in one language (components.targets.target_rows)."""

    return build_target_rows(atlas(), lang)


@st.cache_data(show_spinner=False, max_entries=8)
def largest_amounts(lang: str, shown: int, version: str) -> pd.DataFrame:
    """The Overview's largest stated amounts (components.compare.largest_amounts)."""

    return build_largest(atlas(), lang, shown)


@st.cache_data(show_spinner=False, max_entries=8)
def documents_frame(lang: str, today: str, version: str) -> pd.DataFrame:
    """The Overview's document table for one language and day (components.sources)."""

    return build_documents(atlas(), lang, dt.date.fromisoformat(today))
