"""Make every page run through app.py, even on a fresh server's first deep link.

Until app.py has called `st.navigation` once, Streamlit treats a folder named `pages/` beside the
entry script as a legacy multipage app: a fresh server's first deep link (/compare) runs that page
file directly, without app.py's set-up (language, navigation, data check), and the legacy mode
stays on for every later session until someone opens the root URL. A page that finds app.py has
not run in its session switches the legacy mode off, as `st.navigation` itself does, and asks for
one rerun, which goes through app.py. (That first deep link opens with default settings: the
page change drops its query parameters.)
"""

from __future__ import annotations

import streamlit as st

ENTRY_KEY = "_entered_through_app"


def mark_entry() -> None:
    """Called by app.py at the top of every run."""
    st.session_state[ENTRY_KEY] = True


def require_entry() -> None:
    """Called at the top of every page: rerun through app.py if it has not run yet."""
    if not st.session_state.get(ENTRY_KEY):
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
