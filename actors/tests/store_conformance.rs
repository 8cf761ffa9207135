//! One behaviour, two stores: every case below runs against PostgreSQL (a
//! fresh database from `testing::fresh_db`) and against the embedded SQLite
//! store (a fresh temporary directory). `conformance!` instantiates each case
//! once per store, as `<file>::postgres::<case>` and `<file>::sqlite::<case>`.
//! What differs between the stores (error codes, how to corrupt a snapshot
//! from outside) lives in [`Backend`]; the cases themselves only see
//! `dyn Store`. The cases, by concept, in `store_conformance/`: `log` (the
//! event log and command table), `state` (the projected state), `projects`
//! (projects, phases, dependencies and milestones), `snapshots`, `identity`
//! (`AuthStore`), `admin` (members removed, invitations revoked, calendar
//! feeds), `turns` (batches committing in turn, the writer's pipeline), and
//! `embedded` (what only the embedded store has).

mod common;

use common::*;
use pt_actors::store::postgres::PgStore;
use pt_actors::store::postgres::testing::{TestDb, fresh_db};
use pt_actors::store::sqlite::SqliteStore;
use pt_actors::store::{Store, StoreError, TenantState, compact};
use pt_protocol::{Artist, ArtistId, Booking, BookingId, BookingStatus, CmdId, Event, EventEnvelope, TenantId};
use serde_json::json;
use std::sync::Arc;

// ---------------------------------------------------------------------------
// The stores under test

#[derive(Clone, Copy, Debug)]
enum Kind {
    Postgres,
    Sqlite,
}

/// A store under test plus what it lives in (dropped with it).
struct Backend {
    store: Arc<dyn Store>,
    home: Home,
}

enum Home {
    Postgres(TestDb),
    Sqlite(tempfile::TempDir),
}

impl Backend {
    async fn new(kind: Kind, migrate: bool) -> Backend {
        let b = match kind {
            Kind::Postgres => {
                let db = fresh_db().await;
                let store = PgStore::connect(&db.url, 8).await.expect("connect");
                Backend { store: Arc::new(store), home: Home::Postgres(db) }
            }
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = SqliteStore::open(&dir.path().join("data")).expect("open");
                Backend { store: Arc::new(store), home: Home::Sqlite(dir) }
            }
        };
        if migrate {
            b.store.migrate().await.expect("migrate");
        }
        b
    }

    async fn migrated(kind: Kind) -> Backend {
        Backend::new(kind, true).await
    }

    fn store(&self) -> &dyn Store {
        &*self.store
    }

    async fn tenant(&self) -> TenantId {
        let t = TenantId::new();
        self.store.ensure_tenant(t, "Studio").await.unwrap();
        t
    }

    /// Closes the store and opens the same database again.
    async fn reopen(&mut self) {
        self.store = match &self.home {
            Home::Postgres(db) => Arc::new(PgStore::connect(&db.url, 8).await.expect("reconnect")),
            Home::Sqlite(dir) => {
                // Close the file first (by swapping in a store elsewhere): this
                // must be a real reopen, not a second connection.
                self.store = Arc::new(SqliteStore::open(&dir.path().join("elsewhere")).unwrap());
                Arc::new(SqliteStore::open(&dir.path().join("data")).expect("reopen"))
            }
        };
    }

    /// The code of a duplicate-key refusal (a reused `cmd_id` or `seq`).
    fn duplicate_code(&self) -> &'static str {
        match self.home {
            Home::Postgres(_) => "23505",
            Home::Sqlite(_) => "SQLITE_CONSTRAINT_PRIMARYKEY",
        }
    }

    /// The code of a refused reference (a booking of another tenant's artist).
    fn foreign_key_code(&self) -> &'static str {
        match self.home {
            Home::Postgres(_) => "23503",
            Home::Sqlite(_) => "SQLITE_CONSTRAINT_FOREIGNKEY",
        }
    }

    /// The `seq`s of the tenant's stored snapshots, newest first.
    async fn snapshot_seqs(&self, t: TenantId) -> Vec<u64> {
        match &self.home {
            Home::Postgres(db) => {
                let client = pg_client(db).await;
                let rows = client
                    .query("SELECT seq FROM snapshots WHERE tenant_id = $1 ORDER BY seq DESC", &[&t.0])
                    .await
                    .unwrap();
                rows.iter().map(|r| r.get::<_, i64>(0) as u64).collect()
            }
            Home::Sqlite(_) => {
                let conn = self.sqlite_conn();
                let mut stmt =
                    conn.prepare("SELECT seq FROM snapshots WHERE tenant_id = ?1 ORDER BY seq DESC").unwrap();
                stmt.query_map([t.0.into_bytes()], |r| r.get::<_, i64>(0)).unwrap().map(|s| s.unwrap() as u64).collect()
            }
        }
    }

    /// Flips the last byte of the snapshot of `t` at `seq`, behind the store's back.
    async fn corrupt_snapshot(&self, t: TenantId, seq: u64) {
        let seq = seq as i64;
        let flip = |mut p: Vec<u8>| {
            let last = p.len() - 1;
            p[last] ^= 0xff;
            p
        };
        match &self.home {
            Home::Postgres(db) => {
                let client = pg_client(db).await;
                let row = client
                    .query_one("SELECT payload FROM snapshots WHERE tenant_id = $1 AND seq = $2", &[&t.0, &seq])
                    .await
                    .unwrap();
                let payload = flip(row.get(0));
                client
                    .execute(
                        "UPDATE snapshots SET payload = $3 WHERE tenant_id = $1 AND seq = $2",
                        &[&t.0, &seq, &payload],
                    )
                    .await
                    .unwrap();
            }
            Home::Sqlite(_) => {
                let conn = self.sqlite_conn();
                let params = rusqlite::params![t.0.into_bytes(), seq];
                let payload: Vec<u8> = conn
                    .query_row("SELECT payload FROM snapshots WHERE tenant_id = ?1 AND seq = ?2", params, |r| r.get(0))
                    .unwrap();
                conn.execute(
                    "UPDATE snapshots SET payload = ?3 WHERE tenant_id = ?1 AND seq = ?2",
                    rusqlite::params![t.0.into_bytes(), seq, flip(payload)],
                )
                .unwrap();
            }
        }
    }

    /// A connection of the test's own to the embedded store's file.
    fn sqlite_conn(&self) -> rusqlite::Connection {
        let Home::Sqlite(dir) = &self.home else { unreachable!("not the embedded store") };
        let conn =
            rusqlite::Connection::open(dir.path().join("data").join(pt_actors::store::sqlite::FILE_NAME)).unwrap();
        conn.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
        conn
    }
}

