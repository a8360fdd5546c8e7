"""Entry point: page setup, the shared sidebar (language, remembered in the URL) and navigation."""

import streamlit as st

from components.data import atlas_or_stop
from components.entry import mark_entry
from components.i18n import DEFAULT_LANG, LANG_KEY, LANG_LABELS, LANGS, t

st.set_page_config(
    page_title="孵化政策对比 · Incubator Policy Atlas",
    page_icon="🏢",
    layout="wide",
)

mark_entry()

with st.sidebar:
    st.segmented_control(
        "语言 · Language",
        LANGS,
        default=DEFAULT_LANG,
        required=True,
        format_func=LANG_LABELS.get,
        key=LANG_KEY,
        bind="query-params",
    )

# Every page rests on the validated data: if it does not load, say which file and field, and stop.
atlas_or_stop()

pages = [
    st.Page(
        "pages/overview.py",
        title=t("common.nav_overview"),
        icon=":material/dashboard:",
        default=True,
    ),
    st.Page(
        "pages/compare.py",
        title=t("common.nav_compare"),
        icon=":material/compare_arrows:",
        url_path="compare",
    ),
    st.Page(
        "pages/simulate.py",
        title=t("common.nav_simulate"),
        icon=":material/calculate:",
        url_path="simulate",
    ),
    st.Page(
        "pages/targets.py",
        title=t("common.nav_targets"),
        icon=":material/flag:",
        url_path="targets",
    ),
    st.Page(
        "pages/sources.py",
        title=t("common.nav_sources"),
        icon=":material/menu_book:",
        url_path="sources",
    ),
]
st.navigation(pages).run()
