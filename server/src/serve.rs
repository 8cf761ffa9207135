//! The connection loop: accepts TCP connections and serves the router on each
//! (HTTP/1.1, WebSocket upgrades included), with a header-read timeout and a
//! shutdown that ends within a drain limit.
//!
//! Why not `axum::serve`: it has no header-read timeout, so a client that
//! sends half a request head holds its connection (and a task) forever; and
//! its graceful shutdown waits for every connection, so one such client kept
//! SIGTERM from ever finishing.
//!
//! ## Shutdown, once `shutdown` resolves
//! 1. The listener closes: no new connections.
//! 2. Every connection is told to finish. One that never delivered a complete
//!    request head closes at once (nothing was asked of it yet; its client
//!    may retry elsewhere), and so does an idle keep-alive connection; one in
//!    the middle of a request answers it with `Connection: close` and closes.
//!    WebSocket sessions hear it through `AppState::closing` (the caller's
//!    `shutdown` future sets it): they send `Goodbye` and close code 1001.
//! 3. Up to the drain limit, it waits until every socket is closed, upgraded
//!    WebSockets included (the socket carries a tracker token wherever it goes).
//! 4. What is still open then is cut: every read and write on it fails, so
//!    its task ends and the socket closes. How many were cut is logged.
//!
//! The store is flushed after this, by [`crate::run`]: requests still being
//! answered during the drain need the writer running.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};
use tokio_util::task::TaskTracker;
use tokio_util::task::task_tracker::TaskTrackerToken;
use tower::ServiceExt;

/// Default for [`ServeConfig::header_read_timeout`].
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default for [`ServeConfig::drain`].
pub const DRAIN: Duration = Duration::from_secs(10);

/// After the cut, how long `serve` lets the cut connections' tasks notice and
/// drop their sockets (their I/O already fails; this only lets an in-process
/// caller return with no socket left behind).
const CUT_SETTLE: Duration = Duration::from_secs(1);
/// A failed accept that is not about one connection (EMFILE: out of file
/// descriptors) waits this long before the next try instead of spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Connection limits of [`serve`].
#[derive(Clone, Copy, Debug)]
pub struct ServeConfig {
    /// A connection must deliver a complete request head (request line and
    /// headers) within this time of the server starting to wait for one: from
    /// the connection's start, and again after each response, so a silent or
    /// idle keep-alive connection is closed after it too.
    pub header_read_timeout: Duration,
    /// At shutdown, how long connections get to finish before they are cut.
    pub drain: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self { header_read_timeout: HEADER_READ_TIMEOUT, drain: DRAIN }
    }
}

/// What shutdown did with the connections.
#[derive(Clone, Copy, Debug)]
pub struct Drained {
    /// Sockets open when shutdown began (WebSockets included).
    pub open: usize,
    /// Sockets still open at the drain limit, and cut.
    pub cut: usize,
    /// From the shutdown signal until the last socket closed (or the cut).
    pub took: Duration,
}

/// Serves `router` on `listener` until `shutdown` resolves, then closes every
/// connection within `config.drain` (see the module doc).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: ServeConfig,
    shutdown: impl Future<Output = ()>,
) -> Drained {
    let conns = Connections::new(config.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((tcp, peer)) => conns.spawn(tcp, peer, router.clone()),
            // The peer gave up before we took the connection: nothing to do.
            Err(e) if is_connection_error(&e) => {}
            Err(e) => {
                tracing::error!("cannot accept a connection: {e}; retrying in {} s", ACCEPT_BACKOFF.as_secs());
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => {}
                }
            }
        }
    }
    drop(listener);
    conns.drain(config.drain).await
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// Every open connection, and the two steps of shutting them down.
struct Connections {
    http: Arc<http1::Builder>,
    /// One token per open socket, held by the socket itself: an upgraded
    /// WebSocket counts until its session drops the socket.
    open: TaskTracker,
    /// Shutdown began: connections finish what they are doing and close.
    draining: CancellationToken,
    /// The drain limit passed: every read and write fails from now on.
    cut: CancellationToken,
    /// Set just before `cut` is cancelled: a cheap check for sockets whose
    /// I/O is always ready (they would never poll the token).
    cut_flag: Arc<AtomicBool>,
}

