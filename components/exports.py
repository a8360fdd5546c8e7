"""Evidence exports: CSV, Excel with Sources and Documents sheets, charts as PNG/SVG with one
source line, zip.

Pure functions (bytes in memory, nothing written to disk) so pages can offer downloads and tests
can open the results.
"""

from __future__ import annotations

import copy
import io
import json
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import altair as alt
import pandas as pd

PROJECT = "Incubator Policy Atlas · 孵化政策对比"
SHEET_NAME_LIMIT = 31  # Excel's own limit on sheet names
EXPORT_WIDTH = 720  # pixels, for charts drawn to the page width
EXPORT_WIDTH_KEY = "export_width"  # a chart's own export width, in its spec's usermeta
DOCUMENTS_SHEET = "Documents"
ABOUT_SHEET = "About"
COLUMNS_SHEET = "Columns"  # a table's data dictionary: stable column id → header
UNSTATED_COUNTS = ("not_stated", "not_stated_carriers")  # a row's count of unstated amounts
LOW_SUFFIX, HIGH_SUFFIX = "low", "high"  # an amount's two ends, as column names end
DOCUMENT_COLUMN = "document"  # a table column holding document ids
TITLE_COLUMN = "document_title"  # the title put next to it
SUBTITLE_FONT = 11  # pixels; the source line's size on an exported chart
WIDE_CHAR = 1.0  # a CJK or full-width character, in font sizes
NARROW_CHAR = 0.62  # a Latin character or digit, in font sizes (generous, so lines fit)
LEGEND_SYMBOL_ROOM = 32  # pixels beside each legend label for its symbol and the gap
LEGEND_FONT = 10  # pixels; Vega's legend label size
WIDE_LABEL = 128  # pixels assumed for a legend label the data decides


class Reading(NamedTuple):
    """A named interpretation as an export shows it: the question and the answer in force."""

    question: str
    answer: str

    def __str__(self) -> str:
        return f"{self.question} → {self.answer}"


