"""Unmet conditions as sentences a founder reads ("载体类型需为众创空间(现为孵化器)", "carrier
type needs to be maker space (now incubator)"), with no ∈, ≥ or = in them.

The engine keeps its compact wording ("需 ∈ {众创空间}") for the research pages and the command
line; Simulate words the same failure here, from its structured fields.
"""

from __future__ import annotations

from typing import Any

from policies.engine import Failure
from policies.fields import label, value_label
from policies.fmt import num
from policies.models import Clause, Condition
from policies.profile import Profile

OR = {"zh": "或", "en": " or "}
NEEDS: dict[str, dict[str, str]] = {
    "eq": {"zh": "{field}需为{value}", "en": "{field} needs to be {value}"},
    "in": {"zh": "{field}需为{value}", "en": "{field} needs to be {value}"},
    "ne": {"zh": "{field}不能为{value}", "en": "{field} must not be {value}"},
    "not_in": {"zh": "{field}不能为{value}", "en": "{field} must not be {value}"},
    "ge": {"zh": "{field}需达到 {value}", "en": "{field} needs to be at least {value}"},
    "gt": {"zh": "{field}需大于 {value}", "en": "{field} needs to be more than {value}"},
    "le": {"zh": "{field}不能超过 {value}", "en": "{field} needs to be at most {value}"},
    "lt": {"zh": "{field}需小于 {value}", "en": "{field} needs to be less than {value}"},
}
YES_NEEDED = {"zh": "需满足“{field}”", "en": "needs “{field}”"}
NO_NEEDED = {"zh": "需不是“{field}”", "en": "needs not “{field}”"}
NOW = {"zh": "(现为{value})", "en": " (now {value})"}
ONLY_IF = {"zh": "{when}时,", "en": "for {when}, "}
BECAUSE = {"zh": "({because})", "en": " ({because})"}
ENOUGH = {"zh": ";{field}达到 {value} 即可", "en": "; {field} of {value} would do"}
UNIT = {"zh": "万元", "en": "万元"}


def value_words(field: str, value: Any, lang: str) -> str:
    """A value in words: 众创空间 or 国家级 (one of several: 'A或B'), 是/否, 500万元, 3."""
    if isinstance(value, list):
        return OR[lang].join(value_words(field, v, lang) for v in value)
    if isinstance(value, (bool, str)):
        return value_label(value, lang)
    if not isinstance(value, (int, float)):
        return str(value)
    info = Profile.model_fields.get(field)
    unit = UNIT[lang] if info is not None and info.annotation is float else ""
    return f"{num(value)}{unit}"


def condition_sentence(failure: Failure, lang: str, condition: Condition | None = None) -> str:
    """One unmet condition as a sentence; `condition` (when known) adds its 'only if' and its
    reason. A value that cannot be computed keeps the engine's own words."""
    if failure.current is None or failure.op not in NEEDS:
        return failure.zh if lang == "zh" else failure.en
    name = label(failure.field, lang)
    if failure.op == "eq" and isinstance(failure.required, bool):
        text = (YES_NEEDED if failure.required else NO_NEEDED)[lang].format(field=name)
    else:
        value = value_words(failure.field, failure.required, lang)
        text = NEEDS[failure.op][lang].format(field=name, value=value)
        text += NOW[lang].format(value=value_words(failure.field, failure.current, lang))
    if condition is not None and condition.when is not None:
        when = value_words(condition.when.field, condition.when.value, lang)
        text = ONLY_IF[lang].format(when=when) + text
    if condition is not None:
        because = condition.because_zh if lang == "zh" else condition.because_en
        if because:
            text += BECAUSE[lang].format(because=because)
    if failure.suggestion_field is not None and failure.suggestion_value is not None:
        target = failure.suggestion_field
        if target != failure.field or failure.op not in ("ge", "gt"):
            text += ENOUGH[lang].format(
                field=label(target, lang),
                value=value_words(target, failure.suggestion_value, lang),
            )
    return text


def clause_conditions(clause: Clause) -> list[Condition]:
    """Every condition a clause may carry: its own and those its readings put in."""
    found = list(clause.conditions)
    for reading in clause.readings:
        found += reading.conditions or []
    return found


def matching_condition(conditions: list[Condition], failure: Failure) -> Condition | None:
    """The condition a failure reports (same field, operator and value), when it is listed."""
    for cond in conditions:
        if (cond.field, cond.op, cond.value) == (failure.field, failure.op, failure.required):
            return cond
    return None
