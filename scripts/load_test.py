"""Bounded server load test on 127.0.0.1: concurrent sessions through Streamlit's agent API.

Each session opens every page and runs one simulation (sets a profile input on the Simulate page);
the same number of sessions then drives a bare one-line page as the floor. Every answer is
checked: status ready, no exception element, the page asked for, the value sent. Reports median
and worst request latency, errors and peak server RSS, for the production settings and (with
--compare-settings) for Streamlit's development defaults (file watcher and usage stats on).

With --replicas N the same load also goes through scripts/serve.py (HAProxy in front of N
processes), beside one process, each session keeping the proxy's SERVERID cookie in its own jar.
With --kill, one process is killed (SIGKILL) once a third of the requests are answered: a session
whose request fails because its process died retries once without its cookie, on another process,
reopening its view from its link (page and query parameters) and replaying the step; the report
counts sessions finished, recovered and lost.

Talks to 127.0.0.1 only (the proxy listens there too), never through a proxy from the environment.
Bounded: every HTTP request times out, a run that outlasts the server's own wait (`wait_timed_out`)
is collected within a step deadline, and no new request starts after the run deadline; every
server is stopped on the way out.
Run: .venv/bin/python scripts/load_test.py [--sessions 50] [--compare-settings]
     [--replicas N [--kill]]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_pages import DEVELOPMENT, PRODUCTION, Server  # noqa: E402
from scripts.serve import Cluster, Replica  # noqa: E402

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
KILL_AT = 1 / 3  # --kill: the share of planned requests answered when one process is killed
# Answers that mean "the process holding this session is gone": the proxy found no process or
# lost it mid-request (502, 503, 504), or sent the request to another one that never knew it.
GONE_STATUSES = (502, 503, 504)


class NoAnswer(Exception):
    """A request that got no snapshot back: refused, failed, or still running at its deadline."""

    def __init__(self, message: str, process_gone: bool = False) -> None:
        super().__init__(message)
        self.process_gone = process_gone  # the process holding the session died or vanished


class Client:
    """One session's HTTP client: loopback only, with its own cookie jar, so the proxy's SERVERID
    cookie keeps the session on one process; remembers which process answered last."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.served_by: str | None = None

    def forget_process(self) -> None:
        """Drop the SERVERID cookie: the proxy picks a live process for the next request."""
        self.jar.clear()
        self.served_by = None


