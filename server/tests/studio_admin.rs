//! Studio administration over REST, on both stores: removing a member ends
//! their sessions and closes their WebSocket at once; invitations are listed
//! and revoked; calendar feeds are created, read back with an independent
//! iCalendar parser (the `ical` crate), and revoked.

mod common;

use common::checks::{SEC, code, goodbye};
use common::wsclient::WsClient;
use common::{Api, TestServer, member, spawn_server, temp_dir};
use pt_protocol::ws::View;
use pt_protocol::{ErrorCode, Timestamp};
use serde_json::{Value, json};
use std::collections::HashMap;

const DAY: i64 = 86_400_000_000;
const HOUR: i64 = 3_600_000_000;

fn at(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}

/// Monday 00:00 UTC of the week after next.
fn monday() -> i64 {
    let now = Timestamp::now().micros();
    let day = now - now.rem_euclid(DAY);
    day - ((day / DAY) + 3).rem_euclid(7) * DAY + 14 * DAY
}

#[tokio::test]
async fn removing_a_member_ends_their_sessions_and_closes_their_websocket() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Removals").await;
    let (manager, login) = member(&owner, "studio_manager", None).await;
    let manager_id = login["user"]["id"].as_str().unwrap().to_string();
    let refresh = login["refreshToken"].as_str().unwrap().to_string();
    let (bystander, _) = member(&owner, "studio_manager", None).await;
    let owner_id = owner.get("/auth/me").await.data()["userId"].as_str().unwrap().to_string();

    // Only members:manage may remove; nobody removes themselves.
    assert_eq!(code(&manager.delete(&format!("/studio/members/{owner_id}")).await), (403, "forbidden"));
    assert_eq!(code(&owner.delete(&format!("/studio/members/{owner_id}")).await), (422, "unprocessable"));
    let other = srv.studio("Elsewhere").await;
    assert_eq!(code(&other.delete(&format!("/studio/members/{manager_id}")).await), (404, "not_found"));

    let mut ws = WsClient::connect(&srv.base, &manager.token(), None).await;
    ws.subscribe(1, View::Tenant, None).await;
    let mut other_ws = WsClient::connect(&srv.base, &bystander.token(), None).await;
    other_ws.subscribe(1, View::Tenant, None).await;

    let r = owner.delete(&format!("/studio/members/{manager_id}")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["role"], "studio_manager");
    let (why, reason) = goodbye(&mut ws, SEC).await;
    assert_eq!(why, ErrorCode::Unauthenticated, "{reason}");
    assert_eq!(code(&manager.get("/artists").await), (401, "unauthenticated"));
    let anon = srv.anonymous();
    assert_eq!(anon.post("/auth/refresh", json!({ "refreshToken": refresh })).await.status, 401);
    // The other member's socket stays open and their requests work.
    assert_eq!(bystander.get("/artists").await.status, 200);
    other_ws.send(&pt_protocol::ws::ClientFrame::Ping { nonce: 9 }).await;
    other_ws.until(SEC, |c| c.other.iter().any(|f| matches!(f, pt_protocol::ws::ServerFrame::Pong { nonce: 9 }))).await;

    let members = owner.get("/studio/members").await;
    assert!(!members.data().as_array().unwrap().iter().any(|m| m["user"]["id"] == manager_id.as_str()));
    assert_eq!(code(&owner.delete(&format!("/studio/members/{manager_id}")).await), (404, "not_found"));
    srv.stop().await;
}

