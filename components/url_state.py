"""The Simulate page's own URL parameters: read from a link being opened, kept up to date after.

The preset, the year and the what-if input are bound to the URL by their widgets. The edited
profile (`sim_profile`), the readings off their defaults (`sim_readings`), the what-if range
(`sim_range`) and the open tab (`sim_tab`) are written here on every run and read back from a
link that opens a session (components.share_link encodes and decodes them). A value that cannot
be used is dropped with the app's notice (components.url_guard.refuse).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import streamlit as st

from components.form_values import same_profile
from components.i18n import pick, t
from components.share_link import (
    LinkError,
    decode_profile,
    decode_readings,
    encode_profile,
    encode_readings,
)
from components.simulate_clauses import non_default
from components.url_guard import refuse
from components.url_keys import (
    LINK_TOO_BIG,
    PROFILE_PARAM,
    READINGS_PARAM,
    interp_key,
    max_length,
)
from policies.models import Atlas
from policies.presets import Preset
from policies.profile import Profile


def _seen_key(param: str) -> str:
    return f"_seen_{param}"


SEEN_KEPT = 64  # values of a parameter this session remembers having written or read


def _remember(param: str, value: str | None) -> None:
    """Note a value of `param` as known to this session (written by it, or already applied)."""
    if value is None:
        return
    seen = [v for v in st.session_state.get(_seen_key(param), []) if v != value]
    st.session_state[_seen_key(param)] = [*seen, value][-SEEN_KEPT:]


def incoming(param: str) -> str | None:
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


def write_param(param: str, value: str) -> None:
    """Put `value` in the URL ('' removes the parameter)."""
    if value and st.query_params.get_all(param) != [value]:
        st.query_params[param] = value
    elif not value and param in st.query_params:
        del st.query_params[param]
    _remember(param, value or None)


def profile_from_link(preset: Preset, lang: str, asked: str | None = None) -> Profile | None:
    """The profile of a link being opened: its preset with its edits, for the form to show
    before the widgets (None when no link is being opened, or its edits cannot be used).

    `asked` is the preset the URL named; edits made to a preset the page did not recognise are
    not applied to another one.
    """
    text = incoming(PROFILE_PARAM)
    if text is None:
        return None
    if asked is not None and asked != pick(preset.name_zh, preset.name_en, lang):
        refuse(PROFILE_PARAM, t("simulate.link_preset_refused", lang))
        return None
    try:
        return decode_profile(text, preset.profile, lang)
    except LinkError as err:
        refuse(PROFILE_PARAM, err.detail, err.reason)
        return None


def profile_to_link(profile: Profile, preset: Preset, lang: str) -> None:
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
    write_param(PROFILE_PARAM, encoded)


def readings_from_link(atlas: Atlas, lang: str) -> None:
    """Switch the readings of a link being opened (the ones it does not name: default)."""
    text = incoming(READINGS_PARAM)
    if text is None:
        return
    try:
        chosen = decode_readings(text, atlas, lang)
    except LinkError as err:
        refuse(READINGS_PARAM, err.detail, err.reason)
        return
    for ident, interp in atlas.interpretations.items():
        st.session_state[interp_key(ident)] = chosen.get(ident, interp.default)


def readings_to_link(atlas: Atlas, choices: Mapping[str, str], lang: str) -> None:
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
    write_param(READINGS_PARAM, encode_readings(atlas, choices))


def share_url() -> str:
    """The address of this view: the page's URL with every parameter now in it."""
    params = st.query_params
    query = urlencode([(k, v) for k in params for v in params.get_all(k)])
    base = st.context.url or ""
    return base + (f"?{query}" if query else "")
