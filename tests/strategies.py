"""Hypothesis strategies generated from the profile model, so a new field is covered at once."""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

from annotated_types import Ge, Le
from hypothesis import settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from policies.profile import Profile

SMALL_AMOUNT = 5000.0  # most cases are realistic sizes; the rest span the whole valid range
SMALL_COUNT = 50
LIST_SIZE = 5
STATED_FOR = 100  # a test's stated example count is meant for Hypothesis's default of 100
FAST_PROFILE = "fast"  # `make fast`: a fifth of every stated count (at least ten); CI runs them all


def examples(count: int, **extra: Any) -> settings:
    """Settings that run a test's stated number of examples under the loaded profile: all of them
    by default (`make test`, CI), a fifth under the fast day-to-day profile."""
    scaled = round(count * settings.default.max_examples / STATED_FOR)
    return settings(max_examples=max(10, min(count, scaled)), deadline=None, **extra)


def _bounds(info: FieldInfo) -> tuple[Any, Any]:
    low = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in info.metadata if isinstance(m, Le)), None)
    return low, high


def _number(kind: type, low: Any, high: Any) -> st.SearchStrategy:
    """Realistic values mixed with the whole range the model accepts."""
    if kind is int:
        return st.one_of(st.integers(low, min(high, SMALL_COUNT)), st.integers(low, high))
    whole = st.floats(low, high, allow_nan=False, allow_infinity=False)
    return st.one_of(st.floats(low, min(high, SMALL_AMOUNT), allow_nan=False), whole)


def _value(annotation: Any, info: FieldInfo | None) -> st.SearchStrategy:
    """A strategy for one annotation: literals, booleans, bounded numbers, lists, models."""
    origin = get_origin(annotation)
    if origin is Literal:
        return st.sampled_from(get_args(annotation))
    if annotation is bool:
        return st.booleans()
    if annotation in (int, float):
        low, high = _bounds(info) if info is not None else (None, None)
        return _number(annotation, low, high)
    if origin is list:
        (inner,) = get_args(annotation)
        inner_info = _annotated_info(inner)
        base = get_args(inner)[0] if inner_info is not None else inner
        items = _value(base, inner_info)
        unique = get_origin(base) is Literal
        return st.lists(items, max_size=LIST_SIZE, unique=unique)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_dicts(annotation)
    inner_info = _annotated_info(annotation)
    if inner_info is not None:
        return _value(get_args(annotation)[0], inner_info)
    raise TypeError(f"no strategy for {annotation!r}: extend tests/strategies.py")


def _annotated_info(annotation: Any) -> FieldInfo | None:
    """The constraints of an Annotated[...] type, as a FieldInfo."""
    if not hasattr(annotation, "__metadata__"):
        return None
    return FieldInfo.from_annotation(annotation)


def model_dicts(model: type[BaseModel]) -> st.SearchStrategy[dict]:
    """Dicts with every field of `model`, each drawn from its declared type and bounds."""
    fields = {name: _value(info.annotation, info) for name, info in model.model_fields.items()}
    return st.fixed_dictionaries(fields)


profiles = model_dicts(Profile).map(Profile.model_validate)
