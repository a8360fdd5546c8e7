"""Compare: money clauses by category × document, comparable amounts, and two versions side by
side (Liuzhou 2016 → 2019). Every cell, mark and row leads back to its verbatim quote."""

import pandas as pd
import streamlit as st

from components import compare as cmp
from components import url_keys as keys
from components.charts import colors_of
from components.data import amounts_spec, atlas_or_stop, compare_rows, doc_colors
from components.display import download_csv, md_escape, quote_markdown, rebind_on_language_change
from components.export_panel import export_panel, view_evidence
from components.i18n import current_lang, t
from components.present import chart_spec, controls
from components.url_guard import bound
from components.versions import version_diff

data = atlas_or_stop()
lang = current_lang()
rebind_on_language_change(keys.COMPARE_KEYS)

everything = compare_rows(lang, data.data_version)
opts = cmp.options(data, everything, lang)

st.title(t("compare.title"))
st.caption(t("compare.lead"))

# --- filters (each one in the URL; hidden, state kept, when presenting) --------------------
bar = controls("compare")
f1, f2, f3, f4 = bar.columns(4)
docs = f1.multiselect(
    t("compare.f_docs"), list(opts.documents), format_func=lambda k: opts.documents.get(k, k),
    placeholder=t("compare.all"), key=keys.COMPARE_DOCS, bind=bound(keys.COMPARE_DOCS),
)  # fmt: skip
cats = f2.multiselect(
    t("compare.f_categories"), list(opts.categories),
    format_func=lambda k: opts.categories.get(k, k), placeholder=t("compare.all"),
    key=keys.COMPARE_CATS, bind=bound(keys.COMPARE_CATS),
)  # fmt: skip
recipients = f3.multiselect(
    t("compare.f_recipients"), list(opts.recipients),
    format_func=lambda k: opts.recipients.get(k, k), placeholder=t("compare.all"),
    key=keys.COMPARE_RECIPIENTS, bind=bound(keys.COMPARE_RECIPIENTS),
)  # fmt: skip
carriers = f4.multiselect(
    t("compare.f_carriers"), list(opts.carriers), format_func=lambda k: opts.carriers.get(k, k),
    placeholder=t("compare.all"), help=t("compare.carrier_help"), key=keys.COMPARE_CARRIERS,
    bind=bound(keys.COMPARE_CARRIERS),
)  # fmt: skip
v1, v2, v3 = bar.columns([3, 2, 1], vertical_alignment="bottom")
view = v1.segmented_control(
    t("compare.view"), cmp.VIEWS, format_func=lambda v: t(f"compare.view_{v}"),
    default="matrix", required=True, key=keys.COMPARE_VIEW,
    bind=bound(keys.COMPARE_VIEW, t("compare.view_matrix")),
)  # fmt: skip
amounts = v2.segmented_control(
    t("compare.f_amounts"), cmp.AMOUNT_FILTERS, format_func=lambda a: t(f"compare.amounts_{a}"),
    default="all", required=True, key=keys.COMPARE_AMOUNTS,
    bind=bound(keys.COMPARE_AMOUNTS, t("compare.amounts_all")),
)  # fmt: skip

criteria = {"categories": cats, "recipients": recipients, "carriers": carriers, "amounts": amounts}
frame = cmp.filter_clauses(everything, documents=docs, **criteria)
st.caption(t("compare.showing", n=len(frame), total=len(everything)))
export_slot = v3.empty()


def offer_exports(tables: dict, ids, charts: dict | None = None, documents=None) -> None:
    """The view's Export button: its tables, every quote behind them, its chart."""
    shown = docs if documents is None else documents
    evidence = view_evidence(data, lang, f"compare_{view}", tables, ids, charts, shown)
    with export_slot.container():
        export_panel(evidence, "compare_export")


def show_clause(row) -> None:
    """One clause: title and amount, who receives it, the verbatim quote and where it stands."""
    with st.container(border=True):
        st.markdown(f"**{md_escape(row.doc_label)} · {md_escape(row.title)}**")
        st.markdown(f"{t('compare.amount')}: **{md_escape(row.amount_full)}**")
        facts = [
            f"{t('common.recipient')}: {row.recipient_label}",
            f"{t('compare.carriers')}: {row.carriers_label}",
            f"{t('compare.period')}: {row.period_label}",
            f"`{row.id}`",
        ]
        st.caption(md_escape(" · ".join(facts[:3])) + " · " + facts[3])
        st.markdown(quote_markdown(row.quote, lang))
        st.caption(f"{t('common.section')}: {md_escape(row.section)}")
        if row.interpretations:
            st.caption(t("compare.readings", ids=md_escape(row.interpretations)))
        if row.notes_en:
            st.caption(f"{t('compare.note_en')}: {md_escape(row.notes_en)}")


