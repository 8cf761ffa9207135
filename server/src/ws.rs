//! `/api/v1/ws`: one realtime session per connection (protocol:
//! [`pt_protocol::ws`]).
//!
//! A session is bound to one studio by its `Hello`. It runs in one task that
//! reads frames, turns commands into the same [`Tenant`] calls REST uses, and
//! forwards the studio's event stream to the connection's subscriptions; a
//! second task writes frames out. Guarantees:
//! * per subscription: a snapshot at `seq` (or, resuming, the events missed
//!   since the client's `seq`), then every later event touching the view, in
//!   `seq` order, none twice;
//! * acks: `Accepted` as soon as the actor decided and the log sequenced,
//!   `Durable` watermarks after COMMIT, `Rejected { reverted }` if the store
//!   refused afterwards;
//! * bounds: frame size, subscriptions per connection, a bounded send queue —
//!   a slow client gets `Goodbye { slow_consumer }` and is closed instead of
//!   slowing the studio or growing memory.

use crate::AppState;
use crate::auth::Permission;
use crate::auth::service::{Authenticated, Revoked};
use crate::edge::{RateLimiters, UserKey};
use crate::error::ApiError;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use pt_actors::presence::{PresenceMsg, PresenceNotice};
use pt_actors::view::Published;
use pt_actors::{Accepted, CmdInput, CommandError, Tenant};
use pt_protocol::BookingStatus;
use pt_protocol::booking::BookingView;
use pt_protocol::ws::{
    ClientFrame, Command, CommandResult, PROTOCOL_VERSION, PresenceState, SUPPORTED_VERSIONS, ServerFrame, SessionId,
    SubId, View, WireError, codec,
};
use pt_protocol::{Artist, ArtistId, CmdId, ErrorCode};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::Instant;

/// Largest frame a client may send (commands are small).
pub const MAX_FRAME_BYTES: usize = 256 * 1024;
/// Subscriptions one connection may hold.
pub const MAX_SUBSCRIPTIONS: usize = 64;
/// Frames queued for one connection before it counts as a slow consumer
/// (event frames are at most ~10 KiB, so this bounds a connection to ~10 MiB
/// on top of its socket buffers).
pub const SEND_QUEUE: usize = 1_024;
/// Time allowed between connecting and `Hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// The server pings this often…
const PING_EVERY: Duration = Duration::from_secs(15);
/// …and closes a connection it has heard nothing from for this long (a
/// dropped connection leaves presence within this time).
const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(45);
/// Presence updates are coalesced to at most one per view per this period (20/s).
const PRESENCE_FLUSH: Duration = Duration::from_millis(50);
/// Most artists one window view may name.
const MAX_WINDOW_ARTISTS: usize = 2_000;

/// Bytes read from a socket at a time. tungstenite zero-fills this much of its
/// read buffer before every read (default 128 KiB): with the default, every
/// connection kept 128 KiB resident and every incoming frame cost a 128 KiB
/// memset (found by pt-loadtest: 141 KiB of server memory per idle connection,
/// memset the top symbol under load). Commands are small; a larger frame
/// still arrives whole, over several reads.
const READ_BUFFER_BYTES: usize = 4 * 1024;

pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    axum::Extension(limits): axum::Extension<Arc<RateLimiters>>,
) -> Response {
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| run(socket, state, limits))
}

/// What the writer task sends.
enum Out {
    Frame(Message),
    /// Say why, then close.
    Goodbye(ErrorCode, String),
}

/// Frames written to the socket with one flush, at most: what queued up while
/// the previous write went out (a busy studio's events, acks and watermarks).
const COALESCE_FRAMES: usize = 64;

/// A client that does not take a frame within this time is cut off (its TCP
/// buffers are full: it stopped reading).
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

struct Sub {
    view: View,
    /// Events up to here are in the snapshot (or were replayed).
    start_seq: u64,
}

