"""Presentation mode: no sidebar or controls, larger text and charts, print-friendly pages.

The toggle lives in the sidebar and in the URL (`?present=true`). The style sheets below are
constants (no data ever reaches them); pages wrap their controls in `controls(name)` so one rule
hides them all while the widgets keep their state.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from components.i18n import t
from components.url_guard import bound
from components.url_keys import LANG_KEY, PRESENT_KEY

EXIT_KEY = "present_exit"
NAV_KEY = "present_nav"
CARRIED_KEYS = (LANG_KEY,)  # what every page understands, carried from page to page
CONTROLS_PREFIX = "controls_"

# Printing: leave out the app's chrome and buttons, keep charts whole on a page.
PRINT_CSS = """<style>
@media print {
  header[data-testid="stHeader"], section[data-testid="stSidebar"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stPopover"], .st-key-present_nav,
  [class*="st-key-controls_"] { display: none !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stTable"] { break-inside: avoid; }
  .stMainBlockContainer { padding-top: 0 !important; max-width: 100% !important; }
}
</style>"""

# On a projector: no sidebar, no controls, no download buttons; larger type everywhere.
PROJECTOR_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stToolbar"],
[data-testid="stDownloadButton"], [data-testid="stPopover"],
[class*="st-key-controls_"] { display: none !important; }
header[data-testid="stHeader"] { background: transparent; }
.stMainBlockContainer { max-width: 100% !important; padding: 4.5rem 3rem 1.5rem !important; }
.stMainBlockContainer p, .stMainBlockContainer li, .stMainBlockContainer td,
.stMainBlockContainer th, .stMainBlockContainer label { font-size: 1.35rem !important; }
.stMainBlockContainer h1 { font-size: 3rem !important; }
.stMainBlockContainer h2, .stMainBlockContainer h3 { font-size: 2.1rem !important; }
[data-testid="stCaptionContainer"] p { font-size: 1.1rem !important; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; }
</style>"""

# Vega-Lite config for a projector: every text in a chart about 1.6 times its usual size.
PROJECTOR_CHART_CONFIG: dict[str, dict[str, float]] = {
    "title": {"fontSize": 24, "subtitleFontSize": 15},
    "axis": {"labelFontSize": 16, "titleFontSize": 18},
    "header": {"labelFontSize": 17, "titleFontSize": 18},
    "legend": {"labelFontSize": 16, "titleFontSize": 17},
    "text": {"fontSize": 16},
}


def presenting() -> bool:
    """Whether presentation mode is on (the sidebar toggle, remembered in the URL)."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def toggle() -> None:
    """The sidebar switch for presentation mode, bound to `?present=`."""
    st.toggle(
        t("present.toggle"), key=PRESENT_KEY, help=t("present.help"), bind=bound(PRESENT_KEY, False)
    )


def _leave() -> None:
    st.session_state[PRESENT_KEY] = False


def carried_params(url: Mapping[str, str]) -> dict[str, str]:
    """The query parameters a page link keeps when presenting: the language as the URL has it,
    and presentation mode itself (a page's own filters stay with that page)."""
    kept = {key: url[key] for key in CARRIED_KEYS if url.get(key)}
    return {**kept, PRESENT_KEY: "true"}


def apply_mode(pages: Sequence[st.Page] = ()) -> None:
    """Print rules always; in presentation mode also the projector rules and, in one row at the
    top, a way out and a link to every page (the sidebar and its navigation are hidden), each
    link keeping presentation mode and the language."""
    st.html(PRINT_CSS)
    if not presenting():
        return
    st.html(PROJECTOR_CSS)
    carried = carried_params({key: st.query_params.get(key, "") for key in CARRIED_KEYS})
    with st.container(horizontal=True, key=NAV_KEY, vertical_alignment="center", gap="small"):
        st.button(
            t("present.exit"),
            key=EXIT_KEY,
            icon=":material/close_fullscreen:",
            type="tertiary",
            on_click=_leave,
        )
        for page in pages:
            st.page_link(page, query_params=carried)


def controls(name: str) -> st.delta_generator.DeltaGenerator:
    """A container for a page's controls: shown normally, hidden (state kept) when presenting."""
    return st.container(key=f"{CONTROLS_PREFIX}{name}")


# What grows with the text on a projector: rows (a band's step), label room and text marks.
PROJECTOR_SCALE = 1.6
SCALED_KEYS = frozenset(
    {
        "step", "labelLimit", "fontSize", "labelFontSize", "titleFontSize", "labelLineHeight",
        "labelOffset",
    }
)  # fmt: skip
DATA_KEYS = frozenset({"data", "datasets", "values"})  # rows are data, never scaled


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _size(v: Any) -> Any:
    """A size scaled for a projector: a number, or each value of a conditional one."""
    if _number(v):
        return round(v * PROJECTOR_SCALE)
    if isinstance(v, dict):
        return {k: _size(x) if k in ("value", "condition") else x for k, x in v.items()}
    return v


def _scaled(node: Any) -> Any:
    """`node` with every row step, label limit, line height and offset and explicit font size
    scaled for a projector."""
    if isinstance(node, dict):
        return {
            k: _size(v) if k in SCALED_KEYS else (v if k in DATA_KEYS else _scaled(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_scaled(v) for v in node]
    return node


def projector(spec: Mapping) -> dict:
    """A Vega-Lite spec with projector-sized text, rows tall enough for it and room for every
    row label (a copy; the cached spec is left alone)."""
    out = _scaled(copy.deepcopy(dict(spec)))
    config = out.setdefault("config", {})
    for part, sizes in PROJECTOR_CHART_CONFIG.items():
        config[part] = {**config.get(part, {}), **sizes}
    return out


def chart_spec(spec: Mapping) -> Mapping:
    """The spec to draw: projector-sized when presenting, unchanged otherwise."""
    return projector(spec) if presenting() else spec
