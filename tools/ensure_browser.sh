#!/usr/bin/env bash
# Chromium and a CJK font for the browser tests of the docs site (Debian's packages).
# Installs them when they are missing and we may (root with apt-get); otherwise
# says what is missing, and the browser tests skip (CI requires them: .ci/run).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # matplotlib caches the font list; a new font is invisible until it is rebuilt
  rm -f "${HOME:-/root}"/.cache/matplotlib/fontlist-*.json
else
  echo "note: ${missing[*]} not installed and not root: the browser tests will be skipped"
fi
