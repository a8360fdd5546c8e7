"""Simulate: one carrier's year in, what each document would pay, to whom and how sure, out.

Load (atlas, presets, cached engine) -> compute (components.simulate_view, policies.crossovers)
-> render. The inputs live in components.profile_form and components.simulate_inputs; every
figure comes from the engine.
"""

import datetime as dt
import json
from functools import cache

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import near_miss_view as misses
from components import profile_form as form
from components import readings_view
from components import simulate_answer as answer
from components import simulate_inputs as inputs
from components import simulate_view as view
from components import url_keys as keys
from components.data import (
    atlas_or_stop,
    citation_table,
    engine,
    first_whatif,
    form_group_order,
    presets,
    simulated,
    sweep_spec,
    totals_spec,
)
from components.display import interval_text, md_escape, rebind_on_language_change
from components.export_panel import (
    document_titles,
    export_panel,
    quotes_frame,
    readings,
    readings_in_force,
    stamp,
)
from components.exports import Evidence, csv_bytes
from components.i18n import current_lang, pick, t
from components.present import chart_spec, controls, presenting
from components.url_guard import bound
from policies.crossovers import crossovers
from policies.engine import Engine, Result
from policies.fields import form_groups, label
from policies.fmt import num
from policies.near_misses import near_misses
from policies.profile import Profile
from policies.sweeps import is_count

data = atlas_or_stop()
lang = current_lang()
rebind_on_language_change(keys.URL_KEYS)


def amount_axis() -> str:
    return t("simulate.col_amount") + t("simulate.unit_suffix")


def year_words(year: int | None) -> str:
    """The year the figures are computed for, or 'as if in force'."""
    return t("simulate.year_as_if") if year is None else str(year)


def chart_source(year: int | None) -> str:
    """The source line under every Simulate chart: data version and the year computed for."""
    return t("simulate.chart_source", version=data.data_version, year=year_words(year))


def totals_parts(result: Result, tables: dict, charts: dict) -> pd.DataFrame:
    """The totals and the split by recipient as tables and chart specs, for the Results tab and
    for the exports (cheap: the chart encodings are cached); returns the totals as shown."""
    frame = view.totals_frame(result, data, lang)
    sensitivity = readings_view.sensitivity_frame(result, data, view.document_order(data), lang)
    ranges = dict(zip(sensitivity["document"], sensitivity["text"], strict=True))
    frame["across"] = frame["document"].map(ranges)
    tables["Readings"] = sensitivity
    labels = {
        "document": t("simulate.col_document"),
        "amount": amount_axis(),
        "wording": t("simulate.col_wording"),
        "title": t("simulate.totals_chart_title"),
        "subtitle": chart_source(result.year),
    }
    order = tuple(view.document_names(data, lang))
    charts["totals"] = totals_spec(frame, tuple(labels.items()), order=order)
    columns = {
        "name": t("simulate.col_document"),
        "text": t("simulate.col_wording"),
        "low": t("simulate.col_low"),
        "high": t("simulate.col_high"),
        "status": t("simulate.col_status"),
        "not_stated": t("simulate.col_not_stated"),
        "across": t("simulate.col_across"),
    }
    shown = view.totals_table(frame, lang)
    words = {doc.id: readings_view.total_words(doc, lang) for doc in result.documents}
    shown["text"] = shown["document"].map(words)
    shown = shown[[c for c in columns if c != "across"]].rename(columns=columns)
    # made when a download asks for it, not on every run
    tables["Totals"] = cache(
        lambda: view.totals_csv_frame(frame)[["document", *columns]].rename(columns=columns)
    )
    split = view.recipients_frame(result, data, lang)
    tables["Recipients"] = view.recipients_table(split, lang)
    if not split.empty:
        split_labels = {
            **labels,
            "group": t("common.recipient"),
            "title": t("simulate.recipients_chart_title"),
        }
        charts["recipients"] = totals_spec(
            split, tuple(split_labels.items()), "recipient_label", order
        )
    return shown


