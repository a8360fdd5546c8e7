"""The inputs of a simulation: the profile form with presets, the year, the readings of ambiguous
clauses and the what-if controls.

Every widget is keyed `sim_*` and keeps its value for the whole session (`persist_state`), so a
visit to another page does not lose the profile. Widgets get their values only through session
state (never `value=`), so presets, "reset" and "try it" can set them before they are drawn.

Share links: the preset, the year and the what-if input are bound to the URL; the fields edited
on top of the preset (`sim_profile`) and the readings that differ from their defaults
(`sim_readings`) are written to it here, on every run, and read back from a link that opens a
session. A value that cannot be used is dropped with the app's notice (components.url_guard).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, get_args, get_origin
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components.display import md_escape
from components.i18n import LANGS, pick, t
from components.simulate_view import interpretation_views, non_default
from components.url_guard import max_length, refuse
from policies.fields import form_groups, help_text, label, value_label
from policies.fmt import num
from policies.models import Atlas
from policies.presets import Preset
from policies.profile import (
    ContestLevel,
    GradeLevel,
    Profile,
    ProfileError,
    field_facts,
    parse_profile,
    parse_profile_json,
)
from policies.sweeps import (
    MAX_SWEEP_POINTS,
    MIN_SWEEP_POINTS,
    SWEEP_FIELDS,
    default_sweep_range,
    is_count,
    sweep_values,
    year_options,
)

# Fields grouped the way a founder thinks about the year (as each field's declaration places it).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = form_groups()
OPEN_GROUPS = 3  # the groups that unlock the most money open; the others fold unless set

CHOICES: dict[str, tuple[str, ...]] = {
    name: get_args(info.annotation)
    for name, info in Profile.model_fields.items()
    if get_origin(info.annotation) is Literal
}
GRADE_LEVELS: tuple[str, ...] = get_args(GradeLevel)
CONTEST_LEVELS: tuple[str, ...] = get_args(ContestLevel)
CONTEST_RANKS: tuple[str, ...] = ("1", "2", "3")
CONTEST_COLUMNS = ("level", "rank", "rd_investment")
LIST_FIELDS = frozenset(
    n for n, info in Profile.model_fields.items() if get_origin(info.annotation) is list
)
SCALAR_FIELDS: tuple[str, ...] = tuple(n for n in Profile.model_fields if n not in LIST_FIELDS)

MAX_RENT_YEARS = 5  # the rent schedules cover three years; five shows what happens after
AMOUNT_STEP = 10.0
DEFAULT_SWEEP_POINTS = 101
CHOICE_COLUMN_PX = 76  # contest table columns, so all three fit the form column
AMOUNT_COLUMN_PX = 130

PREFIX = "sim_"
PRESET_KEY = "sim_preset"
YEAR_KEY = "sim_year"
WHATIF_KEY = "sim_whatif"
PROFILE_PARAM = "sim_profile"  # the fields edited on top of the preset (written by this module)
READINGS_PARAM = "sim_readings"  # the readings that differ from their defaults (likewise)
TABS_KEY = "sim_tabs"  # the open result tab's label (session state)
TAB_NAMES = ("results", "clauses", "near", "whatif", "interp", "reproduce")
TAB_PARAM = "sim_tab"  # the open result tab in the URL, by its name above (not its label)
RANGE_PARAM = "sim_range"  # the what-if range and points, "from~to~points", when not default
RANGE_SEP = "~"
URL_KEYS = [PRESET_KEY, YEAR_KEY, WHATIF_KEY, PROFILE_PARAM, READINGS_PARAM]
POINTS_KEY = "sim_whatif_points"
RENT_YEARS_KEY = "sim_offshore_years"
APPLIED_KEY = "_sim_preset_applied"
CONTESTS_ROWS = "_sim_contest_rows"
CONTESTS_BASE = "_sim_contest_base"
CONTESTS_VERSION = "_sim_contest_version"
LAST_GOOD = "_sim_last_good"
UPLOAD_KEY = "sim_upload"
UPLOAD_APPLIED = "_sim_upload_applied"
LINK_TOO_BIG = "_sim_link_too_big"
AS_IF = "as_if"
PERSIST = "session"


def key(name: str) -> str:
    """The widget key of a profile field."""
    return f"{PREFIX}{name}"


def rent_key(year: int) -> str:
    return f"{PREFIX}offshore_rent_{year}"


def whatif_keys(name: str) -> tuple[str, str]:
    """The keys of the what-if range (from, to) for one input."""
    return f"{PREFIX}whatif_from_{name}", f"{PREFIX}whatif_to_{name}"


def interp_key(ident: str) -> str:
    return f"{PREFIX}interp_{ident}"


def contests_key() -> str:
    """The data editor's key; a new one after each preset load discards its pending edits."""
    return f"{PREFIX}contest_awards_{st.session_state.get(CONTESTS_VERSION, 0)}"