def source_line(documents: list[str], data_version: str, extra: str = "") -> str:
    """The line stamped on every export: what it comes from and which data version."""
    docs = ", ".join(documents)
    tail = f" · {extra}" if extra else ""
    return f"Source: {PROJECT}, data {data_version}; documents: {docs}{tail}"


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the Chinese correctly."""
    return df.to_csv(index=False).encode("utf-8-sig")


def csv_with_documents(
    df: pd.DataFrame,
    documents: pd.DataFrame,
    columns: pd.DataFrame | None = None,
    about: pd.DataFrame | None = None,
) -> bytes:
    """The table as CSV followed by an empty line, a "Documents" line and the documents table,
    so a single CSV file still says which documents its rows come from; then, when given, the
    same for the "Columns" table (each column's stable id beside its header) and the "About"
    table (the source line and the readings)."""
    out = csv_bytes(df)
    sections = ((DOCUMENTS_SHEET, documents), (COLUMNS_SHEET, columns), (ABOUT_SHEET, about))
    for name, table in sections:
        if table is not None and not table.empty:
            out += f"\n{name}\n{table.to_csv(index=False)}".encode()
    return out


def blank_unstated(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every amount that is not stated left blank, never 0: in a row counting
    clauses (or carriers) of unstated amount, a pair of `…low` / `…high` columns that are
    both 0 holds no known amount, so both cells are emptied (a new frame; numbers stay
    numbers, so the columns still load as numbers)."""
    counts = [c for c in UNSTATED_COUNTS if c in frame.columns]
    if not counts:
        return frame
    unstated = frame[counts].apply(pd.to_numeric, errors="coerce").fillna(0).gt(0).any(axis=1)
    out = frame.copy()
    for low in [c for c in frame.columns if str(c).endswith(LOW_SUFFIX)]:
        high = str(low)[: -len(LOW_SUFFIX)] + HIGH_SUFFIX
        if high not in frame.columns:
            continue
        zero = pd.to_numeric(frame[low], errors="coerce").eq(0)
        zero &= pd.to_numeric(frame[high], errors="coerce").eq(0)
        for column in (low, high):
            out[column] = pd.to_numeric(out[column], errors="coerce").mask(unstated & zero)
    return out


def column_table(columns: list[str], headers: Mapping[str, str]) -> pd.DataFrame:
    """The data dictionary of a table: each column's stable id beside its header."""
    return pd.DataFrame(
        {"id": columns, "header": [headers.get(c, c) for c in columns]}, columns=["id", "header"]
    )


def about_rows(stamp: str, interpretations: Mapping[str, Reading | str]) -> list[tuple[str, str]]:
    """The About sheet: the source line, then each reading as its question and its answer."""
    rows = [("source", stamp)]
    for _, reading in sorted(interpretations.items()):
        if isinstance(reading, Reading):
            rows.append((reading.question, reading.answer))
        else:
            rows.append(("reading", str(reading)))
    return rows


def about_table(stamp: str, interpretations: Mapping[str, Reading | str]) -> pd.DataFrame:
    """The About sheet as a table: key, value."""
    return pd.DataFrame(about_rows(stamp, interpretations), columns=["key", "value"])


def xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame],
    sources: pd.DataFrame,
    interpretations: Mapping[str, Reading | str],
    stamp: str,
    documents: pd.DataFrame | None = None,
) -> bytes:
    """An .xlsx with the given sheets, a "Sources" sheet of quotes, a "Documents" sheet (when
    given) and an "About" sheet.

    `sources` needs at least the columns document, id and quote; `interpretations` maps each
    interpretation id to the reading in force; `stamp` is the source line.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:SHEET_NAME_LIMIT], index=False)
        sources.to_excel(writer, sheet_name="Sources", index=False)
        if documents is not None and not documents.empty:
            documents.to_excel(writer, sheet_name=DOCUMENTS_SHEET, index=False)
        about_table(stamp, interpretations).to_excel(writer, sheet_name=ABOUT_SHEET, index=False)
    return buffer.getvalue()


def with_titles(frame: pd.DataFrame, titles: Mapping[str, str]) -> pd.DataFrame:
    """The table with each document's title next to its `document` id column (a new frame);
    a table without that column, or already titled, is returned as it is."""
    if not titles or DOCUMENT_COLUMN not in frame.columns or TITLE_COLUMN in frame.columns:
        return frame
    out = frame.copy()
    at = list(out.columns).index(DOCUMENT_COLUMN) + 1
    out.insert(at, TITLE_COLUMN, out[DOCUMENT_COLUMN].map(titles))
    return out


def _spec(chart: alt.TopLevelMixin | Mapping) -> dict:
    """A chart as a Vega-Lite dict (Altair charts are converted, dicts are copied)."""
    if isinstance(chart, Mapping):
        return copy.deepcopy(dict(chart))
    return chart.to_dict(validate=False)


def text_width(text: str, size: float = SUBTITLE_FONT) -> float:
    """A generous estimate of the pixels `text` takes at font `size` (CJK characters are wide)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return size * (wide * WIDE_CHAR + (len(text) - wide) * NARROW_CHAR)


def wrap(text: str, width: float, size: float = SUBTITLE_FONT) -> list[str]:
    """`text` cut into lines no wider than `width` pixels: between words where there are
    spaces, anywhere in a run of Chinese (which has none)."""
    lines: list[str] = []
    current = ""
    for piece in _pieces(text):
        if current and text_width(current + piece, size) > width:
            lines.append(current.rstrip())
            current = piece.lstrip()
        else:
            current += piece
    if current.strip():
        lines.append(current.rstrip())
    return lines or [text]


def _pieces(text: str) -> Iterator[str]:
    """The units a line may break between: a word with its trailing space, or one wide char."""
    word = ""
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            if word:
                yield word
                word = ""
            yield char
        elif char == " ":
            yield word + char
            word = ""
        else:
            word += char
    if word:
        yield word


def export_width(spec: Mapping) -> int:
    """The width a chart drawn to the page width is exported at: its own wish (`usermeta`'s
    `export_width`, for a chart whose row labels and words need more room), or EXPORT_WIDTH."""
    wish = (spec.get("usermeta") or {}).get(EXPORT_WIDTH_KEY)
    return (
        int(wish) if isinstance(wish, int | float) and not isinstance(wish, bool) else EXPORT_WIDTH
    )


