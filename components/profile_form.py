"""The Simulate page's profile form: presets, one input per profile field in groups, upload.

Every widget is keyed `sim_*` (components.url_keys) and keeps its value for the whole session
(`persist_state`), so a visit to another page does not lose the profile. Widgets get their
values only through session state (never `value=`), so presets, "reset" and "try it" can set
them before they are drawn. Labels, help, groups and limits come from each field's declaration
(policies.profile); the edited profile is kept in the URL by components.url_state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from components.display import md_escape
from components.form_values import (
    CHOICES,
    CONTEST_COLUMNS,
    CONTEST_LEVELS,
    CONTEST_RANKS,
    GRADE_LEVELS,
    MAX_RENT_YEARS,
    collected,
    contest_row,
    same_profile,
    widget_values,
)
from components.i18n import pick, t
from components.share_link import form_problems, problem_text
from components.simulate_clauses import show_value
from components.url_guard import bound
from components.url_keys import (
    APPLIED_KEY,
    CLEAR_KEY,
    CONTEST_ADD_KEY,
    CONTEST_REMOVE_KEY,
    CONTESTS_BASE,
    CONTESTS_ROWS,
    CONTESTS_VERSION,
    LAST_GOOD,
    PRESET_KEY,
    RENT_YEARS_KEY,
    RESET_KEY,
    TRIED_KEY,
    UPLOAD_APPLIED,
    UPLOAD_KEY,
    contests_key,
    key,
    rent_key,
    whatif_keys,
)
from components.url_state import profile_from_link, profile_to_link
from policies.fields import form_bounds, form_groups, help_text, label, value_label
from policies.presets import Preset
from policies.profile import Profile, ProfileError, parse_profile, parse_profile_json
from policies.sweeps import SWEEP_FIELDS

OPEN_GROUPS = 3  # the groups that unlock the most money open; the others fold unless set
AMOUNT_STEP = 10.0
CHOICE_COLUMN_PX = 76  # contest table columns, so all three fit the form column
AMOUNT_COLUMN_PX = 130
PERSIST = "session"


def load_profile(profile: Profile) -> None:
    """Show a profile in the form (a preset, "reset", "clear"); run before the widgets."""
    for name, value in widget_values(profile).items():
        st.session_state[name] = value
    st.session_state[CONTESTS_ROWS] = [contest_row(a) for a in profile.contest_awards]
    st.session_state[CONTESTS_VERSION] = st.session_state.get(CONTESTS_VERSION, 0) + 1
    for name in SWEEP_FIELDS:  # what-if ranges start again from the new profile's landmarks
        st.session_state.pop(whatif_keys(name)[0], None)
        st.session_state.pop(whatif_keys(name)[1], None)


def apply_change(name: str, value: Any) -> None:
    """Callback of "try it": set one profile field in the form."""
    annotation = Profile.model_fields[name].annotation
    before = st.session_state.get(key(name))
    after = float(value) if annotation is float else value
    st.session_state[key(name)] = after
    st.session_state[TRIED_KEY] = (name, before, after)


def _init_defaults() -> None:
    for name, value in widget_values(Profile()).items():
        st.session_state.setdefault(name, value)
    st.session_state.setdefault(CONTESTS_ROWS, [])


def _contests_key() -> str:
    """The data editor's key now; a new one after each preset load discards its pending edits."""
    return contests_key(st.session_state.get(CONTESTS_VERSION, 0))


@dataclass
class FormState:
    """What the form holds: the profile as entered, and the one the results are for."""

    preset: Preset
    data: dict[str, Any]
    profile: Profile | None  # None when the entered profile fails validation
    problems: list[tuple[str, str]] = field(default_factory=list)
    shown: Profile | None = None  # the profile to compute: this one, or the last valid one
    edited: bool = False


def _preset_select(presets: Sequence[Preset], lang: str) -> Preset:
    by_id = {p.id: p for p in presets}
    ident = st.selectbox(
        t("simulate.preset", lang),
        list(by_id),
        format_func=lambda i: pick(by_id[i].name_zh, by_id[i].name_en, lang),
        key=PRESET_KEY,
        help=t("simulate.preset_help", lang),
        bind=bound(PRESET_KEY, pick(presets[0].name_zh, presets[0].name_en, lang)),
        persist_state=PERSIST,
    )
    preset = by_id[ident]
    if st.session_state.get(APPLIED_KEY) != ident:  # chosen now, or opened from a share link
        load_profile(preset.profile)
        st.session_state[APPLIED_KEY] = ident
    return preset


def field_label(name: str, lang: str) -> str:
    """The field's name as a form label (capitalised in English: 'Renovation cost')."""
    text = label(name, lang)
    return text[:1].upper() + text[1:] if lang == "en" else text