# --- bounds ------------------------------------------------------------------------------


@cache
def _schema() -> dict[str, Any]:
    return Profile.model_json_schema()


def profile_bounds(name: str, item: bool = False) -> tuple[float, float]:
    """The profile's own minimum and maximum for a field (or a list field's items)."""
    if name == "rd_investment":
        prop = _schema()["$defs"]["ContestAward"]["properties"][name]
    else:
        prop = _schema()["properties"][name]
        if item:
            prop = prop["items"]
    return prop.get("minimum", 0), prop.get("maximum", math.inf)


def ui_bounds(name: str, item: bool = False) -> tuple[float, float] | tuple[int, int]:
    """The form's bounds: the profile's own, narrowed to the field's declared form limit (a
    contest prize's `rd_investment` takes the limit declared on `contest_awards`)."""
    low, high = profile_bounds(name, item)
    limit = field_facts("contest_awards" if name == "rd_investment" else name).limit
    high = min(high, math.inf if limit is None else limit)
    if name in Profile.model_fields and Profile.model_fields[name].annotation is int:
        return int(low), int(high)
    return float(low), float(high)


# --- profile <-> widget state ------------------------------------------------------------


def _contest_row(award: Any) -> dict[str, Any]:
    return {"level": award.level, "rank": str(award.rank), "rd_investment": award.rd_investment}


def widget_values(profile: Profile) -> dict[str, Any]:
    """The session-state values that show `profile` in the form."""
    values: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = getattr(profile, name)
        annotation = Profile.model_fields[name].annotation
        values[key(name)] = float(value) if annotation is float else value
    values[key("evaluation_grade_a")] = [g for g in GRADE_LEVELS if g in profile.evaluation_grade_a]
    rents = list(profile.offshore_rent)[:MAX_RENT_YEARS]
    values[RENT_YEARS_KEY] = len(rents)
    for year in range(1, MAX_RENT_YEARS + 1):
        values[rent_key(year)] = float(rents[year - 1]) if year <= len(rents) else 0.0
    return values


def load_profile(profile: Profile) -> None:
    """Show a profile in the form (a preset, "reset", "clear"); run before the widgets."""
    for name, value in widget_values(profile).items():
        st.session_state[name] = value
    st.session_state[CONTESTS_ROWS] = [_contest_row(a) for a in profile.contest_awards]
    st.session_state[CONTESTS_VERSION] = st.session_state.get(CONTESTS_VERSION, 0) + 1
    for name in SWEEP_FIELDS:  # what-if ranges start again from the new profile's landmarks
        st.session_state.pop(whatif_keys(name)[0], None)
        st.session_state.pop(whatif_keys(name)[1], None)


def apply_change(name: str, value: Any) -> None:
    """Callback of "try it": set one profile field in the form."""
    annotation = Profile.model_fields[name].annotation
    st.session_state[key(name)] = float(value) if annotation is float else value


def _init_defaults() -> None:
    for name, value in widget_values(Profile()).items():
        st.session_state.setdefault(name, value)
    st.session_state.setdefault(CONTESTS_ROWS, [])


