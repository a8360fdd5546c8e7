#!/usr/bin/env bash
# Make sure Debian's haproxy is on the PATH for `make serve`, `make load` and the serving test.
# It is only installed, never enabled as a system service: scripts/serve.py runs it in the
# foreground with its own configuration.
set -euo pipefail

if command -v haproxy >/dev/null 2>&1; then
    echo "install-proxy: $(command -v haproxy) is present, nothing to do"
    exit 0
fi

"$(dirname "$0")/apt-install.sh" install-proxy haproxy

if ! command -v haproxy >/dev/null 2>&1; then
    echo "install-proxy: haproxy was installed but is not on the PATH" >&2
    exit 1
fi

echo "install-proxy: installed $(haproxy -v 2>/dev/null | head -n 1)"