struct Session {
    id: SessionId,
    /// Who authenticated this connection (fixed for its lifetime).
    who: Authenticated,
    /// The credential it presented, to check again when revocations were missed.
    token: String,
    /// Commands spend the same per-user rate limit as REST requests.
    limits: Arc<RateLimiters>,
    rate_key: UserKey,
    auth: Arc<crate::auth::service::AuthService>,
    tenant: Arc<Tenant>,
    out: mpsc::Sender<Out>,
    subs: HashMap<SubId, Sub>,
    default_resume: Option<u64>,
    presence_tx: mpsc::Sender<PresenceNotice>,
    pending_presence: HashMap<SubId, PresenceState>,
    /// When the pending presence updates go out (none pending: `None`).
    presence_due: Option<Instant>,
    /// The last time presence updates went out (they go at most every `PRESENCE_FLUSH`).
    presence_sent: Instant,
    /// Accepted commands not yet covered by a `Durable` frame, by last seq.
    inflight: std::collections::BTreeMap<u64, (CmdId, DurableTask)>,
}

/// The connection could not keep up; it is being closed.
struct Slow;

fn encode(frame: &ServerFrame) -> Message {
    Message::Binary(codec::encode(frame).into())
}

fn wire_error(code: ErrorCode, message: impl Into<String>) -> WireError {
    WireError { code, message: message.into(), details: None }
}

fn from_command_error(e: CommandError) -> WireError {
    from_api_error(ApiError::from(e))
}

fn from_api_error(api: ApiError) -> WireError {
    WireError { code: api.code, message: api.message, details: api.details }
}

async fn run(socket: WebSocket, state: AppState, limits: Arc<RateLimiters>) {
    let (mut sink, mut stream) = socket.split();
    let (out, mut out_rx) = mpsc::channel::<Out>(SEND_QUEUE);
    // Goodbyes jump the queue (it may be full: that is one reason to leave).
    let (bye_tx, mut bye_rx) = tokio::sync::oneshot::channel::<(ErrorCode, String)>();
    // The writer: frames out, pings, and the closing handshake.
    let writer = tokio::spawn(async move {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        let goodbye = loop {
            let msg = tokio::select! {
                biased;
                bye = &mut bye_rx => break bye.ok(),
                msg = out_rx.recv() => match msg {
                    Some(Out::Frame(m)) => m,
                    Some(Out::Goodbye(code, reason)) => break Some((code, reason)),
                    None => break None,
                },
                _ = ping.tick() => Message::Ping(Default::default()),
            };
            // Everything else already queued goes out with it, in one flush
            // (one write to the socket instead of one per frame).
            let write = async {
                sink.feed(msg).await?;
                let mut bye = None;
                for _ in 1..COALESCE_FRAMES {
                    match out_rx.try_recv() {
                        Ok(Out::Frame(m)) => sink.feed(m).await?,
                        Ok(Out::Goodbye(code, reason)) => {
                            bye = Some((code, reason));
                            break;
                        }
                        Err(_) => break,
                    }
                }
                sink.flush().await.map(|()| bye)
            };
            match tokio::time::timeout(SEND_TIMEOUT, write).await {
                Ok(Ok(None)) => {}
                Ok(Ok(Some(bye))) => break Some(bye),
                _ => break None, // gone, or not reading at all
            }
        };
        if let Some((code, reason)) = goodbye {
            let bye = async {
                sink.send(encode(&ServerFrame::Goodbye { code, reason: reason.clone() })).await?;
                let close =
                    CloseFrame { code: close_code(code), reason: reason.chars().take(100).collect::<String>().into() };
                sink.send(Message::Close(Some(close))).await
            };
            let _ = tokio::time::timeout(SEND_TIMEOUT, bye).await;
        }
        let _ = tokio::time::timeout(SEND_TIMEOUT, sink.close()).await;
    });

    let mut closing = state.closing.clone();
    let Some((mut session, presence_rx)) = hello(&mut stream, &out, &state, limits).await else {
        drop(out);
        let _ = writer.await;
        return;
    };
    drop(out);
    let revocations = state.auth.revocations();
    let reason = serve(&mut session, presence_rx, &mut stream, &mut closing, revocations).await;
    session.tenant.presence().send_message(PresenceMsg::LeaveAll { session: session.id.clone() }).ok();
    if let Some((code, why)) = reason {
        if code == ErrorCode::SlowConsumer {
            tracing::info!(session = %session.id, "disconnecting a slow consumer");
        } else {
            tracing::debug!(session = %session.id, code = %code, %why, "closing websocket");
        }
        let _ = bye_tx.send((code, why));
    }
    drop(session);
    let _ = tokio::time::timeout(SEND_TIMEOUT * 2, writer).await;
}

