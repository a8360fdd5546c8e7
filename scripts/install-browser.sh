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

"$(dirname "$0")/apt-install.sh" install-browser "${missing[@]}"

if [ ! -x "$CHROMIUM" ]; then
    echo "install-browser: chromium was installed but $CHROMIUM does not exist" >&2
    exit 1
fi

echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
