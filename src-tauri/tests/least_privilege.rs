//! What the webview may do, held to the minimum: the main window's only grants are the
//! open and save dialogs; the content security policy allows no remote content, no inline
//! or evaluated script and no request but the app's own IPC; no plugin that runs programs,
//! reaches the network or the file system is compiled in. Adding any of that fails here,
//! on purpose: it has to be argued for in this file.

#![allow(clippy::unwrap_used)] // a test: a panic is the failure report

use std::path::Path;

fn shell_file(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

#[test]
fn the_window_may_only_ask_for_files_to_open_and_places_to_save() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["default.json"], "one capability file");
    let capability: serde_json::Value =
        serde_json::from_str(&shell_file("capabilities/default.json")).unwrap();
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert_eq!(
        capability["permissions"],
        serde_json::json!(["dialog:allow-open", "dialog:allow-save"])
    );
    assert!(
        capability.get("remote").is_none(),
        "no remote page may call the app"
    );
    assert!(capability.get("platforms").is_none());
}

#[test]
fn the_content_security_policy_allows_nothing_from_elsewhere() {
    let config: serde_json::Value = serde_json::from_str(&shell_file("tauri.conf.json")).unwrap();
    let security = &config["app"]["security"];
    let csp = &security["csp"];
    let directive = |name: &str| csp[name].as_str().unwrap_or_default().to_string();
    assert_eq!(directive("default-src"), "'self'");
    assert_eq!(
        directive("script-src"),
        "'self'",
        "no inline or evaluated script"
    );
    assert_eq!(directive("style-src"), "'self'");
    assert_eq!(directive("img-src"), "'self' data:");
    assert_eq!(directive("connect-src"), "ipc: http://ipc.localhost");
    assert_eq!(directive("object-src"), "'none'");
    assert_eq!(directive("frame-src"), "'none'");
    assert_eq!(directive("form-action"), "'none'");
    assert_eq!(directive("base-uri"), "'none'");
    // No other directive, and none that lets anything in from elsewhere (connect-src's
    // http://ipc.localhost is the app's own IPC on systems without the ipc: scheme).
    let directives: Vec<&str> = csp
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(directives.len(), 9, "{directives:?}");
    for name in directives.iter().filter(|name| **name != "connect-src") {
        let value = directive(name);
        for widening in ["unsafe", "http", "*", "blob:", "filesystem:"] {
            assert!(!value.contains(widening), "{name} allows {value}");
        }
    }
    for dangerous in [
        "dangerousDisableAssetCspModification",
        "dangerousRemoteDomainIpcAccess",
        "assetProtocol",
    ] {
        assert!(
            security.get(dangerous).is_none(),
            "{dangerous} is set in tauri.conf.json"
        );
    }
    assert_ne!(config["app"]["withGlobalTauri"], true);
}

#[test]
fn no_plugin_runs_programs_or_reaches_the_network_or_the_files() {
    let manifest = shell_file("Cargo.toml");
    let manifest: toml::Table = manifest.parse().unwrap();
    let dependencies = manifest["dependencies"].as_table().unwrap();
    let plugins: Vec<&str> = dependencies
        .keys()
        .map(String::as_str)
        .filter(|name| name.starts_with("tauri-plugin-"))
        .collect();
    assert_eq!(plugins, ["tauri-plugin-dialog"]);
    let tauri_features: Vec<&str> = dependencies["tauri"]["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|feature| feature.as_str().unwrap())
        .collect();
    assert!(
        tauri_features.is_empty(),
        "tauri's features widen what the app may do: {tauri_features:?}"
    );
}
