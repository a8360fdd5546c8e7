"""Conventions over the code: numbers live in data, the engine stays pure and declarative."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "policies" / "engine.py"


def test_the_engine_holds_no_numeric_literal_other_than_0_and_1() -> None:
    tree = ast.parse(ENGINE.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    literals = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
        and node.value not in (0, 1)
        and id(node) not in docstrings
    ]
    assert literals == []


def test_no_eval_or_exec_in_the_domain_package() -> None:
    for path in (ROOT / "policies").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            n.func.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert not names & {"eval", "exec", "compile"}, path.name


def test_every_amount_kind_has_one_engine_function() -> None:
    from policies.engine import AMOUNT_KINDS
    from policies.models import QUALITATIVE_KINDS, AmountForm

    kinds = {arg.model_fields["kind"].default for arg in AmountForm.__origin__.__args__}
    assert kinds - QUALITATIVE_KINDS == set(AMOUNT_KINDS)


def test_every_amount_kind_lists_its_numbers_and_fields_itself() -> None:
    from policies.models import Amount, AmountForm

    for kind in AmountForm.__origin__.__args__:
        own = vars(kind)
        assert issubclass(kind, Amount), kind.__name__
        assert "numbers" in own and "fields" in own, f"{kind.__name__} lacks numbers() or fields()"


def test_a_kind_that_does_not_list_its_numbers_fails_the_citation_check_loudly() -> None:
    from typing import Literal

    import pytest

    from policies.checks import amount_numbers
    from policies.models import Amount

    class Unlisted(Amount):
        kind: Literal["unlisted"] = "unlisted"

    with pytest.raises(NotImplementedError, match="Unlisted does not list its numbers"):
        list(amount_numbers(Unlisted()))  # type: ignore[arg-type]


def test_every_amount_kind_has_its_long_and_short_wording() -> None:
    from components.display import WORDING
    from policies.models import AmountForm

    kinds = {arg.model_fields["kind"].default for arg in AmountForm.__origin__.__args__}
    assert kinds - {"sum"} == set(WORDING)  # a sum is worded part by part
    for kind, (long, short) in WORDING.items():
        assert callable(long) and callable(short), kind


AMOUNT_HOMES = {"policies/models.py", "policies/engine.py", "policies/batch.py"}


def test_no_isinstance_over_amount_kinds_outside_the_model_and_the_engines() -> None:
    from policies.models import AmountForm

    kinds = {arg.__name__ for arg in AmountForm.__origin__.__args__}
    found = []
    for folder in ("policies", "components", "views"):
        for path in sorted((ROOT / folder).glob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in AMOUNT_HOMES:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                called = getattr(node, "func", None)
                if not (isinstance(node, ast.Call) and getattr(called, "id", "") == "isinstance"):
                    continue
                names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                if names & kinds:
                    found.append(f"{rel}:{node.lineno}")
    assert found == [], "ask the amount kind (policies/models.py) instead: " + ", ".join(found)


def test_no_interface_string_writes_the_number_of_documents_into_its_words() -> None:
    from components.i18n import LANGS, strings

    counted = ("five ", "Five ", "four Chinese", "五份", "四地")
    found = [
        f"{lang}:{key}"
        for lang in LANGS
        for key, text in strings(lang).items()
        if any(word in text for word in counted)
    ]
    assert found == [], "take the count from the data: " + ", ".join(found)


# --- one declaration per field -------------------------------------------------------------


def _is_amount(name: str) -> bool:
    """Whether a profile field holds amounts (万元): one, a list of them, or entries with one."""
    from typing import get_args, get_origin

    from policies.profile import ContestAward, Profile

    annotation = Profile.model_fields[name].annotation
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return float in (annotation, *get_args(annotation)[:1]) or annotation is ContestAward


def test_every_profile_field_declares_every_fact() -> None:
    from policies.fields import numeric_profile_fields
    from policies.profile import FORM_GROUPS, WAN_YUAN, Profile, field_facts

    numbers = numeric_profile_fields()
    places = []
    for name in Profile.model_fields:
        facts = field_facts(name)  # raises when the field is not declared
        assert all(facts.label) and len(facts.label) == 2, name
        assert all(facts.hint) and len(facts.hint) == 2, name
        assert facts.group in FORM_GROUPS, name
        if name in numbers or _is_amount(name):
            assert facts.limit is not None and facts.limit > 0, f"{name} declares no form limit"
        else:
            assert facts.limit is None, f"{name} has no number to limit"
        assert facts.unit == (WAN_YUAN if _is_amount(name) else None), name
        if facts.sweep is not None:
            assert name in numbers, f"{name} cannot be swept"
            places.append(facts.sweep)
    assert places and sorted(places) == list(range(1, len(places) + 1))
    assert set(FORM_GROUPS) == {field_facts(n).group for n in Profile.model_fields}


def test_every_derived_field_declares_its_function_inputs_and_labels() -> None:
    from policies.fields import DERIVED
    from policies.profile import Profile

    for name, derived in DERIVED.items():
        assert callable(derived.compute), name
        assert derived.inputs and set(derived.inputs) <= set(Profile.model_fields), name
        assert all(derived.label) and len(derived.label) == 2, name
        assert name not in Profile.model_fields, name
        if derived.inverse is not None:
            assert derived.inverse[0] in derived.inputs and callable(derived.inverse[1]), name
        assert derived.undefined is None or all(derived.undefined), name


def test_the_form_groups_are_generated_and_hold_every_field_once() -> None:
    from policies.fields import form_groups
    from policies.profile import FORM_GROUPS, Profile, field_facts

    groups = form_groups()
    assert [g for g, _ in groups] == list(FORM_GROUPS)
    grouped = [name for _, fields in groups for name in fields]
    assert sorted(grouped) == sorted(Profile.model_fields)
    assert len(grouped) == len(set(grouped))
    for group, fields in groups:
        assert all(field_facts(n).group == group for n in fields), group


def test_field_help_lives_on_the_fields_not_in_the_locales() -> None:
    from components.i18n import LANGS, strings

    for lang in LANGS:
        assert not [k for k in strings(lang) if k.startswith("simulate.help.")], lang


FIELD_HOME = "policies/profile.py"
LISTED = 3  # a list, tuple or set naming this many profile fields is a second list of them


def test_no_second_list_of_profile_field_names() -> None:
    """Field groups, what-if inputs, identity fields … are generated from the declarations."""
    from policies.profile import Profile

    names = set(Profile.model_fields)
    found = []
    for folder in ("policies", "components", "views"):
        for path in sorted((ROOT / folder).glob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel == FIELD_HOME:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                    continue
                named = {i.value for i in node.elts if isinstance(i, ast.Constant)} & names
                if len(named) >= LISTED:
                    found.append(f"{rel}:{node.lineno}")
    assert found == [], "generate it from the declarations in policies/profile.py: " + ", ".join(
        found
    )


def test_the_engine_writes_no_words_of_its_own_its_sentences_live_in_one_table() -> None:
    """Every Chinese word the engine shows comes from policies/explanations.py; docstrings and
    comments may quote the documents."""
    tree = ast.parse(ENGINE.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    chinese = re.compile(r"[\u4e00-\u9fff]")
    worded = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and chinese.search(node.value)
    ]
    assert not worded, f"policies/engine.py writes Chinese words at line(s) {worded}"


PURE_INTERFACE = ("components/share_link.py", "components/form_values.py")


def test_the_share_link_codec_and_the_form_values_do_not_import_streamlit() -> None:
    for rel in PURE_INTERFACE:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        tops = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        }
        tops |= {
            n.module.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module
        }
        assert "streamlit" not in tops, rel
