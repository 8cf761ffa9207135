//! Test harness: a real pt-server on a free port over a fresh PostgreSQL
//! database, and an HTTP client with envelope helpers.
#![allow(dead_code)]

use pt_actors::store::Store;
use pt_actors::store::auth::StudioRow;
use pt_actors::store::postgres::PgStore;
use pt_actors::store::postgres::testing::{TestDb, fresh_db};
use pt_actors::{EngineConfig, Registry};
use pt_protocol::DEMO_TENANT_ID;
use pt_server::auth::Role;
use pt_server::auth::password::PasswordHasher;
use pt_server::auth::service::{AuthService, LoginRequest};
use pt_server::auth::tokens::AccessTokens;
use pt_server::edge::{EdgeConfig, RateLimit};
use pt_server::studio::members::ensure_member;
use pt_server::{AppState, run};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The token-signing secret of every test server, in process and spawned, so
/// tokens stay valid across a restart on the same data.
pub const TEST_JWT_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";
/// Cheap argon2 for test servers (still argon2id).
pub const TEST_ARGON2_KIB: &str = "64";
pub const TEST_PASSWORD: &str = "correct-horse-battery-9";

pub fn test_auth(store: Arc<dyn Store>) -> AuthService {
    AuthService::new(store, AccessTokens::new("test", TEST_JWT_SECRET.as_bytes()).unwrap(), PasswordHasher::for_tests())
}

