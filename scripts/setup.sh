#!/usr/bin/env bash
# Sets up a Debian machine for Cookie Lens: the browsers the audit and the end-to-end tests drive (Debian's
# chromium and firefox-esr; no test tool downloads its own), then the npm dependencies at their locked versions.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null || ! command -v firefox-esr >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium firefox-esr >/dev/null
fi
# `npm install` rather than `npm ci`: the registry this machine reaches serves only this platform's native packages
# (rollup's other-platform bindings answer 404), so the lock cannot name them and npm 11's `npm ci` refuses it
# (npm/cli#4828). `npm install` installs the locked versions all the same.
npm install --no-audit --no-fund
