"""Simulate: one carrier's year in, what each document would pay, to whom and how sure, out.

Load (atlas, presets, cached engine) -> compute (components.simulate_view, simulate_clauses,
simulate_whatif, policies.crossovers) -> render. The inputs live in components.profile_form and
components.simulate_inputs; every figure comes from the engine. What the page shows is collected
in one view.Shown, which the exports read.
"""

from functools import cache

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import near_miss_view as misses
from components import profile_form as form
from components import readings_view
from components import simulate_answer as answer
from components import simulate_clauses as clauses_view
from components import simulate_inputs as inputs
from components import simulate_shares as shares
from components import simulate_view as view
from components import simulate_whatif as whatif
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
from components.display import md_escape, rebind_on_language_change
from components.export_panel import (
    cited_csv,
    document_titles,
    export_panel,
    quotes_frame,
    readings,
    readings_in_force,
    stamp,
)
from components.exports import Evidence
from components.i18n import current_lang, pick, t
from components.present import chart_spec, controls, presenting
from components.url_guard import bound
from policies.engine import Engine, Result
from policies.fields import form_groups
from policies.near_misses import near_misses
from policies.profile import Profile
from policies.sweeps import is_count

data = atlas_or_stop()
lang = current_lang()
rebind_on_language_change(keys.URL_KEYS)


def totals_parts(result: Result, shown: view.Shown) -> pd.DataFrame:
    """The totals and the split by recipient as tables and chart specs, for the Results tab and
    for the exports (cheap: the chart encodings are cached); returns the totals as shown."""
    frame = view.totals_frame(result, data, lang)
    sensitivity = readings_view.sensitivity_frame(result, data, view.document_order(data), lang)
    ranges = dict(zip(sensitivity["document"], sensitivity["text"], strict=True))
    frame["across"] = frame["document"].map(ranges)
    shown.tables["Readings"] = sensitivity
    parts = shares.shares_frame(result, data, lang)
    legend = shares.totals_legend(parts["kind"], lang)
    labels = view.totals_labels(view.chart_source(data, result.year, lang), lang, legend)
    order = tuple(view.document_names(data, lang))
    shown.charts["totals"] = totals_spec(parts, tuple(labels.items()), "part", order)
    words = {doc.id: readings_view.total_words(doc, lang) for doc in result.documents}
    totals = view.totals_shown(frame, words, lang)
    # made when a download asks for it, not on every run
    shown.tables["Totals"] = cache(lambda: view.totals_download(frame, lang))
    split = view.recipients_frame(result, data, lang)
    shown.tables["Recipients"] = view.recipients_table(split, lang)
    return totals


def show_totals(result: Result, totals: pd.DataFrame, shown: view.Shown) -> None:
    """Totals per document (chart, table, CSV) and the split by recipient."""
    st.subheader(t("simulate.totals_title"))
    st.vega_lite_chart(chart_spec(shown.charts["totals"]), width="stretch")
    st.caption(t("simulate.legend"))
    # On screen the words hold both ends and the unstated clauses, so the table fits at 1440 px;
    # the CSV below keeps every column.
    words, status = t("simulate.col_wording"), t("simulate.col_status")
    st.dataframe(
        totals,
        hide_index=True,
        width="stretch",
        column_order=[t("simulate.col_document"), words, status],
        column_config={words: st.column_config.TextColumn(width="large")},
    )
    st.download_button(
        t("simulate.download_totals"),
        lambda: cited_csv(  # each document's title, its citation and the source line
            shown.tables["Totals"](),
            data,
            lang,
            f"{t('simulate.year')}: {view.year_words(result.year, lang)}",
            result.interpretations,
        ),
        file_name=f"totals_{data.data_version}.csv",
        mime="text/csv",
        on_click="ignore",
        key=keys.DOWNLOAD_TOTALS_KEY,
    )
    answer.show_spread(result, data, lang)
    st.subheader(t("simulate.recipients_title"))
    st.caption(t("simulate.recipients_intro"))
    if len(shown.tables["Recipients"]):
        st.dataframe(shown.tables["Recipients"], hide_index=True, width="stretch")
    else:  # never Streamlit's own "empty" placeholder, which is English in both languages
        st.info(t("simulate.recipients_none"))


