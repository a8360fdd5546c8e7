"""The export control of a view: its table as CSV, Excel with the quotes, charts, evidence pack.

Files are made when a button is clicked (deferred), so offering them costs a page nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial

import pandas as pd
import streamlit as st

from components.exports import (
    DOCUMENT_COLUMN,
    PROJECT,
    TITLE_COLUMN,
    Evidence,
    Reading,
    about_table,
    blank_unstated,
    chart_png,
    chart_svg,
    csv_with_documents,
    with_titles,
)
from components.i18n import pick, strings, t
from policies.models import Atlas
from policies.tables import CITATION_COLUMNS, citations

SOURCE_COLUMNS = ["document", "id", "title", "section", "quote"]


def quotes_frame(atlas: Atlas, ids: Iterable[str], lang: str) -> pd.DataFrame:
    """The verbatim quote behind each clause or target id, in the order given, once each."""
    records = {}
    for doc in atlas.documents:
        for clause in doc.policy.clauses:
            records[clause.id] = (doc.id, pick(clause.title_zh, clause.title_en, lang), clause)
        for target in doc.policy.targets:
            records[target.id] = (doc.id, pick(target.metric_zh, target.metric_en, lang), target)
    rows = []
    for ident in dict.fromkeys(ids):
        if ident in records:
            doc_id, title, record = records[ident]
            rows.append((doc_id, ident, title, record.section, record.quote))
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def readings(
    atlas: Atlas,
    lang: str,
    choices: Mapping[str, str] | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, Reading]:
    """Each named interpretation (or those in `only`) → its question and the answer in force,
    in words, the answer marked default or changed."""
    wanted = None if only is None else set(only)
    out = {}
    for ident, interp in atlas.interpretations.items():
        if wanted is not None and ident not in wanted:
            continue
        chosen = (choices or {}).get(ident, interp.default)
        labels = {c.id: pick(c.label_zh, c.label_en, lang) for c in interp.choices}
        marker = (
            t("exports.default_reading", lang)
            if chosen == interp.default
            else t("exports.changed", lang)
        )
        question = pick(interp.question_zh, interp.question_en, lang)
        out[ident] = Reading(question, f"{labels.get(chosen, chosen)} ({marker})")
    return out


def readings_in_force(
    atlas: Atlas,
    lang: str,
    choices: Mapping[str, str] | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, str]:
    """Each named interpretation (or those in `only`) → 'question → answer (default)'."""
    return {ident: str(r) for ident, r in readings(atlas, lang, choices, only).items()}


def documents_table(atlas: Atlas, documents: Iterable[str] = ()) -> pd.DataFrame:
    """The Documents table of an export: a citation of each named document (every document
    when none is named), in reading order, read from its provenance record."""
    return pd.DataFrame(citations(atlas, documents), columns=CITATION_COLUMNS)


def column_headers(atlas: Atlas, lang: str) -> dict[str, str]:
    """Each column id an export table may hold → its header in the reader's language: the
    columns of the research tables, and each recipient's two ends (`builder_low`)."""
    prefix = "exports.columns."
    headers = {
        key.removeprefix(prefix): text
        for key, text in strings(lang).items()
        if key.startswith(prefix)
    }
    for ident, label in atlas.taxonomy.recipients.items():
        name = pick(label.zh, label.en, lang)
        headers[f"{ident}_low"] = t("exports.recipient_low", lang, recipient=name)
        headers[f"{ident}_high"] = t("exports.recipient_high", lang, recipient=name)
    return headers


def document_titles(atlas: Atlas, lang: str) -> dict[str, str]:
    """Each document id → its full title in the reader's language, for the rows naming it."""
    return {d.id: pick(d.provenance.title_zh, d.provenance.title_en, lang) for d in atlas.documents}


def documents_of(atlas: Atlas, ids: Iterable[str]) -> list[str]:
    """The documents holding the given clause or target ids."""
    wanted = set(ids)
    return [
        doc.id
        for doc in atlas.documents
        if any(x.id in wanted for x in (*doc.policy.clauses, *doc.policy.targets))
    ]


def stamp(atlas: Atlas, documents: Iterable[str], lang: str, extra: str = "") -> str:
    """The source line, in the reader's language, for a view built from `documents` (all
    documents when empty): project, data version, document ids, and `extra` if given."""
    docs = list(documents) or [d.id for d in atlas.documents]
    line = t("exports.source_line", lang, project=PROJECT, version=atlas.data_version)
    line += t("exports.source_documents", lang, documents=", ".join(docs))
    return f"{line} · {extra}" if extra else line


