//! A scheduler's connection: the TCP socket (from one of several loopback
//! source addresses, for runs of more connections than one source address
//! has ports), the WebSocket handshake, `Hello`, the subscription and its
//! snapshot.

use super::{CONNECT_TIMEOUT, ClientSpec, Outcome, SUB_ID, Shared, Socket, decode};
use futures::{SinkExt, StreamExt};
use pt_protocol::ws::{ClientFrame, ServerFrame, codec};
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::MaybeTlsStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

fn ws_config() -> WebSocketConfig {
    // Small buffers: a run may hold 10,000 of these in one process.
    WebSocketConfig::default().read_buffer_size(8 * 1024).write_buffer_size(0)
}

/// Opens the TCP connection to the server of `ws_url`. With several source
/// addresses, scheduler `idx` comes from 127.0.0.(1 + idx % sources): one
/// source address has only the ephemeral ports of
/// `net.ipv4.ip_local_port_range` (32768–60999: ~28,000) towards one server
/// address, so 100,000 connections need 4 of them. Every 127.0.0.0/8 address
/// is the loopback interface on Linux; nothing needs configuring.
async fn open_tcp(ws_url: &str, idx: usize, sources: usize) -> Result<TcpStream, String> {
    let request = ws_url.into_client_request().map_err(|e| format!("bad url {ws_url}: {e}"))?;
    let host = request.uri().host().ok_or_else(|| format!("no host in {ws_url}"))?.to_string();
    let port = request.uri().port_u16().unwrap_or(80);
    let server = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| format!("resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} has no address"))?;
    let tcp = if sources <= 1 {
        TcpStream::connect(server).await
    } else {
        let SocketAddr::V4(v4) = server else {
            return Err(format!("source_addresses > 1 needs an IPv4 loopback server, not {server}"));
        };
        if !v4.ip().is_loopback() {
            return Err(format!("source_addresses > 1 needs a loopback server, not {server}"));
        }
        let source = Ipv4Addr::from(u32::from(Ipv4Addr::LOCALHOST) + (idx % sources) as u32);
        let socket = TcpSocket::new_v4().map_err(|e| format!("socket: {e}"))?;
        socket.bind(SocketAddr::from((source, 0))).map_err(|e| format!("bind {source}: {e}"))?;
        socket.connect(server).await
    }
    .map_err(|e| format!("connect: {e}"))?;
    // Commands and pings are small frames written one by one.
    tcp.set_nodelay(true).map_err(|e| format!("TCP_NODELAY: {e}"))?;
    Ok(tcp)
}

/// Opens the socket, says hello, subscribes and applies the snapshot.
pub(super) async fn connect(spec: &ClientSpec, sh: &Shared, out: &mut Outcome) -> Result<Socket, String> {
    let tcp = open_tcp(&sh.ws_url, spec.idx, sh.scenario.source_addresses).await?;
    let (mut ws, _) =
        tokio_tungstenite::client_async_with_config(sh.ws_url.as_str(), MaybeTlsStream::Plain(tcp), Some(ws_config()))
            .await
            .map_err(|e| format!("connect: {e}"))?;
    let hello = codec::encode(&spec.studio.hello());
    ws.send(Message::Binary(hello.into())).await.map_err(|e| format!("hello: {e}"))?;
    let mut subscribed = spec.view.is_none();
    let mut welcomed = false;
    while !(welcomed && subscribed) {
        let msg = tokio::time::timeout(CONNECT_TIMEOUT, ws.next())
            .await
            .map_err(|_| "no welcome/snapshot in time".to_string())?
            .ok_or("closed during the handshake")?
            .map_err(|e| format!("read: {e}"))?;
        match decode(msg)? {
            Some(ServerFrame::Welcome { .. }) => {
                welcomed = true;
                if let Some(view) = &spec.view {
                    let sub = ClientFrame::Subscribe { sub_id: SUB_ID, view: view.clone(), resume_from_seq: None };
                    ws.send(Message::Binary(codec::encode(&sub).into()))
                        .await
                        .map_err(|e| format!("subscribe: {e}"))?;
                }
            }
            Some(ServerFrame::Snapshot { seq, bookings, .. }) => {
                out.mirror.seq = seq;
                for b in bookings {
                    out.mirror.upsert((*b).clone());
                }
                subscribed = true;
            }
            Some(ServerFrame::Error { error, .. }) => return Err(format!("{}: {}", error.code, error.message)),
            Some(ServerFrame::Goodbye { code, reason }) => return Err(format!("goodbye {code}: {reason}")),
            _ => {}
        }
    }
    Ok(ws)
}
