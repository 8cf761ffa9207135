//! One behaviour, two stores: every case below runs against PostgreSQL (a
//! fresh database from `testing::fresh_db`) and against the embedded SQLite
//! store (a fresh temporary directory). `conformance!` instantiates each case
//! once per store, as `postgres::<case>` and `sqlite::<case>`. What differs
//! between the stores (error codes, how to corrupt a snapshot from outside)
//! lives in [`Backend`]; the cases themselves only see `dyn Store`. The
//! identity cases (`AuthStore`) are in `store_conformance/identity.rs`.

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

conformance!(
    migrate_twice_and_ready,
    round_trip_with_every_field,
    the_latest_event_is_the_durable_state,
    a_command_id_is_stored_once_with_its_outcome,
    the_log_reads_back_by_seq_and_by_entity,
    tenants_see_only_their_own_rows,
    a_refused_batch_leaves_nothing_behind,
    double_bookings_are_refused_but_rebooking_in_one_batch_is_not,
    snapshots_load_with_the_events_after_them,
    a_corrupt_snapshot_falls_back_safely,
    compaction_does_not_change_what_loads,
    tenants_append_concurrently,
    data_survives_reopening,
);

// The identity rows (`AuthStore`), as `identity::{postgres,sqlite}::<case>`.
// (A path of its own: a file directly under `tests/` would be a test crate.)
#[path = "store_conformance/identity.rs"]
mod identity;

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
    assert_eq!(got.last_seq, want.last_seq);
}

// ---------------------------------------------------------------------------
// Cases

async fn migrate_twice_and_ready(kind: Kind) {
    let b = Backend::new(kind, false).await;
    let s = b.store();
    assert_eq!(
        s.kind(),
        match kind {
            Kind::Postgres => "postgres",
            Kind::Sqlite => "embedded",
        }
    );
    match s.ready().await {
        Err(StoreError::Other(m)) => assert!(m.contains("migrations not applied"), "{m}"),
        other => panic!("ready before migrate: {other:?}"),
    }
    // Concurrent migrations from one process, then once more.
    let racers: Vec<_> = (0..3)
        .map(|_| {
            let store = b.store.clone();
            tokio::spawn(async move { store.migrate().await })
        })
        .collect();
    for r in racers {
        r.await.unwrap().expect("racing migrate");
    }
    s.migrate().await.expect("migrate again");
    s.ready().await.expect("ready");
}

async fn round_trip_with_every_field(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);

    let full = Artist {
        time_off: vec![
            pt_protocol::TimeRange { start: at(48), end: at(96) },
            pt_protocol::TimeRange { start: at(200), end: at(201) },
        ],
        ..artist("Zoë Ångström")
    };
    let bare = Artist {
        email: None,
        skills: vec![],
        timezone: "Asia/Tokyo".into(),
        active: false,
        archived_at: Some(at(3)),
        ..artist("Bare")
    };
    let unicode =
        Artist { skills: vec!["合成".into(), "rigging".into(), "éclairage 🎬".into()], ..artist("Łukasz") };
    let confirmed = Booking {
        notes: Some("Notes: ünïcödé — « 撮影 » 🎥\nsecond line, 'quotes' and \"doubles\"".into()),
        title: "Shot 010 — 合成".into(),
        ..booking(&full, 9, 17, BookingStatus::Confirmed)
    };
    let hold = Booking { project_id: None, ..booking(&full, 9, 17, BookingStatus::Hold) };
    let pencil = booking(&unicode, 9, 17, BookingStatus::Pencil);
    assert!(hold.expires_at.is_some() && pencil.expires_at.is_none());

    let mut log = Log::new();
    let batch = vec![
        log.cmd(vec![
            Event::ArtistCreated { artist: full.clone() },
            Event::ArtistCreated { artist: bare.clone() },
            Event::ArtistCreated { artist: unicode.clone() },
        ]),
        log.cmd(vec![Event::BookingCreated { booking: confirmed.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: hold.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: pencil.clone() }]),
    ];
    s.append(t, &batch).await.unwrap();

    let want = TenantState {
        artists: vec![full.clone(), bare.clone(), unicode.clone()],
        bookings: vec![confirmed.clone(), hold.clone(), pencil.clone()],
        last_seq: 6,
    };
    assert_same_state(s.load_tenant(t).await.unwrap(), want);
    assert_eq!(s.load_artist(t, bare.id).await.unwrap(), Some(bare));
    assert_eq!(s.load_artist(t, unicode.id).await.unwrap(), Some(unicode));
    assert_eq!(s.load_booking(t, confirmed.id).await.unwrap(), Some(confirmed));
    assert_eq!(s.load_booking(t, hold.id).await.unwrap(), Some(hold));
    assert_eq!(s.load_booking(t, BookingId::new()).await.unwrap(), None);
    assert_eq!(s.load_artist(t, ArtistId::new()).await.unwrap(), None);
    let all: Vec<EventEnvelope> = batch.iter().flat_map(|r| r.events.clone()).collect();
    assert_eq!(s.events_since(t, 0, 100).await.unwrap(), all, "events come back exactly");

    // An empty tenant loads empty at seq 0; ensure_tenant is idempotent; an empty batch is fine.
    let empty = b.tenant().await;
    s.ensure_tenant(empty, "Studio again").await.unwrap();
    assert_eq!(s.load_tenant(empty).await.unwrap(), TenantState::default());
    s.append(empty, &[]).await.unwrap();
    assert_eq!(s.snapshot_seq(empty).await.unwrap(), 0);
}

