"""sources page."""

import streamlit as st

from components.i18n import t

st.title(t("common.nav_sources"))
