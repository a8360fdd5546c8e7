#!/usr/bin/env bash
# Make sure Debian's haproxy is on the PATH for `make serve`, `make load` and the serving test.
# It is only installed, never enabled as a system service: scripts/serve.py runs it in the
# foreground with its own configuration.
set -euo pipefail

if command -v haproxy >/dev/null 2>&1; then
    echo "install-proxy: $(command -v haproxy) is present, nothing to do"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-proxy: haproxy is missing and apt-get is not available;" \
        "install the Debian package haproxy by hand" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install-proxy: haproxy is missing; installing needs root," \
        "and this user is not root and sudo is not available" >&2
    echo "install-proxy: run as root: apt-get update && apt-get install -y haproxy" >&2
    exit 1
fi

echo "install-proxy: haproxy is missing; running ${SUDO[*]:+${SUDO[*]} }apt-get update"
if ! "${SUDO[@]}" apt-get update; then
    echo "install-proxy: apt-get update failed" >&2
    exit 1
fi

echo "install-proxy: running ${SUDO[*]:+${SUDO[*]} }apt-get install -y haproxy"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y haproxy; then
    echo "install-proxy: apt-get install haproxy failed" >&2
    exit 1
fi

if ! command -v haproxy >/dev/null 2>&1; then
    echo "install-proxy: haproxy was installed but is not on the PATH" >&2
    exit 1
fi

echo "install-proxy: installed $(haproxy -v 2>/dev/null | head -n 1)"
