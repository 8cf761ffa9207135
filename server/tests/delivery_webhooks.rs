//! Webhooks, on both stores, through the real binary and a real HTTP
//! receiver: only owners subscribe; a failing receiver gets tries with
//! growing delays, then the delivery is dead (a dead letter in the log),
//! then redelivered by hand it arrives; the signature is checked by an
//! independent implementation (Python's `hmac`); without
//! `--webhook-allow-private` a loopback target is refused and nothing is sent.

mod common;

use common::sinks::{Receiver, webhook_receiver};
use common::{Api, anon_at, eventually, member, signup, spawn_server, temp_dir};
use pt_actors::store::postgres::testing::fresh_db;
use serde_json::{Value, json};
use std::time::Duration;

fn args(store: &[String], allow_private: bool) -> Vec<String> {
    let mut a = store.to_vec();
    a.extend(
        ["--delivery-retry-base-ms", "300", "--delivery-max-attempts", "4", "--delivery-tick-ms", "50"]
            .map(String::from),
    );
    if allow_private {
        a.push("--webhook-allow-private".into());
    }
    a
}

async fn receiver(status: u16) -> (Receiver, String) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}/hooks/pt", l.local_addr().unwrap().port());
    (webhook_receiver(l, status), url)
}

async fn subscribe(owner: &Api, url: &str) -> (String, String) {
    let r = owner.post("/webhooks", json!({"url": url, "events": ["bookingCreated"]})).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let secret = r.data()["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    (r.data()["id"].as_str().unwrap().to_string(), secret)
}

/// Checks `X-PT-Signature` with Python's hmac module: another implementation than ours.
fn python_verifies(secret: &str, header: &str, body: &str) -> bool {
    let script = r#"
import hmac, hashlib, sys, time
secret, header, body = sys.argv[1], sys.argv[2], sys.stdin.buffer.read()
parts = dict(p.split('=', 1) for p in header.split(','))
t = parts['t']
want = hmac.new(secret.encode(), t.encode() + b'.' + body, hashlib.sha256).hexdigest()
fresh = abs(time.time() - int(t)) <= 300
sys.exit(0 if hmac.compare_digest(want, parts['v1']) and fresh else 1)
"#;
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script, secret, header])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    child.wait().unwrap().success()
}

async fn log(owner: &Api, hook: &str) -> Vec<Value> {
    let r = owner.get(&format!("/webhooks/{hook}/deliveries")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.data().as_array().unwrap().clone()
}

async fn retries_then_dead_then_redelivered(store: &[String]) {
    let (rx, url) = receiver(500).await;
    let (_server, base) = spawn_server(&args(store, true)).await;
    let owner = signup(&anon_at(&base), "Hooks").await;
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let r = manager.post("/webhooks", json!({"url": url, "events": ["bookingCreated"]})).await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "forbidden"), "owners only: {:?}", r.body);
    let r = owner.post("/webhooks", json!({"url": "ftp://x.example/", "events": ["bookingCreated"]})).await;
    assert_eq!(r.code(), "invalid");
    let (hook, secret) = subscribe(&owner, &url).await;
    let artist = owner.artist("Hooked").await;
    let b = owner.book(&artist, "2030-07-01T09:00:00Z", "2030-07-01T17:00:00Z", "pencil").await;
    let booking = b.data()["id"].as_str().unwrap().to_string();

    // Four tries, each wait longer than the one before; then a dead letter.
    eventually(Duration::from_secs(20), || async {
        let l = log(&owner, &hook).await;
        (l.len() == 1 && l[0]["status"] == "dead").then_some(())
    })
    .await;
    let calls = rx.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 4, "max attempts: {calls:#?}");
    let gaps: Vec<Duration> = calls.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(gaps.windows(2).all(|g| g[1] > g[0]), "growing delays: {gaps:?}");
    assert!(gaps[0] >= Duration::from_millis(250), "the first wait is the base: {gaps:?}");
    let d = &log(&owner, &hook).await[0];
    assert_eq!(d["tries"].as_array().unwrap().len(), 4);
    assert_eq!(d["tries"][3]["statusCode"], 500);
    assert!(calls.iter().all(|c| c.delivery == d["id"].as_str().unwrap()), "one idempotency key throughout");

    // The receiver is fixed; the dead letter is sent again by hand.
    *rx.status.lock().unwrap() = 204;
    let id = d["id"].as_str().unwrap();
    let r = owner.post(&format!("/webhooks/{hook}/deliveries/{id}/redeliver"), json!({})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let sent = eventually(Duration::from_secs(10), || async {
        let l = log(&owner, &hook).await;
        (l[0]["status"] == "sent").then(|| l[0].clone())
    })
    .await;
    assert!(sent["lastError"].is_null() && !sent["sentAt"].is_null(), "{sent}");
    let calls = rx.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 5);
    let last = calls.last().unwrap();
    let body: Value = serde_json::from_str(&last.body).unwrap();
    assert_eq!(body["event"]["event"]["type"], "bookingCreated");
    assert_eq!(body["event"]["event"]["booking"]["id"], booking.as_str());
    assert!(python_verifies(&secret, &last.signature, &last.body), "signature: {}", last.signature);
    assert!(!python_verifies("whsec_wrong", &last.signature, &last.body));
    assert!(!python_verifies(&secret, &last.signature, &last.body.replace("bookingCreated", "bookingUpdated")));

    // Deleted: nothing more is sent; it cannot be redelivered.
    assert_eq!(owner.delete(&format!("/webhooks/{hook}")).await.status, 200);
    owner.book(&artist, "2030-07-02T09:00:00Z", "2030-07-02T17:00:00Z", "pencil").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(rx.calls.lock().unwrap().len(), 5, "nothing after the deletion");
    let r = owner.post(&format!("/webhooks/{hook}/deliveries/{id}/redeliver"), json!({})).await;
    assert_eq!(r.code(), "unprocessable");
}

/// Without --webhook-allow-private, a loopback target is refused: no call, a dead delivery saying why.
async fn private_targets_refused(store: &[String]) {
    let (rx, url) = receiver(204).await;
    let (_server, base) = spawn_server(&args(store, false)).await;
    let owner = signup(&anon_at(&base), "Hooks").await;
    let (hook, _) = subscribe(&owner, &url.replace("127.0.0.1", "localhost")).await;
    let artist = owner.artist("Guarded").await;
    owner.book(&artist, "2030-07-03T09:00:00Z", "2030-07-03T17:00:00Z", "pencil").await;
    let d = eventually(Duration::from_secs(10), || async {
        let l = log(&owner, &hook).await;
        l.first().filter(|d| d["status"] == "dead").cloned()
    })
    .await;
    assert!(d["lastError"].as_str().unwrap().contains("loopback"), "{d}");
    assert!(rx.calls.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn webhooks_on_the_embedded_store() {
    let dir = temp_dir("hooks");
    let store = vec!["--data-dir".to_string(), dir.display().to_string()];
    retries_then_dead_then_redelivered(&store).await;
    let other = temp_dir("hooks-private");
    private_targets_refused(&["--data-dir".to_string(), other.display().to_string()]).await;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&other);
}

#[tokio::test]
async fn webhooks_on_postgres() {
    let db = fresh_db().await;
    retries_then_dead_then_redelivered(&["--database-url".to_string(), db.url.clone()]).await;
    let db = fresh_db().await;
    private_targets_refused(&["--database-url".to_string(), db.url.clone()]).await;
}
