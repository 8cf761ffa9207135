//! Edge protection over real HTTP: per-IP rate limits (general, stricter for
//! `/api/v1/auth`, WebSockets counted once), CORS, and security headers.
//!
//! Limits here refill one request per minute, so a test's own requests never
//! earn new ones: no test waits out a limit except the one about `Retry-After`.

mod common;

use common::wsclient::{WsClient, next_frame, send_frame, ws_url};
use common::{Api, Resp, TestServer, client, spawn_server, temp_dir};
use pt_protocol::ws::{ClientFrame, ServerFrame};
use pt_server::edge::{EdgeConfig, RateLimit, parse_origin};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;

const SEC: Duration = Duration::from_secs(10);

/// `burst` requests, then one more per minute (never within a test).
fn limited(burst: u32) -> EdgeConfig {
    EdgeConfig {
        api_limit: Some(RateLimit::per_minute(1, burst)),
        auth_limit: Some(RateLimit::per_minute(1, 1_000)),
        ..EdgeConfig::default()
    }
}

fn unlimited() -> EdgeConfig {
    common::generous_edge()
}

/// A client whose connections come from `ip` (any 127.x.y.z is loopback on Linux).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder().local_address(ip.parse::<std::net::IpAddr>().unwrap()).timeout(SEC).build().unwrap()
}

fn api_with(server: &TestServer, client: reqwest::Client) -> Api {
    Api { base: format!("{}/api/v1", server.base), client, token: Some(server.owner_token.clone()) }
}

fn assert_rate_limited(r: &Resp) -> u64 {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{:?}", r.body);
    assert_eq!(r.code(), "rate_limited");
    let secs: u64 = r.headers["retry-after"].to_str().unwrap().parse().expect("Retry-After is whole seconds");
    assert!(secs >= 1);
    assert_eq!(r.message(), format!("too many requests; retry in {secs} s"));
    assert_eq!(r.body["error"]["details"]["retryAfterSeconds"], secs);
    secs
}

#[tokio::test]
async fn a_burst_beyond_the_limit_gets_429_with_retry_after_and_the_envelope() {
    let (server, _db) = TestServer::start_with(limited(5)).await;
    let api = server.api();
    for i in 0..5 {
        assert_eq!(api.get("/artists").await.status, 200, "request {i} is within the burst");
    }
    let r = api.get("/artists").await;
    let secs = assert_rate_limited(&r);
    assert!((50..=60).contains(&secs), "one request per minute comes back: {secs}");
    assert_eq!(r.body["error"]["details"]["scope"], "api");
    // Writes, unknown routes and the OpenAPI document count too.
    assert_rate_limited(&api.post("/artists", json!({ "name": "Late" })).await);
    assert_rate_limited(&api.get("/no-such-route").await);
    assert_rate_limited(&api.get("/openapi.json").await);
    assert_rate_limited(&api.send(server.client.get(format!("{}/favicon.ico", server.base))).await);
    server.stop().await;
}

#[tokio::test]
async fn retry_after_is_honest() {
    let (server, _db) =
        TestServer::start_with(EdgeConfig { api_limit: Some(RateLimit::per_second(1, 1)), ..EdgeConfig::default() })
            .await;
    let api = server.api();
    assert_eq!(api.get("/artists").await.status, 200);
    let secs = assert_rate_limited(&api.get("/artists").await);
    assert_eq!(secs, 1);
    // The one wait in this file: the test is about what Retry-After promises.
    tokio::time::sleep(Duration::from_secs(secs)).await;
    assert_eq!(api.get("/artists").await.status, 200, "after Retry-After seconds the client is welcome again");
    server.stop().await;
}

