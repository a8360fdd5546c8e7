"""Security conventions, checked rather than remembered: settings, HTML, network, pins."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from tests.test_architecture import ROOT, parse, python_files, rel

APP_LAYERS = {"app", "views", "components", "policies"}
# Modules that open connections (urllib.parse, which only splits strings, is fine).
NETWORK_MODULES = (
    "urllib.request", "http.client", "socket", "ssl", "requests", "httpx", "aiohttp", "ftplib",
    "smtplib", "websocket",
)  # fmt: skip


def app_files() -> list[Path]:
    """The code that runs inside the app (not tests or scripts)."""
    out = []
    for path in python_files():
        parts = path.relative_to(ROOT).parts
        top = parts[0] if len(parts) > 1 else path.stem
        if top in APP_LAYERS:
            out.append(path)
    return out


def test_the_server_settings_keep_xsrf_on_uploads_small_and_statistics_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] <= 5  # MB: a table of carriers, no more
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["fileWatcherType"] == "none"


@pytest.mark.parametrize("path", app_files(), ids=rel)
def test_the_app_never_opens_a_network_connection(path: Path) -> None:
    """No module of the app imports a network client: it reads its own files only."""
    names = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    opened = {n for n in names for m in NETWORK_MODULES if n == m or n.startswith(m + ".")}
    assert not opened, f"{rel(path)}: {sorted(opened)}"


def _module_constants(tree: ast.Module) -> dict[str, object]:
    """Module-level NAME = <literal> assignments."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


@pytest.mark.parametrize("path", app_files(), ids=rel)
def test_raw_html_is_only_ever_a_constant_style_sheet(path: Path) -> None:
    """`st.html` receives a module-level string constant holding only a <style> block: no data
    can reach the browser as markup."""
    tree = parse(path)
    constants = _module_constants(tree)
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"html", "components"}
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "st"
        ):
            continue
        assert len(node.args) == 1 and not node.keywords, f"{rel(path)}:{node.lineno}"
        arg = node.args[0]
        assert isinstance(arg, ast.Name) and arg.id in constants, f"{rel(path)}:{node.lineno}"
        text = str(constants[arg.id]).strip()
        assert re.fullmatch(r"<style>[^<]*</style>", text), f"{rel(path)}:{node.lineno}"


def test_every_dependency_is_pinned() -> None:
    for name in ("requirements.txt", "constraints.txt"):
        lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        reqs = [ln.split("#")[0].strip() for ln in lines]
        reqs = [r for r in reqs if r and not r.startswith("-")]
        assert reqs, name
        loose = [r for r in reqs if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=<>~!\s]+", r)]
        assert loose == [], f"{name}: {loose}"