def _field(name: str, lang: str) -> None:
    k, text, hint = key(name), field_label(name, lang), help_text(name, lang)
    annotation = Profile.model_fields[name].annotation
    if name in CHOICES:
        st.segmented_control(
            text,
            CHOICES[name],
            format_func=lambda v: value_label(v, lang),
            required=True,
            key=k,
            help=hint,
            persist_state=PERSIST,
        )
    elif annotation is bool:
        st.toggle(text, key=k, help=hint, persist_state=PERSIST)
    elif annotation is int:
        low, high = form_bounds(name)
        st.number_input(
            text, min_value=low, max_value=high, step=1, key=k, help=hint, persist_state=PERSIST
        )
    elif annotation is float:
        low, high = form_bounds(name)
        st.number_input(
            text + t("simulate.unit_suffix", lang),
            min_value=low,
            max_value=high,
            step=AMOUNT_STEP,
            format="%.2f",
            key=k,
            help=hint,
            persist_state=PERSIST,
        )
    elif name == "evaluation_grade_a":
        st.pills(
            text,
            GRADE_LEVELS,
            selection_mode="multi",
            format_func=lambda v: value_label(v, lang),
            key=k,
            help=hint,
            persist_state=PERSIST,
        )
    elif name == "offshore_rent":
        _rent_inputs(lang)
    elif name == "contest_awards":
        _contest_editor(lang)


def _rent_inputs(lang: str) -> None:
    st.number_input(
        t("simulate.rent_years", lang),
        min_value=0,
        max_value=MAX_RENT_YEARS,
        step=1,
        key=RENT_YEARS_KEY,
        help=help_text("offshore_rent", lang),
        persist_state=PERSIST,
    )
    years = int(st.session_state[RENT_YEARS_KEY])
    if not years:
        return
    low, high = form_bounds("offshore_rent", item=True)
    for column, year in zip(st.columns(years), range(1, years + 1), strict=True):
        column.number_input(
            t("simulate.rent_year", lang, n=year),
            min_value=low,
            max_value=high,
            step=AMOUNT_STEP,
            format="%.2f",
            key=rent_key(year),
            persist_state=PERSIST,
        )


def _change_contests(add: bool) -> None:
    """Callback of the add / remove buttons: one prize more (city, first prize, no R&D sum) or
    the last one fewer; the editor is drawn afresh from the new rows."""
    rows = list(st.session_state.get(CONTESTS_ROWS, []))
    if add:
        rows.append({"level": CONTEST_LEVELS[0], "rank": CONTEST_RANKS[0], "rd_investment": 0.0})
    elif rows:
        rows.pop()
    st.session_state[CONTESTS_ROWS] = rows
    st.session_state[CONTESTS_VERSION] = st.session_state.get(CONTESTS_VERSION, 0) + 1


def _contest_editor(lang: str) -> None:
    add, remove = st.columns(2)
    add.button(
        t("simulate.contest_add", lang), on_click=_change_contests, args=(True,),
        icon=":material/add:", key=CONTEST_ADD_KEY, width="stretch",
    )  # fmt: skip
    remove.button(
        t("simulate.contest_remove", lang), on_click=_change_contests, args=(False,),
        icon=":material/remove:", key=CONTEST_REMOVE_KEY, width="stretch",
        disabled=not st.session_state.get(CONTESTS_ROWS),
    )  # fmt: skip
    editor_key = _contests_key()
    if editor_key not in st.session_state:  # a fresh editor starts from the rows last seen
        st.session_state[CONTESTS_BASE] = list(st.session_state.get(CONTESTS_ROWS, []))
    base = pd.DataFrame(st.session_state.get(CONTESTS_BASE, []), columns=list(CONTEST_COLUMNS))
    base = base.astype({"level": "object", "rank": "object", "rd_investment": "float64"})
    low, high = form_bounds("rd_investment")
    edited = st.data_editor(
        base,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "level": st.column_config.SelectboxColumn(
                t("simulate.contest_level", lang),
                width=CHOICE_COLUMN_PX,
                options=list(CONTEST_LEVELS),
                format_func=lambda v: value_label(v, lang),
                required=True,
                default=CONTEST_LEVELS[0],
            ),
            "rank": st.column_config.SelectboxColumn(
                t("simulate.contest_rank", lang),
                width=CHOICE_COLUMN_PX,
                options=list(CONTEST_RANKS),
                format_func=lambda v: value_label(v, lang),
                required=True,
                default=CONTEST_RANKS[0],
            ),
            "rd_investment": st.column_config.NumberColumn(
                t("simulate.contest_rd", lang),
                width=AMOUNT_COLUMN_PX,
                min_value=low,
                max_value=high,
                step=0.01,
                format="%.2f",
                default=0.0,
            ),
        },
    )
    st.caption(help_text("contest_awards", lang))
    st.session_state[CONTESTS_ROWS] = edited.to_dict("records")


