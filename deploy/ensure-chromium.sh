#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing and this
# machine can install it (root with apt-get). Elsewhere the browser tests skip
# with a visible reason, except under CI=true, where they fail.
set -euo pipefail
browser="${PORTAL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium not found at $browser and cannot be installed here: browser tests will skip."
fi