async fn the_latest_event_is_the_durable_state(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();

    let a = artist("Ana");
    let a2 = Artist { name: "Ana B.".into(), version: 2, ..a.clone() };
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    let b_pencil = changed(&bk, |b| {
        b.status = BookingStatus::Pencil;
        b.expires_at = None;
    });
    let b_moved = changed(&b_pencil, |b| {
        b.start_time = at(13);
        b.end_time = at(15);
        b.notes = Some("moved".into());
    });
    let b_confirmed = status_changed(&b_moved, BookingStatus::Confirmed);
    let final_booking = b_confirmed.booking().unwrap().clone();
    s.append(
        t,
        &[
            log.cmd(vec![Event::ArtistCreated { artist: a.clone() }, Event::BookingCreated { booking: bk.clone() }]),
            log.cmd(vec![
                Event::ArtistUpdated { artist: a2.clone() },
                Event::BookingStatusChanged { booking: b_pencil, from: BookingStatus::Hold },
                Event::BookingUpdated { booking: b_moved },
            ]),
            log.cmd(vec![b_confirmed]),
        ],
    )
    .await
    .unwrap();
    assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(a2.clone()));
    assert_eq!(s.load_booking(t, bk.id).await.unwrap(), Some(final_booking.clone()));
    assert_same_state(
        s.load_tenant(t).await.unwrap(),
        TenantState { artists: vec![a2.clone()], bookings: vec![final_booking.clone()], last_seq: 6 },
    );

    // A later batch replaces it again; archiving keeps the artist.
    let cancelled = status_changed(&final_booking, BookingStatus::Cancelled);
    let archived = Artist { archived_at: Some(at(20)), active: false, version: 3, ..a2 };
    s.append(t, &[log.cmd(vec![cancelled.clone()]), log.cmd(vec![Event::ArtistArchived { artist: archived.clone() }])])
        .await
        .unwrap();
    assert_eq!(s.load_booking(t, bk.id).await.unwrap().as_ref(), cancelled.booking());
    assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(archived));
    assert_eq!(s.load_tenant(t).await.unwrap().last_seq, 8);
}

