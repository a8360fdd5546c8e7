"""Cross-checks over one document: quotes, ids, numbers, fields, interpretations.

These encode the project's conventions (every value cited, every quote found, every id
resolves) so that they are enforced by `python -m policies check`, not by memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policies.coverage import redundant_dismissals
from policies.fields import EACH_ITEM_FIELDS, known_fields, list_profile_fields, numeric_fields
from policies.models import (
    AmountForm,
    Clause,
    Condition,
    PolicyFile,
    Provenance,
    Taxonomy,
)

NUMERIC_OPS = {"ge", "gt", "le", "lt"}


def clean_quote(quote: str, provenance: Provenance) -> str:
    """The quote with the document's artifact corrections applied (raw → clean)."""
    for art in provenance.artifacts:
        quote = quote.replace(art.raw, art.clean)
    return quote


def number_in_text(number: float, text: str) -> bool:
    """True when the number is written in the text as a whole number (not inside a longer one)."""
    shown = str(int(number)) if float(number).is_integer() else repr(float(number))
    return re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d.]*\d)", text) is not None


def amount_numbers(amount: AmountForm) -> Iterator[float]:
    """Every number an amount form carries, so each can be looked for in the quote (a kind that
    does not list its numbers raises, so the citation check can never pass by silence)."""
    yield from amount.numbers()


def condition_numbers(conditions: list[Condition]) -> Iterator[float]:
    """Numeric thresholds of conditions; 0 ('at least one') is structural and not looked for."""
    for cond in conditions:
        if cond.op in NUMERIC_OPS and not isinstance(cond.value, bool) and cond.value != 0:
            yield float(cond.value)
        if cond.when is not None:
            yield from condition_numbers([cond.when])


def _amount_fields(amount: AmountForm) -> Iterator[tuple[str, str]]:
    """(kind of use, field name) pairs an amount reads."""
    yield from amount.fields()


def _check_conditions(where: str, conditions: list[Condition], each: str | None) -> Iterator[str]:
    allowed = known_fields(each)
    for i, cond in enumerate(conditions):
        if cond.when is not None:
            yield from _check_conditions(f"{where}.conditions[{i}].when", [cond.when], each)
    for i, cond in enumerate(conditions):
        if cond.field not in allowed:
            yield f"{where}.conditions[{i}].field: unknown field {cond.field!r}"
        if cond.op in NUMERIC_OPS and (isinstance(cond.value, (bool, str, list))):
            yield f"{where}.conditions[{i}].value: {cond.op} needs a number"
        if cond.op in {"in", "not_in"} and not isinstance(cond.value, list):
            yield f"{where}.conditions[{i}].value: {cond.op} needs a list"


def _check_amount(where: str, amount: AmountForm, each: str | None) -> Iterator[str]:
    numeric, lists = numeric_fields(each), list_profile_fields()
    for use, name in _amount_fields(amount):
        if use == "numeric" and name not in numeric:
            yield f"{where}.amount: {name!r} is not a numeric field"
        if use == "list" and name not in lists:
            yield f"{where}.amount: {name!r} is not a list field"
    if amount.needs_each and each is None:
        yield f"{where}.amount: a {amount.kind} needs an `each` list"
    elif amount.needs_each and each is not None:
        allowed = frozenset(EACH_ITEM_FIELDS[each])
        for problem in amount.item_problems(allowed):
            yield f"{where}.amount.{problem}"


def _check_paid(where: str, clause: Clause, cleaned: str) -> Iterator[str]:
    """Payment timing and per-carrier sums must be said by the quote itself."""
    paid = clause.paid
    if paid is not None:
        if paid.words not in cleaned:
            yield f"{where}.paid.words: {paid.words!r} not in the quote"
        if paid.by_year and not clause.amount.paid_by_year:
            yield f"{where}.paid.by_year: only a schedule is paid year by year"
    shown = clause.amount.per_carrier_words()
    if shown is not None and shown not in cleaned:
        yield f"{where}.amount.per_carrier: {shown!r} not in the quote"


