//! Studios, artists and credentials: the one module that knows how the harness
//! gets an identity on the server.
//!
//! A studio is made by `POST /api/v1/auth/signup` (a fresh owner with a random
//! password); the owner's access token then goes in `Authorization: Bearer …`
//! on REST and in the WebSocket `hello`. Every scheduler of a studio uses its
//! owner's token (a run lasts minutes; access tokens live 15).

use anyhow::{Context, bail};
use futures::{StreamExt, TryStreamExt};
use pt_protocol::ws::{ClientFrame, PROTOCOL_VERSION};
use pt_protocol::{ArtistId, TenantId};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// One studio of the run.
#[derive(Clone, Debug)]
pub struct Studio {
    pub name: String,
    pub tenant: TenantId,
    /// The owner's access token.
    token: String,
}

impl Studio {
    /// The first frame of every connection of this studio.
    pub fn hello(&self) -> ClientFrame {
        ClientFrame::Hello { protocol_version: PROTOCOL_VERSION, token: self.token.clone(), resume_from_seq: None }
    }

    /// Adds this studio's credential to a REST request.
    pub fn authorize(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        req.bearer_auth(&self.token)
    }
}

/// An HTTP client for setup requests.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(32)
        .build()
        .expect("an HTTP client without TLS always builds")
}

fn random_hex(bytes: usize) -> String {
    let mut s = String::new();
    while s.len() < bytes * 2 {
        s.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    s.truncate(bytes * 2);
    s
}

/// Sends a setup request, waiting out `429 rate_limited` (a server started
/// without relaxed limits) for up to a minute.
async fn send(make: impl Fn() -> reqwest::RequestBuilder) -> anyhow::Result<(StatusCode, Value)> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let resp = make().send().await.context("request to the server failed")?;
        let status = resp.status();
        if status == StatusCode::TOO_MANY_REQUESTS && tokio::time::Instant::now() < deadline {
            let wait = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(1);
            let body = resp.text().await.unwrap_or_default();
            eprintln!(
                "rate limited during setup, waiting {wait} s (turn the server's rate limits off for load tests): {body}"
            );
            tokio::time::sleep(Duration::from_secs(wait.clamp(1, 10))).await;
            continue;
        }
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        return Ok((status, body));
    }
}

/// Creates one studio with an owner and returns it with the owner's token.
pub async fn create_studio(http: &reqwest::Client, base: &str, name: &str) -> anyhow::Result<Studio> {
    let email = format!("owner-{}@example.com", random_hex(6));
    let body = json!({
        "studioName": name,
        "email": email,
        "password": format!("loadtest-pass-{}", random_hex(12)),
        "displayName": format!("Owner {}", random_hex(3)),
    });
    let url = format!("{base}/api/v1/auth/signup");
    let (status, reply) = send(|| http.post(&url).json(&body)).await?;
    match status {
        StatusCode::CREATED | StatusCode::OK => {
            let data = &reply["data"];
            let token = data["accessToken"].as_str().context("sign-up answer without data.accessToken")?;
            let tenant = data["tenant"]["id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .context("sign-up answer without data.tenant.id")?;
            Ok(Studio { name: name.to_string(), tenant, token: token.to_string() })
        }
        StatusCode::NOT_FOUND => bail!("{url} answered 404: this server has no sign-up (too old for this harness)"),
        other => bail!("sign-up of studio {name} answered {other}: {reply}"),
    }
}

/// Creates `n` artists in the studio over REST (a few at a time).
pub async fn create_artists(
    http: &reqwest::Client,
    base: &str,
    studio: &Studio,
    n: usize,
) -> anyhow::Result<Vec<ArtistId>> {
    const SKILLS: [&str; 6] = ["compositing", "animation", "rigging", "lighting", "modeling", "fx"];
    let url = format!("{base}/api/v1/artists");
    futures::stream::iter(0..n)
        .map(|i| {
            let url = url.clone();
            async move {
                let body = json!({ "name": format!("Artist {i:04}"), "skills": [SKILLS[i % SKILLS.len()]] });
                let (status, reply) = send(|| studio.authorize(http.post(&url)).json(&body)).await?;
                if status != StatusCode::CREATED {
                    bail!("creating an artist in {} answered {status}: {reply}", studio.name);
                }
                reply["data"]["id"]
                    .as_str()
                    .and_then(|s| s.parse::<ArtistId>().ok())
                    .context("artist answer without data.id")
            }
        })
        .buffered(16)
        .try_collect()
        .await
}
