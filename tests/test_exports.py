"""Exports carry their sources: Excel has a Sources sheet, charts carry a source line."""

from __future__ import annotations

import io
import zipfile

import altair as alt
import openpyxl
import pandas as pd

from components.export_panel import interpretations_of, quotes_frame, readings_in_force
from components.exports import (
    EXPORT_WIDTH,
    Evidence,
    chart_png,
    chart_svg,
    csv_bytes,
    evidence_pack,
    source_line,
    stamped,
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


def test_the_source_line_joins_the_chart_subtitle_once() -> None:
    spec = stamped(_chart(), "Source: test line v1")
    assert spec["title"]["text"] == "测试"
    assert spec["title"]["subtitle"] == ["Source: test line v1"]
    again = stamped(spec, "Source: test line v1")
    assert again["title"]["subtitle"] == ["Source: test line v1"]


def test_a_chart_drawn_to_the_page_width_exports_at_a_fixed_width() -> None:
    spec = {**_chart().to_dict(), "width": "container"}
    assert stamped(spec, "x")["width"] == EXPORT_WIDTH


def _evidence(atlas: Atlas) -> Evidence:
    sources = _clauses(atlas)
    return Evidence(
        stem="compare_list_v1",
        line=source_line(["jiangdu_2023"], atlas.data_version),
        tables={"Clauses": sources[["document", "id"]], "Not drawn": sources[["id"]]},
        sources=sources,
        interpretations={"jiangdu_2023.top_up": "difference (default)"},
        charts={"amounts": _chart().to_dict()},
        profile_json='{"carrier_type": "incubator"}\n',
    )


def test_the_evidence_pack_holds_tables_quotes_charts_profile_and_readings(
    atlas: Atlas,
) -> None:
    evidence = _evidence(atlas)
    archive = zipfile.ZipFile(io.BytesIO(evidence.pack()))
    assert set(archive.namelist()) == {
        "compare_list_v1.xlsx",
        "compare_list_v1_Clauses.csv",
        "compare_list_v1_Not_drawn.csv",
        "compare_list_v1_sources.csv",
        "compare_list_v1_amounts.svg",
        "compare_list_v1_amounts.png",
        "profile.json",
        "SOURCE.txt",
        "manifest.json",
    }
    assert archive.read("compare_list_v1_amounts.png").startswith(PNG_MAGIC)
    assert evidence.line in archive.read("compare_list_v1_amounts.svg").decode()
    readme = archive.read("SOURCE.txt").decode()
    assert atlas.data_version in readme and "jiangdu_2023.top_up: difference" in readme
    quotes = archive.read("compare_list_v1_sources.csv").decode("utf-8-sig")
    assert all(q.splitlines()[0] in quotes for q in evidence.sources["quote"])


def test_the_evidence_csv_is_the_first_table(atlas: Atlas) -> None:
    evidence = _evidence(atlas)
    assert evidence.csv() == csv_bytes(evidence.tables["Clauses"])
    book = openpyxl.load_workbook(io.BytesIO(evidence.workbook()))
    assert book.sheetnames == ["Clauses", "Not drawn", "Sources", "About"]


def test_the_sources_of_a_view_are_the_quotes_of_its_clauses_and_targets_once_each(
    atlas: Atlas,
) -> None:
    doc = atlas.document("liuzhou_2019").policy
    ids = [doc.clauses[0].id, doc.targets[0].id, doc.clauses[0].id, "no.such_id"]
    frame = quotes_frame(atlas, ids, "en")
    assert list(frame["id"]) == [doc.clauses[0].id, doc.targets[0].id]
    assert list(frame["quote"]) == [doc.clauses[0].quote, doc.targets[0].quote]
    assert set(frame["document"]) == {"liuzhou_2019"}


def test_the_readings_in_force_say_which_are_defaults_and_which_were_changed(
    atlas: Atlas,
) -> None:
    interp = atlas.interpretations["jiangdu_2023.top_up"]
    other = next(c for c in interp.choices if c.id != interp.default)
    default = readings_in_force(atlas, "en", only=[interp.id])
    changed = readings_in_force(atlas, "en", {interp.id: other.id}, only=[interp.id])
    assert list(default) == [interp.id]
    assert default[interp.id].endswith("(default)")
    assert other.label_en in changed[interp.id] and changed[interp.id].endswith("(changed)")


def test_a_clause_brings_the_interpretations_that_change_it(atlas: Atlas) -> None:
    clause = next(c for d in atlas.documents for c in d.policy.clauses if c.interpretations)
    assert interpretations_of(atlas, [clause.id]) == clause.interpretations
