"""Sources and Overview helpers: a document's text split into plain and quoted segments, linked
both ways to its records (Markdown footnotes, no HTML); the provenance record; corrections; and
the per-document facts the Overview cards show. Pure: data in, strings and frames out."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd

from components.display import amount_short, doc_label, md_escape
from components.i18n import pick, t
from components.targets import value_text
from policies.models import Atlas, Document

CONTEXT_CHARS = 60
COLORS = {"clause": "blue", "target": "green", "both": "violet", "artifact": "red"}
SELECTED_COLOR = "orange"
FOOTNOTE_REF = "#user-content-fnref-{n}"  # the id GitHub-flavoured Markdown gives a reference
# The URL-bound widgets of the Sources page (their keys are the query parameters).
TEXT_VIEWS = ("annotated", "raw")


@dataclass(frozen=True)
class Mark:
    """One record located in the text: a clause, a target (or its restatement), or a correction."""

    number: int  # the footnote number: the order in which the marks end in the text
    kind: str  # clause | target | artifact
    record: str  # the record id (a clause or target id, or document.artifact id)
    start: int
    end: int
    title: str
    detail: str  # the amount, the target value, or raw → clean
    section: str  # a correction's: its note (the data has it in English only)
    quote: str


def marks(doc: Document, lang: str) -> tuple[list[Mark], list[str]]:
    """Every record's quote located in the text, numbered in reading order; and the ids of
    records whose quote is not found (the data checks make that list empty)."""
    text = doc.text
    found: list[tuple[int, int, str, str, str, str, str, str]] = []
    missing: list[str] = []

    def locate(kind: str, record: str, quote: str, title: str, detail: str, section: str) -> None:
        start = text.find(quote)
        if start < 0 or not quote:
            missing.append(record)
            return
        found.append((start + len(quote), start, kind, record, title, detail, section, quote))

    for x in doc.policy.targets:
        title = pick(x.metric_zh, x.metric_en, lang)
        locate("target", x.id, x.quote, title, value_text(x, lang), x.section)
        for again in x.restated:
            restated = f"{title} ({t('sources.restated', lang)})"
            locate("target", x.id, again.quote, restated, value_text(x, lang), again.section)
    for c in doc.policy.clauses:
        title = pick(c.title_zh, c.title_en, lang)
        locate(
            "clause",
            c.id,
            c.quote,
            title,
            amount_short(c.amount, c.period, lang, c.period_inferred),
            c.section,
        )
    for a in doc.provenance.artifacts:
        detail = f"{visible(a.raw)} → {visible(a.clean)}"
        title = t(f"sources.artifact_{a.kind}", lang)
        locate("artifact", f"{doc.id}.{a.id}", a.raw, title, detail, a.note_en)
    found.sort(key=lambda f: (f[0], f[1]))
    return [Mark(i + 1, *f[2:4], f[1], f[0], *f[4:]) for i, f in enumerate(found)], missing


def sha256_of(doc: Document) -> str:
    """The sha256 of the loaded text (UTF-8), to set beside the recorded one."""
    return hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def record_options(found: list[Mark], lang: str) -> dict[str, str]:
    """record id -> 'N · type · title' for the record chooser, in reading order (first mark
    wins: a restated target is listed once)."""
    out: dict[str, str] = {}
    for m in found:
        out.setdefault(m.record, f"{m.number} · {t(f'sources.kind_{m.kind}', lang)} · {m.title}")
    return out


def visible(text: str) -> str:
    """Line breaks shown as ⏎ so a correction's raw text is readable on one line."""
    return text.replace("\n", "⏎")


def _color(kinds: set[str], selected: bool) -> str | None:
    if selected:
        return SELECTED_COLOR
    if "clause" in kinds and "target" in kinds:
        return COLORS["both"]
    for kind in ("clause", "target", "artifact"):
        if kind in kinds:
            return COLORS[kind]
    return None


