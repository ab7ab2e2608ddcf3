#!/usr/bin/env bash
# Sets up a Debian machine for Cookie Lens: the browsers the audit and the end-to-end tests drive (Debian's
# chromium and firefox-esr; no test tool downloads its own), then the npm dependencies as locked.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null || ! command -v firefox-esr >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium firefox-esr >/dev/null
fi
npm ci --no-audit --no-fund