async fn pg_client(db: &TestDb) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client
}

/// Instantiates every case for both stores.
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case(super::Kind::Postgres).await
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case(super::Kind::Sqlite).await
                }
            )*
        }
    };
}

// The cases. (Paths of their own: a file directly under `tests/` would be a
// test crate.)
#[path = "store_conformance/admin.rs"]
mod admin;
#[path = "store_conformance/embedded.rs"]
mod embedded;
#[path = "store_conformance/identity.rs"]
mod identity;
#[path = "store_conformance/log.rs"]
mod log;
#[path = "store_conformance/projects.rs"]
mod projects;
#[path = "store_conformance/snapshots.rs"]
mod snapshots;
#[path = "store_conformance/state.rs"]
mod state;
#[path = "store_conformance/turns.rs"]
mod turns;

// ---------------------------------------------------------------------------
// Assertions the cases share

fn assert_refused(r: Result<(), StoreError>, code: &str) {
    assert_rejected(r, code)
}

/// Refused by the store's own double-booking guard (PostgreSQL's exclusion
/// constraint, the embedded store's check), whatever the code.
fn assert_double_booking(r: Result<(), StoreError>) {
    match r {
        Err(StoreError::Rejected { message, .. }) => assert!(message.contains("no_double_booking"), "{message}"),
        other => panic!("expected a double-booking refusal, got {other:?}"),
    }
}

/// The tenant's state, sorted, compared field by field for readable failures.
fn assert_same_state(got: TenantState, want: TenantState) {
    let (got, want) = (sorted(got), sorted(want));
    assert_eq!(got.artists, want.artists);
    assert_eq!(got.bookings, want.bookings);
    assert_eq!(got.projects, want.projects);
    assert_eq!(got.phases, want.phases);
    assert_eq!(got.dependencies, want.dependencies);
    assert_eq!(got.milestones, want.milestones);
    assert_eq!(got.last_seq, want.last_seq);
}
