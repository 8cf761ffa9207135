//! Small checks the identity suites share: an answer's status and code, the
//! next `Goodbye` on a socket, a booking made as someone.

use super::wsclient::WsClient;
use super::{Api, Resp};
use pt_protocol::ErrorCode;
use pt_protocol::ws::ServerFrame;
use serde_json::json;
use std::time::Duration;

/// How long a check waits for a frame.
pub const SEC: Duration = Duration::from_secs(10);

/// An answer's status and error code.
pub fn code(r: &Resp) -> (u16, &str) {
    (r.status.as_u16(), r.code())
}

/// The next frame that is a `Goodbye`, skipping anything else.
pub async fn goodbye(ws: &mut WsClient, within: Duration) -> (ErrorCode, String) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match ws.recv(left.max(Duration::from_millis(1))).await {
            Some(ServerFrame::Goodbye { code, reason }) => return (code, reason),
            Some(_) => continue,
            None => panic!("socket closed without a goodbye"),
        }
    }
}

/// Creates a booking as `api` and returns its id.
pub async fn book(api: &Api, artist: &str, day: u32, status: &str) -> String {
    let r = api
        .post(
            "/bookings",
            // Saturdays included: availability is not what these checks are about.
            json!({"artistId": artist, "title": format!("Job {day}"), "status": status, "allowOvertime": true,
                   "startTime": format!("2027-03-{day:02}T09:00:00Z"), "endTime": format!("2027-03-{day:02}T17:00:00Z")}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}
