//! A minimal realtime client for tests: real WebSocket, real frames, and a
//! materialized copy of each subscription's view.
#![allow(dead_code)]

use futures::{SinkExt, StreamExt};
use pt_protocol::ws::{ClientFrame, Command, ServerFrame, View, codec};
use pt_protocol::{Artist, ArtistId, Booking, BookingId, CmdId, Event};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One subscription's local copy.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct Mirror {
    pub seq: u64,
    pub artists: BTreeMap<ArtistId, Artist>,
    pub bookings: BTreeMap<BookingId, Booking>,
}

impl Mirror {
    pub fn apply(&mut self, seq: u64, event: &Event) {
        assert!(seq > self.seq, "event {seq} arrived after {}: out of order or repeated", self.seq);
        self.seq = seq;
        if let Some(a) = event.artist() {
            self.artists.insert(a.id, a.clone());
        }
        if let Some(b) = event.booking() {
            self.bookings.insert(b.id, b.clone());
        }
        if let Some(gone) = event.removed_booking() {
            self.bookings.remove(&gone);
        }
    }
}

pub struct WsClient {
    pub socket: Socket,
    pub session_id: String,
    pub mirrors: HashMap<u32, Mirror>,
    pub durable_seq: u64,
    /// Answers to commands, by cmd id.
    pub answers: HashMap<CmdId, ServerFrame>,
    /// Frames not consumed by the helpers.
    pub other: Vec<ServerFrame>,
}

pub fn ws_url(base: &str) -> String {
    format!("{}/api/v1/ws", base.replacen("http://", "ws://", 1))
}

/// A connection whose socket reads into a tiny fixed buffer (no autotuning),
/// like a client on a slow link or one that stopped reading.
pub async fn raw_small_buffer(base: &str) -> Socket {
    let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.set_recv_buffer_size(4_096).unwrap();
    let stream = sock.connect(addr).await.unwrap();
    tokio_tungstenite::client_async(ws_url(base), MaybeTlsStream::Plain(stream)).await.expect("ws connect").0
}

pub async fn raw(base: &str) -> Socket {
    tokio_tungstenite::connect_async(ws_url(base)).await.expect("ws connect").0
}

pub async fn send_frame(socket: &mut Socket, f: &ClientFrame) {
    socket.send(Message::Binary(codec::encode(f).into())).await.expect("ws send");
}

/// The next server frame (skipping pings), or None when the socket closes.
pub async fn next_frame(socket: &mut Socket, timeout: Duration) -> Option<ServerFrame> {
    loop {
        match tokio::time::timeout(timeout, socket.next()).await.expect("no frame in time") {
            Some(Ok(Message::Binary(b))) => return Some(codec::decode(&b).expect("server frame decodes")),
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
            Some(Ok(_)) => continue,
        }
    }
}

impl WsClient {
    pub async fn connect(base: &str, token: &str, resume_from_seq: Option<u64>) -> WsClient {
        Self::handshake(raw(base).await, token, resume_from_seq).await
    }

    pub async fn handshake(mut socket: Socket, token: &str, resume_from_seq: Option<u64>) -> WsClient {
        let hello = ClientFrame::Hello {
            protocol_version: pt_protocol::ws::PROTOCOL_VERSION,
            token: token.to_string(),
            resume_from_seq,
        };
        send_frame(&mut socket, &hello).await;
        match next_frame(&mut socket, Duration::from_secs(10)).await {
            Some(ServerFrame::Welcome { session_id, durable_seq, .. }) => WsClient {
                socket,
                session_id,
                mirrors: HashMap::new(),
                durable_seq,
                answers: HashMap::new(),
                other: Vec::new(),
            },
            other => panic!("expected welcome, got {other:?}"),
        }
    }

    pub async fn send(&mut self, f: &ClientFrame) {
        send_frame(&mut self.socket, f).await;
    }

    /// Subscribes and waits for the snapshot (or `Resumed`).
    pub async fn subscribe(&mut self, sub_id: u32, view: View, resume_from_seq: Option<u64>) {
        self.send(&ClientFrame::Subscribe { sub_id, view, resume_from_seq }).await;
        loop {
            let f = self.recv(Duration::from_secs(10)).await.expect("socket open");
            match f {
                ServerFrame::Snapshot { sub_id: s, .. } | ServerFrame::Resumed { sub_id: s, .. } if s == sub_id => {
                    return;
                }
                _ => {}
            }
        }
    }

    pub async fn command(&mut self, cmd_id: CmdId, command: Command) {
        self.send(&ClientFrame::Command { cmd_id, command }).await;
    }

    /// Receives one frame and folds it into the client's state.
    pub async fn recv(&mut self, timeout: Duration) -> Option<ServerFrame> {
        let f = next_frame(&mut self.socket, timeout).await?;
        match &f {
            ServerFrame::Snapshot { sub_id, seq, artists, bookings, .. } => {
                let m = self.mirrors.entry(*sub_id).or_default();
                m.seq = *seq;
                m.artists = artists.iter().map(|a| (a.id, a.clone())).collect();
                m.bookings = bookings.iter().map(|b| (b.id, pt_protocol::Booking::clone(b))).collect();
            }
            ServerFrame::Resumed { sub_id, .. } => {
                self.mirrors.entry(*sub_id).or_default();
            }
            ServerFrame::Event { sub_ids, event } => {
                for s in sub_ids {
                    self.mirrors.entry(*s).or_default().apply(event.seq, &event.event);
                }
            }
            ServerFrame::Durable { durable_seq } => self.durable_seq = *durable_seq,
            ServerFrame::Accepted { cmd_id, .. } | ServerFrame::Rejected { cmd_id, .. } => {
                // A `reverted` rejection may follow an acceptance; keep the last word.
                self.answers.insert(*cmd_id, f.clone());
            }
            _ => self.other.push(f.clone()),
        }
        Some(f)
    }

    /// Receives until `pred` holds (or panics after `timeout`).
    pub async fn until(&mut self, timeout: Duration, mut pred: impl FnMut(&WsClient) -> bool) {
        let deadline = tokio::time::Instant::now() + timeout;
        while !pred(self) {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(!left.is_zero(), "condition not met within {timeout:?}");
            if self.recv(left).await.is_none() {
                panic!("socket closed while waiting");
            }
        }
    }
}