async fn a_command_id_is_stored_once_with_its_outcome(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");

    let mut create = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    create.request_hash = u64::MAX;
    create.outcome = json!({ "artist": a, "note": "ünïcödé 🎬", "nested": { "list": [1, 2.5, null, true] } });
    let mut two = log.cmd(vec![
        Event::BookingCreated { booking: booking(&a, 1, 2, BookingStatus::Hold) },
        Event::BookingCreated { booking: booking(&a, 3, 4, BookingStatus::Hold) },
    ]);
    two.request_hash = 1 << 63;
    let mut small = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 5, 6, BookingStatus::Pencil) }]);
    small.request_hash = 42;
    s.append(t, &[create.clone(), two.clone(), small.clone()]).await.unwrap();

    for (rec, first, last) in [(&create, 1, 1), (&two, 2, 3), (&small, 4, 4)] {
        let found = s.find_command(t, rec.cmd_id).await.unwrap().expect("stored command");
        assert_eq!(found.cmd_id, rec.cmd_id);
        assert_eq!(found.request_hash, rec.request_hash);
        assert_eq!((found.first_seq, found.last_seq), (first, last));
        assert_eq!(found.outcome, rec.outcome);
    }
    assert_eq!(s.find_command(t, CmdId::new()).await.unwrap(), None);
    // Activation reads every persisted id (and only this tenant's).
    let mut ids = s.command_ids(t).await.unwrap();
    ids.sort();
    let mut want = vec![create.cmd_id, two.cmd_id, small.cmd_id];
    want.sort();
    assert_eq!(ids, want);
    assert!(s.command_ids(b.tenant().await).await.unwrap().is_empty());

    // The same cmd_id again (new seq, other content) is refused and changes nothing.
    let before = s.load_tenant(t).await.unwrap();
    let mut again = log.cmd(vec![Event::ArtistUpdated { artist: Artist { version: 2, ..a.clone() } }]);
    again.cmd_id = small.cmd_id;
    again.request_hash = 7;
    assert_refused(s.append(t, &[again]).await, b.duplicate_code());
    assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(a));
    assert_eq!(s.find_command(t, small.cmd_id).await.unwrap().unwrap().request_hash, 42);
    assert!(s.events_since(t, 4, 10).await.unwrap().is_empty());
    assert_same_state(s.load_tenant(t).await.unwrap(), before);
}

async fn the_log_reads_back_by_seq_and_by_entity(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let other = booking(&a, 20, 21, BookingStatus::Hold);
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    let pencil = status_changed(&bk, BookingStatus::Pencil);
    let confirmed = status_changed(pencil.booking().unwrap(), BookingStatus::Confirmed);

    let first = vec![
        log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: bk.clone() }, Event::BookingCreated { booking: other.clone() }]),
    ];
    let second = vec![log.cmd(vec![pencil]), log.cmd(vec![confirmed])];
    s.append(t, &first).await.unwrap();
    s.append(t, &second).await.unwrap();
    let all: Vec<EventEnvelope> = first.iter().chain(&second).flat_map(|r| r.events.clone()).collect();
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);

    // entity_events: only that entity, in seq order, decoded exactly.
    let of_b = s.entity_events(t, bk.id.0).await.unwrap();
    assert_eq!(of_b.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 4, 5]);
    assert_eq!(of_b, all.iter().filter(|e| e.event.entity().uuid() == bk.id.0).cloned().collect::<Vec<_>>());
    assert_eq!(s.entity_events(t, a.id.0).await.unwrap(), vec![all[0].clone()]);
    assert!(s.entity_events(t, uuid::Uuid::now_v7()).await.unwrap().is_empty());

    // events_since: strictly after, in order, at most `limit`; paging covers the log without gaps.
    assert_eq!(s.events_since(t, 0, 100).await.unwrap(), all);
    assert_eq!(s.events_since(t, 0, 2).await.unwrap(), all[..2].to_vec());
    assert_eq!(s.events_since(t, 2, 2).await.unwrap(), all[2..4].to_vec());
    assert_eq!(s.events_since(t, 4, 10).await.unwrap(), all[4..].to_vec());
    assert!(s.events_since(t, 5, 10).await.unwrap().is_empty());
    assert!(s.events_since(t, 0, 0).await.unwrap().is_empty());
    assert!(s.events_since(t, u64::MAX, 10).await.unwrap().is_empty());
    let (mut after, mut paged) = (0, Vec::new());
    loop {
        let page = s.events_since(t, after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.seq;
        paged.extend(page);
    }
    assert_eq!(paged, all);
}

