"""How the benchmarks and the browser tests launch Debian's headless Chromium."""

from __future__ import annotations

EXECUTABLE = "/usr/bin/chromium"
# No sandbox (containers), no GPU, and none of Chromium's own traffic: the browser only talks to
# the app under test on 127.0.0.1.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