def cited_csv(
    table: pd.DataFrame, atlas: Atlas, lang: str, extra: str = "", choices: Mapping | None = None
) -> bytes:
    """A table downloaded on its own, as citable as the Export menu's CSV: each document id
    beside its title, every amount not stated blank (never 0), the id columns headed in the
    reader's language; then the Documents table (a citation of each document its rows name,
    from the provenance records) and the About table (the source line, with `extra`, and, when
    the table was computed under `choices`, each reading in force)."""
    ids = list(dict.fromkeys(table[DOCUMENT_COLUMN])) if DOCUMENT_COLUMN in table else []
    main = blank_unstated(with_titles(table, document_titles(atlas, lang)))
    headers = column_headers(atlas, lang)
    named = main.rename(columns={c: headers[c] for c in (DOCUMENT_COLUMN, TITLE_COLUMN)})
    in_force = {} if choices is None else readings(atlas, lang, choices)
    about = about_table(stamp(atlas, ids, lang, extra), in_force)
    return csv_with_documents(named, documents_table(atlas, ids), about=about)


def _chart_name(spec: Mapping | object, fallback: str) -> str:
    if not isinstance(spec, Mapping):  # made on demand: no title to read yet
        return fallback
    title = spec.get("title")
    text = title.get("text") if isinstance(title, Mapping) else title
    if isinstance(text, list):
        text = " ".join(str(part) for part in text)
    return str(text) if text else fallback


def _chart_file(render: Callable, spec: object, line: str) -> bytes | str:
    """A chart file, making the spec first if it was deferred."""
    return render(spec() if callable(spec) else spec, line)


def export_panel(evidence: Evidence, key: str) -> None:
    """One 'Export' button opening every download of the view: CSV, Excel, charts, the pack."""
    stem = evidence.stem
    with st.popover(t("exports.button"), icon=":material/download:"):
        st.caption(t("exports.help"))
        st.download_button(
            t("exports.csv"), evidence.csv, file_name=f"{stem}.csv", mime="text/csv",
            on_click="ignore", key=f"{key}_csv", icon=":material/table:",
        )  # fmt: skip
        st.download_button(
            t("exports.xlsx"), evidence.workbook, file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore", key=f"{key}_xlsx", icon=":material/grid_on:",
        )  # fmt: skip
        for name, spec in evidence.charts.items():
            title = evidence.chart_titles.get(name) or _chart_name(spec, name)
            png = partial(_chart_file, chart_png, spec, evidence.line)
            svg = partial(_chart_file, chart_svg, spec, evidence.line)
            left, right = st.columns(2)
            left.download_button(
                t("exports.png", chart=title), png, file_name=f"{stem}_{name}.png",
                mime="image/png", on_click="ignore", key=f"{key}_{name}_png",
                icon=":material/image:",
            )  # fmt: skip
            right.download_button(
                t("exports.svg", chart=title), svg, file_name=f"{stem}_{name}.svg",
                mime="image/svg+xml", on_click="ignore", key=f"{key}_{name}_svg",
                icon=":material/image:",
            )  # fmt: skip
        st.download_button(
            t("exports.pack"), evidence.pack, file_name=f"{stem}_evidence.zip",
            mime="application/zip", on_click="ignore", key=f"{key}_pack", type="primary",
            icon=":material/folder_zip:",
        )  # fmt: skip
        st.caption(t("exports.pack_help"))


def interpretations_of(atlas: Atlas, ids: Iterable[str]) -> list[str]:
    """The named interpretations that bear on the given clause or target ids."""
    wanted = set(ids)
    found: dict[str, None] = {}
    for doc in atlas.documents:
        for clause in doc.policy.clauses:
            if clause.id in wanted:
                found.update(dict.fromkeys(clause.interpretations))
        for target in doc.policy.targets:
            if target.id in wanted and target.interpretation:
                found[target.interpretation] = None
    return list(found)


def view_evidence(
    atlas: Atlas,
    lang: str,
    stem: str,
    tables: Mapping[str, pd.DataFrame],
    ids: Iterable[str],
    charts: Mapping[str, Mapping] | None = None,
    documents: Iterable[str] = (),
    extra: str = "",
) -> Evidence:
    """The evidence of a research view: its tables, the quotes of `ids`, the default readings,
    and the documents it shows (those chosen, or all when none is; with those `ids` come from)."""
    ids = list(ids)
    chosen = list(documents)
    shown = [*chosen, *documents_of(atlas, ids)] if chosen else []
    return Evidence(
        stem=f"{stem}_{atlas.data_version}",
        line=stamp(atlas, chosen, lang, extra),
        tables=tables,
        sources=quotes_frame(atlas, ids, lang),
        interpretations=readings(atlas, lang, only=interpretations_of(atlas, ids)),
        charts=charts or {},
        documents=documents_table(atlas, shown),
        titles=document_titles(atlas, lang),
        headers=column_headers(atlas, lang),
    )
