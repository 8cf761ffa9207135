//! `/api/v1/ws`: one realtime session per connection (protocol:
//! [`pt_protocol::ws`]).
//!
//! A session is bound to one studio by its `Hello`. It runs in one task that
//! reads frames, hands commands to the one command layer ([`crate::commands`],
//! the same path REST takes), and forwards the studio's event stream to the
//! connection's subscriptions; a second task writes frames out. Guarantees:
//! * per subscription: a snapshot at `seq` (or, resuming, the events missed
//!   since the client's `seq`), then every later event touching the view, in
//!   `seq` order, none twice;
//! * acks: `Accepted` as soon as the actor decided and the log sequenced,
//!   `Durable` watermarks after COMMIT, `Rejected { reverted }` if the store
//!   refused afterwards;
//! * bounds: frame size, subscriptions per connection, a bounded send queue —
//!   a slow client gets `Goodbye { slow_consumer }` and is closed instead of
//!   slowing the studio or growing memory.

//!
//! ## Layout
//! * this file — the upgrade, a connection's life (writer task + session),
//!   limits and the error mapping;
//! * `writer` — the task that writes frames, pings and the closing handshake;
//! * `hello` — the handshake: `Hello` → authenticate → `Welcome`;
//! * `session` — one connection's state and the frames it handles;
//! * `subscribe` — views: who may watch what, snapshots and resume;
//! * `commands` — the adapter to [`crate::commands`]: a command in, `Accepted`/`Rejected` out;
//! * `serve` — the session loop: socket, events, watermark, presence, timers.

mod commands;
mod hello;
mod serve;
mod session;
mod subscribe;
mod writer;

use crate::AppState;
use crate::edge::RateLimiters;
use crate::error::ApiError;
use axum::extract::State;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::response::Response;
use bytes::Bytes;
use futures::StreamExt;
use pt_actors::CommandError;
use pt_actors::presence::PresenceMsg;
use pt_protocol::ErrorCode;
use pt_protocol::ws::{ServerFrame, WireError, codec};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Largest frame a client may send (commands are small).
pub const MAX_FRAME_BYTES: usize = 256 * 1024;
/// Subscriptions one connection may hold.
pub const MAX_SUBSCRIPTIONS: usize = 64;
/// Frames queued for one connection before it counts as a slow consumer
/// (event frames are at most ~10 KiB, so this bounds a connection to ~10 MiB
/// on top of its socket buffers).
pub const SEND_QUEUE: usize = 1_024;
/// Time allowed between connecting and `Hello`.
pub(super) const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// The server pings this often…
pub(super) const PING_EVERY: Duration = Duration::from_secs(15);
/// …and closes a connection it has heard nothing from for this long (a
/// dropped connection leaves presence within this time).
pub(super) const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(45);
/// Presence updates are coalesced to at most one per view per this period (20/s).
pub(super) const PRESENCE_FLUSH: Duration = Duration::from_millis(50);
/// Most artists one window view may name.
pub(super) const MAX_WINDOW_ARTISTS: usize = 2_000;

/// Bytes read from a socket at a time. tungstenite zero-fills this much of its
/// read buffer before every read (default 128 KiB): with the default, every
/// connection kept 128 KiB resident and every incoming frame cost a 128 KiB
/// memset (found by pt-loadtest: 141 KiB of server memory per idle connection,
/// memset the top symbol under load). The buffer stays allocated for the
/// connection's life, so it is most of an idle connection's cost: 1 KiB still
/// takes several commands (~200 bytes each) per read; a larger frame arrives
/// whole, over several reads.
const READ_BUFFER_BYTES: usize = 1024;
/// Frames buffered before tungstenite writes to the socket (default 128 KiB).
/// The writer coalesces up to 64 queued frames into one flush; the buffer
/// keeps the capacity of the largest batch for the connection's life, so a
/// burst of events would otherwise pin up to 64 frames' worth per connection.
const WRITE_BUFFER_BYTES: usize = 8 * 1024;

pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(state): State<AppState>,
    axum::Extension(limits): axum::Extension<Arc<RateLimiters>>,
) -> Response {
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .on_upgrade(move |socket| run(socket, state, limits))
}

/// What the writer task sends.
enum Out {
    /// A binary frame's payload: the queue's slots are allocated 32 at a
    /// time, up front, so every connection pays for them (a `Message` would
    /// make each slot half as large again).
    Frame(Bytes),
    /// Say why, then close (boxed: a slot is no larger than a `Bytes`).
    Goodbye(Box<(ErrorCode, String)>),
}

impl Out {
    fn goodbye(code: ErrorCode, why: impl Into<String>) -> Self {
        Out::Goodbye(Box::new((code, why.into())))
    }
}

/// A client that does not take a frame within this time is cut off (its TCP
/// buffers are full: it stopped reading).
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// The connection could not keep up; it is being closed.
struct Slow;

fn encode(frame: &ServerFrame) -> Bytes {
    codec::encode(frame).into()
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

/// One connection's life. The socket is split and the writer spawned before
/// the session's future is made: an `async fn` keeps room for its arguments
/// for its whole life, and the unsplit socket is needed only here.
fn run(socket: WebSocket, state: AppState, limits: Arc<RateLimiters>) -> impl Future<Output = ()> + Send {
    let (sink, mut stream) = socket.split();
    let (out, out_rx) = mpsc::channel::<Out>(SEND_QUEUE);
    // Goodbyes jump the queue (it may be full: that is one reason to leave).
    let (bye_tx, bye_rx) = tokio::sync::oneshot::channel::<(ErrorCode, String)>();
    let writer = tokio::spawn(writer::write(sink, out_rx, bye_rx));
    async move {
        let mut closing = state.closing.clone();
        // Boxed: the handshake's future is large and done with once
        // welcomed; inline, every idle session's task would keep room for it.
        let Some((mut session, presence_rx)) = Box::pin(hello::hello(&mut stream, &out, state, limits)).await else {
            drop(out);
            let _ = writer.await;
            return;
        };
        drop(out);
        let revocations = session.state.auth.revocations();
        let reason = serve::serve(&mut session, presence_rx, &mut stream, &mut closing, revocations).await;
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
}

fn close_code(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::ShuttingDown => 1001,
        ErrorCode::UnsupportedVersion | ErrorCode::Protocol => 1002,
        ErrorCode::SlowConsumer | ErrorCode::Unauthenticated => 1008,
        _ => 1011,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_send_queue_slot_is_no_larger_than_a_frame_payload() {
        assert_eq!(std::mem::size_of::<Out>(), std::mem::size_of::<Bytes>());
    }
}
