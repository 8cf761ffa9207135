//! The embedded store's schema: its migrations (embedded, applied in order,
//! each once) and the readiness check that the file is at this build's version.

use super::*;

/// One embedded schema change. Versions only grow; a released file never changes.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../../../../migrations/sqlite/0001_init.sql") },
    Migration { version: 2, name: "identity", sql: include_str!("../../../../migrations/sqlite/0002_identity.sql") },
    Migration { version: 3, name: "projects", sql: include_str!("../../../../migrations/sqlite/0003_projects.sql") },
    Migration {
        version: 4,
        name: "availability",
        sql: include_str!("../../../../migrations/sqlite/0004_availability.sql"),
    },
    Migration {
        version: 5,
        name: "studio_admin",
        sql: include_str!("../../../../migrations/sqlite/0005_studio_admin.sql"),
    },
    Migration {
        version: 6,
        name: "hold_queue",
        sql: include_str!("../../../../migrations/sqlite/0006_hold_queue.sql"),
    },
    Migration {
        version: 7,
        name: "notifications",
        sql: include_str!("../../../../migrations/sqlite/0007_notifications.sql"),
    },
    Migration { version: 8, name: "jobs", sql: include_str!("../../../../migrations/sqlite/0008_jobs.sql") },
];

/// The version of the newest embedded migration.
fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

pub(super) fn migrate_tx(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_up_to(conn, i64::MAX)
}

/// Applies the migrations up to `version` (tests upgrade an older file with it).
pub(super) fn migrate_up_to(conn: &mut Connection, version: i64) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS pt_schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT    NOT NULL,
             applied_at INTEGER NOT NULL
         ) STRICT",
    )
    .map_err(map_sqlite)?;
    for m in MIGRATIONS.iter().filter(|m| m.version <= version) {
        // IMMEDIATE takes the write lock first, so two processes starting on
        // one file apply each migration once.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map_sqlite)?;
        let applied = tx
            .query_row("SELECT 1 FROM pt_schema_migrations WHERE version = ?1", [m.version], |_| Ok(()))
            .optional()
            .map_err(map_sqlite)?
            .is_some();
        if !applied {
            tx.execute_batch(m.sql).map_err(|e| match map_sqlite(e) {
                StoreError::Unavailable(e) => StoreError::Unavailable(e),
                e => StoreError::Other(format!("migration {} ({}) failed: {e}", m.version, m.name)),
            })?;
            tx.execute(
                "INSERT INTO pt_schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                params![m.version, m.name, Timestamp::now().micros()],
            )
            .map_err(map_sqlite)?;
            tracing::info!(version = m.version, name = m.name, "applied embedded migration");
        }
        tx.commit().map_err(map_sqlite)?;
    }
    Ok(())
}

/// Ok when the file's schema is at this build's version or newer.
pub(super) fn ready_tx(conn: &Connection) -> Result<(), StoreError> {
    let latest = latest_version();
    let has_table: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'pt_schema_migrations')",
            [],
            |r| r.get(0),
        )
        .map_err(map_sqlite)?;
    if !has_table {
        return Err(StoreError::Other(format!(
            "migrations not applied: no pt_schema_migrations table (expected version {latest})"
        )));
    }
    let applied: Option<i64> =
        conn.query_row("SELECT max(version) FROM pt_schema_migrations", [], |r| r.get(0)).map_err(map_sqlite)?;
    // A newer schema is fine (a newer build migrated ahead; migrations are additive).
    if applied.unwrap_or(0) < latest {
        return Err(StoreError::Other(format!(
            "migrations not applied: database at version {}, this build expects {latest}",
            applied.unwrap_or(0)
        )));
    }
    Ok(())
}