def chart_width(spec: Mapping) -> float:
    """The drawn width of a chart in pixels: its own, or its (faceted) view's, or the export
    width when it is drawn to the page."""
    for part in (spec, spec.get("spec") or {}):
        width = part.get("width")
        if isinstance(width, (int, float)):
            return float(width)
    return float(EXPORT_WIDTH)


def _legends(node: object) -> Iterator[tuple[dict, list]]:
    """Every legend definition inside a spec (in encodings, nested views and layers), with the
    values its channel's scale names (empty when the data decides them)."""
    if isinstance(node, dict):
        legend = node.get("legend")
        if isinstance(legend, dict):
            scale = node.get("scale")
            domain = scale.get("domain") if isinstance(scale, dict) else None
            yield legend, domain if isinstance(domain, list) else []
        for value in node.values():
            yield from _legends(value)
    elif isinstance(node, list):
        for value in node:
            yield from _legends(value)


def _whole_legends(spec: dict, width: float) -> None:
    """Show every legend entry in full (no cut labels, no '… more'), and lay a legend above or
    below the chart out in as many columns as its longest label lets fit in the width."""
    config = dict(spec.get("config") or {})
    config["legend"] = {**(config.get("legend") or {}), "labelLimit": 0, "symbolLimit": 0}
    spec["config"] = config
    for legend, values in _legends(spec):
        legend["labelLimit"] = 0
        legend["symbolLimit"] = 0
        if legend.get("orient") in ("top", "bottom") and "columns" not in legend:
            longest = max((text_width(str(v), LEGEND_FONT) for v in values), default=WIDE_LABEL)
            legend["columns"] = max(1, int(width // (longest + LEGEND_SYMBOL_ROOM)))


def stamped(chart: alt.TopLevelMixin | Mapping, line: str) -> dict:
    """The chart's Vega-Lite spec with `line` as its one source line, wrapped to its width.

    The line goes in the subtitle, which works for every kind of spec (single, layered,
    faceted, concatenated); it takes the place of the subtitle the chart had on screen (its own
    source line), so the exported picture names its sources exactly once. Legends are shown
    whole.
    """
    spec = _spec(chart)
    title = spec.get("title")
    if title is None:
        title = {"text": ""}
    elif isinstance(title, (str, list)):
        title = {"text": title}
    else:
        title = dict(title)
    single_view = "mark" in spec or "layer" in spec  # faceted or concatenated: sized per view
    if spec.get("width") == "container" or (single_view and "width" not in spec):
        spec["width"] = export_width(spec)
    width = chart_width(spec)
    title["subtitle"] = wrap(line, width)
    title["subtitleFontSize"] = SUBTITLE_FONT
    title.setdefault("anchor", "start")
    title.setdefault("limit", 0)
    spec["title"] = title
    _whole_legends(spec, width)
    return spec


def chart_svg(chart: alt.TopLevelMixin | Mapping, line: str) -> str:
    """The stamped chart as SVG text (rendered offline by vl-convert)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(stamped(chart, line))


def chart_png(chart: alt.TopLevelMixin | Mapping, line: str, scale: float = 2.0) -> bytes:
    """The stamped chart as PNG bytes (rendered offline by vl-convert)."""
    import vl_convert

    return vl_convert.vegalite_to_png(stamped(chart, line), scale=scale)


def evidence_pack(files: Mapping[str, bytes | str]) -> bytes:
    """A zip of the given files (name → content), plus a manifest listing them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(name, data)
        manifest = {"project": PROJECT, "files": sorted(files)}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue()


@dataclass(frozen=True)
class Evidence:
    """Everything one view exports: its tables, the quotes behind them, readings, charts."""

    stem: str  # file-name stem, e.g. "compare_matrix"
    line: str  # the source line stamped on every file
    # sheet name → table (or a function making it when a file is asked for), in order; the
    # first is the CSV
    tables: Mapping[str, pd.DataFrame | Callable[[], pd.DataFrame]]
    sources: pd.DataFrame  # the quotes behind the tables: document, id, ..., quote
    # id → reading in force (question and answer)
    interpretations: Mapping[str, Reading | str] = field(default_factory=dict)
    # chart name → Vega-Lite spec (or a function making it when a file is asked for)
    charts: Mapping[str, Mapping | Callable[[], Mapping]] = field(default_factory=dict)
    profile_json: str | None = None
    chart_titles: Mapping[str, str] = field(default_factory=dict)  # for the buttons
    # the documents the view shows, one citation row each (policies.tables.CITATION_COLUMNS)
    documents: pd.DataFrame = field(default_factory=pd.DataFrame)
    titles: Mapping[str, str] = field(default_factory=dict)  # document id → title, for rows
    # the view's input files as given (an uploaded table), packed under input/ unchanged
    inputs: Mapping[str, bytes] = field(default_factory=dict)
    # column id → its header in the reader's language (the CSV's header row)
    headers: Mapping[str, str] = field(default_factory=dict)

    def all_tables(self) -> dict[str, pd.DataFrame]:
        """Every table, made now if it was deferred, each document id beside its title, and
        every amount not stated blank (never 0)."""
        return {
            name: blank_unstated(with_titles(_made(f), self.titles))
            for name, f in self.tables.items()
        }

    def quotes(self) -> pd.DataFrame:
        """The quotes behind the tables, each document id beside its title."""
        return with_titles(self.sources, self.titles)

    def all_charts(self) -> dict[str, Mapping]:
        """Every chart spec, made now if it was deferred."""
        return {name: _made(chart) for name, chart in self.charts.items()}

    def csv(self) -> bytes:
        """The view's main table as CSV, followed by the documents it comes from and its
        columns.

        The table has one header row, in the reader's language, as a spreadsheet or
        `pandas.read_csv` expects: a second header row would make every number column read
        as text. The stable column ids (what code should key on) are in the "Columns" section
        after the table, one row per column: id, header. An amount that is not stated is an
        empty cell, never 0.
        """
        main = blank_unstated(with_titles(_made(next(iter(self.tables.values()))), self.titles))
        ids = [str(c) for c in main.columns]
        named = main.rename(columns={c: self.headers[c] for c in ids if c in self.headers})
        columns = column_table(ids, self.headers) if self.headers else None
        return csv_with_documents(named, self.documents, columns)

    def workbook(self) -> bytes:
        """The view's tables as .xlsx, with the Sources, Documents and About sheets."""
        return xlsx_bytes(
            self.all_tables(), self.quotes(), self.interpretations, self.line, self.documents
        )

    def files(self) -> dict[str, bytes | str]:
        """Every file of the evidence pack, by name."""
        out: dict[str, bytes | str] = {f"{self.stem}.xlsx": self.workbook()}
        for name, frame in self.all_tables().items():
            out[f"{self.stem}_{_file_part(name)}.csv"] = csv_bytes(frame)
        out[f"{self.stem}_sources.csv"] = csv_bytes(self.quotes())
        if not self.documents.empty:
            out[f"{self.stem}_documents.csv"] = csv_bytes(self.documents)
        for name, chart in self.all_charts().items():
            out[f"{self.stem}_{_file_part(name)}.svg"] = chart_svg(chart, self.line)
            out[f"{self.stem}_{_file_part(name)}.png"] = chart_png(chart, self.line)
        if self.profile_json is not None:
            out["profile.json"] = self.profile_json
        for name, content in self.inputs.items():
            out[f"input/{name}"] = content
        readings = "".join(f"- {v}\n" for _, v in sorted(self.interpretations.items()))
        out["SOURCE.txt"] = f"{self.line}\n\n{readings}"
        return out

    def pack(self) -> bytes:
        """The evidence pack: every file above in one zip, with a manifest."""
        return evidence_pack(self.files())


def _made(part: object) -> Any:
    """A table or chart, calling it first if it was given as a function (made on demand)."""
    return part() if callable(part) else part


def _file_part(name: str) -> str:
    """A sheet or chart name made safe for a file name inside the zip."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name).strip("_") or "table"