def _cell(value: Any) -> Any:
    """A data-editor cell as plain Python: NaN/NA -> None, numpy scalars -> Python scalars."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def contest_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    """One edited table row as a profile entry (left for the profile to validate)."""
    level, rank, rd = (_cell(row.get(c)) for c in CONTEST_COLUMNS)
    entry: dict[str, Any] = {"level": level}
    entry["rank"] = int(rank) if isinstance(rank, str) and rank.isdigit() else rank
    if isinstance(rd, int) and not isinstance(rd, bool):
        rd = float(rd)
    if rd is not None:  # a blank investment means "not given": the profile's default, 0
        entry["rd_investment"] = rd
    return entry


def collected(state: Mapping[str, Any], contest_rows: Sequence[Mapping[str, Any]]) -> dict:
    """The profile as entered, from the widget state (validated by the caller)."""
    data: dict[str, Any] = {name: state[key(name)] for name in SCALAR_FIELDS}
    data["evaluation_grade_a"] = list(state[key("evaluation_grade_a")] or [])
    years = int(state[RENT_YEARS_KEY])
    data["offshore_rent"] = [state[rent_key(y)] for y in range(1, years + 1)]
    data["contest_awards"] = [contest_entry(row) for row in contest_rows]
    return data


def same_profile(a: Profile, b: Profile) -> bool:
    """Equal as the form shows them (grade levels in any order)."""

    def normal(profile: Profile) -> dict[str, Any]:
        data = profile.model_dump()
        data["evaluation_grade_a"] = sorted(data["evaluation_grade_a"])
        return data

    return normal(a) == normal(b)


_WHERE = re.compile(r"^(?P<field>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<item>\w+))?$")


def problem_text(where: str, reason: str, lang: str) -> str:
    """'contest_awards[0].rd_investment' -> '大赛获奖 · 第 1 项 · 项目研发总投入: reason'."""
    match = _WHERE.match(where)
    if match is None or match["field"] not in Profile.model_fields:
        return f"{where}: {reason}"
    parts = [label(match["field"], lang)]
    if match["index"] is not None:
        parts.append(t("simulate.problem_entry", lang, n=int(match["index"]) + 1))
    if match["item"]:
        parts.append(label(f"item.{match['item']}", lang))
    return f"{' · '.join(parts)}: {reason}"


# --- share links: the edited profile and the readings in the URL --------------------------
#
# sim_profile: the fields that differ from the chosen preset, as compact JSON
# ({"renovation_cost":300,"level_after":"national"}) in URL-safe base64 without padding: every
# value type (lists, contest entries) fits without a grammar of its own, and the alphabet
# (A-Z a-z 0-9 - _) needs no percent-escaping. It is read with the rules of profile.json
# (parse_profile: strict types, bounds, no NaN or Infinity) plus the form's own limits.
# sim_readings: `id~choice` for each reading that differs from its default, joined by `-`
# (ids and choices are snake_case): jiangdu_2023.top_up~full-liuzhou_2019.upgrade_path~any_lower.

LINK_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
READING_PAIR = "~"
READING_SEP = "-"
SHOWN_PROBLEMS = 2
EXACT_INT = 2**53  # floats below this print exactly as integers


class LinkError(ValueError):
    """A share-link value that cannot be used; `detail` says why, in the reader's language."""

    def __init__(self, detail: str, reason: str = "invalid") -> None:
        super().__init__(detail)
        self.detail = detail
        self.reason = reason  # a url_guard reason: invalid | too_long


def _compact(value: Any) -> Any:
    """300.0 -> 300 (the profile takes whole numbers for amounts), through lists and entries."""
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INT:
        return int(value)
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    return value


def _normal_dump(profile: Profile) -> dict[str, Any]:
    data = profile.model_dump(mode="json")
    data["evaluation_grade_a"] = [g for g in GRADE_LEVELS if g in data["evaluation_grade_a"]]
    return data


def profile_edits(profile: Profile, base: Profile) -> dict[str, Any]:
    """The fields of `profile` that differ from `base`, as compact JSON values."""
    new, old = _normal_dump(profile), _normal_dump(base)
    return {name: _compact(new[name]) for name in Profile.model_fields if new[name] != old[name]}


