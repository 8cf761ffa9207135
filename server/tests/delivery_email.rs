//! Notification email, on both stores, through the real binary and a real
//! SMTP server: each notification that wants an email is delivered exactly
//! once even when the server is killed (SIGKILL) between queueing and
//! sending; preferences turn a kind's email off (or keep it out of the inbox
//! but emailed); quiet hours hold email back.

mod common;

use common::sinks::{Mailbox, smtp_sink};
use common::{Api, anon_at, eventually, member, signup, temp_dir};
use pt_actors::store::postgres::testing::fresh_db;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;

/// A port nothing listens on yet (the sink opens it later).
async fn free_port() -> u16 {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

fn args(store: &[String], port: u16) -> Vec<String> {
    let mut a = store.to_vec();
    a.extend(
        [
            "--smtp-url",
            &format!("smtp://127.0.0.1:{port}"),
            "--smtp-from",
            "Studio <noreply@studio.test>",
            "--delivery-retry-base-ms",
            "200",
            "--delivery-tick-ms",
            "100",
            "--jwt-secret",
            "a-test-secret-of-at-least-32-bytes-long",
        ]
        .map(String::from),
    );
    a
}

async fn offer(owner: &Api, artist: &str, day: u32) -> String {
    let r = owner
        .book(artist, &format!("2030-06-{day:02}T09:00:00Z"), &format!("2030-06-{day:02}T17:00:00Z"), "pencil")
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}

/// The mails to `who` (the owner also hears that the freelancer joined).
fn to(mails: &Mailbox, who: &str) -> Vec<common::sinks::Mail> {
    mails.lock().unwrap().iter().filter(|m| m.to.iter().any(|t| t.contains(who))).cloned().collect()
}

/// Three offers queued while the SMTP server is down; the server is killed;
/// the SMTP server comes up; after the restart each arrives once.
async fn exactly_once(store: &[String]) -> (tokio::process::Child, Api, Api, String, Mailbox, String) {
    let port = free_port().await;
    let (mut child, base, first_log) = common::spawn_server_logged(&args(store, port), &[]).await;
    let owner = signup(&anon_at(&base), "Mail").await;
    let artist = owner.artist("Nova").await;
    let (freelancer, login) = member(&owner, "freelancer", Some(&artist)).await;
    let email = login["user"]["email"].as_str().unwrap().to_string();
    for day in 2..5 {
        offer(&owner, &artist, day).await;
    }
    // Tried (the SMTP server is down) and queued for a retry; then killed.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-KILL", &pid]).status().unwrap().success());
    let _ = child.wait().await;

    let mails = smtp_sink(tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap());
    let (child, base, log) = common::spawn_server_logged(&args(store, port), &[]).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while to(&mails, &email).len() < 3 {
        if std::time::Instant::now() > deadline {
            let mut lines = first_log.lock().unwrap().clone();
            lines.extend(log.lock().unwrap().clone());
            panic!("{} of 3 emails arrived; the server said:\n{}", to(&mails, &email).len(), lines.join("\n"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = to(&mails, &email);
    assert_eq!(got.len(), 3, "each exactly once: {got:#?}");
    let joined =
        mails.lock().unwrap().iter().filter(|m| m.header("Subject").is_some_and(|s| s.contains("joined"))).count();
    assert_eq!(joined, 1, "the owner heard once that the freelancer joined");
    let ids: HashSet<String> = got.iter().map(|m| m.header("Message-ID").unwrap()).collect();
    assert_eq!(ids.len(), 3, "three different messages");
    for m in &got {
        assert_eq!(m.header("Subject").as_deref(), Some("New booking for you"));
        assert!(m.data.contains("text/html") && m.data.contains("text/plain"), "both bodies");
        assert_eq!(m.header("X-PT-Delivery").map(|d| format!("<{d}@production-tool>")), m.header("Message-ID"));
    }
    (child, owner.at(&base), freelancer.at(&base), artist, mails, email)
}

/// Email off for offers: the notification is in the inbox, no email comes.
/// In-app off, email on: emailed, and in the inbox as read. Quiet hours now: held back.
async fn preferences(owner: &Api, freelancer: &Api, artist: &str, mails: &Mailbox, email: &str) {
    let count = |m: &Mailbox| to(m, email).len();
    let r = freelancer.get("/me/notification-preferences").await;
    assert_eq!(r.data()["kinds"]["bookingOffered"], json!({"inApp": true, "email": true}), "{:?}", r.body);
    let r =
        freelancer.patch("/me/notification-preferences", json!({"kinds": {"bookingOffered": {"email": false}}})).await;
    assert_eq!(r.data()["kinds"]["bookingOffered"], json!({"inApp": true, "email": false}), "{:?}", r.body);
    let before = count(mails);
    let quiet = offer(owner, artist, 10).await;
    let n = inbox_item(freelancer, &quiet).await;
    assert!(n["readAt"].is_null() && n["email"] == false, "{n}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(count(mails), before, "email turned off: none sent");

    let patch = json!({"kinds": {"bookingOffered": {"email": true, "inApp": false}}});
    assert_eq!(freelancer.patch("/me/notification-preferences", patch).await.status, 200);
    let emailed = offer(owner, artist, 11).await;
    let n = inbox_item(freelancer, &emailed).await;
    assert!(!n["readAt"].is_null() && n["email"] == true, "kept as read: {n}");
    eventually(Duration::from_secs(10), || async { (count(mails) == before + 1).then_some(()) }).await;

    // Quiet hours around now, on a clock far from UTC.
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Tokyo);
    let hhmm = |t: chrono::DateTime<chrono_tz::Tz>| t.format("%H:%M").to_string();
    let quiet_hours = json!({"start": hhmm(now - chrono::Duration::hours(1)), "end": hhmm(now + chrono::Duration::hours(1)),
                             "timezone": "Asia/Tokyo"});
    let r = freelancer.patch("/me/notification-preferences", json!({"quietHours": quiet_hours})).await;
    assert_eq!(r.data()["quietHours"], quiet_hours, "{:?}", r.body);
    offer(owner, artist, 12).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(count(mails), before + 1, "held back in quiet hours");
    let bad = json!({"quietHours": {"start": "9:00", "end": "25:00", "timezone": "Nowhere"}});
    let r = freelancer.patch("/me/notification-preferences", bad).await;
    assert_eq!(r.code(), "invalid", "{:?}", r.body);
    assert_eq!(r.body["error"]["details"]["fields"].as_array().unwrap().len(), 3, "{:?}", r.body);
}

async fn inbox_item(api: &Api, booking: &str) -> Value {
    eventually(Duration::from_secs(10), || async {
        let r = api.get("/notifications?limit=200").await;
        r.data()["items"].as_array().unwrap().iter().find(|n| n["bookingId"] == booking).cloned()
    })
    .await
}

#[tokio::test]
async fn email_on_the_embedded_store() {
    let dir = temp_dir("mail");
    let store = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (_server, owner, freelancer, artist, mails, email) = exactly_once(&store).await;
    preferences(&owner, &freelancer, &artist, &mails, &email).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn email_on_postgres() {
    let db = fresh_db().await;
    let store = vec!["--database-url".to_string(), db.url.clone()];
    let (_server, owner, freelancer, artist, mails, email) = exactly_once(&store).await;
    preferences(&owner, &freelancer, &artist, &mails, &email).await;
}
