//! The PostgreSQL schema: the embedded migrations (applied as the owner,
//! serialized across servers by an advisory lock) and the readiness check
//! that the database is at this build's version.

use super::*;

/// One embedded schema change. Versions only grow; a released file never changes.
struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../../../../migrations/0001_init.sql") },
    Migration { version: 2, name: "snapshots", sql: include_str!("../../../../migrations/0002_snapshots.sql") },
    Migration {
        version: 3,
        name: "row_level_security",
        sql: include_str!("../../../../migrations/0003_row_level_security.sql"),
    },
    Migration { version: 4, name: "identity", sql: include_str!("../../../../migrations/0004_identity.sql") },
    Migration { version: 5, name: "time_off", sql: include_str!("../../../../migrations/0005_time_off.sql") },
    Migration { version: 6, name: "app_login", sql: include_str!("../../../../migrations/0006_app_login.sql") },
    Migration { version: 7, name: "users_rls", sql: include_str!("../../../../migrations/0007_users_rls.sql") },
    Migration { version: 8, name: "projects", sql: include_str!("../../../../migrations/0008_projects.sql") },
    Migration { version: 9, name: "availability", sql: include_str!("../../../../migrations/0009_availability.sql") },
    Migration { version: 10, name: "studio_admin", sql: include_str!("../../../../migrations/0010_studio_admin.sql") },
    Migration { version: 11, name: "write_path", sql: include_str!("../../../../migrations/0011_write_path.sql") },
    Migration {
        version: 12,
        name: "hold_challenge",
        sql: include_str!("../../../../migrations/0012_hold_challenge.sql"),
    },
    Migration {
        version: 13,
        name: "notifications",
        sql: include_str!("../../../../migrations/0013_notifications.sql"),
    },
    Migration { version: 14, name: "jobs", sql: include_str!("../../../../migrations/0014_jobs.sql") },
];

/// Key of the transaction-scoped advisory lock that serializes migrations of
/// concurrently starting servers ("pt_migra" in ASCII). Advisory locks are per
/// database, so servers of different databases never wait on each other.
const MIGRATION_LOCK_KEY: i64 = 0x7074_5f6d_6967_7261;

/// The version of the newest embedded migration.
fn latest_version() -> i32 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

impl PgStore {
    /// The schema version this build migrates to.
    pub fn schema_version() -> i32 {
        latest_version()
    }
}

pub(super) async fn migrate(store: &PgStore) -> Result<(), StoreError> {
    // As the owner, on a connection of its own (closed when done).
    let mut conn = owner_connection(&store.owner).await?;
    // Every step takes the lock first: even `CREATE TABLE IF NOT EXISTS`
    // fails with a unique violation when two sessions race it.
    let tx = conn.transaction().await.map_err(map_pg)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY]).await.map_err(map_pg)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS pt_schema_migrations (
             version    int PRIMARY KEY,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await
    .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;

    for m in MIGRATIONS {
        let tx = conn.transaction().await.map_err(map_pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY]).await.map_err(map_pg)?;
        let applied = tx
            .query_opt("SELECT 1 FROM pt_schema_migrations WHERE version = $1", &[&m.version])
            .await
            .map_err(map_pg)?
            .is_some();
        if !applied {
            let failed = |e: tokio_postgres::Error| match map_pg(e) {
                StoreError::Unavailable(e) => StoreError::Unavailable(e),
                e => StoreError::Other(format!("migration {} ({}) failed: {e}", m.version, m.name)),
            };
            tx.batch_execute(m.sql).await.map_err(failed)?;
            tx.execute("INSERT INTO pt_schema_migrations (version, name) VALUES ($1, $2)", &[&m.version, &m.name])
                .await
                .map_err(map_pg)?;
            tracing::info!(version = m.version, name = m.name, "applied migration");
        }
        tx.commit().await.map_err(map_pg)?;
    }
    Ok(())
}

pub(super) async fn ready(store: &PgStore) -> Result<(), StoreError> {
    let latest = latest_version();
    if let Err(e) = store.first_conn().await {
        // Before the migrations, the runtime role may not exist or log in yet.
        return Err(match e.login_refused() {
            Some(code) if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => StoreError::Other(format!(
                "migrations not applied? (this build expects version {latest}) {}",
                e.into_store_error(&store.app_user)
            )),
            _ => e.into_store_error(&store.app_user),
        });
    }
    let conn = store.conn().await?;
    // The runtime role may read the table from version 6 on.
    let row = conn
        .query_one(
            "SELECT CASE WHEN to_regclass('pt_schema_migrations') IS NULL THEN NULL
                         ELSE has_table_privilege('pt_schema_migrations', 'SELECT') END",
            &[],
        )
        .await
        .map_err(map_pg)?;
    match row.try_get::<_, Option<bool>>(0).map_err(map_pg)? {
        None => {
            return Err(StoreError::Other(format!(
                "migrations not applied: no pt_schema_migrations table (expected version {latest})"
            )));
        }
        Some(false) => {
            return Err(StoreError::Other(format!(
                "migrations not applied: {} may not read pt_schema_migrations yet (expected version {latest})",
                store.app_user
            )));
        }
        Some(true) => {}
    }
    let row = conn.query_one("SELECT max(version) FROM pt_schema_migrations", &[]).await.map_err(map_pg)?;
    let applied: Option<i32> = row.try_get(0).map_err(map_pg)?;
    // A newer schema is fine (another server migrated ahead in a rolling
    // deploy; migrations are additive); an older one is not.
    if applied.unwrap_or(0) < latest {
        return Err(StoreError::Other(format!(
            "migrations not applied: database at version {}, this build expects {latest}",
            applied.unwrap_or(0)
        )));
    }
    Ok(())
}
