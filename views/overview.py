"""Overview: the five documents as cards, headline comparisons computed from the data, and what
each page answers for whom."""

import datetime as dt

import streamlit as st

from components import compare as cmp
from components import sources as src
from components.charts import clauses_per_document
from components.data import atlas_or_stop, documents_frame, documents_in_order, largest_amounts
from components.display import doc_label, download_csv, md_escape
from components.i18n import current_lang, t
from components.present import chart_spec

CARDS_PER_ROW = 3
LARGEST_SHOWN = 5
STATUS_COLORS = {"in_period": "green", "ended": "gray", "before": "blue"}

data = atlas_or_stop()
lang = current_lang()
today = dt.date.today()
docs = documents_in_order(data)

numbers = src.overview_numbers(data, today)
facts = [src.document_facts(d, lang, today) for d in docs]
largest = largest_amounts(lang, LARGEST_SHOWN, data.data_version)
silent = cmp.documents_without_amounts(data)
table = documents_frame(lang, today.isoformat(), data.data_version)
counts = src.clause_counts(data, lang)
old, new = data.document(cmp.DEFAULT_OLDER), data.document(cmp.DEFAULT_NEWER)

st.title(t("common.app_title"))
places = len({(d.provenance.place.city_en, d.provenance.place.district_en) for d in docs})
st.markdown(t("overview.lead", n=len(data.documents), places=places))
st.caption(t("overview.version_line", version=data.data_version, today=today.isoformat()))

# --- what each page answers ----------------------------------------------------------------
st.subheader(t("overview.guide_title"))
guide = [
    ("compare", ":material/compare_arrows:"),
    ("simulate", ":material/calculate:"),
    ("targets", ":material/flag:"),
    ("sources", ":material/menu_book:"),
]
for column, (name, icon) in zip(st.columns(len(guide)), guide, strict=True):
    with column:
        st.page_link(f"views/{name}.py", label=t(f"common.nav_{name}"), icon=icon)
        st.caption(t(f"overview.guide_{name}"))

# --- headlines -----------------------------------------------------------------------------
st.subheader(t("overview.headline_title"))
m1, m2, m3, m4, m5 = st.columns(5)
m1.metric(
    t("overview.metric_documents"), numbers["documents"],
    help=t("overview.metric_documents_help", places=numbers["places"], first=numbers["first"],
           last=numbers["last"]),
)  # fmt: skip
m2.metric(
    t("overview.metric_clauses"), numbers["clauses"],
    help=t("overview.metric_clauses_help", n=numbers["other_clauses"],
           total=numbers["clauses"] + numbers["other_clauses"])
    if numbers["other_clauses"] else None,
)  # fmt: skip
m3.metric(
    t("overview.metric_stated"), f"{numbers['quantified']} / {numbers['clauses']}",
    help=t("overview.metric_stated_help"),
)  # fmt: skip
m4.metric(
    t("overview.metric_targets"), numbers["targets"],
    help=t("overview.metric_targets_help", parts=numbers["parts"]),
)  # fmt: skip
m5.metric(t("overview.metric_in_period"), f"{len(numbers['in_period'])} / {numbers['documents']}")

lines = [t("overview.largest")]
lines += [
    "- " + t("overview.largest_item", doc=md_escape(r.doc_label), title=md_escape(r.title),
             amount=md_escape(r.amount))
    for r in largest.itertuples()
]  # fmt: skip
st.markdown("\n".join(lines))
if silent:
    names = t("overview.list_sep").join(md_escape(doc_label(d)) for d in silent)
    st.markdown(t("overview.no_amounts", docs=names))
else:
    st.markdown(t("overview.all_amounts"))
if numbers["in_period"]:
    names = t("overview.list_sep").join(md_escape(doc_label(d)) for d in numbers["in_period"])
    st.markdown(t("overview.in_period_some", today=today.isoformat(), docs=names))
else:
    st.markdown(
        t("overview.in_period_none", today=today.isoformat(), last=numbers["last_end"], n=len(docs))
    )
st.markdown(
    t(
        "overview.liuzhou", old=doc_label(old), new=doc_label(new),
        old_total=len(old.policy.government_clauses), new_total=len(new.policy.government_clauses),
        old_q=sum(c.status == "quantified" for c in old.policy.government_clauses),
        new_q=sum(c.status == "quantified" for c in new.policy.government_clauses),
    )
)  # fmt: skip


# --- one card per document -----------------------------------------------------------------
st.subheader(t("overview.cards_title", n=len(docs)))
for start in range(0, len(facts), CARDS_PER_ROW):
    row = facts[start : start + CARDS_PER_ROW]
    for column, f in zip(st.columns(CARDS_PER_ROW), row, strict=False):
        with column, st.container(border=True):
            st.markdown(f"#### {md_escape(str(f['label']))}")
            st.caption(md_escape(str(f["place"])))
            st.markdown(f"**{md_escape(str(f['title']))}**")
            if lang != "zh":
                st.caption(md_escape(str(f["title_en"])))
            st.badge(
                str(f["status_text"]),
                color=STATUS_COLORS[str(f["status"])],
                help=t("overview.period_help", note=f["period_note"]) if f["period_note"] else None,
            )
            st.markdown(
                "\n".join(
                    f"- {t(key)}: {md_escape(str(f[field]))}"
                    for key, field in (
                        ("overview.card_issuer", "issuer"),
                        ("overview.card_number", "doc_number"),
                        ("overview.card_issued", "issued"),
                        ("overview.card_period", "period"),
                    )
                )
            )
            st.caption(
                t("overview.card_counts", targets=f["targets"], parts=f["sub_targets"],
                  clauses=f["clauses"], q=f["quantified"], n=f["not_stated"])
                + " · " + t("overview.card_artifacts", n=f["artifacts"])
            )  # fmt: skip
            st.markdown(md_escape(str(f["summary"])))
            st.page_link(
                "views/sources.py", label=t("overview.card_read"), icon=":material/menu_book:",
                query_params={"doc": str(f["label"])},
            )  # fmt: skip

# --- the table and the chart ---------------------------------------------------------------
st.subheader(t("overview.table_title"))
st.dataframe(table, hide_index=True, key="documents")
download_csv(table, f"documents_{data.data_version}", "dl_documents")
chart_text = {
    "title": t("overview.chart_title"),
    "source": t("overview.chart_source", version=data.data_version),
    "x": t("overview.chart_x"),
    "y": t("overview.chart_y"),
    "color": t("overview.chart_color"),
}
overview_spec = clauses_per_document(counts, chart_text).to_dict(validate=False)
st.vega_lite_chart(chart_spec(overview_spec), width="stretch")
