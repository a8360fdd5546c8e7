"""Exports carry their sources: Excel has a Sources sheet, charts carry a source line."""

from __future__ import annotations

import io
import zipfile

import altair as alt
import openpyxl
import pandas as pd

from components.exports import (
    chart_png,
    chart_svg,
    csv_bytes,
    evidence_pack,
    source_line,
    xlsx_bytes,
)
from policies.models import Atlas

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _clauses(atlas: Atlas) -> pd.DataFrame:
    doc = atlas.document("jiangdu_2023")
    return pd.DataFrame(
        [{"document": doc.id, "id": c.id, "quote": c.quote} for c in doc.policy.clauses]
    )


def test_the_source_line_names_documents_and_data_version() -> None:
    line = source_line(["jiangdu_2023", "liuzhou_2019"], "abc123")
    assert "jiangdu_2023" in line and "liuzhou_2019" in line and "abc123" in line


def test_csv_starts_with_a_bom_and_keeps_chinese() -> None:
    data = csv_bytes(pd.DataFrame({"quote": ["最高200万元"]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "最高200万元" in data.decode("utf-8-sig")


def test_the_excel_file_opens_and_its_sources_sheet_lists_every_quote(atlas: Atlas) -> None:
    sources = _clauses(atlas)
    data = xlsx_bytes(
        {"Compare": sources[["document", "id"]]},
        sources,
        {"jiangdu_2023.top_up": "difference"},
        source_line(["jiangdu_2023"], atlas.data_version),
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Compare", "Sources", "About"]
    quotes = {row[2] for row in book["Sources"].iter_rows(min_row=2, values_only=True)}
    assert quotes == set(sources["quote"])
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["interpretation jiangdu_2023.top_up"] == "difference"
    assert atlas.data_version in about["source"]


def _chart() -> alt.Chart:
    frame = pd.DataFrame({"document": ["江都 2023"], "low": [20.0]})
    return alt.Chart(frame, title="测试").mark_point().encode(x="document:N", y="low:Q")


def test_a_chart_exports_to_svg_with_its_source_line() -> None:
    svg = chart_svg(_chart(), "Source: test line v1")
    assert svg.lstrip().startswith("<svg") and "Source: test line v1" in svg


def test_a_chart_exports_to_png() -> None:
    assert chart_png(_chart(), "Source: test line v1", scale=1).startswith(PNG_MAGIC)


def test_the_evidence_pack_holds_every_file_and_a_manifest() -> None:
    data = evidence_pack({"a.csv": b"x", "profile.json": "{}"})
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert names == {"a.csv", "profile.json", "manifest.json"}
