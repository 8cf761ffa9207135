//! Many schedulers on one calendar: 200 WebSocket clients subscribed to one
//! studio; 20 of them issue 2,000 booking commands (creates, promotions,
//! cancellations, time changes, moves between artists — many conflicting);
//! one client drops off for 5 seconds mid-run and resumes. At the end every
//! client's materialized state is identical and equal to the database, and
//! the database holds no overlapping exclusive bookings.
//!
//! `PT_CONVERGENCE_SEED` replays a run (the seed is printed).

mod common;

use common::Lcg;

use common::TestServer;
use common::wsclient::{Mirror, WsClient};
use pt_protocol::ws::{Command, ServerFrame, View};
use pt_protocol::{ArtistId, BookingId, BookingPatch, BookingStatus, CmdId, NewBooking, TenantId, Timestamp};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::watch;

const CLIENTS: usize = 200;
const WRITERS: usize = 20;
const COMMANDS_PER_WRITER: usize = 100;
const ARTISTS: usize = 8;
const SLOTS: i64 = 24;
const DAY0: i64 = 1_798_761_600_000_000; // 2027-01-01T00:00:00Z
const HOUR: i64 = 3_600_000_000;
const WAIT: Duration = Duration::from_secs(60);

fn slot(s: i64) -> (Timestamp, Timestamp) {
    (Timestamp::from_micros(DAY0 + s * HOUR), Timestamp::from_micros(DAY0 + (s + 1) * HOUR))
}

/// Picks the next command from what this writer currently sees.
fn next_command(rng: &mut Lcg, mirror: &Mirror, artists: &[ArtistId]) -> Command {
    let active: Vec<_> = mirror.bookings.values().filter(|b| b.status.is_active()).collect();
    let roll = rng.next(100);
    if active.is_empty() || roll < 50 {
        let (start_time, end_time) = slot(rng.next(SLOTS as u64) as i64);
        let status = [BookingStatus::Hold, BookingStatus::Pencil, BookingStatus::Pencil, BookingStatus::Confirmed]
            [rng.next(4) as usize];
        return Command::CreateBooking {
            booking: NewBooking {
                artist_id: artists[rng.next(artists.len() as u64) as usize],
                project_id: None,
                phase_id: None,
                title: format!("take {}", rng.next(1_000_000)),
                notes: None,
                start_time,
                end_time,
                status: Some(status),
                expires_at: None,
                allow_overtime: Some(true),
                queue_if_busy: None,
            },
        };
    }
    let b = active[rng.next(active.len() as u64) as usize];
    if roll < 70 {
        let to = match (b.status, rng.next(10)) {
            (_, 0..=2) => BookingStatus::Cancelled,
            (BookingStatus::Hold, _) => BookingStatus::Pencil,
            _ => BookingStatus::Confirmed,
        };
        Command::TransitionBooking { id: b.id, version: b.version, to, allow_overtime: Some(true) }
    } else if roll < 90 {
        let (start_time, end_time) = slot(rng.next(SLOTS as u64) as i64);
        Command::UpdateBooking {
            id: b.id,
            patch: BookingPatch {
                version: b.version,
                start_time: Some(start_time),
                end_time: Some(end_time),
                ..Default::default()
            },
        }
    } else {
        let to = artists[rng.next(artists.len() as u64) as usize];
        Command::UpdateBooking {
            id: b.id,
            patch: BookingPatch { version: b.version, artist_id: Some(to), ..Default::default() },
        }
    }
}

/// Reads frames until the mirror reached `target` (once it is known) and it
/// is durable.
async fn follow_to_end(c: &mut WsClient, target: &mut watch::Receiver<Option<u64>>) {
    loop {
        if let Some(t) = *target.borrow()
            && c.mirrors[&1].seq >= t
            && c.durable_seq >= t
        {
            return;
        }
        tokio::select! {
            f = c.recv(WAIT) => { f.expect("socket stays open"); }
            _ = target.changed() => {}
        }
    }
}

#[tokio::test]
async fn two_hundred_clients_converge_to_the_database() {
    let seed: u64 = std::env::var("PT_CONVERGENCE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| Timestamp::now().micros() as u64);
    eprintln!("PT_CONVERGENCE_SEED={seed}");
    let (srv, _db) = TestServer::start().await;
    let api = srv.studio("Convergence").await;
    let tenant: TenantId = api.tenant_id().await;
    let token = api.token();
    let mut artists = Vec::new();
    for i in 0..ARTISTS {
        artists.push(api.artist(&format!("Artist {i}")).await.parse::<ArtistId>().unwrap());
    }

    let (target_tx, target_rx) = watch::channel(None::<u64>);
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<(u64, usize)>();
    let issued = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let mut c = WsClient::connect(&srv.base, &token, None).await;
        c.subscribe(1, View::Tenant, None).await;
        clients.push(c);
    }
    // Every client reads continuously in its own task until it has seen the
    // last seq; writers also write, one drops off and resumes.
    let mut tasks = Vec::new();
    for (i, mut c) in clients.into_iter().enumerate() {
        let (mut target, issued, artists, base, done) =
            (target_rx.clone(), issued.clone(), artists.clone(), srv.base.clone(), done_tx.clone());
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            if i < WRITERS {
                let rng = Lcg(seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                done.send(write(&mut c, rng, &artists, &issued).await).unwrap();
            } else if i == CLIENTS - 1 {
                c = drop_off_and_resume(c, &issued, &base, &token).await;
            }
            tokio::time::timeout(WAIT, follow_to_end(&mut c, &mut target)).await.expect("client catches up");
            c.mirrors.remove(&1).unwrap()
        }));
    }
    drop(done_tx);
    let (mut final_seq, mut rejected) = (0, 0);
    for _ in 0..WRITERS {
        let (m, r) = done_rx.recv().await.expect("a writer failed");
        final_seq = final_seq.max(m);
        rejected += r;
    }
    target_tx.send(Some(final_seq)).unwrap();
    eprintln!("{} commands, {rejected} rejected, final seq {final_seq}", WRITERS * COMMANDS_PER_WRITER);
    assert!(rejected > 100, "the mix should produce many conflicts ({rejected})");
    assert!(rejected < WRITERS * COMMANDS_PER_WRITER - 200, "and many successes ({rejected} rejected)");
    let mut mirrors = Vec::new();
    for t in tasks {
        mirrors.push(t.await.unwrap());
    }

    // The database, once durable.
    let sql = srv.sql().await;
    let db = db_bookings(&sql, tenant).await;
    assert!(db.len() > 300, "the run should leave many bookings ({})", db.len());
    for (i, m) in mirrors.iter().enumerate() {
        assert_eq!(mirror_bookings(m), db, "client {i} differs from the database");
        assert_eq!(m.artists.len(), ARTISTS);
    }
    assert_eq!(overlapping_pairs(&sql, tenant).await, 0, "no double booking");
    let total = api.get("/bookings?limit=1").await.body["meta"]["total"].clone();
    assert_eq!(total, json!(db.len()), "REST agrees too");
    srv.stop().await;
}

