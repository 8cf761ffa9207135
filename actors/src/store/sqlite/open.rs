//! Opening the embedded store: the data directory (created, probed for
//! writes, locked against a second server), the database file and its
//! connections (WAL, `synchronous=FULL`, busy timeout).

use super::*;

/// How long a statement waits for a lock held by another connection (another
/// process on the same file, or a checkpoint) before it reports `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Takes the data directory's lock file, so a second server on the same
/// directory fails at start with a clear message.
fn lock_dir(dir: &Path) -> Result<std::fs::File, StoreError> {
    let path = dir.join(".lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| unavailable(format!("cannot create the lock file {}", path.display()), &e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Unavailable(format!(
            "the data directory {} is in use by another pt-server (lock file {})",
            dir.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(unavailable(format!("cannot lock the data directory {}", dir.display()), &e))
        }
    }
}

impl SqliteStore {
    /// Creates `dir` if missing and opens (or creates) the database in it.
    /// Does not migrate. Blocking: call it at startup, not from a handler.
    ///
    /// Fails with a message naming the path and the OS reason when the
    /// directory cannot be created or written (SQLite would otherwise open
    /// the file read-only without a word, and fail at the first write).
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        if dir.exists() && !dir.is_dir() {
            return Err(StoreError::Unavailable(format!(
                "the data directory {} exists but is not a directory",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| unavailable(format!("cannot create the data directory {}", dir.display()), &e))?;
        probe_writable(dir)?;
        let lock = lock_dir(dir)?;
        let path = dir.join(FILE_NAME);
        let writer = open_connection(&path, true)?;
        let at = |what: &str, e: rusqlite::Error| match map_sqlite(e) {
            StoreError::Unavailable(m) => {
                StoreError::Unavailable(format!("cannot {what} the database {}: {m}", path.display()))
            }
            e => StoreError::Other(format!("cannot {what} the database {}: {e}", path.display())),
        };
        if writer.is_readonly(rusqlite::MAIN_DB).map_err(|e| at("open", e))? {
            return Err(StoreError::Unavailable(format!(
                "the database {} is read-only (check the permissions and owner of the file and of {})",
                path.display(),
                dir.display()
            )));
        }
        let mode: String =
            writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| at("configure", e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            // Still correct (readers then take shared locks), only less concurrent.
            tracing::warn!(path = %path.display(), %mode, "SQLite refused WAL mode (network file system?)");
        }
        // FULL: a commit returns after the WAL is fsynced. The size limit
        // truncates the WAL after a checkpoint that followed a big write (a
        // snapshot of a large studio), instead of keeping its high-water mark.
        writer
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 67108864")
            .map_err(|e| at("configure", e))?;
        // A real write: proves the file, its WAL and the disk accept data now.
        writer.execute_batch("BEGIN IMMEDIATE; COMMIT").map_err(|e| at("write to", e))?;
        // Fault injection for tests: cap the file so writes fail with
        // SQLITE_FULL, exactly as on a full disk.
        if let Some(pages) = std::env::var(MAX_PAGES_ENV).ok().and_then(|v| v.parse::<i64>().ok()) {
            writer.pragma_update(None, "max_page_count", pages).map_err(|e| at("configure", e))?;
            tracing::warn!(pages, "{MAX_PAGES_ENV} is set: the database is capped (simulated full disk)");
        }
        tracing::info!(path = %path.display(), "embedded store opened");
        Ok(SqliteStore {
            inner: Arc::new(Inner { path, writer: Mutex::new(writer), readers: Mutex::new(Vec::new()), _lock: lock }),
        })
    }
}

/// Writes, syncs and removes a small file: an unwritable directory or a full
/// disk fails here with the OS's own words.
fn probe_writable(dir: &Path) -> Result<(), StoreError> {
    use std::io::Write;
    let probe = dir.join(".production-tool-write-probe");
    let written = std::fs::File::create(&probe).and_then(|mut f| {
        f.write_all(&[0u8; 4096])?;
        f.sync_all()
    });
    let removed = std::fs::remove_file(&probe);
    written.map_err(|e| unavailable(format!("cannot write to the data directory {}", dir.display()), &e))?;
    removed.map_err(|e| unavailable(format!("cannot write to the data directory {}", dir.display()), &e))
}

pub(super) fn open_connection(path: &Path, writer: bool) -> Result<Connection, StoreError> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if writer {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let failed = |e: rusqlite::Error| match map_sqlite(e) {
        StoreError::Unavailable(m) => {
            StoreError::Unavailable(format!("cannot open the database {}: {m}", path.display()))
        }
        e => StoreError::Other(format!("cannot open the database {}: {e}", path.display())),
    };
    let conn = Connection::open_with_flags(path, flags).map_err(failed)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(failed)?;
    conn.execute_batch(if writer { "PRAGMA foreign_keys = ON" } else { "PRAGMA query_only = ON" }).map_err(failed)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}
