//! The invariants of ARCHITECTURE.md that a reading of the source can check: the
//! engine's modules depend on each other without loops, none below the facade reaches
//! up to the crate's `Error` or the engine, and no file outgrows one job.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers above the capabilities: they may use any module.
const TOP: &[&str] = &["engine", "error", "lib", "main", "cli", "bin"];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

fn source_files() -> Vec<(String, PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let module = first.to_string_lossy().trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            (module, relative.to_path_buf(), text)
        })
        .collect()
}

/// The top-level modules a file names through `crate::`, grouped imports included.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let single = regex::Regex::new(r"crate::([a-zA-Z_]+)").unwrap();
    let grouped = regex::Regex::new(r"crate::\{([^}]*)\}").unwrap();
    let mut names: BTreeSet<String> = single
        .captures_iter(text)
        .map(|found| found[1].to_string())
        .collect();
    for found in grouped.captures_iter(text) {
        for item in found[1].split(',') {
            let first = item
                .trim()
                .trim_start_matches('{')
                .split(|c: char| c == ':' || c.is_whitespace())
                .next()
                .unwrap_or_default();
            if !first.is_empty() {
                names.insert(first.to_string());
            }
        }
    }
    names
}

#[test]
fn no_module_below_the_engine_reaches_up_to_it_or_to_the_crates_error() {
    let mut offenders = Vec::new();
    for (module, path, text) in source_files() {
        if TOP.contains(&module.as_str()) {
            continue;
        }
        let named = crate_paths(&text);
        for upward in ["Error", "engine", "Engine", "error"] {
            if named.contains(upward) {
                offenders.push(format!("{} uses crate::{upward}", path.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn the_modules_depend_on_each_other_without_a_loop() {
    let files = source_files();
    let modules: BTreeSet<String> = files.iter().map(|(module, _, _)| module.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, _, text) in &files {
        let uses = graph.entry(module.clone()).or_default();
        uses.extend(
            crate_paths(text)
                .into_iter()
                .filter(|used| used != module && modules.contains(used)),
        );
    }
    let reaches = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.to_string()];
        while let Some(module) = stack.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let looping: Vec<&String> = graph
        .keys()
        .filter(|module| reaches(module).contains(*module))
        .collect();
    assert!(
        looping.is_empty(),
        "modules in a dependency loop: {looping:?}\n{graph:#?}"
    );
}

#[test]
fn no_source_file_is_over_800_lines_outside_its_tests() {
    let long: Vec<String> = source_files()
        .into_iter()
        .filter_map(|(_, path, text)| {
            let lines = text
                .lines()
                .take_while(|line| line.trim() != "#[cfg(test)]")
                .count();
            (lines > 800).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by job: {long:?}");
}
