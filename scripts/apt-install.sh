#!/usr/bin/env bash
# Install Debian packages with apt-get, as root or through sudo, saying what it runs and why it
# cannot. Usage: scripts/apt-install.sh NAME PACKAGE...  (NAME prefixes every message).
# The install scripts (install-browser.sh, install-proxy.sh) decide what is missing; this runs it.
set -euo pipefail

name=$1
shift
packages=("$@")

if ! command -v apt-get >/dev/null 2>&1; then
    echo "$name: missing ${packages[*]} and apt-get is not available;" \
        "install these Debian packages by hand" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "$name: missing ${packages[*]}; installing needs root," \
        "and this user is not root and sudo is not available" >&2
    echo "$name: run as root: apt-get update && apt-get install -y ${packages[*]}" >&2
    exit 1
fi

echo "$name: missing ${packages[*]}; running ${SUDO[*]:+${SUDO[*]} }apt-get update"
if ! "${SUDO[@]}" apt-get update; then
    echo "$name: apt-get update failed" >&2
    exit 1
fi

echo "$name: running ${SUDO[*]:+${SUDO[*]} }apt-get install -y ${packages[*]}"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"; then
    echo "$name: apt-get install ${packages[*]} failed" >&2
    exit 1
fi
