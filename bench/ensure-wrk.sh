#!/usr/bin/env bash
# Installs Debian's wrk (the HTTP load generator of `make bench`) when it is
# missing and this machine can install it (root with apt-get). Elsewhere it
# says what to install and fails, since the benchmark cannot run without it.
set -euo pipefail
if command -v wrk >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's wrk for the benchmark..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
else
  echo "wrk not found and cannot be installed here: install it (apt-get install wrk)." >&2
  exit 1
fi
