"""Entry point: page setup, the shared sidebar (language, remembered in the URL) and navigation."""

import streamlit as st

from components.data import atlas_or_stop
from components.display import md_escape
from components.i18n import DEFAULT_LANG, LANG_LABELS, LANGS, t
from components.present import apply_mode, toggle
from components.url_guard import (
    bound,
    cleared_by_widgets,
    screen,
    shown_detail,
    shown_key,
    take_refused,
    to_delete,
)
from components.url_keys import LANG_KEY

FIRST_RUN_KEY = "_url_checked"

st.set_page_config(
    page_title="孵化政策对比 · Incubator Policy Atlas",
    page_icon="🏢",
    layout="wide",
)


# Share links: drop what no page understands before any widget reads the URL.
url_before = {key: st.query_params.get_all(key) for key in st.query_params}
dropped = screen(url_before)
for key in to_delete(dropped):
    del st.query_params[key]
notice = st.container()

with st.sidebar:
    st.segmented_control(
        "语言 · Language",
        LANGS,
        default=DEFAULT_LANG,
        required=True,
        format_func=LANG_LABELS.get,
        key=LANG_KEY,
        bind=bound(LANG_KEY, LANG_LABELS[DEFAULT_LANG]),
    )
    toggle()

pages = [
    st.Page(
        "views/overview.py",
        title=t("common.nav_overview"),
        icon=":material/dashboard:",
        default=True,
    ),
    st.Page(
        "views/compare.py",
        title=t("common.nav_compare"),
        icon=":material/compare_arrows:",
        url_path="compare",
    ),
    st.Page(
        "views/simulate.py",
        title=t("common.nav_simulate"),
        icon=":material/calculate:",
        url_path="simulate",
    ),
    st.Page(
        "views/targets.py",
        title=t("common.nav_targets"),
        icon=":material/flag:",
        url_path="targets",
    ),
    st.Page(
        "views/sources.py",
        title=t("common.nav_sources"),
        icon=":material/menu_book:",
        url_path="sources",
    ),
    st.Page(
        "views/population.py",
        title=t("common.nav_population"),
        icon=":material/groups:",
        url_path="population",
    ),
]
apply_mode(pages)  # in presentation mode, a link to each page at the top

# Every page rests on the validated data: if it does not load, say which file and field, and stop.
atlas_or_stop()
st.navigation(pages).run()
dropped += take_refused(dropped)  # values a page refused itself, with what was wrong

# On the run that opened a link, also name the values a bound widget refused.
if not st.session_state.get(FIRST_RUN_KEY):
    st.session_state[FIRST_RUN_KEY] = True
    url_after = {key: st.query_params.get_all(key) for key in st.query_params}
    dropped += cleared_by_widgets(url_before, url_after, dropped)
if dropped:
    names = ", ".join(
        f"{md_escape(shown_key(i.key))} ({t('common.url_' + i.reason)}{shown_detail(i)})"
        for i in dropped
    )
    notice.warning(t("common.url_ignored", names=names), icon=":material/link_off:")