impl Connections {
    fn new(header_read_timeout: Duration) -> Self {
        let mut http = http1::Builder::new();
        // The timer drives the header-read timeout (without one hyper ignores it).
        http.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
        Self {
            http: Arc::new(http),
            open: TaskTracker::new(),
            draining: CancellationToken::new(),
            cut: CancellationToken::new(),
            cut_flag: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Serves one connection in its own task.
    fn spawn(&self, tcp: TcpStream, peer: SocketAddr, router: Router) {
        // TCP_NODELAY: acks and events are small frames written one after
        // another; with Nagle on, a frame waits for the ACK of the previous
        // one, which the client delays by up to 40 ms (found by pt-loadtest:
        // p90 accepted 43 ms).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
        let io = TokioIo::new(Tracked {
            io: tcp,
            cut: Box::pin(self.cut.child_token().cancelled_owned()),
            cut_flag: self.cut_flag.clone(),
            _open: self.open.token(),
        });
        // Whether a request head ever arrived. Written and read in this
        // connection's task only (hyper calls the service while the
        // connection future is polled), so the shutdown check cannot race it.
        let served = Arc::new(AtomicBool::new(false));
        let service = {
            let served = served.clone();
            hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                served.store(true, Ordering::Relaxed);
                // The peer address keys the per-IP rate limits.
                req.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(req)
            })
        };
        let (http, draining, cut) = (self.http.clone(), self.draining.clone(), self.cut.clone());
        tokio::spawn(async move {
            let conn = http.serve_connection(io, service).with_upgrades();
            tokio::pin!(conn);
            tokio::select! {
                // Connection first: a request head already received is parsed
                // (and marks the connection served) before the drain is seen.
                biased;
                ended = conn.as_mut() => return log_end(peer, ended),
                () = draining.cancelled() => {}
            }
            if !served.load(Ordering::Relaxed) {
                // Nothing asked yet (a silent or half-sent head): close now,
                // instead of waiting for the header-read timeout.
                return;
            }
            // Idle keep-alive: closes now; mid-request: answers, then closes.
            conn.as_mut().graceful_shutdown();
            tokio::select! {
                ended = conn => log_end(peer, ended),
                () = cut.cancelled() => {}
            }
        });
    }

    /// Closes every connection, cutting those still open after `limit`.
    async fn drain(self, limit: Duration) -> Drained {
        let started = Instant::now();
        self.open.close();
        let open = self.open.len();
        self.draining.cancel();
        tracing::info!(open, drain_secs = limit.as_secs_f64(), "stopped accepting; closing connections");
        let mut cut = 0;
        if tokio::time::timeout(limit, self.open.wait()).await.is_err() {
            cut = self.open.len();
            self.cut_flag.store(true, Ordering::Release);
            self.cut.cancel();
            tracing::warn!(cut, "drain limit reached: cutting the connections still open");
            let _ = tokio::time::timeout(CUT_SETTLE, self.open.wait()).await;
        }
        Drained { open, cut, took: started.elapsed() }
    }
}

fn log_end(peer: SocketAddr, ended: Result<(), hyper::Error>) {
    match ended {
        Ok(()) => {}
        // Header-read timeouts land here; thousands of them are an attack,
        // not news, so they stay at debug.
        Err(e) => tracing::debug!(%peer, "connection ended: {e}"),
    }
}

/// An accepted socket that counts itself open while it lives and fails all
/// I/O once cut.
struct Tracked {
    io: TcpStream,
    cut: Pin<Box<WaitForCancellationFutureOwned>>,
    cut_flag: Arc<AtomicBool>,
    /// Declared last: released after `io` is dropped (the socket closed).
    _open: TaskTrackerToken,
}

impl Tracked {
    /// Whether the socket is cut. `waiting`: the I/O returned `Pending`, so
    /// also wake this task when the cut comes.
    fn is_cut(&mut self, cx: &mut Context<'_>, waiting: bool) -> bool {
        self.cut_flag.load(Ordering::Acquire) || (waiting && self.cut.as_mut().poll(cx).is_ready())
    }

    /// Checks before and after the inner I/O: cheap on the ready path, and a
    /// pending read or write still wakes up for the cut.
    fn guard<T>(
        &mut self,
        cx: &mut Context<'_>,
        op: impl FnOnce(Pin<&mut TcpStream>, &mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if self.is_cut(cx, false) {
            return Poll::Ready(Err(cut_error()));
        }
        match op(Pin::new(&mut self.io), cx) {
            Poll::Pending if self.is_cut(cx, true) => Poll::Ready(Err(cut_error())),
            other => other,
        }
    }
}

fn cut_error() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "cut at the shutdown drain limit")
}

impl AsyncRead for Tracked {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        self.get_mut().guard(cx, |io, cx| io.poll_read(cx, buf))
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.get_mut().guard(cx, |io, cx| io.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().guard(cx, |io, cx| io.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().guard(cx, |io, cx| io.poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // A cut socket may still send its FIN: that is what closing it means.
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}
