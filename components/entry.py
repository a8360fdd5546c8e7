"""Make every page run through app.py, even on a fresh server's first deep link.

Until app.py has called `st.navigation` once, Streamlit (1.67 still) treats a folder named `pages/`
beside the entry script as a legacy multipage app: a fresh server's first deep link (/compare) runs
that page file directly, without app.py's set-up (language, navigation, URL check), and the legacy
mode stays on for every later session. A page that finds app.py has not run in its session calls
the public `st.navigation` (which switches the legacy mode off) with itself as the only page, then
`st.switch_page` to itself with the link's parameters, so the next run goes through app.py and
opens the same page with the same parameters.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ENTRY_KEY = "_entered_through_app"
ROOT = Path(__file__).resolve().parents[1]


def mark_entry() -> None:
    """Called by app.py at the top of every run."""
    st.session_state[ENTRY_KEY] = True


def require_entry(page_file: str) -> None:
    """Called at the top of every page with its `__file__`: reopen it through app.py, with the
    link's parameters, if app.py has not run in this session yet."""
    if not st.session_state.get(ENTRY_KEY):
        page = st.Page(Path(page_file).resolve().relative_to(ROOT).as_posix())
        st.navigation([page], position="hidden")
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        st.switch_page(page, query_params=params)
