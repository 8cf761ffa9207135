//! SQLite errors mapped onto the store's kinds, and value conversions.

use super::*;

// ---------------------------------------------------------------------------
// Errors

pub(super) fn unavailable(context: String, e: &std::io::Error) -> StoreError {
    StoreError::Unavailable(format!("{context}: {e}"))
}

/// Maps a rusqlite error onto the store's three kinds (see the module docs).
pub(super) fn map_sqlite(e: rusqlite::Error) -> StoreError {
    let rusqlite::Error::SqliteFailure(failure, message) = &e else {
        return StoreError::Other(e.to_string());
    };
    let code = code_name(failure.extended_code);
    let message = message.clone().unwrap_or_else(|| failure.to_string());
    match failure.code {
        ErrorCode::ConstraintViolation => StoreError::Rejected { code, message },
        ErrorCode::DiskFull
        | ErrorCode::SystemIoFailure
        | ErrorCode::DatabaseBusy
        | ErrorCode::DatabaseLocked
        | ErrorCode::ReadOnly
        | ErrorCode::CannotOpen
        | ErrorCode::PermissionDenied
        | ErrorCode::OutOfMemory
        | ErrorCode::FileLockingProtocolFailed => StoreError::Unavailable(format!("{message} ({code})")),
        _ => StoreError::Other(format!("{message} ({code})")),
    }
}

/// `SQLITE_CONSTRAINT_PRIMARYKEY`, `SQLITE_FULL`, `SQLITE_IOERR(1034)` …
pub(super) fn code_name(extended: std::ffi::c_int) -> String {
    let constraint = match extended {
        ffi::SQLITE_CONSTRAINT_CHECK => Some("CHECK"),
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Some("FOREIGNKEY"),
        ffi::SQLITE_CONSTRAINT_NOTNULL => Some("NOTNULL"),
        ffi::SQLITE_CONSTRAINT_PRIMARYKEY => Some("PRIMARYKEY"),
        ffi::SQLITE_CONSTRAINT_TRIGGER => Some("TRIGGER"),
        ffi::SQLITE_CONSTRAINT_UNIQUE => Some("UNIQUE"),
        ffi::SQLITE_CONSTRAINT_DATATYPE => Some("DATATYPE"),
        _ => None,
    };
    if let Some(c) = constraint {
        return format!("SQLITE_CONSTRAINT_{c}");
    }
    let primary = match extended & 0xff {
        ffi::SQLITE_CONSTRAINT => "SQLITE_CONSTRAINT",
        ffi::SQLITE_FULL => "SQLITE_FULL",
        ffi::SQLITE_IOERR => "SQLITE_IOERR",
        ffi::SQLITE_BUSY => "SQLITE_BUSY",
        ffi::SQLITE_LOCKED => "SQLITE_LOCKED",
        ffi::SQLITE_READONLY => "SQLITE_READONLY",
        ffi::SQLITE_CANTOPEN => "SQLITE_CANTOPEN",
        ffi::SQLITE_PERM => "SQLITE_PERM",
        ffi::SQLITE_NOMEM => "SQLITE_NOMEM",
        ffi::SQLITE_CORRUPT => "SQLITE_CORRUPT",
        ffi::SQLITE_NOTADB => "SQLITE_NOTADB",
        ffi::SQLITE_PROTOCOL => "SQLITE_PROTOCOL",
        _ => "SQLITE_ERROR",
    };
    if extended > 0xff { format!("{primary}({extended})") } else { primary.to_owned() }
}

pub(super) fn to_i64(v: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Other(format!("{what} {v} does not fit an SQLite integer")))
}

pub(super) fn to_u64(v: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Other(format!("negative {what} {v} in the database")))
}

pub(super) fn to_json<T: serde::Serialize>(v: &T, what: &str) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(format!("cannot encode {what}: {e}")))
}

pub(super) fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Other(format!("undecodable {what} in the database: {e}")))
}
