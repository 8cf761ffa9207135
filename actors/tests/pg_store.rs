//! The PostgreSQL store against a real server: migrations, round trips,
//! idempotency records, the event log, tenant isolation and the double-booking
//! guard. Each test runs in a database of its own (`testing::fresh_db`), so
//! they run in parallel. Set `PT_TEST_DATABASE_URL` to use another server.

mod common;

use common::*;
use pt_actors::store::postgres::PgStore;
use pt_actors::store::postgres::testing::{TestDb, fresh_db};
use pt_actors::store::{Store, StoreError};
use pt_protocol::{Artist, ArtistId, Booking, BookingId, BookingStatus, CmdId, Event, EventEnvelope, TenantId};
use serde_json::json;

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
async fn artists_and_bookings_round_trip_with_every_field() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;

    let full = artist("Zoë Ångström");
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
        notes: Some("Notes: ünïcödé — « 撮影 » 🎥\nsecond line".into()),
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
    store.append(t, &batch).await.unwrap();

    let state = sorted(store.load_tenant(t).await.unwrap());
    let mut artists = vec![full.clone(), bare.clone(), unicode.clone()];
    artists.sort_by_key(|a| a.id);
    let mut bookings = vec![confirmed.clone(), hold.clone(), pencil.clone()];
    bookings.sort_by_key(|b| b.id);
    assert_eq!(state.artists, artists);
    assert_eq!(state.bookings, bookings);
    assert_eq!(state.last_seq, 6);

    assert_eq!(store.load_artist(t, bare.id).await.unwrap(), Some(bare));
    assert_eq!(store.load_booking(t, confirmed.id).await.unwrap(), Some(confirmed));
    assert_eq!(store.load_booking(t, BookingId::new()).await.unwrap(), None);
    assert_eq!(store.load_artist(t, ArtistId::new()).await.unwrap(), None);

    // An empty tenant loads empty, with last_seq 0; ensure_tenant is idempotent.
    let empty = tenant(&store).await;
    store.ensure_tenant(empty, "Studio again").await.unwrap();
    let s = store.load_tenant(empty).await.unwrap();
    assert!(s.artists.is_empty() && s.bookings.is_empty());
    assert_eq!(s.last_seq, 0);
    store.append(empty, &[]).await.unwrap();
}

#[tokio::test]
async fn the_last_state_in_a_batch_wins() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();

    let a = artist("Ana");
    let a2 = Artist { name: "Ana B.".into(), version: 2, ..a.clone() };
    let b = booking(&a, 9, 12, BookingStatus::Hold);
    let b_pencil = changed(&b, |b| {
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

    store
        .append(
            t,
            &[
                log.cmd(vec![Event::ArtistCreated { artist: a.clone() }, Event::BookingCreated { booking: b.clone() }]),
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
    let state = store.load_tenant(t).await.unwrap();
    assert_eq!(state.artists, vec![a2.clone()]);
    assert_eq!(state.bookings, vec![final_booking.clone()]);
    assert_eq!(state.last_seq, 6);

    // A later batch replaces the projection again.
    let cancelled = status_changed(&final_booking, BookingStatus::Cancelled);
    store.append(t, &[log.cmd(vec![cancelled.clone()])]).await.unwrap();
    assert_eq!(store.load_booking(t, final_booking.id).await.unwrap().as_ref(), cancelled.booking());
    assert_eq!(store.load_tenant(t).await.unwrap().last_seq, 7);
}

// ---------------------------------------------------------------------------
// Commands and the event log

#[tokio::test]
async fn commands_keep_their_outcome_and_full_64_bit_hash() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();
    let a = artist("Ana");

    let mut create = log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]);
    create.request_hash = u64::MAX;
    create.outcome = json!({ "artist": a, "note": "ünïcödé" });
    let mut two = log.cmd(vec![
        Event::BookingCreated { booking: booking(&a, 1, 2, BookingStatus::Hold) },
        Event::BookingCreated { booking: booking(&a, 3, 4, BookingStatus::Hold) },
    ]);
    two.request_hash = 1 << 63;
    let mut small = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 5, 6, BookingStatus::Pencil) }]);
    small.request_hash = 42;
    store.append(t, &[create.clone(), two.clone(), small.clone()]).await.unwrap();

    for (rec, first, last) in [(&create, 1, 1), (&two, 2, 3), (&small, 4, 4)] {
        let found = store.find_command(t, rec.cmd_id).await.unwrap().expect("stored command");
        assert_eq!(found.cmd_id, rec.cmd_id);
        assert_eq!(found.request_hash, rec.request_hash);
        assert_eq!((found.first_seq, found.last_seq), (first, last));
        assert_eq!(found.outcome, rec.outcome);
    }
    assert_eq!(store.find_command(t, CmdId::new()).await.unwrap(), None);

    // Storing the same command id again is an integrity violation, and atomic.
    let mut again = log.cmd(vec![Event::ArtistUpdated { artist: Artist { version: 2, ..a.clone() } }]);
    again.cmd_id = small.cmd_id;
    assert_rejected(store.append(t, &[again]).await, "23505");
    assert_eq!(store.load_artist(t, a.id).await.unwrap(), Some(a));
}

