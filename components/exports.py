"""Evidence exports: CSV, Excel with a Sources sheet, charts as PNG/SVG with a source line, zip.

Pure functions (bytes in memory, nothing written to disk) so pages can offer downloads and tests
can open the results.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping

import altair as alt
import pandas as pd

PROJECT = "Incubator Policy Atlas · 孵化政策对比"
SHEET_NAME_LIMIT = 31  # Excel's own limit on sheet names


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


def stamped(chart: alt.TopLevelMixin, line: str) -> alt.VConcatChart:
    """The chart with its source line printed underneath (for PNG/SVG exports)."""
    footer = (
        alt.Chart(pd.DataFrame({"line": [line]}))
        .mark_text(align="left", baseline="top", fontSize=10, color="#555")
        .encode(text="line:N")
        .properties(height=14, width=1)
    )
    return alt.vconcat(chart, footer).configure_view(strokeWidth=0)


def chart_svg(chart: alt.TopLevelMixin, line: str) -> str:
    """The stamped chart as SVG text (rendered offline by vl-convert)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(stamped(chart, line).to_json())


def chart_png(chart: alt.TopLevelMixin, line: str, scale: float = 2.0) -> bytes:
    """The stamped chart as PNG bytes (rendered offline by vl-convert)."""
    import vl_convert

    return vl_convert.vegalite_to_png(stamped(chart, line).to_json(), scale=scale)


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
