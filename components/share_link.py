"""Share links: the edited profile, the readings and the what-if range as URL values, and back.

Pure functions (no Streamlit): components.url_state reads and writes the URL with them.

sim_profile: the fields that differ from the chosen preset, as compact JSON
({"renovation_cost":300,"level_after":"national"}) in URL-safe base64 without padding: every
value type (lists, contest entries) fits without a grammar of its own, and the alphabet
(A-Z a-z 0-9 - _) needs no percent-escaping. It is read with the rules of profile.json
(parse_profile: strict types, bounds, no NaN or Infinity) plus the form's own limits.
sim_readings: `id~choice` for each reading that differs from its default, joined by `-`
(ids and choices are snake_case): jiangdu_2023.top_up~full-liuzhou_2019.upgrade_path~any_lower.
sim_range: the what-if range and points, `from~to~points`.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from components.form_values import GRADE_LEVELS, MAX_RENT_YEARS, SCALAR_FIELDS
from components.i18n import t
from components.simulate_clauses import non_default
from components.url_keys import PROFILE_PARAM, RANGE_PARAM, READINGS_PARAM, max_length
from policies.fields import form_bounds, label
from policies.fmt import num
from policies.models import Atlas
from policies.profile import Profile, ProfileError, parse_profile
from policies.sweeps import MAX_SWEEP_POINTS, MIN_SWEEP_POINTS, is_count

LINK_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
READING_PAIR = "~"
READING_SEP = "-"
RANGE_SEP = "~"
SHOWN_PROBLEMS = 2
EXACT_INT = 2**53  # floats below this print exactly as integers

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
            above(name, getattr(profile, name), form_bounds(name)[1])
    if len(profile.offshore_rent) > MAX_RENT_YEARS:
        problems.append(("offshore_rent", t("simulate.link_rent_years", lang, n=MAX_RENT_YEARS)))
    high = form_bounds("offshore_rent", item=True)[1]
    for i, rent in enumerate(profile.offshore_rent):
        above(f"offshore_rent[{i}]", rent, high)
    high = form_bounds("rd_investment")[1]
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
    bottom, top = form_bounds(name)
    if not (math.isfinite(start) and math.isfinite(end) and bottom <= start < end <= top):
        raise bad
    if not MIN_SWEEP_POINTS <= points <= MAX_SWEEP_POINTS:
        raise bad
    if is_count(name):
        if not (start.is_integer() and end.is_integer()):
            raise bad
        return int(start), int(end), points
    return start, end, points
