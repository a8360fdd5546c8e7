#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium for the browser tests, with a CJK font
# so that Chinese text renders in pages and screenshots. Playwright drives this system browser;
# it never downloads one of its own.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
missing=()

[ -x "$CHROMIUM" ] || missing+=(chromium)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }; then
    missing+=(fonts-noto-cjk)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-browser: $CHROMIUM and a Chinese font are present, nothing to do"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: missing ${missing[*]} and apt-get is not available;" \
        "install these Debian packages by hand" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install-browser: missing ${missing[*]}; installing needs root," \
        "and this user is not root and sudo is not available" >&2
    echo "install-browser: run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "install-browser: missing ${missing[*]}; running ${SUDO[*]:+${SUDO[*]} }apt-get update"
if ! "${SUDO[@]}" apt-get update; then
    echo "install-browser: apt-get update failed" >&2
    exit 1
fi

echo "install-browser: running ${SUDO[*]:+${SUDO[*]} }apt-get install -y ${missing[*]}"
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    "${missing[@]}"; then
    echo "install-browser: apt-get install ${missing[*]} failed" >&2
    exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "install-browser: chromium was installed but $CHROMIUM does not exist" >&2
    exit 1
fi

echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
