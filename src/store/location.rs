//! Where the data folder is, and moving it. The folder named on the command line (or in
//! `TRADEWIND_DATA_DIR`) wins; otherwise the one the seller moved it to, which a small
//! file in the operating system's configuration folder remembers; otherwise the
//! operating system's data folder for Tradewind.
//!
//! A move renames the folder when the new place is on the same disk (instant), and
//! otherwise copies every file into a folder beside the new place, with progress, renames
//! that into place, and only then deletes the old folder: interrupted, it leaves the old
//! folder whole and no half-copied new one under the name asked for.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{DATABASE_FILE, StoreError};

/// The file in the configuration folder that remembers where the data folder was moved.
const POINTER_FILE: &str = "data-folder";

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("app", "Tradewind", "Tradewind")
}

/// The operating system's data folder for Tradewind.
fn system_default() -> PathBuf {
    project_dirs()
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".tradewind"))
}

/// Where the file remembering a moved data folder lives.
pub fn pointer_file() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().join(POINTER_FILE))
}

/// The data folder when none is named: where the seller moved it, else the system's.
pub fn default_folder() -> PathBuf {
    pointer_file()
        .as_deref()
        .and_then(remembered)
        .unwrap_or_else(system_default)
}

/// The folder `pointer` names, if it names one.
fn remembered(pointer: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(pointer).ok()?;
    let path = PathBuf::from(text.trim());
    path.is_absolute().then_some(path)
}

/// What a move reports while it copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MoveProgress {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub done_bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total_bytes: u64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::MoveFailed {
        path: path.to_path_buf(),
        source,
    }
}

/// Moves the data folder `from` to `to` (a new folder, or an empty one) and, where
/// `pointer` is given, records `to` there as the folder to use from now on. Refused while
/// another Tradewind is writing to the database. Returns the folder moved to.
pub fn move_folder(
    from: &Path,
    to: &Path,
    pointer: Option<&Path>,
    progress: &mut dyn FnMut(MoveProgress),
) -> Result<PathBuf, StoreError> {
    let from = from.canonicalize().map_err(io(from))?;
    let to = absolute(to)?;
    if to.starts_with(&from) || from.starts_with(&to) {
        return Err(StoreError::MoveInside { from, to });
    }
    if to.exists() {
        if std::fs::read_dir(&to).map_err(io(&to))?.next().is_some() {
            return Err(StoreError::MoveNotEmpty { to });
        }
        std::fs::remove_dir(&to).map_err(io(&to))?;
    }
    not_being_written(&from)?;
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    if std::fs::rename(&from, &to).is_err() {
        // Another disk: copied beside the new place, renamed into it, then the old one goes.
        let beside = to.with_file_name(format!(
            ".{}.moving",
            to.file_name()
                .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
        ));
        if beside.exists() {
            std::fs::remove_dir_all(&beside).map_err(io(&beside))?;
        }
        let total_bytes = folder_size(&from)?;
        let mut done_bytes = 0;
        let copied = copy_folder(&from, &beside, &mut |bytes| {
            done_bytes += bytes;
            progress(MoveProgress {
                done_bytes,
                total_bytes,
            });
        });
        if let Err(error) = copied {
            let _ = std::fs::remove_dir_all(&beside);
            return Err(error);
        }
        std::fs::rename(&beside, &to).map_err(io(&to))?;
        std::fs::remove_dir_all(&from).map_err(io(&from))?;
    }
    if let Some(pointer) = pointer {
        remember(pointer, &to)?;
    }
    Ok(to)
}

/// `path` made absolute against the working folder, without requiring it to exist.
fn absolute(path: &Path) -> Result<PathBuf, StoreError> {
    std::path::absolute(path).map_err(io(path))
}

/// Another Tradewind writing the database would hold a lock: asking for it all tells.
fn not_being_written(folder: &Path) -> Result<(), StoreError> {
    let database = folder.join(DATABASE_FILE);
    if !database.exists() {
        return Ok(());
    }
    let conn = rusqlite::Connection::open(&database)
        .map_err(|error| StoreError::from_sqlite(&database, error))?;
    conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|error| StoreError::from_sqlite(&database, error))
}

fn folder_size(folder: &Path) -> Result<u64, StoreError> {
    let mut total = 0;
    for entry in std::fs::read_dir(folder).map_err(io(folder))? {
        let entry = entry.map_err(io(folder))?;
        let kind = entry.file_type().map_err(io(&entry.path()))?;
        total += if kind.is_dir() {
            folder_size(&entry.path())?
        } else {
            entry.metadata().map_err(io(&entry.path()))?.len()
        };
    }
    Ok(total)
}