def _post(url: str, body: dict, client: Client) -> tuple[int, dict]:
    """POST one interaction; the HTTP status and the JSON body, error statuses included.
    A connection that fails or breaks raises NoAnswer with process_gone set."""
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"the load test talks to 127.0.0.1 only, not {url}")
    request = urllib.request.Request(
        f"{url}_stcore/agent/interact",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    try:
        with client.opener.open(request, timeout=REQUEST_TIMEOUT_S) as response:
            client.served_by = response.headers.get("x-served-by", client.served_by)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        try:
            return err.code, json.loads(err.read())
        except ValueError:
            return err.code, {}
    except (OSError, http.client.HTTPException) as err:
        raise NoAnswer(f"{type(err).__name__}: {err} ({body})", process_gone=True) from err


def interact(url: str, body: dict, client: Client | None = None) -> tuple[float, dict, int]:
    """One step: seconds until its snapshot, the snapshot, and how many times the server's own
    wait ran out first (the run goes on, and is collected by sending only the session id)."""
    client = client or Client()
    start = time.perf_counter()
    status, payload = _post(url, body, client)
    waits = 0
    while status == 202 and payload.get("error", {}).get("code") == "wait_timed_out":
        waits += 1
        if time.perf_counter() - start > STEP_DEADLINE_S:
            raise NoAnswer(f"run still going after {STEP_DEADLINE_S} s: {body}")
        status, payload = _post(url, {"session_id": payload["session_id"]}, client)
    if status != 200:
        error = payload.get("error", {})
        gone = status in GONE_STATUSES or error.get("code") == "unknown_session"
        raise NoAnswer(f"HTTP {status} {error.get('code')}: {error.get('message')} ({body})", gone)
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
    """What one session saw: one latency per answered step, every error, and its recoveries."""

    planned: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    waits: int = 0
    recoveries: int = 0  # steps replayed on another process after this session's process died
    done: bool = False


class Progress:
    """Answered requests across every session, and which process each unfinished session is on;
    `reached` is set once `threshold` requests are answered."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.reached = threading.Event()
        if threshold <= 0:
            self.reached.set()
        self._lock = threading.Lock()
        self._answered = 0
        self._where: dict[int, str | None] = {}

    def answered(self, session: int, served_by: str | None, last: bool) -> None:
        """Count one answer; a session that got its last answer no longer holds a process."""
        with self._lock:
            self._answered += 1
            if last:
                self._where.pop(session, None)
            else:
                self._where[session] = served_by
            if self._answered >= self.threshold:
                self.reached.set()

    def finished(self, session: int) -> None:
        """The session stopped (done or lost)."""
        with self._lock:
            self._where.pop(session, None)

    def busy_processes(self) -> list[str]:
        """Processes holding a session with a step still to take, most sessions first."""
        with self._lock:
            names = [name for name in self._where.values() if name]
        return sorted(set(names), key=lambda name: -names.count(name))


def _view(snap: dict) -> dict:
    """What a link to the snapshot's view holds: its page and its query parameters."""
    view: dict = {"query_params": snap.get("query_params") or {}}
    if snap.get("page", {}).get("url_path"):
        view["page"] = snap["page"]["url_path"]
    return view


def _reopen(url: str, view: dict, step: dict, client: Client) -> tuple[float, dict, int]:
    """Open a new session from the view's link on whichever process the proxy picks, then take
    the step again; a navigation step or the opening call is itself the new session's first call."""
    if "widget_state" not in step and "trigger" not in step:
        return interact(url, step, client)
    opened_s, snap, opened_waits = interact(url, view, client)
    if "page" in view and snap.get("page", {}).get("url_path") != view["page"]:
        raise NoAnswer(f"reopened {view} but landed on {snap.get('page')}")
    elapsed, snap, waits = interact(url, {**step, "session_id": snap["session_id"]}, client)
    return opened_s + elapsed, snap, opened_waits + waits


def run_session(
    url: str,
    steps: list[dict],
    deadline: float,
    recover: bool = False,
    progress: Progress | None = None,
    number: int = 0,
) -> Session:
    """Open a session, then take each step in it; stop at the first request left unanswered.
    With `recover`, a step whose process died is retried once elsewhere from the view's link."""
    seen = Session(planned=1 + len(steps))
    client = Client()
    session_id = None
    view: dict = {}
    try:
        for index, step in enumerate([{}, *steps]):
            if time.monotonic() > deadline:
                raise NoAnswer(f"run deadline ({RUN_DEADLINE_S} s) passed before {step}")
            body = {**step, "session_id": session_id} if session_id else step
            try:
                elapsed, snap, waits = interact(url, body, client)
            except NoAnswer as err:
                if not (recover and err.process_gone):
                    raise
                client.forget_process()
                elapsed, snap, waits = _reopen(url, view, step, client)
                seen.recoveries += 1
            session_id = snap["session_id"]
            view = _view(snap)
            seen.latencies.append(elapsed)
            seen.waits += waits
            seen.errors += check(snap, step)
            if progress is not None:
                progress.answered(number, client.served_by, last=index == len(steps))
    except (NoAnswer, OSError, ValueError, KeyError) as err:
        seen.errors.append(f"no answer: {type(err).__name__}: {err}")
    seen.done = not seen.errors
    if progress is not None:
        progress.finished(number)
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


def _drive(
    url: str,
    steps: list[dict],
    sessions: int,
    rss_mib: Callable[[], float],
    recover: bool = False,
    progress: Progress | None = None,
) -> tuple[list[Session], float, float]:
    """Drive `sessions` concurrent sessions at `url` while sampling memory: what each session
    saw, the peak RSS (MiB) and the wall time (s)."""
    peak = rss_mib()
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.2):
            peak = max(peak, rss_mib())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    deadline = time.monotonic() + RUN_DEADLINE_S
    try:
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            runs = [
                pool.submit(run_session, url, steps, deadline, recover, progress, number)
                for number in range(sessions)
            ]
            seen = [run.result() for run in runs]
    finally:
        stop.set()
        sampler.join()
    return seen, peak, time.perf_counter() - start