/// A writer's part: `COMMANDS_PER_WRITER` commands, each answered before the
/// next. Returns the highest accepted seq and how many were rejected (each
/// for a reason the mix provokes).
async fn write(c: &mut WsClient, mut rng: Lcg, artists: &[ArtistId], issued: &AtomicUsize) -> (u64, usize) {
    let (mut max_seq, mut rejected) = (0, 0);
    for _ in 0..COMMANDS_PER_WRITER {
        let cmd_id = CmdId::new();
        let command = next_command(&mut rng, &c.mirrors[&1], artists);
        c.command(cmd_id, command).await;
        c.until(WAIT, |c| c.answers.contains_key(&cmd_id)).await;
        issued.fetch_add(1, Ordering::SeqCst);
        match c.answers.remove(&cmd_id).unwrap() {
            ServerFrame::Accepted { seq, .. } => max_seq = max_seq.max(seq),
            ServerFrame::Rejected { error, .. } => {
                use pt_protocol::ErrorCode::*;
                assert!(
                    matches!(error.code, Conflict | VersionMismatch | Unprocessable | NotFound),
                    "unexpected rejection: {error:?}"
                );
                rejected += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    (max_seq, rejected)
}

/// The client that drops off for 5 seconds mid-run (once a quarter of the
/// commands are issued), then reconnects and resumes from its last seq.
async fn drop_off_and_resume(mut c: WsClient, issued: &AtomicUsize, base: &str, token: &str) -> WsClient {
    while issued.load(Ordering::SeqCst) < WRITERS * COMMANDS_PER_WRITER / 4 {
        tokio::select! {
            f = c.recv(WAIT) => { f.expect("open"); }
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
    let mirror = c.mirrors[&1].clone();
    drop(c);
    tokio::time::sleep(Duration::from_secs(5)).await;
    eprintln!("resuming from seq {} after 5 s away ({} commands issued)", mirror.seq, issued.load(Ordering::SeqCst));
    let mut c = WsClient::connect(base, token, Some(mirror.seq)).await;
    c.mirrors.insert(1, mirror);
    c.subscribe(1, View::Tenant, None).await;
    c
}

/// A booking as both sides are compared: id, artist, status, version, start, end.
type BookingRow = (BookingId, ArtistId, String, i64, i64, i64);

/// The studio's bookings in the database, by id.
async fn db_bookings(sql: &tokio_postgres::Client, tenant: TenantId) -> Vec<BookingRow> {
    let rows = sql
        .query(
            "SELECT id, artist_id, status, version, start_time, end_time FROM bookings WHERE tenant_id = $1 ORDER BY id",
            &[&tenant.0],
        )
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let t = |c: &str| r.get::<_, chrono::DateTime<chrono::Utc>>(c).timestamp_micros();
            (BookingId(r.get(0)), ArtistId(r.get(1)), r.get(2), r.get(3), t("start_time"), t("end_time"))
        })
        .collect()
}

/// A client's bookings, in its mirror's order (by id).
fn mirror_bookings(m: &Mirror) -> Vec<BookingRow> {
    m.bookings
        .values()
        .map(|b| {
            (b.id, b.artist_id, b.status.to_string(), b.version as i64, b.start_time.micros(), b.end_time.micros())
        })
        .collect()
}

/// Pencil/confirmed pairs of one artist that overlap, in the database.
async fn overlapping_pairs(sql: &tokio_postgres::Client, tenant: TenantId) -> i64 {
    sql.query_one(
        "SELECT count(*) FROM bookings a JOIN bookings b ON a.tenant_id = b.tenant_id AND a.artist_id = b.artist_id
           AND a.id < b.id
         WHERE a.tenant_id = $1 AND a.status IN ('pencil','confirmed') AND b.status IN ('pencil','confirmed')
           AND tstzrange(a.start_time, a.end_time, '[)') && tstzrange(b.start_time, b.end_time, '[)')",
        &[&tenant.0],
    )
    .await
    .unwrap()
    .get(0)
}