def encode_profile(profile: Profile, base: Profile) -> str:
    """The sim_profile value of `profile` edited on top of `base` ('' when it is `base`)."""
    edits = profile_edits(profile, base)
    if not edits:
        return ""
    text = json.dumps(edits, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def form_problems(profile: Profile, lang: str) -> list[tuple[str, str]]:
    """Values the form cannot show although the profile allows them (its practical maxima)."""
    problems: list[tuple[str, str]] = []

    def above(where: str, value: float, high: float) -> None:
        if value > high:
            problems.append((where, t("simulate.link_form_max", lang, max=num(high))))

    for name in SCALAR_FIELDS:
        if Profile.model_fields[name].annotation in (int, float):
            above(name, getattr(profile, name), ui_bounds(name)[1])
    if len(profile.offshore_rent) > MAX_RENT_YEARS:
        problems.append(("offshore_rent", t("simulate.link_rent_years", lang, n=MAX_RENT_YEARS)))
    high = ui_bounds("offshore_rent", item=True)[1]
    for i, rent in enumerate(profile.offshore_rent):
        above(f"offshore_rent[{i}]", rent, high)
    high = ui_bounds("rd_investment")[1]
    for i, award in enumerate(profile.contest_awards):
        above(f"contest_awards[{i}].rd_investment", award.rd_investment, high)
    return problems


def _problems_detail(problems: Sequence[tuple[str, str]], lang: str) -> str:
    shown = "; ".join(problem_text(w, r, lang) for w, r in problems[:SHOWN_PROBLEMS])
    extra = len(problems) - SHOWN_PROBLEMS
    return shown + (t("simulate.link_more", lang, n=extra) if extra > 0 else "")


def decode_profile(text: str, base: Profile, lang: str) -> Profile:
    """The profile a sim_profile value describes on top of `base`; LinkError if it cannot be used.

    Never raises anything else, whatever the text (a property test checks it).
    """
    limit = max_length(PROFILE_PARAM)
    if len(text) > limit:
        raise LinkError(t("simulate.link_too_long", lang, n=limit), "too_long")
    if not LINK_ALPHABET.fullmatch(text):
        raise LinkError(t("simulate.link_not_decodable", lang))
    if not text:
        return base
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        edits = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (binascii.Error, ValueError, RecursionError):
        raise LinkError(t("simulate.link_not_decodable", lang)) from None
    if not isinstance(edits, dict):
        raise LinkError(t("simulate.link_not_decodable", lang))
    try:
        profile = parse_profile({**base.model_dump(mode="json"), **edits})
    except ProfileError as err:
        raise LinkError(_problems_detail(err.problems, lang)) from None
    problems = form_problems(profile, lang)
    if problems:
        raise LinkError(_problems_detail(problems, lang))
    return profile


def encode_readings(atlas: Atlas, choices: Mapping[str, str]) -> str:
    """The sim_readings value: the readings that differ from their defaults ('' for none)."""
    pairs = non_default(atlas, choices).items()
    return READING_SEP.join(f"{ident}{READING_PAIR}{choice}" for ident, choice in pairs)


def decode_readings(text: str, atlas: Atlas, lang: str) -> dict[str, str]:
    """id -> choice for each reading a sim_readings value names; LinkError if any is wrong."""
    limit = max_length(READINGS_PARAM)
    if len(text) > limit:
        raise LinkError(t("simulate.link_too_long", lang, n=limit), "too_long")
    known = atlas.interpretations
    chosen: dict[str, str] = {}
    for entry in text.split(READING_SEP) if text else []:
        ident, pair, choice = entry.partition(READING_PAIR)
        if not pair:
            raise LinkError(t("simulate.link_not_decodable", lang))
        if ident not in known:
            raise LinkError(t("simulate.link_unknown_reading", lang, reading=ident))
        if choice not in {c.id for c in known[ident].choices}:
            raise LinkError(t("simulate.link_unknown_choice", lang, reading=ident, choice=choice))
        if ident in chosen:
            raise LinkError(t("simulate.link_reading_twice", lang, reading=ident))
        chosen[ident] = choice
    return chosen


def _seen_key(param: str) -> str:
    return f"_seen_{param}"


SEEN_KEPT = 64  # values of a parameter this session remembers having written or read


def _remember(param: str, value: str | None) -> None:
    """Note a value of `param` as known to this session (written by it, or already applied)."""
    if value is None:
        return
    seen = [v for v in st.session_state.get(_seen_key(param), []) if v != value]
    st.session_state[_seen_key(param)] = [*seen, value][-SEEN_KEPT:]


def _incoming(param: str) -> str | None:
    """A value of `param` this session has neither written nor read yet (a link being opened).

    Any value the session wrote before counts as known, not only the last one: a rerun that the
    browser sends before it has applied the latest URL carries an older value of ours, and
    reading that back would undo the edit just made.
    """
    value = st.query_params.get(param)
    known = value in st.session_state.get(_seen_key(param), [])
    _remember(param, value)
    return None if value is None or known else value


def _current(param: str) -> str | None:
    """The parameter's one value in the URL (None when absent or repeated)."""
    values = st.query_params.get_all(param)
    return values[0] if len(values) == 1 else None


def _write_param(param: str, value: str) -> None:
    """Put `value` in the URL ('' removes the parameter)."""
    if value and st.query_params.get_all(param) != [value]:
        st.query_params[param] = value
    elif not value and param in st.query_params:
        del st.query_params[param]
    _remember(param, value or None)


def _profile_from_link(preset: Preset, lang: str, asked: str | None = None) -> None:
    """Show the profile of a link being opened: its preset, then its edits (before the widgets).

    `asked` is the preset the URL named; edits made to a preset the page did not recognise are
    not applied to another one.
    """
    text = _incoming(PROFILE_PARAM)
    if text is None:
        return
    if asked is not None and asked != pick(preset.name_zh, preset.name_en, lang):
        refuse(PROFILE_PARAM, t("simulate.link_preset_refused", lang))
        return
    try:
        load_profile(decode_profile(text, preset.profile, lang))
    except LinkError as err:
        refuse(PROFILE_PARAM, err.detail, err.reason)


def _profile_to_link(profile: Profile, preset: Preset, lang: str) -> None:
    """Keep sim_profile describing `profile`; a link that already does is left as it is."""
    st.session_state[LINK_TOO_BIG] = False
    current = _current(PROFILE_PARAM)
    if current is not None:
        try:
            same = same_profile(decode_profile(current, preset.profile, lang), profile)
        except LinkError:
            same = False
        if same:
            _remember(PROFILE_PARAM, current)
            return
    encoded = encode_profile(profile, preset.profile)
    if len(encoded) > max_length(PROFILE_PARAM):
        st.session_state[LINK_TOO_BIG] = True
        encoded = ""
    _write_param(PROFILE_PARAM, encoded)


def _readings_from_link(atlas: Atlas, lang: str) -> None:
    """Switch the readings of a link being opened (the ones it does not name: default)."""
    text = _incoming(READINGS_PARAM)
    if text is None:
        return
    try:
        chosen = decode_readings(text, atlas, lang)
    except LinkError as err:
        refuse(READINGS_PARAM, err.detail, err.reason)
        return
    for ident, interp in atlas.interpretations.items():
        st.session_state[interp_key(ident)] = chosen.get(ident, interp.default)


def _readings_to_link(atlas: Atlas, choices: Mapping[str, str], lang: str) -> None:
    """Keep sim_readings naming the readings off their defaults; a link that does is kept."""
    current = _current(READINGS_PARAM)
    if current is not None:
        try:
            linked: dict[str, str] | None = non_default(
                atlas, decode_readings(current, atlas, lang)
            )
        except LinkError:
            linked = None
        if linked == non_default(atlas, choices):
            _remember(READINGS_PARAM, current)
            return
    _write_param(READINGS_PARAM, encode_readings(atlas, choices))


def share_url() -> str:
    """The address of this view: the page's URL with every parameter now in it."""
    params = st.query_params
    query = urlencode([(k, v) for k in params for v in params.get_all(k)])
    base = st.context.url or ""
    return base + (f"?{query}" if query else "")


def share_link(lang: str) -> None:
    """The link that reopens this view, with a copy button, and what it holds."""
    st.markdown(f"**{t('simulate.share_heading', lang)}**")
    st.code(share_url(), language=None, wrap_lines=True)
    if st.session_state.get(LINK_TOO_BIG):
        st.warning(t("simulate.share_too_big", lang))
    st.caption(t("simulate.share_note", lang))


# --- the form ----------------------------------------------------------------------------


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
        bind="query-params",
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
        low, high = ui_bounds(name)
        st.number_input(
            text, min_value=low, max_value=high, step=1, key=k, help=hint, persist_state=PERSIST
        )
    elif annotation is float:
        low, high = ui_bounds(name)
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
    low, high = ui_bounds("offshore_rent", item=True)
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
        icon=":material/add:", key=f"{PREFIX}contest_add", width="stretch",
    )  # fmt: skip
    remove.button(
        t("simulate.contest_remove", lang), on_click=_change_contests, args=(False,),
        icon=":material/remove:", key=f"{PREFIX}contest_remove", width="stretch",
        disabled=not st.session_state.get(CONTESTS_ROWS),
    )  # fmt: skip
    editor_key = contests_key()
    if editor_key not in st.session_state:  # a fresh editor starts from the rows last seen
        st.session_state[CONTESTS_BASE] = list(st.session_state.get(CONTESTS_ROWS, []))
    base = pd.DataFrame(st.session_state.get(CONTESTS_BASE, []), columns=list(CONTEST_COLUMNS))
    base = base.astype({"level": "object", "rank": "object", "rd_investment": "float64"})
    low, high = ui_bounds("rd_investment")
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
    """Draw the form, its groups in `order` (most money first; GROUPS' order by default);
    return the profile as entered, validated, and the one to compute."""
    _init_defaults()
    st.subheader(t("simulate.form_title", lang))
    asked = st.query_params.get(PRESET_KEY)
    preset = _preset_select(presets, lang)
    _profile_from_link(preset, lang, asked)
    description = st.empty()  # the example's description, only while the form still shows it
    left, right = st.columns(2)
    left.button(
        t("simulate.reset", lang),
        on_click=load_profile,
        args=(preset.profile,),
        help=t("simulate.reset_help", lang),
        width="stretch",
        key=f"{PREFIX}reset",
    )
    right.button(
        t("simulate.clear", lang),
        on_click=load_profile,
        args=(Profile(),),
        help=t("simulate.clear_help", lang),
        width="stretch",
        key=f"{PREFIX}clear",
    )
    _upload(lang)
    edited_note = st.empty()
    defaults = widget_values(Profile())
    fields_of = dict(GROUPS)
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
        _profile_to_link(state.shown, preset, lang)
    return state


