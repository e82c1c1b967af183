//! The database (every listing, order, translation, setting and job) to one file and
//! back. A backup is SQLite's own `VACUUM INTO` copy, written beside its destination
//! and renamed into place, so a crash leaves no half a backup. A restore checks the
//! backup as a database of its own (schema not newer than this build's, sound) before
//! it replaces anything, and keeps the database it replaces.

use std::path::{Path, PathBuf};

use super::{DATABASE_FILE, Store, StoreError, StoreOptions};

/// The SQLite files beside a database in WAL mode.
const SIDE_FILES: [&str; 2] = ["-wal", "-shm"];

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Writes a copy of `store` to `destination`, whole or not at all.
pub fn backup(store: &Store, destination: &Path) -> Result<(), StoreError> {
    let partial = beside(destination, ".partial");
    let _ = std::fs::remove_file(&partial);
    let conn = store.connect()?;
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])
        .map_err(|error| {
            let _ = std::fs::remove_file(&partial);
            StoreError::from_sqlite(store.path(), error)
        })?;
    drop(conn);
    std::fs::rename(&partial, destination).map_err(|source| {
        let _ = std::fs::remove_file(&partial);
        StoreError::DataDir {
            path: destination.to_path_buf(),
            source,
        }
    })
}

/// Replaces the database of `data_dir` with the backup `file` (no Tradewind may have
/// it open); returns where the replaced one was kept (None when there was none).
pub fn restore(data_dir: &Path, file: &Path) -> Result<Option<PathBuf>, StoreError> {
    let database = data_dir.join(DATABASE_FILE);
    let incoming = data_dir.join(format!("{DATABASE_FILE}.restoring"));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::DataDir { path, source }
    };
    std::fs::create_dir_all(data_dir).map_err(io(data_dir))?;
    std::fs::copy(file, &incoming).map_err(io(file))?;
    // The copy is checked (and brought to this build's schema) as a database of its own.
    let checked = Store::open(&incoming, StoreOptions::default()).and_then(|store| {
        let problems = store.integrity_problems()?;
        if problems.is_empty() {
            // Folds its write-ahead log in, so the one file is the whole database.
            store
                .connect()?
                .execute_batch("PRAGMA journal_mode = DELETE")
                .map_err(|error| store.error(error))
        } else {
            Err(StoreError::NotADatabase {
                path: file.to_path_buf(),
                detail: problems.join("; "),
            })
        }
    });
    if let Err(error) = checked {
        remove_with_side_files(&incoming);
        return Err(match error {
            StoreError::NotADatabase { detail, .. } => StoreError::NotADatabase {
                path: file.to_path_buf(),
                detail,
            },
            StoreError::TooNew { found, known, .. } => StoreError::TooNew {
                path: file.to_path_buf(),
                found,
                known,
            },
            other => other,
        });
    }
    let kept = if database.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let kept = data_dir.join(format!("tradewind-before-restore-{stamp}.db"));
        // A sound database is kept as one file; one that will not open (the reason to
        // restore, often) is moved aside as it is, with its side files.
        let copied =
            Store::open(&database, StoreOptions::default()).and_then(|store| backup(&store, &kept));
        if copied.is_err() {
            for suffix in ["", SIDE_FILES[0], SIDE_FILES[1]] {
                let from = beside(&database, suffix);
                if from.exists() {
                    std::fs::rename(&from, beside(&kept, suffix)).map_err(io(&from))?;
                }
            }
        }
        Some(kept)
    } else {
        None
    };
    for suffix in SIDE_FILES {
        let _ = std::fs::remove_file(beside(&database, suffix));
    }
    std::fs::rename(&incoming, &database).map_err(io(&database))?;
    Ok(kept)
}

fn remove_with_side_files(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in SIDE_FILES {
        let _ = std::fs::remove_file(beside(path, suffix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_a_setting(dir: &Path, value: &str) -> Store {
        std::fs::create_dir_all(dir).unwrap();
        let store = Store::open(&dir.join(DATABASE_FILE), StoreOptions::default()).unwrap();
        super::super::settings::set(&store, "shop", value).unwrap();
        store
    }

    #[test]
    fn a_backup_restored_elsewhere_holds_the_same_data_and_the_replaced_one_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (shop, other) = (dir.path().join("shop"), dir.path().join("other"));
        let store = with_a_setting(&shop, "Kumo");
        let file = dir.path().join("kumo.tradewind-backup");
        backup(&store, &file).unwrap();
        assert!(!beside(&file, ".partial").exists());

        with_a_setting(&other, "Nordlys");
        let kept = restore(&other, &file).unwrap().unwrap();
        let restored = Store::open(&other.join(DATABASE_FILE), StoreOptions::default()).unwrap();
        let setting = |store: &Store| super::super::settings::get(store, "shop").unwrap();
        assert_eq!(setting(&restored).as_deref(), Some("Kumo"));
        let before = Store::open(&kept, StoreOptions::default()).unwrap();
        assert_eq!(setting(&before).as_deref(), Some("Nordlys"));
    }

    #[test]
    fn a_damaged_database_is_replaced_and_moved_aside_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (shop, broken) = (dir.path().join("shop"), dir.path().join("broken"));
        let file = dir.path().join("kumo.tradewind-backup");
        backup(&with_a_setting(&shop, "Kumo"), &file).unwrap();
        std::fs::create_dir_all(&broken).unwrap();
        let damaged = b"SQLite format 3\0 but the rest is gone".repeat(40);
        std::fs::write(broken.join(DATABASE_FILE), &damaged).unwrap();

        let kept = restore(&broken, &file).unwrap().unwrap();
        assert_eq!(
            std::fs::read(&kept).unwrap(),
            damaged,
            "moved aside untouched"
        );
        let restored = Store::open(&broken.join(DATABASE_FILE), StoreOptions::default()).unwrap();
        assert_eq!(
            super::super::settings::get(&restored, "shop")
                .unwrap()
                .as_deref(),
            Some("Kumo")
        );
    }

    #[test]
    fn a_file_that_is_not_a_backup_is_refused_and_nothing_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let shop = dir.path().join("shop");
        with_a_setting(&shop, "Kumo");
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "not a database at all, just some words").unwrap();
        let error = restore(&shop, &notes).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("notes.txt is not a Tradewind database"),
            "{error}"
        );
        let names: Vec<String> = std::fs::read_dir(&shop)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with(DATABASE_FILE) || name.contains("restoring"))
            .collect();
        assert!(names.is_empty(), "nothing left behind: {names:?}");
        let store = Store::open(&shop.join(DATABASE_FILE), StoreOptions::default()).unwrap();
        assert_eq!(
            super::super::settings::get(&store, "shop")
                .unwrap()
                .as_deref(),
            Some("Kumo")
        );
    }
}
