"""The answer Simulate gives first: per document, in words, what the carrier's operator would
receive, what goes to others and to whom, what has no stated amount, and whether the document is
in its period; and the one-line notice when documents are out of their period.

The builders are pure (language passed in, no Streamlit), so tests read the same words the page
shows; `show_answer` draws them above the form, which puts them first on a phone as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from components.display import interval_text, md_escape
from components.i18n import pick, t
from components.present import controls
from components.simulate_clauses import moved_by_readings
from components.simulate_shares import operator_order
from components.simulate_view import doc_name, ordered, recipient_label, total_text
from components.url_keys import NOTICE_YEAR_KEY
from policies.engine import DocumentResult, Result
from policies.models import Atlas, Document
from policies.tables import place_names

OPERATOR = "carrier_operator"


@dataclass(frozen=True)
class DocumentAnswer:
    """One document's answer in words."""

    document: str
    name: str
    in_period: bool  # in its period on the year the notice is about (today or the chosen year)
    period: str  # '2023–2025 · 已过有效期'
    place: str  # '面向江苏省扬州市江都区的载体': the place the document applies to
    total: str  # '149–150万元，另有 1 项未写明金额'
    operator: str  # the operator's share, or that it gets nothing computable
    others: tuple[str, ...]  # '建设单位(镇、园区、牵头企业):120万元', one per other recipient
    applies: bool = True  # False when no clause applies at all (the total says so)


def _share(doc: DocumentResult, recipient: str, lang: str) -> str | None:
    """A recipient's share in words (interval, plus clauses of unstated amount), or None."""
    amount = doc.by_recipient.get(recipient)
    unstated = sum(1 for x in doc.lines if x.status == "not_stated" and x.recipient == recipient)
    if amount is None and not unstated:
        return None
    if amount is None:
        return t("simulate.only_not_stated", lang, n=unstated)
    text = interval_text(amount.low, amount.high, lang)
    return t("simulate.plus_not_stated", lang, amount=text, n=unstated) if unstated else text


def recipients_in_order(doc: DocumentResult) -> list[str]:
    """The recipients a document pays or names, the operator first, then in the data's order."""
    named = list(doc.by_recipient)
    named += [x.recipient for x in doc.lines if x.status == "not_stated"]
    unique = list(dict.fromkeys(named))
    return sorted(unique, key=lambda r: r != OPERATOR)


def period_words(doc: Document, year: int, chosen: bool, lang: str) -> str:
    """'2023–2025 · period ended (today)' or '… · in force in 2024': the period and where the
    year falls in it, in words (not only a colour)."""
    prov = doc.provenance
    if doc.in_force(year):
        state = t("simulate.answer_in_period", lang, year=year)
    elif year < prov.period_start:
        state = t("simulate.answer_not_yet", lang, year=year)
    else:
        state = t("simulate.answer_ended", lang, year=year)
    if not chosen:
        state = t("simulate.answer_today", lang, state=state)
    return t("simulate.answer_period", lang, start=prov.period_start, end=prov.period_end) + (
        f" · {state}"
    )


def answers(result: Result, atlas: Atlas, lang: str, today_year: int) -> list[DocumentAnswer]:
    """Every document's answer, in display order; validity judged on the chosen year, or on
    today's when the figures are computed as if every document were in force."""
    year = result.year if result.year is not None else today_year
    out = []
    for doc in ordered(result, atlas):
        source = atlas.document(doc.id)
        operator = _share(doc, OPERATOR, lang)
        others = tuple(
            t(
                "simulate.answer_other",
                lang,
                recipient=recipient_label(atlas, r, lang),
                amount=_share(doc, r, lang),
            )
            for r in recipients_in_order(doc)
            if r != OPERATOR
        )
        out.append(
            DocumentAnswer(
                document=doc.id,
                name=doc_name(atlas, doc.id, lang),
                in_period=source.in_force(year),
                period=period_words(source, year, result.year is not None, lang),
                place=t("simulate.answer_place", lang, place=pick(*place_names(source), lang)),
                total=total_text(doc.lines, doc.total, lang),
                operator=operator or t("simulate.answer_operator_none", lang),
                others=others,
                applies=any(x.status != "not_applicable" for x in doc.lines),
            )
        )
    return out


