"""Exports carry their sources: Excel has a Sources sheet, charts carry a source line."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile

import altair as alt
import openpyxl
import pandas as pd
import pytest

from components.charts import AMOUNT_EXPORT_WIDTH, document_colors
from components.data import documents_in_order
from components.display import doc_label
from components.export_panel import (
    cited_csv,
    interpretations_of,
    quotes_frame,
    readings,
    readings_in_force,
    stamp,
    view_evidence,
)
from components.exports import (
    EXPORT_WIDTH,
    Evidence,
    Reading,
    chart_png,
    chart_svg,
    chart_width,
    csv_bytes,
    evidence_pack,
    source_line,
    stamped,
    text_width,
    xlsx_bytes,
)
from components.simulate_charts import totals_chart
from policies.models import Atlas
from policies.tables import CITATION_COLUMNS, INFERRED_MARK
from tests.conftest import ROOT

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
    assert about["reading"] == "difference"
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
    assert atlas.data_version in readme and "- difference (default)" in readme
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


# --- the Documents table: every export cites its documents from their provenance records ---


def _csv_sections(data: bytes) -> dict[str, list[dict[str, str]]]:
    """A CSV export read back: the main table and, after an empty line, the named sections."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sections: dict[str, list[list[str]]] = {"main": []}
    current = "main"
    for i, row in enumerate(rows):
        if not row:
            current = rows[i + 1][0]
            sections[current] = []
        elif row != [current]:
            sections[current].append(row)
    return {
        name: [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
        for name, lines in sections.items()
    }


def _csv_by_id(data: bytes) -> list[dict[str, str]]:
    """The main table of a CSV export keyed by stable column ids (from its Columns section)."""
    sections = _csv_sections(data)
    ids = {row["header"]: row["id"] for row in sections["Columns"]}
    return [{ids[k]: v for k, v in row.items()} for row in sections["main"]]


def _sheet(data: bytes, name: str) -> list[dict[str, str]]:
    """One sheet of an .xlsx export as rows of text (empty cells as '')."""
    sheet = openpyxl.load_workbook(io.BytesIO(data))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [
        {str(k): "" if v is None else str(v) for k, v in zip(rows[0], row, strict=True)}
        for row in rows[1:]
    ]


def _zip_csv(data: bytes, suffix: str) -> list[dict[str, str]]:
    """The one CSV of an evidence pack whose name ends with `suffix`, as rows of text."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    (name,) = [n for n in archive.namelist() if n.endswith(suffix)]
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _assert_cites_provenance(rows: list[dict[str, str]], atlas: Atlas) -> None:
    """Each documents row says what the document's provenance record and source file say."""
    for row in rows:
        p = atlas.document(row["document"]).provenance
        assert row["title_zh"] == p.title_zh and row["title_en"] == p.title_en
        assert p.place.city_zh in row["place_zh"] and p.place.province_zh in row["place_zh"]
        assert p.place.city_en in row["place_en"] and p.place.province_en in row["place_en"]
        assert row["issuer_zh"] == p.issuer_zh and row["issuer_en"] == p.issuer_en
        assert row["doc_number"] == (p.doc_number or "")
        assert row["issued"] == (p.issued.isoformat() if p.issued else "")
        period = f"{p.period_start}–{p.period_end}"
        assert row["period"] == (period + INFERRED_MARK if p.period_inferred else period)
        assert row["published_zh"] == p.published_zh and row["published_en"] == p.published_en
        assert row["source_file"] == p.file
        assert row["sha256"] == p.sha256
        digest = hashlib.sha256((ROOT / "data" / "sources" / p.file).read_bytes()).hexdigest()
        assert row["sha256"] == digest


def _research_evidence(atlas: Atlas, documents: list[str]) -> Evidence:
    """A research view's evidence as the pages build it: clauses, quotes, documents shown."""
    clauses = [
        {"document": d.id, "id": c.id, "title": c.title_en}
        for d in atlas.documents
        if not documents or d.id in documents
        for c in d.policy.clauses
    ]
    frame = pd.DataFrame(clauses)
    return view_evidence(
        atlas, "en", "compare_list", {"Clauses": frame}, frame["id"], None, documents
    )


def test_every_export_lists_every_document_of_an_unfiltered_view_from_its_provenance(
    atlas: Atlas,
) -> None:
    evidence = _research_evidence(atlas, [])
    everyone = {d.id for d in atlas.documents}
    from_csv = _csv_sections(evidence.csv())["Documents"]
    from_xlsx = _sheet(evidence.workbook(), "Documents")
    from_zip = _zip_csv(evidence.pack(), "_documents.csv")
    for rows in (from_csv, from_xlsx, from_zip):
        assert [r["document"] for r in rows] == [d.id for d in documents_in_order(atlas)]
        assert set(rows[0]) == set(CITATION_COLUMNS)
        _assert_cites_provenance(rows, atlas)
    assert {r["document"] for r in from_csv} == everyone


def test_a_filtered_view_lists_the_documents_it_shows(atlas: Atlas) -> None:
    evidence = _research_evidence(atlas, ["liuzhou_2019", "wuhan_2021"])
    rows = _sheet(evidence.workbook(), "Documents")
    assert [r["document"] for r in rows] == ["liuzhou_2019", "wuhan_2021"]
    _assert_cites_provenance(rows, atlas)
    assert "liuzhou_2019, wuhan_2021" in evidence.line


def test_an_inferred_period_is_marked_and_a_stated_one_is_not(atlas: Atlas) -> None:
    rows = {r["document"]: r for r in _sheet(_research_evidence(atlas, []).workbook(), "Documents")}
    inferred = {d.id for d in atlas.documents if d.provenance.period_inferred}
    assert inferred  # the data has both kinds
    for doc_id, row in rows.items():
        assert row["period"].endswith(INFERRED_MARK) == (doc_id in inferred)
        assert row["period_inferred"] == str(doc_id in inferred)


def test_every_row_naming_a_document_carries_its_title_next_to_the_id(atlas: Atlas) -> None:
    evidence = _research_evidence(atlas, [])
    main = _csv_by_id(evidence.csv())
    clauses = _sheet(evidence.workbook(), "Clauses")
    sources = _sheet(evidence.workbook(), "Sources")
    for rows in (main, clauses, sources):
        columns = list(rows[0])
        assert columns[columns.index("document") + 1] == "document_title"
        for row in rows:
            assert row["document_title"] == atlas.document(row["document"]).provenance.title_en


def test_the_readings_of_an_export_are_questions_and_answers_in_words(atlas: Atlas) -> None:
    doc = atlas.document("jiangdu_2023")
    clause = next(c for c in doc.policy.clauses if "jiangdu_2023.top_up" in c.interpretations)
    frame = pd.DataFrame([{"document": doc.id, "id": clause.id}])
    evidence = view_evidence(atlas, "en", "compare_list", {"Clauses": frame}, [clause.id])
    about = {r["key"]: r["value"] for r in _sheet(evidence.workbook(), "About")}
    readme = zipfile.ZipFile(io.BytesIO(evidence.pack())).read("SOURCE.txt").decode()
    for ident in clause.interpretations:
        interp = atlas.interpretations[ident]
        answer = next(c.label_en for c in interp.choices if c.id == interp.default)
        assert about[interp.question_en] == f"{answer} (default)"
        assert f"{interp.question_en} → {answer} (default)" in readme
        assert all(ident not in text for text in (*about, *about.values(), readme))


def test_the_readings_are_in_the_readers_language(atlas: Atlas) -> None:
    interp = atlas.interpretations["jiangdu_2023.top_up"]
    other = next(c for c in interp.choices if c.id != interp.default)
    reading = readings(atlas, "zh", {interp.id: other.id}, only=[interp.id])[interp.id]
    assert reading == Reading(interp.question_zh, f"{other.label_zh} (已更改)")


# --- a chart image: one source line, inside the chart, and its whole legend ---------------


def _app_charts(atlas: Atlas) -> dict[str, dict]:
    """Every chart the research pages draw, each with its own on-screen source line."""
    from components import compare as cmp
    from components import targets as tg
    from components.charts import amount_ranges, target_panels

    frame = cmp.clause_rows(atlas, "en")
    marks, _ = cmp.amount_marks(frame, atlas, "en")
    labels = {d.id: doc_label(d, "en") for d in documents_in_order(atlas)}
    text = {k: k for k in ("x", "doc", "clause", "amount", "recipient", "period", "section")}
    text |= {"quote": "quote", "id": "id", "title": "Amounts", "source": "Source: on screen"}
    amounts = amount_ranges(marks, text, documents=document_colors(list(labels.values())))
    rows = tg.target_rows(atlas, "en")
    words = {k: k for k in ("x_title", "doc", "metric", "value", "deadline", "basis", "nature")}
    words |= {"part_of": "p", "section": "s", "quote": "q", "id": "i", "title": "Targets"}
    words["source"] = "Source: on screen"
    panels = tg.panel_order(rows)
    targets = target_panels(rows, panels, words, documents=document_colors(list(labels.values())))
    return {"amounts": amounts.to_dict(), "targets": targets.to_dict()}


def _squeezed(text: str) -> str:
    """The text without its spaces (a wrapped line loses the spaces it was cut at)."""
    return "".join(text.split())


def test_an_exported_chart_names_its_source_once_wrapped_inside_its_width(atlas: Atlas) -> None:
    line = stamp(atlas, [], "en", "a long tail " * 12)
    words = {"document": "Document", "amount": "Amount", "wording": "Wording", "title": "Totals"}
    totals = pd.DataFrame(
        {"name": ["A"], "low": [1.0], "high": [2.0], "kind": ["range"], "text": ["1–2"]}
    ).assign(short="1–2", in_force=True)
    on_screen = totals_chart(totals, {**words, "subtitle": "Source: on screen"}, order=["A"])
    charts = {**_app_charts(atlas), "simple": _chart().to_dict(), "totals": on_screen.to_dict()}
    for name, spec in charts.items():
        out = stamped(spec, line)
        subtitle = out["title"]["subtitle"]
        assert _squeezed("".join(subtitle)) == _squeezed(line), name  # nothing lost
        assert len(subtitle) > 1, name  # the long line is wrapped, not cut
        assert sum(part.startswith("Source") for part in subtitle) == 1, name
        assert all(text_width(part) <= chart_width(out) for part in subtitle), name


def test_a_chinese_source_line_wraps_between_characters_inside_the_width(atlas: Atlas) -> None:
    line = stamp(atlas, [], "zh", "按所填机构情况计算" * 10)
    subtitle = stamped(_chart(), line)["title"]["subtitle"]
    assert _squeezed("".join(subtitle)) == _squeezed(line)
    assert len(subtitle) > 1 and all(text_width(p) <= EXPORT_WIDTH for p in subtitle)


def test_the_rendered_picture_is_not_widened_by_its_source_line() -> None:
    svg = chart_svg(_chart(), "Source: " + "a very long source line " * 20)
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
    assert width < EXPORT_WIDTH + 120  # the chart, its axis and padding; no overhanging text


def test_an_exported_legend_shows_every_label_whole() -> None:
    names = [f"Document with a rather long label number {i}" for i in range(8)]
    frame = pd.DataFrame({"doc_label": names, "low": range(8)})
    chart = (
        alt.Chart(frame)
        .mark_point()
        .encode(x="low:Q", color=alt.Color("doc_label:N", legend=alt.Legend(orient="top")))
    )
    svg = chart_svg(chart, "Source: test line v1")
    assert all(name in svg for name in names)
    assert "…" not in svg


def test_a_legend_above_an_exported_chart_fits_its_labels_in_the_width(atlas: Atlas) -> None:
    for name, spec in _app_charts(atlas).items():
        out = stamped(spec, "Source: test line v1")
        encoding = out.get("spec", out)["encoding"]["color"]
        labels = encoding["scale"]["domain"]
        columns = encoding["legend"]["columns"]
        longest = max(text_width(label, 10) for label in labels)
        assert columns >= 1 and columns * (longest + 32) <= chart_width(out), name
        assert encoding["legend"]["labelLimit"] == 0, name


def test_the_compare_amounts_chart_exports_as_a_png_at_its_own_width_with_one_source_line(
    atlas: Atlas,
) -> None:
    spec = _app_charts(atlas)["amounts"]
    line = stamp(atlas, [], "en")
    out = stamped(spec, line)
    assert out["width"] == AMOUNT_EXPORT_WIDTH
    assert all(text_width(part) <= AMOUNT_EXPORT_WIDTH for part in out["title"]["subtitle"])
    png = chart_png(spec, line, scale=1.0)
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk's width
    assert AMOUNT_EXPORT_WIDTH <= width < AMOUNT_EXPORT_WIDTH + 40  # the whole chart, no overhang


# --- the CSV: headers in the reader's language, ids kept, no amount not stated shown as 0 ---


def _summary() -> pd.DataFrame:
    """A population summary as Cost to a place exports it: one document paid, one with only
    clauses of unstated amount, one that pays nothing at all."""
    return pd.DataFrame(
        {
            "document": ["jiangdu_2023", "qingdao_2019", "wuhan_2021"],
            "total_low": [120.0, 0.0, 0.0],
            "total_high": [300.0, 0.0, 0.0],
            "builder_low": [20.0, 0.0, 0.0],
            "builder_high": [None, 0.0, 0.0],
            "not_stated_carriers": [3, 5, 0],
        }
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_csv_headers_are_in_the_page_language_and_its_columns_section_keeps_the_ids(
    atlas: Atlas, lang: str
) -> None:
    evidence = view_evidence(atlas, lang, "population", {"Totals": _summary()}, [])
    sections = _csv_sections(evidence.csv())
    header = list(sections["main"][0])
    columns = [(row["id"], row["header"]) for row in sections["Columns"]]
    assert [h for _, h in columns] == header
    assert [i for i, _ in columns][:3] == ["document", "document_title", "total_low"]
    names = {
        "zh": ("文件编号", "合计下限(万元)"),
        "en": ("Document id", "Total, low (万元, 10k CNY)"),
    }
    assert names[lang][0] == header[0] and names[lang][1] == header[2]
    assert not {"document", "total_low", "builder_low"} & set(header)


def test_an_amount_not_stated_is_a_blank_cell_never_0(atlas: Atlas) -> None:
    evidence = view_evidence(atlas, "zh", "population", {"Totals": _summary()}, [])
    rows = {r["document"]: r for r in _csv_by_id(evidence.csv())}
    # only clauses of unstated amount: no figure at all
    for column in ("total_low", "total_high", "builder_low", "builder_high"):
        assert rows["qingdao_2019"][column] == ""
    # nothing applies and nothing unstated: 0 is the honest figure
    assert rows["wuhan_2021"]["total_low"] == "0.0"
    # a stated amount with unstated clauses on top keeps its figure; an open end stays open
    assert rows["jiangdu_2023"]["total_low"] == "120.0"
    assert rows["jiangdu_2023"]["builder_high"] == ""
    book = _sheet(evidence.workbook(), "Totals")
    assert {r["document"]: r["total_low"] for r in book}["qingdao_2019"] == ""


def _totals(atlas: Atlas) -> pd.DataFrame:
    """Simulate's totals as its download holds them: document ids, then its own columns."""
    ids = [d.id for d in documents_in_order(atlas)]
    return pd.DataFrame(
        {"document": ids, "合计": ["120万元"] * len(ids), "下限": [120.0] * len(ids)}
    )


def test_the_simulate_totals_csv_names_each_documents_title_its_citation_and_the_source(
    atlas: Atlas,
) -> None:
    choices = {"jiangdu_2023.top_up": "full"}
    data = cited_csv(_totals(atlas), atlas, "zh", "年份:2024", choices)
    sections = _csv_sections(data)
    for row in sections["main"]:
        doc = atlas.document(row["文件编号"])
        assert row["文件标题"] == doc.provenance.title_zh
    cited = [r["document"] for r in sections["Documents"]]
    assert cited == [r["文件编号"] for r in sections["main"]]
    assert set(sections["Documents"][0]) == set(CITATION_COLUMNS)
    _assert_cites_provenance(sections["Documents"], atlas)
    about = {r["key"]: r["value"] for r in sections["About"]}
    assert atlas.data_version in about["source"] and "年份:2024" in about["source"]
    question = atlas.interpretations["jiangdu_2023.top_up"].question_zh
    assert "已更改" in about[question]


def test_a_table_downloaded_without_its_readings_names_none_rather_than_the_defaults(
    atlas: Atlas,
) -> None:
    about = _csv_sections(cited_csv(_totals(atlas), atlas, "en"))["About"]
    assert [r["key"] for r in about] == ["source"]