fn close_code(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::ShuttingDown => 1001,
        ErrorCode::UnsupportedVersion | ErrorCode::Protocol => 1002,
        ErrorCode::SlowConsumer | ErrorCode::Unauthenticated => 1008,
        _ => 1011,
    }
}

/// Waits for `Hello`; answers `Welcome`, or explains and gives up.
async fn hello(
    stream: &mut futures::stream::SplitStream<WebSocket>,
    out: &mpsc::Sender<Out>,
    state: &AppState,
    limits: Arc<RateLimiters>,
) -> Option<(Session, mpsc::Receiver<PresenceNotice>)> {
    let deadline = Instant::now() + HELLO_TIMEOUT;
    let say = |f: ServerFrame| {
        let _ = out.try_send(Out::Frame(encode(&f)));
    };
    loop {
        let msg = match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(m))) => m,
            Ok(_) => return None,
            Err(_) => {
                let _ = out.try_send(Out::Goodbye(ErrorCode::Protocol, "no hello within 10 s".into()));
                return None;
            }
        };
        let frame = match decode(msg) {
            Decoded::Frame(f) => f,
            Decoded::Error(e) => {
                say(ServerFrame::Error { error: e, sub_id: None });
                continue;
            }
            Decoded::Control => continue,
            Decoded::Close => return None,
        };
        let ClientFrame::Hello { protocol_version, token, resume_from_seq } = frame else {
            say(ServerFrame::Error { error: wire_error(ErrorCode::Protocol, "send hello first"), sub_id: None });
            continue;
        };
        if !SUPPORTED_VERSIONS.contains(&protocol_version) {
            let mut e = wire_error(
                ErrorCode::UnsupportedVersion,
                format!(
                    "protocol version {protocol_version} is not supported; this server speaks {SUPPORTED_VERSIONS:?}"
                ),
            );
            e.details = Some(serde_json::json!({ "supported": SUPPORTED_VERSIONS }));
            say(ServerFrame::Error { error: e, sub_id: None });
            let _ = out.try_send(Out::Goodbye(ErrorCode::UnsupportedVersion, "unsupported protocol version".into()));
            return None;
        }
        let who = match state.auth.authenticate(&token, chrono::Utc::now()).await {
            Ok(who) => who,
            Err(e) => {
                let reason = e.message.clone();
                say(ServerFrame::Error { error: from_api_error(e), sub_id: None });
                let _ = out.try_send(Out::Goodbye(ErrorCode::Unauthenticated, reason));
                return None;
            }
        };
        let tenant = match state.registry.tenant(who.principal.tenant_id).await {
            Ok(t) => t,
            Err(e) => {
                say(ServerFrame::Error { error: from_command_error(e), sub_id: None });
                let _ = out.try_send(Out::Goodbye(ErrorCode::Unavailable, "the studio is unavailable".into()));
                return None;
            }
        };
        let id: SessionId = format!("s-{}", uuid::Uuid::now_v7().simple());
        let server_seq = tenant.last_seq().await.unwrap_or(0);
        say(ServerFrame::Welcome {
            session_id: id.clone(),
            protocol_version: PROTOCOL_VERSION,
            tenant: tenant.id,
            server_seq,
            durable_seq: tenant.durable_seq(),
        });
        let (presence_tx, presence_rx) = mpsc::channel(256);
        let rate_key = limits.user_key(format!("Bearer {token}").as_bytes());
        let session = Session {
            id,
            who,
            limits,
            rate_key,
            token,
            auth: state.auth.clone(),
            tenant,
            out: out.clone(),
            subs: HashMap::new(),
            default_resume: resume_from_seq,
            presence_tx,
            pending_presence: HashMap::new(),
            presence_due: None,
            presence_sent: Instant::now() - PRESENCE_FLUSH,
            inflight: Default::default(),
        };
        return Some((session, presence_rx));
    }
}

enum Decoded {
    Frame(ClientFrame),
    Error(WireError),
    Control,
    Close,
}

