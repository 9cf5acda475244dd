#!/usr/bin/env bash
# Install nginx and Apache from Debian's packages, non-interactively, for the tests of the web-server
# configurations that publish writes into every release (tests/serve/test_webservers.py). The tests
# start their own private instances on loopback (generated configuration files, free ports, a
# temporary folder for logs and PID files), so the system services are not used and are kept from
# starting during the install.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 && command -v apache2 >/dev/null 2>&1; then
  echo "webservers.sh: installed: $(nginx -v 2>&1), $(apache2 -v 2>&1 | sed -n 1p)"
  exit 0
fi
export PATH="$PATH:/usr/sbin"
if command -v nginx >/dev/null 2>&1 && command -v apache2 >/dev/null 2>&1; then
  echo "webservers.sh: installed in /usr/sbin: $(nginx -v 2>&1), $(apache2 -v 2>&1 | sed -n 1p)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Keep the system services from starting inside the install (containers have no init system).
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod +x "$POLICY"
  ADDED_POLICY=1
fi
cleanup() { if [ "$ADDED_POLICY" = 1 ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends nginx apache2 >/dev/null

command -v nginx >/dev/null && command -v apache2 >/dev/null
echo "webservers.sh: installed $(nginx -v 2>&1), $(apache2 -v 2>&1 | sed -n 1p)"
