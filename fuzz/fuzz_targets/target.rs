//! One libFuzzer binary for every target of tests/fuzzing/targets.rs; the target is
//! named by `TRADEWIND_FUZZ_TARGET` (scripts/fuzz.sh sets it and the corpus folder).

#![no_main]

#[path = "../../tests/fuzzing/targets.rs"]
mod targets;

use std::sync::LazyLock;

static TARGET: LazyLock<(targets::Sandbox, targets::Target)> = LazyLock::new(|| {
    let name = std::env::var("TRADEWIND_FUZZ_TARGET").unwrap_or_default();
    let target = targets::TARGETS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, target)| *target)
        .unwrap_or_else(|| panic!("TRADEWIND_FUZZ_TARGET names no target: '{name}'"));
    (targets::Sandbox::new(), target)
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (sandbox, target) = &*TARGET;
    target(sandbox, data);
});
