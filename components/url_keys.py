"""Every URL parameter and every Simulate widget key, declared once.

A URL-bound widget's key is its query parameter. The pages and widgets take their keys from
here, components.url_guard screens the URL against `BOUND_KEYS`, and a page rebinds its keys
after a language switch. No module but this one writes such a key as a string (a test checks).
"""

from __future__ import annotations

# --- every page ----------------------------------------------------------------------------

LANG_KEY = "lang"
PRESENT_KEY = "present"

# --- Compare -------------------------------------------------------------------------------

COMPARE_DOCS = "docs"
COMPARE_CATS = "cats"
COMPARE_RECIPIENTS = "recipients"
COMPARE_CARRIERS = "carriers"
COMPARE_AMOUNTS = "amounts"
COMPARE_VIEW = "view"
COMPARE_CELL = "cell"
COMPARE_LOG = "log"
COMPARE_OLDER = "older"
COMPARE_NEWER = "newer"
COMPARE_KEYS: tuple[str, ...] = (
    COMPARE_DOCS,
    COMPARE_CATS,
    COMPARE_RECIPIENTS,
    COMPARE_CARRIERS,
    COMPARE_AMOUNTS,
    COMPARE_VIEW,
    COMPARE_CELL,
    COMPARE_LOG,
    COMPARE_OLDER,
    COMPARE_NEWER,
)

# --- Targets -------------------------------------------------------------------------------

TARGETS_DOCS = "tdocs"
TARGETS_KINDS = "kinds"
TARGETS_NATURES = "natures"
TARGETS_VIEW = "tview"
TARGETS_LOG = "tlog"
TARGETS_KEYS: tuple[str, ...] = (
    TARGETS_DOCS,
    TARGETS_KINDS,
    TARGETS_NATURES,
    TARGETS_VIEW,
    TARGETS_LOG,
)

# --- Sources -------------------------------------------------------------------------------

SOURCES_DOC = "doc"
SOURCES_RECORD = "rec"
SOURCES_TEXT = "text"
SOURCES_KEYS: tuple[str, ...] = (SOURCES_DOC, SOURCES_RECORD, SOURCES_TEXT)

# --- Cost to a place (population) ----------------------------------------------------------

POPULATION_SAMPLE = "pop_sample"
POPULATION_YEAR = "pop_year"
POPULATION_RANGE = "pop_range"
POPULATION_KEYS: tuple[str, ...] = (POPULATION_SAMPLE, POPULATION_YEAR, POPULATION_RANGE)

# --- Simulate ------------------------------------------------------------------------------
#
# Every widget is keyed `sim_*`. The preset, the year and the what-if input are bound to the URL;
# the edited profile, the readings, the what-if range and the open tab are written to it by the
# page itself (components.url_state).

PREFIX = "sim_"
PRESET_KEY = "sim_preset"
YEAR_KEY = "sim_year"
WHATIF_KEY = "sim_whatif"
PROFILE_PARAM = "sim_profile"  # the fields edited on top of the preset
READINGS_PARAM = "sim_readings"  # the readings that differ from their defaults
TAB_PARAM = "sim_tab"  # the open result tab, by its name (not its label)
RANGE_PARAM = "sim_range"  # the what-if range and points, "from~to~points", when not default
SHOW_NOT_APPLICABLE_KEY = "sim_show_not_applicable"
# The Simulate parameters a bound widget shows by a translated label (rebound on a language
# switch), then every parameter the page keeps in the URL.
URL_KEYS: tuple[str, ...] = (PRESET_KEY, YEAR_KEY, WHATIF_KEY, PROFILE_PARAM, READINGS_PARAM)
SIMULATE_KEYS: tuple[str, ...] = (*URL_KEYS, RANGE_PARAM, TAB_PARAM, SHOW_NOT_APPLICABLE_KEY)

# Simulate widgets outside the URL, and the session state the form keeps beside them.
TABS_KEY = "sim_tabs"  # the open result tab's label
POINTS_KEY = "sim_whatif_points"
WHATIF_WHO_KEY = "sim_whatif_who"  # whose money the what-if chart follows
RENT_YEARS_KEY = "sim_offshore_years"
UPLOAD_KEY = "sim_upload"
RESET_KEY = "sim_reset"
CLEAR_KEY = "sim_clear"
CONTEST_ADD_KEY = "sim_contest_add"
CONTEST_REMOVE_KEY = "sim_contest_remove"
INTERP_RESET_KEY = "sim_interp_reset"
NOTICE_YEAR_KEY = "sim_notice_year"
DOWNLOAD_TOTALS_KEY = "sim_download_totals"
DOWNLOAD_PROFILE_KEY = "sim_download_profile"
DOWNLOAD_RESULT_KEY = "sim_download_result"
APPLIED_KEY = "_sim_preset_applied"
CONTESTS_ROWS = "_sim_contest_rows"
CONTESTS_BASE = "_sim_contest_base"
CONTESTS_VERSION = "_sim_contest_version"
LAST_GOOD = "_sim_last_good"
TRIED_KEY = "_sim_tried"  # the change a "try it" button just made (field, before, after)
UPLOAD_APPLIED = "_sim_upload_applied"
LINK_TOO_BIG = "_sim_link_too_big"


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


def contests_key(version: int) -> str:
    """The contest table's key in its `version` (a new one discards the editor's pending edits)."""
    return f"{PREFIX}contest_awards_{version}"


def try_key(index: int, change: str) -> str:
    """The key of a near miss's "try it" button."""
    return f"{PREFIX}try_{index}_{change}"


# --- what the URL may hold -----------------------------------------------------------------

# Every key a page keeps in the URL (bound widgets, and parameters it writes itself), by page.
BOUND_KEYS: dict[str, frozenset[str]] = {
    "app": frozenset({LANG_KEY, PRESENT_KEY}),
    "compare": frozenset(COMPARE_KEYS),
    "targets": frozenset(TARGETS_KEYS),
    "sources": frozenset(SOURCES_KEYS),
    "population": frozenset(POPULATION_KEYS),
    "simulate": frozenset(SIMULATE_KEYS),
}
MAX_VALUE_LENGTH = 512
# Longer limits for the parameters that carry more than a choice (the edited profile, and
# every reading switched off its default: about 45 characters a reading).
MAX_LENGTHS: dict[str, int] = {PROFILE_PARAM: 2048, READINGS_PARAM: 2048}


def max_length(key: str) -> int:
    """The longest value a parameter may have."""
    return MAX_LENGTHS.get(key, MAX_VALUE_LENGTH)
