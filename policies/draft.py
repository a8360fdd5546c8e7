"""Draft a new document: copy its source into the data tree, write a provenance record with the
sha256, and a policy file in which every sentence with an amount or a target figure is a
commented stub. Nothing is invented: each stub is a question for the person adding the document,
and every fact only a reader can supply is left out, so that `check` names it until it is filled.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from policies.figures import bound_words, section_path, sentences_with_figures, suggested_kind

DOCUMENT_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class DraftError(Exception):
    """The draft cannot be written; `problems` says why. Nothing has been written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


PROVENANCE_TODO = """\
# Fill in each field below from the document itself (uncomment it); `check` names every field
# still missing. Write null only where the text really has none (doc_number, issued).
# title_zh: the title as printed
# title_en:
# place: {city_zh: , city_en: , province_zh: , province_en: }  (district_zh/en for a district)
# issuer_zh:
# issuer_en:
# doc_number: 文号 as printed, or null when the text has none
# issued: YYYY-MM-DD, or null when the text has no date
# period_start: first year of the plan period
# period_end: last year of the plan period
# published_zh: where the text was published (site or outlet)
# published_en:
artifacts: []
# Scraping artifacts (a page fragment inside a number, an OCR slip, a missing bracket) go here
# with their raw text and clean reading: {id, kind, raw, clean, note_en}.
"""


def provenance_text(doc_id: str, seed_name: str, sha256: str) -> str:
    head = (
        "# Provenance record drafted by `python -m policies draft`.\n"
        f"document: {doc_id}\n"
        f"file: {doc_id}.txt\n"
        f"seed_file: {_q(seed_name)}\n"
        f"sha256: {sha256}\n"
    )
    return head + PROVENANCE_TODO


def policy_text(doc_id: str, text: str) -> str:
    """The draft policy file: the document id, empty lists and one commented stub per sentence."""
    lines = [
        "# Policy file drafted by `python -m policies draft`. Add short_zh, short_en, summary_zh",
        "# and summary_en; model each stub below as a clause or a target (quoting it verbatim), or",
        "# list it under dismissed: with a reason; then delete the stub. `python -m policies",
        "# coverage` lists the sentences still open, `check` every field still missing.",
        f"document: {doc_id}",
        "targets: []",
        "clauses: []",
        "interpretations: []",
        "dismissed: []",
        "",
    ]
    sentences = sentences_with_figures(text)
    for i, sentence in enumerate(sentences, 1):
        words = bound_words(sentence.text)
        lines += [
            f"# stub {i}",
            f"#   quote: {sentence.text}",
            f"#   section: {section_path(text, sentence.start) or '(none found)'}",
            f"#   figures: {', '.join(f.text for f in sentence.figures)}",
            f"#   bound words: {', '.join(words) if words else '(none)'}",
            f"#   suggested kind: {suggested_kind(sentence.text, sentence.figures)}",
            "",
        ]
    return "\n".join(lines)


def draft(source: Path, doc_id: str, root: Path) -> tuple[list[Path], int]:
    """Write the three files of a new document under `root`; return them and the stub count."""
    problems = []
    if not DOCUMENT_ID.match(doc_id):
        problems.append(f"--id {doc_id!r}: use lower-case letters, digits and _ (e.g. hefei_2022)")
    raw = b""
    try:
        raw = source.read_bytes()
    except OSError as err:
        problems.append(f"{source}: cannot be read ({err.strerror})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
        problems.append(
            f"{source}: not UTF-8; convert it (e.g. iconv -f GB18030 -t UTF-8) and say so in the"
            " provenance notes"
        )
    if raw and not text.strip():
        problems.append(f"{source}: empty")
    targets = [
        root / "sources" / f"{doc_id}.txt",
        root / "sources" / f"{doc_id}.provenance.yaml",
        root / "policies" / f"{doc_id}.yaml",
    ]
    for path in targets:
        if not path.parent.is_dir():
            problems.append(f"{path.parent}: not a folder of a data tree")
        elif path.exists():
            problems.append(f"{path}: already exists; nothing was written")
    if problems:
        raise DraftError(list(dict.fromkeys(problems)))
    sha = hashlib.sha256(raw).hexdigest()
    targets[0].write_bytes(raw)
    targets[1].write_text(provenance_text(doc_id, source.name, sha), encoding="utf-8")
    targets[2].write_text(policy_text(doc_id, text), encoding="utf-8")
    return targets, len(sentences_with_figures(text))
