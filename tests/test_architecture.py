"""Code-health rules over every Python file: import direction and banned patterns."""

from __future__ import annotations

import ast
import os
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "test-artifacts"}

# Layer (top-level folder or module) -> top-level modules it must never import.
FORBIDDEN_IMPORTS: dict[str, frozenset[str]] = {
    "policies": frozenset({"streamlit", "altair", "components", "views", "app"}),
    "components": frozenset({"views", "app"}),
    "views": frozenset({"app"}),
}
CACHE_DECORATORS = frozenset({"cache_data", "cache_resource"})
CACHE_HOME = "components/data.py"
RAW_HTML_FLAG = "unsafe_" + "allow_html"


@cache
def python_files() -> tuple[Path, ...]:
    """Every .py file of the project, outside virtualenvs, caches and artifacts (those folders
    are never entered: a virtualenv holds tens of thousands of files)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        found.extend(Path(folder, name) for name in files if name.endswith(".py"))
    return tuple(sorted(found))


def rel(path: Path) -> str:
    """Path relative to the repository root, with forward slashes."""
    return path.relative_to(ROOT).as_posix()


@cache
def parse(path: Path) -> ast.Module:
    """Parse one file (cached: several rules walk the same tree)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_tops(tree: ast.Module) -> set[str]:
    """Top-level names of the absolute imports in a module (relative ones stay in-package)."""
    tops: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            tops.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


def layer(path: Path) -> str:
    """The layer a file belongs to: its top-level folder, or its stem at the root."""
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else path.stem


def test_the_scan_sees_the_project() -> None:
    """The file walk finds the entry point and the layers, so the rules are not vacuous."""
    found = {rel(p) for p in python_files()}
    assert {"app.py", "views/overview.py", "components/data.py"} <= found
    assert any(name.startswith("policies/") for name in found)


@pytest.mark.parametrize("path", python_files(), ids=rel)
def test_imports_point_one_way(path: Path) -> None:
    """policies <- components <- views <- app: no layer imports one above it."""
    forbidden = FORBIDDEN_IMPORTS.get(layer(path), frozenset())
    bad = sorted(imported_tops(parse(path)) & forbidden)
    assert not bad, f"{rel(path)} imports {bad}"


@pytest.mark.parametrize("path", python_files(), ids=rel)
def test_no_raw_html(path: Path) -> None:
    """No file turns off Streamlit's HTML escaping."""
    assert RAW_HTML_FLAG not in path.read_text(encoding="utf-8"), rel(path)


@pytest.mark.parametrize("path", python_files(), ids=rel)
def test_no_silenced_exceptions(path: Path) -> None:
    """No except block whose whole body is `pass` (or `...`)."""
    silent = [
        handler.lineno
        for handler in ast.walk(parse(path))
        if isinstance(handler, ast.ExceptHandler)
        and len(handler.body) == 1
        and (
            isinstance(handler.body[0], ast.Pass)
            or (
                isinstance(handler.body[0], ast.Expr)
                and isinstance(handler.body[0].value, ast.Constant)
                and handler.body[0].value.value is Ellipsis
            )
        )
    ]
    assert not silent, f"{rel(path)}: silenced exception at line(s) {silent}"


@pytest.mark.parametrize("path", python_files(), ids=rel)
def test_caching_lives_in_one_place(path: Path) -> None:
    """st.cache_data / st.cache_resource appear only in components/data.py (tests excepted)."""
    if rel(path) == CACHE_HOME or layer(path) == "tests":
        return
    used = [
        node.lineno
        for node in ast.walk(parse(path))
        if (isinstance(node, ast.Attribute) and node.attr in CACHE_DECORATORS)
        or (isinstance(node, ast.Name) and node.id in CACHE_DECORATORS)
        or (isinstance(node, ast.alias) and node.name in CACHE_DECORATORS)
    ]
    assert not used, f"{rel(path)} uses Streamlit caching at line(s) {used}"


PROJECT_PACKAGES = frozenset({"policies", "components", "views", "app"})
INTERFACE_LAYERS = frozenset({"components", "views", "app"})


@pytest.mark.parametrize(
    "path", [p for p in python_files() if layer(p) in INTERFACE_LAYERS], ids=rel
)
def test_the_interface_imports_project_code_only_at_the_top_of_a_module(path: Path) -> None:
    """An import of project code inside a function hides a cycle from the direction rule above."""
    nested = [
        node.lineno
        for func in ast.walk(parse(path))
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(func)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and imported_tops(ast.Module(body=[node], type_ignores=[])) & PROJECT_PACKAGES
    ]
    assert not nested, f"{rel(path)}: project import inside a function at line(s) {nested}"


# the package, its testing and components APIs, and the documented type of a container
STREAMLIT_PUBLIC = frozenset(
    {"streamlit", "streamlit.testing.v1", "streamlit.components.v1", "streamlit.delta_generator"}
)


@pytest.mark.parametrize(
    "path", [p for p in python_files() if layer(p) in INTERFACE_LAYERS], ids=rel
)
def test_the_interface_uses_only_streamlits_public_api(path: Path) -> None:
    """No import of Streamlit's internals (streamlit.runtime, .elements …) and no private
    attribute read by name (getattr(x, "_…")): they change without notice between releases."""
    tree = parse(path)
    internal = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("streamlit.")
        and node.module not in STREAMLIT_PUBLIC
    ] + [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        and any(
            a.name.startswith("streamlit.") and a.name not in STREAMLIT_PUBLIC for a in node.names
        )
    ]
    private = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "hasattr", "setattr"}
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
        and str(node.args[1].value).startswith("_")
    ]
    assert not internal, f"{rel(path)}: Streamlit internals imported at line(s) {internal}"
    assert not private, f"{rel(path)}: private attribute read by name at line(s) {private}"


@pytest.mark.parametrize(
    "path", [p for p in python_files() if layer(p) in INTERFACE_LAYERS], ids=rel
)
def test_every_widget_kept_in_the_url_says_how_the_url_writes_its_default(path: Path) -> None:
    """`bind=` is always `bound(key, default…)` (components.url_guard), so a link naming a
    widget's default is understood without reading Streamlit's private widget registry."""
    loose = [
        kw.value.lineno
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "bind"
        and not (
            isinstance(kw.value, ast.Call)
            and isinstance(kw.value.func, ast.Name)
            and kw.value.func.id == "bound"
        )
    ]
    assert not loose, f"{rel(path)}: bind= without bound(...) at line(s) {loose}"
