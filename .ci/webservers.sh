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

bash "$(dirname "$0")/apt-install.sh" nginx apache2

command -v nginx >/dev/null && command -v apache2 >/dev/null
echo "webservers.sh: installed $(nginx -v 2>&1), $(apache2 -v 2>&1 | sed -n 1p)"
