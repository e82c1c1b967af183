#!/usr/bin/env bash
# Installs the peers the benches measure Tradewind beside (registries only). Safe to run again.
#  - .cache/bench-venv: DuckDB (`tradewind-bench analytics`) and llama-cpp-python
#    (`tradewind-bench writer`; PyPI has it as source only, so llama.cpp is compiled here:
#    several minutes, cmake from PyPI, a C++ compiler from the system).
#  - .cache/models-venv (`tradewind-bench peers`, scripts/bench/references.py): Debian's
#    python3-torch (1.13, CPU) with OpenBLAS (Debian's reference BLAS would make torch ten
#    times slower than a seller's pip torch), transformers 4.44.2 (the last release for
#    torch 1.x), CTranslate2 from PyPI, gguf-py and jinja2 for the references.
#  `--models-only` installs the second alone.
set -euo pipefail
cd "$(dirname "$0")/../.."

models_venv=.cache/models-venv
packages=(python3-torch python3-venv libopenblas0-pthread)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then root=(); elif command -v sudo >/dev/null; then root=(sudo); else
    echo "scripts/bench/setup.sh needs ${missing[*]} from Debian: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  "${root[@]}" apt-get install -y -q "${missing[@]}"
fi
if [ ! -x "$models_venv/bin/python" ]; then
  # Debian's torch is for Debian's own Python.
  /usr/bin/python3 -m venv --system-site-packages "$models_venv"
fi
"$models_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  'transformers==4.44.2' 'ctranslate2==4.8.5' 'gguf==0.10.0' 'sentencepiece==0.2.0' 'jinja2==3.1.4'
echo "$("$models_venv/bin/python" -c 'import torch, transformers, ctranslate2
print(f"torch {torch.__version__}, transformers {transformers.__version__}, CTranslate2 {ctranslate2.__version__}")') are in $models_venv"
[ "${1:-}" = --models-only ] && exit 0

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
