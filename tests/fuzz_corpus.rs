//! The fuzz targets on stable: every file of each target's committed corpus
//! (`fuzz/corpus/TARGET/`: seeds, and every input a fuzzer once crashed on), then a
//! fixed number of mutations of them made by a seeded generator, so that a run is
//! repeatable and a failure names the input that caused it (saved under the test's
//! temporary folder, ready to be added to the corpus). cargo-fuzz explores further with
//! coverage (`scripts/fuzz.sh`); this keeps what it found fixed.
//!
//! `TRADEWIND_FUZZ_MUTATIONS` sets the mutations per target (default 200).

#![allow(clippy::unwrap_used)] // a test: a panic is the failure report

#[path = "fuzzing/targets.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use targets::{Sandbox, TARGETS};

/// Bytes that make importers take their rarer paths: separators, quotes, line ends,
/// byte-order marks, control characters, numbers at the edges, formula and markup
/// starts, multi-byte and invalid UTF-8.
const TOKENS: [&[u8]; 30] = [
    b",",
    b";",
    b"\t",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff",
    b"\xc3\xa9",
    b"\xe4\xb8\xad\xe6\x96\x87",
    b"-1",
    b"-0.01",
    b"99999999999999999999999",
    b"1e308",
    b"NaN",
    b"0",
    b"=HYPERLINK(\"x\")",
    b"@SUM(A1)",
    b"<script>x</script>",
    b"<img src=x onerror=y>",
    b"2026-02-30",
    b"13/45/99",
    b"00:00:00",
    b"\xe2\x9f\xa6",
    b"{{0}}",
];

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no seed", folder.display());
    files
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .collect()
}

/// One to four edits of a corpus input: a byte changed, a range cut or repeated, a
/// token put in, the end cut off, or a piece of another input spliced in.
fn mutate(rng: &mut StdRng, inputs: &[Vec<u8>]) -> Vec<u8> {
    let mut data = inputs[rng.random_range(0..inputs.len())].clone();
    for _ in 0..rng.random_range(1..=4) {
        let at = rng.random_range(0..=data.len());
        match rng.random_range(0..6) {
            0 if !data.is_empty() => {
                let at = at.min(data.len() - 1);
                data[at] = rng.random();
            }
            1 => {
                let end = rng.random_range(at..=data.len().min(at + 64));
                data.drain(at..end);
            }
            2 => {
                let end = rng.random_range(at..=data.len().min(at + 256));
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
            3 => data.truncate(at),
            4 => {
                let other = &inputs[rng.random_range(0..inputs.len())];
                let from = rng.random_range(0..=other.len());
                let end = rng.random_range(from..=other.len().min(from + 512));
                data.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
        }
    }
    data
}

fn exercise(name: &str) {
    let (_, target) = TARGETS.iter().find(|(target, _)| *target == name).unwrap();
    let inputs = corpus(name);
    let mutations: usize = std::env::var("TRADEWIND_FUZZ_MUTATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(200);
    let sandbox = Sandbox::new();
    // The generator's seed is the target's name, so each run tries the same inputs.
    let seed = name.bytes().fold(0u64, |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(u64::from(byte))
    });
    let mut rng = StdRng::seed_from_u64(seed);
    let mutated = (0..mutations).map(|_| mutate(&mut rng, &inputs));
    for (index, input) in inputs.clone().into_iter().chain(mutated).enumerate() {
        let started = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target(&sandbox, &input)));
        if let Err(panic) = outcome {
            let saved = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("fuzz-failures")
                .join(format!("{name}-{index}"));
            std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
            std::fs::write(&saved, &input).unwrap();
            eprintln!(
                "{name}: input {index} failed; it is saved as {}",
                saved.display()
            );
            resume_unwind(panic);
        }
        // A hang shows as an input that takes far longer than any should.
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name}: input {index} took {:?}",
            started.elapsed()
        );
    }
}

macro_rules! fuzz_tests {
    ($($target:ident),* $(,)?) => {
        $(
            #[test]
            fn $target() {
                exercise(stringify!($target));
            }
        )*

        #[test]
        fn every_target_has_a_test() {
            let tested = [$(stringify!($target)),*];
            let named: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
            assert_eq!(tested.to_vec(), named);
        }
    };
}

fuzz_tests!(
    product_file,
    own_layout_table,
    orders_file,
    reviews_file,
    messages_file,
    glossary_file,
    fx_rates_file,
    html,
    protector,
    photo,
    gguf,
    safetensors,
    catalog,
    archive,
    xmp,
);
