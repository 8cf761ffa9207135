//! Liveness and readiness for operators and load balancers.

use crate::AppState;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

/// A load balancer wants a quick answer; a store slower than this is not ready.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// The process is up.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The store answers and its schema is current.
async fn readyz(State(s): State<AppState>) -> (StatusCode, Json<Value>) {
    let counters = json!({
        "reverted": pt_actors::metrics::REVERTED.load(Ordering::Relaxed),
        "overloaded": pt_actors::metrics::OVERLOADED.load(Ordering::Relaxed),
    });
    let ready = match tokio::time::timeout(READY_TIMEOUT, s.store.ready()).await {
        Ok(r) => r,
        Err(_) => Err(pt_actors::store::StoreError::Unavailable(format!(
            "the store did not answer within {} s",
            READY_TIMEOUT.as_secs()
        ))),
    };
    match ready {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready", "store": s.store.kind(), "counters": counters }))),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "unavailable", "store": s.store.kind(), "reason": e.to_string(), "counters": counters }),
            ),
        ),
    }
}
