//! Receivers for what the server sends: a real SMTP server (enough of RFC
//! 5321 for a client: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that
//! keeps every message it accepts, and an HTTP webhook receiver that records
//! each call and answers with a chosen status.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted email: its envelope recipients and the raw message.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// A header's value (first occurrence, unfolded).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        let mut lines = self.data.split("\r\n").peekable();
        while let Some(line) = lines.next() {
            if line.is_empty() {
                return None;
            }
            if line.to_ascii_lowercase().starts_with(&prefix) {
                let mut v = line[prefix.len()..].trim().to_string();
                while lines.peek().is_some_and(|l| l.starts_with([' ', '\t'])) {
                    v.push(' ');
                    v.push_str(lines.next().unwrap().trim());
                }
                return Some(v);
            }
        }
        None
    }
}

pub type Mailbox = Arc<Mutex<Vec<Mail>>>;

/// Serves SMTP on `listener` until the test ends; every accepted message lands in the box.
pub fn smtp_sink(listener: TcpListener) -> Mailbox {
    let inbox: Mailbox = Arc::default();
    let keep = inbox.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let inbox = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink.test ESMTP ready\r\n").await;
                let mut to = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sink.test\r\n250 8BITMIME\r\n",
                        "HELO" | "NOOP" => b"250 ok\r\n",
                        "MAIL" => {
                            to.clear();
                            b"250 ok\r\n"
                        }
                        "RCPT" => {
                            to.push(line[line.find(':').map_or(0, |i| i + 1)..].trim().to_string());
                            b"250 ok\r\n"
                        }
                        "RSET" => {
                            to.clear();
                            b"250 ok\r\n"
                        }
                        "DATA" => {
                            let _ = w.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(l.strip_prefix('.').unwrap_or(&l));
                                data.push_str("\r\n");
                            }
                            inbox.lock().unwrap().push(Mail { to: std::mem::take(&mut to), data });
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"502 not implemented\r\n",
                    };
                    if w.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    inbox
}

/// One webhook call as received.
#[derive(Clone, Debug)]
pub struct Call {
    pub at: Instant,
    pub delivery: String,
    pub signature: String,
    pub body: String,
}

/// Records calls; answers `status` (shared, so a test can change it).
#[derive(Clone, Default)]
pub struct Receiver {
    pub calls: Arc<Mutex<Vec<Call>>>,
    pub status: Arc<Mutex<u16>>,
}

/// Serves HTTP on `listener`: every request is recorded and answered with the current status.
pub fn webhook_receiver(listener: TcpListener, status: u16) -> Receiver {
    let rx = Receiver { calls: Arc::default(), status: Arc::new(Mutex::new(status)) };
    let keep = rx.clone();
    let app = axum::Router::new().fallback(move |headers: axum::http::HeaderMap, body: String| {
        let rx = keep.clone();
        async move {
            let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            rx.calls.lock().unwrap().push(Call {
                at: Instant::now(),
                delivery: h("x-pt-delivery"),
                signature: h("x-pt-signature"),
                body,
            });
            let code = *rx.status.lock().unwrap();
            axum::http::StatusCode::from_u16(code).unwrap()
        }
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    rx
}
