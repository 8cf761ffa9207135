//! Crash safety with the real binary, on both stores: kill the server with
//! SIGKILL at random moments during a stream of booking commands, restart it,
//! and check that
//! * every change acknowledged as durable is present exactly once, with its event;
//! * nothing half-written is visible: the log is gap-free and no slot is double-booked;
//! * clients re-sending their unanswered commands (same `Idempotency-Key`) end
//!   consistent: each command applied at most once.
//!
//! `PT_CRASH_ROUNDS` sets the kill points per store (20 by default; more for a
//! soak); `PT_CRASH_SEED` replays a run (the seed is printed).

mod common;

use common::Lcg;

use common::{Api, spawn_server};
use pt_actors::store::postgres::testing::fresh_db;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

#[derive(Clone)]
struct Cmd {
    key: String,
    body: serde_json::Value,
}

/// One round's commands: 4 artists × 30 one-hour slots on the round's own day,
/// each slot asked for twice (so half conflict).
fn round_commands(round: usize, artists: &[String]) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    let day = 1 + round % 28;
    let month = 1 + (round / 28) % 12;
    for (ai, a) in artists.iter().enumerate() {
        for slot in 0..30 {
            for twin in 0..2 {
                let title = format!("r{round}-a{ai}-s{slot}-t{twin}");
                let start = format!("2027-{month:02}-{day:02}T{:02}:{:02}:00Z", slot / 2, (slot % 2) * 30);
                let end = format!("2027-{month:02}-{day:02}T{:02}:{:02}:00Z", (slot + 1) / 2, ((slot + 1) % 2) * 30);
                cmds.push(Cmd {
                    key: title.clone(),
                    body: json!({"artistId": a, "title": title, "startTime": start, "endTime": end, "status": "confirmed", "allowOvertime": true}),
                });
            }
        }
    }
    cmds
}

/// Sends commands with 24 concurrent clients. Returns (key → booking id) for
/// 201s, and the keys that got no answer at all (the server died under them).
async fn send_all(api: &Api, cmds: Vec<Cmd>, answered: Arc<AtomicUsize>) -> (HashMap<String, String>, Vec<Cmd>) {
    let acked = Arc::new(Mutex::new(HashMap::new()));
    let unanswered = Arc::new(Mutex::new(Vec::new()));
    let clients = Arc::new(tokio::sync::Semaphore::new(24));
    let mut tasks = Vec::new();
    for cmd in cmds {
        let (api, acked, unanswered, answered, clients) =
            (api.clone(), acked.clone(), unanswered.clone(), answered.clone(), clients.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = clients.acquire().await.unwrap();
            let r = api
                .req(reqwest::Method::POST, "/bookings")
                .header("idempotency-key", &cmd.key)
                .json(&cmd.body)
                .send()
                .await;
            let answer = match r {
                Ok(r) => {
                    let status = r.status().as_u16();
                    r.json::<serde_json::Value>().await.ok().map(|v| (status, v))
                }
                Err(_) => None,
            };
            match answer {
                Some((201, v)) => {
                    acked.lock().await.insert(cmd.key.clone(), v["data"]["id"].as_str().unwrap().to_string());
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                Some((409, v)) => {
                    assert_eq!(v["error"]["code"], "conflict", "{v}");
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                Some((status, v)) => panic!("unexpected answer {status}: {v}"),
                None => unanswered.lock().await.push(cmd),
            }
        }));
    }
    for t in tasks {
        if let Err(e) = t.await {
            assert!(!e.is_panic(), "a client failed: {e}");
        }
    }
    let acked = acked.lock().await.clone();
    let unanswered = unanswered.lock().await.clone();
    (acked, unanswered)
}