# --- year, readings, what-if -------------------------------------------------------------


def year_select(atlas: Atlas, lang: str) -> int | None:
    """'As if in force' (None) or a year; bound to the URL."""
    options: list[Any] = [AS_IF, *year_options(atlas)]
    choice = st.selectbox(
        t("simulate.year", lang),
        options,
        format_func=lambda y: t("simulate.year_as_if", lang) if y == AS_IF else str(y),
        key=YEAR_KEY,
        help=t("simulate.year_help", lang),
        bind="query-params",
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
    _readings_from_link(atlas, lang)
    if not shown:
        kept = reading_choices(atlas)
        _readings_to_link(atlas, kept, lang)
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
        key=f"{PREFIX}interp_reset",
    )
    _readings_to_link(atlas, choices, lang)
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
        bind="query-params",
        persist_state=PERSIST,
    )
    low, high = default_sweep_range(atlas, name, profile)
    from_key, to_key = whatif_keys(name)
    counts = is_count(name)
    bottom, top = ui_bounds(name)
    default = (int(low) if counts else float(low), int(high) if counts else float(high))
    asked = _incoming(RANGE_PARAM)  # a link being opened
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
    _write_param(
        RANGE_PARAM, "" if chosen == (*default, DEFAULT_SWEEP_POINTS) else encode_range(*chosen)
    )
    if end <= start:
        st.warning(t("simulate.whatif_bad_range", lang))
        return name, []
    return name, sweep_values(name, start, end, points)


