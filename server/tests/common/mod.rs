//! Test harness: a real pt-server on a free port over a fresh PostgreSQL
//! database, and an HTTP client with envelope helpers.
#![allow(dead_code)]

use pt_actors::store::Store;
use pt_actors::store::postgres::PgStore;
use pt_actors::store::postgres::testing::{TestDb, fresh_db};
use pt_actors::{EngineConfig, Registry};
use pt_server::edge::{EdgeConfig, RateLimit};
use pt_server::{AppState, run};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestServer {
    pub base: String,
    pub registry: Arc<Registry>,
    pub client: reqwest::Client,
    pub db_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestServer {
    /// A server over a fresh database.
    pub async fn start() -> (TestServer, TestDb) {
        let db = fresh_db().await;
        let server = Self::start_on(&db.url, EngineConfig::default()).await;
        (server, db)
    }

    /// A server over a fresh database with these edge limits and origins.
    pub async fn start_with(edge: EdgeConfig) -> (TestServer, TestDb) {
        let db = fresh_db().await;
        let server = Self::start_on_with(&db.url, EngineConfig::default(), edge).await;
        (server, db)
    }

    /// A server over an existing database (e.g. to restart on the same data).
    pub async fn start_on(url: &str, config: EngineConfig) -> TestServer {
        Self::start_on_with(url, config, generous_edge()).await
    }

    pub async fn start_on_with(url: &str, config: EngineConfig, edge: EdgeConfig) -> TestServer {
        let store = PgStore::connect(url, 8).await.expect("connect");
        store.migrate().await.expect("migrate");
        let store: Arc<dyn Store> = Arc::new(store);
        let registry = Arc::new(Registry::new(store.clone(), config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let mut state = AppState::new(registry.clone(), store);
        state.edge = edge;
        let task = tokio::spawn(run(listener, state, async {
            let _ = rx.await;
        }));
        TestServer { base, registry, client: client(), db_url: url.to_string(), shutdown: Some(tx), task: Some(task) }
    }

    /// Graceful shutdown: stop accepting, flush, return.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap().unwrap();
        }
    }

    pub fn api(&self) -> Api {
        Api { base: format!("{}/api/v1", self.base), client: self.client.clone(), tenant: None }
    }

    pub async fn sql(&self) -> tokio_postgres::Client {
        let (c, conn) = tokio_postgres::connect(&self.db_url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(async move {
            let _ = conn.await;
        });
        c
    }
}

/// The production edge, with limits no test reaches by accident: every test
/// client is 127.0.0.1, and some open hundreds of connections at once.
pub fn generous_edge() -> EdgeConfig {
    let limit = Some(RateLimit::per_second(1_000_000, 1_000_000));
    EdgeConfig { api_limit: limit, auth_limit: limit, ..EdgeConfig::default() }
}

/// The same limits for the `pt-server` binary.
const GENEROUS_EDGE_ENV: [(&str, &str); 4] = [
    ("PT_RATE_LIMIT_PER_SECOND", "1000000"),
    ("PT_RATE_LIMIT_BURST", "1000000"),
    ("PT_AUTH_RATE_LIMIT_PER_MINUTE", "1000000"),
    ("PT_AUTH_RATE_LIMIT_BURST", "1000000"),
];

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(64).timeout(Duration::from_secs(30)).build().unwrap()
}

/// An API client bound to one tenant (or the demo tenant).
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub client: reqwest::Client,
    pub tenant: Option<String>,
}

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Resp {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }
}

impl Api {
    pub fn for_tenant(&self, tenant: &str) -> Api {
        Api { tenant: Some(tenant.to_string()), ..self.clone() }
    }

    pub fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.tenant {
            r = r.header("x-tenant-id", t);
        }
        r
    }

    pub async fn send(&self, r: reqwest::RequestBuilder) -> Resp {
        let res = r.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Resp { status, body, headers }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.req(Method::GET, path)).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(self.req(Method::POST, path).json(&body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(self.req(Method::PATCH, path).json(&body)).await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        self.send(self.req(Method::DELETE, path)).await
    }

    pub async fn artist(&self, name: &str) -> String {
        let r = self.post("/artists", json!({ "name": name, "skills": ["compositing"] })).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.data()["id"].as_str().unwrap().to_string()
    }

    pub async fn book(&self, artist: &str, start: &str, end: &str, status: &str) -> Resp {
        self.post(
            "/bookings",
            json!({ "artistId": artist, "title": "Shot 010", "startTime": start, "endTime": end, "status": status }),
        )
        .await
    }
}

/// Polls `f` until it returns Some or the timeout passes.
pub async fn eventually<T, F: std::future::Future<Output = Option<T>>>(
    timeout: Duration,
    mut f: impl FnMut() -> F,
) -> T {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < deadline, "condition not met within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Starts the real `pt-server` binary on a free port with `args` (and `envs`);
/// returns it and its base URL. Its log keeps being drained so it never blocks.
pub async fn spawn_server_with(args: &[String], envs: &[(&str, &str)]) -> (tokio::process::Child, String) {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_pt-server"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .envs(GENEROUS_EDGE_ENV)
        .envs(envs.iter().copied())
        .env("PT_LOG", "info")
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn pt-server");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    let base = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(i) = line.find("listening on http://") {
                return line[i + "listening on ".len()..].split_whitespace().next().unwrap().to_string();
            }
            seen.push(line);
        }
        panic!("pt-server exited before listening:\n{}", seen.join("\n"));
    })
    .await
    .expect("pt-server did not start in time");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, base)
}

pub async fn spawn_server(args: &[String]) -> (tokio::process::Child, String) {
    spawn_server_with(args, &[]).await
}

/// Runs the binary to completion (for start-up failures): exit code and stderr.
pub async fn run_server_to_exit(args: &[String]) -> (Option<i32>, String) {
    let out = tokio::time::timeout(
        Duration::from_secs(30),
        tokio::process::Command::new(env!("CARGO_BIN_EXE_pt-server"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("DATABASE_URL")
            .output(),
    )
    .await
    .expect("pt-server should exit")
    .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A fresh temporary directory path (not created).
pub fn temp_dir(label: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("pt-{label}-{}", uuid::Uuid::now_v7().simple()))
}
pub mod wsclient;

/// A tiny deterministic generator for seeded, replayable tests (no `rand`).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}
