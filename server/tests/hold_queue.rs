//! The hold queue over REST, on both stores: a later hold of another project
//! challenges the 1st; the challenge deadline is the 1st hold's expiry,
//! brought forward; confirming answers it; a challenge survives a restart;
//! without an answer the 1st hold lapses at the deadline and the challenger
//! moves up to 1st. The waiting list: a busy pencil request with
//! `queueIfBusy` waits as a hold, survives a restart, and becomes the pencil
//! by itself when the booking in its way is cancelled.

mod common;

use common::{Api, TestServer, eventually, signup, spawn_server, temp_dir};
use pt_protocol::Timestamp;
use serde_json::{Value, json};
use std::time::Duration;

const HOUR: i64 = 3_600_000_000;

fn at(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}

fn id(r: &common::Resp) -> String {
    r.data()["id"].as_str().unwrap().to_string()
}

async fn project(api: &Api, code: &str) -> String {
    let body = json!({"name": code, "code": code, "startDate": "2030-01-01", "endDate": "2030-12-31"});
    let r = api.post("/projects", body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}

/// A hold of `project` on `artist` for hours `[a, b)` of 2030-03-04, lapsing at `expires` (µs).
async fn hold(api: &Api, artist: &str, project: &str, a: i64, b: i64, expires: Option<i64>) -> common::Resp {
    let day = Timestamp::parse_rfc3339("2030-03-04T00:00:00Z").unwrap().micros();
    let mut body = json!({"artistId": artist, "projectId": project, "title": "Shot", "status": "hold",
                          "startTime": at(day + a * HOUR), "endTime": at(day + b * HOUR), "allowOvertime": true});
    if let Some(e) = expires {
        body["expiresAt"] = json!(at(e));
    }
    let r = api.post("/bookings", body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r
}

async fn challenge(api: &Api, id: &str, by: &str) -> common::Resp {
    api.post(&format!("/bookings/{id}/challenge"), json!({"by": by})).await
}

fn micros(v: &Value) -> i64 {
    Timestamp::parse_rfc3339(v.as_str().expect("a timestamp")).unwrap().micros()
}

/// Challenge, refusals and the answer. Returns the challenged hold and its
/// challenger, both still holds, for the restart check.
async fn challenge_and_answer(api: &Api) -> (String, String, String) {
    let artist = api.artist("Queue").await;
    let (p1, p2) = (project(api, "HQA").await, project(api, "HQB").await);
    let first = hold(api, &artist, &p1, 10, 12, None).await;
    let second = hold(api, &artist, &p2, 11, 13, None).await;
    let same_project = hold(api, &artist, &p1, 11, 12, None).await;
    let (first, second, same_project) = (id(&first), id(&second), id(&same_project));

    let r = challenge(api, &second, &first).await;
    assert_eq!((r.status.as_u16(), r.code()), (422, "unprocessable"), "only the 1st can be challenged: {:?}", r.body);
    let r = challenge(api, &first, &same_project).await;
    assert!(r.body["error"]["message"].as_str().unwrap().contains("own project"), "{:?}", r.body);

    let before = Timestamp::now().micros();
    let r = challenge(api, &first, &second).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let b = r.data();
    assert_eq!(
        (b["challengedBy"].as_str(), b["holdRank"].as_u64(), b["version"].as_u64()),
        (Some(second.as_str()), Some(1), Some(2))
    );
    let deadline = micros(&b["expiresAt"]);
    assert!((before + 24 * HOUR..=Timestamp::now().micros() + 24 * HOUR).contains(&deadline), "deadline in 24 h: {b}");
    let r = challenge(api, &first, &second).await;
    assert!(r.body["error"]["message"].as_str().unwrap().contains("already challenged"), "{:?}", r.body);

    // A second pair on another slot, under the studio's own window (2 hours):
    // its holder answers by pencilling.
    let r = api.patch("/studio", json!({"challengeHours": 2})).await;
    assert_eq!((r.status.as_u16(), &r.data()["challengeHours"]), (200, &json!(2)), "{:?}", r.body);
    assert_eq!(api.patch("/studio", json!({"challengeHours": 0})).await.code(), "invalid");
    let answered = id(&hold(api, &artist, &p1, 14, 15, None).await);
    let behind = id(&hold(api, &artist, &p2, 14, 15, None).await);
    let before = Timestamp::now().micros();
    let r = challenge(api, &answered, &behind).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let deadline = micros(&r.data()["expiresAt"]);
    assert!((before + 2 * HOUR..=Timestamp::now().micros() + 2 * HOUR).contains(&deadline), "2 h: {:?}", r.body);
    let r = api.post(&format!("/bookings/{answered}/transition"), json!({"version": 2, "to": "pencil"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.data().get("challengedBy").is_none() && r.data()["expiresAt"].is_null(), "answered: {:?}", r.body);
    (first, second, artist)
}

/// After a restart the challenge stands, deadline and all.
async fn still_challenged(api: &Api, first: &str, second: &str, before: &Value) {
    let got = api.get(&format!("/bookings/{first}")).await;
    assert_eq!(got.status, 200, "{:?}", got.body);
    assert_eq!(got.data()["challengedBy"].as_str(), Some(second));
    assert_eq!(got.data()["expiresAt"], before["expiresAt"]);
}

/// No answer by the deadline: the 1st hold lapses, the challenger is 1st.
async fn lapse_promotes(api: &Api, artist: &str) {
    let (p1, p2) = (project(api, "HQC").await, project(api, "HQD").await);
    let soon = Timestamp::now().micros() + 2_000_000;
    let first = id(&hold(api, artist, &p1, 16, 17, Some(soon)).await);
    let second = id(&hold(api, artist, &p2, 16, 17, None).await);
    let r = challenge(api, &first, &second).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(micros(&r.data()["expiresAt"]), soon, "the deadline never extends a hold");
    eventually(Duration::from_secs(15), || async {
        let b = api.get(&format!("/bookings/{first}")).await;
        (b.data()["status"] == "expired").then_some(())
    })
    .await;
    let b = api.get(&format!("/bookings/{first}")).await;
    assert!(b.data().get("challengedBy").is_none(), "{:?}", b.body);
    let c = api.get(&format!("/bookings/{second}")).await;
    assert_eq!(c.data()["holdRank"], 1, "the challenger moved up: {:?}", c.body);
}

/// A pencil on `artist` for hours `[a, b)` of 2030-03-04, with `queueIfBusy` when `queue`.
async fn pencil(api: &Api, artist: &str, a: i64, b: i64, queue: bool) -> common::Resp {
    let day = Timestamp::parse_rfc3339("2030-03-04T00:00:00Z").unwrap().micros();
    let mut body = json!({"artistId": artist, "title": "Wanted", "status": "pencil",
                          "startTime": at(day + a * HOUR), "endTime": at(day + b * HOUR), "allowOvertime": true});
    if queue {
        body["queueIfBusy"] = json!(true);
    }
    api.post("/bookings", body).await
}

/// A pencil in the way, and a busy request waiting behind it. Returns both.
async fn queue_up(api: &Api, artist: &str) -> (String, String) {
    let blocker = pencil(api, artist, 18, 20, false).await;
    assert_eq!(blocker.status, 201, "{:?}", blocker.body);
    assert_eq!(pencil(api, artist, 19, 20, false).await.code(), "conflict", "without queueIfBusy: refused");
    let waiting = pencil(api, artist, 19, 20, true).await;
    assert_eq!(waiting.status, 201, "{:?}", waiting.body);
    let w = waiting.data();
    assert_eq!(
        (w["status"].as_str(), w["queuedFor"].as_str(), w["holdRank"].as_u64()),
        (Some("hold"), Some("pencil"), Some(1))
    );
    (id(&blocker), id(&waiting))
}

/// The booking in the way is cancelled: the waiting hold becomes the pencil it asked for.
async fn queue_moves_in(api: &Api, blocker: &str, waiting: &str) {
    let w = api.get(&format!("/bookings/{waiting}")).await;
    assert_eq!(w.data()["queuedFor"], "pencil", "still waiting after the restart: {:?}", w.body);
    assert_eq!(api.delete(&format!("/bookings/{blocker}?version=1")).await.status, 200);
    let placed = eventually(Duration::from_secs(10), || async {
        let b = api.get(&format!("/bookings/{waiting}")).await;
        (b.data()["status"] == "pencil").then(|| b.data().clone())
    })
    .await;
    assert!(placed.get("queuedFor").is_none() && placed["expiresAt"].is_null(), "{placed}");
    // The audit trail is read from the store: the placement shows once durable.
    eventually(Duration::from_secs(10), || async {
        let trail = api.get(&format!("/bookings/{waiting}/events")).await;
        let last = trail.data().as_array().unwrap().last().unwrap().clone();
        (last["by"] == "system:queue" && last["event"]["booking"]["status"] == "pencil").then_some(())
    })
    .await;
}

#[tokio::test]
async fn hold_queue_on_postgres() {
    let (srv, db) = TestServer::start().await;
    let api = srv.studio("Hold queue").await;
    let (first, second, artist) = challenge_and_answer(&api).await;
    let (blocker, waiting) = queue_up(&api, &artist).await;
    let before = api.get(&format!("/bookings/{first}")).await.data().clone();
    srv.stop().await;
    let srv = TestServer::start_on(&db.url, Default::default()).await;
    let api = api.at(&srv.base);
    still_challenged(&api, &first, &second, &before).await;
    lapse_promotes(&api, &artist).await;
    queue_moves_in(&api, &blocker, &waiting).await;
    srv.stop().await;
}

#[tokio::test]
async fn hold_queue_on_the_embedded_store() {
    let dir = temp_dir("hold-queue");
    let args = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (mut child, base) = spawn_server(&args).await;
    let api = signup(&common::anon_at(&base), "Hold queue").await;
    let (first, second, artist) = challenge_and_answer(&api).await;
    let (blocker, waiting) = queue_up(&api, &artist).await;
    let before = api.get(&format!("/bookings/{first}")).await.data().clone();
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let _ = tokio::time::timeout(Duration::from_secs(30), child.wait()).await;
    let (_child, base) = spawn_server(&args).await;
    let api = api.at(&base);
    still_challenged(&api, &first, &second, &before).await;
    lapse_promotes(&api, &artist).await;
    queue_moves_in(&api, &blocker, &waiting).await;
    let _ = std::fs::remove_dir_all(&dir);
}
