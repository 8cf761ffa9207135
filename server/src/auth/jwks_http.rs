//! Fetching an OIDC provider's key set (`…/.well-known/jwks.json`) over
//! `https://` or `http://`, with reqwest on rustls.

use super::oidc::JwksFetcher;
use futures::future::BoxFuture;
use std::sync::OnceLock;
use std::time::Duration;

/// Longest a key-set fetch may take, connection included.
pub const JWKS_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest key set read (real ones are a few KiB).
pub const MAX_JWKS_BYTES: usize = 1 << 20;

/// The HTTP client of [`JwksFetcher`]: one connection pool, reused by every
/// re-read. Built on first use, so a key set read from a file never needs the
/// TLS setup (the system's trusted certificates).
#[derive(Default)]
pub struct HttpJwks {
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl HttpJwks {
    pub fn new() -> Self {
        Self::default()
    }

    fn client(&self) -> Result<&reqwest::Client, String> {
        let built = self.client.get_or_init(|| {
            reqwest::Client::builder()
                .timeout(JWKS_TIMEOUT)
                .connect_timeout(JWKS_TIMEOUT / 2)
                .user_agent(concat!("production-tool/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| format!("cannot set up the HTTP client: {e}"))
        });
        built.as_ref().map_err(Clone::clone)
    }

    /// The document at `url`, if it answers `200` within [`JWKS_TIMEOUT`] and
    /// [`MAX_JWKS_BYTES`].
    pub async fn get(&self, url: &str) -> Result<String, String> {
        let fail = |e: &dyn std::fmt::Display| format!("JWKS URL {url}: {e}");
        let mut response = self
            .client()
            .map_err(|e| fail(&e))?
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| fail(&e))?;
        if !response.status().is_success() {
            return Err(fail(&format!("HTTP {}", response.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| fail(&e))? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(fail(&format!("larger than {MAX_JWKS_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).map_err(|e| fail(&e))
    }
}

impl JwksFetcher for HttpJwks {
    fn fetch<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(self.get(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::oidc::{Jwks, JwksSource};
    use axum::Router;
    use axum::http::StatusCode;
    use axum::routing::get;
    use jsonwebtoken::jwk::Jwk;
    use jsonwebtoken::{Algorithm, EncodingKey};

    /// A public EC key set, as a provider publishes it.
    fn jwks_json() -> String {
        use p256::pkcs8::EncodePrivateKey;
        let private = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let key = EncodingKey::from_ec_der(private.to_pkcs8_der().unwrap().as_bytes());
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::ES256).unwrap();
        jwk.common.key_id = Some("k1".into());
        serde_json::json!({ "keys": [jwk] }).to_string()
    }

    /// A real listener on a free port serving the key set, a 404 and an oversized body.
    async fn provider(jwks: String) -> String {
        let app = Router::new()
            .route("/.well-known/jwks.json", get(move || async move { jwks }))
            .route("/gone", get(|| async { StatusCode::NOT_FOUND }))
            .route("/huge", get(|| async { "x".repeat(MAX_JWKS_BYTES + 1) }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        base
    }

    #[tokio::test]
    async fn fetches_a_key_set_from_a_real_listener() {
        let jwks = jwks_json();
        let base = provider(jwks.clone()).await;
        let fetcher = HttpJwks::new();
        let url = format!("{base}/.well-known/jwks.json");
        assert_eq!(fetcher.get(&url).await.unwrap(), jwks);
        let loaded = Jwks::load(&JwksSource::Url(url), &fetcher).await.unwrap();
        assert_eq!(loaded.len(), 1);
    }

    #[tokio::test]
    async fn refuses_errors_oversized_bodies_and_closed_ports() {
        let base = provider(jwks_json()).await;
        let fetcher = HttpJwks::new();
        let e = fetcher.get(&format!("{base}/gone")).await.unwrap_err();
        assert!(e.contains("HTTP 404"), "{e}");
        let e = fetcher.get(&format!("{base}/huge")).await.unwrap_err();
        assert!(e.contains("larger than"), "{e}");
        // A port nobody listens on (bound, then released).
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap();
        assert!(fetcher.get(&format!("http://{closed}/jwks.json")).await.is_err());
    }
}