#[tokio::test]
async fn health_endpoints_are_never_limited() {
    let (server, _db) = TestServer::start_with(limited(2)).await;
    let api = server.api();
    while api.get("/artists").await.status != 429 {}
    for _ in 0..30 {
        for path in ["/healthz", "/readyz"] {
            let r = server.client.get(format!("{}{path}", server.base)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path} while the client is limited");
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn x_forwarded_for_is_not_trusted_by_default() {
    let (server, _db) = TestServer::start_with(limited(3)).await;
    let api = server.api();
    let mut statuses = Vec::new();
    for i in 0..8 {
        let spoofed = format!("203.0.113.{i}, 198.51.100.{i}");
        let r = api.send(api.req(Method::GET, "/artists").header("x-forwarded-for", spoofed)).await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429, 429, 429], "a new X-Forwarded-For per request changes nothing");
    server.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let (server, _db) = TestServer::start_with(EdgeConfig { trust_forwarded_for: true, ..limited(2) }).await;
    let api = server.api();
    let get_as = |client_ip: &'static str| {
        let api = api.clone();
        // The client claims an address; the proxy appends the real one last.
        async move {
            api.send(api.req(Method::GET, "/artists").header("x-forwarded-for", format!("10.9.9.9, {client_ip}")))
                .await
                .status
        }
    };
    assert_eq!(get_as("203.0.113.1").await, 200);
    assert_eq!(get_as("203.0.113.1").await, 200);
    assert_eq!(get_as("203.0.113.1").await, 429);
    assert_eq!(get_as("203.0.113.2").await, 200, "another client behind the same proxy has its own allowance");
    server.stop().await;
}

#[tokio::test]
async fn another_client_address_is_unaffected() {
    let (server, _db) = TestServer::start_with(limited(3)).await;
    let noisy = api_with(&server, client_from("127.0.0.1"));
    let quiet = api_with(&server, client_from("127.0.0.2"));
    while noisy.get("/artists").await.status != 429 {}
    for _ in 0..3 {
        assert_eq!(quiet.get("/artists").await.status, 200, "127.0.0.2 has its own bucket");
    }
    assert_rate_limited(&quiet.get("/artists").await);
    assert_rate_limited(&noisy.get("/artists").await);
    server.stop().await;
}

#[tokio::test]
async fn authentication_paths_have_a_stricter_limit() {
    let (server, _db) = TestServer::start_with(EdgeConfig {
        api_limit: Some(RateLimit::per_minute(1, 1_000)),
        auth_limit: Some(RateLimit::per_minute(5, 3)),
        ..EdgeConfig::default()
    })
    .await;
    let api = server.api();
    // Any path under the prefix counts, even one without a route (404).
    let guess = json!({ "email": "a@b.example", "password": "guess" });
    for _ in 0..3 {
        let r = api.post("/auth/no-such-route", guess.clone()).await;
        assert_eq!(r.status, 404, "{:?}", r.body);
    }
    let r = api.post("/auth/login", guess).await;
    let secs = assert_rate_limited(&r);
    assert!((10..=12).contains(&secs), "5 per minute: one every 12 s, got {secs}");
    assert_eq!(r.body["error"]["details"]["scope"], "auth");
    assert_rate_limited(&api.get("/auth").await);
    assert_rate_limited(&api.get("/auth/tokens/refresh").await);
    // The rest of the API is not affected, including look-alike paths.
    assert_eq!(api.get("/artists").await.status, 200);
    assert_eq!(api.get("/authors").await.status, 404);
    server.stop().await;
}

#[tokio::test]
async fn a_websocket_counts_once_for_its_whole_life() {
    let (server, _db) = TestServer::start_with(limited(3)).await;
    let mut ws = WsClient::connect(&server.base, &server.owner_token, None).await;
    for nonce in 0..20 {
        ws.send(&ClientFrame::Ping { nonce }).await;
        assert_eq!(next_frame(&mut ws.socket, SEC).await, Some(ServerFrame::Pong { nonce }));
    }
    // The upgrade took one of three.
    let api = server.api();
    assert_eq!(api.get("/artists").await.status, 200);
    assert_eq!(api.get("/artists").await.status, 200);
    assert_rate_limited(&api.get("/artists").await);
    // A new upgrade is refused like any request …
    match tokio_tungstenite::connect_async(ws_url(&server.base)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
            assert_eq!(res.status(), 429);
            assert!(res.headers().contains_key("retry-after"));
        }
        other => panic!("expected 429 for the upgrade, got {:?}", other.map(|(_, r)| r.status())),
    }
    // … while the open socket keeps working.
    send_frame(&mut ws.socket, &ClientFrame::Ping { nonce: 99 }).await;
    assert_eq!(next_frame(&mut ws.socket, SEC).await, Some(ServerFrame::Pong { nonce: 99 }));
    server.stop().await;
}

#[tokio::test]
async fn cors_is_off_by_default() {
    let (server, _db) = TestServer::start_with(unlimited()).await;
    let api = server.api();
    let r = api.send(api.req(Method::GET, "/artists").header("origin", "https://evil.example")).await;
    assert_eq!(r.status, 200);
    assert!(!r.headers.contains_key("access-control-allow-origin"), "{:?}", r.headers);
    let preflight = api
        .send(
            api.req(Method::OPTIONS, "/artists")
                .header("origin", "https://evil.example")
                .header("access-control-request-method", "POST"),
        )
        .await;
    assert!(
        preflight.headers.keys().all(|h| !h.as_str().starts_with("access-control-")),
        "no CORS headers at all: {:?}",
        preflight.headers
    );
    server.stop().await;
}