fn decode(msg: Message) -> Decoded {
    match msg {
        Message::Binary(b) => match codec::decode::<ClientFrame>(&b) {
            Ok(f) => Decoded::Frame(f),
            Err(e) => Decoded::Error(wire_error(ErrorCode::Protocol, format!("cannot decode frame: {e}"))),
        },
        Message::Text(_) => Decoded::Error(wire_error(
            ErrorCode::Protocol,
            "text frames are not accepted: send binary frames, each one MessagePack-encoded ClientFrame",
        )),
        Message::Ping(_) | Message::Pong(_) => Decoded::Control,
        Message::Close(_) => Decoded::Close,
    }
}

impl Session {
    fn send(&self, frame: &ServerFrame) -> Result<(), Slow> {
        self.out.try_send(Out::Frame(encode(frame))).map_err(|_| Slow)
    }

    fn error(&self, code: ErrorCode, message: impl Into<String>) -> Result<(), Slow> {
        self.send(&ServerFrame::Error { error: wire_error(code, message), sub_id: None })
    }

    fn sub_error(&self, sub_id: SubId, code: ErrorCode, message: impl Into<String>) -> Result<(), Slow> {
        self.send(&ServerFrame::Error { error: wire_error(code, message), sub_id: Some(sub_id) })
    }

    async fn on_frame(&mut self, frame: ClientFrame) -> Result<(), Slow> {
        match frame {
            ClientFrame::Hello { .. } => self.error(ErrorCode::Protocol, "hello was already received"),
            ClientFrame::Ping { nonce } => self.send(&ServerFrame::Pong { nonce }),
            // Started by the session loop (`serve`), which keeps reading events meanwhile.
            ClientFrame::Command { cmd_id, .. } => {
                self.error(ErrorCode::Internal, format!("command {cmd_id} was not started"))
            }
            ClientFrame::Subscribe { sub_id, view, resume_from_seq } => {
                self.subscribe(sub_id, view, resume_from_seq.or(self.default_resume)).await
            }
            ClientFrame::Unsubscribe { sub_id } => {
                let Some(sub) = self.subs.remove(&sub_id) else {
                    return self.sub_error(sub_id, ErrorCode::Protocol, format!("no subscription {sub_id}"));
                };
                self.pending_presence.remove(&sub_id);
                if !self.subs.values().any(|s| s.view == sub.view) {
                    let leave = PresenceMsg::Leave { view: sub.view, session: self.id.clone() };
                    self.tenant.presence().send_message(leave).ok();
                }
                self.send(&ServerFrame::Unsubscribed { sub_id })
            }
            ClientFrame::Presence { sub_id, state } => {
                if !self.subs.contains_key(&sub_id) {
                    return self.sub_error(sub_id, ErrorCode::Protocol, format!("no subscription {sub_id}"));
                }
                self.pending_presence.insert(sub_id, state);
                if self.presence_due.is_none() {
                    // At once after a quiet spell, else one period after the last flush.
                    self.presence_due = Some(Instant::now().max(self.presence_sent + PRESENCE_FLUSH));
                }
                Ok(())
            }
        }
    }