#[tokio::test]
async fn the_event_log_reads_back_in_order_with_limits() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();
    let a = artist("Ana");
    let other = booking(&a, 20, 21, BookingStatus::Hold);
    let b = booking(&a, 9, 12, BookingStatus::Hold);
    let pencil = status_changed(&b, BookingStatus::Pencil);
    let confirmed = status_changed(pencil.booking().unwrap(), BookingStatus::Confirmed);

    let first = vec![
        log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]),
        log.cmd(vec![Event::BookingCreated { booking: b.clone() }, Event::BookingCreated { booking: other.clone() }]),
    ];
    let second = vec![log.cmd(vec![pencil]), log.cmd(vec![confirmed])];
    store.append(t, &first).await.unwrap();
    store.append(t, &second).await.unwrap();
    let all: Vec<EventEnvelope> = first.iter().chain(&second).flat_map(|r| r.events.clone()).collect();
    assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);

    // entity_events: only that entity, in seq order, decoded exactly.
    let of_b = store.entity_events(t, b.id.0).await.unwrap();
    let expected: Vec<EventEnvelope> = all.iter().filter(|e| e.event.entity().uuid() == b.id.0).cloned().collect();
    assert_eq!(of_b.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 4, 5]);
    assert_eq!(of_b, expected);
    assert_eq!(store.entity_events(t, a.id.0).await.unwrap(), vec![all[0].clone()]);
    assert!(store.entity_events(t, uuid::Uuid::now_v7()).await.unwrap().is_empty());

    // events_since: strictly after, in order, at most `limit`.
    assert_eq!(store.events_since(t, 0, 100).await.unwrap(), all);
    assert_eq!(store.events_since(t, 0, 2).await.unwrap(), all[..2].to_vec());
    assert_eq!(store.events_since(t, 2, 2).await.unwrap(), all[2..4].to_vec());
    assert_eq!(store.events_since(t, 4, 10).await.unwrap(), all[4..].to_vec());
    assert!(store.events_since(t, 5, 10).await.unwrap().is_empty());
    assert!(store.events_since(t, 0, 0).await.unwrap().is_empty());
    assert!(store.events_since(t, u64::MAX, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn tenants_see_only_their_own_rows() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let (t1, t2) = (tenant(&store).await, tenant(&store).await);

    // Both logs start at seq 1: seq is per tenant.
    let (mut log1, mut log2) = (Log::new(), Log::new());
    let (a1, a2) = (artist("One"), artist("Two"));
    let (b1, b2) = (booking(&a1, 9, 17, BookingStatus::Confirmed), booking(&a2, 9, 17, BookingStatus::Confirmed));
    let r1 = log1.cmd(vec![Event::ArtistCreated { artist: a1.clone() }, Event::BookingCreated { booking: b1.clone() }]);
    let r2 = log2.cmd(vec![Event::ArtistCreated { artist: a2.clone() }, Event::BookingCreated { booking: b2.clone() }]);
    store.append(t1, std::slice::from_ref(&r1)).await.unwrap();
    store.append(t2, std::slice::from_ref(&r2)).await.unwrap();

    let s1 = store.load_tenant(t1).await.unwrap();
    let s2 = store.load_tenant(t2).await.unwrap();
    assert_eq!((s1.artists, s1.bookings, s1.last_seq), (vec![a1.clone()], vec![b1.clone()], 2));
    assert_eq!((s2.artists, s2.bookings, s2.last_seq), (vec![a2.clone()], vec![b2.clone()], 2));

    assert_eq!(store.load_booking(t2, b1.id).await.unwrap(), None);
    assert_eq!(store.load_artist(t1, a2.id).await.unwrap(), None);
    assert_eq!(store.find_command(t2, r1.cmd_id).await.unwrap(), None);
    assert!(store.entity_events(t1, b2.id.0).await.unwrap().is_empty());
    assert_eq!(store.events_since(t1, 0, 10).await.unwrap(), r1.events);
    assert_eq!(store.events_since(t2, 0, 10).await.unwrap(), r2.events);

    // A booking may not point at another tenant's artist.
    let stray = booking(&a1, 1, 2, BookingStatus::Hold);
    assert_rejected(store.append(t2, &[log2.cmd(vec![Event::BookingCreated { booking: stray }])]).await, "23503");
}

// ---------------------------------------------------------------------------
// The double-booking guard

#[tokio::test]
async fn a_double_booking_batch_is_rejected_and_leaves_nothing() {
    let db = fresh_db().await;
    // One connection: it must stay usable after failed statements and commits.
    let store = PgStore::connect(&db.url, 1).await.unwrap();
    store.migrate().await.unwrap();
    let t = tenant(&store).await;
    let mut log = Log::new();
    let a = artist("Ana");
    store.append(t, &[log.cmd(vec![Event::ArtistCreated { artist: a.clone() }])]).await.unwrap();
    let before = sorted(store.load_tenant(t).await.unwrap());

    // Two overlapping pencils for one artist, among innocent changes.
    let innocent = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 1, 2, BookingStatus::Hold) }]);
    let p1 = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 9, 12, BookingStatus::Pencil) }]);
    let p2 = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 11, 13, BookingStatus::Pencil) }]);
    let batch = [innocent.clone(), p1.clone(), p2.clone()];
    match store.append(t, &batch).await {
        Err(StoreError::Rejected { code, message }) => {
            assert_eq!(code, "23P01");
            assert!(message.contains("no_double_booking"), "{message}");
        }
        other => panic!("expected Rejected(23P01), got {other:?}"),
    }
    let after = sorted(store.load_tenant(t).await.unwrap());
    assert_eq!((after.artists, after.bookings, after.last_seq), (before.artists, before.bookings, before.last_seq));
    assert!(store.events_since(t, 1, 100).await.unwrap().is_empty());
    for rec in &batch {
        assert_eq!(store.find_command(t, rec.cmd_id).await.unwrap(), None);
    }

    // A failure inside the transaction (not at COMMIT) leaves nothing either.
    let ghost = Artist { id: ArtistId::new(), ..a.clone() };
    let orphan = log.cmd(vec![Event::BookingCreated { booking: booking(&ghost, 1, 2, BookingStatus::Hold) }]);
    assert_rejected(store.append(t, &[orphan]).await, "23503");
    assert!(store.events_since(t, 1, 100).await.unwrap().is_empty());

    // Without the culprit the same seqs go through (nothing half-written blocks them).
    store.append(t, &[innocent, p1]).await.unwrap();
    // An overlap with an already stored booking is caught as well.
    let late = log.cmd(vec![Event::BookingCreated { booking: booking(&a, 10, 11, BookingStatus::Confirmed) }]);
    assert_rejected(store.append(t, &[late]).await, "23P01");
    assert_eq!(store.load_tenant(t).await.unwrap().last_seq, 3);
}

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
async fn cancel_then_rebook_of_one_slot_in_one_batch_succeeds() {
    let db = fresh_db().await;
    let store = store(&db).await;
    let t = tenant(&store).await;
    let mut log = Log::new();
    let (a, b) = (artist("Ana"), artist("Ben"));
    let old = booking(&a, 9, 17, BookingStatus::Confirmed);
    let other = booking(&b, 9, 17, BookingStatus::Pencil);
    store
        .append(
            t,
            &[log.cmd(vec![
                Event::ArtistCreated { artist: a.clone() },
                Event::ArtistCreated { artist: b.clone() },
                Event::BookingCreated { booking: old.clone() },
                Event::BookingCreated { booking: other.clone() },
            ])],
        )
        .await
        .unwrap();

    // Cancel and rebook; and move Ben's pencil onto Ana's freed slot while a new
    // pencil takes Ben's. Rows are written in whatever order; COMMIT decides.
    let rebooked = booking(&a, 9, 17, BookingStatus::Pencil);
    let moved = changed(&other, |x| x.artist_id = a.id);
    let batch = [
        log.cmd(vec![status_changed(&old, BookingStatus::Cancelled)]),
        log.cmd(vec![Event::BookingCreated { booking: rebooked.clone() }]),
        log.cmd(vec![status_changed(&rebooked, BookingStatus::Cancelled)]),
        log.cmd(vec![Event::BookingMoved { booking: moved.clone(), from_artist_id: b.id }]),
        log.cmd(vec![Event::BookingCreated { booking: booking(&b, 9, 17, BookingStatus::Confirmed) }]),
    ];
    store.append(t, &batch).await.expect("deferred constraint sees only the final state");
    let state = store.load_tenant(t).await.unwrap();
    let exclusive: Vec<&Booking> = state.bookings.iter().filter(|b| b.status.is_exclusive()).collect();
    assert_eq!(exclusive.len(), 2);
    assert_eq!(store.load_booking(t, moved.id).await.unwrap(), Some(moved));
    assert_eq!(state.last_seq, 9);
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
