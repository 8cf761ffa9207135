//! Edge protection: what every request meets before a handler sees it.
//!
//! * **Rate limits per client IP** ([`rate_limit`]): every path except
//!   `/healthz` and `/readyz` counts against the general limit (default
//!   [`API_PER_SECOND`]/s, burst [`API_BURST`]); paths under `/api/v1/auth`
//!   count against the stricter [`AUTH_PER_MINUTE`]/min, burst [`AUTH_BURST`]
//!   as well. A WebSocket counts once, at its upgrade request: frames on an open
//!   socket never pass through HTTP middleware. A refused request gets `429`,
//!   `Retry-After: N` (whole seconds, at least 1) and the usual error envelope
//!   with code `rate_limited`.
//! * **CORS** ([`cors`]): off unless origins are configured; only an allowed
//!   `Origin` ever sees `Access-Control-*` headers.
//! * **Security headers** ([`security_headers`]) on every response, errors and
//!   404s included.
//!
//! Why `governor` (the GCRA engine under `tower_governor`) and not
//! `tower_governor` itself: its layer picks routes by where it is attached, so a
//! prefix such as `/api/v1/auth` that has no routes yet (404s included) cannot be
//! covered, and a missing peer address becomes a 500. A small middleware of our
//! own chooses the limit by path, answers in our envelope, and rounds
//! `Retry-After` up; `governor` keeps the per-key state lock-free and compact.
//!
//! The client is the TCP peer. `X-Forwarded-For` is ignored unless
//! [`EdgeConfig::trust_forwarded_for`] is set (only behind a proxy that
//! overwrites or appends to it), or anyone could pick a fresh "address" per
//! request.

use crate::error::ApiError;
use axum::extract::{ConnectInfo, OriginalUri, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use pt_protocol::ErrorCode;
use serde_json::json;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Default general limit: sustained requests per second per client IP.
pub const API_PER_SECOND: u32 = 50;
/// Default general burst: requests a quiet client may send at once.
pub const API_BURST: u32 = 100;
/// Default authentication limit: sustained attempts per minute per client IP
/// (slow enough to make password guessing pointless).
pub const AUTH_PER_MINUTE: u32 = 5;
/// Default authentication burst.
pub const AUTH_BURST: u32 = 10;
/// Paths under this prefix get the authentication limit too.
pub const AUTH_PREFIX: &str = "/api/v1/auth";
/// Never limited: load balancers and orchestrators poll these.
const EXEMPT: [&str; 2] = ["/healthz", "/readyz"];
/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);
/// How often idle clients' limiter state is dropped, so memory follows the
/// number of recently active addresses, not every address ever seen.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// One rate limit: a bucket of `burst` requests refilled one request every `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub period: Duration,
    pub burst: u32,
}

impl RateLimit {
    /// `per_second` requests per second sustained (at least 1), `burst` at once.
    pub const fn per_second(per_second: u32, burst: u32) -> Self {
        let n = if per_second == 0 { 1 } else { per_second };
        Self { period: Duration::from_nanos(1_000_000_000 / n as u64), burst }
    }

    /// `per_minute` requests per minute sustained (at least 1), `burst` at once.
    pub const fn per_minute(per_minute: u32, burst: u32) -> Self {
        let n = if per_minute == 0 { 1 } else { per_minute };
        Self { period: Duration::from_nanos(60_000_000_000 / n as u64), burst }
    }

    fn quota(self) -> Quota {
        let period = self.period.max(Duration::from_nanos(1));
        let burst = NonZeroU32::new(self.burst).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(period).expect("non-zero period").allow_burst(burst)
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1 per {:?}, burst {}", self.period, self.burst)
    }
}

/// What the edge allows. Part of [`crate::AppState`]; read once by [`crate::app`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdgeConfig {
    /// Origins (`scheme://host[:port]`) allowed cross-origin access. Empty: none.
    pub cors_origins: Vec<HeaderValue>,
    /// The general per-IP limit; `None` turns it off.
    pub api_limit: Option<RateLimit>,
    /// The per-IP limit for [`AUTH_PREFIX`]; `None` turns it off.
    pub auth_limit: Option<RateLimit>,
    /// The per-credential limit: every request bearing the same token counts
    /// against one bucket, wherever it comes from (a user spread over many
    /// addresses, or many users behind one office address, are each limited
    /// fairly). `None` turns it off.
    pub user_limit: Option<RateLimit>,
    /// Key clients by the last `X-Forwarded-For` address (the one our own
    /// proxy appended) instead of the TCP peer.
    pub trust_forwarded_for: bool,
}

impl Default for EdgeConfig {
    /// Production defaults: no cross-origin access, 50/s burst 100 per IP,
    /// 5/min burst 10 for authentication, `X-Forwarded-For` ignored.
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            api_limit: Some(RateLimit::per_second(API_PER_SECOND, API_BURST)),
            auth_limit: Some(RateLimit::per_minute(AUTH_PER_MINUTE, AUTH_BURST)),
            user_limit: Some(RateLimit::per_second(API_PER_SECOND, API_BURST)),
            trust_forwarded_for: false,
        }
    }
}

