"""The Simulate page's other inputs: the year, the readings, the what-if range, the result tabs
and the share link. The year and the what-if input are bound to the URL; the readings, the range
and the open tab are kept in it by components.url_state.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.display import md_escape
from components.i18n import LANGS, t
from components.profile_form import AMOUNT_STEP, PERSIST
from components.share_link import LinkError, decode_range, encode_range
from components.simulate_clauses import interpretation_views
from components.url_guard import bound, refuse
from components.url_keys import (
    INTERP_RESET_KEY,
    LINK_TOO_BIG,
    POINTS_KEY,
    RANGE_PARAM,
    TAB_PARAM,
    TABS_KEY,
    WHATIF_KEY,
    YEAR_KEY,
    interp_key,
    whatif_keys,
)
from components.url_state import (
    incoming,
    readings_from_link,
    readings_to_link,
    share_url,
    write_param,
)
from policies.fields import form_bounds, label
from policies.models import Atlas
from policies.profile import Profile
from policies.sweeps import (
    MAX_SWEEP_POINTS,
    MIN_SWEEP_POINTS,
    SWEEP_FIELDS,
    default_sweep_range,
    is_count,
    sweep_values,
    year_options,
)

AS_IF = "as_if"
DEFAULT_SWEEP_POINTS = 101
TAB_NAMES = ("results", "clauses", "near", "whatif", "interp", "reproduce")  # as in the URL


def year_select(atlas: Atlas, lang: str) -> int | None:
    """'As if in force' (None) or a year; bound to the URL."""
    options: list[Any] = [AS_IF, *year_options(atlas)]
    choice = st.selectbox(
        t("simulate.year", lang),
        options,
        format_func=lambda y: t("simulate.year_as_if", lang) if y == AS_IF else str(y),
        key=YEAR_KEY,
        help=t("simulate.year_help", lang),
        bind=bound(YEAR_KEY, t("simulate.year_as_if", lang)),
        persist_state=PERSIST,
    )
    return None if choice == AS_IF else int(choice)


def reset_readings(atlas: Atlas) -> None:
    """Callback: every interpretation back to its default."""
    for interp in atlas.interpretations.values():
        st.session_state[interp_key(interp.id)] = interp.default


def reading_choices(atlas: Atlas) -> dict[str, str]:
    """The readings chosen so far (defaults until switched), for computing before drawing."""
    return {
        ident: st.session_state.get(interp_key(ident), interp.default)
        for ident, interp in atlas.interpretations.items()
    }


def reading_switches(atlas: Atlas, lang: str, shown: bool = True) -> dict[str, str]:
    """One radio per named interpretation, grouped by document; returns id -> choice.

    With `shown` False (the Readings tab is closed) nothing is drawn: the switches keep their
    values (`persist_state`), a link's readings are still read and the URL still names them.
    """
    readings_from_link(atlas, lang)
    if not shown:
        kept = reading_choices(atlas)
        readings_to_link(atlas, kept, lang)
        return kept
    st.caption(t("simulate.interp_intro", lang))
    views = interpretation_views(atlas, reading_choices(atlas), lang)
    mark = t("simulate.interp_default_mark", lang)
    choices: dict[str, str] = {}
    document = None
    for view in views:
        if view.document != document:
            document = view.document
            st.markdown(f"**{md_escape(view.doc_name)}**")
        k = interp_key(view.id)
        st.session_state.setdefault(k, view.default)
        choices[view.id] = st.radio(
            view.question,
            view.options,
            format_func=lambda c, v=view: v.labels[c] + (mark if c == v.default else ""),
            key=k,
            help=view.why,
            persist_state=PERSIST,
        )
        if view.clauses:
            titles = t("overview.list_sep", lang).join(view.clauses)
            st.caption(md_escape(t("simulate.interp_affects", lang, clauses=titles)))
    st.button(
        t("simulate.interp_reset", lang),
        on_click=reset_readings,
        args=(atlas,),
        key=INTERP_RESET_KEY,
    )
    readings_to_link(atlas, choices, lang)
    return choices


def whatif_controls(
    atlas: Atlas, profile: Profile, lang: str, first: str | None = None
) -> tuple[str, list]:
    """The input to vary (bound to the URL), its range and the number of points; `first`, an
    input that moves this profile's totals, is listed first and so opens by default."""
    options = [first, *(f for f in SWEEP_FIELDS if f != first)] if first else list(SWEEP_FIELDS)
    name = st.selectbox(
        t("simulate.whatif_field", lang),
        options,
        format_func=lambda f: label(f, lang),
        key=WHATIF_KEY,
        bind=bound(WHATIF_KEY, label(options[0], lang)),
        persist_state=PERSIST,
    )
    low, high = default_sweep_range(atlas, name, profile)
    from_key, to_key = whatif_keys(name)
    counts = is_count(name)
    bottom, top = form_bounds(name)
    default = (int(low) if counts else float(low), int(high) if counts else float(high))
    asked = incoming(RANGE_PARAM)  # a link being opened
    if asked is not None:
        try:
            start, end, points = decode_range(asked, name, lang)
        except LinkError as err:
            refuse(RANGE_PARAM, err.detail, err.reason)
        else:
            st.session_state.update({from_key: start, to_key: end, POINTS_KEY: points})
    st.session_state.setdefault(from_key, default[0])
    st.session_state.setdefault(to_key, default[1])
    st.session_state.setdefault(POINTS_KEY, DEFAULT_SWEEP_POINTS)
    col_from, col_to, col_points = st.columns(3)
    common: dict[str, Any] = {"min_value": bottom, "max_value": top, "persist_state": PERSIST}
    if counts:
        common["step"] = 1
    else:
        common.update(step=AMOUNT_STEP, format="%.2f")
    start = col_from.number_input(t("simulate.whatif_from", lang), key=from_key, **common)
    end = col_to.number_input(t("simulate.whatif_to", lang), key=to_key, **common)
    points = col_points.number_input(
        t("simulate.whatif_points", lang),
        min_value=MIN_SWEEP_POINTS,
        max_value=MAX_SWEEP_POINTS,
        step=1,
        key=POINTS_KEY,
        help=t("simulate.whatif_points_help", lang),
        persist_state=PERSIST,
    )
    chosen = (start, end, points)
    write_param(
        RANGE_PARAM, "" if chosen == (*default, DEFAULT_SWEEP_POINTS) else encode_range(*chosen)
    )
    if end <= start:
        st.warning(t("simulate.whatif_bad_range", lang))
        return name, []
    return name, sweep_values(name, start, end, points)