async fn tenants_see_only_their_own_rows(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (t1, t2) = (b.tenant().await, b.tenant().await);

    // Both logs start at seq 1: seq is per tenant.
    let (mut log1, mut log2) = (Log::new(), Log::new());
    let (a1, a2) = (artist("One"), artist("Two"));
    let (b1, b2) = (booking(&a1, 9, 17, BookingStatus::Confirmed), booking(&a2, 9, 17, BookingStatus::Confirmed));
    let r1 = log1.cmd(vec![Event::ArtistCreated { artist: a1.clone() }, Event::BookingCreated { booking: b1.clone() }]);
    let r2 = log2.cmd(vec![Event::ArtistCreated { artist: a2.clone() }, Event::BookingCreated { booking: b2.clone() }]);
    s.append(t1, std::slice::from_ref(&r1)).await.unwrap();
    s.append(t2, std::slice::from_ref(&r2)).await.unwrap();
    s.save_snapshot(t1, &s.load_tenant(t1).await.unwrap()).await.unwrap();

    let want1 = TenantState { artists: vec![a1.clone()], bookings: vec![b1.clone()], last_seq: 2 };
    assert_same_state(s.load_tenant(t1).await.unwrap(), want1);
    assert_same_state(
        s.load_tenant(t2).await.unwrap(),
        TenantState { artists: vec![a2.clone()], bookings: vec![b2.clone()], last_seq: 2 },
    );
    assert_eq!(s.snapshot_seq(t2).await.unwrap(), 0);
    assert_eq!(s.load_booking(t2, b1.id).await.unwrap(), None);
    assert_eq!(s.load_artist(t1, a2.id).await.unwrap(), None);
    assert_eq!(s.find_command(t2, r1.cmd_id).await.unwrap(), None);
    assert!(s.entity_events(t1, b2.id.0).await.unwrap().is_empty());
    assert_eq!(s.events_since(t1, 0, 10).await.unwrap(), r1.events);
    assert_eq!(s.events_since(t2, 0, 10).await.unwrap(), r2.events);

    // A booking may not point at another tenant's artist; an unknown tenant cannot append.
    let stray = booking(&a1, 1, 2, BookingStatus::Hold);
    assert_refused(
        s.append(t2, &[log2.cmd(vec![Event::BookingCreated { booking: stray }])]).await,
        b.foreign_key_code(),
    );
    let unknown = TenantId::new();
    let orphan = Log::new().cmd(vec![Event::ArtistCreated { artist: artist("Nobody") }]);
    assert_refused(s.append(unknown, &[orphan]).await, b.foreign_key_code());
}

async fn a_refused_batch_leaves_nothing_behind(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let first = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    s.append(t, std::slice::from_ref(&first)).await.unwrap();
    let before = s.load_tenant(t).await.unwrap();

    // Innocent commands (new artist, new booking, changed artist) before a culprit.
    let ben = artist("Ben");
    let held = booking(&a, 1, 2, BookingStatus::Hold);
    let innocent = vec![
        log.cmd(vec![Event::ArtistCreated { artist: ben.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: held.clone() }]),
        log.cmd(vec![Event::ArtistUpdated { artist: Artist { version: 2, ..a.clone() } }]),
    ];
    let check_nothing_changed = || async {
        assert_same_state(s.load_tenant(t).await.unwrap(), before.clone());
        assert!(s.events_since(t, 1, 100).await.unwrap().is_empty());
        for rec in &innocent {
            assert_eq!(s.find_command(t, rec.cmd_id).await.unwrap(), None);
        }
        assert_eq!(s.load_artist(t, ben.id).await.unwrap(), None);
        assert_eq!(s.load_booking(t, held.id).await.unwrap(), None);
        assert_eq!(s.load_artist(t, a.id).await.unwrap(), Some(a.clone()));
    };

    // A reused cmd_id at the end of the batch.
    let mut reused = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 3, 4, BookingStatus::Hold) }]);
    reused.cmd_id = first.cmd_id;
    let batch: Vec<_> = innocent.iter().cloned().chain([reused]).collect();
    assert_refused(s.append(t, &batch).await, b.duplicate_code());
    check_nothing_changed().await;

    // A reused seq (a sequencer bug) at the end of the batch.
    let mut dup_seq = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 5, 6, BookingStatus::Hold) }]);
    dup_seq.events[0].seq = 1;
    let batch: Vec<_> = innocent.iter().cloned().chain([dup_seq]).collect();
    assert_refused(s.append(t, &batch).await, b.duplicate_code());
    check_nothing_changed().await;

    // Without the culprit the same seqs go through: nothing half-written blocks them.
    s.append(t, &innocent).await.unwrap();
    assert_eq!(s.load_tenant(t).await.unwrap().last_seq, 4);
    assert_eq!(s.load_booking(t, held.id).await.unwrap(), Some(held));
}