def summary(result: Result, atlas: Atlas, lang: str) -> list[str]:
    """One short line per document, what the carrier's operator would receive in words, the
    documents by her share (policies.shares.most_then_certain): the first thing on the page,
    within a phone's first screen."""
    return [
        t(
            "simulate.summary_line",
            lang,
            document=doc_name(atlas, doc.id, lang),
            amount=_share(doc, OPERATOR, lang) or t("simulate.answer_operator_none", lang),
        )
        for doc in operator_order(result, atlas)
    ]


def best_year(atlas: Atlas) -> int:
    """The latest year in which the most documents are in their period (the year the notice
    offers to compute for)."""
    first = min(d.provenance.period_start for d in atlas.documents)
    last = max(d.provenance.period_end for d in atlas.documents)
    years = range(first, last + 1)
    return max(years, key=lambda y: (sum(d.in_force(y) for d in atlas.documents), y))


def validity_notice(
    rows: Sequence[DocumentAnswer], year: int | None, today_year: int, lang: str
) -> str | None:
    """One line when some or all documents are out of their period on the year judged (today,
    or the chosen year); None when all are in it."""
    out = [r.name for r in rows if not r.in_period]
    if not out:
        return None
    names = t("overview.list_sep", lang).join(out)
    if year is None:
        key = "simulate.notice_today_all" if len(out) == len(rows) else "simulate.notice_today_some"
        return t(key, lang, year=today_year, n=len(out), docs=names)
    key = "simulate.notice_year_all" if len(out) == len(rows) else "simulate.notice_year_some"
    return t(key, lang, year=year, n=len(out), docs=names)


def show_answer(
    box: st.delta_generator.DeltaGenerator,
    rows: Sequence[DocumentAnswer],
    notice: tuple[str | None, int | None],
    set_year: Callable[[int], None],
    heading: tuple[str, Sequence[str]],
    lang: str,
) -> None:
    """In `box`: the summary (heading and one line per document, what the operator receives),
    the notice (with a one-click year to compute for, when the figures are "as if in force"),
    then one row per document: name, total and period | operator | others."""
    words, target = notice
    title, lines = heading
    with box:
        st.markdown(f"**{md_escape(title)}**")
        st.markdown(md_escape(t("simulate.summary_sep", lang).join(lines)))
        if words is not None:
            text, button = st.columns([4, 1], vertical_alignment="center")
            text.info(md_escape(words), icon=":material/event_busy:")
            if target is not None:
                with button:
                    controls("notice_year").button(
                        t("simulate.notice_use_year", lang, year=target),
                        on_click=set_year,
                        args=(target,),
                        key=NOTICE_YEAR_KEY,
                        width="stretch",
                    )
        for row, column in zip(rows, st.columns(len(rows)), strict=True):
            with column.container(border=True, height="stretch"):
                mark = "" if row.in_period else t("simulate.answer_out_mark", lang)
                st.markdown(f"**{md_escape(row.name)}** {md_escape(mark)}".strip())
                if row.applies:
                    shown = row.others or (t("simulate.answer_others_none", lang),)
                    lines = [
                        t("simulate.answer_operator", lang, amount=row.operator),
                        *shown,
                        t("simulate.answer_total", lang, amount=row.total),
                    ]
                else:
                    lines = [row.total]
                st.markdown("  \n".join(md_escape(x) for x in lines))
                st.caption(md_escape(row.period))
                st.caption(md_escape(row.place))


def show(
    box: st.delta_generator.DeltaGenerator,
    result: Result,
    atlas: Atlas,
    words: tuple[str, str],
    set_year: Callable[[int], None],
) -> None:
    """The whole answer in `box` (`words`: its heading and the language), validity judged on
    today's year when the figures are "as if in force"."""
    heading, lang = words
    today = dt.date.today().year
    rows = answers(result, atlas, lang, today)
    notice = validity_notice(rows, result.year, today, lang)
    target = best_year(atlas) if result.year is None else None
    lines = summary(result, atlas, lang)
    show_answer(box, rows, (notice, target), set_year, (heading, lines), lang)


def show_spread(result: Result, atlas: Atlas, lang: str) -> None:
    """How sure the answer is: each document whose total moves with the readings, its range,
    then one line per reading that moves it with the total under each answer."""
    st.subheader(t("simulate.across_title", lang))
    st.caption(t("simulate.across_intro", lang))
    moved = moved_by_readings(result, atlas, lang)
    if not moved:
        st.caption(t("simulate.across_none", lang))
        return
    for name, spread, lines in moved:
        st.markdown(
            f"**{md_escape(name)}** · {md_escape(spread)}  \n"
            + "\n".join(f"- {md_escape(line)}" for line in lines)
        )
