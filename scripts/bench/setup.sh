#!/usr/bin/env bash
# Installs the peers that `tradewind-bench analytics` measures Tradewind beside (DuckDB,
# from PyPI) into .cache/bench-venv. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.cache/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'duckdb==2.0.1'
echo "DuckDB $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)') is in $venv"
