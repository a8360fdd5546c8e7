"""Cost to a place: a table of carriers in, what each document would pay them all out, as a range,
with how many get something, to whom, each carrier's amounts on a chart, and the rejected rows."""

from dataclasses import replace

import streamlit as st

from components import population_view as pv
from components import url_keys as keys
from components.data import (
    atlas_or_stop,
    doc_colors,
    documents_in_order,
    population_of_file,
    population_of_sample,
    sample_file,
)
from components.display import doc_label, md_escape, rebind_on_language_change
from components.export_panel import export_panel, view_evidence
from components.i18n import current_lang, t
from components.population_chart import carrier_distribution
from components.present import chart_spec, controls
from components.url_guard import bound
from policies.api import Batch, SimulationError
from policies.population import recipients_paid, summarise, unstated_only
from policies.profile_table import template_csv
from policies.sweeps import year_options

data = atlas_or_stop()
lang = current_lang()
rebind_on_language_change(keys.POPULATION_KEYS)
AS_IF = "as_if"
SAMPLE_SIZE = 200


st.title(t("population.title"))
st.caption(t("population.lead"))

bar = controls("population")
c1, c2 = bar.columns([3, 2])
upload = c1.file_uploader(
    t("population.upload"), type=["csv", "parquet"], help=t("population.upload_help"),
    key="pop_file",
)  # fmt: skip
c1.download_button(
    t("population.template"), template_csv().encode("utf-8-sig"), file_name="carriers.csv",
    mime="text/csv", on_click="ignore", key="pop_template", icon=":material/description:",
)  # fmt: skip
sample = c2.toggle(
    t("population.sample"), key=keys.POPULATION_SAMPLE, bind=bound(keys.POPULATION_SAMPLE, False)
)
c2.caption(t("population.sample_caption"))
choice = c2.selectbox(
    t("population.year"), [AS_IF, *year_options(data)], key=keys.POPULATION_YEAR,
    bind=bound(keys.POPULATION_YEAR, t("simulate.year_as_if", lang)),
    format_func=lambda y: t("simulate.year_as_if", lang) if y == AS_IF else str(y),
)  # fmt: skip
year = None if choice == AS_IF else int(choice)
across = c2.toggle(
    t("population.readings"),
    key=keys.POPULATION_RANGE,
    bind=bound(keys.POPULATION_RANGE, False),
    help=t("population.readings_help"),
)
bar.caption(t("population.link_note"))

result: Batch | None = None
source: pv.Input | None = None
try:
    if upload is not None:
        source = pv.Input(upload.name, upload.getvalue())
        version = data.data_version
        result = population_of_file(source.content, source.name, year, across, version, pv.MAX_ROWS)
        rows = f"{result.rows_read:,}"
        st.caption(md_escape(t("population.source_file", name=upload.name, rows=rows)))
        if sample:
            st.caption(t("population.sample_and_file"))
    elif sample:
        source = sample_file(SAMPLE_SIZE)
        result = population_of_sample(SAMPLE_SIZE, year, across, data.data_version)
        st.caption(t("population.source_sample", rows=result.rows_read))
except SimulationError as err:
    st.error(md_escape(t("population.unreadable", problem="; ".join(err.problems))))

if result is None or source is None:
    st.info(t("population.empty"))
    st.stop()

if result.rows_read > pv.MAX_ROWS:
    st.warning(t("population.too_many", max=f"{pv.MAX_ROWS:,}", rows=f"{result.rows_read:,}"))
    st.stop()
if result.rows_read == 0:
    st.warning(t("population.no_rows"))
    st.stop()

bad, good = len(result.rejected), result.rows_read - len(result.rejected)
rejected = pv.rejected_table(pv.problems_of(result, lang), lang)
if bad:
    key = "population.all_rejected" if not good else "population.rejected"
    st.warning(t(key, bad=bad, rows=result.rows_read, good=good), icon=":material/rule:")
    st.dataframe(rejected, hide_index=True, key="pop_rejected")
if not good:
    st.stop()

labels = {d.id: doc_label(d, lang) for d in documents_in_order(data)}
colors = doc_colors(data, lang)  # every document has a row, in its fixed colour
recipients = recipients_paid(result.frame, list(data.taxonomy.recipients))
rank = {doc: i for i, doc in enumerate(labels)}
summary = summarise(result.frame, recipients).sort_values("document", key=lambda d: d.map(rank))
table = pv.summary_table(summary, data, recipients, labels, year, lang)

st.subheader(t("population.summary_title"))
st.table(table.set_index(table.columns[0]))

text = {
    "title": t("population.chart_title"),
    "source": t(
        "population.chart_source",
        version=data.data_version,
        year=t("simulate.year_as_if") if year is None else year,
    ),  # fmt: skip
    "x": t("population.x"),
    "carrier": t("population.carrier"),
    "low": t("population.low"),
    "high": t("population.high"),
    "doc": t("population.doc"),
}
notes = pv.unstated_notes(result.frame, labels, lang)
points = pv.per_carrier(result.frame, labels)
spec = carrier_distribution(points, colors, text, notes).to_dict()
st.vega_lite_chart(chart_spec(spec), width="stretch")
st.caption(t("population.chart_legend", n=int(unstated_only(result.frame).sum())))

carriers = pv.carrier_table(result.frame, labels, lang)
with st.expander(t("population.per_carrier")):
    st.dataframe(carriers, hide_index=True, key="pop_carriers")

money = [c.id for c in data.clauses()]
tables = {"Totals": summary, "Summary": table, "Carriers": carriers, "Rejected rows": rejected}
evidence = view_evidence(
    data, lang, "population", tables, money, {"carriers": spec}, labels,
    extra=pv.export_line(year, across, source, lang),
)  # fmt: skip
inputs = {source.name: source.content, f"{source.name}.sha256": source.sha256.encode()}
evidence = replace(evidence, inputs=inputs)
export_panel(evidence, "population_export")