    async fn subscribe(&mut self, sub_id: SubId, view: View, resume: Option<u64>) -> Result<(), Slow> {
        if let Err(e) = self.may_view(&view).await {
            return self.send(&ServerFrame::Error { error: from_api_error(e), sub_id: Some(sub_id) });
        }
        if self.subs.contains_key(&sub_id) {
            return self.sub_error(sub_id, ErrorCode::Protocol, format!("subscription {sub_id} exists already"));
        }
        if self.subs.len() >= MAX_SUBSCRIPTIONS {
            return self
                .error(ErrorCode::Protocol, format!("at most {MAX_SUBSCRIPTIONS} subscriptions per connection"));
        }
        if let View::Window { artist_ids, range } = &view
            && (artist_ids.len() > MAX_WINDOW_ARTISTS || range.start >= range.end)
        {
            return self.sub_error(
                sub_id,
                ErrorCode::Invalid,
                format!("a window names 1 to {MAX_WINDOW_ARTISTS} artists and a range with start < end"),
            );
        }
        let join = |tenant: &Tenant, view: View, session: SessionId, notify: mpsc::Sender<PresenceNotice>| {
            let presence = tenant.presence().clone();
            async move {
                pt_actors::command::ask(&presence, |reply| PresenceMsg::Join {
                    view,
                    session,
                    state: PresenceState::default(),
                    notify,
                    reply,
                })
                .await
                .unwrap_or_default()
            }
        };
        match resume {
            None => {
                let snap = match self.tenant.view_snapshot(view.clone()).await {
                    Ok(s) => s,
                    Err(e) => {
                        return self.send(&ServerFrame::Error { error: from_command_error(e), sub_id: Some(sub_id) });
                    }
                };
                let presence = join(&self.tenant, view.clone(), self.id.clone(), self.presence_tx.clone()).await;
                self.subs.insert(sub_id, Sub { view, start_seq: snap.seq });
                self.send(&ServerFrame::Snapshot {
                    sub_id,
                    seq: snap.seq,
                    artists: snap.artists,
                    bookings: snap.bookings,
                    presence,
                })
            }
            Some(after) => {
                let missed = match self.tenant.events_after(after).await {
                    Ok(m) => m,
                    Err(e) => {
                        return self.send(&ServerFrame::Error { error: from_command_error(e), sub_id: Some(sub_id) });
                    }
                };
                let seq = missed.last().map_or(after, |p| p.env.seq);
                let presence = join(&self.tenant, view.clone(), self.id.clone(), self.presence_tx.clone()).await;
                self.send(&ServerFrame::Resumed { sub_id, seq, presence })?;
                for p in missed.iter().filter(|p| p.touches(&view)) {
                    self.send_event(&[sub_id], p)?;
                }
                self.subs.insert(sub_id, Sub { view, start_seq: seq });
                Ok(())
            }
        }
    }

    /// The work of one command, owning what it needs, so that the session
    /// loop can keep reading the studio's events while it runs (see `serve`).
    fn start_command(&self, cmd_id: CmdId, command: Command) -> PendingCommand {
        let (who, t) = (self.who.clone(), self.tenant.clone());
        let by = format!("{}/ws:{}", who.actor(), self.id);
        Box::pin(async move {
            authorize(&who, &t, &command).await.map_err(from_api_error)?;
            let hash = pt_protocol::fnv1a64(&[&codec::encode(&command)]).max(1);
            let input = CmdInput { cmd_id, request_hash: hash, by, client_chosen: true };
            let outcome = match command {
                Command::CreateArtist { artist } => t.create_artist(artist, input).await.map(artist_result),
                Command::UpdateArtist { id, patch } => t.update_artist(id, patch, input).await.map(artist_result),
                Command::ArchiveArtist { id } => t.archive_artist(id, input).await.map(artist_result),
                Command::CreateBooking { booking } => t.create_booking(booking, input).await.map(booking_result),
                Command::UpdateBooking { id, patch } => t.update_booking(id, patch, input).await.map(booking_result),
                Command::TransitionBooking { id, version, to } => {
                    t.transition_booking(id, version, to, input).await.map(booking_result)
                }
            };
            outcome.map_err(from_command_error)
        })
    }

    /// A command's answer: `Accepted` (its durability follows with the
    /// watermark) or `Rejected`.
    fn finish_command(&mut self, cmd_id: CmdId, outcome: CommandOutcome) -> Result<(), Slow> {
        match outcome {
            Ok((seq, result, durable)) => {
                self.send(&ServerFrame::Accepted { cmd_id, seq, result })?;
                // Durability is announced by the watermark; a revert is announced
                // just before the watermark that passes it (see `on_durable`).
                if !durable.duplicate {
                    self.inflight.insert(seq, (cmd_id, durable));
                }
                Ok(())
            }
            Err(error) => self.send(&ServerFrame::Rejected { cmd_id, error }),
        }
    }

    /// May this connection watch `view`? The whole studio and projects need
    /// `bookings:read`; with only `bookings:read:own`, the own artist only.
    async fn may_view(&self, view: &View) -> Result<(), ApiError> {
        // An artist this studio does not have is `not_found`, whoever asks
        // (another studio's ids get the same answer as made-up ones).
        let named: &[ArtistId] = match view {
            View::Artist { artist_id } => std::slice::from_ref(artist_id),
            View::Window { artist_ids, .. } => artist_ids,
            _ => &[],
        };
        for id in named {
            if !self.tenant.has_artist(*id).await.map_err(ApiError::from)? {
                return Err(ApiError::not_found("artist"));
            }
        }
        let own = self.who.scope(Permission::BookingsRead, Permission::BookingsReadOwn)?;
        let Some(own) = own else { return Ok(()) };
        match view {
            View::Artist { artist_id } if *artist_id == own => Ok(()),
            View::Window { artist_ids, .. } if artist_ids.iter().all(|a| *a == own) => Ok(()),
            View::Artist { .. } | View::Window { .. } => Err(ApiError::not_found("artist")),
            _ => Err(crate::auth::service::forbidden(crate::auth::Forbidden { missing: Permission::BookingsRead })),
        }
    }

