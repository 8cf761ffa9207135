//! A connection's writer task: frames out (coalesced into one flush), pings,
//! and the closing handshake (`Goodbye`, then a close frame with its code).

use super::{Out, SEND_TIMEOUT, close_code, encode};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::SinkExt;
use futures::stream::SplitSink;
use pt_protocol::ErrorCode;
use pt_protocol::ws::ServerFrame;
use tokio::sync::{mpsc, oneshot};

/// Frames written to the socket with one flush, at most: what queued up while
/// the previous write went out (a busy studio's events, acks and watermarks).
const COALESCE_FRAMES: usize = 64;

type Sink = SplitSink<WebSocket, Message>;

/// Writes until the session drops its sender or says goodbye (through the
/// queue, or past it on `bye_rx` when the queue is full), then closes.
pub(super) async fn write(
    mut sink: Sink,
    mut out_rx: mpsc::Receiver<Out>,
    mut bye_rx: oneshot::Receiver<(ErrorCode, String)>,
) {
    let mut ping = tokio::time::interval(super::PING_EVERY);
    ping.tick().await;
    let goodbye = loop {
        let msg = tokio::select! {
            biased;
            bye = &mut bye_rx => break bye.ok(),
            msg = out_rx.recv() => match msg {
                Some(Out::Frame(m)) => Message::Binary(m),
                Some(Out::Goodbye(bye)) => break Some(*bye),
                None => break None,
            },
            _ = ping.tick() => Message::Ping(Default::default()),
        };
        // Boxed, as the goodbye and the close below: an idle connection's
        // task should not keep room for a write between writes.
        match Box::pin(tokio::time::timeout(SEND_TIMEOUT, flush_queued(&mut sink, &mut out_rx, msg))).await {
            Ok(Ok(None)) => {}
            Ok(Ok(Some(bye))) => break Some(bye),
            _ => break None, // gone, or not reading at all
        }
    };
    if let Some((code, reason)) = goodbye {
        let bye = async {
            sink.send(Message::Binary(encode(&ServerFrame::Goodbye { code, reason: reason.clone() }))).await?;
            let close =
                CloseFrame { code: close_code(code), reason: reason.chars().take(100).collect::<String>().into() };
            sink.send(Message::Close(Some(close))).await
        };
        let _ = Box::pin(tokio::time::timeout(SEND_TIMEOUT, bye)).await;
    }
    let _ = Box::pin(tokio::time::timeout(SEND_TIMEOUT, sink.close())).await;
}

/// Writes `first` and everything else already queued, in one flush (one
/// write to the socket instead of one per frame). Returns a goodbye met in
/// the queue.
async fn flush_queued(
    sink: &mut Sink,
    out_rx: &mut mpsc::Receiver<Out>,
    first: Message,
) -> Result<Option<(ErrorCode, String)>, axum::Error> {
    sink.feed(first).await?;
    let mut bye = None;
    for _ in 1..COALESCE_FRAMES {
        match out_rx.try_recv() {
            Ok(Out::Frame(m)) => sink.feed(Message::Binary(m)).await?,
            Ok(Out::Goodbye(goodbye)) => {
                bye = Some(*goodbye);
                break;
            }
            Err(_) => break,
        }
    }
    sink.flush().await.map(|()| bye)
}