def _problem_list(title: str, problems: Sequence[tuple[str, str]], lang: str) -> None:
    lines = [f"- {md_escape(problem_text(where, reason, lang))}" for where, reason in problems]
    st.error(f"**{md_escape(title)}**\n\n" + "\n".join(lines))


def _upload(lang: str) -> None:
    """Load a saved profile.json into the form (once per file)."""
    with st.expander(t("simulate.upload_title", lang)):
        upload = st.file_uploader(
            t("simulate.upload", lang),
            type=["json"],
            key=UPLOAD_KEY,
            help=t("simulate.upload_help", lang),
        )
        if upload is None:
            return
        try:
            loaded = parse_profile_json(upload.getvalue())
        except ProfileError as err:
            _problem_list(t("simulate.upload_problems", lang, name=upload.name), err.problems, lang)
            return
        beyond = form_problems(loaded, lang)  # the form would silently reset such values
        if beyond:
            _problem_list(t("simulate.upload_problems", lang, name=upload.name), beyond, lang)
            return
        if st.session_state.get(UPLOAD_APPLIED) != upload.file_id:
            load_profile(loaded)
            st.session_state[UPLOAD_APPLIED] = upload.file_id
        st.success(md_escape(t("simulate.upload_done", lang, name=upload.name)))


def _group_is_set(fields: Sequence[str], defaults: Mapping[str, Any]) -> bool:
    state = st.session_state
    for name in fields:
        if name == "contest_awards":
            if state.get(CONTESTS_ROWS):
                return True
        elif name == "offshore_rent":
            if state.get(RENT_YEARS_KEY):
                return True
        elif state.get(key(name)) != defaults[key(name)]:
            return True
    return False


def profile_form(presets: Sequence[Preset], lang: str, order: Sequence[str] = ()) -> FormState:
    """Draw the form, its groups in `order` (most money first; the declared order by default);
    return the profile as entered, validated, and the one to compute."""
    _init_defaults()
    tried = st.session_state.pop(TRIED_KEY, None)
    if tried is not None:  # said once, on the run that follows the click
        name, before, after = tried
        st.toast(
            t(
                "simulate.near_tried",
                lang,
                field=label(name, lang),
                before=show_value(name, before, lang) if before is not None else "—",
                after=show_value(name, after, lang),
            ),
            icon=":material/edit:",
        )
    st.subheader(t("simulate.form_title", lang))
    asked = st.query_params.get(PRESET_KEY)
    preset = _preset_select(presets, lang)
    linked = profile_from_link(preset, lang, asked)
    if linked is not None:
        load_profile(linked)
    description = st.empty()  # the example's description, only while the form still shows it
    left, right = st.columns(2)
    left.button(
        t("simulate.reset", lang),
        on_click=load_profile,
        args=(preset.profile,),
        help=t("simulate.reset_help", lang),
        width="stretch",
        key=RESET_KEY,
    )
    right.button(
        t("simulate.clear", lang),
        on_click=load_profile,
        args=(Profile(),),
        help=t("simulate.clear_help", lang),
        width="stretch",
        key=CLEAR_KEY,
    )
    _upload(lang)
    edited_note = st.empty()
    defaults = widget_values(Profile())
    fields_of = dict(form_groups())
    ranked = list(order) or list(fields_of)
    for place, group in enumerate(ranked):
        fields = fields_of[group]
        opened = place < OPEN_GROUPS or _group_is_set(fields, defaults)
        with st.expander(t(f"simulate.group.{group}", lang), expanded=opened):
            for name in fields:
                _field(name, lang)
    data = collected(st.session_state, st.session_state[CONTESTS_ROWS])
    state = FormState(preset=preset, data=data, profile=None)
    try:
        state.profile = parse_profile(data)
    except ProfileError as err:
        state.problems = err.problems
        _problem_list(t("simulate.problems_title", lang), err.problems, lang)
    if state.profile is not None:
        st.session_state[LAST_GOOD] = state.profile
        state.edited = not same_profile(state.profile, preset.profile)
        if state.edited:
            edited_note.info(t("simulate.preset_edited", lang), icon=":material/edit:")
        else:
            description.caption(pick(preset.description_zh, preset.description_en, lang))
    state.shown = state.profile or st.session_state.get(LAST_GOOD)
    if state.shown is not None:  # the link reproduces the results shown
        profile_to_link(state.shown, preset, lang)
    return state
