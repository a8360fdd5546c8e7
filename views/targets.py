"""Targets: every quantified target by kind and unit, the deadlines on a timeline, and a table
with the quotes."""

import datetime as dt

import streamlit as st

from components import targets as tg
from components import url_keys as keys
from components.charts import colors_of, deadline_timeline
from components.data import (
    atlas_or_stop,
    doc_colors,
    documents_in_order,
    target_rows,
    targets_spec,
)
from components.display import doc_label, download_csv, md_escape, rebind_on_language_change
from components.export_panel import export_panel, view_evidence
from components.i18n import current_lang, t
from components.present import chart_spec, controls
from components.url_guard import bound

data = atlas_or_stop()
lang = current_lang()
rebind_on_language_change(keys.TARGETS_KEYS)
today = dt.date.today()

everything = target_rows(lang, data.data_version)
documents = {d.id: doc_label(d, lang) for d in documents_in_order(data)}
kinds = {k: t(f"targets.kind_{k}") for k in tg.KINDS if k in set(everything["kind"])}
natures = {n: t(f"targets.nature_{n}") for n in tg.NATURES}

st.title(t("targets.title"))
st.caption(t("targets.lead"))

bar = controls("targets")
f1, f2, f3 = bar.columns([3, 3, 2])
chosen_docs = f1.multiselect(
    t("targets.f_docs"), list(documents), format_func=lambda k: documents.get(k, k),
    placeholder=t("targets.all"), key=keys.TARGETS_DOCS, bind=bound(keys.TARGETS_DOCS),
)  # fmt: skip
chosen_kinds = f2.multiselect(
    t("targets.f_kinds"), list(kinds), format_func=lambda k: kinds.get(k, k),
    placeholder=t("targets.all"), key=keys.TARGETS_KINDS, bind=bound(keys.TARGETS_KINDS),
)  # fmt: skip
chosen_natures = f3.multiselect(
    t("targets.f_natures"), list(natures), format_func=lambda k: natures.get(k, k),
    placeholder=t("targets.all"), key=keys.TARGETS_NATURES, bind=bound(keys.TARGETS_NATURES),
)  # fmt: skip
frame = tg.filter_targets(
    everything, documents=chosen_docs, kinds=chosen_kinds, natures=chosen_natures
)
parts = int((frame["part_of"] != "").sum()) if not frame.empty else 0
st.caption(t("targets.showing", n=len(frame), total=len(everything), parts=parts))

b1, b2 = bar.columns([5, 1], vertical_alignment="bottom")
view = b1.segmented_control(
    t("targets.view"), tg.VIEWS, format_func=lambda v: t(f"targets.view_{v}"),
    default="chart", required=True, key=keys.TARGETS_VIEW, label_visibility="collapsed",
    bind=bound(keys.TARGETS_VIEW, t("targets.view_chart")),
)  # fmt: skip

shown_docs = [documents[d] for d in documents if d in set(frame.get("document", []))]
legend = colors_of(doc_colors(data, lang), shown_docs)  # each document's fixed colour
export_slot = b2.empty()


def offer_exports(charts: dict | None = None) -> None:
    """The view's Export button: the targets shown, their quotes, the chart on screen."""
    tables = {"Targets": tg.target_export(frame), "Summary": tg.summary(frame, lang)}
    evidence = view_evidence(
        data, lang, f"targets_{view}", tables, frame["id"], charts, chosen_docs
    )
    with export_slot.container():
        export_panel(evidence, "targets_export")


if frame.empty:
    st.info(t("targets.empty"))

elif view == "chart":
    log = controls("targets_log").toggle(
        t("targets.log"), value=True, key=keys.TARGETS_LOG, bind=bound(keys.TARGETS_LOG, True)
    )
    text = {
        "title": t("targets.chart_title"),
        "source": t("targets.chart_source", version=data.data_version),
        "x_title": t("targets.x_title"),
        "doc": t("targets.doc"),
        "metric": t("targets.metric"),
        "value": t("targets.value"),
        "deadline": t("targets.deadline"),
        "basis": t("targets.basis"),
        "nature": t("targets.nature"),
        "part_of": t("targets.part_of"),
        "section": t("targets.section"),
        "quote": t("targets.quote"),
        "id": t("targets.id"),
    }
    order = tuple(tg.panel_order(frame))
    view_key = (data.data_version, lang, tuple(chosen_docs), tuple(chosen_kinds))
    view_key += (tuple(chosen_natures),)
    spec = targets_spec(frame, view_key, order, tuple(text.items()), tuple(legend.items()), log)
    st.vega_lite_chart(chart_spec(spec), width="content")
    offer_exports({"targets": spec})
    st.caption(t("targets.chart_legend"))
    download_csv(tg.target_export(frame), f"targets_{data.data_version}", "dl_targets_chart")

elif view == "timeline":
    periods, deadlines = tg.timeline(data, frame, lang)
    text = {
        "title": t("targets.timeline_title"),
        "source": t("targets.chart_source", version=data.data_version),
        "x": t("targets.timeline_x"),
        "doc": t("targets.doc"),
        "period": t("targets.period"),
        "deadline": t("targets.deadline"),
        "count": t("targets.count"),
        "metrics": t("targets.metrics"),
        "today": t("targets.today", date=today.isoformat()),
    }
    chart = deadline_timeline(periods, deadlines, text, documents=legend, today=today.isoformat())
    timeline_spec = chart.to_dict(validate=False)
    st.vega_lite_chart(chart_spec(timeline_spec), width="content")
    offer_exports({"timeline": timeline_spec})
    st.caption(t("targets.timeline_legend"))
    open_ended = frame[frame["deadline"].isna()]
    if not open_ended.empty:
        items = "; ".join(f"{r.row} {r.value_text}" for r in open_ended.itertuples())
        st.caption(md_escape(t("targets.no_deadline_caption", n=len(open_ended), items=items)))

else:
    shown = frame[
        [
            "doc_label",
            "kind_label",
            "metric",
            "comparator_label",
            "value_text",
            "deadline_label",
            "basis_label",
            "nature_label",
            "part_of_label",
            "quote",
            "section",
            "id",
        ]
    ]
    st.dataframe(
        shown.rename(columns={
            "doc_label": t("targets.doc"), "kind_label": t("targets.kind"),
            "metric": t("targets.metric"), "comparator_label": t("targets.comparator"),
            "value_text": t("targets.value"),
            "deadline_label": t("targets.deadline"), "basis_label": t("targets.basis"),
            "nature_label": t("targets.nature"), "part_of_label": t("targets.part_of"),
            "quote": t("targets.quote"), "section": t("targets.section"), "id": t("targets.id"),
        }),
        hide_index=True, key="target_table",
    )  # fmt: skip
    download_csv(tg.target_export(frame), f"targets_{data.data_version}", "dl_targets")
    offer_exports()
    st.dataframe(tg.summary(frame, lang), hide_index=True, key="target_summary")
