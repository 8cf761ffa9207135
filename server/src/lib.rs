//! # pt-server — HTTP in front of the booking actors
//!
//! ## Layout
//! * [`run`] serves an [`app`] on a listener until a shutdown signal, then
//!   flushes every tenant's write-behind log. `main.rs` only parses the CLI.
//! * [`serve`] — the connection loop: header-read timeout, and a shutdown
//!   that closes every connection within a drain limit.
//! * [`commands`] — the one command layer: every write, from REST or the
//!   WebSocket, is authorized, validated, sent to the owning actor and
//!   answered by [`commands::execute`] (see `docs/architecture.md`).
//! * [`routes`] — REST adapters, one file per resource (`auth`, `studio`,
//!   `artists`, `bookings`, `health`): extract (the [`extract::Auth`]
//!   extractor authenticates and picks the studio) → build a command (or
//!   read from the [`pt_actors::Tenant`]) → envelope.
//! * [`auth`] — identity: tokens, passwords, OIDC, roles, and the wired
//!   [`auth::service::AuthService`] (sign-up, login, sessions, authentication).
//! * [`studio`] — studio administration: settings (owned by the studio's
//!   tenant actor), members, invitations, API tokens, calendar feed URLs.
//! * [`calendar`] — the iCalendar document a calendar feed URL answers.
//! * [`extract`] — input extractors whose rejections are typed 400s.
//! * [`state`] — [`AppState`], what handlers and sessions share.
//! * [`error`] — the one error envelope.
//! * [`edge`] — per-IP rate limits, CORS and security headers, around everything.
//! * [`openapi`] — the OpenAPI 3.1 document, generated from the handlers;
//!   [`api_docs`] renders it at `/api/docs` (Redoc, vendored).
//! * [`ws`] — `/api/v1/ws`, the realtime session (binary MessagePack frames),
//!   the WebSocket adapter to [`commands`].
//! * [`transfer`] — CSV export and import (with a dry run) of artists and bookings.
//! * [`demo`] — the `--demo` seed.
//! * [`web`] — the web app (scheduler board) at `/`, the router's fallback.

pub mod api_docs;
pub mod auth;
pub mod calendar;
pub mod commands;
pub mod delivery;
pub mod demo;
pub mod demo_availability;
pub mod demo_jobs;
pub mod demo_projects;
pub mod edge;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod routes;
pub mod serve;
pub mod state;
pub mod studio;
pub mod transfer;
pub mod web;
pub mod ws;

pub use serve::ServeConfig;
pub use state::{AppState, MAX_BODY_BYTES, SHUTDOWN_GRACE};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

/// The whole HTTP application.
///
/// Layers, outermost first: trace → security headers → CORS (when origins are
/// configured) → per-IP rate limits → body limit → routes. CORS sits outside
/// the limiter so a browser can read a 429's `Retry-After`; preflights are
/// answered before they count.
pub fn app(state: AppState) -> Router {
    let (api, spec) = openapi::router().split_for_parts();
    let spec = openapi::finish(spec);
    let spec = Arc::new(spec);
    let limiters = Arc::new(edge::RateLimiters::new(&state.edge).with_auth(state.auth.clone()));
    let cors = edge::cors(&state.edge);
    let web = web::WebApp::new(state.web_dir.clone());
    let router = Router::new()
        .merge(routes::health::router())
        .merge(api_docs::router())
        .nest(
            "/api/v1",
            api.route("/openapi.json", axum::routing::get(move || openapi::serve(spec.clone())))
                .route("/ws", axum::routing::get(ws::upgrade).layer(axum::Extension(limiters.clone()))),
        )
        // Unknown /api paths stay JSON 404s; everything else is the web app.
        .fallback(move |req: axum::extract::Request| web.clone().serve(req))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(limiters, edge::rate_limit));
    let router = match cors {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router
        .layer(axum::middleware::map_response(edge::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves until `shutdown` resolves, then flushes every tenant; the default
/// [`ServeConfig`] (header-read timeout and drain limit).
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    run_with(listener, state, ServeConfig::default(), shutdown).await
}

/// Serves until `shutdown` resolves, then, in order:
/// 1. closes the connections within `config.drain` (WebSockets get close
///    1001; what is still open at the limit is cut) — see [`serve`];
/// 2. flushes every tenant's accepted changes to the store, waiting up to
///    `state.shutdown_grace`. The flush comes after the drain because
///    requests answered during the drain still need the writer, and the drain
///    limit never cuts it short: a change that was accepted is written unless
///    the store itself cannot take it within the grace, and then this returns
///    an error (the binary exits 1).
pub async fn run_with(
    listener: TcpListener,
    state: AppState,
    config: ServeConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(store = state.store.kind(), "listening on http://{addr}");
    let e = &state.edge;
    tracing::info!(
        api_limit = e.api_limit.map_or("off".to_string(), |l| l.to_string()),
        auth_limit = e.auth_limit.map_or("off".to_string(), |l| l.to_string()),
        user_limit = e.user_limit.map_or("off".to_string(), |l| l.to_string()),
        cors_origins = ?e.cors_origins,
        trust_forwarded_for = e.trust_forwarded_for,
        header_read_timeout_secs = config.header_read_timeout.as_secs_f64(),
        drain_secs = config.drain.as_secs_f64(),
        "edge protection"
    );
    let closing = state.closing_tx.clone();
    let shutdown = async move {
        shutdown.await;
        // Realtime sessions say goodbye (close 1001) and close, so the drain
        // below does not have to cut them.
        let _ = closing.send(true);
    };
    let drained = serve::serve(listener, app(state.clone()), config, shutdown).await;
    tracing::info!(
        open = drained.open,
        cut = drained.cut,
        took_ms = drained.took.as_millis() as u64,
        "connections closed; flushing tenants"
    );
    let grace = state.shutdown_grace;
    if tokio::time::timeout(grace, state.registry.shutdown()).await.is_err() {
        tracing::error!(
            grace_secs = grace.as_secs(),
            "the store did not take the last accepted changes in time; changes not yet durable are lost"
        );
        anyhow::bail!(
            "the store did not take the last accepted changes within {} s (--shutdown-grace-secs)",
            grace.as_secs()
        );
    }
    tracing::info!("all accepted changes are durable; bye");
    Ok(())
}