    /// Whether a revocation ends this connection.
    fn revoked_by(&self, r: &Revoked) -> bool {
        let p = &self.who.principal;
        match (r, &p.via) {
            (Revoked::Session(sid), crate::auth::AuthVia::Password { session }) => sid == session,
            (Revoked::ApiToken(id), crate::auth::AuthVia::ApiToken { token }) => id == token,
            (Revoked::Member(tenant, user), _) => *tenant == p.tenant_id && *user == p.user_id,
            _ => false,
        }
    }

    /// The watermark moved to `durable_seq`: first the reverts below it, then the watermark.
    fn on_durable(&mut self, durable_seq: u64) -> Result<(), Slow> {
        let later = self.inflight.split_off(&(durable_seq + 1));
        let covered = std::mem::replace(&mut self.inflight, later);
        for (_, (cmd_id, mut acc)) in covered {
            if let Some(Err(r)) = acc.try_outcome() {
                let frame = ServerFrame::Rejected { cmd_id, error: from_command_error(CommandError::Reverted(r)) };
                self.send(&frame)?;
            }
        }
        self.send(&ServerFrame::Durable { durable_seq })
    }

    /// Whether a subscription has yet to see this event (it is after the
    /// subscription's start and touches its view).
    fn due(p: &Published, s: &Sub) -> bool {
        p.env.seq > s.start_seq && p.touches(&s.view)
    }

    /// Whether an event touches one of this session's views.
    fn watches(&self, p: &Published) -> bool {
        self.subs.values().any(|s| Self::due(p, s))
    }

    fn on_event(&self, p: &Published) -> Result<(), Slow> {
        let mut sub_ids: Vec<SubId> = self.subs.iter().filter(|(_, s)| Self::due(p, s)).map(|(id, _)| *id).collect();
        if sub_ids.is_empty() {
            return Ok(());
        }
        sub_ids.sort_unstable();
        self.send_event(&sub_ids, p)
    }

    /// An `event` frame around the event's shared encoding.
    fn send_event(&self, sub_ids: &[SubId], p: &Published) -> Result<(), Slow> {
        let frame = codec::encode_event_frame(sub_ids, p.encoded());
        self.out.try_send(Out::Frame(Message::Binary(frame.into()))).map_err(|_| Slow)
    }

    fn on_presence(&self, n: PresenceNotice) -> Result<(), Slow> {
        for (sub_id, s) in &self.subs {
            if s.view == n.view {
                self.send(&ServerFrame::PresenceDiff {
                    sub_id: *sub_id,
                    joins: n.joins.clone(),
                    leaves: n.leaves.clone(),
                })?;
            }
        }
        Ok(())
    }

    fn flush_presence(&mut self) {
        self.presence_due = None;
        self.presence_sent = Instant::now();
        for (sub_id, state) in self.pending_presence.drain() {
            if let Some(s) = self.subs.get(&sub_id) {
                let update = PresenceMsg::Update { view: s.view.clone(), session: self.id.clone(), state };
                self.tenant.presence().send_message(update).ok();
            }
        }
    }
}