def annotated_markdown(text: str, found: list[Mark], selected: str | None, lang: str) -> str:
    """The full text as Markdown: every quoted stretch highlighted (clauses blue, targets green,
    both violet, corrections red, the selected record orange) and followed by a footnote
    reference; the footnotes list the records and link back to their place in the text.

    The text is escaped piece by piece (nothing in it can render as markup) and line breaks are
    kept. No HTML is built.
    """
    ends: dict[int, list[Mark]] = {}
    for m in found:
        ends.setdefault(m.end, []).append(m)
    cuts = sorted({0, len(text), *(m.start for m in found), *(m.end for m in found)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in found if m.start <= a and m.end >= b]
        kinds = {m.kind for m in covering}
        color = _color(kinds, any(m.record == selected for m in covering))
        out.append(_piece(text[a:b], color))
        out.extend(f"[^{m.number}]" for m in sorted(ends.get(b, []), key=lambda m: m.number))
    body = _paragraphs("".join(out))
    notes = [
        f"[^{m.number}]: **{t(f'sources.kind_{m.kind}', lang)} {m.number}** · "
        f"{md_escape(m.title)} · {md_escape(m.detail)} · {mark_place(m, lang)}"
        for m in found
    ]
    return body + ("\n\n" + "\n".join(notes) if notes else "")


def mark_place(mark: Mark, lang: str) -> str:
    """Where a record stands, escaped for Markdown: '§ section' for a clause or a target; for a
    correction, its note, labelled as the data's note (written in English only)."""
    if mark.kind == "artifact":
        return f"{t('sources.col_note', lang)}: {md_escape(mark.section)}"
    return f"§ {md_escape(mark.section)}"


# Private-use characters stand for the line structure while pieces are escaped and wrapped.
_NL = "\ue000"


def _piece(raw: str, color: str | None) -> str:
    """Escape one stretch; wrap each of its lines in a background colour when it is quoted.

    Lines are joined with a private-use character so that _paragraphs can rebuild the layout.
    """
    done = []
    for line in raw.split("\n"):
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        escaped = md_escape(line)
        if color and line.strip():
            escaped = f":{color}-background[{escaped}]"
        done.append(lead + escaped)
    return _NL.join(done)


def _paragraphs(marked: str) -> str:
    """Blank lines separate paragraphs; single line breaks stay as hard breaks."""
    paragraphs, current = [], []
    for line in marked.split(_NL):
        if line.strip():
            current.append(line.lstrip(" \t"))
        elif current:
            paragraphs.append("  \n".join(current))
            current = []
    if current:
        paragraphs.append("  \n".join(current))
    return "\n\n".join(paragraphs)


def context(text: str, mark: Mark, chars: int = CONTEXT_CHARS) -> str:
    """The quote in its surroundings, escaped, the quote in bold: '…before **quote** after…'."""
    before = text[max(0, mark.start - chars) : mark.start]
    after = text[mark.end : mark.end + chars]
    lead = "…" if mark.start > chars else ""
    tail = "…" if mark.end + chars < len(text) else ""

    def flat(s: str) -> str:
        return md_escape(" ".join(s.split()))

    return f"{lead}{flat(before)} **{flat(text[mark.start : mark.end])}** {flat(after)}{tail}"


def mark_rows(found: list[Mark], lang: str) -> pd.DataFrame:
    """The marks as a table (number, type, record, title, amount or value, section, quote)."""
    rows = [
        {
            "no": m.number,
            "kind": t(f"sources.kind_{m.kind}", lang),
            "record": m.record,
            "title": m.title,
            "detail": m.detail,
            "section": m.section,
            "quote": m.quote,
            "source": f"{m.record.split('.')[0]} § {m.section}: 「{m.quote}」",
        }
        for m in found
    ]
    return pd.DataFrame(
        rows, columns=["no", "kind", "record", "title", "detail", "section", "quote", "source"]
    )


# --- provenance ----------------------------------------------------------------------------


def provenance_rows(doc: Document, lang: str) -> pd.DataFrame:
    """The provenance record as field / value rows, with the data's notes (in English)."""
    p = doc.provenance
    place = p.place
    where = " · ".join(
        x
        for x in (
            pick(place.district_zh, place.district_en, lang) if place.district_zh else "",
            pick(place.city_zh, place.city_en, lang),
            pick(place.province_zh, place.province_en, lang),
        )
        if x
    )
    rows = [
        ("title", p.title_zh if lang == "zh" else f"{p.title_zh} — {p.title_en}"),
        ("place", where),
        ("issuer", pick(p.issuer_zh, p.issuer_en, lang)),
        ("doc_number", p.doc_number or t("sources.none_in_text", lang)),
        ("doc_number_note", p.doc_number_note_en or ""),
        ("issued", p.issued.isoformat() if p.issued else t("sources.not_in_text", lang)),
        ("issued_note", p.issued_note_en or ""),
        ("period", f"{p.period_start}–{p.period_end}"),
        ("period_note", p.period_note_en or ""),
        ("published", pick(p.published_zh, p.published_en, lang)),
        ("file", f"data/sources/{p.file}"),
        ("seed_file", p.seed_file),
        ("sha256", p.sha256),
        ("notes", p.notes_en or ""),
    ]
    record = f"{doc.id} · data/sources/{doc.id}.provenance.yaml"
    return pd.DataFrame(
        [
            {"field": t(f"sources.field_{key}", lang), "value": value, "key": key,
             "source": record}
            for key, value in rows
            if value
        ]
    )  # fmt: skip


def artifact_rows(doc: Document, lang: str) -> pd.DataFrame:
    """The scraping artifacts: raw text as it stands, its clean reading, and the note."""
    rows = [
        {
            "id": a.id,
            "kind": t(f"sources.artifact_{a.kind}", lang),
            "raw": visible(a.raw),
            "clean": visible(a.clean),
            "note_en": a.note_en,
            "source": f"{doc.id} · data/sources/{doc.provenance.file}: 「{a.raw}」",
        }
        for a in doc.provenance.artifacts
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "raw", "clean", "note_en", "source"])


