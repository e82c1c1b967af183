//! The desktop shell: window, state, commands and dialogs over the tradewind engine.
//! Invariant: no business logic here. A command unpacks its arguments, calls the
//! engine, and converts the result for the UI.

#[cfg(test)]
mod bindings;
mod commands;
mod error;
mod state;

use std::path::PathBuf;

pub use error::CommandError;
pub use state::AppState;
use tauri::{Builder, Runtime};

/// Registers the plugins, the state and every command on `builder`; the tests pass
/// Tauri's mock runtime here.
pub fn app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(commands::handler())
}

pub fn run() {
    let state = AppState::open(data_dir_from_args(std::env::args().skip(1)));
    let result = app(Builder::default(), state).run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("error: Tradewind could not start its window: {error}");
        std::process::exit(1);
    }
}

/// `--data-dir DIR` on the command line, else `TRADEWIND_DATA_DIR`, else the OS default.
fn data_dir_from_args(mut args: impl Iterator<Item = String>) -> Option<PathBuf> {
    while let Some(arg) = args.next() {
        if let Some(value) = arg.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(value));
        }
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
    }
    std::env::var_os("TRADEWIND_DATA_DIR").map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|arg| arg.to_string())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn the_data_dir_comes_from_either_spelling_of_the_flag() {
        assert_eq!(
            data_dir_from_args(args(&["--data-dir", "/a"])),
            Some("/a".into())
        );
        assert_eq!(
            data_dir_from_args(args(&["-v", "--data-dir=/b"])),
            Some("/b".into())
        );
    }
}