def result_tabs(lang: str) -> dict[str, Any]:
    """The result tabs by name. Only the open one needs drawing: a change of tab reruns the
    page. The open tab is in the URL by name (`sim_tab=whatif`), so a link reopens it in
    either language."""
    labels = [t(f"simulate.tab_{n}", lang) for n in TAB_NAMES]
    if TABS_KEY not in st.session_state:  # the session's first view: a link may name a tab
        asked = st.query_params.get(TAB_PARAM)
        if asked in TAB_NAMES:
            st.session_state[TABS_KEY] = labels[TAB_NAMES.index(asked)]
        elif asked is not None:
            refuse(TAB_PARAM, t("simulate.link_unknown_tab", lang, tab=asked))
    if st.session_state.get(TABS_KEY) not in (None, *labels):
        # after a language switch: the same tab, by position
        for code in LANGS:
            names = [t(f"simulate.tab_{n}", code) for n in TAB_NAMES]
            if st.session_state[TABS_KEY] in names:
                st.session_state[TABS_KEY] = labels[names.index(st.session_state[TABS_KEY])]
                break
    tabs = st.tabs(labels, key=TABS_KEY, on_change="rerun")
    shown = st.session_state.get(TABS_KEY)
    name = TAB_NAMES[labels.index(shown)] if shown in labels else TAB_NAMES[0]
    write_param(TAB_PARAM, "" if name == TAB_NAMES[0] else name)
    return dict(zip(TAB_NAMES, tabs, strict=True))


def is_open(tab: Any) -> bool:
    """Whether a result tab is the one shown (True when tabs do not track their state)."""
    return tab.open is not False


def share_link(lang: str) -> None:
    """The link that reopens this view, with a copy button, and what it holds."""
    st.markdown(f"**{t('simulate.share_heading', lang)}**")
    st.code(share_url(), language=None, wrap_lines=True)
    if st.session_state.get(LINK_TOO_BIG):
        st.warning(t("simulate.share_too_big", lang))
    st.caption(t("simulate.share_note", lang))