async fn crash_rounds(store_args: Vec<String>, label: &str) {
    let rounds: usize = std::env::var("PT_CRASH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let seed: u64 = std::env::var("PT_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| pt_protocol::Timestamp::now().micros() as u64);
    eprintln!("{label}: {rounds} kill points, PT_CRASH_SEED={seed}");
    let mut rng = Lcg(seed);

    let (mut child, base) = spawn_server(&store_args).await;
    let mut api = common::signup(&common::anon_at(&base), "Crash Studio").await;
    let mut artists = Vec::new();
    for i in 0..4 {
        artists.push(api.artist(&format!("Crash {i}")).await);
    }
    let mut all_acked: HashMap<String, String> = HashMap::new();
    for round in 0..rounds {
        let cmds = round_commands(round, &artists);
        let kill_after = 1 + rng.next(cmds.len() as u64 - 1) as usize;
        let answered = Arc::new(AtomicUsize::new(0));
        let sender = {
            let (api, answered) = (api.clone(), answered.clone());
            tokio::spawn(async move { send_all(&api, cmds, answered).await })
        };
        common::eventually(Duration::from_secs(60), || {
            let answered = answered.clone();
            async move { (answered.load(Ordering::SeqCst) >= kill_after).then_some(()) }
        })
        .await;
        child.start_kill().unwrap();
        child.wait().await.unwrap();
        let (acked, unanswered) = sender.await.unwrap();

        (child, api) = {
            let (c, b) = spawn_server(&store_args).await;
            (c, api.at(&b))
        };
        // Every acknowledged booking is there.
        for (key, id) in &acked {
            let r = api.get(&format!("/bookings/{id}")).await;
            assert_eq!(r.status, 200, "{label} round {round}: acknowledged {key} ({id}) lost");
        }
        // Clients re-send what got no answer, with the same keys.
        let (resent, still) = send_all(&api, unanswered, Arc::new(AtomicUsize::new(0))).await;
        assert!(still.is_empty(), "the restarted server answers everything");
        for (key, id) in acked.iter().chain(resent.iter()) {
            if let Some(prev) = all_acked.insert(key.clone(), id.clone()) {
                assert_eq!(&prev, id, "{label}: key {key} produced two bookings");
            }
        }
        eprintln!(
            "{label} round {round}: killed after {kill_after} answers; {} acked, {} re-sent ok",
            acked.len(),
            resent.len()
        );
    }

    // The final audit over every round.
    let all = api.get("/bookings?limit=1000").await;
    let total = all.body["meta"]["total"].as_u64().unwrap() as usize;
    let mut titles: HashMap<String, usize> = HashMap::new();
    let mut page = 1;
    loop {
        let r = api.get(&format!("/bookings?limit=1000&page={page}")).await;
        let rows = r.data().as_array().unwrap().clone();
        if rows.is_empty() {
            break;
        }
        for b in rows {
            *titles.entry(b["title"].as_str().unwrap().to_string()).or_default() += 1;
        }
        page += 1;
    }
    assert!(titles.values().all(|n| *n == 1), "{label}: a command was applied twice");
    assert_eq!(titles.len(), total);
    for (key, id) in &all_acked {
        assert!(titles.contains_key(key), "{label}: acknowledged {key} ({id}) missing at the end");
        let ev = api.get(&format!("/bookings/{id}/events")).await;
        assert_eq!(ev.data().as_array().unwrap().len(), 1, "{label}: {key} has exactly its creation event");
    }
    // No double booking: per artist, confirmed slots never overlap.
    for a in &artists {
        let r = api.get(&format!("/artists/{a}/bookings")).await;
        let mut ranges: Vec<(String, String)> = r
            .data()
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["status"] == "confirmed")
            .map(|b| (b["startTime"].as_str().unwrap().to_string(), b["endTime"].as_str().unwrap().to_string()))
            .collect();
        ranges.sort();
        assert!(ranges.windows(2).all(|w| w[0].1 <= w[1].0), "{label}: overlapping confirmed bookings for {a}");
    }
    eprintln!("{label}: {} bookings acknowledged over {rounds} kill points, all present once", all_acked.len());
    child.start_kill().unwrap();
}

#[tokio::test]
async fn sigkill_at_random_points_postgres() {
    let db = fresh_db().await;
    crash_rounds(vec!["--database-url".into(), db.url.clone()], "postgres").await;
    let (sql, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let row = sql.query_one("SELECT count(*), coalesce(max(seq), 0) FROM events", &[]).await.unwrap();
    assert_eq!(row.get::<_, i64>(0), row.get::<_, i64>(1), "the event log is gap-free after the crashes");
}

#[tokio::test]
async fn sigkill_at_random_points_embedded() {
    let dir = std::env::temp_dir().join(format!("pt-crash-{}", uuid::Uuid::now_v7().simple()));
    crash_rounds(vec!["--data-dir".into(), dir.display().to_string()], "embedded").await;
    let db = rusqlite::Connection::open(dir.join("production-tool.sqlite3")).unwrap();
    let (n, max): (i64, i64) =
        db.query_row("SELECT count(*), coalesce(max(seq), 0) FROM events", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert!(n > 0);
    assert_eq!(n, max, "the event log is gap-free after the crashes");
    let _ = std::fs::remove_dir_all(&dir);
}
