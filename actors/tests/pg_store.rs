//! PostgreSQL specifics against a real server: racing migrations, an
//! unreachable server, and the exclusion constraint's semantics (touching
//! ranges, holds, a direct SQL insert refused with 23P01). What every store
//! must do (round trips, idempotency, the log, isolation, refused batches) is
//! in `store_conformance.rs`, which runs on PostgreSQL too. Each test runs in a database of its own (`testing::fresh_db`), so
//! they run in parallel. Set `PT_TEST_DATABASE_URL` to use another server.

mod common;

use common::*;
use pt_actors::store::postgres::PgStore;
use pt_actors::store::postgres::testing::{TestDb, fresh_db};
use pt_actors::store::{Store, StoreError};
use pt_protocol::{Booking, BookingStatus, Event, TenantId};

// ---------------------------------------------------------------------------
// Fixtures (builders live in common/mod.rs)

async fn store(db: &TestDb) -> PgStore {
    let store = PgStore::connect(&db.url, 4).await.expect("connect");
    store.migrate().await.expect("migrate");
    store
}

async fn tenant(store: &PgStore) -> TenantId {
    let t = TenantId::new();
    store.ensure_tenant(t, "Studio").await.unwrap();
    t
}

// ---------------------------------------------------------------------------
// Migrations

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrations_run_once_even_when_raced() {
    let db = fresh_db().await;
    let store = PgStore::connect(&db.url, 8).await.unwrap();
    assert_eq!(store.kind(), "postgres");
    match store.ready().await {
        Err(StoreError::Other(m)) => assert!(m.contains("migrations not applied"), "{m}"),
        other => panic!("ready before migrate: {other:?}"),
    }

    // Five servers starting at once, each with its own pool.
    let mut racers = Vec::new();
    for _ in 0..5 {
        let url = db.url.clone();
        racers.push(tokio::spawn(async move { PgStore::connect(&url, 1).await?.migrate().await }));
    }
    for r in racers {
        r.await.unwrap().expect("racing migrate");
    }
    store.migrate().await.expect("second migrate");
    store.ready().await.expect("ready");

    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let rows = client.query("SELECT version, name FROM pt_schema_migrations ORDER BY version", &[]).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.get::<_, i32>(0)).collect::<Vec<_>>(), vec![1, 2]);
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable() {
    match PgStore::connect("postgres://postgres@127.0.0.1:1/postgres", 1).await {
        Err(StoreError::Unavailable(_)) => {}
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Round trips

#[tokio::test]
async fn touching_ranges_holds_and_finished_bookings_may_overlap() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();
    let (a, b) = (artist("Ana"), artist("Ben"));
    let booked = booking(&a, 10, 12, BookingStatus::Pencil);
    let cancelled = status_changed(&booking(&a, 9, 13, BookingStatus::Pencil), BookingStatus::Cancelled);
    let expired =
        Booking { status: BookingStatus::Expired, expires_at: None, ..booking(&a, 10, 11, BookingStatus::Hold) };
    let batch = [
        log.cmd(vec![Event::ArtistCreated { artist: a.clone() }, Event::ArtistCreated { artist: b.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: booked }]),
        // [12,13) touches [10,12): no overlap.
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 12, 13, BookingStatus::Confirmed) }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 8, 10, BookingStatus::Confirmed) }]),
        // Holds queue on a taken slot and on each other.
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 10, 12, BookingStatus::Hold) }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&a, 11, 12, BookingStatus::Hold) }]),
        // Cancelled and expired bookings do not block.
        log.cmd(vec![cancelled]),
        log.cmd(vec![Event::BookingCreated { booking: expired }]),
        // Another artist's pencil on the same slot is fine.
        log.cmd(vec![Event::BookingCreated { booking: booking(&b, 10, 12, BookingStatus::Pencil) }]),
    ];
    store.append(t, &batch).await.expect("no overlap among exclusive bookings of one artist");
    assert_eq!(store.load_tenant(t).await.unwrap().bookings.len(), 8);
}

#[tokio::test]
async fn the_database_itself_refuses_an_overlapping_insert() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();
    let a = artist("Ana");
    let pencil = booking(&a, 9, 12, BookingStatus::Pencil);
    store
        .append(
            t,
            &[log.cmd(vec![Event::ArtistCreated { artist: a.clone() }, Event::BookingCreated { booking: pencil }])],
        )
        .await
        .unwrap();

    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let insert = "INSERT INTO bookings (tenant_id, id, artist_id, title, start_time, end_time, status, version,
                                       created_at, created_by, updated_at, updated_by)
                  VALUES ($1, $2, $3, 'direct', $4, $5, $6, 1, now(), 'psql', now(), 'psql')";
    let (start, end) = (at(11).to_chrono(), at(14).to_chrono());
    let err = client
        .execute(insert, &[&t.0, &uuid::Uuid::now_v7(), &a.id.0, &start, &end, &"confirmed"])
        .await
        .expect_err("an overlapping confirmed booking must be refused");
    let db_err = err.as_db_error().expect("a database error");
    assert_eq!(db_err.code(), &tokio_postgres::error::SqlState::EXCLUSION_VIOLATION);
    assert_eq!(db_err.code().code(), "23P01");
    assert_eq!(db_err.constraint(), Some("no_double_booking"));

    // A hold on the same slot is fine; an empty range is not.
    client.execute(insert, &[&t.0, &uuid::Uuid::now_v7(), &a.id.0, &start, &end, &"hold"]).await.unwrap();
    let err = client.execute(insert, &[&t.0, &uuid::Uuid::now_v7(), &a.id.0, &end, &start, &"hold"]).await.unwrap_err();
    assert_eq!(err.code(), Some(&tokio_postgres::error::SqlState::CHECK_VIOLATION));
}
