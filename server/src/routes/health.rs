//! Liveness and readiness for operators and load balancers.

use crate::AppState;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

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
    match s.store.ready().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready", "store": s.store.kind(), "counters": counters }))),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "unavailable", "store": s.store.kind(), "reason": e.to_string(), "counters": counters }),
            ),
        ),
    }
}
