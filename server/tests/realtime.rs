//! The realtime protocol against a real server over real WebSockets.

mod common;

use common::TestServer;
use common::wsclient::{Mirror, WsClient, next_frame, raw, send_frame};
use futures::SinkExt;
use pt_protocol::ws::{ClientFrame, Command, Cursor, PresenceState, ServerFrame, View};
use pt_protocol::{ArtistId, BookingStatus, CmdId, ErrorCode, NewArtist, NewBooking, Timestamp};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const SEC: Duration = Duration::from_secs(10);

fn new_booking(artist: ArtistId, hour: i64, status: BookingStatus) -> NewBooking {
    let start = 1_798_761_600_000_000 + hour * 3_600_000_000; // 2027-01-01 + hours
    NewBooking {
        artist_id: artist,
        project_id: None,
        phase_id: None,
        title: format!("slot {hour}"),
        notes: None,
        start_time: Timestamp::from_micros(start),
        end_time: Timestamp::from_micros(start + 3_600_000_000),
        status: Some(status),
        expires_at: None,
        allow_overtime: Some(true),
        queue_if_busy: None,
    }
}

async fn create_artist(c: &mut WsClient, name: &str) -> ArtistId {
    let cmd_id = CmdId::new();
    let artist =
        NewArtist { name: name.into(), email: None, skills: vec!["comp".into()], timezone: None, active: None };
    c.command(cmd_id, Command::CreateArtist { artist }).await;
    c.until(SEC, |c| c.answers.contains_key(&cmd_id)).await;
    match &c.answers[&cmd_id] {
        ServerFrame::Accepted { result: pt_protocol::ws::CommandResult::Artist { artist }, .. } => artist.id,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn one_books_the_other_sees_it_with_accepted_then_durable() {
    let (srv, _db) = TestServer::start().await;
    let token = srv.studio("Realtime").await.token();
    let tenant = token.as_str();
    let mut a = WsClient::connect(&srv.base, tenant, None).await;
    let mut b = WsClient::connect(&srv.base, tenant, None).await;
    b.subscribe(1, View::Tenant, None).await;
    let artist = create_artist(&mut a, "Live").await;

    let cmd_id = CmdId::new();
    a.command(cmd_id, Command::CreateBooking { booking: new_booking(artist, 9, BookingStatus::Pencil) }).await;
    a.until(SEC, |c| c.answers.contains_key(&cmd_id)).await;
    let ServerFrame::Accepted { seq, result: pt_protocol::ws::CommandResult::Booking { booking }, .. } =
        a.answers[&cmd_id].clone()
    else {
        panic!("{:?}", a.answers[&cmd_id])
    };
    a.until(SEC, |c| c.durable_seq >= seq).await;
    b.until(SEC, |c| c.mirrors[&1].bookings.contains_key(&booking.id)).await;
    assert_eq!(b.mirrors[&1].bookings[&booking.id], booking);
    assert_eq!(b.mirrors[&1].seq, seq);

    // A conflict is a typed rejection with free windows.
    let clash = CmdId::new();
    a.command(clash, Command::CreateBooking { booking: new_booking(artist, 9, BookingStatus::Confirmed) }).await;
    a.until(SEC, |c| c.answers.contains_key(&clash)).await;
    let ServerFrame::Rejected { error, .. } = &a.answers[&clash] else { panic!() };
    assert_eq!(error.code, ErrorCode::Conflict);
    assert!(error.details.as_ref().unwrap()["freeWindows"].as_array().is_some());

    // Re-sending a cmdId returns the original outcome, and applies nothing twice.
    a.answers.clear();
    a.command(cmd_id, Command::CreateBooking { booking: new_booking(artist, 9, BookingStatus::Pencil) }).await;
    a.until(SEC, |c| c.answers.contains_key(&cmd_id)).await;
    let ServerFrame::Accepted { seq: again, .. } = a.answers[&cmd_id] else { panic!() };
    assert_eq!(again, seq);
    srv.stop().await;
}

#[tokio::test]
async fn bad_frames_get_typed_errors_and_the_server_keeps_serving() {
    let (srv, _db) = TestServer::start().await;
    // A bystander keeps working throughout.
    let mut bystander = WsClient::connect(&srv.base, &srv.owner_token, None).await;

    let mut s = raw(&srv.base).await;
    // Commands before hello.
    send_frame(&mut s, &ClientFrame::Ping { nonce: 1 }).await;
    let Some(ServerFrame::Error { error, .. }) = next_frame(&mut s, SEC).await else { panic!() };
    assert_eq!(error.code, ErrorCode::Protocol);
    assert!(error.message.contains("hello"), "{}", error.message);
    // Text, garbage, truncated.
    s.send(Message::Text("{\"type\":\"hello\"}".into())).await.unwrap();
    let Some(ServerFrame::Error { error, .. }) = next_frame(&mut s, SEC).await else { panic!() };
    assert!(error.message.contains("text frames"), "{}", error.message);
    s.send(Message::Binary(vec![0xc1, 0xff, 0x00].into())).await.unwrap();
    let Some(ServerFrame::Error { error, .. }) = next_frame(&mut s, SEC).await else { panic!() };
    assert_eq!(error.code, ErrorCode::Protocol);
    let hello = pt_protocol::ws::codec::encode(&ClientFrame::Hello {
        protocol_version: pt_protocol::ws::PROTOCOL_VERSION,
        token: srv.owner_token.clone(),
        resume_from_seq: None,
    });
    s.send(Message::Binary(hello[..hello.len() / 2].to_vec().into())).await.unwrap();
    let Some(ServerFrame::Error { .. }) = next_frame(&mut s, SEC).await else { panic!() };
    // The connection is still usable: a proper hello works.
    s.send(Message::Binary(hello.clone().into())).await.unwrap();
    let Some(ServerFrame::Welcome { .. }) = next_frame(&mut s, SEC).await else { panic!() };
    send_frame(&mut s, &ClientFrame::Ping { nonce: 7 }).await;
    assert_eq!(next_frame(&mut s, SEC).await, Some(ServerFrame::Pong { nonce: 7 }));
    // Unknown subscription, too many subscriptions.
    send_frame(&mut s, &ClientFrame::Unsubscribe { sub_id: 99 }).await;
    let Some(ServerFrame::Error { error, .. }) = next_frame(&mut s, SEC).await else { panic!() };
    assert_eq!(error.code, ErrorCode::Protocol);

    // Wrong version: typed error naming the versions, then a close.
    let mut v = raw(&srv.base).await;
    send_frame(
        &mut v,
        &ClientFrame::Hello { protocol_version: 99, token: srv.owner_token.clone(), resume_from_seq: None },
    )
    .await;
    let Some(ServerFrame::Error { error, .. }) = next_frame(&mut v, SEC).await else { panic!() };
    assert_eq!(error.code, ErrorCode::UnsupportedVersion);
    assert_eq!(error.details.unwrap()["supported"], serde_json::json!(pt_protocol::ws::SUPPORTED_VERSIONS));
    assert!(matches!(next_frame(&mut v, SEC).await, Some(ServerFrame::Goodbye { .. })));
    assert_eq!(next_frame(&mut v, SEC).await, None, "closed after the goodbye");

    // An oversized frame closes that connection only.
    let mut big = WsClient::connect(&srv.base, &srv.owner_token, None).await;
    let _ = big.socket.send(Message::Binary(vec![0x90; 512 * 1024].into())).await;
    assert_eq!(next_frame(&mut big.socket, SEC).await, None);

    bystander.send(&ClientFrame::Ping { nonce: 3 }).await;
    assert_eq!(bystander.recv(SEC).await, Some(ServerFrame::Pong { nonce: 3 }));
    srv.stop().await;
}

#[tokio::test]
async fn too_many_subscriptions_are_refused() {
    let (srv, _db) = TestServer::start().await;
    let mut c = WsClient::connect(&srv.base, &srv.owner_token, None).await;
    for i in 0..64 {
        c.subscribe(i, View::Tenant, None).await;
    }
    c.send(&ClientFrame::Subscribe { sub_id: 64, view: View::Tenant, resume_from_seq: None }).await;
    c.until(SEC, |c| {
        c.other.iter().any(|f| matches!(f, ServerFrame::Error { error, .. } if error.code == ErrorCode::Protocol))
    })
    .await;
    srv.stop().await;
}

#[tokio::test]
async fn resume_delivers_every_missed_event_once() {
    let (srv, _db) = TestServer::start().await;
    let token = srv.studio("Realtime").await.token();
    let tenant = token.as_str();
    let mut writer = WsClient::connect(&srv.base, tenant, None).await;
    let artist = create_artist(&mut writer, "Resume").await;
    let mut reader = WsClient::connect(&srv.base, tenant, None).await;
    reader.subscribe(5, View::Artist { artist_id: artist }, None).await;
    for h in 0..5 {
        writer
            .command(CmdId::new(), Command::CreateBooking { booking: new_booking(artist, h, BookingStatus::Hold) })
            .await;
    }
    reader.until(SEC, |c| c.mirrors[&5].bookings.len() == 5).await;
    let mirror: Mirror = reader.mirrors[&5].clone();
    drop(reader);

    // While it is away: more bookings, and a change to an old one.
    for h in 5..25 {
        writer
            .command(CmdId::new(), Command::CreateBooking { booking: new_booking(artist, h, BookingStatus::Pencil) })
            .await;
    }
    writer.until(SEC, |c| c.answers.len() == 26).await;

    let mut back = WsClient::connect(&srv.base, tenant, Some(mirror.seq)).await;
    back.mirrors.insert(5, mirror);
    back.subscribe(5, View::Artist { artist_id: artist }, None).await;
    back.until(SEC, |c| c.mirrors[&5].bookings.len() == 25).await;
    // Equal to a fresh snapshot.
    let mut fresh = WsClient::connect(&srv.base, tenant, None).await;
    fresh.subscribe(1, View::Artist { artist_id: artist }, None).await;
    assert_eq!(back.mirrors[&5].bookings, fresh.mirrors[&1].bookings);
    srv.stop().await;
}

#[tokio::test]
async fn presence_joins_updates_and_leaves_as_diffs() {
    let (srv, _db) = TestServer::start().await;
    let token = srv.studio("Realtime").await.token();
    let tenant = token.as_str();
    let mut a = WsClient::connect(&srv.base, tenant, None).await;
    a.subscribe(1, View::Tenant, None).await;
    let mut b = WsClient::connect(&srv.base, tenant, None).await;
    b.subscribe(1, View::Tenant, None).await;
    let b_id = b.session_id.clone();
    a.until(SEC, |c| {
        c.other
            .iter()
            .any(|f| matches!(f, ServerFrame::PresenceDiff { joins, .. } if joins.iter().any(|j| j.session_id == b_id)))
    })
    .await;
    // Cursor updates are coalesced: 50 in a burst arrive as a few diffs, the last state wins.
    for i in 0..50 {
        let state = PresenceState {
            name: Some("B".into()),
            cursor: Some(Cursor { x: i as f64, y: 1.5 }),
            ..Default::default()
        };
        b.send(&ClientFrame::Presence { sub_id: 1, state }).await;
    }
    a.other.clear();
    a.until(SEC, |c| {
        c.other.iter().any(|f| {
            matches!(f, ServerFrame::PresenceDiff { joins, .. }
            if joins.iter().any(|j| j.state.cursor == Some(Cursor { x: 49.0, y: 1.5 })))
        })
    })
    .await;
    let diffs = a.other.iter().filter(|f| matches!(f, ServerFrame::PresenceDiff { .. })).count();
    assert!(diffs < 50, "presence is coalesced ({diffs} diffs for 50 updates)");
    // Another studio sees none of it.
    let mut stranger = WsClient::connect(&srv.base, &srv.studio("Stranger").await.token(), None).await;
    stranger.subscribe(1, View::Tenant, None).await;
    drop(b);
    a.until(SEC, |c| {
        c.other.iter().any(|f| matches!(f, ServerFrame::PresenceDiff { leaves, .. } if leaves.contains(&b_id)))
    })
    .await;
    assert!(!stranger.other.iter().any(|f| matches!(f, ServerFrame::PresenceDiff { .. })));
    srv.stop().await;
}

#[tokio::test]
async fn shutdown_says_goodbye_to_realtime_clients() {
    let (srv, _db) = TestServer::start().await;
    let mut c = WsClient::connect(&srv.base, &srv.owner_token, None).await;
    c.subscribe(1, View::Tenant, None).await;
    // Upgraded, but no hello yet: it is told too, not left to its hello timeout.
    let mut quiet = raw(&srv.base).await;
    let stopping = tokio::spawn(srv.stop());
    for socket in [&mut c.socket, &mut quiet] {
        let mut saw_goodbye = false;
        while let Some(f) = next_frame(socket, SEC).await {
            if let ServerFrame::Goodbye { code, .. } = f {
                assert_eq!(code, ErrorCode::ShuttingDown);
                saw_goodbye = true;
            }
        }
        assert!(saw_goodbye);
    }
    tokio::time::timeout(SEC, stopping).await.expect("graceful shutdown does not wait for sockets").unwrap();
}

#[tokio::test]
async fn a_client_that_stops_reading_is_cut_off_and_does_not_slow_others() {
    let (srv, _db) = TestServer::start().await;
    let token = srv.studio("Realtime").await.token();
    let tenant = token.as_str();
    let mut writer = WsClient::connect(&srv.base, tenant, None).await;
    let artist = create_artist(&mut writer, "Busy").await;
    let mut slow = WsClient::handshake(common::wsclient::raw_small_buffer(&srv.base).await, tenant, None).await;
    slow.subscribe(1, View::Tenant, None).await;
    let mut fast = WsClient::connect(&srv.base, tenant, None).await;
    fast.subscribe(1, View::Tenant, None).await;
    let fast_task = tokio::spawn(async move {
        fast.until(Duration::from_secs(60), |c| c.mirrors[&1].bookings.len() == 2_500).await;
        fast
    });
    // 2,500 bookings of ~9 KB each: ~23 MB of events, more than the slow
    // client's small socket, the server's send buffer (≤ 4 MiB) and its send
    // queue (1,024 frames) hold.
    let notes = "n".repeat(9_000);
    for h in 0..2_500 {
        let mut b = new_booking(artist, h, BookingStatus::Confirmed);
        b.notes = Some(notes.clone());
        writer.command(CmdId::new(), Command::CreateBooking { booking: b }).await;
        if h % 100 == 99 {
            writer.until(SEC, |c| c.answers.len() >= h as usize - 50).await;
        }
    }
    writer.until(Duration::from_secs(60), |c| c.answers.len() == 2_500).await;
    let fast =
        tokio::time::timeout(Duration::from_secs(60), fast_task).await.expect("the reader is not slowed").unwrap();
    assert_eq!(fast.mirrors[&1].bookings.len(), 2_500);
    // The slow one: whatever was buffered, then the end of the connection.
    let mut got = 0;
    let mut goodbye = None;
    let read_all = async {
        while let Some(f) = next_frame(&mut slow.socket, Duration::from_secs(30)).await {
            match f {
                ServerFrame::Event { .. } => got += 1,
                ServerFrame::Goodbye { code, .. } => goodbye = Some(code),
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read_all).await.expect("the slow client's connection was closed");
    assert!(got < 2_500, "the slow client was cut off (it got {got} of 2500 events)");
    if let Some(code) = goodbye {
        assert_eq!(code, ErrorCode::SlowConsumer);
    }
    srv.stop().await;
}

#[tokio::test]
async fn a_revert_arrives_before_the_watermark_that_covers_it() {
    let (srv, _db) = TestServer::start().await;
    let studio = srv.studio("Reverts").await;
    let tenant = studio.tenant_id().await;
    let mut c = WsClient::connect(&srv.base, &studio.token(), None).await;
    let artist = create_artist(&mut c, "Breach").await;
    c.until(SEC, |c| c.durable_seq >= 1).await;
    let mut watcher = WsClient::connect(&srv.base, &studio.token(), None).await;
    watcher.subscribe(1, View::Tenant, None).await;
    // Behind the server's back, a pencil lands in the slot.
    srv.sql()
        .await
        .execute(
            "INSERT INTO bookings (tenant_id, id, artist_id, title, start_time, end_time, status, version, created_at,
                created_by, updated_at, updated_by)
             VALUES ($1, gen_random_uuid(), $2, 'rogue', '2027-01-01T09:00:00Z', '2027-01-01T10:00:00Z', 'pencil', 1,
                now(), 'sql', now(), 'sql')",
            &[&tenant.0, &artist.0],
        )
        .await
        .unwrap();
    let cmd_id = CmdId::new();
    c.command(cmd_id, Command::CreateBooking { booking: new_booking(artist, 9, BookingStatus::Confirmed) }).await;
    let mut seq = None;
    let mut booking_id = None;
    let mut reverted_before_durable = false;
    loop {
        match c.recv(SEC).await.expect("open") {
            ServerFrame::Accepted { cmd_id: id, seq: s, result } if id == cmd_id => {
                seq = Some(s);
                if let pt_protocol::ws::CommandResult::Booking { booking } = result {
                    booking_id = Some(booking.id);
                }
            }
            ServerFrame::Rejected { cmd_id: id, error } if id == cmd_id => {
                assert_eq!(error.code, ErrorCode::Reverted, "{error:?}");
                reverted_before_durable = true;
            }
            ServerFrame::Durable { durable_seq } if seq.is_some_and(|s| durable_seq >= s) => break,
            _ => {}
        }
    }
    assert!(reverted_before_durable, "the revert must come before the watermark that covers it");
    // Subscribers saw the booking come and go: their copy equals the database again.
    let id = booking_id.unwrap();
    watcher.until(SEC, |w| w.mirrors[&1].seq > seq.unwrap() && !w.mirrors[&1].bookings.contains_key(&id)).await;
    // And the restore is in the audit trail once durable (it was broadcast when sequenced).
    let sql = srv.sql().await;
    common::eventually(SEC, || {
        let sql = &sql;
        async move {
            let n: i64 = sql
                .query_one("SELECT count(*) FROM events WHERE kind = 'bookingRestored' AND entity_id = $1", &[&id.0])
                .await
                .unwrap()
                .get(0);
            (n == 1).then_some(())
        }
    })
    .await;
    srv.stop().await;
}

#[tokio::test]
async fn resume_reads_events_older_than_the_memory_tail_from_the_store() {
    // A tiny in-memory tail (and in-flight bound), so most missed events must
    // come from the store.
    let db = pt_actors::store::postgres::testing::fresh_db().await;
    let config = pt_actors::EngineConfig { max_in_flight: 4, view_tail: 8, ..Default::default() };
    let srv = TestServer::start_on(&db.url, config).await;
    let token = srv.studio("Realtime").await.token();
    let tenant = token.as_str();
    let mut writer = WsClient::connect(&srv.base, tenant, None).await;
    let artist = create_artist(&mut writer, "Long away").await;
    let mut reader = WsClient::connect(&srv.base, tenant, None).await;
    reader.subscribe(1, View::Artist { artist_id: artist }, None).await;
    let mirror = reader.mirrors[&1].clone();
    drop(reader);
    // 40 changes while it is away, one at a time (the in-flight bound is 4).
    for h in 0..40 {
        let cmd_id = CmdId::new();
        writer.command(cmd_id, Command::CreateBooking { booking: new_booking(artist, h, BookingStatus::Pencil) }).await;
        writer.until(SEC, |c| c.answers.contains_key(&cmd_id)).await;
        let ServerFrame::Accepted { seq, .. } = writer.answers[&cmd_id] else {
            panic!("{:?}", writer.answers[&cmd_id])
        };
        writer.until(SEC, |c| c.durable_seq >= seq).await;
    }
    let mut back = WsClient::connect(&srv.base, tenant, None).await;
    back.mirrors.insert(1, mirror);
    back.subscribe(1, View::Artist { artist_id: artist }, Some(back.mirrors[&1].seq)).await;
    back.until(SEC, |c| c.mirrors[&1].bookings.len() == 40).await;
    let mut fresh = WsClient::connect(&srv.base, tenant, None).await;
    fresh.subscribe(1, View::Artist { artist_id: artist }, None).await;
    assert_eq!(back.mirrors[&1].bookings, fresh.mirrors[&1].bookings);
    assert_eq!(back.mirrors[&1].seq, fresh.mirrors[&1].seq);
    srv.stop().await;
}

#[tokio::test]
async fn sessions_waiting_on_their_commands_keep_up_with_the_studio() {
    // A small broadcast buffer (the default is 8,192): a session that stopped
    // reading the studio's events while it waited on its own commands fell
    // behind the broadcast and was cut off as a slow consumer, though its
    // client read everything (found by pt-loadtest, 31 of 64 writers).
    let db = pt_actors::store::postgres::testing::fresh_db().await;
    let config = pt_actors::EngineConfig { view_broadcast: 256, ..Default::default() };
    let srv = TestServer::start_on(&db.url, config).await;
    let token = srv.studio("Busy studio").await.token();
    let mut setup = WsClient::connect(&srv.base, &token, None).await;
    let mut artists = Vec::new();
    for i in 0..4 {
        artists.push(create_artist(&mut setup, &format!("Writer {i}")).await);
    }
    const EACH: i64 = 600;
    let writers = artists.into_iter().map(|artist| {
        let (base, token) = (srv.base.clone(), token.clone());
        tokio::spawn(async move {
            let mut c = WsClient::connect(&base, &token, None).await;
            c.subscribe(1, View::Artist { artist_id: artist }, None).await;
            // Commands go out without waiting for answers (up to 100 ahead).
            let mut sent = 0;
            let mut accepted = std::collections::HashSet::new();
            while accepted.len() < EACH as usize {
                while sent < EACH && sent - (c.answers.len() as i64) < 100 {
                    let b = new_booking(artist, sent, BookingStatus::Pencil);
                    c.command(CmdId::new(), Command::CreateBooking { booking: b }).await;
                    sent += 1;
                }
                match c.recv(SEC).await.expect("the session stays open") {
                    ServerFrame::Accepted { result: pt_protocol::ws::CommandResult::Booking { booking }, .. } => {
                        accepted.insert(booking.id);
                    }
                    // Its own booking's event comes after its `Accepted`.
                    ServerFrame::Event { event, .. } => {
                        let b = event.event.booking().expect("a booking event");
                        assert!(accepted.contains(&b.id), "event before accepted for {}", b.id);
                    }
                    ServerFrame::Rejected { error, .. } => panic!("refused: {error:?}"),
                    ServerFrame::Goodbye { code, reason } => panic!("cut off: {code} {reason}"),
                    _ => {}
                }
            }
            c.until(Duration::from_secs(30), |c| c.mirrors[&1].bookings.len() == EACH as usize).await;
            c
        })
    });
    for w in futures::future::join_all(writers).await {
        let c = w.unwrap();
        assert_eq!(c.answers.len(), EACH as usize);
    }
    srv.stop().await;
}
