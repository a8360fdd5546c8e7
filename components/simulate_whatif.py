"""The Simulate page's reproduce and what-if tables: the profile as JSON and the command line
that prints the same result, one input swept over its values (each document's total at each
value), the crossovers between documents, and the words of the what-if chart and table.

No Streamlit calls: every function takes the language explicitly.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence

import pandas as pd

from components.display import interval_text
from components.i18n import t
from components.simulate_clauses import non_default, show_value
from components.simulate_view import amount_axis, doc_name, document_order
from policies.crossovers import Crossover, crossovers
from policies.engine import Engine, Interval, Result
from policies.fields import label
from policies.fmt import num
from policies.models import Atlas
from policies.profile import Profile
from policies.sweeps import is_count, share_sweep

CLI_PREFIX = ".venv/bin/python -m policies simulate"
PROFILE_FILE = "profile.json"


# --- reproduce ---------------------------------------------------------------------------


def profile_json(profile: Profile) -> str:
    """The profile as JSON, listing only the fields that differ from the defaults."""
    data = profile.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def result_json(result: Result) -> bytes:
    """The whole result (every document, clause and reading) as JSON, for the download."""
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=1).encode("utf-8")


def cli_command(
    atlas: Atlas, choices: Mapping[str, str], year: int | None, fmt: str = "table"
) -> str:
    """The command line that prints the same result from a saved profile.json."""
    parts = [CLI_PREFIX, PROFILE_FILE]
    if year is not None:
        parts += ["--year", str(year)]
    for ident, choice in non_default(atlas, choices).items():
        parts += ["--interpretation", shlex.quote(f"{ident}={choice}")]
    parts += ["--format", fmt]
    return " ".join(parts)


# --- what-if sweeps ----------------------------------------------------------------------


def sweep_frame(
    sweep: Sequence[tuple[float, Mapping[str, Interval]]],
    atlas: Atlas,
    lang: str,
    in_force: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """Long table for the sweep chart: one row per value and document.

    `open` marks an open-ended high (no band top is drawn there); `segment` numbers the runs of
    equal openness per document, so lines and bands are drawn run by run, never bridged.
    """
    rows = []
    runs: dict[str, tuple[bool, int]] = {}
    order = [ident for ident in document_order(atlas) if sweep and ident in sweep[0][1]]
    for x, totals in sweep:
        for doc_id in order:
            total = totals[doc_id]
            is_open = total.high is None
            previous = runs.get(doc_id)
            run = 0 if previous is None else previous[1] + (previous[0] != is_open)
            runs[doc_id] = (is_open, run)
            rows.append(
                {
                    "x": float(x),
                    "document": doc_id,
                    "name": doc_name(atlas, doc_id, lang),
                    "low": total.low,
                    "high": total.high,
                    "open": is_open,
                    "segment": f"{doc_id}#{run}",
                    "text": interval_text(total.low, total.high, lang),
                    "in_force": True if in_force is None else in_force.get(doc_id, True),
                }
            )
    columns = ["x", "document", "name", "low", "high", "open", "segment", "text", "in_force"]
    return pd.DataFrame(rows, columns=columns)


def sweep_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The what-if sweep as an export table: each value of the input, each document's total."""
    columns = {
        "x": t("simulate.col_value", lang),
        "name": t("simulate.col_document", lang),
        "text": t("simulate.col_wording", lang),
        "low": t("simulate.col_low", lang),
        "high": t("simulate.col_high", lang),
    }
    return frame.reindex(columns=list(columns)).rename(columns=columns)


def crossover_frame(found: Sequence[Crossover], atlas: Atlas, name: str, lang: str) -> pd.DataFrame:
    """One row per crossover: where, who overtakes whom, on which bound, in words."""
    rows = []
    for c in found:
        leader, other = doc_name(atlas, c.leader, lang), doc_name(atlas, c.other, lang)
        bound = t(f"simulate.bound_{c.bound}", lang)
        before, at = show_value(name, c.before, lang), show_value(name, c.at, lang)
        leader_text = (
            t("simulate.unbounded", lang)
            if c.leader_value is None
            else interval_text(c.leader_value, c.leader_value, lang)
        )
        other_text = (
            t("simulate.unbounded", lang)
            if c.other_value is None
            else interval_text(c.other_value, c.other_value, lang)
        )
        rows.append(
            {
                "at": float(c.at),
                "before": float(c.before),
                "y": c.leader_value if c.leader_value is not None else c.other_value,
                "leader": leader,
                "other": other,
                "bound": c.bound,
                "bound_label": bound,
                "open": c.open_ended,
                "text": t(
                    "simulate.crossover_text",
                    lang,
                    leader=leader,
                    other=other,
                    bound=bound,
                    before=before,
                    at=at,
                ),
                "leader_value": leader_text,
                "other_value": other_text,
            }
        )
    columns = [
        "at",
        "before",
        "y",
        "leader",
        "other",
        "bound",
        "bound_label",
        "open",
        "text",
        "leader_value",
        "other_value",
    ]
    return pd.DataFrame(rows, columns=columns)


def whatif_words(
    profile: Profile, name: str, source: str, lang: str, everyone: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """The what-if chart's words and the crossover table's column names, in the reader's
    language (made in the page run, so a later export speaks the same language); `source` is
    the chart's source line."""
    unit = t("simulate.unit_suffix", lang) if not is_count(name) else ""
    labels = {
        "x": label(name, lang) + unit,
        "amount": amount_axis(lang),
        "document": t("simulate.col_document", lang),
        "wording": t("simulate.col_wording", lang),
        "crossover": t("simulate.crossovers_title", lang),
        "current": f"{t('simulate.whatif_current', lang)} {num(getattr(profile, name))}",
        "title": t(
            "simulate.whatif_chart_title_all" if everyone else "simulate.whatif_chart_title",
            lang,
            field=label(name, lang),
        ),
        "subtitle": source,
    }
    columns = {
        "text": t("simulate.col_between", lang),
        "leader": t("simulate.col_leader", lang),
        "other": t("simulate.col_other", lang),
        "bound_label": t("simulate.col_bound", lang),
        "leader_value": t("simulate.col_leader_value", lang),
        "other_value": t("simulate.col_other_value", lang),
    }
    return labels, columns


def whatif_frames(
    result: Result,
    eng: Engine,
    profile: Profile,
    sweep_input: tuple[str, Sequence[float]],
    atlas: Atlas,
    columns: Mapping[str, str],
    lang: str,
    everyone: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One input swept over its values: the sweep rows, the crossovers (for the chart) and the
    crossovers as a table under `columns`; what the carrier's operator receives, or with
    `everyone` each document's total to every recipient."""
    name, values = sweep_input
    sweep = (
        eng.sweep(profile, name, values) if everyone else share_sweep(eng, profile, name, values)
    )
    in_force = {doc.id: doc.in_force for doc in result.documents}
    frame = sweep_frame(sweep, atlas, lang, in_force)
    found = crossovers(sweep, documents=document_order(atlas))
    cross = crossover_frame(found, atlas, name, lang)
    crossings = cross.reindex(columns=list(columns)).rename(columns=columns)
    return frame, cross, crossings


def current_mark(profile: Profile, name: str, values: Sequence[float]) -> float | None:
    """The profile's own value of the swept input, when it lies within the swept values."""
    current = getattr(profile, name)
    return current if values[0] <= current <= values[-1] else None


def no_change(frame: pd.DataFrame) -> bool:
    """True when no document's total moves anywhere in the sweep."""
    return bool(frame.groupby("document")[["low", "high"]].nunique(dropna=False).max().max() <= 1)