def show_clause(clause: clauses_view.ClauseView) -> None:
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


def show_clauses(result: Result, views: dict, drawn: bool = True) -> None:
    st.caption(t("simulate.clauses_intro"))
    show_all = controls("simulate_clauses").toggle(
        t("simulate.show_not_applicable"),
        key=keys.SHOW_NOT_APPLICABLE_KEY,
        bind=bound(keys.SHOW_NOT_APPLICABLE_KEY, False),
    )
    if not drawn:
        return
    for doc in view.ordered(result, data):
        groups = views[doc.id]
        name, total, about = clauses_view.document_heading(data, doc, result.year, lang)
        with st.container(border=True):
            st.markdown(f"#### {md_escape(name)} · " + md_escape(total))
            st.caption(md_escape(about))
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
                    clauses_view.unmet_table(groups["not_applicable"], lang),
                    hide_index=True,
                    width="stretch",
                )


def whatif_parts(
    result: Result,
    eng: Engine,
    profile: Profile,
    sweep_input: tuple[str, list],
    words: tuple[dict, dict],
    everyone: bool,
) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The what-if chart spec, the sweep rows, the crossovers and their table for one input
    swept over its values (drawn on the What-if tab, or made when an export asks for them):
    what the operator receives, or with `everyone` the totals to every recipient."""
    name, values = sweep_input
    labels, columns = words
    frame, cross, crossings = whatif.whatif_frames(
        result, eng, profile, sweep_input, data, columns, lang, everyone
    )
    chart = sweep_spec(
        frame,
        cross,
        tuple(labels.items()),
        whatif.current_mark(profile, name, values),
        tuple(view.document_names(data, lang)),
        is_count(name),
    )
    return chart, frame, cross, crossings


def show_whatif(
    result: Result, eng: Engine, profile: Profile, shown: view.Shown, drawn: bool = True
) -> None:
    """The what-if controls (always drawn: they hold state) and, when the tab is open, the
    chart and crossovers; the exports get them either way (made on demand if not drawn)."""
    st.caption(t("simulate.whatif_intro"))
    with controls("simulate_whatif"):
        first = first_whatif(profile, profile.model_dump_json(), tuple(sorted(eng.choices.items())))
        name, values = inputs.whatif_controls(data, profile, lang, first)
        everyone = st.segmented_control(
            t("simulate.whatif_who"),
            (False, True),
            format_func=lambda x: t(
                "simulate.whatif_who_all" if x else "simulate.whatif_who_operator"
            ),
            default=False,
            required=True,
            key=keys.WHATIF_WHO_KEY,
        )
    if not values:
        return
    source = view.chart_source(data, result.year, lang)
    words = whatif.whatif_words(profile, name, source, lang, everyone)
    parts = cache(lambda: whatif_parts(result, eng, profile, (name, values), words, everyone))
    shown.charts["whatif"] = lambda: parts()[0]
    shown.titles["whatif"] = words[0]["title"]
    shown.tables["What-if"] = lambda: whatif.sweep_table(parts()[1], lang)
    shown.tables["Crossovers"] = lambda: parts()[3]
    if not drawn:
        return
    chart, frame, cross, _ = parts()
    st.vega_lite_chart(chart_spec(chart), width="stretch")
    if whatif.no_change(frame):
        st.info(t("simulate.whatif_no_change_all" if everyone else "simulate.whatif_no_change"))
    st.subheader(t("simulate.crossovers_title"))
    if cross.empty:
        st.caption(t("simulate.crossovers_none"))
        return
    # sentences, not a wide table: nothing scrolls sideways on a phone (the export has the table)
    st.markdown("\n".join(f"- {md_escape(text)}" for text in cross["text"]))


def show_reproduce(
    result: Result, profile: Profile, choices: dict[str, str], year: int | None
) -> None:
    st.caption(t("simulate.reproduce_intro"))
    text = whatif.profile_json(profile)
    st.markdown(f"**{t('simulate.profile_heading')}**")
    st.code(text, language="json")
    st.download_button(
        t("simulate.download_profile"),
        text.encode("utf-8"),
        file_name=whatif.PROFILE_FILE,
        mime="application/json",
        on_click="ignore",
        key=keys.DOWNLOAD_PROFILE_KEY,
    )
    st.markdown(f"**{t('simulate.cli_heading')}**")
    st.code(whatif.cli_command(data, choices, year), language="bash", wrap_lines=True)
    st.markdown(f"**{t('simulate.result_heading')}**")
    st.download_button(
        t("simulate.download_result"),
        whatif.result_json(result),
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
    """Per document in words, above the form: the operator's share first, then others."""
    if entered.edited or entered.profile is None:
        heading = t("simulate.answer_heading_own")
    else:
        preset = entered.preset
        heading = t("simulate.answer_heading", example=pick(preset.name_zh, preset.name_en, lang))
    answer.show(box, result, data, (heading, lang), set_year)