async fn double_bookings_are_refused_but_rebooking_in_one_batch_is_not(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let (a, ben) = (artist("Ana"), artist("Ben"));
    let old = booking(&a, 9, 17, BookingStatus::Confirmed);
    let bens = booking(&ben, 9, 17, BookingStatus::Pencil);
    s.append(
        t,
        &[log.cmd(vec![
            Event::ArtistCreated { artist: a.clone() },
            Event::ArtistCreated { artist: ben.clone() },
            Event::BookingCreated { booking: old.clone() },
            Event::BookingCreated { booking: bens.clone() },
        ])],
    )
    .await
    .unwrap();

    // Touching ranges, holds, finished bookings and another artist's slot never clash.
    let fine = [
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 17, 18, BookingStatus::Pencil) }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 8, 9, BookingStatus::Confirmed) }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 10, 12, BookingStatus::Hold) }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 11, 12, BookingStatus::Hold) }]),
        log.cmd(vec![status_changed(&booking(&a, 9, 13, BookingStatus::Hold), BookingStatus::Cancelled)]),
    ];
    s.append(t, &fine).await.expect("no overlap among exclusive bookings");

    // An overlap, with a stored booking or inside the batch, refuses the whole batch.
    let before = s.load_tenant(t).await.unwrap();
    let next = log.next_seq;
    let innocent = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 1, 2, BookingStatus::Hold) }]);
    let clash = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 16, 18, BookingStatus::Pencil) }]);
    assert_double_booking(s.append(t, &[innocent.clone(), clash]).await);
    log.next_seq = next;
    let p1 = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 20, 22, BookingStatus::Pencil) }]);
    let p2 = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 21, 23, BookingStatus::Confirmed) }]);
    assert_double_booking(s.append(t, &[p1, p2]).await);
    log.next_seq = next;
    assert_same_state(s.load_tenant(t).await.unwrap(), before);
    assert_eq!(s.find_command(t, innocent.cmd_id).await.unwrap(), None);

    // Cancel and rebook one slot, and move Ben's pencil onto Ana's freed slot
    // while a new booking takes Ben's: only the batch's final states count.
    let rebooked = booking(&a, 9, 17, BookingStatus::Pencil);
    let moved = changed(&bens, |x| x.artist_id = a.id);
    let batch = [
        log.cmd(vec![status_changed(&old, BookingStatus::Cancelled)]),
        log.cmd(vec![Event::BookingCreated { booking: rebooked.clone() }]),
        log.cmd(vec![status_changed(&rebooked, BookingStatus::Cancelled)]),
        log.cmd(vec![Event::BookingMoved { booking: moved.clone(), from_artist_id: ben.id }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&ben, 9, 17, BookingStatus::Confirmed) }]),
    ];
    s.append(t, &batch).await.expect("only the final states of a batch are checked");
    assert_eq!(s.load_booking(t, moved.id).await.unwrap(), Some(moved));
    let state = s.load_tenant(t).await.unwrap();
    assert_eq!(state.last_seq, 4 + fine.len() as u64 + batch.len() as u64);
}

