//! The .deb as a seller installs it (`make package-test` runs `apt-get install` on it,
//! then this): its desktop entry and icon in place, every shared library the binary
//! loads provided by a package its dependencies pull in (so it installs and starts on a
//! Debian without development packages), and the installed binary started under Xvfb to
//! its first screen on an empty data folder.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use super::{Driver, Session, connect};

const INSTALLED: &str = "/usr/bin/tradewind-desktop";

fn output(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {program}: {error}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The packages that provide the libraries the installed binary loads.
fn library_packages() -> BTreeSet<String> {
    let libraries: Vec<String> = output("ldd", &[INSTALLED])
        .lines()
        .filter_map(|line| {
            let (_, resolved) = line.split_once("=>")?;
            let path = resolved.split_whitespace().next()?;
            path.starts_with('/').then(|| path.to_string())
        })
        .collect();
    assert!(libraries.len() > 10, "ldd found {libraries:?}");
    libraries
        .iter()
        .map(|library| {
            // "libgtk-3-0:amd64: /usr/lib/x86_64-linux-gnu/libgtk-3.so.0"; the path may be
            // known by its /usr-merged twin.
            let owner = Command::new("dpkg")
                .args(["-S", library])
                .output()
                .ok()
                .filter(|found| found.status.success())
                .or_else(|| {
                    let twin = library
                        .strip_prefix("/usr")
                        .map_or_else(|| format!("/usr{library}"), str::to_string);
                    Command::new("dpkg")
                        .args(["-S", &twin])
                        .output()
                        .ok()
                        .filter(|found| found.status.success())
                })
                .unwrap_or_else(|| panic!("no package owns {library}"));
            let line = String::from_utf8_lossy(&owner.stdout).into_owned();
            let package = line.split(':').next().unwrap_or_default();
            package
                .split(',')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect()
}

/// Every package `tradewind` pulls in when installed: its Depends, recursively.
fn dependency_closure() -> BTreeSet<String> {
    output(
        "apt-cache",
        &[
            "depends",
            "--recurse",
            "--no-recommends",
            "--no-suggests",
            "--no-conflicts",
            "--no-breaks",
            "--no-replaces",
            "--no-enhances",
            "--installed",
            "tradewind",
        ],
    )
    .lines()
    .map(|line| {
        line.trim()
            .trim_start_matches("PreDepends:")
            .trim_start_matches("Depends:")
            .trim()
            .trim_matches(|c| c == '<' || c == '>')
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string()
    })
    .filter(|package| !package.is_empty())
    .collect()
}

pub async fn the_installed_package_starts_at_its_first_run(shots: &Path) {
    let app = std::env::var("TRADEWIND_APP").unwrap_or_default();
    assert_eq!(
        app, INSTALLED,
        "run through `make package-test`, which installs the .deb and points TRADEWIND_APP at it"
    );
    let status = output(
        "dpkg-query",
        &["-W", "-f=${Status} ${Version}", "tradewind"],
    );
    assert!(status.starts_with("install ok installed 0."), "{status}");
    let entry = std::fs::read_to_string("/usr/share/applications/Tradewind.desktop").unwrap();
    assert!(entry.contains("Exec=tradewind-desktop"), "{entry}");
    assert!(Path::new("/usr/share/icons/hicolor/128x128/apps/tradewind-desktop.png").is_file());
    assert!(Path::new("/usr/share/doc/tradewind/copyright").is_file());

    let closure = dependency_closure();
    let missing: Vec<String> = library_packages()
        .into_iter()
        .filter(|package| !closure.contains(package))
        .collect();
    assert!(
        missing.is_empty(),
        "the binary loads libraries of {missing:?}, which the package's dependencies do not pull in"
    );

    let data = tempfile::tempdir().unwrap();
    let catalog = tempfile::tempdir().unwrap();
    let builtin = catalog.path().join("catalog.toml");
    std::fs::write(&builtin, include_str!("../../../../models/catalog.toml")).unwrap();
    let driver = Driver::start(data.path(), &builtin);
    let session = Session {
        client: connect(&driver, data.path()).await,
        shots: shots.to_path_buf(),
    };
    let welcome = session.text("welcome").await;
    assert!(welcome.contains("Welcome to Tradewind"), "{welcome}");
    session.screenshot("installed-first-run-en").await;
    assert!(data.path().join("tradewind.db").is_file());
    session.client.close().await.unwrap();
}
