//! Availability counted in every booking decision, on both stores, over
//! REST and the WebSocket: each `unavailable` reason (`outside_working_hours`,
//! `holiday`, `time_off`) refuses a pencil, names the overlap and offers free
//! windows that are in the future and inside working hours; `allowOvertime`
//! books anyway and is recorded; a hold is placed and carries a warning.
//! Then the time-off workflow: a freelancer asks, the manager approves from
//! the queue, and the day rate stays hidden from the freelancer.

mod common;

use common::wsclient::WsClient;
use common::{Api, TestServer, member, signup, spawn_server, temp_dir};
use pt_protocol::ws::{Command, ServerFrame};
use pt_protocol::{ArtistId, BookingStatus, CmdId, ErrorCode, NewBooking, Timestamp};
use serde_json::{Value, json};
use std::time::Duration;

const DAY: i64 = 86_400_000_000;
const HOUR: i64 = 3_600_000_000;

/// Monday 00:00 UTC of the week after next (always in the future).
fn monday() -> i64 {
    let now = Timestamp::now().micros();
    let day = now - now.rem_euclid(DAY);
    let weekday = ((day / DAY) + 3).rem_euclid(7); // 1970-01-01 was a Thursday
    day - weekday * DAY + 14 * DAY
}

fn at(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}

fn date(micros: i64) -> String {
    at(micros)[..10].to_string()
}

/// Books without `allowOvertime` (the shared test helper sends it).
async fn pencil(api: &Api, artist: &str, start: i64, end: i64, status: &str) -> common::Resp {
    let body =
        json!({ "artistId": artist, "title": "Shot", "startTime": at(start), "endTime": at(end), "status": status });
    api.post("/bookings", body).await
}

async fn book_plain(api: &Api, artist: &str, start: &str, end: &str) -> common::Resp {
    api.post("/bookings", json!({ "artistId": artist, "title": "Shot", "startTime": start, "endTime": end })).await
}

/// The reasons of an `unavailable` answer, and checks on its free windows.
fn reasons(details: &Value) -> Vec<String> {
    let now = Timestamp::now().micros();
    for w in details["freeWindows"].as_array().expect("free windows") {
        let start = Timestamp::parse_rfc3339(w["start"].as_str().unwrap()).unwrap().micros();
        let end = Timestamp::parse_rfc3339(w["end"].as_str().unwrap()).unwrap().micros();
        assert!(start >= now, "a free window is never in the past: {w}");
        // UTC artist, studio week Mon–Fri 09:00–18:00: windows start and end inside it.
        let (s, e) = (start.rem_euclid(DAY), end.rem_euclid(DAY));
        assert!((9 * HOUR..18 * HOUR).contains(&s) && (9 * HOUR + 1..=18 * HOUR).contains(&e), "{w}");
        assert!(((start / DAY) + 3).rem_euclid(7) < 5, "starts on a weekday: {w}");
    }
    details["unavailable"].as_array().unwrap().iter().map(|u| u["reason"].as_str().unwrap().to_string()).collect()
}

/// A studio with one artist, a holiday on Tuesday and approved time off on
/// Wednesday; the owner's client and the artist's id.
async fn studio(api: &Api) -> String {
    let mon = monday();
    let r = api.patch("/studio", json!({ "holidays": [{ "date": date(mon + DAY), "name": "Founders' Day" }] })).await;
    assert_eq!(r.status.as_u16(), 200, "{:?}", r.body);
    let artist = api.artist("Ana").await;
    let r = api
        .post(
            &format!("/artists/{artist}/time-off"),
            json!({ "start": at(mon + 2 * DAY), "end": at(mon + 3 * DAY), "kind": "vacation" }),
        )
        .await;
    assert_eq!((r.status.as_u16(), r.data()["timeOff"]["status"].as_str()), (201, Some("approved")), "{:?}", r.body);
    artist
}

