"""Code-health rules over every Python file: import direction and banned patterns."""

from __future__ import annotations

import ast
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


def python_files() -> list[Path]:
    """Every .py file of the project, outside virtualenvs, caches and artifacts."""
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts)
    )


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
