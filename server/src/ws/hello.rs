//! The handshake: the first frame must be `Hello` with a supported protocol
//! version and a valid bearer token; it is answered by `Welcome` (the
//! session is then bound to the token's studio and role for its lifetime),
//! or by an `Error` and a `Goodbye`.

use super::serve::{closed, shutting_down};
use super::session::Session;
use super::{HELLO_TIMEOUT, Out, encode, from_api_error, from_command_error, wire_error};
use crate::AppState;
use crate::edge::RateLimiters;
use axum::extract::ws::{Message, WebSocket};
use futures::StreamExt;
use pt_actors::presence::PresenceNotice;
use pt_protocol::ErrorCode;
use pt_protocol::ws::{ClientFrame, PROTOCOL_VERSION, SUPPORTED_VERSIONS, ServerFrame, SessionId, WireError, codec};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Waits for `Hello`; answers `Welcome`, or explains and gives up.
pub(super) async fn hello(
    stream: &mut futures::stream::SplitStream<WebSocket>,
    out: &mpsc::Sender<Out>,
    state: AppState,
    limits: Arc<RateLimiters>,
) -> Option<(Session, mpsc::Receiver<PresenceNotice>)> {
    let deadline = Instant::now() + HELLO_TIMEOUT;
    let mut closing = state.closing.clone();
    let say = |f: ServerFrame| {
        let _ = out.try_send(Out::Frame(encode(&f)));
    };
    loop {
        let next = tokio::select! {
            next = tokio::time::timeout_at(deadline, stream.next()) => next,
            // Shutting down: a connection still saying hello leaves with 1001 too.
            _ = closed(&mut closing) => {
                let (code, why) = shutting_down();
                let _ = out.try_send(Out::goodbye(code, why));
                return None;
            }
        };
        let msg = match next {
            Ok(Some(Ok(m))) => m,
            Ok(_) => return None,
            Err(_) => {
                let _ = out.try_send(Out::goodbye(ErrorCode::Protocol, "no hello within 10 s"));
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
            let _ = out.try_send(Out::goodbye(ErrorCode::UnsupportedVersion, "unsupported protocol version"));
            return None;
        }
        let who = match state.auth.authenticate(&token, chrono::Utc::now()).await {
            Ok(who) => who,
            Err(e) => {
                let reason = e.message.clone();
                say(ServerFrame::Error { error: from_api_error(e), sub_id: None });
                let _ = out.try_send(Out::goodbye(ErrorCode::Unauthenticated, reason));
                return None;
            }
        };
        let tenant = match state.registry.tenant(who.principal.tenant_id).await {
            Ok(t) => t,
            Err(e) => {
                say(ServerFrame::Error { error: from_command_error(e), sub_id: None });
                let _ = out.try_send(Out::goodbye(ErrorCode::ServiceUnavailable, "the studio is unavailable"));
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
        return Some(Session::new(id, who, token, resume_from_seq, tenant, state, limits, out.clone()));
    }
}

pub(super) enum Decoded {
    Frame(ClientFrame),
    Error(WireError),
    Control,
    Close,
}

pub(super) fn decode(msg: Message) -> Decoded {
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
