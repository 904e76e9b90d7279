#!/usr/bin/env bash
# Install (as root, from Debian's packages) the headless Chromium that the HTML
# report's browser test (internal/report, TestHTMLInChromiumIntegration) uses.
# Called by `make test` through the chromium-install target; without it that
# test skips, unless TWINWATCH_REQUIRE_INTEGRATION=1 makes it fail.
#
# Usage:
#   scripts/chromium.sh install    apt-get install chromium when missing
#   scripts/chromium.sh path       print the browser's path, exit 1 if none
set -euo pipefail

find_chromium() {
  for b in "${TWINWATCH_CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [[ -n "$b" ]] && command -v "$b" 2>/dev/null && return 0
  done
  return 1
}

case "${1:-}" in
  install)
    if find_chromium >/dev/null; then
      exit 0
    fi
    [[ $(id -u) -eq 0 ]] || { echo "chromium.sh: run as root to apt-get install chromium" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    find_chromium >/dev/null || { echo "chromium.sh: chromium not found after install" >&2; exit 1; }
    ;;
  path)
    find_chromium
    ;;
  *)
    sed -n '/^# Usage:/,/^set -e/p' "$0" | sed 's/^# \{0,1\}//; /^set -e/d' >&2
    exit 2
    ;;
esac