/// Checks an `--cors-origin` value: `http(s)://host[:port]`, no path; a
/// trailing `/` is dropped because browsers never send one.
pub fn parse_origin(s: &str) -> Result<HeaderValue, String> {
    let s = s.trim().trim_end_matches('/');
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("{s:?}: an origin starts with http:// or https://"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '*', ' ']) {
        return Err(format!("{s:?}: an origin is scheme://host[:port], without path or wildcard"));
    }
    HeaderValue::from_str(s).map_err(|_| format!("{s:?}: not a valid origin"))
}

/// The CORS layer for the configured origins, or `None` (no CORS headers at all).
pub fn cors(config: &EdgeConfig) -> Option<CorsLayer> {
    if config.cors_origins.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(config.cors_origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static("idempotency-key")])
            .expose_headers([
                HeaderName::from_static("x-seq"),
                header::RETRY_AFTER,
                HeaderName::from_static("idempotent-replayed"),
            ])
            .max_age(PREFLIGHT_MAX_AGE),
    )
}

/// Headers on every response; a handler that sets its own value keeps it.
/// The CSP fits the JSON API and the web app served from this origin
/// ([`crate::web`]): `default-src 'self'` lets it load its own scripts, styles
/// and images only (it has no inline script and uses no CDN or remote font),
/// and connect only here: `'self'` covers the WebSocket to this host too
/// (`ws:`/`wss:`, CSP Level 3). The browser tests fail on any CSP violation.
const SECURITY_HEADERS: [(HeaderName, HeaderValue); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    (
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'"),
    ),
    (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
];

/// `map_response` middleware adding [`SECURITY_HEADERS`].
pub async fn security_headers(mut res: Response) -> Response {
    let headers = res.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.entry(name).or_insert(value);
    }
    res
}

/// Whose bucket a request spends: a verified user, or a credential we did
/// not verify here (the variants never collide, so no crafted string can
/// spend a user's bucket).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UserKey {
    User(uuid::Uuid),
    Credential(u64),
}

/// The per-IP limiters built from an [`EdgeConfig`]; state for [`rate_limit`].
pub struct RateLimiters {
    api: Option<Limiter>,
    auth: Option<Limiter>,
    user: Option<Limiter<UserKey>>,
    trust_forwarded_for: bool,
    /// Verifies our own access tokens, so that all of one user's tokens
    /// (every refresh mints a new one) share one bucket.
    auth_service: Option<Arc<crate::auth::service::AuthService>>,
}

struct Limiter<K: std::hash::Hash + Eq + Clone = IpAddr> {
    scope: &'static str,
    limiter: DefaultKeyedRateLimiter<K>,
    born: Instant,
    /// Milliseconds after `born` of the last sweep of idle keys.
    last_sweep_ms: AtomicU64,
}

impl<K: std::hash::Hash + Eq + Clone> Limiter<K> {
    fn new(scope: &'static str, limit: RateLimit) -> Self {
        Self {
            scope,
            limiter: DefaultKeyedRateLimiter::keyed(limit.quota()),
            born: Instant::now(),
            last_sweep_ms: AtomicU64::new(0),
        }
    }

    /// Takes one request from `key`'s bucket, or says how long until one is free.
    fn check(&self, key: K) -> Result<(), Duration> {
        self.sweep_now_and_then();
        self.limiter.check_key(&key).map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }

    fn sweep_now_and_then(&self) {
        let now_ms = self.born.elapsed().as_millis() as u64;
        let last = self.last_sweep_ms.load(Ordering::Relaxed);
        if now_ms.saturating_sub(last) < SWEEP_EVERY.as_millis() as u64 {
            return;
        }
        // One request per period does the sweep; the others go on.
        if self.last_sweep_ms.compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
    }
}

impl RateLimiters {
    pub fn new(config: &EdgeConfig) -> Self {
        Self {
            api: config.api_limit.map(|l| Limiter::new("api", l)),
            auth: config.auth_limit.map(|l| Limiter::new("auth", l)),
            user: config.user_limit.map(|l| Limiter::new("user", l)),
            trust_forwarded_for: config.trust_forwarded_for,
            auth_service: None,
        }
    }

    /// Key the per-user bucket by the user an access token of ours names
    /// (checked: signature and expiry), not by the token string.
    pub fn with_auth(mut self, auth: Arc<crate::auth::service::AuthService>) -> Self {
        self.auth_service = Some(auth);
        self
    }

    /// The per-user bucket of a bearer credential: its user for a valid
    /// access token of ours, else the credential itself (an API token is its
    /// integration's own bucket; a forged or expired token only spends its
    /// own bucket, and still counts against its address).
    pub fn user_key(&self, bearer: &[u8]) -> UserKey {
        let token = std::str::from_utf8(bearer).ok().and_then(|b| b.strip_prefix("Bearer "));
        if let (Some(auth), Some(token)) = (&self.auth_service, token)
            && let Ok(claims) = auth.tokens().verify(token, chrono::Utc::now())
        {
            return UserKey::User(claims.sub.0);
        }
        UserKey::Credential(pt_protocol::fnv1a64(&[bearer]))
    }