def _summary(seen: list[Session], peak: float, wall: float) -> dict:
    """Latencies, errors and session outcomes of one run."""
    latencies = [t for s in seen for t in s.latencies]
    return {
        "planned": sum(s.planned for s in seen),
        "requests": len(latencies),
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "worst_ms": max(latencies) * 1000 if latencies else float("nan"),
        "waits": sum(s.waits for s in seen),
        "errors": [e for s in seen for e in s.errors],
        "finished": sum(s.done for s in seen),
        "recovered": sum(s.done and s.recoveries > 0 for s in seen),
        "lost": sum(not s.done for s in seen),
        "peak_rss_mib": peak,
        "wall_s": wall,
    }


def run_load(
    script: Path, cwd: Path, steps: list[dict], sessions: int, production: bool = True
) -> dict:
    """Start a server, drive `sessions` concurrent sessions, sample RSS, stop the server."""
    settings = PRODUCTION if production else DEVELOPMENT
    server = Server(script, cwd, extra_args=["--server.enableAgentApi=true"], settings=settings)
    try:
        seen, peak, wall = _drive(server.url, steps, sessions, server.rss_mib)
        watches = file_watches(server.proc.pid)
    finally:
        server.stop()
    result = {**_summary(seen, peak, wall), "settings": settings, "file_watches": watches}
    watcher_on = settings["server.fileWatcherType"] != "none"
    if bool(watches) != watcher_on:
        result["errors"].append(
            f"file watcher set to {settings['server.fileWatcherType']}, {watches} found"
        )
    return result


def run_proxied(
    script: Path, cwd: Path, steps: list[dict], sessions: int, replicas: int, kill: bool = False
) -> dict:
    """The same load through scripts/serve.py's HAProxy and `replicas` processes (production
    settings). With `kill`, one process holding unfinished sessions is killed (SIGKILL) once
    KILL_AT of the requests are answered, and sessions recover on the others."""
    extra = ["--server.enableAgentApi=true"]
    planned = sessions * (1 + len(steps))
    progress = Progress(int(planned * KILL_AT)) if kill else None
    killed: list[str] = []
    ended = threading.Event()

    def killer(cluster: Cluster, progress: Progress) -> None:
        if not progress.reached.wait(RUN_DEADLINE_S) or ended.is_set():
            return
        by_name = {replica.name: replica for replica in cluster.replicas}
        busy = progress.busy_processes()
        target: Replica = by_name[busy[0]] if busy else cluster.replicas[0]
        target.kill()
        killed.append(target.name)

    with Cluster(replicas, script=script, cwd=cwd, extra_args=extra) as cluster:
        watcher = None
        if progress is not None:
            watcher = threading.Thread(target=killer, args=(cluster, progress), daemon=True)
            watcher.start()
        try:
            seen, peak, wall = _drive(cluster.url, steps, sessions, cluster.rss_mib, kill, progress)
        finally:
            ended.set()
            if progress is not None and watcher is not None:
                progress.reached.set()  # a run that ended early releases the killer
                watcher.join(timeout=30)
        watches = sum(file_watches(r.proc.pid) for r in cluster.replicas)
    result = {**_summary(seen, peak, wall), "settings": PRODUCTION, "file_watches": watches}
    result["replicas"] = replicas
    result["killed"] = killed
    if kill and not killed:
        result["errors"].append("no process was killed: the run ended before KILL_AT")
    if watches:
        result["errors"].append(f"file watcher set to none, {watches} found")
    return result


