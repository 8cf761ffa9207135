//! Cross-tenant attacks over REST and WebSocket: studio B reads, updates,
//! books, moves onto, subscribes to and guesses the ids of studio A's artists
//! and bookings. Everything answers `not_found` (never `forbidden`, which would
//! confirm the id exists), nothing of A appears in B's errors, lists or
//! broadcasts, and A's data is unchanged.

mod common;

use common::TestServer;
use common::wsclient::WsClient;
use pt_protocol::ws::{ClientFrame, Command, PresenceState, ServerFrame, View};
use pt_protocol::{
    ArtistId, BookingId, BookingPatch, BookingStatus, CmdId, ErrorCode, NewBooking, TimeRange, Timestamp,
};
use serde_json::json;
use std::time::Duration;

const SEC: Duration = Duration::from_secs(10);
const SECRET: &str = "Top secret feature";

#[tokio::test]
async fn another_studio_gets_not_found_for_everything() {
    let (srv, _db) = TestServer::start().await;
    let a = srv.studio("Studio A").await;
    let b = srv.studio("Studio B").await;
    let artist_a = a.artist("Private Artist").await;
    let booking_a = a
        .post(
            "/bookings",
            json!({"artistId": artist_a, "title": SECRET, "status": "pencil",
            "startTime": "2027-02-01T09:00:00Z", "endTime": "2027-02-01T17:00:00Z"}),
        )
        .await;
    let booking_a = booking_a.data()["id"].as_str().unwrap().to_string();
    let artist_b = b.artist("B's own").await;
    let own_b = b.book(&artist_b, "2027-02-01T09:00:00Z", "2027-02-01T10:00:00Z", "pencil").await;
    let own_b = own_b.data()["id"].as_str().unwrap().to_string();

    let mut answers = vec![
        b.get(&format!("/artists/{artist_a}")).await,
        b.get(&format!("/artists/{artist_a}/bookings")).await,
        b.get(&format!("/artists/{artist_a}/availability?from=2027-02-01T00:00:00Z&to=2027-02-02T00:00:00Z")).await,
        b.patch(&format!("/artists/{artist_a}"), json!({"name": "hijacked"})).await,
        b.delete(&format!("/artists/{artist_a}")).await,
        b.get(&format!("/bookings/{booking_a}")).await,
        b.get(&format!("/bookings/{booking_a}/events")).await,
        b.patch(&format!("/bookings/{booking_a}"), json!({"version": 1, "title": "mine now"})).await,
        b.post(&format!("/bookings/{booking_a}/transition"), json!({"version": 1, "to": "cancelled"})).await,
        b.delete(&format!("/bookings/{booking_a}")).await,
        b.get(&format!("/bookings?artist={artist_a}")).await,
        b.book(&artist_a, "2027-02-02T09:00:00Z", "2027-02-02T10:00:00Z", "confirmed").await,
        b.post(
            "/bookings/check-availability",
            json!({"artistId": artist_a, "startTime": "2027-02-01T09:00:00Z", "endTime": "2027-02-01T10:00:00Z"}),
        )
        .await,
        // Moving one's own booking onto the other studio's artist.
        b.patch(&format!("/bookings/{own_b}"), json!({"version": 1, "artistId": artist_a})).await,
    ];
    // Guessing ids: unknown ones look exactly like A's.
    answers.push(b.get(&format!("/bookings/{}", BookingId::new())).await);
    for (i, r) in answers.iter().enumerate() {
        assert_eq!((r.status.as_u16(), r.code()), (404, "not_found"), "attack {i}: {:?}", r.body);
        let text = r.body.to_string();
        assert!(!text.contains(SECRET) && !text.contains("Private Artist"), "attack {i} leaked: {text}");
    }
    // Lists show only B's own things.
    let list = b.get("/bookings").await;
    assert_eq!(list.body["meta"]["total"], 1);
    assert_eq!(list.data()[0]["id"], own_b.as_str());
    let artists = b.get("/artists").await;
    assert_eq!(artists.body["meta"]["total"], 1);
    // And A's booking is untouched.
    let mine = a.get(&format!("/bookings/{booking_a}")).await;
    assert_eq!((mine.data()["title"].as_str(), mine.data()["version"].as_u64()), (Some(SECRET), Some(1)));
    assert_eq!(a.get(&format!("/artists/{artist_a}")).await.data()["name"], "Private Artist");
    srv.stop().await;
}

