//! The rendered API reference at `/api/docs`: Redoc's standalone bundle
//! (vendored under `server/assets/redoc/`, MIT, embedded in the binary)
//! reading `/api/v1/openapi.json`. Nothing is fetched from a CDN: the page,
//! the script and the document all come from this server.
//!
//! The page has no inline script: `server/assets/api-docs.js` imports the
//! bundle (an ES module) and starts it with telemetry off — Redoc 3 would
//! otherwise post usage traces to Redocly. Its content security policy is the
//! narrowest Redoc renders under (checked in headless Chromium: the reference
//! renders and the only violations are the two outside calls below), and
//! replaces the API's stricter default ([`crate::edge`] keeps a handler's own CSP):
//! * `script-src 'self'` — the two scripts, nothing inline, no `eval`;
//! * `style-src 'self' 'unsafe-inline'` — Redoc styles with styled-components,
//!   which writes `<style>` elements at run time;
//! * `font-src data:` and `img-src 'self' data:` — its icon font and icons are
//!   inline data URLs;
//! * `worker-src blob:` — its search index runs in a worker built from a blob;
//! * `connect-src 'self'` — it fetches the document from this origin; its
//!   "Redocly" logo from a CDN is blocked (Redoc then hides it).

use axum::Router;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Where the reference is served.
pub const PATH: &str = "/api/docs";
/// Where Redoc's bundle is served.
pub const SCRIPT_PATH: &str = "/api/docs/redoc.standalone.js";
/// Where the page's own script (it starts Redoc) is served.
pub const INIT_PATH: &str = "/api/docs/api-docs.js";

/// `redoc@3.0.1`'s `bundles/redoc.standalone.js`, unmodified.
static REDOC_JS: &[u8] = include_bytes!("../assets/redoc/redoc.standalone.js");
/// Starts Redoc on the page, with telemetry off.
static INIT_JS: &str = include_str!("../assets/api-docs.js");

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Production Tool API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="reference"></div>
<script type="module" src="/api/docs/api-docs.js"></script>
</body>
</html>
"#;

/// The CSP of the page and its script (see the module header for each part).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src data:; connect-src 'self'; worker-src blob:; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The two routes of the reference.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(PATH, get(page)).route(SCRIPT_PATH, get(script)).route(INIT_PATH, get(init))
}

async fn page() -> Response {
    with_headers(PAGE, "text/html; charset=utf-8", "no-cache")
}

async fn script() -> Response {
    // Not content-hashed: revalidate, so an upgraded bundle shows up at once.
    with_headers(REDOC_JS, "text/javascript; charset=utf-8", "no-cache")
}

async fn init() -> Response {
    with_headers(INIT_JS, "text/javascript; charset=utf-8", "no-cache")
}

fn with_headers(body: impl IntoResponse, content_type: &'static str, cache: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    res
}