def _url_number(value: float) -> str:
    """A number as written in a link: 300 rather than 300.0, otherwise in full."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def encode_range(start: float, end: float, points: int) -> str:
    """The what-if range for the URL: from~to~points."""
    return RANGE_SEP.join((_url_number(start), _url_number(end), str(int(points))))


def decode_range(text: str, name: str, lang: str) -> tuple[Any, Any, int]:
    """(from, to, points) of a sim_range value for input `name`; LinkError if any is unusable."""
    parts = text.split(RANGE_SEP)
    bad = LinkError(t("simulate.link_bad_range", lang))
    if len(parts) != 3 or len(text) > max_length(RANGE_PARAM):
        raise bad
    try:
        start, end = float(parts[0]), float(parts[1])
        points = int(parts[2])
    except ValueError:
        raise bad from None
    bottom, top = ui_bounds(name)
    if not (math.isfinite(start) and math.isfinite(end) and bottom <= start < end <= top):
        raise bad
    if not MIN_SWEEP_POINTS <= points <= MAX_SWEEP_POINTS:
        raise bad
    if is_count(name):
        if not (start.is_integer() and end.is_integer()):
            raise bad
        return int(start), int(end), points
    return start, end, points


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
    _write_param(TAB_PARAM, "" if name == TAB_NAMES[0] else name)
    return dict(zip(TAB_NAMES, tabs, strict=True))


def is_open(tab: Any) -> bool:
    """Whether a result tab is the one shown (True when tabs do not track their state)."""
    return tab.open is not False
