//! # pt-server — HTTP in front of the booking actors
//!
//! ## Layout
//! * [`run`] serves an [`app`] on a listener until a shutdown signal, then
//!   flushes every tenant's write-behind log. `main.rs` only parses the CLI.
//! * [`routes`] — one file per resource (`auth`, `studio`, `artists`,
//!   `bookings`, `health`); handlers are thin: extract (the [`extract::Auth`]
//!   extractor authenticates and picks the studio) → authorize → call the
//!   [`pt_actors::Tenant`] → envelope.
//! * [`auth`] — identity: tokens, passwords, OIDC, roles, and the wired
//!   [`auth::service::AuthService`].
//! * [`extract`] — input extractors whose rejections are typed 400s.
//! * [`state`] — [`AppState`], what handlers and sessions share.
//! * [`error`] — the one error envelope.
//! * [`edge`] — per-IP rate limits, CORS and security headers, around everything.
//! * [`openapi`] — the OpenAPI 3.1 document, generated from the handlers;
//!   [`api_docs`] renders it at `/api/docs` (Redoc, vendored).
//! * [`ws`] — `/api/v1/ws`, the realtime session (binary MessagePack frames).
//! * [`demo`] — the `--demo` seed.
//! * [`web`] — the web app (scheduler board) at `/`, the router's fallback.

pub mod api_docs;
pub mod auth;
pub mod demo;
pub mod edge;
pub mod error;
pub mod extract;
pub mod openapi;
pub mod routes;
pub mod state;
pub mod web;
pub mod ws;

pub use state::{AppState, MAX_BODY_BYTES, SHUTDOWN_GRACE};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::serve::ListenerExt;
use std::future::Future;
use std::net::SocketAddr;
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

/// Serves until `shutdown` resolves, then flushes every tenant.
pub async fn run(
    listener: TcpListener,
    state: AppState,
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
        "edge protection"
    );
    let closing = state.closing_tx.clone();
    let shutdown = async move {
        shutdown.await;
        // Realtime sessions say goodbye and close, so the graceful shutdown
        // below does not wait for them forever.
        let _ = closing.send(true);
    };
    // The peer address keys the per-IP rate limits.
    let service = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    // TCP_NODELAY: acks and events are small frames written one after another;
    // with Nagle on, a frame waits for the ACK of the previous one, which the
    // client delays by up to 40 ms (found by pt-loadtest: p90 accepted 43 ms).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
    });
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
    tracing::info!("stopped accepting; flushing tenants");
    state.registry.shutdown().await;
    tracing::info!("all accepted changes are durable; bye");
    Ok(())
}
