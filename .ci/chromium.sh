#!/usr/bin/env bash
# Install Chromium from Debian's packages, non-interactively, for the browser tests
# (tests/publish/test_browser.py, marker `browser`). Playwright (the `playwright` package of the
# test extra) drives this browser through executable_path; `playwright install` is never run, so
# no browser is downloaded from anywhere but the distribution's mirror.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium.sh: Chromium is installed: $(chromium --version 2>/dev/null || echo unknown)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

command -v chromium >/dev/null
echo "chromium.sh: installed $(chromium --version 2>/dev/null || echo chromium)"