def _check_clause(
    clause: Clause,
    doc_id: str,
    text: str,
    provenance: Provenance,
    taxonomy: Taxonomy,
    interpretations: dict[str, list[str]],
    defaults: dict[str, str],
) -> Iterator[str]:
    where = f"clauses[{clause.id}]"
    if not clause.id.startswith(f"{doc_id}."):
        yield f"{where}.id: must start with {doc_id}."
    if clause.category not in taxonomy.categories:
        yield f"{where}.category: unknown category {clause.category!r}"
    if clause.recipient not in taxonomy.recipients:
        yield f"{where}.recipient: unknown recipient {clause.recipient!r}"
    if clause.quote not in text:
        yield f"{where}.quote: not found verbatim in {provenance.file}"
    cleaned = clean_quote(clause.quote, provenance)
    amounts = [clause.amount] + [r.amount for r in clause.readings if r.amount is not None]
    condition_sets = [clause.conditions] + [
        r.conditions for r in clause.readings if r.conditions is not None
    ]
    condition_sets += [[s.to for s in r.swap] for r in clause.readings if r.swap]
    fields_here = {k.field for k in clause.conditions}
    for r in clause.readings:
        for s in r.swap:
            if s.field not in fields_here:
                yield f"{where}.readings.swap: no condition on {s.field!r} to replace"
    for amount in amounts:
        for n in amount_numbers(amount):
            if not number_in_text(n, cleaned):
                yield f"{where}.amount: {n:g} does not appear in the quote"
        yield from _check_amount(where, amount, clause.each)
    for conditions in condition_sets:
        for n in condition_numbers(conditions):
            if not number_in_text(n, cleaned):
                yield f"{where}.conditions: {n:g} does not appear in the quote"
        yield from _check_conditions(where, conditions, clause.each)
    yield from _check_paid(where, clause, cleaned)
    for i, reading in enumerate(clause.readings):
        choices = interpretations.get(reading.interpretation)
        if choices is None:
            yield f"{where}.readings[{i}].interpretation: unknown id {reading.interpretation!r}"
        elif reading.choice not in choices:
            yield f"{where}.readings[{i}].choice: {reading.choice!r} is not one of {choices}"
        elif reading.choice == defaults.get(reading.interpretation):
            yield (
                f"{where}.readings[{i}].choice: {reading.choice!r} is the default reading; the"
                " clause's own fields state the default, so every view shows one figure"
            )
        if reading.recipient is not None and reading.recipient not in taxonomy.recipients:
            yield f"{where}.readings[{i}].recipient: unknown recipient {reading.recipient!r}"


def check_document(
    policy: PolicyFile, provenance: Provenance, text: str, taxonomy: Taxonomy
) -> list[str]:
    """Every convention one document must meet, as `field: problem` strings."""
    doc_id = policy.document
    problems: list[str] = []
    interpretations = {i.id: [c.id for c in i.choices] for i in policy.interpretations}
    defaults = {i.id: i.default for i in policy.interpretations}
    ids = [t.id for t in policy.targets] + [c.id for c in policy.clauses] + list(interpretations)
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            problems.append(f"id: {ident!r} is used twice")
        seen.add(ident)
    target_ids = {t.id for t in policy.targets}
    used: set[str] = set()
    for target in policy.targets:
        where = f"targets[{target.id}]"
        if not target.id.startswith(f"{doc_id}."):
            problems.append(f"{where}.id: must start with {doc_id}.")
        if target.quote not in text:
            problems.append(f"{where}.quote: not found verbatim in {provenance.file}")
        cleaned = clean_quote(target.quote, provenance)
        if target.value_words is not None:
            if target.value_words not in cleaned:
                problems.append(f"{where}.value_words: {target.value_words!r} not in the quote")
        else:
            for n in (target.value, target.value_max):
                if n is not None and not number_in_text(n, cleaned):
                    problems.append(f"{where}.value: {n:g} does not appear in the quote")
        for i, cite in enumerate(target.restated):
            if cite.quote not in text:
                problems.append(f"{where}.restated[{i}].quote: not found verbatim")
        if target.part_of is not None and target.part_of not in target_ids:
            problems.append(f"{where}.part_of: unknown target {target.part_of!r}")
        if target.interpretation is not None:
            used.add(target.interpretation)
            if target.interpretation not in interpretations:
                problems.append(f"{where}.interpretation: unknown id {target.interpretation!r}")
    for clause in policy.clauses:
        problems.extend(
            _check_clause(clause, doc_id, text, provenance, taxonomy, interpretations, defaults)
        )
        used.update(clause.interpretations)
    for i, entry in enumerate(policy.dismissed):
        if entry.quote not in text:
            problems.append(f"dismissed[{i}].quote: not found verbatim in {provenance.file}")
    for i in redundant_dismissals(policy, text):
        if policy.dismissed[i].quote in text:
            problems.append(
                f"dismissed[{i}].quote: holds no figure that a record does not already cite"
            )
    for ident in interpretations:
        if not ident.startswith(f"{doc_id}."):
            problems.append(f"interpretations[{ident}].id: must start with {doc_id}.")
        if ident not in used:
            problems.append(f"interpretations[{ident}]: no clause or target refers to it")
    return problems
