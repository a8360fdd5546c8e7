"""Fixtures for real-browser tests: a `streamlit run` server and headless Debian chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from scripts import chromium

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(chromium.EXECUTABLE)
STARTUP_TIMEOUT_S = 60.0


def _free_port() -> int:
    """Ask the OS for a free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll the health endpoint until it answers ok, the server exits, or time runs out."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            last = str(err)
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout:.0f} s ({last})")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """The system chromium; missing fails under CI and skips elsewhere."""
    if CHROMIUM.exists():
        return CHROMIUM
    reason = f"{CHROMIUM} not found: run `make browser` (scripts/install-browser.sh)"
    if os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}:
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def running_app(log_dir: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port, stopped on exit; yields its base URL."""
    port = _free_port()
    log_path = log_dir / "server.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, STARTUP_TIMEOUT_S)
            except (RuntimeError, TimeoutError) as err:
                log.flush()
                pytest.fail(f"{err}\n--- server log ---\n{log_path.read_text(errors='replace')}")
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the whole browser session."""
    with running_app(tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture()
def fresh_app_url(chromium_path: Path, tmp_path: Path) -> Iterator[str]:
    """A server of its own that no session has visited yet."""
    with running_app(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """A headless chromium driven by Playwright's sync API."""
    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=chromium.ARGS
        )
        try:
            yield instance
        finally:
            instance.close()
