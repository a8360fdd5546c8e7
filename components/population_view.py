"""The population view's words: totals over many carriers per document as sentences, the
rejected rows, and the per-carrier points its chart draws (no Streamlit here)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from components.display import interval_text
from components.i18n import pick, t
from policies.api import Batch
from policies.fields import label
from policies.models import Atlas
from policies.population import unstated_only
from policies.profile import Profile
from policies.profile_table import ID_COLUMN, cells_of, csv_text

# The page's URL keys (its year, readings and the sample); app.py's URL screen knows them.
ROUNDED = 4  # decimals of 万元 shown (one yuan is 0.0001万元): no float noise in the tables
MAX_ROWS = 20_000  # rows the page computes; the Python API and the CLI take any number


def _words(low: float, high: float | None, lang: str, unstated: int = 0) -> str:
    """An interval in words; when both ends are zero, 'nothing', or 'no amount stated' when
    some carrier qualifies for money of unstated amount (never a 0 that hides it)."""
    if high is not None and low == 0 and high == 0:
        return t("population.none_stated" if unstated else "population.nothing", lang)
    text = interval_text(low, high, lang)
    return text + t("population.plus_unstated", lang) if unstated else text


def paid_words(sure: int, maybe: int, n: int, lang: str, unstated: int = 0) -> str:
    """How many carriers get something: certain and possible, and those whose only money has
    no stated amount, as one sentence."""
    if sure == maybe:
        text = t("population.paid_words_same", lang, sure=sure, n=n)
    else:
        text = t("population.paid_words", lang, sure=sure, maybe=maybe, n=n)
    if unstated:
        text += t("population.paid_unstated", lang, n=unstated)
    return text


def _high(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def summary_table(
    summary: pd.DataFrame,
    atlas: Atlas,
    recipients: Sequence[str],
    labels: Mapping[str, str],
    year: int | None,
    lang: str,
) -> pd.DataFrame:
    """The summary as a table of sentences: one row per document, every amount in words."""
    rows = []
    names = atlas.taxonomy.recipients
    for r in summary.itertuples(index=False):
        row = {
            t("population.col_document", lang): labels[r.document],
            t("population.col_total", lang): _words(
                r.total_low, _high(r.total_high), lang, r.not_stated_carriers
            ),
            t("population.col_paid", lang): paid_words(
                r.paid_for_sure, r.paid_possibly, r.carriers, lang, r.unstated_only_carriers
            ),
        }
        split = []
        for rec in recipients:
            low, high = getattr(r, f"{rec}_low"), _high(getattr(r, f"{rec}_high"))
            if low or high is None or high:
                name = pick(names[rec].zh, names[rec].en, lang)
                split.append(f"{name}: {_words(low, high, lang)}")
        nothing = _words(0.0, 0.0, lang, r.not_stated_carriers)
        row[t("population.col_split", lang)] = "; ".join(split) or nothing
        notes = []
        if r.open_ended_carriers:
            notes.append(t("population.note_open", lang, n=r.open_ended_carriers))
        if r.not_stated_carriers:
            notes.append(t("population.note_not_stated", lang, n=r.not_stated_carriers))
        if year is not None and not r.in_force:
            notes.append(t("population.note_not_in_force", lang, year=year))
        row[t("population.col_notes", lang)] = " ".join(notes)
        if "across_low" in summary:
            across = _words(r.across_low, _high(r.across_high), lang, r.not_stated_carriers)
            row[t("population.col_across", lang)] = across
        rows.append(row)
    return pd.DataFrame(rows)


def _jitter(profile_id: str) -> float:
    """A stable offset in [0, 1) per carrier, so the dots spread the same way every time."""
    return int(hashlib.sha256(profile_id.encode()).hexdigest()[:8], 16) / 16**8


def per_carrier(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """One row per carrier and document for the chart: ends, open flag, label, offset. A row
    whose only money has no stated amount is left out (it is not a 0)."""
    frame = frame[~unstated_only(frame)]
    out = pd.DataFrame(
        {
            "profile_id": frame["profile_id"].astype(str),
            "doc_label": frame["document"].map(labels),
            "low": frame["low"].astype(float),
            "high": frame["high"].astype(float),
            "open_ended": frame["open_ended"].astype(bool),
        }
    )
    out["jitter"] = out["profile_id"].map(_jitter)
    return out


def unstated_notes(frame: pd.DataFrame, labels: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Per document, how many carriers qualify only for money of unstated amount, as words
    placed at the right of its chart row (those carriers are not drawn, never as 0)."""
    only = frame[unstated_only(frame)].groupby("document").size()
    ends = pd.concat([frame["low"], frame["high"].dropna()]).astype(float)
    right = float(ends.max()) if len(ends) and ends.max() > 0 else 1.0
    return pd.DataFrame(
        [
            {
                "doc_label": labels[doc],
                "x": right,
                "note": t("population.chart_unstated", lang, n=int(n)),
            }
            for doc, n in only.items()
        ],
        columns=["doc_label", "x", "note"],
    )