def show_totals(result: Result, shown: pd.DataFrame, tables: dict, charts: dict) -> None:
    """Totals per document (chart, table, CSV) and the split by recipient."""
    st.subheader(t("simulate.totals_title"))
    st.vega_lite_chart(chart_spec(charts["totals"]), width="stretch")
    st.caption(t("simulate.legend"))
    # On screen the words hold both ends and the unstated clauses, so the table fits at 1440 px;
    # the CSV below keeps every column.
    words, status = t("simulate.col_wording"), t("simulate.col_status")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_order=[t("simulate.col_document"), words, status],
        column_config={words: st.column_config.TextColumn(width="large")},
    )
    st.download_button(
        t("simulate.download_totals"),
        lambda: csv_bytes(tables["Totals"]()),
        file_name=f"totals_{data.data_version}.csv",
        mime="text/csv",
        on_click="ignore",
        key=keys.DOWNLOAD_TOTALS_KEY,
    )
    show_sensitivity(result)
    st.subheader(t("simulate.recipients_title"))
    st.caption(t("simulate.recipients_intro"))
    if len(tables["Recipients"]):
        st.dataframe(tables["Recipients"], hide_index=True, width="stretch")
    else:  # never Streamlit's own "empty" placeholder, which is English in both languages
        st.info(t("simulate.recipients_none"))
    if "recipients" in charts:
        st.vega_lite_chart(chart_spec(charts["recipients"]), width="stretch")


def show_sensitivity(result: Result) -> None:
    """Each document whose total moves with the readings: its range, then one line per reading
    that moves it with the total under each answer."""
    st.subheader(t("simulate.across_title"))
    st.caption(t("simulate.across_intro"))
    moved = [d for d in view.ordered(result, data) if d.across is not None and d.across.decisive]
    if not moved:
        st.caption(t("simulate.across_none"))
        return
    for doc in moved:
        name = view.doc_name(data, doc.id, lang)
        spread = readings_view.range_text(doc.across, doc.total, lang)
        lines = readings_view.decisive_lines(data, doc.across, lang)
        st.markdown(
            f"**{md_escape(name)}** · {md_escape(spread)}  \n"
            + "\n".join(f"- {md_escape(line)}" for line in lines)
        )


def late_notice(result: Result) -> str | None:
    """Money a document in force would pay after its period ends (needs a chosen year)."""
    late = [
        t(
            "simulate.late_item",
            document=view.doc_name(data, doc.id, lang),
            amount=interval_text(doc.after_period.low, doc.after_period.high),
        )
        for doc in view.ordered(result, data)
        if doc.in_force
        and doc.after_period is not None
        and (doc.after_period.high is None or doc.after_period.high > 0)
    ]
    return t("simulate.late_payments", docs=t("overview.list_sep").join(late)) if late else None


def show_clause(clause: view.ClauseView) -> None:
    with st.expander(md_escape(f"{clause.title} — {clause.amount}")):
        st.markdown(f"**{t('simulate.why')}:** {md_escape(clause.why)}")
        st.markdown(f"**{t('simulate.stated_form')}:** {md_escape(clause.stated)}")
        st.caption(md_escape(f"{clause.category} · {clause.recipient}"))
        for reading in clause.readings:
            st.caption(md_escape(f"{t('simulate.readings_used')}: {reading}"))
        st.caption(
            md_escape(
                f"{t('simulate.quote_label')} · "
                + t("simulate.section_label", section=clause.section)
            )
        )
        st.code(clause.quote, language=None, wrap_lines=True)