/// The same checks as the REST routes: another studio's (or, for a
/// freelancer, another artist's) ids are `not_found`; a missing permission
/// is `forbidden` naming it.
async fn authorize(who: &Authenticated, t: &Tenant, command: &Command) -> Result<(), ApiError> {
    let readable = |artist: ArtistId| {
        crate::routes::visible(who, artist, Permission::BookingsRead, Permission::BookingsReadOwn, "booking")
    };
    match command {
        Command::CreateArtist { .. } => who.require(Permission::ArtistsWrite),
        Command::UpdateArtist { id, patch } => {
            t.live_artist(*id).await?;
            crate::routes::may_patch_artist(who, *id, patch)
        }
        Command::ArchiveArtist { id } => {
            t.live_artist(*id).await?;
            crate::routes::visible(who, *id, Permission::ArtistsRead, Permission::ProfileUpdate, "artist")?;
            who.require(Permission::ArtistsWrite)
        }
        Command::CreateBooking { .. } => who.require(Permission::BookingsCreate),
        Command::UpdateBooking { id, .. } => {
            readable(t.get_booking(*id).await?.booking.artist_id)?;
            who.require(Permission::BookingsUpdate)
        }
        Command::TransitionBooking { id, to, .. } => {
            let current = t.get_booking(*id).await?.booking;
            readable(current.artist_id)?;
            // Answering an offer (a hold or pencil: accept = confirm,
            // decline = cancel) is `bookings:respond`; the rest is update.
            let answer = matches!(current.status, BookingStatus::Hold | BookingStatus::Pencil)
                && matches!(to, BookingStatus::Confirmed | BookingStatus::Cancelled);
            if answer && who.principal.role.can(Permission::BookingsRespond) {
                Ok(())
            } else {
                who.require(Permission::BookingsUpdate)
            }
        }
    }
}

/// An accepted command whose value was sent; what is left is its durability.
type DurableTask = Accepted<()>;

/// What a command comes to: the sequenced result, or why it was refused.
type CommandOutcome = Result<(u64, CommandResult, DurableTask), WireError>;

/// A command being decided, while the session goes on reading its events.
type PendingCommand = std::pin::Pin<Box<dyn std::future::Future<Output = CommandOutcome> + Send>>;

/// Resolves with the pending command's outcome; never, when there is none.
async fn settle(pending: &mut Option<(CmdId, PendingCommand)>) -> (CmdId, CommandOutcome) {
    match pending {
        Some((cmd_id, work)) => (*cmd_id, work.await),
        None => std::future::pending().await,
    }
}

fn booking_result(acc: Accepted<BookingView>) -> (u64, CommandResult, DurableTask) {
    let result = CommandResult::Booking { booking: acc.value.booking.clone() };
    (acc.last_seq, result, acc.map(|_| ()))
}

fn artist_result(acc: Accepted<Artist>) -> (u64, CommandResult, DurableTask) {
    let result = CommandResult::Artist { artist: acc.value.clone() };
    (acc.last_seq, result, acc.map(|_| ()))
}

/// Resolves when the server starts shutting down (the guard is dropped here,
/// not held across the loop's awaits).
async fn closed(closing: &mut watch::Receiver<bool>) {
    let _ = closing.wait_for(|c| *c).await.map(|_| ());
}

