//! The edge under abuse, with real sockets and the real binary:
//! * a connection that sends half a request head (or nothing, or idles after
//!   a response) is closed after the header-read timeout;
//! * at shutdown, a request in progress is answered and one that never
//!   completes is cut at the drain limit;
//! * SIGTERM while 2,000 half-sent requests and 1,000 WebSocket sessions are
//!   held: every session gets close code 1001, every booking accepted just
//!   before the signal is in the store afterwards, and the server exits 0
//!   within the drain limit.

mod common;

use common::wsclient::{WsClient, raw};
use futures::StreamExt;
use pt_actors::store::postgres::testing::fresh_db;
use pt_protocol::ws::{Command, CommandResult, ServerFrame};
use pt_protocol::{ArtistId, BookingId, BookingStatus, CmdId, ErrorCode, NewBooking, Timestamp};
use std::collections::HashSet;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

const HALF_OPEN: usize = 2_000;
const SESSIONS: usize = 1_000;
/// Bookings the writer session sends just before the signal.
const BOOKINGS: usize = 200;
/// The drain limit given to the server (its default).
const DRAIN: Duration = Duration::from_secs(10);
/// What the exit may take beyond the drain limit on a loaded machine (the
/// flush, process teardown).
const EXIT_MARGIN: Duration = Duration::from_secs(5);

fn addr(base: &str) -> String {
    base.trim_start_matches("http://").to_string()
}

