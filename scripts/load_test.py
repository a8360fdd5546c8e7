"""Bounded server load test on 127.0.0.1: concurrent sessions through Streamlit's agent API.

Each session opens every page and runs one simulation (sets a profile input on the Simulate page);
the same number of sessions then drives a bare one-line page as the floor. Reports median and
worst request latency, errors and peak server RSS, for the production settings and (with
--compare-settings) for the development defaults. Stops by itself; talks to 127.0.0.1 only.
Run: .venv/bin/python scripts/load_test.py [--sessions 50] [--compare-settings]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_pages import Server  # noqa: E402

APP_STEPS: list[dict] = [
    {"page": "compare"},
    {"page": "targets"},
    {"page": "sources"},
    {"page": "simulate"},
    {"widget_state": {"sim_renovation_cost": 640}},
]
BARE_PAGE = 'import streamlit as st\nst.number_input("x", value=0, key="x")\n'
BARE_STEPS: list[dict] = [{"widget_state": {"x": i}} for i in range(1, len(APP_STEPS) + 1)]
REQUEST_TIMEOUT_S = 120


def _post(url: str, body: dict) -> tuple[float, dict]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        f"{url}_stcore/agent/interact", data=data, headers={"content-type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
        payload = json.loads(response.read())
    return time.perf_counter() - start, payload


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


def _session(url: str, steps: list[dict]) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    try:
        elapsed, snap = _post(url, {})
        latencies.append(elapsed)
        errors += _exceptions(snap.get("tree"))
        for step in steps:
            elapsed, snap = _post(url, {"session_id": snap["session_id"], **step})
            latencies.append(elapsed)
            errors += _exceptions(snap.get("tree"))
            if snap.get("status") != "ready":
                errors.append(f"status {snap.get('status')} after {step}")
    except OSError as err:
        errors.append(f"request failed: {err}")
    return latencies, errors


def run_load(script: Path, cwd: Path, steps: list[dict], sessions: int, production: bool) -> dict:
    """Start a server, drive `sessions` concurrent sessions, sample RSS, stop the server."""
    extra = ["--server.enableAgentApi", "true"]
    if not production:
        extra += ["--server.fileWatcherType", "auto", "--browser.gatherUsageStats", "true"]
    server = Server(script, cwd, extra_args=extra)
    peak = server.rss_mib()
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, server.rss_mib())
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            results = list(pool.map(lambda _: _session(server.url, steps), range(sessions)))
    finally:
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
        server.stop()
    latencies = [t for lat, _ in results for t in lat]
    errors = [e for _, errs in results for e in errs]
    return {
        "requests": len(latencies),
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "worst_ms": max(latencies) * 1000 if latencies else float("nan"),
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
        rows.append(("bare page", run_load(bare, Path(tmp), BARE_STEPS, args.sessions, True)))
    rows.append(
        (
            "app (production settings)",
            run_load(ROOT / "app.py", ROOT, APP_STEPS, args.sessions, True),
        )
    )
    if args.compare_settings:
        rows.append(
            (
                "app (file watcher and usage stats on)",
                run_load(ROOT / "app.py", ROOT, APP_STEPS, args.sessions, False),
            )
        )
    print(f"{args.sessions} concurrent sessions; each opens every page and runs one simulation")
    print(
        f"{'run':<40} {'requests':>8} {'median ms':>10} {'worst ms':>9} {'peak RSS MiB':>13} "
        f"{'wall s':>7} errors"
    )
    for name, r in rows:
        print(
            f"{name:<40} {r['requests']:>8} {r['median_ms']:>10.0f} {r['worst_ms']:>9.0f} "
            f"{r['peak_rss_mib']:>13.0f} {r['wall_s']:>7.1f} {len(r['errors'])}"
        )
    failed = [e for _, r in rows for e in r["errors"]]
    for error in failed[:10]:
        print("error:", error)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
