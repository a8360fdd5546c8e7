"""Evidence exports: CSV, Excel with a Sources sheet, charts as PNG/SVG with a source line, zip.

Pure functions (bytes in memory, nothing written to disk) so pages can offer downloads and tests
can open the results.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

PROJECT = "Incubator Policy Atlas · 孵化政策对比"
SHEET_NAME_LIMIT = 31  # Excel's own limit on sheet names
EXPORT_WIDTH = 720  # pixels, for charts drawn to the page width


def source_line(documents: list[str], data_version: str, extra: str = "") -> str:
    """The line stamped on every export: what it comes from and which data version."""
    docs = ", ".join(documents)
    tail = f" · {extra}" if extra else ""
    return f"Source: {PROJECT}, data {data_version}; documents: {docs}{tail}"


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read the Chinese correctly."""
    return df.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(
    sheets: Mapping[str, pd.DataFrame],
    sources: pd.DataFrame,
    interpretations: Mapping[str, str],
    stamp: str,
) -> bytes:
    """An .xlsx with the given sheets, a "Sources" sheet of quotes and an "About" sheet.

    `sources` needs at least the columns document, id and quote; `interpretations` maps each
    interpretation id to the reading in force; `stamp` is the source line.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:SHEET_NAME_LIMIT], index=False)
        sources.to_excel(writer, sheet_name="Sources", index=False)
        about = pd.DataFrame(
            [("source", stamp)]
            + [(f"interpretation {k}", v) for k, v in sorted(interpretations.items())],
            columns=["key", "value"],
        )
        about.to_excel(writer, sheet_name="About", index=False)
    return buffer.getvalue()


def _spec(chart: alt.TopLevelMixin | Mapping) -> dict:
    """A chart as a Vega-Lite dict (Altair charts are converted, dicts are copied)."""
    if isinstance(chart, Mapping):
        return copy.deepcopy(dict(chart))
    return chart.to_dict(validate=False)


def stamped(chart: alt.TopLevelMixin | Mapping, line: str) -> dict:
    """The chart's Vega-Lite spec with `line` as the last line of its subtitle.

    A subtitle works for every kind of spec (single, layered, faceted, concatenated), so the
    exported picture says where it comes from whatever its shape. The line is not repeated
    when the subtitle already holds it.
    """
    spec = _spec(chart)
    title = spec.get("title")
    if title is None:
        title = {"text": ""}
    elif isinstance(title, (str, list)):
        title = {"text": title}
    else:
        title = dict(title)
    subtitle = title.get("subtitle", [])
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    if line not in subtitle:
        subtitle.append(line)
    title["subtitle"] = subtitle
    title.setdefault("anchor", "start")
    spec["title"] = title
    single_view = "mark" in spec or "layer" in spec  # faceted or concatenated: sized per view
    if spec.get("width") == "container" or (single_view and "width" not in spec):
        spec["width"] = EXPORT_WIDTH
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
    interpretations: Mapping[str, str] = field(default_factory=dict)  # id → reading in force
    # chart name → Vega-Lite spec (or a function making it when a file is asked for)
    charts: Mapping[str, Mapping | Callable[[], Mapping]] = field(default_factory=dict)
    profile_json: str | None = None
    chart_titles: Mapping[str, str] = field(default_factory=dict)  # for the buttons

    def all_tables(self) -> dict[str, pd.DataFrame]:
        """Every table, made now if it was deferred."""
        return {name: _made(frame) for name, frame in self.tables.items()}

    def all_charts(self) -> dict[str, Mapping]:
        """Every chart spec, made now if it was deferred."""
        return {name: _made(chart) for name, chart in self.charts.items()}

    def csv(self) -> bytes:
        """The view's main table as CSV."""
        return csv_bytes(_made(next(iter(self.tables.values()))))

    def workbook(self) -> bytes:
        """The view's tables as .xlsx, with the Sources and About sheets."""
        return xlsx_bytes(self.all_tables(), self.sources, self.interpretations, self.line)

    def files(self) -> dict[str, bytes | str]:
        """Every file of the evidence pack, by name."""
        out: dict[str, bytes | str] = {f"{self.stem}.xlsx": self.workbook()}
        for name, frame in self.all_tables().items():
            out[f"{self.stem}_{_file_part(name)}.csv"] = csv_bytes(frame)
        out[f"{self.stem}_sources.csv"] = csv_bytes(self.sources)
        for name, chart in self.all_charts().items():
            out[f"{self.stem}_{_file_part(name)}.svg"] = chart_svg(chart, self.line)
            out[f"{self.stem}_{_file_part(name)}.png"] = chart_png(chart, self.line)
        if self.profile_json is not None:
            out["profile.json"] = self.profile_json
        readings = "".join(f"{k}: {v}\n" for k, v in sorted(self.interpretations.items()))
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
