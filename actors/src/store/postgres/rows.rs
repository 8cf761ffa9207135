//! PostgreSQL errors mapped onto the store's kinds, and rows ↔ types.

use super::*;

// ---------------------------------------------------------------------------
// Errors

/// Maps a driver error onto the store's three kinds (see the module docs).
pub(super) fn map_pg(e: tokio_postgres::Error) -> StoreError {
    let Some(code) = e.code() else {
        // No SQLSTATE: the connection broke or could not be made — unless the
        // driver refused our own values/columns, which retrying will not fix.
        let text = e.to_string();
        let ours = ["error serializing", "error deserializing", "invalid column", "query returned", "expected "];
        return if ours.iter().any(|p| text.starts_with(p)) {
            StoreError::Other(with_source(&e))
        } else {
            StoreError::Unavailable(with_source(&e))
        };
    };
    let message = e.as_db_error().map_or_else(|| e.to_string(), db_message);
    let sqlstate = code.code();
    if sqlstate.starts_with("23") {
        StoreError::Rejected { code: sqlstate.to_owned(), message }
    } else if sqlstate.starts_with("08") // connection exception
        || sqlstate.starts_with("53") // insufficient resources (too many connections …)
        || sqlstate.starts_with("57P") // admin/crash shutdown, cannot connect now
        || sqlstate.starts_with("40") // serialization failure, deadlock: a retry may pass
        || *code == SqlState::QUERY_CANCELED
        || *code == SqlState::READ_ONLY_SQL_TRANSACTION
    {
        StoreError::Unavailable(format!("{message} ({sqlstate})"))
    } else {
        StoreError::Other(format!("{message} ({sqlstate})"))
    }
}

pub(super) fn db_message(db: &tokio_postgres::error::DbError) -> String {
    match (db.constraint(), db.detail()) {
        (Some(c), Some(d)) => format!("{} [constraint {c}: {d}]", db.message()),
        (Some(c), None) => format!("{} [constraint {c}]", db.message()),
        (None, Some(d)) => format!("{} [{d}]", db.message()),
        (None, None) => db.message().to_owned(),
    }
}

pub(super) fn with_source(e: &tokio_postgres::Error) -> String {
    match std::error::Error::source(e) {
        Some(s) => format!("{e}: {s}"),
        None => e.to_string(),
    }
}

pub(super) fn to_i64(v: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Other(format!("{what} {v} does not fit a bigint")))
}

pub(super) fn to_u64(v: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Other(format!("negative {what} {v} in the database")))
}

// ---------------------------------------------------------------------------
// Rows ↔ types

pub(super) fn artist_from_row(row: &Row) -> Result<Artist, StoreError> {
    let archived_at: Option<DateTime<Utc>> = row.try_get("archived_at").map_err(map_pg)?;
    Ok(Artist {
        id: ArtistId(row.try_get("id").map_err(map_pg)?),
        name: row.try_get("name").map_err(map_pg)?,
        email: row.try_get("email").map_err(map_pg)?,
        skills: row.try_get("skills").map_err(map_pg)?,
        timezone: row.try_get("timezone").map_err(map_pg)?,
        active: row.try_get("active").map_err(map_pg)?,
        time_off: json_column(row, "time_off")?,
        working_hours: json_column(row, "working_hours")?,
        profile: json_column(row, "profile")?,
        rate: json_column(row, "rate")?,
        archived_at: archived_at.map(Timestamp::from_chrono),
        version: to_u64(row.try_get("version").map_err(map_pg)?, "artist version")?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
        updated_at: Timestamp::from_chrono(row.try_get("updated_at").map_err(map_pg)?),
    })
}

/// A jsonb column decoded into `T` (a SQL `NULL` reads as JSON `null`).
fn json_column<T: serde::de::DeserializeOwned>(row: &Row, column: &str) -> Result<T, StoreError> {
    let v: Option<serde_json::Value> = row.try_get(column).map_err(map_pg)?;
    serde_json::from_value(v.unwrap_or(serde_json::Value::Null))
        .map_err(|e| StoreError::Other(format!("undecodable artists.{column} in the database: {e}")))
}

pub(super) fn booking_from_row(row: &Row) -> Result<Booking, StoreError> {
    let status: &str = row.try_get("status").map_err(map_pg)?;
    let project_id: Option<Uuid> = row.try_get("project_id").map_err(map_pg)?;
    let phase_id: Option<Uuid> = row.try_get("phase_id").map_err(map_pg)?;
    let expires_at: Option<DateTime<Utc>> = row.try_get("expires_at").map_err(map_pg)?;
    Ok(Booking {
        id: BookingId(row.try_get("id").map_err(map_pg)?),
        artist_id: ArtistId(row.try_get("artist_id").map_err(map_pg)?),
        project_id: project_id.map(Into::into),
        phase_id: phase_id.map(PhaseId),
        title: row.try_get("title").map_err(map_pg)?,
        notes: row.try_get("notes").map_err(map_pg)?,
        start_time: Timestamp::from_chrono(row.try_get("start_time").map_err(map_pg)?),
        end_time: Timestamp::from_chrono(row.try_get("end_time").map_err(map_pg)?),
        status: BookingStatus::parse(status)
            .ok_or_else(|| StoreError::Other(format!("unknown booking status `{status}` in the database")))?,
        expires_at: expires_at.map(Timestamp::from_chrono),
        version: to_u64(row.try_get("version").map_err(map_pg)?, "booking version")?,
        created_at: Timestamp::from_chrono(row.try_get("created_at").map_err(map_pg)?),
        created_by: row.try_get::<_, &str>("created_by").map_err(map_pg)?.into(),
        updated_at: Timestamp::from_chrono(row.try_get("updated_at").map_err(map_pg)?),
        updated_by: row.try_get::<_, &str>("updated_by").map_err(map_pg)?.into(),
        allow_overtime: row.try_get("allow_overtime").map_err(map_pg)?,
        challenged_by: row.try_get::<_, Option<Uuid>>("challenged_by").map_err(map_pg)?.map(BookingId),
        queued_for: match row.try_get::<_, Option<&str>>("queued_for").map_err(map_pg)? {
            None => None,
            Some(q) => Some(
                BookingStatus::parse(q)
                    .ok_or_else(|| StoreError::Other(format!("unknown queued status `{q}` in the database")))?,
            ),
        },
    })
}

pub(super) fn event_from_row(row: &Row) -> Result<EventEnvelope, StoreError> {
    let payload: serde_json::Value = row.try_get("payload").map_err(map_pg)?;
    Ok(EventEnvelope {
        seq: to_u64(row.try_get("seq").map_err(map_pg)?, "seq")?,
        cmd_id: CmdId(row.try_get("cmd_id").map_err(map_pg)?),
        at: Timestamp::from_chrono(row.try_get("at").map_err(map_pg)?),
        by: row.try_get("actor").map_err(map_pg)?,
        event: serde_json::from_value(payload)
            .map_err(|e| StoreError::Other(format!("undecodable event payload in the database: {e}")))?,
    })
}

pub(super) const ARTIST_COLUMNS: &str = "id, name, email, skills, timezone, active, time_off, archived_at, version, created_at, updated_at, working_hours, \
     profile, rate";
pub(super) const BOOKING_COLUMNS: &str = "id, artist_id, project_id, phase_id, title, notes, start_time, end_time, \
                               status, expires_at, version, created_at, created_by, updated_at, updated_by, \
                               allow_overtime, challenged_by, queued_for";
pub(super) const EVENT_COLUMNS: &str = "seq, cmd_id, at, actor, payload";
