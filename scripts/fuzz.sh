#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer, nightly) of the targets in
# tests/fuzzing/targets.rs: scripts/fuzz.sh [TARGET|all] [SECONDS per target].
# libFuzzer grows a scratch corpus in fuzz/work/TARGET from the committed one in
# fuzz/corpus/TARGET; a crash is saved in fuzz/artifacts/target/. Add each crash (and
# only the inputs worth keeping) to fuzz/corpus/TARGET: tests/fuzz_corpus.rs replays
# them on stable in every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${2:-60}
if [[ "${1:-all}" == all ]]; then
  mapfile -t targets < <(sed -n 's/^    ("\([a-z_]*\)", .*/\1/p' tests/fuzzing/targets.rs)
else
  targets=("$1")
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/fuzz/target}
cargo +nightly fuzz build --fuzz-dir fuzz target
for target in "${targets[@]}"; do
  mkdir -p "fuzz/work/$target"
  echo "== $target, ${seconds}s"
  TRADEWIND_FUZZ_TARGET=$target cargo +nightly fuzz run --fuzz-dir fuzz target \
    "fuzz/work/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
done
