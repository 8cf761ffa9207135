//! The web app at `/`: the scheduler board built from `client-ts/web`
//! (`npm run build:web` writes `client-ts/dist-web`, the default `--web-dir`).
//!
//! It is the router's fallback, so every API route wins. What it answers:
//! * `/api/…` (unknown API paths) and methods other than GET/HEAD: the usual
//!   JSON `not_found`, never the app's HTML;
//! * a file of the build: that file. `/assets/*` names are content-hashed, so
//!   they are cached for a year; everything else is revalidated (`no-cache`),
//!   so a new build shows up on the next load;
//! * any other path (a client-side route such as `/board`): `index.html`, so
//!   a reload or a shared link opens the app (SPA fallback). A missing asset is
//!   a 404, not HTML that a browser would try to run as a script;
//! * no build in the directory: a short page saying how to build it, so a
//!   fresh checkout's `cargo run` explains itself instead of showing nothing.
//!
//! The app loads only its own files and opens a WebSocket to this origin, which
//! the content security policy in [`crate::edge`] allows and nothing else.

use crate::routes;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::path::PathBuf;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// `--web-dir`'s default: where `npm run build:web` writes, relative to the repository root.
pub const DEFAULT_DIR: &str = "client-ts/dist-web";

/// Where the built app lives; `None`: none configured.
#[derive(Clone, Debug, Default)]
pub struct WebApp {
    dir: Option<PathBuf>,
}

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

impl WebApp {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    /// Answers a request no API route took.
    pub async fn serve(self, req: Request) -> Response {
        let path = req.uri().path();
        let is_api = path == "/api" || path.starts_with("/api/");
        if is_api || !(req.method() == Method::GET || req.method() == Method::HEAD) {
            return routes::not_found().await.into_response();
        }
        let Some(dir) = self.dir.filter(|d| d.join("index.html").is_file()) else {
            return not_built(DEFAULT_DIR).into_response();
        };
        let assets = path.starts_with("/assets/");
        let files = ServeDir::new(&dir);
        let res = if assets {
            files.oneshot(req).await.map(|r| r.map(Body::new))
        } else {
            files.fallback(ServeFile::new(dir.join("index.html"))).oneshot(req).await.map(|r| r.map(Body::new))
        };
        let mut res = match res {
            Ok(res) => res,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the web app's files");
                return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read the web app's files").into_response();
            }
        };
        if res.status().is_success() {
            res.headers_mut().insert(header::CACHE_CONTROL, if assets { IMMUTABLE } else { REVALIDATE });
        }
        res
    }
}

/// The page `/` shows when there is no build to serve.
fn not_built(default_dir: &str) -> (StatusCode, Html<String>) {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Production Tool: web app not built</title></head>\
         <body><h1>The web app is not built</h1>\
         <p>The API is up (<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>), but there is no scheduler board to serve.</p>\
         <p>Build it and reload this page:</p>\
         <pre>cd client-ts &amp;&amp; npm ci &amp;&amp; npm run build:web</pre>\
         <p>or run <code>scripts/demo.sh</code>, which builds it and starts the server. \
         The server looks in <code>--web-dir</code> (default <code>{default_dir}</code>, relative to where it was started).</p>\
         </body></html>"
    );
    (StatusCode::NOT_FOUND, Html(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request as HttpRequest;

    fn get(path: &str) -> Request {
        HttpRequest::get(path).body(Body::empty()).unwrap()
    }

    async fn text(res: Response) -> String {
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn build() -> tempdir::Dir {
        let dir = tempdir::Dir::new();
        std::fs::create_dir_all(dir.0.join("assets")).unwrap();
        std::fs::write(dir.0.join("index.html"), "<!doctype html><title>board</title>").unwrap();
        std::fs::write(dir.0.join("assets/app-1234.js"), "console.log(1)").unwrap();
        dir
    }

    /// A throw-away directory (no extra dependency for one test).
    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                let p = std::env::temp_dir().join(format!("pt-web-test-{}", uuid::Uuid::now_v7()));
                std::fs::create_dir_all(&p).unwrap();
                Self(p)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    #[tokio::test]
    async fn serves_files_and_falls_back_to_index_html() {
        let dir = build();
        let web = WebApp::new(Some(dir.0.clone()));
        let res = web.clone().serve(get("/")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
        assert!(text(res).await.contains("board"));

        let res = web.clone().serve(get("/assets/app-1234.js")).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CACHE_CONTROL], IMMUTABLE);

        let res = web.clone().serve(get("/some/client/route")).await;
        assert_eq!(res.status(), StatusCode::OK, "SPA fallback");
        assert!(text(res).await.contains("board"));

        let res = web.clone().serve(get("/assets/missing.js")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "a missing asset is not HTML");
    }

    #[tokio::test]
    async fn api_paths_and_writes_stay_json_404s() {
        let dir = build();
        let web = WebApp::new(Some(dir.0.clone()));
        for req in [get("/api/v1/nope"), get("/api"), HttpRequest::post("/").body(Body::empty()).unwrap()] {
            let res = web.clone().serve(req).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND);
            assert!(text(res).await.contains("\"not_found\""));
        }
    }

    #[tokio::test]
    async fn without_a_build_the_page_says_how_to_make_one() {
        for web in [WebApp::new(None), WebApp::new(Some(std::env::temp_dir().join("pt-no-such-web-dir")))] {
            let res = web.serve(get("/")).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND);
            assert!(text(res).await.contains("npm run build:web"));
        }
    }
}
