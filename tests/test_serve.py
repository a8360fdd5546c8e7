"""Serving sturdiness: scripts/serve.py's HAProxy in front of two Streamlit processes.

Starts the real entry point (`scripts/serve.py --replicas 2` on a free port of 127.0.0.1, agent
API on), then checks the health check through the proxy, stickiness by the SERVERID cookie, the
websocket upgrade, a few agent-API sessions with every answer checked, and a run in which one
process is killed (0 sessions lost). Asserts outcomes only, never a time. Every wait is bounded,
and every process is stopped at the end.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.load_test import APP_STEPS, RUN_DEADLINE_S, run_proxied, run_session
from scripts.serve import free_port, healthy

ROOT = Path(__file__).resolve().parents[1]
START_LIMIT_S = 120
STOP_LIMIT_S = 60
SESSIONS = 4
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        shutil.which("haproxy") is None, reason="haproxy is not installed: run `make proxy`"
    ),
]


@dataclass
class Served:
    """A running `scripts/serve.py`: its public address and its processes' internal ports."""

    url: str
    ports: dict[str, int]


def _wait_for_line(log: Path, pattern: str, proc: subprocess.Popen[bytes]) -> re.Match[str]:
    """The first line of the log matching `pattern`, waiting at most START_LIMIT_S."""
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text())
        if found:
            return found
        if proc.poll() is not None:
            pytest.fail(f"serve.py exited with {proc.returncode}: {log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"serve.py printed no {pattern!r} within {START_LIMIT_S} s: {log.read_text()}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`scripts/serve.py --replicas 2 --agent-api` on a free port; stopped by SIGTERM after."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "scripts/serve.py", "--replicas", "2", "--port", str(port),
             "--agent-api"],
            cwd=ROOT, stdout=out, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    try:
        _wait_for_line(log, r"HAProxy on http://127\.0\.0\.1:\d+/", proc)
        listed = re.findall(r"(st\d) on 127\.0\.0\.1:(\d+)", log.read_text())
        yield Served(f"http://127.0.0.1:{port}/", {name: int(p) for name, p in listed})
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_LIMIT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_LIMIT_S)
            pytest.fail("serve.py did not stop on SIGTERM")


def _get(url: str, cookie: str | None = None) -> tuple[str | None, str | None]:
    """GET through the proxy: which process answered, and the SERVERID cookie it set if any."""
    headers = {"cookie": f"SERVERID={cookie}"} if cookie else {}
    request = urllib.request.Request(url, headers=headers)
    with LOCAL.open(request, timeout=30) as response:
        assert response.status == 200
        set_cookies = response.headers.get_all("set-cookie") or []
        server_ids = [c.split(";")[0].split("=", 1)[1] for c in set_cookies if "SERVERID=" in c]
        return response.headers.get("x-served-by"), server_ids[0] if server_ids else None


def test_the_proxy_answers_the_health_check_and_lists_two_processes(served: Served) -> None:
    assert healthy(f"{served.url}_stcore/health")
    assert sorted(served.ports) == ["st1", "st2"]
    for port in served.ports.values():
        assert healthy(f"http://127.0.0.1:{port}/_stcore/health")


def test_a_session_sticks_to_one_process_by_cookie(served: Served) -> None:
    process, cookie = _get(f"{served.url}_stcore/health")

    assert cookie is not None and cookie == process
    for _ in range(6):
        again, new_cookie = _get(f"{served.url}_stcore/health", cookie)
        assert again == process
        assert new_cookie is None  # a valid cookie is kept, not replaced


def test_new_sessions_without_a_cookie_spread_over_both_processes(served: Served) -> None:
    processes = {_get(f"{served.url}_stcore/health")[0] for _ in range(6)}

    assert processes == {"st1", "st2"}


def test_a_websocket_upgrade_goes_through_the_proxy_to_the_session_process(
    served: Served,
) -> None:
    process, cookie = _get(f"{served.url}_stcore/health")
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    handshake = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        f"Origin: http://127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n"
        f"Cookie: SERVERID={cookie}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(handshake.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    head = answer.decode(errors="replace").lower()

    assert head.startswith("http/1.1 101"), head
    assert f"x-served-by: {process}" in head


def test_agent_sessions_through_the_proxy_get_every_page_without_error(served: Served) -> None:
    deadline = time.monotonic() + RUN_DEADLINE_S
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        runs = [pool.submit(run_session, served.url, APP_STEPS, deadline) for _ in range(SESSIONS)]
        seen = [run.result() for run in runs]

    assert [s.errors for s in seen] == [[]] * SESSIONS
    assert [len(s.latencies) for s in seen] == [1 + len(APP_STEPS)] * SESSIONS


def test_no_session_is_lost_when_a_process_is_killed_mid_run() -> None:
    result = run_proxied(ROOT / "app.py", ROOT, APP_STEPS, SESSIONS, replicas=2, kill=True)

    assert len(result["killed"]) == 1
    assert result["errors"] == []
    assert result["lost"] == 0
    assert result["finished"] == SESSIONS
    assert result["recovered"] >= 1  # the killed process held a session with a step to take
    assert result["requests"] == result["planned"]
