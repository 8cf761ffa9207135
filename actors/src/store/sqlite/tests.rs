//! Unit tests of the embedded store that need its internals (the writer
//! connection, error codes); the behaviour both stores share is in
//! `tests/store_conformance.rs`.

use super::*;
use pt_protocol::Event;

fn record(seq: u64, event: Event) -> CommandRecord {
    let cmd_id = CmdId::new();
    let at = Timestamp::from_micros(1_000_000);
    CommandRecord {
        cmd_id,
        request_hash: 7,
        by: "user:ana".into(),
        at,
        events: vec![EventEnvelope { seq, cmd_id, at, by: "user:ana".into(), event }],
        outcome: serde_json::json!({ "ok": true }),
    }
}

fn artist() -> Artist {
    Artist {
        id: ArtistId::new(),
        name: "Ana".into(),
        email: None,
        skills: vec![],
        timezone: "UTC".into(),
        active: true,
        time_off: Vec::new(),
        working_hours: None,
        profile: Default::default(),
        rate: None,
        archived_at: None,
        version: 1,
        created_at: Timestamp::from_micros(0),
        updated_at: Timestamp::from_micros(0),
    }
}

async fn opened() -> (tempfile::TempDir, SqliteStore, TenantId) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store.migrate().await.unwrap();
    let t = TenantId::new();
    store.ensure_tenant(t, "Studio").await.unwrap();
    (dir, store, t)
}

#[test]
fn code_names_are_readable() {
    assert_eq!(code_name(ffi::SQLITE_CONSTRAINT_PRIMARYKEY), "SQLITE_CONSTRAINT_PRIMARYKEY");
    assert_eq!(code_name(ffi::SQLITE_FULL), "SQLITE_FULL");
    assert_eq!(code_name(ffi::SQLITE_IOERR_FSYNC), "SQLITE_IOERR(1034)");
    let full = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_FULL), None);
    assert!(matches!(map_sqlite(full), StoreError::Unavailable(m) if m.contains("SQLITE_FULL")));
    let busy = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_BUSY), None);
    assert!(matches!(map_sqlite(busy), StoreError::Unavailable(_)));
    let corrupt = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_CORRUPT), None);
    assert!(matches!(map_sqlite(corrupt), StoreError::Other(_)));
}

/// A full disk (simulated by capping the file's page count) is Unavailable,
/// leaves nothing behind, and the same batch lands once there is room.
#[tokio::test]
async fn a_full_disk_is_unavailable_and_the_retry_lands() {
    let (_dir, store, t) = opened().await;
    let a = artist();
    store.append(t, &[record(1, Event::ArtistCreated { artist: a.clone() })]).await.unwrap();
    let pages: i64 = {
        let conn = store.inner.writer();
        let pages = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
        pages
    };
    let big = Artist { name: "x".repeat(64 * 1024), version: 2, ..a.clone() };
    let batch = [record(2, Event::ArtistUpdated { artist: big.clone() })];
    match store.append(t, &batch).await {
        Err(StoreError::Unavailable(m)) => assert!(m.contains("SQLITE_FULL"), "{m}"),
        other => panic!("expected Unavailable(SQLITE_FULL), got {other:?}"),
    }
    assert_eq!(store.load_artist(t, a.id).await.unwrap(), Some(a));
    assert!(store.events_since(t, 1, 10).await.unwrap().is_empty());

    store.inner.writer().pragma_update(None, "max_page_count", pages * 1000).unwrap();
    store.append(t, &batch).await.expect("the retry lands once there is room");
    assert_eq!(store.load_artist(t, big.id).await.unwrap(), Some(big));
    assert_eq!(store.load_tenant(t).await.unwrap().last_seq, 2);
}

#[tokio::test]
async fn the_overlap_check_uses_the_partial_index() {
    let (_dir, store, _t) = opened().await;
    let plan: Vec<String> = {
        let conn = store.inner.writer();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {OVERLAPPING_BOOKING}")).unwrap();
        stmt.query_map(params![[0u8; 16], [0u8; 16], 0, 1, [1u8; 16]], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(plan.iter().any(|p| p.contains("bookings_exclusive")), "{plan:?}");
}

/// A file from before projects (schema version 2) upgrades in place: its log
/// survives the rebuild of `events`, which then takes project events.
#[tokio::test]
async fn an_older_file_keeps_its_log_and_takes_project_events() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    store.write(|conn| schema::migrate_up_to(conn, 2)).await.unwrap();
    let t = TenantId::new();
    store.ensure_tenant(t, "Studio").await.unwrap();
    let ana = artist();
    let old = record(1, Event::ArtistCreated { artist: ana.clone() });
    store.append(t, std::slice::from_ref(&old)).await.unwrap();

    store.migrate().await.unwrap();
    store.ready().await.unwrap();
    assert_eq!(store.events_since(t, 0, 10).await.unwrap(), old.events);
    assert_eq!(store.entity_events(t, ana.id.0).await.unwrap(), old.events);
    let project = pt_protocol::Project {
        id: pt_protocol::ProjectId::new(),
        name: "Nova".into(),
        code: "NOVA".into(),
        client: None,
        color: "#112233".into(),
        status: pt_protocol::ProjectStatus::Planning,
        start_date: pt_protocol::Day(20_000),
        end_date: pt_protocol::Day(20_010),
        budget_days: None,
        budget_amount: None,
        currency: None,
        description: None,
        version: 1,
        created_at: Timestamp::from_micros(0),
        updated_at: Timestamp::from_micros(0),
    };
    store.append(t, &[record(2, Event::ProjectCreated { project: project.clone() })]).await.unwrap();
    let state = store.load_tenant(t).await.unwrap();
    assert_eq!((state.artists, state.projects, state.last_seq), (vec![ana], vec![project.clone()], 2));
    assert_eq!(store.load_project(t, project.id).await.unwrap().map(|p| p.project), Some(project));
}