def _positive(value: str) -> int:
    """A whole number ≥ 1, or a clear message."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, not {value!r}")
    return int(value)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b and b == b and a == a else "n/a"


def print_report(sessions: int, rows: list[tuple[str, str, dict]]) -> None:
    """One line per run beside its floor (the bare page, same number of processes)."""
    floors = {floor: r for name, floor, r in rows if name == floor}
    print(f"{sessions} concurrent sessions; each opens every page and runs one simulation")
    print(
        f"{'run':<34} {'answered':>9} {'median ms':>10} {'worst ms':>9} {'× floor':>8} "
        f"{'peak RSS MiB':>13} {'wall s':>7} {'watcher':>7} {'finished':>8} {'recovered':>9} "
        f"{'lost':>5} errors"
    )
    for name, floor, r in rows:
        answered = f"{r['requests']}/{r['planned']}"
        watcher = "on" if r["file_watches"] else "off"
        ratio = _ratio(r["median_ms"], floors[floor]["median_ms"]) if floor in floors else "n/a"
        print(
            f"{name:<34} {answered:>9} {r['median_ms']:>10.0f} {r['worst_ms']:>9.0f} "
            f"{ratio:>8} {r['peak_rss_mib']:>13.0f} {r['wall_s']:>7.1f} {watcher:>7} "
            f"{r['finished']:>8} {r['recovered']:>9} {r['lost']:>5} {len(r['errors'])}"
        )
    by_name = {name: r for name, _, r in rows}
    for kind in ("bare page", "app"):
        one, many = by_name.get(f"{kind}, 1 process"), None
        for name, r in by_name.items():
            if name.startswith(f"{kind}, ") and name.endswith("processes"):
                many = (name, r)
        if one and many:
            name, r = many
            print(
                f"{name} vs 1 process: median {_ratio(r['median_ms'], one['median_ms'])}, "
                f"worst {_ratio(r['worst_ms'], one['worst_ms'])}, "
                f"wall {_ratio(r['wall_s'], one['wall_s'])}"
            )
    for name, _, r in rows:
        options = " ".join(f"{k}={v}" for k, v in r["settings"].items())
        waits = f"; {r['waits']} runs outlasted server.agentWaitTimeout" if r["waits"] else ""
        killed = f"; killed {', '.join(r['killed'])} (SIGKILL)" if r.get("killed") else ""
        print(f"{name}: {options}{waits}{killed}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=_positive, default=50)
    parser.add_argument("--compare-settings", action="store_true")
    parser.add_argument(
        "--replicas", type=_positive, help="also run through HAProxy and this many processes"
    )
    parser.add_argument(
        "--kill", action="store_true", help="kill one process mid-run (needs --replicas ≥ 2)"
    )
    args = parser.parse_args()
    if args.kill and (args.replicas or 0) < 2:
        parser.error("--kill needs --replicas 2 or more: a session needs a process to move to")
    if args.replicas and args.compare_settings:
        parser.error("--compare-settings runs one process; run it apart from --replicas")
    n = args.replicas
    app = ROOT / "app.py"
    one, many = "bare page, 1 process", f"bare page, {n} processes"
    rows: list[tuple[str, str, dict]] = []  # (run, its floor, result)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_PAGE)
        if not args.kill:
            rows.append((one, one, run_load(bare, Path(tmp), BARE_STEPS, args.sessions)))
        if n:
            rows.append((many, many, run_proxied(bare, Path(tmp), BARE_STEPS, args.sessions, n)))
    if n and args.kill:
        result = run_proxied(app, ROOT, APP_STEPS, args.sessions, n, kill=True)
        rows.append((f"app, {n} processes, one killed", many, result))
    else:
        rows.append(("app, 1 process", one, run_load(app, ROOT, APP_STEPS, args.sessions)))
    if n and not args.kill:
        result = run_proxied(app, ROOT, APP_STEPS, args.sessions, n)
        rows.append((f"app, {n} processes", many, result))
    if args.compare_settings:
        result = run_load(app, ROOT, APP_STEPS, args.sessions, production=False)
        rows.append(("app, development defaults", one, result))
    print_report(args.sessions, rows)
    failed = [e for _, _, r in rows for e in r["errors"]]
    for error in failed[:10]:
        print("error:", error)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