    /// Spends one of `key`'s per-user requests (a WebSocket command counts
    /// like a REST request, in the same bucket), or says how long to wait.
    pub fn check_user(&self, key: &UserKey) -> Result<(), Duration> {
        match &self.user {
            Some(user) => user.check(key.clone()),
            None => Ok(()),
        }
    }

    /// The address a request is counted against, if it has one.
    fn client(&self, req: &Request) -> Option<IpAddr> {
        if self.trust_forwarded_for
            && let Some(ip) = last_forwarded_for(req)
        {
            return Some(bucket_key(ip));
        }
        req.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| bucket_key(peer.ip()))
    }
}

/// The right-most address of the last `X-Forwarded-For` header: the one our
/// proxy appended (everything left of it is whatever the client claimed).
fn last_forwarded_for(req: &Request) -> Option<IpAddr> {
    let value = req.headers().get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
    value.rsplit(',').next()?.trim().parse().ok()
}

/// IPv4 addresses count one by one. An IPv6 host usually owns a whole /64 and
/// can hop between its addresses at will, so the /64 is the client.
fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Middleware: counts the request against its client's limits, or answers 429.
///
/// A request without a peer address (an `app()` driven in-process, not by
/// [`crate::run`]) is not limited: there is nobody to attribute it to.
pub async fn rate_limit(State(limiters): State<Arc<RateLimiters>>, mut req: Request, next: Next) -> Response {
    // Inside nested routers the URI is stripped of its prefix; the original is whole.
    let path = req.extensions().get::<OriginalUri>().map(|u| u.0.path()).unwrap_or(req.uri().path());
    if EXEMPT.contains(&path) {
        return next.run(req).await;
    }
    let is_auth = path == AUTH_PREFIX || path.strip_prefix(AUTH_PREFIX).is_some_and(|rest| rest.starts_with('/'));
    if let Some(ip) = limiters.client(&req) {
        req.extensions_mut().insert(ClientIp(ip));
        let auth = if is_auth { limiters.auth.as_ref() } else { None };
        for limiter in auth.into_iter().chain(limiters.api.as_ref()) {
            if let Err(wait) = limiter.check(ip) {
                tracing::debug!(client = %ip, scope = limiter.scope, ?wait, "rate limited");
                return too_many_requests(limiter.scope, wait);
            }
        }
    }
    // The user's own bucket, from wherever they connect (see `user_key`).
    if let Some(bearer) = req.headers().get(header::AUTHORIZATION)
        && let Err(wait) = limiters.check_user(&limiters.user_key(bearer.as_bytes()))
    {
        tracing::debug!(scope = "user", ?wait, "rate limited");
        return too_many_requests("user", wait);
    }
    next.run(req).await
}

/// `rate_limited` with `retryAfterSeconds` and the `scope` whose limit was hit:
/// the body of a REST `429`, and a refused WebSocket command's error.
pub fn rate_limited(scope: &str, wait: Duration) -> ApiError {
    let secs = retry_after_secs(wait);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        format!("too many requests; retry in {secs} s"),
    )
    .with_details(json!({ "retryAfterSeconds": secs, "scope": scope }))
}

/// The client address a request was counted against (login throttling
/// reads it); set by [`rate_limit`].
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

/// Whole seconds to wait, rounded up, at least 1 (`Retry-After: 0` invites a hot loop).
fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

fn too_many_requests(scope: &str, wait: Duration) -> Response {
    let mut res = rate_limited(scope, wait).into_response();
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs(wait)));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(20)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1_001)), 2);
        assert_eq!(retry_after_secs(Duration::from_secs(12)), 12);
    }

    #[test]
    fn ipv6_clients_are_their_64_and_mapped_ipv4_is_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(bucket_key(a), bucket_key(b));
        assert_ne!(bucket_key(a), bucket_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(bucket_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn limits_allow_the_burst_then_refuse() {
        let l = Limiter::new("test", RateLimit::per_minute(1, 3));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(ip).is_ok());
        }
        let wait = l.check(ip).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        assert!(l.check("192.0.2.2".parse().unwrap()).is_ok(), "another client has its own bucket");
    }

    #[test]
    fn rate_constructors() {
        assert_eq!(RateLimit::per_second(50, 100).period, Duration::from_millis(20));
        assert_eq!(RateLimit::per_minute(5, 10).period, Duration::from_secs(12));
        assert_eq!(RateLimit::per_second(0, 1).period, Duration::from_secs(1));
    }

    #[test]
    fn origins_are_checked() {
        assert_eq!(parse_origin("https://studio.example/").unwrap(), "https://studio.example");
        assert_eq!(parse_origin("http://localhost:5173").unwrap(), "http://localhost:5173");
        assert!(parse_origin("studio.example").is_err());
        assert!(parse_origin("https://studio.example/app").is_err());
        assert!(parse_origin("https://*.example").is_err());
        assert!(parse_origin("https://").is_err());
    }
}