async fn snapshots_load_with_the_events_after_them(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    s.append(
        t,
        &[log.cmd(vec![Event::ArtistCreated { artist: a.clone() }, Event::BookingCreated { booking: bk.clone() }])],
    )
    .await
    .unwrap();

    // load_tenant starts from the snapshot: one carrying an artist the log does
    // not know (never so in real life) shows it.
    let at2 = s.load_tenant(t).await.unwrap();
    let ghost = artist("Only in the snapshot");
    let marked = TenantState { artists: vec![a.clone(), ghost], ..at2.clone() };
    s.save_snapshot(t, &marked).await.unwrap();
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 2);
    assert_same_state(s.load_tenant(t).await.unwrap(), marked.clone());

    // Events after the snapshot are replayed on top of it.
    let pencil = status_changed(&bk, BookingStatus::Pencil);
    let ben = artist("Ben");
    let later = [
        log.cmd(vec![pencil.clone()]),
        log.cmd(vec![Event::ArtistCreated { artist: ben.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&ben, 1, 2, BookingStatus::Confirmed) }]),
    ];
    s.append(t, &later).await.unwrap();
    let mut want = marked.clone();
    want.apply_all(&later.iter().flat_map(|r| r.events.clone()).collect::<Vec<_>>());
    assert_eq!((want.last_seq, want.artists.len(), want.bookings.len()), (5, 3, 2));
    let got = s.load_tenant(t).await.unwrap();
    assert_same_state(got.clone(), want.clone());
    assert_eq!(got.bookings.iter().find(|x| x.id == bk.id), pencil.booking());

    // More snapshots: the newest counts, at most two are kept, re-saving one seq is fine.
    s.save_snapshot(t, &got).await.unwrap();
    s.save_snapshot(t, &got).await.unwrap();
    let cancelled = status_changed(pencil.booking().unwrap(), BookingStatus::Cancelled);
    s.append(t, &[log.cmd(vec![cancelled.clone()])]).await.unwrap();
    let at6 = s.load_tenant(t).await.unwrap();
    s.save_snapshot(t, &at6).await.unwrap();
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 6);
    assert_eq!(b.snapshot_seqs(t).await, vec![6, 5]);
    assert_eq!(s.load_tenant(t).await.unwrap().bookings.iter().find(|x| x.id == bk.id), cancelled.booking());
    // An older snapshot saved late (a slow compaction) does not become the newest.
    s.save_snapshot(t, &at2).await.unwrap();
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 6);
    assert_same_state(s.load_tenant(t).await.unwrap(), at6);
}

async fn a_corrupt_snapshot_falls_back_safely(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let a = artist("Ana");
    let bk = booking(&a, 9, 12, BookingStatus::Hold);
    s.append(
        t,
        &[log.cmd(vec![Event::ArtistCreated { artist: a.clone() }, Event::BookingCreated { booking: bk.clone() }])],
    )
    .await
    .unwrap();
    compact(s, t).await.unwrap();
    let pencil = status_changed(&bk, BookingStatus::Pencil);
    s.append(t, &[log.cmd(vec![pencil.clone()])]).await.unwrap();
    compact(s, t).await.unwrap();
    let confirmed = status_changed(pencil.booking().unwrap(), BookingStatus::Confirmed);
    s.append(t, &[log.cmd(vec![confirmed.clone()])]).await.unwrap();
    let want =
        TenantState { artists: vec![a.clone()], bookings: vec![confirmed.booking().unwrap().clone()], last_seq: 4 };
    assert_eq!(b.snapshot_seqs(t).await, vec![3, 2]);
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());

    // The newest fails its checksum: the load is still exact.
    b.corrupt_snapshot(t, 3).await;
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());
    // Both do: still exact.
    b.corrupt_snapshot(t, 2).await;
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());
    // A fresh compaction writes a good one again; an older save evicts nothing newer.
    assert_eq!(compact(s, t).await.unwrap(), 4);
    assert_eq!(b.snapshot_seqs(t).await, vec![4, 3]);
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());
    s.save_snapshot(t, &TenantState { artists: vec![a], bookings: vec![bk], last_seq: 2 }).await.unwrap();
    assert_eq!(b.snapshot_seqs(t).await, vec![4, 3]);
    assert_same_state(s.load_tenant(t).await.unwrap(), want);
}

async fn compaction_does_not_change_what_loads(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let mut log = Log::new();
    let artists: Vec<Artist> = (0..5).map(|i| artist(&format!("Artist {i}"))).collect();
    s.append(t, &[log.cmd(artists.iter().map(|a| Event::ArtistCreated { artist: a.clone() }).collect())])
        .await
        .unwrap();
    let mut live: Vec<Booking> = Vec::new();
    for round in 0..6i64 {
        let mut batch = Vec::new();
        for (i, a) in artists.iter().enumerate() {
            let bk = booking(a, round * 10 + i as i64, round * 10 + i as i64 + 2, BookingStatus::Hold);
            batch.push(log.cmd(vec![Event::BookingCreated { booking: bk.clone() }]));
            live.push(bk);
        }
        // Change some earlier bookings too, so snapshots and tails overlap on entities.
        if let Some(old) = live.get(round as usize * 2).cloned() {
            let next = status_changed(&old, BookingStatus::Pencil);
            live[round as usize * 2] = next.booking().unwrap().clone();
            batch.push(log.cmd(vec![next]));
        }
        s.append(t, &batch).await.unwrap();
        let before = s.load_tenant(t).await.unwrap();
        assert_eq!(compact(s, t).await.unwrap(), before.last_seq);
        assert_eq!(s.snapshot_seq(t).await.unwrap(), before.last_seq);
        assert_same_state(s.load_tenant(t).await.unwrap(), before);
    }
    let state = s.load_tenant(t).await.unwrap();
    assert_same_state(state, TenantState { artists, bookings: live, last_seq: log.next_seq - 1 });
}

