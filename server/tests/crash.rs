//! Crash safety with the real binary: SIGKILL the server in the middle of a
//! burst of writes, restart it, and find every acknowledged booking there —
//! exactly once, with its events — and no double booking.

mod common;

use common::{Api, client};
use pt_actors::store::postgres::testing::fresh_db;
use serde_json::json;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::Mutex;

/// Starts `pt-server` on a free port; returns the child and its base URL.
async fn spawn_server(db_url: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pt-server"))
        .args(["--listen", "127.0.0.1:0", "--database-url", db_url])
        .env("PT_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn pt-server");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(i) = line.find("listening on http://") {
                let url = line[i + "listening on ".len()..].split_whitespace().next().unwrap().to_string();
                return url;
            }
        }
        panic!("pt-server exited before listening");
    })
    .await
    .expect("pt-server did not start in time");
    // Keep draining its log so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, base)
}

fn api_at(base: &str) -> Api {
    Api { base: format!("{base}/api/v1"), client: client(), tenant: None }
}

#[tokio::test]
async fn sigkill_after_acknowledged_writes_loses_nothing() {
    let db = fresh_db().await;
    let (mut child, base) = spawn_server(&db.url).await;
    let api = api_at(&base);
    let mut artists = Vec::new();
    for i in 0..4 {
        artists.push(api.artist(&format!("Crash {i}")).await);
    }

    // A burst: 4 artists × 60 one-hour slots, every slot asked for twice (so
    // half the requests conflict). Kill the server while it is under way.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    // HTTP answers received (201 or 409), not connection errors.
    let done = Arc::new(AtomicUsize::new(0));
    // 32 clients at a time, like a busy studio rather than a SYN flood.
    let clients = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = Vec::new();
    for (ai, a) in artists.iter().enumerate() {
        for slot in 0..60 {
            for _ in 0..2 {
                let (api, a, acked, done) = (api.clone(), a.clone(), acked.clone(), done.clone());
                let clients = clients.clone();
                let start = format!("2026-03-{:02}T{:02}:00:00Z", 2 + slot / 20, slot % 20);
                let end = format!("2026-03-{:02}T{:02}:00:00Z", 2 + slot / 20, slot % 20 + 1);
                tasks.push(tokio::spawn(async move {
                    let _permit = clients.acquire().await.unwrap();
                    let body = json!({"artistId": a, "title": format!("a{ai} s{slot}"), "startTime": start,
                        "endTime": end, "status": "confirmed"});
                    let r = api.req(reqwest::Method::POST, "/bookings").json(&body).send().await;
                    match r {
                        Ok(r) if r.status() == 201 => {
                            if let Ok(v) = r.json::<serde_json::Value>().await {
                                acked.lock().await.push(v["data"]["id"].as_str().unwrap().to_string());
                                done.fetch_add(1, Ordering::SeqCst);
                            }
                        }
                        Ok(r) => {
                            assert_eq!(r.status(), 409, "only conflicts are expected before the kill");
                            done.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(_) => {} // the server was killed under this request
                    }
                }));
            }
        }
    }
    // Kill once half the burst (480 requests) has been answered.
    common::eventually(Duration::from_secs(60), || {
        let done = done.clone();
        async move { (done.load(Ordering::SeqCst) >= 240).then_some(()) }
    })
    .await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    for t in tasks {
        if let Err(e) = t.await {
            assert!(!e.is_panic(), "a client saw something other than 201/409: {e}");
        }
    }
    let acked = acked.lock().await.clone();
    assert!(acked.len() >= 60, "the burst should have had many acknowledged writes, got {}", acked.len());

    // Restart on the same database.
    let (_child2, base2) = spawn_server(&db.url).await;
    let api2 = api_at(&base2);
    for id in &acked {
        let r = api2.get(&format!("/bookings/{id}")).await;
        assert_eq!(r.status, 200, "acknowledged booking {id} lost");
        let ev = api2.get(&format!("/bookings/{id}/events")).await;
        assert_eq!(ev.data().as_array().unwrap().len(), 1, "booking {id} has exactly its creation event");
    }
    let (sql, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let overlaps: i64 = sql
        .query_one(
            "SELECT count(*) FROM bookings a JOIN bookings b ON a.artist_id = b.artist_id AND a.id < b.id
             WHERE a.status IN ('pencil','confirmed') AND b.status IN ('pencil','confirmed')
               AND tstzrange(a.start_time, a.end_time, '[)') && tstzrange(b.start_time, b.end_time, '[)')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(overlaps, 0, "no double booking persisted");
    let stored: i64 = sql.query_one("SELECT count(*) FROM bookings", &[]).await.unwrap().get(0);
    assert!(stored as usize >= acked.len() && stored <= 240, "stored {stored}, acknowledged {}", acked.len());
    // The log has no gaps: seq runs 1..=max.
    let row = sql.query_one("SELECT count(*), coalesce(max(seq), 0) FROM events", &[]).await.unwrap();
    assert_eq!(row.get::<_, i64>(0), row.get::<_, i64>(1), "the event log is gap-free after the crash");
    // The restarted server decides from the recovered state: every slot the
    // database holds is refused, every other slot is free.
    for slot in 0..60 {
        let start = format!("2026-03-{:02}T{:02}:00:00Z", 2 + slot / 20, slot % 20);
        let end = format!("2026-03-{:02}T{:02}:00:00Z", 2 + slot / 20, slot % 20 + 1);
        let held: i64 = sql
            .query_one(
                "SELECT count(*) FROM bookings WHERE artist_id = $1::text::uuid AND start_time = $2::text::timestamptz",
                &[&artists[0], &start],
            )
            .await
            .unwrap()
            .get(0);
        let again = api2
            .post(
                "/bookings",
                json!({"artistId": artists[0], "title": "again", "status": "pencil",
                "startTime": start, "endTime": end}),
            )
            .await;
        let expected = if held > 0 { 409 } else { 201 };
        assert_eq!(again.status.as_u16(), expected, "slot {slot}: {:?}", again.body);
    }
}
