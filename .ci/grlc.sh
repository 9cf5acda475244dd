#!/usr/bin/env bash
# Install grlc 1.3.11 (PyPI) into its own virtual environment, .grlc-venv, for the grlc tests
# (tests/publish/test_grlc.py, marker `grlc`): its pinned dependencies (Flask, rdflib, requests,
# gunicorn …) may clash with the project's, so it never shares the project's .venv. The tests run
# grlc's own web application from that environment against a served release.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="1.3.11"
if [ -x .grlc-venv/bin/python ] && .grlc-venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('grlc') != '$VERSION')" 2>/dev/null; then
  echo "grlc.sh: grlc $VERSION is installed in .grlc-venv"
  exit 0
fi

python3 -m venv .grlc-venv
.grlc-venv/bin/pip install -q "grlc==$VERSION"
.grlc-venv/bin/python -c "import grlc.server" >/dev/null
echo "grlc.sh: installed grlc $VERSION in .grlc-venv"