async fn tenants_append_concurrently(kind: Kind) {
    const TENANTS: usize = 4;
    const APPENDS: u64 = 200;
    let b = Backend::migrated(kind).await;
    let mut tasks = Vec::new();
    for _ in 0..TENANTS {
        let t = b.tenant().await;
        let store = b.store.clone();
        tasks.push(tokio::spawn(async move {
            let mut log = Log::new();
            let a = artist("Ana");
            store.append(t, &[log.cmd(vec![Event::ArtistCreated { artist: a.clone() }])]).await.unwrap();
            let mut bookings = Vec::new();
            for i in 1..APPENDS as i64 {
                let bk = booking(&a, i, i + 1, BookingStatus::Pencil);
                store.append(t, &[log.cmd(vec![Event::BookingCreated { booking: bk.clone() }])]).await.unwrap();
                bookings.push(bk);
            }
            (t, TenantState { artists: vec![a], bookings, last_seq: APPENDS })
        }));
    }
    let mut expected = Vec::new();
    for task in tasks {
        expected.push(task.await.unwrap());
    }
    let s = b.store();
    for (t, want) in expected {
        let events = s.events_since(t, 0, 10_000).await.unwrap();
        assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=APPENDS).collect::<Vec<_>>());
        assert_same_state(s.load_tenant(t).await.unwrap(), want);
    }
}

async fn data_survives_reopening(kind: Kind) {
    let mut b = Backend::migrated(kind).await;
    let t = b.tenant().await;
    let mut log = Log::new();
    let a = artist("Ana");
    let first = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    b.store.append(t, std::slice::from_ref(&first)).await.unwrap();
    compact(b.store(), t).await.unwrap();
    let bk = booking(&a, 9, 12, BookingStatus::Confirmed);
    b.store.append(t, &[log.cmd(vec![Event::BookingCreated { booking: bk.clone() }])]).await.unwrap();
    let before = b.store.load_tenant(t).await.unwrap();

    b.reopen().await;
    let s = b.store();
    s.migrate().await.unwrap();
    s.ready().await.unwrap();
    assert_same_state(s.load_tenant(t).await.unwrap(), before);
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 1);
    assert_eq!(s.find_command(t, first.cmd_id).await.unwrap().unwrap().last_seq, 1);
    assert_eq!(s.load_booking(t, bk.id).await.unwrap(), Some(bk));
    s.append(t, &[log.cmd(vec![Event::ArtistUpdated { artist: Artist { version: 2, ..a } }])]).await.unwrap();
    assert_eq!(s.load_tenant(t).await.unwrap().last_seq, 3);
}

// ---------------------------------------------------------------------------
// The embedded store only

mod embedded {
    use super::*;

    #[test]
    fn an_unusable_data_directory_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, b"not a directory").unwrap();
        let wanted = file.join("sub");
        let err = SqliteStore::open(&wanted).expect_err("a directory below a regular file cannot exist");
        let message = err.to_string();
        assert!(message.contains(&wanted.display().to_string()), "names the path: {message}");
        assert!(message.contains("Not a directory") || message.contains("os error"), "gives the OS reason: {message}");

        // The data directory itself being a regular file fails as clearly.
        let err = SqliteStore::open(&file).expect_err("a regular file is no data directory");
        let message = err.to_string();
        assert!(message.contains(&file.display().to_string()) && message.contains("not a directory"), "{message}");
    }

    #[tokio::test]
    async fn open_creates_the_directory_and_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a").join("b");
        let store = SqliteStore::open(&dir).unwrap();
        assert_eq!(store.path(), dir.join(pt_actors::store::sqlite::FILE_NAME));
        assert!(store.path().is_file());
        store.migrate().await.unwrap();
        store.ready().await.unwrap();
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("probe"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