pub struct TestServer {
    pub base: String,
    pub registry: Arc<Registry>,
    pub auth: Arc<AuthService>,
    /// An access token of the owner of the default studio (`DEMO_TENANT_ID`).
    pub owner_token: String,
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
        Self::start_full(url, config, edge, None).await
    }

    /// A server over a fresh database that also accepts an OIDC provider's tokens.
    pub async fn start_with_oidc(oidc: pt_server::auth::oidc::OidcConfig) -> (TestServer, TestDb) {
        let db = fresh_db().await;
        let server = Self::start_full(&db.url, EngineConfig::default(), generous_edge(), Some(oidc)).await;
        (server, db)
    }

    pub async fn start_full(
        url: &str,
        config: EngineConfig,
        edge: EdgeConfig,
        oidc: Option<pt_server::auth::oidc::OidcConfig>,
    ) -> TestServer {
        let store = PgStore::connect(url, 8).await.expect("connect");
        store.migrate().await.expect("migrate");
        let store: Arc<dyn Store> = Arc::new(store);
        let registry = Arc::new(Registry::new(store.clone(), config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let mut auth = test_auth(store.clone());
        if let Some(oidc) = oidc {
            auth = auth.with_oidc(oidc).await.expect("OIDC keys load");
        }
        let auth = Arc::new(auth);
        let studio = StudioRow {
            id: DEMO_TENANT_ID,
            name: "Test Studio".into(),
            timezone: "UTC".into(),
            default_hold_minutes: 48 * 60,
            working_week: r#"{"days":[1,2,3,4,5],"start":"09:00","end":"18:00"}"#.into(),
            holidays: "[]".into(),
            created_at: pt_protocol::Timestamp::now(),
            challenge_hours: 24,
        };
        ensure_member(&auth, &studio, ("owner@test.studio", "Owner", TEST_PASSWORD), Role::StudioOwner, None)
            .await
            .expect("test owner");
        let login = LoginRequest { email: "owner@test.studio".into(), password: TEST_PASSWORD.into(), tenant_id: None };
        let owner_token = auth.login(login, "test", chrono::Utc::now()).await.expect("owner login").access_token;
        let mut state = AppState::with_auth(registry.clone(), store, auth.clone());
        state.edge = edge;
        let task = tokio::spawn(run(listener, state, async {
            let _ = rx.await;
        }));
        TestServer {
            base,
            registry,
            auth,
            owner_token,
            client: client(),
            db_url: url.to_string(),
            shutdown: Some(tx),
            task: Some(task),
        }
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

    /// The owner of the default studio.
    pub fn api(&self) -> Api {
        Api {
            base: format!("{}/api/v1", self.base),
            client: self.client.clone(),
            token: Some(self.owner_token.clone()),
        }
    }

    /// Nobody signed in.
    pub fn anonymous(&self) -> Api {
        Api { base: format!("{}/api/v1", self.base), client: self.client.clone(), token: None }
    }

    /// The owner of a new studio, signed up over HTTP.
    pub async fn studio(&self, name: &str) -> Api {
        signup(&self.anonymous(), name).await
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
    EdgeConfig { api_limit: limit, auth_limit: limit, user_limit: limit, ..EdgeConfig::default() }
}

/// The same limits for the `pt-server` binary, and the test secret and hashing.
const GENEROUS_EDGE_ENV: [(&str, &str); 7] = [
    ("PT_USER_RATE_LIMIT_PER_SECOND", "0"),
    ("PT_JWT_SECRET", TEST_JWT_SECRET),
    ("PT_ARGON2_MEMORY_KIB", TEST_ARGON2_KIB),
    ("PT_RATE_LIMIT_PER_SECOND", "1000000"),
    ("PT_RATE_LIMIT_BURST", "1000000"),
    ("PT_AUTH_RATE_LIMIT_PER_MINUTE", "1000000"),
    ("PT_AUTH_RATE_LIMIT_BURST", "1000000"),
];

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(64).timeout(Duration::from_secs(30)).build().unwrap()
}

/// An API client, signed in (with `token`) or not.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub client: reqwest::Client,
    pub token: Option<String>,
}

/// An anonymous client of the server at `base`.
pub fn anon_at(base: &str) -> Api {
    Api { base: format!("{base}/api/v1"), client: client(), token: None }
}

/// Signs in to the server at `base`.
pub async fn login_at(base: &str, email: &str, password: &str) -> Api {
    let anon = anon_at(base);
    let r = anon.post("/auth/login", json!({ "email": email, "password": password })).await;
    assert_eq!(r.status, 200, "login {email}: {:?}", r.body);
    anon.with_token(r.data()["accessToken"].as_str().unwrap())
}

/// Signs up a studio `name` with a fresh owner; the owner's client.
pub async fn signup(anonymous: &Api, name: &str) -> Api {
    signup_as(anonymous, name, "owner").await.0
}

/// Signs up a studio `name` whose owner's email starts with `who`; the
/// owner's client and that email (to sign in with again).
pub async fn signup_as(anonymous: &Api, name: &str, who: &str) -> (Api, String) {
    let email = format!("{who}-{}@example.com", uuid::Uuid::now_v7().simple());
    let r = anonymous
        .post(
            "/auth/signup",
            json!({ "studioName": name, "email": email, "password": TEST_PASSWORD, "displayName": "Owner" }),
        )
        .await;
    assert_eq!(r.status, 201, "signup: {:?}", r.body);
    (anonymous.with_token(r.data()["accessToken"].as_str().unwrap()), email)
}

/// Invites `email` into the owner's studio as `role` (a freelancer with
/// `artist`) and accepts; the member's client and their login answer.
pub async fn member(owner: &Api, role: &str, artist: Option<&str>) -> (Api, Value) {
    let email = format!("{role}-{}@example.com", uuid::Uuid::now_v7().simple());
    let r = owner.post("/studio/invitations", json!({ "email": email, "role": role, "artistId": artist })).await;
    assert_eq!(r.status, 201, "invite: {:?}", r.body);
    let token = r.data()["token"].as_str().unwrap().to_string();
    let anon = Api { token: None, ..owner.clone() };
    let r = anon
        .post(
            "/auth/accept-invitation",
            json!({ "token": token, "password": TEST_PASSWORD, "displayName": format!("A {role}") }),
        )
        .await;
    assert_eq!(r.status, 200, "accept: {:?}", r.body);
    (anon.with_token(r.data()["accessToken"].as_str().unwrap()), r.data().clone())
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
    /// The same sign-in against another server (e.g. after a restart).
    pub fn at(&self, base: &str) -> Api {
        Api { base: format!("{base}/api/v1"), ..self.clone() }
    }

    pub fn with_token(&self, token: &str) -> Api {
        Api { token: Some(token.to_string()), ..self.clone() }
    }

    /// The studio this client is signed in to.
    pub async fn tenant_id(&self) -> pt_protocol::TenantId {
        let me = self.get("/auth/me").await;
        assert_eq!(me.status, 200, "{:?}", me.body);
        me.data()["tenantId"].as_str().unwrap().parse().unwrap()
    }

    /// The bearer token (panics when anonymous).
    pub fn token(&self) -> String {
        self.token.clone().expect("a signed-in client")
    }

    pub fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
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
            // Any hour: these tests are about other rules (availability has its own).
            json!({ "artistId": artist, "title": "Shot 010", "startTime": start, "endTime": end, "status": status,
                    "allowOvertime": true }),
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
    let (child, base, _log) = spawn_server_logged(args, envs).await;
    (child, base)
}

/// The lines a spawned server logged, as they arrive.
pub type ServerLog = Arc<std::sync::Mutex<Vec<String>>>;

/// [`spawn_server_with`], keeping the server's log lines (stderr) to read later.
pub async fn spawn_server_logged(args: &[String], envs: &[(&str, &str)]) -> (tokio::process::Child, String, ServerLog) {
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
    let log: ServerLog = Arc::new(std::sync::Mutex::new(seen));
    let keep = log.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            keep.lock().unwrap().push(line);
        }
    });
    (child, base, log)
}

/// Raises this process's soft limit on open files to at least `want` (up to
/// the hard limit); children spawned afterwards inherit it. Returns the limit now.
pub fn raise_fd_limit(want: u64) -> u64 {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        }
    }
    lim.rlim_cur
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
pub mod checks;
pub mod wsclient;

/// A tiny deterministic generator for seeded, replayable tests (no `rand`).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}
pub mod sinks;