def rejected_table(problems: Sequence[tuple[int, str, str, str]], lang: str) -> pd.DataFrame:
    """The rejected rows, one problem a line: row number (from 1), id, field, what is wrong."""
    return pd.DataFrame(
        list(problems),
        columns=[
            t("population.col_row", lang),
            t("population.carrier", lang),
            t("population.col_field", lang),
            t("population.col_problem", lang),
        ],
    )


def problems_of(result: Batch, lang: str) -> list[tuple[int, str, str, str]]:
    """Every problem of every rejected row: (row number from 1, its id, the field as the form
    names it, what is wrong)."""
    return [
        (r.number, r.profile_id, _field_name(where, lang), why)
        for r in result.rejected
        for where, why in r.problems
    ]


def _field_name(where: str, lang: str) -> str:
    """'new_tech_smes' → its label and column name; a nested place is kept as written."""
    name = where.split("[")[0].split(".")[0]
    shown = label(name, lang)
    return where if shown == name else f"{shown} ({where})"


def carrier_table(frame: pd.DataFrame, labels: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Each carrier's amounts per document: at least, at most (empty when no upper limit),
    in words, and how many of its eligible clauses state no amount."""
    highs = frame["high"].astype(object).where(frame["high"].notna(), None)
    return pd.DataFrame(
        {
            t("population.carrier", lang): frame["profile_id"].astype(str),
            t("population.col_document", lang): frame["document"].map(labels),
            t("population.low", lang): frame["low"].astype(float).round(ROUNDED),
            t("population.high", lang): pd.to_numeric(highs, errors="coerce")
            .astype(float)
            .round(ROUNDED),
            t("population.col_words", lang): [
                _words(float(lo), _high(hi), lang, int(ns))
                for lo, hi, ns in zip(frame["low"], highs, frame["not_stated"], strict=True)
            ],
            t("population.col_not_stated", lang): frame["not_stated"].astype(int),
        }
    )


class Input(NamedTuple):
    """The table a result was computed from, as given: its file name and bytes."""

    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def sample_input(carriers: Sequence[Mapping[str, Any]]) -> Input:
    """The synthetic sample as the CSV a user would upload (so its pack can be re-run)."""
    rows = [
        cells_of(
            Profile.model_validate({k: v for k, v in c.items() if k != ID_COLUMN}), c[ID_COLUMN]
        )
        for c in carriers
    ]
    return Input("synthetic_sample.csv", csv_text(rows).encode("utf-8"))


def export_line(year: int | None, across: bool, source: Input, lang: str) -> str:
    """What an export adds to its source line: the year, whether the readings' range is shown,
    and the input file with its sha256 (the file itself is in the pack)."""
    year_words = t("simulate.year_as_if", lang) if year is None else str(year)
    readings = t("population.export_range_on" if across else "population.export_range_off", lang)
    return t(
        "population.export_line", lang,
        year=year_words, readings=readings, name=source.name, sha=source.sha256[:16],
    )  # fmt: skip
