"""Bounded server load test on 127.0.0.1: concurrent sessions through Streamlit's agent API.

Each session opens every page and runs one simulation (sets a profile input on the Simulate page);
the same number of sessions then drives a bare one-line page as the floor. Every answer is
checked: status ready, no exception element, the page asked for, the value sent. Reports median
and worst request latency, errors and peak server RSS, for the production settings and (with
--compare-settings) for Streamlit's development defaults (file watcher and usage stats on).

Talks to 127.0.0.1 only, never through a proxy. Bounded: every HTTP request times out, a run that
outlasts the server's own wait (`wait_timed_out`) is collected within a step deadline, and no new
request starts after the run deadline; every server is stopped on the way out.
Run: .venv/bin/python scripts/load_test.py [--sessions 50] [--compare-settings]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_pages import DEVELOPMENT, LOCAL, PRODUCTION, Server  # noqa: E402

APP_STEPS: list[dict] = [
    {"page": "compare"},
    {"page": "targets"},
    {"page": "sources"},
    {"page": "simulate"},
    {"widget_state": {"sim_renovation_cost": 640}},
]
BARE_PAGE = 'import streamlit as st\nst.number_input("x", value=0, key="x")\n'
BARE_STEPS: list[dict] = [{"widget_state": {"x": i}} for i in range(1, len(APP_STEPS) + 1)]
REQUEST_TIMEOUT_S = 120  # one HTTP request
STEP_DEADLINE_S = 300  # one step, collecting a run that outlasted the server's wait included
RUN_DEADLINE_S = 900  # no session starts a new step after this; each run ends by ~RUN + STEP


class NoAnswer(Exception):
    """A request that got no snapshot back: refused, failed, or still running at its deadline."""


def _post(url: str, body: dict) -> tuple[int, dict]:
    """POST one interaction; the HTTP status and the JSON body, error statuses included."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"the load test talks to 127.0.0.1 only, not {url}")
    request = urllib.request.Request(
        f"{url}_stcore/agent/interact",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    try:
        with LOCAL.open(request, timeout=REQUEST_TIMEOUT_S) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        try:
            return err.code, json.loads(err.read())
        except ValueError:
            return err.code, {}


def interact(url: str, body: dict) -> tuple[float, dict, int]:
    """One step: seconds until its snapshot, the snapshot, and how many times the server's own
    wait ran out first (the run goes on, and is collected by sending only the session id)."""
    start = time.perf_counter()
    status, payload = _post(url, body)
    waits = 0
    while status == 202 and payload.get("error", {}).get("code") == "wait_timed_out":
        waits += 1
        if time.perf_counter() - start > STEP_DEADLINE_S:
            raise NoAnswer(f"run still going after {STEP_DEADLINE_S} s: {body}")
        status, payload = _post(url, {"session_id": payload["session_id"]})
    if status != 200:
        error = payload.get("error", {})
        raise NoAnswer(f"HTTP {status} {error.get('code')}: {error.get('message')} ({body})")
    return time.perf_counter() - start, payload, waits


def _find(node: object, key: str) -> dict | None:
    """The element with `key` in a snapshot tree."""
    if isinstance(node, dict) and node.get("key") == key:
        return node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found = _find(child, key)
        if found is not None:
            return found
    return None


def _exceptions(node: object) -> list[str]:
    """Messages of every exception element in a snapshot tree."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "exception":
            found.append(str(node.get("props", {}).get("message", node)))
        for value in node.values():
            found.extend(_exceptions(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_exceptions(value))
    return found


def check(snap: dict, step: dict) -> list[str]:
    """What is wrong with the snapshot a step got back: status, exceptions, page, values."""
    problems = [f"exception after {step}: {m}" for m in _exceptions(snap.get("tree"))]
    if snap.get("status") != "ready":
        problems.append(f"status {snap.get('status')} after {step}")
    if "page" in step and snap.get("page", {}).get("url_path") != step["page"]:
        problems.append(f"on page {snap.get('page')} after {step}")
    for key, value in step.get("widget_state", {}).items():
        element = _find(snap.get("tree"), key)
        if element is None or element.get("value") != value:
            problems.append(f"{key} is {element and element.get('value')} after {step}")
    return problems


@dataclass
class Session:
    """What one session saw: one latency per answered request, and every error."""

    planned: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    waits: int = 0


def run_session(url: str, steps: list[dict], deadline: float) -> Session:
    """Open a session, then take each step in it; stop at the first request left unanswered."""
    seen = Session(planned=1 + len(steps))
    session_id = None
    try:
        for step in [{}, *steps]:
            if time.monotonic() > deadline:
                raise NoAnswer(f"run deadline ({RUN_DEADLINE_S} s) passed before {step}")
            body = {**step, "session_id": session_id} if session_id else step
            elapsed, snap, waits = interact(url, body)
            session_id = snap["session_id"]
            seen.latencies.append(elapsed)
            seen.waits += waits
            seen.errors += check(snap, step)
    except (NoAnswer, OSError, ValueError, KeyError) as err:
        seen.errors.append(f"no answer: {type(err).__name__}: {err}")
    return seen


def file_watches(pid: int) -> int:
    """inotify instances the server holds: the file watcher's, 0 when it is off."""
    count = 0
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return 0  # the server has exited
    for fd in fds:
        try:
            count += "inotify" in os.readlink(fd)
        except OSError:
            continue  # closed while listing
    return count


def run_load(
    script: Path, cwd: Path, steps: list[dict], sessions: int, production: bool = True
) -> dict:
    """Start a server, drive `sessions` concurrent sessions, sample RSS, stop the server."""
    settings = PRODUCTION if production else DEVELOPMENT
    server = Server(script, cwd, extra_args=["--server.enableAgentApi=true"], settings=settings)
    peak = server.rss_mib()
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.2):
            peak = max(peak, server.rss_mib())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    deadline = time.monotonic() + RUN_DEADLINE_S
    try:
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            runs = [pool.submit(run_session, server.url, steps, deadline) for _ in range(sessions)]
            seen = [run.result() for run in runs]
        watches = file_watches(server.proc.pid)
    finally:
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
        server.stop()
    latencies = [t for s in seen for t in s.latencies]
    errors = [e for s in seen for e in s.errors]
    watcher_on = settings["server.fileWatcherType"] != "none"
    if bool(watches) != watcher_on:
        errors.append(f"file watcher set to {settings['server.fileWatcherType']}, {watches} found")
    return {
        "settings": settings,
        "planned": sum(s.planned for s in seen),
        "requests": len(latencies),
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "worst_ms": max(latencies) * 1000 if latencies else float("nan"),
        "waits": sum(s.waits for s in seen),
        "file_watches": watches,
        "errors": errors,
        "peak_rss_mib": peak,
        "wall_s": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--compare-settings", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_PAGE)
        rows.append(("bare page", run_load(bare, Path(tmp), BARE_STEPS, args.sessions)))
    rows.append(
        ("app, production settings", run_load(ROOT / "app.py", ROOT, APP_STEPS, args.sessions))
    )
    if args.compare_settings:
        rows.append(
            (
                "app, development defaults",
                run_load(ROOT / "app.py", ROOT, APP_STEPS, args.sessions, production=False),
            )
        )
    print(f"{args.sessions} concurrent sessions; each opens every page and runs one simulation")
    print(
        f"{'run':<28} {'answered':>9} {'median ms':>10} {'worst ms':>9} {'peak RSS MiB':>13} "
        f"{'wall s':>7} {'watcher':>7} errors"
    )
    for name, r in rows:
        answered = f"{r['requests']}/{r['planned']}"
        watcher = "on" if r["file_watches"] else "off"
        print(
            f"{name:<28} {answered:>9} {r['median_ms']:>10.0f} {r['worst_ms']:>9.0f} "
            f"{r['peak_rss_mib']:>13.0f} {r['wall_s']:>7.1f} {watcher:>7} {len(r['errors'])}"
        )
    for name, r in rows:
        options = " ".join(f"{k}={v}" for k, v in r["settings"].items())
        waits = f"; {r['waits']} runs outlasted server.agentWaitTimeout" if r["waits"] else ""
        print(f"{name}: {options}{waits}")
    failed = [e for _, r in rows for e in r["errors"]]
    for error in failed[:10]:
        print("error:", error)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
