"""Serve the app as several Streamlit processes behind HAProxy, on one public port.

Each process runs `streamlit run app.py` with the production settings on its own port of
127.0.0.1; HAProxy (config from deploy/haproxy.cfg.template) balances new sessions round-robin,
keeps each one on its process by the SERVERID cookie, tunnels the websockets and checks every
process's /_stcore/health. SIGINT and SIGTERM stop every child; a process that dies is started
again on its port.
Run: .venv/bin/python scripts/serve.py [--replicas N] [--host 127.0.0.1] [--port 8501]
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from string import Template
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "haproxy.cfg.template"
# Production settings, passed on the command line so that they hold wherever the script lives
# (the same as scripts/bench_pages.py PRODUCTION and .streamlit/config.toml).
PRODUCTION = {"server.fileWatcherType": "none", "browser.gatherUsageStats": "false"}
# Loopback only, never through a proxy from the environment.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
HEALTH_LIMIT_S = 60  # a process or the proxy that is not healthy by then is a failed start
STOP_LIMIT_S = 20  # per child, after SIGTERM and before SIGKILL


class ServeError(Exception):
    """A start that cannot go on: a missing haproxy, a bad option, a child that did not come up."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB; 0 once it has exited."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def healthy(url: str) -> bool:
    """Whether `url` answers 200 right now."""
    try:
        with LOCAL.open(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def haproxy_config(host: str, port: int, backends: list[tuple[str, int]]) -> str:
    """The HAProxy configuration: the template with the public address and one line per process."""
    servers = "\n".join(f"    server {name} 127.0.0.1:{p} cookie {name}" for name, p in backends)
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return Template(TEMPLATE.read_text()).substitute(bind=bind, servers=servers)


class Replica:
    """One `streamlit run` on 127.0.0.1 and an internal port, named as HAProxy names it."""

    def __init__(self, name: str, command: list[str], port: int, cwd: Path, env: dict[str, str],
                 quiet: bool) -> None:  # fmt: skip
        self.name = name
        self.port = port
        self._command = [*command, f"--server.port={port}"]
        self._cwd = cwd
        self._env = env
        self._quiet = quiet
        self.proc = self._spawn()

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self._command,
            cwd=self._cwd,
            env=self._env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if self._quiet else None,
        )

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/_stcore/health"

    def restart(self) -> None:
        """Start the process again on the same port (after it died)."""
        self.proc = self._spawn()

    def kill(self) -> None:
        """SIGKILL, as a crash would: no cleanup, every session it held is gone."""
        self.proc.kill()
        self.proc.wait(timeout=STOP_LIMIT_S)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to every process at once, then SIGKILL to any still there after STOP_LIMIT_S."""
    running = [proc for proc in procs if proc.poll() is None]
    for proc in running:
        proc.terminate()
    for proc in running:
        try:
            proc.wait(timeout=STOP_LIMIT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_LIMIT_S)


class Cluster:
    """N Streamlit processes behind one HAProxy; a context manager that stops them all."""

    def __init__(
        self,
        replicas: int,
        host: str = "127.0.0.1",
        port: int | None = None,
        script: Path = ROOT / "app.py",
        cwd: Path = ROOT,
        extra_args: list[str] | None = None,
        quiet: bool = True,
    ) -> None:
        if replicas < 1:
            raise ServeError(f"--replicas must be at least 1, not {replicas}")
        self.haproxy = shutil.which("haproxy")
        if self.haproxy is None:
            raise ServeError("haproxy is not installed: run `make proxy` (Debian package haproxy)")
        self.host = host
        self.port = port if port is not None else free_port()
        self.replicas: list[Replica] = []
        self.proxy: subprocess.Popen[bytes] | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="atlas-serve-")
        self.config_path = Path(self._tmp.name) / "haproxy.cfg"
        # One cookie secret for every process, so that a browser moved to another process (its
        # own died) still passes the XSRF check there. Passed in the environment, not in argv.
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        options = [f"--{name}={value}" for name, value in PRODUCTION.items()]
        command = [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.headless=true", "--server.address=127.0.0.1", *options, *(extra_args or []),
        ]  # fmt: skip
        try:
            for index in range(replicas):
                replica = Replica(f"st{index + 1}", command, free_port(), cwd, env, quiet)
                self.replicas.append(replica)
            for replica in self.replicas:
                self._wait(replica.health_url, replica.name, replica.proc)
            backends = [(r.name, r.port) for r in self.replicas]
            self.config_path.write_text(haproxy_config(host, self.port, backends))
            check = subprocess.run(
                [self.haproxy, "-c", "-f", str(self.config_path)],
                capture_output=True, text=True, timeout=30,
            )  # fmt: skip
            if check.returncode != 0:
                alerts = [line for line in check.stderr.splitlines() if "ALERT" in line]
                raise ServeError(f"haproxy refused its configuration: {' '.join(alerts)}")
            self.proxy = subprocess.Popen(
                [self.haproxy, "-f", str(self.config_path), "-db"],
                stdout=subprocess.DEVNULL if quiet else None,
                stderr=subprocess.DEVNULL if quiet else None,
            )
            self._wait(f"{self.local_url}_stcore/health", "haproxy", self.proxy)
        except BaseException:
            self.stop()
            raise

    @property
    def url(self) -> str:
        """The public address."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def local_url(self) -> str:
        """The public port seen from this machine (the proxy may listen on every address)."""
        unspecified = self.host in ("0.0.0.0", "::")
        return f"http://127.0.0.1:{self.port}/" if unspecified else self.url

    def _wait(self, url: str, name: str, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + HEALTH_LIMIT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ServeError(f"{name} exited with code {proc.returncode} while starting")
            if healthy(url):
                return
            time.sleep(0.1)
        raise ServeError(f"{name} did not answer {url} within {HEALTH_LIMIT_S} s")

    def rss_mib(self) -> float:
        """Resident memory of every Streamlit process together."""
        return sum(rss_mib(r.proc.pid) for r in self.replicas)

    def stop(self) -> None:
        """Stop the proxy first (no new requests), then every process; remove the config."""
        if self.proxy is not None:
            _stop([self.proxy])
        _stop([replica.proc for replica in self.replicas])
        self._tmp.cleanup()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _address(value: str) -> str:
    """An IP address to listen on, or a clear message."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"HOST must be an IP address, not {value!r}") from None


def _port(value: str) -> int:
    """A TCP port number, or a clear message."""
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"PORT must be a number from 1 to 65535, not {value!r}")
    return int(value)


def _replicas(value: str) -> int:
    """A positive number of processes, or a clear message."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"REPLICAS must be a whole number ≥ 1, not {value!r}")
    return int(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicas", type=_replicas, default=os.cpu_count() or 1)
    parser.add_argument("--host", type=_address, default="127.0.0.1")
    parser.add_argument("--port", type=_port, default=8501)
    parser.add_argument(
        "--agent-api", action="store_true", help="also serve Streamlit's agent API (load tests)"
    )
    args = parser.parse_args()
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    extra = ["--server.enableAgentApi=true"] if args.agent_api else []
    try:
        cluster = Cluster(args.replicas, args.host, args.port, extra_args=extra, quiet=False)
    except ServeError as err:
        print(f"serve: {err}", file=sys.stderr)
        return 1
    with cluster:
        ports = ", ".join(f"{r.name} on 127.0.0.1:{r.port}" for r in cluster.replicas)
        print(f"serve: {len(cluster.replicas)} Streamlit processes ({ports})", flush=True)
        print(
            f"serve: HAProxy on {cluster.url} (config {cluster.config_path}); Ctrl-C stops all",
            flush=True,
        )
        while not stopping.wait(1):
            if cluster.proxy is None or cluster.proxy.poll() is not None:
                print("serve: haproxy exited; stopping every process", file=sys.stderr)
                return 1
            for replica in cluster.replicas:
                if replica.proc.poll() is not None:
                    print(
                        f"serve: {replica.name} exited with code {replica.proc.returncode}; "
                        "starting it again (its sessions reopen from their links elsewhere)",
                        file=sys.stderr,
                    )
                    replica.restart()
        print("serve: stopping every process")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