def show_clauses(result: Result, views: dict, shown: bool = True) -> None:
    st.caption(t("simulate.clauses_intro"))
    show_all = controls("simulate_clauses").toggle(
        t("simulate.show_not_applicable"),
        key=keys.SHOW_NOT_APPLICABLE_KEY,
        bind=bound(keys.SHOW_NOT_APPLICABLE_KEY, False),
    )
    if not shown:
        return
    for doc in view.ordered(result, data):
        source = data.document(doc.id)
        prov = source.provenance
        groups = views[doc.id]
        with st.container(border=True):
            st.markdown(
                f"#### {md_escape(view.doc_name(data, doc.id, lang))} · "
                + md_escape(view.total_text(doc.lines, doc.total, lang))
            )
            st.caption(
                md_escape(
                    f"{view.doc_title(source, lang)} · "
                    + t("simulate.period_label", start=prov.period_start, end=prov.period_end)
                    + f" · {view.validity_text(source, result.year, lang)}"
                )
            )
            if groups["computed"]:
                st.markdown(f"**{t('simulate.computed_heading')}**")
                for clause in groups["computed"]:
                    show_clause(clause)
            else:
                st.caption(t("simulate.none_computed"))
            if groups["not_stated"]:
                st.markdown(f"**{t('simulate.not_stated_heading')}**")
                for clause in groups["not_stated"]:
                    show_clause(clause)
            if show_all and groups["not_applicable"]:
                st.markdown(f"**{t('simulate.not_applicable_heading')}**")
                st.dataframe(
                    {
                        t("simulate.col_clause"): [c.title for c in groups["not_applicable"]],
                        t("simulate.col_unmet"): [
                            "; ".join(c.failed) for c in groups["not_applicable"]
                        ],
                    },
                    hide_index=True,
                    width="stretch",
                )


def show_near_misses(result: Result, eng: Engine, profile: Profile) -> None:
    """Near misses ranked by policies.near_misses, worded and drawn by near_miss_view."""
    st.caption(t("simulate.near_intro"))
    cards = [misses.card(m, data, lang) for m in near_misses(result, eng, profile)]
    misses.show_cards(cards, form.apply_change, lang, controls)


def whatif_words(result: Result, profile: Profile, name: str) -> tuple[dict, dict]:
    """The what-if chart's words and the crossover table's column names, in the reader's
    language (made in the page run, so a later export speaks the same language)."""
    unit = t("simulate.unit_suffix") if not is_count(name) else ""
    labels = {
        "x": label(name, lang) + unit,
        "amount": amount_axis(),
        "document": t("simulate.col_document"),
        "wording": t("simulate.col_wording"),
        "crossover": t("simulate.crossovers_title"),
        "current": f"{t('simulate.whatif_current')} {num(getattr(profile, name))}",
        "title": t("simulate.whatif_chart_title", field=label(name, lang)),
        "subtitle": chart_source(result.year),
    }
    columns = {
        "text": t("simulate.col_between"),
        "leader": t("simulate.col_leader"),
        "other": t("simulate.col_other"),
        "bound_label": t("simulate.col_bound"),
        "leader_value": t("simulate.col_leader_value"),
        "other_value": t("simulate.col_other_value"),
    }
    return labels, columns