/// Copies `from` into the new folder `to`, reporting the bytes of each chunk copied.
fn copy_folder(from: &Path, to: &Path, copied: &mut dyn FnMut(u64)) -> Result<(), StoreError> {
    use std::io::{Read, Write};
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io(&source))?.is_dir() {
            copy_folder(&source, &target, copied)?;
            continue;
        }
        let mut input = std::fs::File::open(&source).map_err(io(&source))?;
        let mut output = std::fs::File::create(&target).map_err(io(&target))?;
        let mut buffer = vec![0; 1 << 20];
        loop {
            let read = input.read(&mut buffer).map_err(io(&source))?;
            if read == 0 {
                break;
            }
            output.write_all(&buffer[..read]).map_err(io(&target))?;
            copied(read as u64);
        }
        output.sync_all().map_err(io(&target))?;
    }
    Ok(())
}

/// Writes `folder` into `pointer`, through a temporary file renamed into place.
fn remember(pointer: &Path, folder: &Path) -> Result<(), StoreError> {
    if let Some(parent) = pointer.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let temporary = pointer.with_extension("tmp");
    std::fs::write(&temporary, folder.to_string_lossy().as_bytes()).map_err(io(&temporary))?;
    std::fs::rename(&temporary, pointer).map_err(io(pointer))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_folder(dir: &Path) -> PathBuf {
        let from = dir.join("data");
        std::fs::create_dir_all(from.join("models/m")).unwrap();
        std::fs::write(from.join("models/m/weights.bin"), vec![7; 3 << 20]).unwrap();
        let conn = rusqlite::Connection::open(from.join(DATABASE_FILE)).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (42);")
            .unwrap();
        from
    }

    #[test]
    fn a_move_takes_everything_and_remembers_the_new_place() {
        let dir = tempfile::tempdir().unwrap();
        let from = data_folder(dir.path());
        let pointer = dir.path().join("config/data-folder");
        let to = dir.path().join("elsewhere/Tradewind");
        let moved = move_folder(&from, &to, Some(&pointer), &mut |_| {}).unwrap();
        assert_eq!(moved, to);
        assert!(!from.exists());
        assert_eq!(
            std::fs::read(to.join("models/m/weights.bin"))
                .unwrap()
                .len(),
            3 << 20
        );
        let conn = rusqlite::Connection::open(to.join(DATABASE_FILE)).unwrap();
        let x: i64 = conn
            .query_row("SELECT x FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(x, 42);
        assert_eq!(remembered(&pointer), Some(to));
    }

    #[test]
    fn a_copy_reports_its_progress_and_leaves_no_half_folder() {
        let dir = tempfile::tempdir().unwrap();
        let from = data_folder(dir.path());
        let to = dir.path().join("copy");
        let mut reports = Vec::new();
        copy_folder(&from, &to, &mut |bytes| reports.push(bytes)).unwrap();
        assert_eq!(reports.iter().sum::<u64>(), folder_size(&from).unwrap());
        assert!(reports.len() >= 3, "a report per chunk: {reports:?}");
    }

    #[test]
    fn a_folder_inside_or_not_empty_is_refused_and_nothing_moves() {
        let dir = tempfile::tempdir().unwrap();
        let from = data_folder(dir.path());
        let inside = move_folder(&from, &from.join("sub"), None, &mut |_| {}).unwrap_err();
        assert!(matches!(inside, StoreError::MoveInside { .. }), "{inside}");
        let full = dir.path().join("full");
        std::fs::create_dir_all(&full).unwrap();
        std::fs::write(full.join("notes.txt"), "mine").unwrap();
        let error = move_folder(&from, &full, None, &mut |_| {}).unwrap_err();
        assert!(error.to_string().contains("is not empty"), "{error}");
        assert!(from.join(DATABASE_FILE).exists());
        assert_eq!(
            std::fs::read_to_string(full.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_database_being_written_is_not_moved() {
        let dir = tempfile::tempdir().unwrap();
        let from = data_folder(dir.path());
        let writer = rusqlite::Connection::open(from.join(DATABASE_FILE)).unwrap();
        writer
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
            .unwrap();
        let error = move_folder(&from, &dir.path().join("to"), None, &mut |_| {}).unwrap_err();
        assert!(error.to_string().contains("is locked"), "{error}");
        assert!(from.join(DATABASE_FILE).exists());
    }
}