/// Invitations: listed newest first, revoked (the link then fails), and an
/// accepted one leaves the list.
async fn invitations(owner: &Api, anon: &Api) {
    let invite = |email: &str| owner.post("/studio/invitations", json!({ "email": email, "role": "studio_manager" }));
    let first = invite("first@example.com").await;
    let second = invite("second@example.com").await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let listed = owner.get("/studio/invitations").await;
    let emails: Vec<&str> = listed.data().as_array().unwrap().iter().map(|i| i["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["second@example.com", "first@example.com"]);
    assert_eq!(listed.data()[0]["expired"], false);

    let id = first.data()["invitation"]["id"].as_str().unwrap();
    let r = owner.delete(&format!("/studio/invitations/{id}")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(code(&owner.delete(&format!("/studio/invitations/{id}")).await), (404, "not_found"));
    let accept = |token: &Value| {
        anon.post(
            "/auth/accept-invitation",
            json!({ "token": token, "password": common::TEST_PASSWORD, "displayName": "Invitee" }),
        )
    };
    let revoked = accept(&first.data()["token"]).await;
    assert_eq!(code(&revoked), (404, "not_found"), "a revoked invitation's link fails like an unknown one");
    assert_eq!(accept(&second.data()["token"]).await.status, 200);
    assert!(owner.get("/studio/invitations").await.data().as_array().unwrap().is_empty());
}

#[tokio::test]
async fn invitations_are_listed_and_revoked_on_postgres() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Invites").await;
    invitations(&owner, &srv.anonymous()).await;
    let (manager, _) = member(&owner, "studio_manager", None).await;
    assert_eq!(code(&manager.get("/studio/invitations").await), (403, "forbidden"));
    srv.stop().await;
}

#[tokio::test]
async fn invitations_are_listed_and_revoked_on_the_embedded_store() {
    let dir = temp_dir("invitations");
    let (_child, base) = spawn_server(&["--data-dir".to_string(), dir.display().to_string()]).await;
    let anon = common::anon_at(&base);
    let owner = common::signup(&anon, "Invites").await;
    invitations(&owner, &anon).await;
}

/// One parsed VEVENT: its properties by name (the last value of each).
type Vevent = HashMap<String, String>;

async fn fetch_feed(api: &Api, path: &str) -> (u16, String, Vec<Vevent>) {
    let url = format!("{}{}", api.base.trim_end_matches("/api/v1"), path);
    let res = common::client().get(&url).send().await.unwrap();
    let status = res.status().as_u16();
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let text = res.text().await.unwrap();
    if status != 200 {
        return (status, kind, Vec::new());
    }
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = parser.next().expect("one calendar").expect("the feed parses");
    assert!(parser.next().is_none(), "exactly one VCALENDAR");
    let events = calendar
        .events
        .iter()
        .map(|e| e.properties.iter().map(|p| (p.name.clone(), p.value.clone().unwrap_or_default())).collect())
        .collect();
    (status, kind, events)
}

/// Bookings of every kind and approved time off appear in the studio's feed
/// and the artist's, with the statuses and ranks the issue names.
async fn feeds(owner: &Api, manager: &Api, freelancer: &Api) {
    let mon = monday();
    let ada = owner.artist("Ada; Comp, Lead").await;
    let ben = owner.artist("Ben").await;
    let book = |artist: &str, start: i64, status: &str, title: &str| {
        let body = json!({ "artistId": artist, "title": title, "status": status, "allowOvertime": true,
            "startTime": at(start), "endTime": at(start + 8 * HOUR) });
        owner.post("/bookings", body)
    };
    for (artist, start, status, title) in [
        (&ada, mon + 9 * HOUR, "hold", "First hold"),
        (&ada, mon + 9 * HOUR, "hold", "Second hold"),
        (&ada, mon + DAY + 9 * HOUR, "pencil", "Pencilled"),
        (&ada, mon + 2 * DAY + 9 * HOUR, "confirmed", "Confirmed, long title that goes on and on to fold the line"),
        (&ben, mon + 9 * HOUR, "confirmed", "Ben's job"),
    ] {
        let r = book(artist, start, status, title).await;
        assert_eq!(r.status, 201, "{title}: {:?}", r.body);
    }
    let cancelled = book(&ada, mon + 3 * DAY + 9 * HOUR, "pencil", "Cancelled").await;
    let id = cancelled.data()["id"].as_str().unwrap();
    assert_eq!(owner.delete(&format!("/bookings/{id}")).await.status, 200);
    let off = json!({ "start": at(mon + 4 * DAY), "end": at(mon + 5 * DAY), "kind": "vacation", "note": "private" });
    let r = owner.post(&format!("/artists/{ada}/time-off"), off).await;
    assert_eq!(r.status, 201, "{:?}", r.body);

    assert_eq!(code(&freelancer.post("/studio/calendar-feeds", json!({ "name": "Mine" })).await), (403, "forbidden"));
    let missing = json!({ "name": "Nobody", "artistId": uuid::Uuid::now_v7() });
    assert_eq!(code(&owner.post("/studio/calendar-feeds", missing).await), (404, "not_found"));
    let studio = manager.post("/studio/calendar-feeds", json!({ "name": "Wall" })).await;
    assert_eq!(studio.status, 201, "{:?}", studio.body);
    let own = owner.post("/studio/calendar-feeds", json!({ "name": "Ada's phone", "artistId": ada })).await;
    let (studio_path, ada_path) =
        (studio.data()["path"].as_str().unwrap().to_string(), own.data()["path"].as_str().unwrap().to_string());

    let (status, kind, events) = fetch_feed(owner, &studio_path).await;
    assert_eq!((status, kind.as_str()), (200, "text/calendar; charset=utf-8"));
    assert_eq!(events.len(), 6, "five live bookings and one time off: {events:#?}");
    let by_summary = |s: &str| events.iter().find(|e| e["SUMMARY"].contains(s)).unwrap_or_else(|| panic!("{s}"));
    let first = by_summary("First hold");
    assert_eq!((first["STATUS"].as_str(), first["X-PT-HOLD-RANK"].as_str()), ("TENTATIVE", "1"));
    assert!(first["SUMMARY"].starts_with("Ada\\; Comp\\, Lead: First hold (1st hold)"), "{first:?}");
    assert_eq!(by_summary("Second hold")["X-PT-HOLD-RANK"], "2");
    assert_eq!(by_summary("Pencilled")["STATUS"], "TENTATIVE");
    let confirmed = by_summary("long title");
    assert_eq!(confirmed["STATUS"], "CONFIRMED");
    assert_eq!(
        confirmed["DTSTART"],
        Timestamp::from_micros(mon + 2 * DAY + 9 * HOUR).to_chrono().format("%Y%m%dT%H%M%SZ").to_string()
    );
    let off = by_summary("Time off (vacation)");
    assert_eq!((off["STATUS"].as_str(), off["TRANSP"].as_str()), ("CONFIRMED", "OPAQUE"));
    assert!(!events.iter().any(|e| e.values().any(|v| v.contains("private") || v.contains("Cancelled"))));

    let (_, _, mine) = fetch_feed(owner, &ada_path).await;
    assert_eq!(mine.len(), 5, "Ada's four live bookings and her time off");
    assert!(mine.iter().all(|e| !e["SUMMARY"].contains("Ben")));

    let listed = owner.get("/studio/calendar-feeds").await;
    assert_eq!(listed.data().as_array().unwrap().len(), 2);
    let feed_id = studio.data()["feed"]["id"].as_str().unwrap();
    assert_eq!(code(&freelancer.delete(&format!("/studio/calendar-feeds/{feed_id}")).await), (403, "forbidden"));
    let r = owner.delete(&format!("/studio/calendar-feeds/{feed_id}")).await;
    assert!(r.data()["revokedAt"].is_string(), "{:?}", r.body);
    assert_eq!(fetch_feed(owner, &studio_path).await.0, 404);
    assert_eq!(fetch_feed(owner, &ada_path).await.0, 200);
    assert_eq!(fetch_feed(owner, "/api/v1/calendar/cal_not-a-secret.ics").await.0, 404);
}

#[tokio::test]
async fn calendar_feeds_read_back_with_an_independent_parser_on_postgres() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Feeds").await;
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let artist = owner.artist("Freelancer's own").await;
    let (freelancer, _) = member(&owner, "freelancer", Some(&artist)).await;
    feeds(&owner, &manager, &freelancer).await;
    // Another studio cannot see or revoke these feeds.
    let other = srv.studio("Elsewhere").await;
    assert!(other.get("/studio/calendar-feeds").await.data().as_array().unwrap().is_empty());
    srv.stop().await;
}

#[tokio::test]
async fn calendar_feeds_read_back_with_an_independent_parser_on_the_embedded_store() {
    let dir = temp_dir("feeds");
    let (_child, base) = spawn_server(&["--data-dir".to_string(), dir.display().to_string()]).await;
    let owner = common::signup(&common::anon_at(&base), "Feeds").await;
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let artist = owner.artist("Freelancer's own").await;
    let (freelancer, _) = member(&owner, "freelancer", Some(&artist)).await;
    feeds(&owner, &manager, &freelancer).await;
}
