"""Cached access to the loaded documents and the tables the pages show."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

import policies
from policies.engine import Engine
from policies.loader import DataError
from policies.models import Atlas
from policies.presets import Preset, load_presets
from policies.tables import tables

STATUS_LABELS: dict[str, str] = {
    "quantified": "量化 Quantified",
    "qualitative": "未定金额 Amount not stated",
}


@st.cache_resource(show_spinner=False)
def atlas() -> Atlas:
    """Load and cross-check every document once per server process."""
    return policies.load_all()


@st.cache_resource(show_spinner=False, max_entries=64)
def engine(choices: tuple[tuple[str, str], ...] = ()) -> Engine:
    """A prepared engine for one set of interpretation choices (id, choice) pairs."""
    return Engine(atlas(), dict(choices))


@st.cache_resource(show_spinner=False)
def presets() -> list[Preset]:
    """The named example profiles of data/profiles."""
    return load_presets()


@st.cache_data(show_spinner=False, max_entries=4)
def table(name: str) -> pd.DataFrame:
    """One of the public tables (documents, targets, clauses) as a data frame."""
    return pd.DataFrame(tables(atlas())[name])


def atlas_or_stop() -> Atlas:
    """Return the atlas, or show the loader's problems and stop the page."""
    try:
        return atlas()
    except DataError as err:
        st.error(_bullets(err.problems), title="数据校验失败 The policy data failed validation")
        st.stop()


def _bullets(lines: list[str]) -> str:
    """Format lines as a Markdown list of code spans, so their text shows literally."""
    return "\n".join(f"- {_code_span(line)}" for line in lines)


def _code_span(text: str) -> str:
    """Wrap text in a Markdown code span whose fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def documents_table(data: Atlas) -> pd.DataFrame:
    """One row per document: identity, issuer, dates, period and counts."""
    rows = []
    for doc in data.documents:
        prov = doc.provenance
        place = prov.place
        statuses = [clause.status for clause in doc.policy.clauses]
        rows.append(
            {
                "id": doc.id,
                "地区 Place": f"{place.city_zh} {place.city_en} · {place.province_zh}",
                "发文机关 Issuer": prov.issuer_zh,
                "文号": prov.doc_number,
                "发布日期 Issued": prov.issued,
                "期限 Period": f"{prov.period_start}–{prov.period_end}",
                "目标 Targets": len(doc.policy.targets),
                "量化条款 Quantified": statuses.count("quantified"),
                "未定金额 Not stated": statuses.count("qualitative"),
            }
        )
    return pd.DataFrame(rows)


def clause_counts(data: Atlas) -> pd.DataFrame:
    """Long table of money-clause counts: document, status label, clauses."""
    rows = [
        {
            "document": doc.id,
            "status": label,
            "clauses": sum(1 for clause in doc.policy.clauses if clause.status == status),
        }
        for doc in data.documents
        for status, label in STATUS_LABELS.items()
    ]
    return pd.DataFrame(rows, columns=["document", "status", "clauses"])
