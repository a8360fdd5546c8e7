"""Sources: each document in full with its clauses, targets and corrections marked and linked
both ways; the provenance record and the corrections applied."""

import streamlit as st

from components import sources as src
from components import url_keys as keys
from components.data import atlas_or_stop, documents_in_order
from components.display import (
    doc_label,
    download_csv,
    md_escape,
    quote_markdown,
    rebind_on_language_change,
)
from components.i18n import current_lang, t
from components.present import controls
from components.url_guard import bound

data = atlas_or_stop()
lang = current_lang()
rebind_on_language_change(keys.SOURCES_KEYS)

documents = {d.id: doc_label(d, lang) for d in documents_in_order(data)}

st.title(t("sources.title"))
st.caption(t("sources.lead"))

c1, c2 = controls("sources").columns([2, 3])
doc_id = c1.selectbox(
    t("sources.doc"), list(documents), format_func=lambda k: documents.get(k, k),
    key=keys.SOURCES_DOC, bind=bound(keys.SOURCES_DOC, next(iter(documents.values()))),
)  # fmt: skip
doc = data.document(doc_id)
found, missing = src.marks(doc, lang)
records = src.record_options(found, lang)
selected = c2.selectbox(
    t("sources.record"), list(records), index=None, format_func=lambda k: records.get(k, k),
    placeholder=t("sources.record_placeholder"), key=keys.SOURCES_RECORD,
    bind=bound(keys.SOURCES_RECORD),
)  # fmt: skip

st.subheader(md_escape(doc.provenance.title_zh))
if lang != "zh":
    st.caption(md_escape(doc.provenance.title_en))

with st.expander(t("sources.provenance"), expanded=False):
    prov = src.provenance_rows(doc, lang)
    st.dataframe(
        prov[["field", "value"]].rename(
            columns={"field": t("sources.col_field"), "value": t("sources.col_value")}
        ),
        hide_index=True, key="provenance",
    )  # fmt: skip
    computed = src.sha256_of(doc)
    if computed == doc.provenance.sha256:
        st.success(t("sources.sha_ok", sha=computed), icon="✅")
    else:
        st.error(t("sources.sha_bad", sha=doc.provenance.sha256, computed=computed))
    if lang == "zh":
        st.caption(t("sources.notes_in_english"))
    download_csv(prov, f"provenance_{doc.id}_{data.data_version}", "dl_provenance")

with st.expander(t("sources.artifacts"), expanded=False):
    artifacts = src.artifact_rows(doc, lang)
    if artifacts.empty:
        st.caption(t("sources.no_artifacts"))
    else:
        st.dataframe(
            artifacts[["id", "kind", "raw", "clean", "note_en"]].rename(columns={
                "kind": t("sources.col_kind"), "raw": t("sources.col_raw"),
                "clean": t("sources.col_clean"), "note_en": t("sources.col_note"),
            }),
            hide_index=True, key="artifacts",
        )  # fmt: skip
        download_csv(artifacts, f"corrections_{doc.id}_{data.data_version}", "dl_artifacts")

mode = controls("sources_text").segmented_control(
    t("sources.text_view"), src.TEXT_VIEWS, format_func=lambda v: t(f"sources.text_{v}"),
    default="annotated", required=True, key=keys.SOURCES_TEXT,
    bind=bound(keys.SOURCES_TEXT, t("sources.text_annotated")),
)  # fmt: skip

left, right = st.columns([3, 2], gap="large")

with left:
    if mode == "raw":
        st.code(doc.text, language=None, wrap_lines=True, height=760)
    else:
        st.caption(t("sources.legend"))
        with st.container(height=760, border=True):
            st.markdown(src.annotated_markdown(doc.text, found, selected, lang))
    st.caption(t("sources.located", n=len(found)))
    if missing:
        st.warning(t("sources.missing", ids=", ".join(missing)))

with right:
    for mark in (m for m in found if m.record == selected):
        with st.container(border=True):
            kind = t(f"sources.kind_{mark.kind}")
            st.markdown(f"**{kind} {mark.number} · {md_escape(mark.title)}**")
            st.markdown(f"{md_escape(mark.detail)}")
            st.markdown(quote_markdown(mark.quote, lang))
            st.caption(f"{src.mark_place(mark, lang)} · `{mark.record}`")
            st.markdown(f"{t('sources.context')}: {src.context(doc.text, mark)}")
            st.markdown(f"[{t('sources.jump')}]({src.FOOTNOTE_REF.format(n=mark.number)})")
    st.markdown(f"**{t('sources.records')}**")
    table = src.mark_rows(found, lang)
    st.dataframe(
        table[["no", "kind", "title", "detail", "quote"]].rename(columns={
            "no": t("sources.col_no"), "kind": t("sources.col_kind"),
            "title": t("sources.col_title"), "detail": t("sources.col_detail"),
            "quote": t("sources.col_quote"),
        }),
        hide_index=True, key="records", height=640,
    )  # fmt: skip
    download_csv(table, f"records_{doc.id}_{data.data_version}", "dl_records")
