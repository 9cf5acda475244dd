#!/usr/bin/env bash
# Install Virtuoso Open Source 7 from Debian's packages, non-interactively, for the interoperability
# tests (tests/serve/test_virtuoso.py). The tests start their own private instance on loopback
# (fresh database folder, generated virtuoso.ini, free ports), so the system service is not used
# and is kept from starting during the install.
set -euo pipefail

if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
  echo "virtuoso.sh: Virtuoso is installed: $(virtuoso-t -? 2>&1 | sed -n 2p)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# The package asks for the system database's DBA password; answer it up front (the tests never
# use that database: theirs is created fresh with its own default credentials, on loopback only).
$SUDO debconf-set-selections <<'EOF'
virtuoso-opensource-7 virtuoso-opensource-7/dba-password password akke-ci-only
virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password akke-ci-only
virtuoso-opensource-7 virtuoso-opensource-7/register-odbc-dsn boolean false
EOF

# The system service is kept from starting inside the install (containers have no init system).
bash "$(dirname "$0")/apt-install.sh" virtuoso-opensource

command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null
echo "virtuoso.sh: installed $(virtuoso-t -? 2>&1 | sed -n 2p)"
