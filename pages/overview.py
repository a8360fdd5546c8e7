"""Overview: the five documents side by side and their money clauses."""

import streamlit as st

from components.charts import clauses_per_document
from components.data import atlas_or_stop, clause_counts, documents_table

data = atlas_or_stop()

st.title("孵化政策对比 Incubator Policy Atlas")
st.caption(f"数据版本 Data version: {data.data_version}")

st.subheader("文件 Documents")
st.dataframe(documents_table(data), hide_index=True, width="stretch")

st.altair_chart(clauses_per_document(clause_counts(data)), width="stretch")