def show_notes(
    notes: DeltaGenerator, entered: form.FormState, result: Result, choices: dict
) -> None:
    """Above the tabs: what the figures are for when the form is hidden, a profile kept from the
    last good input, the readings in force, and money paid after a period ends."""
    if presenting():  # the form is hidden: say what the figures are for
        summary = clauses_view.profile_summary(entered.shown, lang)
        words = t("simulate.profile_summary", summary=summary) if summary else None
        notes.caption(md_escape(words or t("simulate.profile_summary_empty")))
    if entered.profile is None:
        notes.warning(t("simulate.showing_last_good"))
    if changed := clauses_view.non_default(data, choices):
        switched = clauses_view.changed_readings(data, changed, lang)
        notes.info(
            md_escape(t("simulate.readings_changed", readings=switched)),
            icon=":material/balance:",
        )
    else:
        notes.caption(t("simulate.readings_default"))
    if (late := view.late_notice(result, data, lang)) is not None:
        notes.info(md_escape(late), icon=":material/event:")


def evidence(
    shown: view.Shown, clauses: dict, profile: Profile, choices: dict, year: int | None
) -> Evidence:
    """What the page showed, for its export panel, with every clause that counts (computed, or
    stated without an amount) and its quote."""
    counted = clauses_view.counted(clauses)
    shown.tables["Clauses"] = clauses_view.clause_table(counted, data, lang)
    return Evidence(
        stem=f"simulate_{data.data_version}",
        line=stamp(data, [], lang, f"{t('simulate.year')}: {view.year_words(year, lang)}"),
        tables=shown.tables,
        sources=quotes_frame(data, [c.clause for c in counted], lang),
        interpretations=readings(data, lang, choices),
        charts=shown.charts,
        profile_json=whatif.profile_json(profile),
        chart_titles=shown.titles,
        documents=citation_table(data.data_version),
        titles=document_titles(data, lang),
    )


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
        show_notes(notes, entered, result, choices)
        show_answer(answer_box, result, entered)

        # Only the open tab is drawn (a tab change reruns the page); the reading switches keep
        # their values undrawn (persist_state), the what-if controls are drawn in every run, and
        # the exports always have the totals.
        shown = view.Shown()
        totals = totals_parts(result, shown)
        clauses = clauses_view.clause_views(result, data, lang)
        with tabs["results"]:
            if inputs.is_open(tabs["results"]):
                show_totals(result, totals, shown)
        with tabs["clauses"]:
            show_clauses(result, clauses, inputs.is_open(tabs["clauses"]))
        with tabs["near"]:
            if inputs.is_open(tabs["near"]):  # ranked by policies.near_misses
                st.caption(t("simulate.near_intro"))
                cards = [misses.card(m, data, lang) for m in near_misses(result, eng, profile)]
                misses.show_cards(cards, form.apply_change, lang, controls)
        with tabs["whatif"]:
            show_whatif(result, eng, profile, shown, inputs.is_open(tabs["whatif"]))
        with tabs["reproduce"]:
            if inputs.is_open(tabs["reproduce"]):
                show_reproduce(result, profile, choices, year)
        with export_column:
            export_panel(evidence(shown, clauses, profile, choices, year), "simulate_export")


simulation()
