"""Coverage: every figure of a source is cited by a record (clause, target, restatement) or
dismissed with a reason, so no money sentence of any document goes unmodelled unnoticed."""

from __future__ import annotations

from dataclasses import dataclass

from policies.figures import Sentence, sentences_with_figures
from policies.models import Document, PolicyFile


def _spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    """Every place each quote stands in the text."""
    spans = []
    for quote in quotes:
        i = text.find(quote)
        while i >= 0 and quote:
            spans.append((i, i + len(quote)))
            i = text.find(quote, i + 1)
    return spans


def record_quotes(policy: PolicyFile) -> list[str]:
    """The quotes of the records that model the text: clauses, targets and restatements."""
    quotes = [c.quote for c in policy.clauses] + [t.quote for t in policy.targets]
    return quotes + [r.quote for t in policy.targets for r in t.restated]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


@dataclass(frozen=True)
class Uncovered:
    """A sentence holding figures that no record cites and no dismissal names."""

    sentence: Sentence
    figures: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """One document's figures: how many are cited, how many dismissed, and the rest."""

    document: str
    figures: int
    cited: int
    dismissed: int
    uncovered: list[Uncovered]


def coverage_of(policy: PolicyFile, text: str) -> Coverage:
    """Sort every figure of the text into cited, dismissed or left over."""
    cited_spans = _spans(text, record_quotes(policy))
    dismissed_spans = _spans(text, [d.quote for d in policy.dismissed])
    n = cited = dismissed = 0
    uncovered = []
    for sentence in sentences_with_figures(text):
        left = []
        for fig in sentence.figures:
            n += 1
            if _inside(fig.start, fig.end, cited_spans):
                cited += 1
            elif _inside(fig.start, fig.end, dismissed_spans):
                dismissed += 1
            else:
                left.append(fig.text)
        if left:
            uncovered.append(Uncovered(sentence, tuple(left)))
    return Coverage(policy.document, n, cited, dismissed, uncovered)


def document_coverage(document: Document) -> Coverage:
    return coverage_of(document.policy, document.text)


def redundant_dismissals(policy: PolicyFile, text: str) -> list[int]:
    """Indexes of `dismissed:` entries whose every figure a record already cites (or none)."""
    cited_spans = _spans(text, record_quotes(policy))
    out = []
    for i, entry in enumerate(policy.dismissed):
        spans = _spans(text, [entry.quote])
        figs = [
            f
            for s in sentences_with_figures(text)
            for f in s.figures
            if _inside(f.start, f.end, spans)
        ]
        if not any(not _inside(f.start, f.end, cited_spans) for f in figs):
            out.append(i)
    return out