@st.fragment
def cell_clauses(mx: cmp.Matrix, frame: pd.DataFrame) -> None:
    """The chosen matrix cell's clauses with their quotes; choosing a cell changes nothing else
    on the page, so it reruns only this part."""
    cell = controls("compare_cell").selectbox(
        t("compare.cell"), list(mx.cells), index=None,
        format_func=lambda k: mx.labels.get(k, k),
        placeholder=t("compare.cell_placeholder"), key=keys.COMPARE_CELL,
        bind=bound(keys.COMPARE_CELL),
    )  # fmt: skip
    if cell:
        chosen = frame[frame["id"].isin(mx.cells[cell])]
        for row in chosen.itertuples():
            show_clause(row)


if frame.empty:
    st.info(t("compare.empty"))

elif view == "matrix":
    mx = cmp.matrix(frame, data, lang, docs)
    st.caption(t("compare.matrix_help"))
    st.table(cmp.matrix_display(mx), hide_index=True)
    matrix_table = cmp.matrix_export(mx, frame)
    download_csv(matrix_table, f"compare_matrix_{data.data_version}", "dl_matrix")
    offer_exports({"Matrix": matrix_table, "Clauses": cmp.clause_export(frame)}, frame["id"])
    cell_clauses(mx, frame)

elif view == "chart":
    log = controls("compare_log").toggle(
        t("compare.log"), value=True, key=keys.COMPARE_LOG, bind=bound(keys.COMPARE_LOG, True)
    )
    marks, rest = cmp.amount_marks(frame, data, lang)
    drawn = [opts.documents[d] for d in opts.documents if d in set(marks.get("document", []))]
    colors = colors_of(doc_colors(data, lang), drawn)
    if marks.empty:
        st.info(t("compare.nothing_to_draw"))
    else:
        text = {
            "title": t("compare.chart_title"),
            "source": t("compare.chart_source", version=data.data_version),
            "x": t("compare.chart_x_log") if log else t("compare.chart_x"),
            "doc": t("common.document"),
            "clause": t("compare.clause"),
            "amount": t("compare.amount"),
            "recipient": t("common.recipient"),
            "period": t("compare.period"),
            "section": t("common.section"),
            "quote": t("common.quote"),
            "id": t("compare.id"),
        }
        view_key = (data.data_version, lang, tuple(docs), tuple(cats), tuple(recipients))
        view_key += (tuple(carriers), amounts)
        spec = amounts_spec(marks, view_key, tuple(text.items()), tuple(colors.items()), log)
        st.vega_lite_chart(chart_spec(spec), width="stretch")
        st.caption(t("compare.chart_legend"))
        download_csv(marks, f"compare_amounts_{data.data_version}", "dl_marks")
    offer_exports(
        {"Amounts": marks, "Not drawn": rest, "Clauses": cmp.clause_export(frame)},
        frame["id"],
        {"amounts": spec} if not marks.empty else None,
    )
    st.subheader(t("compare.not_drawn"))
    st.caption(t("compare.not_drawn_help"))
    if rest.empty:
        st.caption(t("compare.none"))
    else:
        shown = rest[["doc_label", "category_label", "title", "amount", "reason", "quote"]]
        st.dataframe(
            shown.rename(columns={
                "doc_label": t("common.document"), "category_label": t("common.category"),
                "title": t("compare.clause"), "amount": t("compare.amount"),
                "reason": t("compare.reason"), "quote": t("common.quote"),
            }),
            hide_index=True, key="not_drawn",
        )  # fmt: skip
        download_csv(rest, f"compare_not_drawn_{data.data_version}", "dl_rest")