async fn rest_reasons(api: &Api) {
    let artist = studio(api).await;
    let mon = monday();
    let cases = [
        ((mon + 17 * HOUR, mon + 20 * HOUR), "outside_working_hours"),
        ((mon + DAY + 9 * HOUR, mon + DAY + 18 * HOUR), "holiday"),
        ((mon + 2 * DAY + 9 * HOUR, mon + 2 * DAY + 18 * HOUR), "time_off"),
    ];
    for ((s, e), reason) in cases {
        let r = pencil(api, &artist, s, e, "pencil").await;
        assert_eq!((r.status.as_u16(), r.code()), (409, "unavailable"), "{reason}: {:?}", r.body);
        assert_eq!(reasons(&r.body["error"]["details"]), [reason]);
        let check = api
            .post("/bookings/check-availability", json!({ "artistId": artist, "startTime": at(s), "endTime": at(e) }))
            .await;
        assert_eq!(check.data()["available"], false);
        assert_eq!(check.data()["unavailable"][0]["reason"], reason);
    }
    // A whole working week across the weekend is fine; Thursday to the next Monday too.
    let r = pencil(api, &artist, mon + 3 * DAY + 9 * HOUR, mon + 7 * DAY + 18 * HOUR, "pencil").await;
    assert_eq!(r.status.as_u16(), 201, "{:?}", r.body);
    // A hold goes anywhere, with a warning; overtime is booked on purpose and recorded.
    let r = pencil(api, &artist, mon + DAY + 9 * HOUR, mon + DAY + 12 * HOUR, "hold").await;
    assert_eq!(r.status.as_u16(), 201, "{:?}", r.body);
    assert_eq!(r.data()["warnings"][0]["reason"], "holiday");
    let r = api
        .post(
            "/bookings",
            json!({ "artistId": artist, "title": "Night shoot", "startTime": at(mon + 19 * HOUR),
                    "endTime": at(mon + 23 * HOUR), "status": "pencil", "allowOvertime": true }),
        )
        .await;
    assert_eq!((r.status.as_u16(), &r.data()["allowOvertime"]), (201, &json!(true)), "{:?}", r.body);
}

async fn ws_reasons(base: &str, api: &Api) {
    let artist: ArtistId = studio(api).await.parse().unwrap();
    let mon = monday();
    let mut ws = WsClient::connect(base, &api.token(), None).await;
    let cases = [
        ((mon + 6 * HOUR, mon + 10 * HOUR), "outside_working_hours"),
        ((mon + DAY + 10 * HOUR, mon + DAY + 11 * HOUR), "holiday"),
        ((mon + 2 * DAY + 10 * HOUR, mon + 2 * DAY + 11 * HOUR), "time_off"),
    ];
    for ((s, e), reason) in cases {
        let booking = NewBooking {
            artist_id: artist,
            project_id: None,
            phase_id: None,
            title: "ws".into(),
            notes: None,
            start_time: Timestamp::from_micros(s),
            end_time: Timestamp::from_micros(e),
            status: Some(BookingStatus::Confirmed),
            expires_at: None,
            allow_overtime: None,
            queue_if_busy: None,
        };
        let cmd_id = CmdId::new();
        ws.command(cmd_id, Command::CreateBooking { booking }).await;
        ws.until(Duration::from_secs(10), |c| c.answers.contains_key(&cmd_id)).await;
        let ServerFrame::Rejected { error, .. } = &ws.answers[&cmd_id] else { panic!("{:?}", ws.answers[&cmd_id]) };
        assert_eq!(error.code, ErrorCode::Unavailable, "{reason}: {}", error.message);
        assert_eq!(reasons(error.details.as_ref().unwrap()), [reason]);
    }
}

#[tokio::test]
async fn each_reason_refuses_over_rest_and_websocket_on_postgres() {
    let (srv, _db) = TestServer::start().await;
    rest_reasons(&srv.studio("Avail REST").await).await;
    ws_reasons(&srv.base, &srv.studio("Avail WS").await).await;
}

