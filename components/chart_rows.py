"""Row labels of a band chart shown whole: wrapped onto at most two lines at one width, never
cut short with "…", and centred on their row (pure; no Streamlit)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import altair as alt

from components.exports import wrap

LABEL_FONT = 11  # a row label, in pixels (a projector scales it with every other text)
LINE_HEIGHT = 1.2  # a wrapped row label's line, in font sizes
LABEL_WRAP = 320  # pixels: a row label longer than this wraps onto a second line
WRAP_STEP = 20  # pixels added to the wrap width until every label takes at most ROW_LINES
ROW_LINES = 2
LINE_BREAK = "\n"


def row_lines(labels: Iterable[str], width: float = LABEL_WRAP, size: float = LABEL_FONT) -> dict:
    """Each row label → its text wrapped onto at most `ROW_LINES` lines (joined by a line
    break), all at one width: `width`, or wider where a label needs more lines than that."""
    labels = list(dict.fromkeys(labels))
    while any(len(wrap(label, width, size)) > ROW_LINES for label in labels):
        width += WRAP_STEP
    return {label: LINE_BREAK.join(wrap(label, width, size)) for label in labels}


def row_axis(headers: list[str], two_lines: list[str]) -> alt.Axis:
    """The row axis: every label whole (no length limit, split where it was wrapped), the
    two-line ones centred on their row, and no label on a category's heading row (its heading
    is drawn inside the plot)."""
    is_header = f"indexof({json.dumps(headers, ensure_ascii=False)}, datum.value) >= 0"
    is_two = f"indexof({json.dumps(two_lines, ensure_ascii=False)}, datum.value) >= 0"
    return alt.Axis(
        labelExpr=f"{is_header} ? '' : split(datum.value, '\\n')",
        labelLimit=0,
        labelFontSize=LABEL_FONT,
        labelOffset=alt.ConditionalAxisNumber(
            condition={"test": is_two, "value": -LABEL_FONT * LINE_HEIGHT / 2}, value=0
        ),
        labelLineHeight=LABEL_FONT * LINE_HEIGHT,
        labelPadding=6,
        ticks=False,
        domain=False,
    )