elif view == "versions":
    ids = list(opts.documents)
    p1, p2 = controls("compare_pair").columns(2)
    older = p1.selectbox(
        t("compare.older"), ids, index=ids.index(cmp.DEFAULT_OLDER),
        format_func=lambda k: opts.documents.get(k, k), key=keys.COMPARE_OLDER,
        bind=bound(keys.COMPARE_OLDER, opts.documents[cmp.DEFAULT_OLDER]),
    )  # fmt: skip
    newer = p2.selectbox(
        t("compare.newer"), ids, index=ids.index(cmp.DEFAULT_NEWER),
        format_func=lambda k: opts.documents.get(k, k), key=keys.COMPARE_NEWER,
        bind=bound(keys.COMPARE_NEWER, opts.documents[cmp.DEFAULT_NEWER]),
    )  # fmt: skip
    diff = version_diff(data, older, newer, cmp.filter_clauses(everything, **criteria), lang)
    offer_exports(
        {"Categories": diff.categories, "Clauses": diff.clauses, "Targets": diff.targets},
        diff.clauses["id"] if not diff.clauses.empty else [],
        documents=[older, newer],
    )
    old_label, new_label = opts.documents[older], opts.documents[newer]
    st.caption(t("compare.versions_help"))
    n = diff.counts
    m1, m2, m3, m4 = st.columns(4)
    older_stated = md_escape(t("compare.stated_in", doc=old_label))
    newer_stated = md_escape(t("compare.stated_in", doc=new_label))
    m1.metric(older_stated, f"{n['older_quantified']}/{n['older_total']}")
    m2.metric(newer_stated, f"{n['newer_quantified']}/{n['newer_total']}")
    m3.metric(t("compare.change_added"), n["added"])
    m4.metric(t("compare.change_dropped"), n["dropped"])
    if diff.categories.empty:
        st.info(t("compare.empty"))
    else:
        st.subheader(t("compare.by_category"))
        by_cat = diff.categories[["category_label", "change_label", "older", "newer"]]
        st.table(
            by_cat.map(md_escape).rename(columns={
                "category_label": t("common.category"), "change_label": t("compare.change"),
                "older": old_label, "newer": new_label,
            }),
            hide_index=True,
        )  # fmt: skip
        pair = f"{older}_{newer}_{data.data_version}"
        download_csv(diff.categories, f"categories_{pair}", "dl_diff_categories")
        st.subheader(t("compare.by_clause"))
        clauses = diff.clauses[
            ["change_label", "category_label", "version", "title", "amount", "quote", "section"]
        ]
        st.dataframe(
            clauses.rename(columns={
                "change_label": t("compare.change"), "category_label": t("common.category"),
                "version": t("common.document"), "title": t("compare.clause"),
                "amount": t("compare.amount"), "quote": t("common.quote"),
                "section": t("common.section"),
            }),
            hide_index=True, key="diff_clauses",
        )  # fmt: skip
        download_csv(diff.clauses, f"clauses_{pair}", "dl_diff")
        for row in diff.categories.itertuples():
            with st.expander(md_escape(f"{row.change_label} · {row.category_label}")):
                left, right = st.columns(2)
                for column, doc_id, name in ((left, older, old_label), (right, newer, new_label)):
                    with column:
                        st.markdown(f"**{md_escape(name)}**")
                        mine = diff.clauses[
                            (diff.clauses["document"] == doc_id)
                            & (diff.clauses["category_label"] == row.category_label)
                        ]
                        if mine.empty:
                            st.caption(t("common.no_equivalent"))
                        for c in mine.itertuples():
                            st.markdown(f"{md_escape(c.title)}: **{md_escape(c.amount)}**")
                            st.markdown(quote_markdown(c.quote, lang))
    if not diff.targets.empty:
        st.subheader(t("compare.targets_by_kind"))
        st.dataframe(
            diff.targets[["kind_label", "change_label", "older", "newer"]].rename(columns={
                "kind_label": t("compare.kind"), "change_label": t("compare.change"),
                "older": old_label, "newer": new_label,
            }),
            hide_index=True, key="diff_targets",
        )  # fmt: skip
        download_csv(
            diff.targets, f"targets_{older}_{newer}_{data.data_version}", "dl_diff_targets"
        )

else:
    table = cmp.clause_export(frame)
    st.dataframe(
        table[["document", "category_label", "title", "amount", "recipient_label",
               "carriers_label", "period_label", "quote", "section", "id"]].rename(columns={
            "document": t("common.document"), "category_label": t("common.category"),
            "title": t("compare.clause"), "amount": t("compare.amount"),
            "recipient_label": t("common.recipient"), "carriers_label": t("compare.carriers"),
            "period_label": t("compare.period"), "quote": t("common.quote"),
            "section": t("common.section"), "id": t("compare.id"),
        }),
        hide_index=True, key="clause_list",
    )  # fmt: skip
    download_csv(table, f"clauses_{data.data_version}", "dl_list")
    offer_exports({"Clauses": table}, frame["id"])