def whatif_parts(
    result: Result,
    eng: Engine,
    profile: Profile,
    sweep_input: tuple[str, list],
    words: tuple[dict, dict],
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The what-if chart spec, the sweep rows and the crossovers table for one input swept
    over its values (drawn on the What-if tab, or made when an export asks for them)."""
    name, values = sweep_input
    labels, columns = words
    sweep = eng.sweep(profile, name, values)
    in_force = {doc.id: doc.in_force for doc in result.documents}
    frame = view.sweep_frame(sweep, data, lang, in_force)
    found = crossovers(sweep, documents=view.document_order(data))
    cross = view.crossover_frame(found, data, name, lang)
    current = getattr(profile, name)
    chart = sweep_spec(
        frame,
        cross,
        tuple(labels.items()),
        current if values[0] <= current <= values[-1] else None,
        tuple(view.document_names(data, lang)),
        is_count(name),
    )
    crossings = cross.reindex(columns=list(columns)).rename(columns=columns)
    return chart, frame, crossings


def show_whatif(
    result: Result, eng: Engine, profile: Profile, evidence: dict, shown: bool = True
) -> None:
    """The what-if controls (always drawn: they hold state) and, when the tab is open, the
    chart and crossovers; the exports get them either way (made on demand if not drawn)."""
    st.caption(t("simulate.whatif_intro"))
    with controls("simulate_whatif"):
        first = first_whatif(profile, profile.model_dump_json(), tuple(sorted(eng.choices.items())))
        name, values = inputs.whatif_controls(data, profile, lang, first)
    if not values:
        return
    words = whatif_words(result, profile, name)
    parts = cache(lambda: whatif_parts(result, eng, profile, (name, values), words))
    evidence["charts"]["whatif"] = lambda: parts()[0]
    evidence["titles"]["whatif"] = t("simulate.whatif_chart_title", field=label(name, lang))
    evidence["tables"]["What-if"] = lambda: view.sweep_table(parts()[1], lang)
    evidence["tables"]["Crossovers"] = lambda: parts()[2]
    if not shown:
        return
    chart, frame, crossings = parts()
    st.vega_lite_chart(chart_spec(chart), width="stretch")
    if frame.groupby("document")[["low", "high"]].nunique(dropna=False).max().max() <= 1:
        st.info(t("simulate.whatif_no_change"))
    st.subheader(t("simulate.crossovers_title"))
    if crossings.empty:
        st.caption(t("simulate.crossovers_none"))
        return
    st.dataframe(crossings, hide_index=True, width="stretch")


def show_reproduce(
    result: Result, profile: Profile, choices: dict[str, str], year: int | None
) -> None:
    st.caption(t("simulate.reproduce_intro"))
    text = view.profile_json(profile)
    st.markdown(f"**{t('simulate.profile_heading')}**")
    st.code(text, language="json")
    st.download_button(
        t("simulate.download_profile"),
        text.encode("utf-8"),
        file_name=view.PROFILE_FILE,
        mime="application/json",
        on_click="ignore",
        key=keys.DOWNLOAD_PROFILE_KEY,
    )
    st.markdown(f"**{t('simulate.cli_heading')}**")
    st.code(view.cli_command(data, choices, year), language="bash", wrap_lines=True)
    st.markdown(f"**{t('simulate.result_heading')}**")
    st.download_button(
        t("simulate.download_result"),
        json.dumps(result.as_dict(), ensure_ascii=False, indent=1).encode("utf-8"),
        file_name=f"result_{data.data_version}.json",
        mime="application/json",
        on_click="ignore",
        key=keys.DOWNLOAD_RESULT_KEY,
    )
    inputs.share_link(lang)
    st.caption(t("simulate.data_version", version=data.data_version))


def set_year(year: int) -> None:
    """Callback of the notice's button: compute for `year`."""
    st.session_state[keys.YEAR_KEY] = year


def show_answer(box: DeltaGenerator, result: Result, entered: form.FormState) -> None:
    """Per document in words, above the form: operator, others, not stated, period."""
    today = dt.date.today().year
    rows = answer.answers(result, data, lang, today)
    notice = answer.validity_notice(rows, result.year, today, lang)
    target = answer.best_year(data) if result.year is None else None
    if entered.edited or entered.profile is None:
        heading = t("simulate.answer_heading_own")
    else:
        preset = entered.preset
        heading = t("simulate.answer_heading", example=pick(preset.name_zh, preset.name_en, lang))
    answer.show_answer(box, rows, (notice, target), set_year, heading, lang)


# --- load -> compute -> render -------------------------------------------------------------

st.title(t("simulate.title"))
st.caption(t("simulate.intro"))


@st.fragment
def simulation() -> None:
    """The answer, the form and the results. A change of input reruns only this part (not
    the app's sidebar, URL check and navigation); everything an input changes is inside."""
    answer_box = st.container()  # the answer comes first (on a phone too), filled once computed
    if presenting():  # the form is a control: kept (hidden) so its state stays, results full width
        form_column, results_column = controls("simulate_form"), st.container()
    else:
        form_column, results_column = st.columns([5, 8], gap="large")
    with form_column:
        entered = form.profile_form(presets(), lang, form_group_order(form_groups()))
    with results_column:
        year_column, export_column = controls("simulate_year").columns(
            [3, 1], vertical_alignment="bottom"
        )
        with year_column:
            year = inputs.year_select(data, lang)
        notes = st.container()
        if presenting():  # the form is hidden: say what the figures are for
            summary = view.profile_summary(entered.shown, lang)
            words = t("simulate.profile_summary", summary=summary) if summary else None
            notes.caption(md_escape(words or t("simulate.profile_summary_empty")))
        tabs = inputs.result_tabs(lang)
        with tabs["interp"]:
            with controls("simulate_readings"):
                choices = inputs.reading_switches(data, lang, inputs.is_open(tabs["interp"]))
            if presenting():  # the switches are hidden: say which reading each question uses
                for line in readings_in_force(data, lang, choices).values():
                    st.markdown(f"- {md_escape(line)}")
        engine_key = tuple(sorted(choices.items()))
        eng = engine(engine_key)
        profile = entered.shown
        result = simulated(profile, profile.model_dump_json(), year, engine_key)

        changed = view.non_default(data, choices)
        if entered.profile is None:
            notes.warning(t("simulate.showing_last_good"))
        if changed:
            switched = view.interpretation_views(data, changed, lang)
            shown = "; ".join(
                f"{v.question} → {v.labels[changed[v.id]]}" for v in switched if v.id in changed
            )
            notes.info(
                md_escape(t("simulate.readings_changed", readings=shown)), icon=":material/balance:"
            )
        else:
            notes.caption(t("simulate.readings_default"))
        if (late := late_notice(result)) is not None:
            notes.info(md_escape(late), icon=":material/event:")

        show_answer(answer_box, result, entered)

        # Only the open tab is drawn (a tab change reruns the page); the reading switches keep
        # their values undrawn (persist_state), the what-if controls are drawn in every run, and
        # the exports always have the totals.
        tables: dict = {}
        charts: dict = {}
        titles: dict = {}
        totals_shown = totals_parts(result, tables, charts)
        clauses = view.clause_views(result, data, lang)
        with tabs["results"]:
            if inputs.is_open(tabs["results"]):
                show_totals(result, totals_shown, tables, charts)
        with tabs["clauses"]:
            show_clauses(result, clauses, inputs.is_open(tabs["clauses"]))
        with tabs["near"]:
            if inputs.is_open(tabs["near"]):
                show_near_misses(result, eng, profile)
        with tabs["whatif"]:
            evidence_parts = {"tables": tables, "charts": charts, "titles": titles}
            show_whatif(result, eng, profile, evidence_parts, inputs.is_open(tabs["whatif"]))
        with tabs["reproduce"]:
            if inputs.is_open(tabs["reproduce"]):
                show_reproduce(result, profile, choices, year)

        # every clause that counts (computed, or stated without an amount), with its quote
        counted = [c for doc in clauses.values() for c in doc["computed"] + doc["not_stated"]]
        tables["Clauses"] = view.clause_table(counted, data, lang)
        evidence = Evidence(
            stem=f"simulate_{data.data_version}",
            line=stamp(data, [], lang, f"{t('simulate.year')}: {year_words(year)}"),
            tables=tables,
            sources=quotes_frame(data, [c.clause for c in counted], lang),
            interpretations=readings(data, lang, choices),
            charts=charts,
            profile_json=view.profile_json(profile),
            chart_titles=titles,
            documents=citation_table(data.data_version),
            titles=document_titles(data, lang),
        )
        with export_column:
            export_panel(evidence, "simulate_export")


simulation()
