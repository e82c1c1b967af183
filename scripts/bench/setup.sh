#!/usr/bin/env bash
# Installs the peers the benches measure Tradewind beside into .cache/bench-venv, from
# PyPI: DuckDB (`tradewind-bench analytics`) and llama-cpp-python (`tradewind-bench
# writer`; PyPI has it as source only, so llama.cpp is compiled here: several minutes,
# cmake from PyPI, a C++ compiler from the system). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.cache/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'duckdb==2.0.1'
echo "DuckDB $("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)') is in $venv"
# The CPU build, with the machine's own instructions (as a seller's llama.cpp would be).
CMAKE_ARGS="-DGGML_NATIVE=ON" "$venv/bin/python" -m pip install --quiet \
  --disable-pip-version-check 'llama-cpp-python==0.3.16' 'numpy<3'
echo "llama-cpp-python $("$venv/bin/python" -c 'import llama_cpp; print(llama_cpp.__version__)') is in $venv"
