//! `tradewind backup`, `restore`, `move-data-folder` and `delete-all-data`: the data
//! folder as a whole.

use std::path::Path;
use std::process::ExitCode;

use tradewind::{Engine, EngineConfig, Error};

use super::print::json;

pub fn back_up(file: &Path, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    let engine = Engine::open(config)?;
    engine.back_up(file)?;
    if as_json {
        json(&serde_json::json!({ "backup": file }));
    } else {
        println!(
            "Backed up the database of {} to {}.",
            engine.data_dir().display(),
            file.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn restore(file: &Path, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    tradewind::files::require_file(file)?;
    let kept = Engine::restore_backup(&config, file)?;
    // Opening it brings it to this build's schema and proves it whole.
    let engine = Engine::open(config)?;
    if as_json {
        json(&serde_json::json!({ "restored": file, "kept": kept }));
    } else {
        println!(
            "Restored {} into {}.",
            file.display(),
            engine.data_dir().display()
        );
        if let Some(kept) = kept {
            println!("The database it replaced is kept as {}.", kept.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn delete_all(yes: bool, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    let folder = config.folder();
    if !yes {
        eprintln!(
            "error: this deletes everything in {} (the database, models, jobs, the demo's files); add --yes to do it",
            folder.display()
        );
        return Ok(ExitCode::from(2));
    }
    let removed = Engine::delete_all_data(&config)?;
    if as_json {
        json(&serde_json::json!({ "folder": folder, "removed": removed }));
    } else {
        println!(
            "Deleted everything in {} ({removed} entries).",
            folder.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn move_folder(to: &Path, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    let from = config.folder();
    let bar = if as_json {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let moved = Engine::move_data_folder(&config, to, &mut |progress| {
        bar.set_length(progress.total_bytes);
        bar.set_position(progress.done_bytes);
    });
    bar.finish_and_clear();
    let moved = moved?;
    if as_json {
        json(&serde_json::json!({ "from": from, "to": moved }));
    } else {
        println!(
            "Moved the data folder {} to {}.",
            from.display(),
            moved.display()
        );
        if config.data_dir.is_some() {
            println!(
                "Name it from now on: --data-dir {} (or TRADEWIND_DATA_DIR).",
                moved.display()
            );
        } else {
            println!("Tradewind uses it from now on.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