/// The session loop. Returns why it ended, when the client should be told.
async fn serve(
    session: &mut Session,
    mut presence_rx: mpsc::Receiver<PresenceNotice>,
    stream: &mut futures::stream::SplitStream<WebSocket>,
    closing: &mut watch::Receiver<bool>,
    mut revocations: broadcast::Receiver<Revoked>,
) -> Option<(ErrorCode, String)> {
    // The token's expiry ends the session (the client signs in again,
    // reconnects and resumes); far enough away counts as never.
    let expires = session.who.expires_at.map_or(Duration::from_secs(100 * 365 * 86_400), |at| {
        (at - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO)
    });
    let expiry = tokio::time::sleep(expires);
    tokio::pin!(expiry);
    let slow = || Some((ErrorCode::SlowConsumer, "the client did not read its frames fast enough".to_string()));
    let (mut events, mut durable): (broadcast::Receiver<Arc<Published>>, watch::Receiver<u64>) =
        match session.tenant.follow().await {
            Ok((_, rx)) => (rx, session.tenant.durable_watch()),
            Err(_) => return Some((ErrorCode::ShuttingDown, "the studio is restarting; reconnect and resume".into())),
        };
    // One timer for silence: it fires at `last_heard + HEARTBEAT_TIMEOUT` and
    // moves on if something was heard meanwhile (no per-second tick: 10,000
    // idle sessions cost no wake-ups between pings).
    let mut last_heard = Instant::now();
    let silence = tokio::time::sleep(HEARTBEAT_TIMEOUT);
    tokio::pin!(silence);
    // A command being decided. Meanwhile the socket is not read (a session's
    // commands are decided in order) and the watermark waits (its `Accepted`
    // comes first), but the studio's events are: a session waiting on
    // commands must not lag behind the broadcast and be cut off as a slow
    // consumer. Events for its views are held and sent after the `Accepted`,
    // so a client sees its own answer before its own event.
    let mut pending: Option<(CmdId, PendingCommand)> = None;
    let mut held: Vec<Arc<Published>> = Vec::new();
    loop {
        let presence_due = session.presence_due.unwrap_or_else(|| Instant::now() + HEARTBEAT_TIMEOUT);
        let step = tokio::select! {
            msg = stream.next(), if pending.is_none() => {
                last_heard = Instant::now();
                match msg {
                    Some(Ok(m)) => match decode(m) {
                        Decoded::Frame(ClientFrame::Command { cmd_id, command }) => {
                            match session.limits.check_user(&session.rate_key) {
                                Ok(()) => {
                                    pending = Some((cmd_id, session.start_command(cmd_id, command)));
                                    Ok(())
                                }
                                Err(wait) => {
                                    let error = from_api_error(crate::edge::rate_limited("user", wait));
                                    session.send(&ServerFrame::Rejected { cmd_id, error })
                                }
                            }
                        }
                        Decoded::Frame(f) => session.on_frame(f).await,
                        Decoded::Error(e) => session.send(&ServerFrame::Error { error: e, sub_id: None }),
                        Decoded::Control => Ok(()),
                        Decoded::Close => return None,
                    },
                    // A broken socket or an oversized frame: nothing more to say.
                    Some(Err(_)) | None => return None,
                }
            }
            (cmd_id, outcome) = settle(&mut pending) => {
                pending = None;
                let answered = session.finish_command(cmd_id, outcome);
                answered.and_then(|()| held.drain(..).try_for_each(|p| session.on_event(&p)))
            }
            ev = events.recv() => match ev {
                Ok(p) if pending.is_some() => {
                    if session.watches(&p) {
                        held.push(p);
                    }
                    if held.len() > SEND_QUEUE { Err(Slow) } else { Ok(()) }
                }
                Ok(p) => session.on_event(&p),
                Err(broadcast::error::RecvError::Lagged(_)) => return slow(),
                Err(broadcast::error::RecvError::Closed) => {
                    return Some((ErrorCode::ShuttingDown, "the studio is restarting; reconnect and resume".into()));
                }
            },
            changed = durable.changed(), if pending.is_none() => match changed {
                Ok(()) => {
                    let durable_seq = *durable.borrow_and_update();
                    session.on_durable(durable_seq)
                }
                Err(_) => return Some((ErrorCode::ShuttingDown, "the studio is restarting; reconnect and resume".into())),
            },
            Some(n) = presence_rx.recv() => session.on_presence(n),
            _ = tokio::time::sleep_until(presence_due), if session.presence_due.is_some() => {
                session.flush_presence();
                Ok(())
            }
            _ = &mut silence => {
                if last_heard.elapsed() >= HEARTBEAT_TIMEOUT {
                    return Some((ErrorCode::HeartbeatTimeout, format!("nothing heard for {} s", HEARTBEAT_TIMEOUT.as_secs())));
                }
                silence.as_mut().reset(last_heard + HEARTBEAT_TIMEOUT);
                Ok(())
            }
            _ = &mut expiry => {
                return Some((ErrorCode::Unauthenticated, "the access token expired; sign in again and resume".into()));
            }
            revoked = revocations.recv() => match revoked {
                Ok(r) if session.revoked_by(&r) => {
                    tracing::info!(session = %session.id, actor = %session.who.actor(), "closing a websocket: its credentials were revoked");
                    return Some((ErrorCode::Unauthenticated, "your session was ended (signed out or revoked)".into()));
                }
                // Missed revocations: check the credential again against the store.
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    if let Err(e) = session.auth.authenticate(&session.token, chrono::Utc::now()).await {
                        tracing::info!(session = %session.id, missed, "closing a websocket: its credentials are no longer valid");
                        return Some((ErrorCode::Unauthenticated, e.message));
                    }
                    Ok(())
                }
                _ => Ok(()),
            },
            _ = closed(closing) => {
                return Some((ErrorCode::ShuttingDown, "the server is shutting down; reconnect and resume".into()));
            }
        };
        if step.is_err() {
            return slow();
        }
    }
}