#[tokio::test]
async fn realtime_never_crosses_studios() {
    let (srv, _db) = TestServer::start().await;
    let a_api = srv.studio("Studio A").await;
    let b_api = srv.studio("Studio B").await;
    let artist_a: ArtistId = a_api.artist("Private Artist").await.parse().unwrap();

    let mut a = WsClient::connect(&srv.base, &a_api.token(), None).await;
    a.subscribe(1, View::Tenant, None).await;
    let mut b = WsClient::connect(&srv.base, &b_api.token(), None).await;
    // B tries to watch A's artist by id and a window on it: to B, that
    // artist does not exist (the same answer as an id nobody has).
    let range = TimeRange { start: Timestamp::from_micros(0), end: Timestamp::from_micros(4_102_444_800_000_000) };
    let own: ArtistId = b_api.artist("B's own").await.parse().unwrap();
    for (sub_id, view) in [
        (1, View::Artist { artist_id: artist_a }),
        (2, View::Window { artist_ids: vec![own, artist_a], range }),
        (4, View::Artist { artist_id: ArtistId::new() }),
    ] {
        b.send(&ClientFrame::Subscribe { sub_id, view, resume_from_seq: None }).await;
        let (error, s) = loop {
            match b.recv(SEC).await.expect("open") {
                ServerFrame::Error { error, sub_id: Some(s) } => break (error, s),
                ServerFrame::Durable { .. } => continue,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!((s, error.code), (sub_id, ErrorCode::NotFound), "{error:?}");
        assert!(!error.message.contains("Private Artist"), "{error:?}");
    }
    // Its own studio and its own artist it may watch.
    b.subscribe(3, View::Tenant, None).await;
    b.subscribe(5, View::Window { artist_ids: vec![own], range }, None).await;
    assert_eq!(b.mirrors[&3].artists.len(), 1);
    // B tries to act on A's artist and bookings over the socket.
    let start = Timestamp::from_micros(1_800_000_000_000_000);
    let new = NewBooking {
        artist_id: artist_a,
        project_id: None,
        phase_id: None,
        title: "intrusion".into(),
        notes: None,
        start_time: start,
        end_time: start.plus_micros(3_600_000_000),
        status: Some(BookingStatus::Confirmed),
        expires_at: None,
        allow_overtime: Some(true),
        queue_if_busy: None,
    };
    let c1 = CmdId::new();
    b.command(c1, Command::CreateBooking { booking: new.clone() }).await;
    // A books; its presence is visible in A's view only.
    let c2 = CmdId::new();
    a.command(c2, Command::CreateBooking { booking: NewBooking { title: SECRET.into(), ..new } }).await;
    a.until(SEC, |c| c.answers.contains_key(&c2)).await;
    let ServerFrame::Accepted { seq, result: pt_protocol::ws::CommandResult::Booking { booking }, .. } =
        a.answers[&c2].clone()
    else {
        panic!("{:?}", a.answers[&c2])
    };
    a.send(&ClientFrame::Presence {
        sub_id: 1,
        state: PresenceState { name: Some("A's scheduler".into()), ..Default::default() },
    })
    .await;
    let c3 = CmdId::new();
    b.command(
        c3,
        Command::UpdateBooking {
            id: booking.id,
            patch: BookingPatch { version: 1, title: Some("x".into()), ..Default::default() },
        },
    )
    .await;
    b.until(SEC, |c| c.answers.contains_key(&c1) && c.answers.contains_key(&c3)).await;
    for id in [c1, c3] {
        let ServerFrame::Rejected { error, .. } = &b.answers[&id] else { panic!("{:?}", b.answers[&id]) };
        assert_eq!(error.code, ErrorCode::NotFound);
        assert!(!error.message.contains(SECRET));
    }
    // Let B's connection run past A's seq: a ping round trip after A's booking is durable.
    a.until(SEC, |c| c.durable_seq >= seq).await;
    b.send(&ClientFrame::Ping { nonce: 42 }).await;
    b.until(SEC, |c| c.other.iter().any(|f| matches!(f, ServerFrame::Pong { nonce: 42 }))).await;
    for sub in [3, 5] {
        assert!(b.mirrors[&sub].bookings.is_empty(), "sub {sub} received A's booking");
    }
    assert!(!b.mirrors.contains_key(&1) && !b.mirrors.contains_key(&2), "refused subscriptions got frames");
    assert!(
        !b.other.iter().any(|f| matches!(f, ServerFrame::PresenceDiff { .. } | ServerFrame::Event { .. })),
        "B saw A's presence or events: {:?}",
        b.other
    );
    srv.stop().await;
}
