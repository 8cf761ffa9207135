//! One webhook call: checked target (see [`super::ssrf`]), pinned to the
//! address that was checked, signed (see [`super::signing`]), with a timeout
//! and no redirects. Any 2xx answer is a delivery; anything else is a
//! failure to retry, except a refused target, which is final.

use super::{signing, ssrf};
use std::time::Duration;

/// How webhooks are called (`--webhook-allow-private`, `--webhook-timeout-secs`).
#[derive(Clone, Copy, Debug)]
pub struct WebhookSender {
    pub allow_private: bool,
    pub timeout: Duration,
}

/// A call that did not deliver.
#[derive(Debug)]
pub struct CallError {
    pub message: String,
    pub status: Option<u16>,
    /// Trying again cannot help (the target is refused or the URL is bad).
    pub permanent: bool,
}

impl CallError {
    fn permanent(message: String) -> Self {
        Self { message, status: None, permanent: true }
    }
}

impl WebhookSender {
    /// POSTs `body` to `url`, signed with `secret`; the status on success.
    pub async fn call(&self, url: &str, secret: &str, delivery: uuid::Uuid, body: &[u8]) -> Result<u16, CallError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| CallError::permanent(format!("bad URL: {e}")))?;
        let (host, port) = ssrf::target(&parsed).map_err(CallError::permanent)?;
        let addr = ssrf::resolve(&host, port, self.allow_private).await.map_err(|m| CallError {
            permanent: m.starts_with("refused"),
            message: m,
            status: None,
        })?;
        let client = reqwest::Client::builder()
            .resolve(&host, addr)
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| CallError::permanent(format!("cannot build the HTTP client: {e}")))?;
        let now = chrono::Utc::now().timestamp();
        let res = client
            .post(parsed)
            .header("content-type", "application/json")
            .header("user-agent", "production-tool-webhooks/1")
            .header("x-pt-delivery", delivery.to_string())
            .header("x-pt-signature", signing::sign(secret, now, body))
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| CallError { message: format!("no answer: {e}"), status: None, permanent: false })?;
        let status = res.status().as_u16();
        if res.status().is_success() {
            Ok(status)
        } else {
            Err(CallError { message: format!("answered {status}"), status: Some(status), permanent: false })
        }
    }
}
