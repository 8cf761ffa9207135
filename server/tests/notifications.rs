//! Notifications, on both stores: who is told what, live over the WebSocket
//! and in `GET /notifications`; marking read (one, all; another's id is
//! `not_found`); paging; and every notification and read mark surviving a
//! restart. The rules exercised: a booking offered to a freelancer; a hold
//! promoted when the one ahead is cancelled; a challenge, then the lapse at
//! its deadline releasing the 1st hold and promoting the challenger; a
//! waiting request placed. Nobody is told about their own change.

mod common;

use common::wsclient::WsClient;
use common::{Api, TestServer, eventually, member, signup, spawn_server, temp_dir};
use pt_protocol::ws::{ServerFrame, View};
use pt_protocol::{ArtistId, Event, Timestamp};
use serde_json::{Value, json};
use std::time::Duration;

const HOUR: i64 = 3_600_000_000;

fn at(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}

fn day() -> i64 {
    Timestamp::parse_rfc3339("2030-05-06T00:00:00Z").unwrap().micros()
}

async fn project(api: &Api, code: &str) -> String {
    let body = json!({"name": code, "code": code, "startDate": "2030-01-01", "endDate": "2030-12-31"});
    let r = api.post("/projects", body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}

/// A booking of `status` on `artist` for hours `[a, b)` of the test day.
async fn booking(
    api: &Api,
    artist: &str,
    project: Option<&str>,
    status: &str,
    hours: (i64, i64),
    extra: Value,
) -> Value {
    let mut body = json!({"artistId": artist, "title": "Shot", "status": status, "allowOvertime": true,
                          "startTime": at(day() + hours.0 * HOUR), "endTime": at(day() + hours.1 * HOUR)});
    if let Some(p) = project {
        body["projectId"] = json!(p);
    }
    for (k, v) in extra.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    let r = api.post("/bookings", body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data().clone()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

/// The caller's notifications (newest first) and unread count.
async fn inbox(api: &Api) -> (Vec<Value>, u64) {
    let r = api.get("/notifications?limit=200").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    (r.data()["items"].as_array().unwrap().clone(), r.data()["unreadCount"].as_u64().unwrap())
}

/// Waits for a notification of `kind` about `booking` in the caller's inbox.
async fn told(api: &Api, kind: &str, booking: &str) -> Value {
    eventually(Duration::from_secs(15), || async {
        let (items, _) = inbox(api).await;
        items.into_iter().find(|n| n["kind"] == kind && n["bookingId"] == booking)
    })
    .await
}

async fn kinds(api: &Api) -> Vec<String> {
    inbox(api).await.0.iter().map(|n| n["kind"].as_str().unwrap().to_string()).collect()
}

struct People {
    owner: Api,
    manager: Api,
    freelancer: Api,
    linked: String,
    other: String,
}

async fn people(owner: Api) -> People {
    let linked = owner.artist("Nova").await;
    let other = owner.artist("Queue").await;
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let (freelancer, _) = member(&owner, "freelancer", Some(&linked)).await;
    People { owner, manager, freelancer, linked, other }
}

/// The freelancer is told live, over their WebSocket, that a booking was
/// made on their artist; the owner who made it is told nothing.
async fn offered_live(p: &People, base: &str) -> String {
    let mut ws = WsClient::connect(base, &p.freelancer.token(), None).await;
    let artist = ArtistId(uuid::Uuid::parse_str(&p.linked).unwrap());
    ws.subscribe(1, View::Artist { artist_id: artist }, None).await;
    let b = booking(&p.owner, &p.linked, None, "pencil", (9, 17), json!({})).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let live = loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match ws.recv(left).await.expect("the socket stays open") {
            ServerFrame::Event { event, .. } => match event.event {
                Event::NotificationCreated { notification } => break notification,
                _ => continue,
            },
            _ => continue,
        }
    };
    assert_eq!((live.kind.as_str(), live.booking_id.map(|b| b.to_string())), ("bookingOffered", Some(id(&b))));
    assert!(live.body.contains("Nova") && live.body.contains("2030-05-06"), "{}", live.body);
    let n = told(&p.freelancer, "bookingOffered", &id(&b)).await;
    assert_eq!((n["id"].as_str(), &n["readAt"]), (Some(live.id.to_string().as_str()), &Value::Null));
    let own = inbox(&p.owner).await.0;
    assert!(own.iter().all(|n| n["kind"] == "invitationAccepted"), "nobody is told about their own change: {own:?}");
    id(&b)
}

/// A hold moves up when the one ahead is cancelled: its holder is told.
async fn promotion(p: &People) -> String {
    let first = booking(&p.owner, &p.other, None, "hold", (9, 12), json!({})).await;
    let second = booking(&p.manager, &p.other, None, "hold", (10, 12), json!({})).await;
    assert_eq!(second["holdRank"], 2);
    let r = p.owner.delete(&format!("/bookings/{}?version=1", id(&first))).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let n = told(&p.manager, "holdPromoted", &id(&second)).await;
    assert_eq!(n["title"], "Your hold moved up to 1st");
    id(&second)
}

/// A challenge tells the 1st hold's holder; the lapse at the deadline tells
/// them it was released and the challenger that they moved up.
async fn challenge_to_lapse(p: &People) {
    let (p1, p2) = (project(&p.owner, "NTA").await, project(&p.owner, "NTB").await);
    let soon = Timestamp::now().micros() + 3_000_000;
    let first = booking(&p.owner, &p.other, Some(&p1), "hold", (14, 16), json!({"expiresAt": at(soon)})).await;
    let second = booking(&p.manager, &p.other, Some(&p2), "hold", (14, 16), json!({})).await;
    let r = p.manager.post(&format!("/bookings/{}/challenge", id(&first)), json!({"by": id(&second)})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let n = told(&p.owner, "holdChallenged", &id(&first)).await;
    assert!(n["by"].as_str().unwrap().starts_with("user:"), "{n}");
    told(&p.owner, "holdReleased", &id(&first)).await;
    let n = told(&p.manager, "holdPromoted", &id(&second)).await;
    assert_eq!(n["by"], "system:expiry");
}

/// A waiting request placed when the booking in its way goes: its holder is told.
async fn queue_placed(p: &People) {
    let blocker = booking(&p.owner, &p.other, None, "pencil", (18, 20), json!({})).await;
    let waiting = booking(&p.manager, &p.other, None, "pencil", (19, 20), json!({"queueIfBusy": true})).await;
    assert_eq!(waiting["queuedFor"], "pencil");
    assert_eq!(p.owner.delete(&format!("/bookings/{}?version=1", id(&blocker))).await.status, 200);
    let n = told(&p.manager, "queuePlaced", &id(&waiting)).await;
    assert_eq!(n["by"], "system:queue");
}

/// Reminders: 24 hours before a hold lapses; 2 hours before a challenge's deadline.
async fn reminders(p: &People) {
    const S: i64 = 1_000_000;
    let soon = |lead_hours: i64| json!({"expiresAt": at(Timestamp::now().micros() + lead_hours * HOUR + 3 * S)});
    let lapsing = booking(&p.owner, &p.other, None, "hold", (20, 21), soon(24)).await;
    let n = told(&p.owner, "holdExpiring", &id(&lapsing)).await;
    assert_eq!(
        (n["title"].as_str(), n["by"].as_str()),
        (Some("Your hold lapses in 24 hours"), Some("system:reminder"))
    );
    let (p1, p2) = (project(&p.owner, "NTR").await, project(&p.owner, "NTS").await);
    let first = booking(&p.manager, &p.other, Some(&p1), "hold", (21, 22), soon(2)).await;
    let second = booking(&p.owner, &p.other, Some(&p2), "hold", (21, 22), json!({})).await;
    let r = p.owner.post(&format!("/bookings/{}/challenge", id(&first)), json!({"by": id(&second)})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let n = told(&p.manager, "challengeDeadline", &id(&first)).await;
    assert_eq!(n["title"], "2 hours left to answer the challenge");
    let given = inbox(&p.manager).await.0.iter().filter(|n| n["kind"] == "challengeDeadline").count();
    assert_eq!(given, 1, "once");
    let early = inbox(&p.manager).await.0.iter().any(|n| n["kind"] == "holdExpiring");
    assert!(!early, "a hold placed within 24 hours of its expiry gets no 24-hour reminder");
}

/// Time off: the freelancer asks, the manager decides, the freelancer is
/// told. An invitation accepted: whoever invited is told (the owner invited
/// both members in `people`).
async fn time_off_and_invitations(p: &People) {
    let body = json!({"start": "2030-08-05T00:00:00Z", "end": "2030-08-07T00:00:00Z", "kind": "vacation"});
    let r = p.freelancer.post(&format!("/artists/{}/time-off", p.linked), body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.data()["timeOff"]["id"].as_str().unwrap().to_string();
    let r = p.manager.post(&format!("/time-off/{id}/decision"), json!({"decision": "approve"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let n = eventually(Duration::from_secs(10), || async {
        inbox(&p.freelancer).await.0.into_iter().find(|n| n["kind"] == "timeOffDecided")
    })
    .await;
    assert_eq!(n["title"], "Time off approved");
    assert!(n["body"].as_str().unwrap().contains("2030-08-05 → 2030-08-06"), "{n}");
    let joined: Vec<Value> =
        inbox(&p.owner).await.0.into_iter().filter(|n| n["kind"] == "invitationAccepted").collect();
    assert_eq!(joined.len(), 2, "the manager and the freelancer joined: {joined:?}");
    assert!(joined.iter().any(|n| n["body"].as_str().unwrap().contains("as freelancer")), "{joined:?}");
}

/// Reading: one, again (nothing changes), someone else's (`not_found`), all.
async fn reading(p: &People, offered: &str) {
    let (items, unread) = inbox(&p.freelancer).await;
    assert_eq!(unread, items.len() as u64);
    let n = items.iter().find(|n| n["bookingId"] == offered).unwrap();
    let r = p.freelancer.post(&format!("/notifications/{}/read", id(n)), json!({})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!((r.data()["ids"].as_array().unwrap().len(), r.data()["unreadCount"].as_u64()), (1, Some(unread - 1)));
    let r = p.freelancer.post(&format!("/notifications/{}/read", id(n)), json!({})).await;
    assert_eq!((r.status.as_u16(), r.data()["ids"].as_array().unwrap().len()), (200, 0), "{:?}", r.body);
    let theirs = id(&inbox(&p.manager).await.0[0]);
    let r = p.freelancer.post(&format!("/notifications/{theirs}/read"), json!({})).await;
    assert_eq!((r.status.as_u16(), r.code()), (404, "not_found"), "another's notification: {:?}", r.body);
    let r = p.freelancer.get("/notifications?unread=true").await;
    assert!(r.data()["items"].as_array().unwrap().iter().all(|n| n["readAt"].is_null()), "{:?}", r.body);

    let (items, unread) = inbox(&p.manager).await;
    assert!(unread >= 3 && items.iter().all(|n| n["userId"] == items[0]["userId"]), "{items:?}");
    let r = p.manager.send(p.manager.req(reqwest::Method::POST, "/notifications/read-all")).await;
    assert_eq!((r.status.as_u16(), r.data()["unreadCount"].as_u64()), (200, Some(0)), "{:?}", r.body);
    assert_eq!(r.data()["ids"].as_array().unwrap().len() as u64, unread);
    // Paging: one at a time, newest first, to the end.
    let first = p.manager.get("/notifications?limit=1").await;
    let next = first.data()["nextBefore"].as_str().unwrap().to_string();
    let second = p.manager.get(&format!("/notifications?limit=1&before={next}")).await;
    assert_eq!(second.data()["items"][0]["id"], items[1]["id"], "{:?}", second.body);
    let r = p.manager.get("/notifications?limit=0").await;
    assert_eq!(r.code(), "invalid");
}

/// After a restart: the same notifications, read marks and all.
async fn survives(p: &People, before: &[(Vec<Value>, u64)]) {
    for (api, (items, unread)) in [&p.freelancer, &p.manager, &p.owner].into_iter().zip(before) {
        let (now, n) = inbox(api).await;
        assert_eq!((&now, n), (items, *unread), "as before the restart");
    }
}

async fn run(p: &People, base: &str) -> Vec<(Vec<Value>, u64)> {
    let offered = offered_live(p, base).await;
    promotion(p).await;
    challenge_to_lapse(p).await;
    queue_placed(p).await;
    time_off_and_invitations(p).await;
    reminders(p).await;
    reading(p, &offered).await;
    let theirs = kinds(&p.freelancer).await;
    assert!(theirs.iter().all(|k| k.starts_with("booking") || k == "timeOffDecided"), "their own only: {theirs:?}");
    let mut snapshot = Vec::new();
    for api in [&p.freelancer, &p.manager, &p.owner] {
        snapshot.push(inbox(api).await);
    }
    snapshot
}

#[tokio::test]
async fn notifications_on_postgres() {
    let (srv, db) = TestServer::start().await;
    let p = people(srv.studio("Notifications").await).await;
    let before = run(&p, &srv.base).await;
    srv.stop().await;
    let srv = TestServer::start_on(&db.url, Default::default()).await;
    let p = People {
        owner: p.owner.at(&srv.base),
        manager: p.manager.at(&srv.base),
        freelancer: p.freelancer.at(&srv.base),
        ..p
    };
    survives(&p, &before).await;
    srv.stop().await;
}

#[tokio::test]
async fn notifications_on_the_embedded_store() {
    let dir = temp_dir("notifications");
    let args = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (mut child, base) = spawn_server(&args).await;
    let p = people(signup(&common::anon_at(&base), "Notifications").await).await;
    let before = run(&p, &base).await;
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-KILL", &pid]).status().unwrap().success());
    let _ = tokio::time::timeout(Duration::from_secs(30), child.wait()).await;
    let (_child, base) = spawn_server(&args).await;
    let p = People { owner: p.owner.at(&base), manager: p.manager.at(&base), freelancer: p.freelancer.at(&base), ..p };
    survives(&p, &before).await;
    let _ = std::fs::remove_dir_all(&dir);
}