# --- documents at a glance (overview) ------------------------------------------------------


def period_status(doc: Document, today: dt.date) -> str:
    """'before', 'in_period' or 'ended': where today falls against the plan period."""
    p = doc.provenance
    if today.year < p.period_start:
        return "before"
    if today.year > p.period_end:
        return "ended"
    return "in_period"


def document_facts(doc: Document, lang: str, today: dt.date) -> dict[str, str | int]:
    """What an overview card says about one document, every missing fact said so."""
    p, pol = doc.provenance, doc.policy
    place = p.place
    city = pick(place.city_zh, place.city_en, lang)
    if place.district_zh:
        city = f"{city} {pick(place.district_zh, place.district_en, lang)}"
    status = period_status(doc, today)
    clauses = pol.government_clauses
    quantified = sum(c.status == "quantified" for c in clauses)
    status_text = t(f"overview.status_{status}", lang, end=p.period_end, start=p.period_start)
    if p.period_inferred:
        status_text = f"{status_text} ({t('common.period_inferred', lang)})"
    return {
        "id": doc.id,
        "label": doc_label(doc, lang),
        "place": f"{city} · {pick(place.province_zh, place.province_en, lang)}",
        "title": p.title_zh,
        "title_en": p.title_en,
        "issuer": pick(p.issuer_zh, p.issuer_en, lang),
        "doc_number": p.doc_number or t("sources.none_in_text", lang),
        "issued": p.issued.isoformat() if p.issued else t("sources.not_in_text", lang),
        "period": f"{p.period_start}–{p.period_end}",
        "status": status,
        "status_text": status_text,
        "period_note": p.period_note_en or "",
        "targets": len(pol.targets),
        "sub_targets": sum(1 for x in pol.targets if x.part_of),
        "clauses": len(clauses),
        "quantified": quantified,
        "not_stated": len(clauses) - quantified,
        "artifacts": len(p.artifacts),
        "summary": pick(pol.summary_zh, pol.summary_en, lang),
    }


def documents_frame(data: Atlas, lang: str, today: dt.date) -> pd.DataFrame:
    """One row per document for the overview table and its CSV (column `id` is the document)."""
    rows = []
    for doc in data.in_reading_order():
        f = document_facts(doc, lang, today)
        p = doc.provenance
        rows.append(
            {
                "id": doc.id,
                t("overview.col_document", lang): f["label"],
                t("overview.col_place", lang): f["place"],
                t("overview.col_issuer", lang): f["issuer"],
                t("overview.col_doc_number", lang): f["doc_number"],
                t("overview.col_issued", lang): f["issued"],
                t("overview.col_period", lang): f["period"],
                t("overview.col_status", lang): f["status_text"],
                t("overview.col_targets", lang): f["targets"],
                t("overview.col_quantified", lang): f["quantified"],
                t("overview.col_not_stated", lang): f["not_stated"],
                t("overview.col_artifacts", lang): f["artifacts"],
                t("common.source_column", lang): (
                    f"data/sources/{p.file} (sha256 {p.sha256[:12]}…); "
                    f"{pick(p.published_zh, p.published_en, lang)}"
                ),
            }
        )
    return pd.DataFrame(rows)


def clause_counts(data: Atlas, lang: str) -> pd.DataFrame:
    """Money clauses per document and status, labelled in `lang` (for the overview chart)."""
    rows = [
        {
            "document": doc_label(doc, lang),
            "status": t(f"overview.status_label_{status}", lang),
            "clauses": sum(1 for c in doc.policy.government_clauses if c.status == status),
        }
        for doc in data.in_reading_order()
        for status in ("quantified", "qualitative")
    ]
    return pd.DataFrame(rows, columns=["document", "status", "clauses"])


def overview_numbers(data: Atlas, today: dt.date) -> dict[str, object]:
    """The headline counts of the overview, all computed from the data (`clauses`: government
    money; `other_clauses`: the clauses naming money from others)."""
    docs = data.in_reading_order()
    clauses = [c for d in docs for c in d.policy.government_clauses]
    targets = [x for d in docs for x in d.policy.targets]
    issued = [d.provenance.issued.year for d in docs if d.provenance.issued]
    places = {(d.provenance.place.city_zh, d.provenance.place.district_zh) for d in docs}
    return {
        "documents": len(docs),
        "places": len(places),
        "first": min(issued) if issued else "—",
        "last": max(issued) if issued else "—",
        "clauses": len(clauses),
        "other_clauses": sum(len(d.policy.clauses) for d in docs) - len(clauses),
        "quantified": sum(c.status == "quantified" for c in clauses),
        "targets": len(targets),
        "parts": sum(1 for x in targets if x.part_of),
        "in_period": [d for d in docs if period_status(d, today) == "in_period"],
        "last_end": max(d.provenance.period_end for d in docs),
    }
