"""Entry point: page setup and navigation over the pages/ scripts."""

import streamlit as st

st.set_page_config(
    page_title="孵化政策对比 · Incubator Policy Atlas",
    page_icon="🏢",
    layout="wide",
)

st.navigation([st.Page("pages/overview.py", title="概览 Overview", icon="📄", default=True)]).run()