#[tokio::test]
async fn each_reason_refuses_over_rest_and_websocket_on_the_embedded_store() {
    let dir = temp_dir("availability");
    let (_child, base) = spawn_server(&["--data-dir".to_string(), dir.display().to_string()]).await;
    let anon = common::anon_at(&base);
    rest_reasons(&signup(&anon, "Avail REST").await).await;
    ws_reasons(&base, &signup(&anon, "Avail WS").await).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_freelancer_asks_a_manager_approves_and_rates_stay_hidden() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Time off").await;
    let artist = owner.artist("Bo").await;
    let (freelancer, _) = member(&owner, "freelancer", Some(&artist)).await;
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let mon = monday();

    // The rate is the studio's business.
    let r = owner
        .patch(&format!("/artist-profiles/{artist}"), json!({ "dayRate": 450, "currency": "GBP", "bio": "Comp" }))
        .await;
    assert_eq!((r.status.as_u16(), &r.data()["dayRate"]), (200, &json!(450)), "{:?}", r.body);
    let r = freelancer.patch(&format!("/artist-profiles/{artist}"), json!({ "dayRate": 900 })).await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "forbidden"), "{:?}", r.body);
    let r = freelancer
        .patch(
            &format!("/artist-profiles/{artist}"),
            json!({ "skills": [{ "name": "Compositing", "level": 4, "years": 6 }] }),
        )
        .await;
    assert_eq!((r.status.as_u16(), &r.data()["dayRate"]), (200, &Value::Null), "{:?}", r.body);
    assert_eq!(r.data()["skills"][0]["name"], "compositing");
    assert_eq!(freelancer.get(&format!("/artists/{artist}")).await.data().get("rate"), None);
    assert_eq!(manager.get(&format!("/artist-profiles/{artist}")).await.data()["dayRate"], 450);

    // The freelancer asks; it waits in the queue; it does not block yet.
    let body = json!({ "start": at(mon + 3 * DAY), "end": at(mon + 5 * DAY), "kind": "vacation", "note": "Wedding" });
    let r = freelancer.post(&format!("/artists/{artist}/time-off"), body).await;
    assert_eq!((r.status.as_u16(), r.data()["timeOff"]["status"].as_str()), (201, Some("requested")), "{:?}", r.body);
    let id = r.data()["timeOff"]["id"].as_str().unwrap().to_string();
    let queue = manager.get("/time-off?status=requested").await;
    assert_eq!(queue.data().as_array().unwrap().len(), 1, "{:?}", queue.body);
    assert_eq!(queue.data()[0]["artistName"], "Bo");
    let thursday = (at(mon + 3 * DAY + 9 * HOUR), at(mon + 3 * DAY + 18 * HOUR));
    assert_eq!(
        manager
            .post(
                "/bookings/check-availability",
                json!({ "artistId": artist, "startTime": thursday.0, "endTime": thursday.1 })
            )
            .await
            .data()["available"],
        true
    );

    // Only owners and managers decide; once approved it counts.
    let r = freelancer.post(&format!("/time-off/{id}/decision"), json!({ "decision": "approve" })).await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "forbidden"));
    let r = manager.post(&format!("/time-off/{id}/decision"), json!({ "decision": "approve" })).await;
    assert_eq!((r.status.as_u16(), r.data()["timeOff"]["status"].as_str()), (200, Some("approved")), "{:?}", r.body);
    let r = book_plain(&manager, &artist, &thursday.0, &thursday.1).await;
    assert_eq!((r.status.as_u16(), r.code()), (409, "unavailable"));
    // An approved entry is no longer the freelancer's to withdraw; the manager may cancel it.
    let r = freelancer.post(&format!("/time-off/{id}/cancel"), json!({})).await;
    assert_eq!((r.status.as_u16(), r.code()), (422, "unprocessable"), "{:?}", r.body);
    let r = manager.post(&format!("/time-off/{id}/cancel"), json!({})).await;
    assert_eq!(r.data()["timeOff"]["status"], "cancelled");
    assert_eq!(book_plain(&manager, &artist, &thursday.0, &thursday.1).await.status, 201);
}