/// Reads until the server closes the connection; the bytes it sent.
async fn read_to_close(sock: &mut TcpStream, within: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            match sock.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.expect("the server closes the connection in time");
    got
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_read_timeout() {
    let dir = common::temp_dir("header-timeout");
    let args: Vec<String> =
        vec!["--data-dir".into(), dir.display().to_string(), "--header-read-timeout-secs".into(), "1".into()];
    let (mut child, base) = common::spawn_server(&args).await;
    let timeout = Duration::from_secs(1);
    // Generous upper bound: the timer fires at 1 s; a loaded machine may be late.
    let late = Duration::from_secs(8);

    // Half a request head, then silence.
    let started = Instant::now();
    let mut half = TcpStream::connect(addr(&base)).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\nAccept: */").await.unwrap();
    // Nothing at all.
    let mut silent = TcpStream::connect(addr(&base)).await.unwrap();
    let got = read_to_close(&mut half, late).await;
    let half_took = started.elapsed();
    assert!(got.is_empty(), "no answer to half a request: {:?}", String::from_utf8_lossy(&got));
    assert!(read_to_close(&mut silent, late).await.is_empty());
    let silent_took = started.elapsed();

    // A complete request is answered; the idle keep-alive connection after it
    // is closed after the same timeout.
    let mut keep = TcpStream::connect(addr(&base)).await.unwrap();
    keep.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n").await.unwrap();
    let answered = Instant::now();
    let got = String::from_utf8(read_to_close(&mut keep, late).await).unwrap();
    let keep_took = answered.elapsed();
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");

    eprintln!("closed after: half-sent {half_took:?}, silent {silent_took:?}, idle keep-alive {keep_took:?}");
    for took in [half_took, silent_took, keep_took] {
        assert!(took >= timeout - Duration::from_millis(100), "closed before the timeout: {took:?}");
    }
    // The server is still serving.
    let ok = common::client().get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    child.start_kill().unwrap();
    let _ = child.wait().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends a sign-in request's head, waits until the handler reads its body
/// (`100 Continue`: the server is now in the middle of this request), and
/// sends the first `sent` bytes of the body.
async fn partial_login(base: &str, body: &str, sent: usize) -> TcpStream {
    let mut s = TcpStream::connect(addr(base)).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    while !got.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await.expect("100 Continue").unwrap();
        assert!(n > 0, "closed before 100 Continue");
        got.extend_from_slice(&buf[..n]);
    }
    assert!(got.starts_with(b"HTTP/1.1 100"), "{}", String::from_utf8_lossy(&got));
    s.write_all(&body.as_bytes()[..sent]).await.unwrap();
    s
}

#[tokio::test]
async fn at_shutdown_a_request_in_progress_is_answered_and_one_that_never_ends_is_cut_at_the_drain_limit() {
    let dir = common::temp_dir("drain");
    let drain = Duration::from_secs(3);
    let args: Vec<String> =
        vec!["--data-dir".into(), dir.display().to_string(), "--drain-secs".into(), drain.as_secs().to_string()];
    let (mut child, base, log) = common::spawn_server_logged(&args, &[]).await;
    let body = r#"{"email":"nobody@example.com","password":"not-the-password-1"}"#;
    let mut finishing = partial_login(&base, body, 10).await;
    let mut stuck = partial_login(&base, body, 10).await;
    let pid = child.id().unwrap().to_string();
    let signalled = Instant::now();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    common::eventually(Duration::from_secs(10), || {
        let seen = log.lock().unwrap().iter().any(|l| l.contains("closing connections"));
        async move { seen.then_some(()) }
    })
    .await;
    // The request in progress completes during the drain and is answered, with
    // the connection closed after it.
    finishing.write_all(&body.as_bytes()[10..]).await.unwrap();
    let answer = String::from_utf8(read_to_close(&mut finishing, Duration::from_secs(10)).await).unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
    // The one that never ends holds the drain until the limit, then is cut.
    assert!(read_to_close(&mut stuck, drain + EXIT_MARGIN).await.is_empty());
    let status = tokio::time::timeout(drain + EXIT_MARGIN, child.wait()).await.expect("exits after the cut").unwrap();
    let took = signalled.elapsed();
    eprintln!("SIGTERM with one request that never ends: exited in {took:?} (drain limit {drain:?})");
    assert_eq!(status.code(), Some(0));
    assert!(took >= drain, "the stuck request had until the drain limit: {took:?}");
    let log = log.lock().unwrap().join("\n");
    assert!(log.contains("drain limit reached") && log.contains("cut=1"), "{log}");
    assert!(log.contains("all accepted changes are durable; bye"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn booking(artist: ArtistId, slot: usize) -> NewBooking {
    let start = 1_798_761_600_000_000 + slot as i64 * 3_600_000_000; // 2027-01-01 + hours
    NewBooking {
        artist_id: artist,
        project_id: None,
        phase_id: None,
        title: format!("before the signal {slot}"),
        notes: None,
        start_time: Timestamp::from_micros(start),
        end_time: Timestamp::from_micros(start + 3_600_000_000),
        status: Some(BookingStatus::Confirmed),
        expires_at: None,
        allow_overtime: Some(true),
        queue_if_busy: None,
    }
}

/// Reads a session until it closes: whether it said `Goodbye { shutting_down }`
/// and the close code (None: the socket ended without a close frame).
async fn until_closed(mut c: WsClient) -> (bool, Option<CloseCode>) {
    let mut goodbye = false;
    while let Some(msg) = c.socket.next().await {
        match msg {
            Ok(Message::Binary(b)) => {
                if let Ok(ServerFrame::Goodbye { code, .. }) = pt_protocol::ws::codec::decode(&b) {
                    goodbye = code == ErrorCode::ShuttingDown;
                }
            }
            Ok(Message::Close(frame)) => return (goodbye, frame.map(|f| f.code)),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    (goodbye, None)
}

/// Opens a connection and sends the first part of a request head.
async fn half_open(at: String) -> TcpStream {
    let mut s = TcpStream::connect(&at).await.expect("connect");
    s.write_all(b"POST /api/v1/bookings HTTP/1.1\r\nHost: test\r\nContent-Ty").await.unwrap();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_thousands_of_connections_held_closes_them_all_and_loses_nothing() {
    // ~3,000 sockets on each side, plus the runtime's and the pool's.
    let limit = common::raise_fd_limit(8_192);
    assert!(limit >= 4_096, "this test needs about 3,500 open files; the limit is {limit}");
    let db = fresh_db().await;
    let args: Vec<String> = vec![
        "--database-url".into(),
        db.url.clone(),
        "--drain-secs".into(),
        DRAIN.as_secs().to_string(),
        // Longer than the test: the half-sent requests are still held at the signal.
        "--header-read-timeout-secs".into(),
        "300".into(),
    ];
    // Every client is 127.0.0.1: no per-IP or per-user limits for this server.
    let no_limits = [
        ("PT_RATE_LIMIT_PER_SECOND", "0"),
        ("PT_AUTH_RATE_LIMIT_PER_MINUTE", "0"),
        ("PT_USER_RATE_LIMIT_PER_SECOND", "0"),
    ];
    let (mut child, base, log) = common::spawn_server_logged(&args, &no_limits).await;
    let api = common::signup(&common::anon_at(&base), "Shutdown Studio").await;
    let token = api.token();
    let artist: ArtistId = api.artist("Before The Signal").await.parse().unwrap();

    // 2,000 half-sent requests.
    let half: Vec<TcpStream> =
        futures::stream::iter(0..HALF_OPEN).map(|_| half_open(addr(&base))).buffer_unordered(64).collect().await;
    // 1,000 sessions past Hello, each read by its own task from now on (a
    // reading client answers pings, so no session ends for silence).
    let sessions: Vec<_> = futures::stream::iter(0..SESSIONS)
        .map(|_| {
            let (base, token) = (base.clone(), token.clone());
            async move { WsClient::handshake(raw(&base).await, &token, None).await }
        })
        .buffer_unordered(32)
        .map(|c| tokio::spawn(until_closed(c)))
        .collect()
        .await;
    // The half-sent requests are held, not closed.
    for s in &half {
        let mut buf = [0u8; 1];
        assert!(
            matches!(s.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "a half-sent request was closed before the signal"
        );
    }

    // One more session books; the signal comes once some are accepted.
    let mut writer = WsClient::connect(&base, &token, None).await;
    for slot in 0..BOOKINGS {
        writer.command(CmdId::new(), Command::CreateBooking { booking: booking(artist, slot) }).await;
    }
    writer.until(Duration::from_secs(30), |c| c.answers.len() >= BOOKINGS / 4).await;
    let pid = child.id().unwrap().to_string();
    let signalled = Instant::now();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());

    let writer_close = hear_until_closed(&mut writer).await;
    let status = tokio::time::timeout(DRAIN + EXIT_MARGIN, child.wait())
        .await
        .expect("pt-server exits within the drain limit")
        .unwrap();
    let took = signalled.elapsed();
    eprintln!(
        "SIGTERM with {HALF_OPEN} half-sent requests and {} WebSocket sessions held: exited in {took:?} (drain limit {DRAIN:?})",
        SESSIONS + 1
    );
    for line in log.lock().unwrap().iter().filter(|l| l.contains("closing connections") || l.contains("flushing")) {
        eprintln!("  server: {line}");
    }
    assert_eq!(status.code(), Some(0), "a clean exit");
    assert!(took < DRAIN + EXIT_MARGIN, "exited in {took:?}");
    let log = log.lock().unwrap().join("\n");
    assert!(log.contains("all accepted changes are durable; bye"), "{log}");

    // Every session was told: Goodbye { shutting_down }, then close 1001.
    assert_eq!(writer_close, Some(CloseCode::Away));
    let mut told = 0;
    for s in sessions {
        let (goodbye, code) = s.await.unwrap();
        assert!(goodbye, "a session got no Goodbye {{ shutting_down }}");
        assert_eq!(code, Some(CloseCode::Away), "a session's close code");
        told += 1;
    }
    assert_eq!(told, SESSIONS);
    // Every half-sent request's connection was closed (by the shutdown: the
    // header-read timeout is far away).
    for mut s in half {
        read_to_close(&mut s, Duration::from_secs(5)).await;
    }

    assert_accepted_are_stored(&writer, &db.url, artist).await;
}

/// Everything a client hears until its socket closes (its answers kept);
/// the close frame's code.
async fn hear_until_closed(c: &mut WsClient) -> Option<CloseCode> {
    while let Some(msg) = c.socket.next().await {
        match msg {
            Ok(Message::Binary(b)) => {
                if let Ok(f @ ServerFrame::Accepted { .. }) = pt_protocol::ws::codec::decode(&b) {
                    let ServerFrame::Accepted { cmd_id, .. } = &f else { unreachable!() };
                    c.answers.insert(*cmd_id, f.clone());
                }
            }
            Ok(Message::Close(frame)) => return frame.map(|f| f.code),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Every booking the writer saw accepted before the close is in the store.
async fn assert_accepted_are_stored(writer: &WsClient, db_url: &str, artist: ArtistId) {
    let accepted: HashSet<BookingId> = writer
        .answers
        .values()
        .filter_map(|f| match f {
            ServerFrame::Accepted { result: CommandResult::Booking { booking }, .. } => Some(booking.id),
            _ => None,
        })
        .collect();
    assert!(accepted.len() >= BOOKINGS / 4);
    let (sql, conn) = tokio_postgres::connect(db_url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let stored: HashSet<uuid::Uuid> = sql
        .query("SELECT id FROM bookings WHERE artist_id = $1", &[&artist.0])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for id in &accepted {
        assert!(stored.contains(&id.0), "accepted booking {id} is not in the store");
    }
    eprintln!("{} bookings accepted before the close, all in the store ({} stored)", accepted.len(), stored.len());
}