#[tokio::test]
async fn a_configured_origin_is_allowed_and_its_preflight_answered() {
    let allowed = "https://studio.example";
    let (server, _db) = TestServer::start_with(EdgeConfig {
        cors_origins: vec![parse_origin(allowed).unwrap(), parse_origin("http://localhost:5173").unwrap()],
        ..unlimited()
    })
    .await;
    let api = server.api();

    let preflight = api
        .send(
            api.req(Method::OPTIONS, "/bookings/0190a0f0-0000-7000-8000-000000000000")
                .header("origin", allowed)
                .header("access-control-request-method", "PATCH")
                .header("access-control-request-headers", "content-type,idempotency-key,authorization"),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    let h = |name: &str| preflight.headers.get(name).map(|v| v.to_str().unwrap().to_ascii_lowercase());
    assert_eq!(h("access-control-allow-origin").as_deref(), Some(allowed));
    let methods = h("access-control-allow-methods").unwrap();
    for m in ["get", "post", "patch", "delete"] {
        assert!(methods.contains(m), "{m} in {methods}");
    }
    let headers = h("access-control-allow-headers").unwrap();
    for name in ["content-type", "authorization", "idempotency-key"] {
        assert!(headers.contains(name), "{name} in {headers}");
    }

    let r = api.send(api.req(Method::GET, "/artists").header("origin", allowed)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["access-control-allow-origin"], allowed);
    let exposed = r.headers["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    for name in ["x-seq", "retry-after", "idempotent-replayed"] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }
    assert!(r.headers.get_all("vary").iter().any(|v| v.to_str().unwrap().to_ascii_lowercase().contains("origin")));

    // Another origin on the same server gets nothing.
    let r = api.send(api.req(Method::GET, "/artists").header("origin", "https://studio.example.evil.test")).await;
    assert!(!r.headers.contains_key("access-control-allow-origin"));
    let preflight = api
        .send(
            api.req(Method::OPTIONS, "/artists")
                .header("origin", "https://evil.example")
                .header("access-control-request-method", "DELETE"),
        )
        .await;
    assert!(!preflight.headers.contains_key("access-control-allow-origin"));
    server.stop().await;
}

#[tokio::test]
async fn a_browser_can_read_a_429_from_an_allowed_origin() {
    let allowed = "https://studio.example";
    let (server, _db) =
        TestServer::start_with(EdgeConfig { cors_origins: vec![parse_origin(allowed).unwrap()], ..limited(1) }).await;
    let api = server.api();
    let get = || api.send(api.req(Method::GET, "/artists").header("origin", allowed));
    assert_eq!(get().await.status, 200);
    let r = get().await;
    assert_rate_limited(&r);
    assert_eq!(r.headers["access-control-allow-origin"], allowed);
    // Preflights are answered before the limiter: they do not fail or count.
    let preflight = api
        .send(
            api.req(Method::OPTIONS, "/artists")
                .header("origin", allowed)
                .header("access-control-request-method", "POST"),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    server.stop().await;
}

const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("content-security-policy", "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'"),
    ("cross-origin-opener-policy", "same-origin"),
];

fn assert_security_headers(what: &str, r: &Resp) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(r.headers.get(name).map(|v| v.to_str().unwrap()), Some(value), "{name} on {what} ({})", r.status);
    }
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let (server, _db) = TestServer::start_with(limited(6)).await;
    let api = server.api();
    let health = api.send(server.client.get(format!("{}/healthz", server.base))).await;
    assert_eq!(health.status, 200);
    assert_security_headers("healthz", &health);

    let ok = api.get("/artists").await;
    assert_eq!(ok.status, 200);
    assert_security_headers("a success", &ok);

    let invalid = api.post("/artists", json!({ "name": "" })).await;
    assert_eq!(invalid.status, 400, "{:?}", invalid.body);
    assert_security_headers("a validation error", &invalid);

    let missing = api.get("/artists/0190a0f0-0000-7000-8000-000000000000").await;
    assert_eq!(missing.status, 404);
    assert_security_headers("an unknown id", &missing);

    let no_route = api.send(server.client.get(format!("{}/nowhere", server.base))).await;
    assert_eq!(no_route.status, 404);
    assert_security_headers("an unknown route", &no_route);

    let big = api.send(
        api.req(Method::POST, "/artists")
            .header("content-type", "application/json")
            .body(format!(r#"{{"name":"{}"}}"#, "x".repeat(pt_server::MAX_BODY_BYTES + 1))),
    );
    let big = big.await;
    assert_eq!(big.status, 413, "the 64 KiB body limit stays");
    assert_security_headers("a too-large body", &big);

    while api.get("/artists").await.status != 429 {}
    assert_security_headers("a 429", &api.get("/artists").await);
    server.stop().await;
}

/// The flags reach the server: the real binary with a tight limit and an origin.
#[tokio::test]
async fn the_binary_takes_its_limits_and_origins_from_flags() {
    let dir = temp_dir("edge");
    let args: Vec<String> = [
        "--data-dir",
        &dir.display().to_string(),
        "--rate-limit-per-second",
        "1",
        "--rate-limit-burst",
        "2",
        "--cors-origin",
        "https://studio.example/",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (_child, base) = spawn_server(&args).await;
    let c = client();
    let get = || c.get(format!("{base}/api/v1/openapi.json")).header("origin", "https://studio.example").send();
    let first = get().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["access-control-allow-origin"], "https://studio.example");
    assert_eq!(get().await.unwrap().status(), 200);
    // One more comes back each second: within a few quick requests one is refused.
    let mut refused = false;
    for _ in 0..5 {
        refused |= get().await.unwrap().status() == 429;
    }
    assert!(refused, "--rate-limit-burst 2 at 1/s refuses a quick burst");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn one_token_has_one_bucket_whatever_address_it_comes_from() {
    let (server, _db) = TestServer::start_with(EdgeConfig {
        api_limit: Some(RateLimit::per_minute(1, 1_000)),
        user_limit: Some(RateLimit::per_minute(1, 3)),
        ..EdgeConfig::default()
    })
    .await;
    let from = |ip: &str| api_with(&server, client_from(ip));
    // Three requests with one token from three addresses use its whole burst…
    for (i, ip) in ["127.0.0.2", "127.0.0.3", "127.0.0.4"].into_iter().enumerate() {
        assert_eq!(from(ip).get("/artists").await.status, 200, "request {i}");
    }
    let r = from("127.0.0.5").get("/artists").await;
    assert_rate_limited(&r);
    // …while another credential from the same address is not affected.
    let other = server.studio("Neighbour").await;
    let other = Api { client: client_from("127.0.0.5"), ..other };
    assert_eq!(other.get("/artists").await.status, 200);
}

#[tokio::test]
async fn all_of_a_users_sign_ins_share_one_bucket() {
    let (server, _db) = TestServer::start_with(EdgeConfig {
        api_limit: Some(RateLimit::per_minute(1, 1_000)),
        user_limit: Some(RateLimit::per_minute(1, 3)),
        ..EdgeConfig::default()
    })
    .await;
    let (first, email) = common::signup_as(&server.anonymous(), "Buckets", "buckets").await;
    // Two more sign-ins: three access tokens of one user, from three addresses.
    let second = common::login_at(&server.base, &email, common::TEST_PASSWORD).await;
    let third = common::login_at(&server.base, &email, common::TEST_PASSWORD).await;
    assert_ne!(first.token(), second.token());
    for (i, api) in [&first, &first, &second].into_iter().enumerate() {
        assert_eq!(Api { client: client_from("127.0.0.6"), ..api.clone() }.get("/artists").await.status, 200, "{i}");
    }
    // The user's burst is spent, whichever token and address they use next…
    assert_rate_limited(&Api { client: client_from("127.0.0.7"), ..third }.get("/artists").await);
    // …but not someone else's.
    let other = server.studio("Elsewhere").await;
    assert_eq!(Api { client: client_from("127.0.0.7"), ..other }.get("/artists").await.status, 200);
}

#[tokio::test]
async fn websocket_commands_spend_the_same_per_user_bucket() {
    use common::wsclient::WsClient;
    use pt_protocol::ws::{Command, ServerFrame};
    let (server, _db) = TestServer::start_with(EdgeConfig {
        api_limit: Some(RateLimit::per_minute(1, 1_000)),
        user_limit: Some(RateLimit::per_minute(1, 3)),
        ..EdgeConfig::default()
    })
    .await;
    let mut ws = WsClient::connect(&server.base, &server.owner_token, None).await;
    let mut answers = Vec::new();
    for i in 0..4 {
        let cmd_id = pt_protocol::CmdId::new();
        let artist = pt_protocol::NewArtist {
            name: format!("Artist {i}"),
            email: None,
            skills: vec![],
            timezone: None,
            active: None,
        };
        ws.command(cmd_id, Command::CreateArtist { artist }).await;
        ws.until(SEC, |c| c.answers.contains_key(&cmd_id)).await;
        answers.push(ws.answers[&cmd_id].clone());
    }
    assert!(answers[..3].iter().all(|a| matches!(a, ServerFrame::Accepted { .. })), "{answers:?}");
    let ServerFrame::Rejected { error, .. } = &answers[3] else { panic!("{:?}", answers[3]) };
    assert_eq!(error.code, pt_protocol::ErrorCode::RateLimited);
    assert!(error.details.as_ref().unwrap()["retryAfterSeconds"].as_u64().unwrap() >= 1);
    // The same bucket as REST: the user's next request waits too.
    assert_rate_limited(&api_with(&server, client_from("127.0.0.8")).get("/artists").await);
}
