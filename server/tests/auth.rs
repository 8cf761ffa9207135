//! Identity and authorization end to end, over real HTTP and WebSocket
//! connections to a server on a fresh PostgreSQL database: sign-up, login,
//! refresh rotation, logout, expiry and revocation (REST refused, WebSocket
//! closed), roles, a freelancer's own bookings, studio settings, API tokens,
//! login throttling, the audit trail, and an OIDC provider whose keys the test
//! generates.

mod common;

use chrono::{TimeDelta, Utc};
use common::wsclient::{WsClient, next_frame, raw, send_frame};
use common::{Api, TEST_PASSWORD, TestServer, member};
use pt_protocol::ws::Command;
use pt_protocol::ws::{ClientFrame, ServerFrame, View};
use pt_protocol::{ArtistId, CmdId, ErrorCode};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const SEC: Duration = Duration::from_secs(10);

fn code(r: &common::Resp) -> (u16, &str) {
    (r.status.as_u16(), r.code())
}

/// The next frame that is a `Goodbye`, skipping anything else.
async fn goodbye(ws: &mut WsClient, within: Duration) -> (ErrorCode, String) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match ws.recv(left.max(Duration::from_millis(1))).await {
            Some(ServerFrame::Goodbye { code, reason }) => return (code, reason),
            Some(_) => continue,
            None => panic!("socket closed without a goodbye"),
        }
    }
}

#[tokio::test]
async fn signup_login_refresh_rotation_and_logout() {
    let (srv, _db) = TestServer::start().await;
    let anon = srv.anonymous();
    // Without a token: 401 with a reason and WWW-Authenticate.
    let r = anon.get("/artists").await;
    assert_eq!(code(&r), (401, "unauthenticated"));
    assert_eq!(r.body["error"]["details"]["reason"], "missing_token");
    assert_eq!(r.headers["www-authenticate"], "Bearer");
    // Weak passwords and bad emails are typed 400s naming the field.
    let weak = anon
        .post("/auth/signup", json!({"studioName": "S", "email": "a@b.co", "password": "short", "displayName": "A"}))
        .await;
    assert_eq!(code(&weak), (400, "invalid"));
    assert_eq!(weak.body["error"]["details"]["fields"][0]["field"], "password");
    let bad_email = anon
        .post(
            "/auth/signup",
            json!({"studioName": "S", "email": "nope", "password": TEST_PASSWORD, "displayName": "A"}),
        )
        .await;
    assert_eq!(bad_email.body["error"]["details"]["fields"][0]["field"], "email");

    let email = format!("sam-{}@example.com", uuid::Uuid::now_v7().simple());
    let r = anon
        .post(
            "/auth/signup",
            json!({"studioName": "Northlight", "email": email, "password": TEST_PASSWORD, "displayName": "Sam",
                   "timezone": "Europe/London"}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.data()["role"], "studio_owner");
    assert_eq!(r.data()["tenant"]["name"], "Northlight");
    // The same email again: conflict, and nothing else was created.
    let again = anon
        .post(
            "/auth/signup",
            json!({"studioName": "Dup", "email": email, "password": TEST_PASSWORD, "displayName": "S"}),
        )
        .await;
    assert_eq!(code(&again), (409, "conflict"));

    // Login: wrong password is 401 without saying which part was wrong.
    let wrong = anon.post("/auth/login", json!({"email": email, "password": "not-the-password-1"})).await;
    assert_eq!(code(&wrong), (401, "unauthenticated"));
    assert_eq!(wrong.message(), "wrong email or password");
    let nobody = anon.post("/auth/login", json!({"email": "nobody@example.com", "password": TEST_PASSWORD})).await;
    assert_eq!(nobody.message(), "wrong email or password");
    let login = anon.post("/auth/login", json!({"email": email.to_uppercase(), "password": TEST_PASSWORD})).await;
    assert_eq!(login.status, 200, "emails are case-insensitive: {:?}", login.body);
    let owner = anon.with_token(login.data()["accessToken"].as_str().unwrap());
    let me = owner.get("/auth/me").await;
    assert_eq!((me.data()["role"].as_str(), me.data()["via"].as_str()), (Some("studio_owner"), Some("password")));
    assert!(me.data()["permissions"].as_array().unwrap().iter().any(|p| p == "studio:settings"));

    // Refresh rotates: the new refresh token works once; presenting the old
    // one again is theft, and ends the whole session.
    let first_refresh = login.data()["refreshToken"].as_str().unwrap().to_string();
    let r1 = anon.post("/auth/refresh", json!({"refreshToken": first_refresh})).await;
    assert_eq!(r1.status, 200, "{:?}", r1.body);
    let second_refresh = r1.data()["refreshToken"].as_str().unwrap().to_string();
    assert_ne!(second_refresh, first_refresh);
    let rotated = anon.with_token(r1.data()["accessToken"].as_str().unwrap());
    assert_eq!(rotated.get("/artists").await.status, 200);
    let reuse = anon.post("/auth/refresh", json!({"refreshToken": first_refresh})).await;
    assert_eq!(code(&reuse), (401, "unauthenticated"));
    assert_eq!(reuse.body["error"]["details"]["reason"], "session_ended");
    let after = anon.post("/auth/refresh", json!({"refreshToken": second_refresh})).await;
    assert_eq!(code(&after), (401, "unauthenticated"), "the family is revoked after reuse");
    let r = rotated.get("/artists").await;
    assert_eq!(
        (code(&r), r.body["error"]["details"]["reason"].as_str()),
        ((401, "unauthenticated"), Some("session_ended"))
    );

    // Logout ends a session at once: its access token is refused.
    let login2 = anon.post("/auth/login", json!({"email": email, "password": TEST_PASSWORD})).await;
    let second = anon.with_token(login2.data()["accessToken"].as_str().unwrap());
    assert_eq!(second.get("/artists").await.status, 200);
    assert_eq!(second.post("/auth/logout", json!({})).await.status, 204);
    assert_eq!(code(&second.get("/artists").await), (401, "unauthenticated"));
    let refresh2 = login2.data()["refreshToken"].as_str().unwrap();
    assert_eq!(anon.post("/auth/refresh", json!({"refreshToken": refresh2})).await.status, 401);
    // Garbage tokens.
    for bad in ["x", "eyJhbGciOiJub25lIn0.e30.", "pt_nope"] {
        assert_eq!(code(&anon.with_token(bad).get("/artists").await), (401, "unauthenticated"), "{bad}");
    }
    srv.stop().await;
}

#[tokio::test]
async fn an_expired_token_is_refused_on_rest_and_closes_a_websocket() {
    let (srv, _db) = TestServer::start().await;
    let now = Utc::now();
    let claims = srv.auth.tokens().verify(&srv.owner_token, now).unwrap();
    // Issued an hour ago: expired 45 minutes ago.
    let (stale, _) =
        srv.auth.tokens().issue(claims.sub, claims.tid, claims.role, claims.sid, now - TimeDelta::hours(1));
    let r = srv.api().with_token(&stale).get("/artists").await;
    assert_eq!(code(&r), (401, "unauthenticated"));
    assert_eq!(r.body["error"]["details"]["reason"], "token_expired");
    // An expired token cannot open a WebSocket session either.
    let mut s = raw(&srv.base).await;
    send_frame(&mut s, &ClientFrame::Hello { protocol_version: 1, token: stale, resume_from_seq: None }).await;
    let Some(ServerFrame::Error { error, .. }) = next_frame(&mut s, SEC).await else { panic!("expected an error") };
    assert_eq!(error.code, ErrorCode::Unauthenticated);
    assert!(matches!(
        next_frame(&mut s, SEC).await,
        Some(ServerFrame::Goodbye { code: ErrorCode::Unauthenticated, .. })
    ));

    // A token with two seconds left opens a session that closes when it expires.
    let (short, _) = srv.auth.tokens().issue(
        claims.sub,
        claims.tid,
        claims.role,
        claims.sid,
        now - pt_server::auth::tokens::ACCESS_TOKEN_TTL + TimeDelta::seconds(2),
    );
    let mut ws = WsClient::connect(&srv.base, &short, None).await;
    ws.subscribe(1, View::Tenant, None).await;
    let started = std::time::Instant::now();
    let (code, reason) = goodbye(&mut ws, SEC).await;
    assert_eq!(code, ErrorCode::Unauthenticated, "{reason}");
    assert!(reason.contains("expired"), "{reason}");
    assert!(started.elapsed() < Duration::from_secs(5));
    srv.stop().await;
}

#[tokio::test]
async fn logout_and_api_token_revocation_close_their_websockets_only() {
    let (srv, _db) = TestServer::start().await;
    let (owner, email) = common::signup_as(&srv.anonymous(), "Revocations", "rev").await;
    let session = common::login_at(&srv.base, &email, TEST_PASSWORD).await;
    let login = session.token();
    let mut by_session = WsClient::connect(&srv.base, &login, None).await;
    let mut bystander = WsClient::connect(&srv.base, &owner.token(), None).await;

    // An API token for an integration: works on REST and WS, hashed at rest.
    let created = owner.post("/studio/api-tokens", json!({"name": "Calendar sync", "role": "studio_manager"})).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let secret = created.data()["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("pt_"));
    let token_id = created.data()["apiToken"]["id"].as_str().unwrap().to_string();
    let integration = owner.with_token(&secret);
    assert_eq!(integration.get("/artists").await.status, 200);
    let me = integration.get("/auth/me").await;
    assert_eq!((me.data()["role"].as_str(), me.data()["via"].as_str()), (Some("studio_manager"), Some("api_token")));
    // A manager token cannot change settings, and cannot mint a stronger token.
    assert_eq!(code(&integration.patch("/studio", json!({"name": "x"})).await), (403, "forbidden"));
    // What it does is recorded as its creator's, through this token.
    let artist = owner.artist("Synced").await;
    let booked = book(&integration, &artist, 3, "pencil").await;
    let trail = owner.get(&format!("/bookings/{booked}/events")).await;
    let by = trail.data()[0]["by"].as_str().unwrap().to_string();
    assert!(by.starts_with("user:") && by.ends_with(&format!("/token:{token_id}")), "{by}");
    let listed = owner.get("/studio/api-tokens").await;
    assert!(!listed.body.to_string().contains(&secret[3..]), "secrets are never listed");
    let sql = srv.sql().await;
    let rows = sql.query("SELECT hash FROM api_tokens", &[]).await.unwrap();
    assert!(rows.iter().all(|r| r.get::<_, Vec<u8>>(0).len() == 32), "only hashes are stored");
    let mut by_token = WsClient::connect(&srv.base, &secret, None).await;

    // Revoking the API token: refused on REST, its socket closes.
    let revoked = owner.delete(&format!("/studio/api-tokens/{token_id}")).await;
    assert_eq!(revoked.status, 200, "{:?}", revoked.body);
    assert!(revoked.data()["revokedAt"].is_string());
    let r = integration.get("/artists").await;
    assert_eq!(code(&r), (401, "unauthenticated"));
    assert_eq!(goodbye(&mut by_token, SEC).await.0, ErrorCode::Unauthenticated);

    // Logging out one session closes that session's socket, not the others.
    assert_eq!(session.post("/auth/logout", json!({})).await.status, 204);
    assert_eq!(goodbye(&mut by_session, SEC).await.0, ErrorCode::Unauthenticated);
    bystander.send(&ClientFrame::Ping { nonce: 5 }).await;
    bystander.until(SEC, |c| c.other.iter().any(|f| matches!(f, ServerFrame::Pong { nonce: 5 }))).await;
    assert_eq!(owner.get("/artists").await.status, 200);
    // Another studio cannot revoke (or even see) this studio's tokens.
    let other = srv.studio("Elsewhere").await;
    assert_eq!(code(&other.delete(&format!("/studio/api-tokens/{token_id}")).await), (404, "not_found"));
    srv.stop().await;
}

/// Creates a booking as `api` and returns its id.
async fn book(api: &Api, artist: &str, day: u32, status: &str) -> String {
    let r = api
        .post(
            "/bookings",
            json!({"artistId": artist, "title": format!("Job {day}"), "status": status,
                   "startTime": format!("2027-03-{day:02}T09:00:00Z"), "endTime": format!("2027-03-{day:02}T17:00:00Z")}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_freelancer_sees_and_answers_only_their_own_bookings() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Freelance Studio").await;
    let mine = owner.artist("Fran Freelance").await;
    let theirs = owner.artist("Someone Else").await;
    let offered = book(&owner, &mine, 1, "pencil").await;
    let held = book(&owner, &mine, 2, "hold").await;
    let confirmed = book(&owner, &mine, 3, "confirmed").await;
    let other = book(&owner, &theirs, 1, "pencil").await;
    // Inviting a freelancer needs their artist record.
    let r = owner.post("/studio/invitations", json!({"email": "f@example.com", "role": "freelancer"})).await;
    assert_eq!(code(&r), (400, "invalid"));
    let (fran, login) = member(&owner, "freelancer", Some(&mine)).await;
    assert_eq!(login["role"], "freelancer");
    assert_eq!(login["artistId"], mine.as_str());

    // Reads: only the own artist's bookings, whatever the filter.
    let list = fran.get("/bookings").await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    let ids: Vec<&str> = list.data().as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(!ids.contains(&other.as_str()));
    assert_eq!(code(&fran.get(&format!("/bookings?artist={theirs}")).await), (404, "not_found"));
    assert_eq!(fran.get(&format!("/bookings/{offered}")).await.status, 200);
    for path in [format!("/bookings/{other}"), format!("/bookings/{other}/events"), format!("/artists/{theirs}")] {
        assert_eq!(code(&fran.get(&path).await), (404, "not_found"), "{path}");
    }
    let artists = fran.get("/artists").await;
    assert_eq!(artists.body["meta"]["total"], 1);
    // Answering: accept a pencil, decline a hold; not another's booking, not a confirmed one.
    let accept = fran.post(&format!("/bookings/{offered}/respond"), json!({"response": "accept"})).await;
    assert_eq!(
        (accept.status.as_u16(), accept.data()["status"].as_str()),
        (200, Some("confirmed")),
        "{:?}",
        accept.body
    );
    let decline = fran.post(&format!("/bookings/{held}/respond"), json!({"response": "decline"})).await;
    assert_eq!(decline.data()["status"], "cancelled");
    let r = fran.post(&format!("/bookings/{other}/respond"), json!({"response": "accept"})).await;
    assert_eq!(code(&r), (404, "not_found"));
    let r = fran.post(&format!("/bookings/{confirmed}/respond"), json!({"response": "decline"})).await;
    assert_eq!(code(&r), (422, "unprocessable"));
    // Scheduling is not theirs: 403 naming the permission.
    let r = fran.patch(&format!("/bookings/{confirmed}"), json!({"version": 1, "title": "mine"})).await;
    assert_eq!(code(&r), (403, "forbidden"));
    assert_eq!(r.body["error"]["details"]["missing"], "bookings:update");
    let r = fran
        .post(
            "/bookings",
            json!({"artistId": mine, "title": "self-booked", "startTime": "2027-04-01T09:00:00Z", "endTime": "2027-04-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(r.body["error"]["details"]["missing"], "bookings:create");
    // Their own profile is theirs to edit; nobody else's.
    assert_eq!(fran.patch(&format!("/artists/{mine}"), json!({"skills": ["comp", "nuke"]})).await.status, 200);
    assert_eq!(code(&fran.patch(&format!("/artists/{theirs}"), json!({"name": "x"})).await), (404, "not_found"));
    // The owner sees who acted: the freelancer's user id is on the event.
    let events = owner.get(&format!("/bookings/{offered}/events")).await;
    let fran_id = fran.get("/auth/me").await.data()["userId"].as_str().unwrap().to_string();
    assert!(
        events.data().as_array().unwrap().last().unwrap()["by"]
            .as_str()
            .unwrap()
            .starts_with(&format!("user:{fran_id}"))
    );

    // Realtime: the own artist only; the studio view is forbidden, another artist does not exist.
    let mut ws = WsClient::connect(&srv.base, &fran.token(), None).await;
    ws.subscribe(1, View::Artist { artist_id: mine.parse::<ArtistId>().unwrap() }, None).await;
    assert!(ws.mirrors[&1].bookings.values().all(|b| b.artist_id.to_string() == mine));
    for (sub, view, expect) in [
        (2, View::Tenant, ErrorCode::Forbidden),
        (3, View::Artist { artist_id: theirs.parse().unwrap() }, ErrorCode::NotFound),
    ] {
        ws.send(&ClientFrame::Subscribe { sub_id: sub, view, resume_from_seq: None }).await;
        ws.until(SEC, |c| {
            c.other.iter().any(
                |f| matches!(f, ServerFrame::Error { sub_id: Some(s), error } if *s == sub && error.code == expect),
            )
        })
        .await;
    }
    srv.stop().await;
}

#[tokio::test]
async fn roles_decide_what_each_member_may_do() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Roles").await;
    let artist = owner.artist("Ana").await;
    let (manager, _) = member(&owner, "studio_manager", None).await;
    // Settings: anyone reads, only the owner changes.
    assert_eq!(manager.get("/studio").await.data()["name"], "Roles");
    let r = manager.patch("/studio", json!({"name": "Taken over"})).await;
    assert_eq!(code(&r), (403, "forbidden"));
    assert_eq!(r.body["error"]["details"]["missing"], "studio:settings");
    let week = json!({"days": [1, 2, 3, 4], "start": "08:30", "end": "17:00"});
    let r = owner
        .patch(
            "/studio",
            json!({"name": "Roles & Co", "timezone": "America/Toronto", "defaultHoldMinutes": 90, "workingWeek": week}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let s = owner.get("/studio").await;
    assert_eq!((s.data()["name"].as_str(), s.data()["defaultHoldMinutes"].as_i64()), (Some("Roles & Co"), Some(90)));
    assert_eq!(s.data()["workingWeek"], week);
    for bad in [
        json!({"timezone": "Mars/Olympus"}),
        json!({"defaultHoldMinutes": 0}),
        json!({"workingWeek": {"days": [8], "start": "09:00", "end": "10:00"}}),
    ] {
        assert_eq!(code(&owner.patch("/studio", bad.clone()).await), (400, "invalid"), "{bad}");
    }
    // A new hold lasts the studio's default hold.
    let hold = owner
        .post(
            "/bookings",
            json!({"artistId": artist, "title": "h", "status": "hold",
            "startTime": "2027-05-03T09:00:00Z", "endTime": "2027-05-03T10:00:00Z"}),
        )
        .await;
    let created: chrono::DateTime<Utc> = hold.data()["createdAt"].as_str().unwrap().parse().unwrap();
    let expires: chrono::DateTime<Utc> = hold.data()["expiresAt"].as_str().unwrap().parse().unwrap();
    let lasts = (expires - created).num_seconds();
    assert!((90 * 60 - 5..=90 * 60).contains(&lasts), "the studio's 90-minute default: {lasts} s");
    // A manager schedules, but does not manage artists, members or tokens.
    let b = book(&manager, &artist, 4, "pencil").await;
    assert_eq!(
        manager.post(&format!("/bookings/{b}/transition"), json!({"version": 1, "to": "confirmed"})).await.status,
        200
    );
    for (r, missing) in [
        (manager.post("/artists", json!({"name": "New"})).await, "artists:write"),
        (manager.delete(&format!("/artists/{artist}")).await, "artists:write"),
        (manager.get("/studio/members").await, "members:manage"),
        (
            manager.post("/studio/invitations", json!({"email": "x@example.com", "role": "studio_owner"})).await,
            "members:manage",
        ),
        (manager.get("/studio/api-tokens").await, "api_tokens:manage"),
    ] {
        assert_eq!((code(&r), r.body["error"]["details"]["missing"].as_str()), ((403, "forbidden"), Some(missing)));
    }
    // Ids of another studio stay 404 for every role, never 403.
    let stranger = srv.studio("Stranger").await;
    let foreign = stranger.artist("Hidden").await;
    assert_eq!(code(&manager.delete(&format!("/artists/{foreign}")).await), (404, "not_found"));
    // Members: the owner sees both; promoting the manager ends their sessions.
    let members = owner.get("/studio/members").await;
    assert_eq!(members.data().as_array().unwrap().len(), 2);
    let manager_id = manager.get("/auth/me").await.data()["userId"].as_str().unwrap().to_string();
    let r = owner.patch(&format!("/studio/members/{manager_id}"), json!({"role": "studio_owner"})).await;
    assert_eq!(r.data()["role"], "studio_owner");
    assert_eq!(code(&manager.get("/artists").await), (401, "unauthenticated"), "their old token carried the old role");
    srv.stop().await;
}

#[tokio::test]
async fn invitations_work_once_and_users_pick_their_studio() {
    let (srv, _db) = TestServer::start().await;
    let a = srv.studio("Alpha").await;
    let b = srv.studio("Beta").await;
    let email = format!("multi-{}@example.com", uuid::Uuid::now_v7().simple());
    let inv = a.post("/studio/invitations", json!({"email": email, "role": "studio_manager"})).await;
    let token = inv.data()["token"].as_str().unwrap().to_string();
    let anon = srv.anonymous();
    let accept = json!({"token": token, "password": TEST_PASSWORD, "displayName": "Multi"});
    assert_eq!(anon.post("/auth/accept-invitation", accept.clone()).await.status, 200);
    assert_eq!(anon.post("/auth/accept-invitation", accept).await.status, StatusCode::GONE, "an invitation works once");
    // Joining a second studio with the same account needs its password.
    let inv = b.post("/studio/invitations", json!({"email": email, "role": "studio_manager"})).await;
    let token = inv.data()["token"].as_str().unwrap();
    let r = anon.post("/auth/accept-invitation", json!({"token": token, "password": "wrong-password-123"})).await;
    assert_eq!(code(&r), (401, "unauthenticated"));
    let r = anon.post("/auth/accept-invitation", json!({"token": token, "password": TEST_PASSWORD})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Two studios: login must name one, and the answer lists them.
    let r = anon.post("/auth/login", json!({"email": email, "password": TEST_PASSWORD})).await;
    assert_eq!(code(&r), (400, "invalid"));
    assert_eq!(r.body["error"]["details"]["studios"].as_array().unwrap().len(), 2);
    let beta_id = b.tenant_id().await;
    let r = anon.post("/auth/login", json!({"email": email, "password": TEST_PASSWORD, "tenantId": beta_id})).await;
    assert_eq!(r.data()["tenant"]["name"], "Beta");
    srv.stop().await;
}

#[tokio::test]
async fn repeated_login_failures_make_the_account_wait() {
    let (srv, _db) = TestServer::start().await;
    let anon = srv.anonymous();
    let target = "owner@test.studio";
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(anon.post("/auth/login", json!({"email": target, "password": "wrong-password-123"})).await);
    }
    assert!(statuses[..5].iter().all(|r| r.status == 401), "5 free failures");
    let last = statuses.last().unwrap();
    assert_eq!(code(last), (429, "rate_limited"));
    let wait: u64 = last.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    // Even the right password waits: a correct guess during the wait tells nothing.
    let right = anon.post("/auth/login", json!({"email": target, "password": TEST_PASSWORD})).await;
    assert_eq!(right.status, 429);
    srv.stop().await;
}

/// An OIDC provider played by the test: an RSA key generated here, its JWKS
/// served over HTTP by a tiny server, tokens signed as the provider would.
#[tokio::test]
async fn tokens_of_a_configured_oidc_provider_are_accepted() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header, jwk::Jwk};
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let key = EncodingKey::from_rsa_der(private.to_pkcs1_der().unwrap().as_bytes());
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).unwrap();
    jwk.common.key_id = Some("idp-1".into());
    let jwks = json!({ "keys": [jwk] }).to_string();
    // The JWKS endpoint.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jwks_url = format!("http://{}/.well-known/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await;
            let body = jwks.clone();
            let res = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(res.as_bytes()).await;
        }
    });
    let config: pt_server::auth::oidc::OidcConfig = serde_json::from_value(json!({
        "issuer": "https://idp.example.test/",
        "audience": ["production-tool"],
        "jwks": { "url": jwks_url },
        "claims": { "tenant_claim": "org_id", "role_claim": "org_role",
                    "role_map": { "org:admin": "studio_owner", "org:scheduler": "studio_manager",
                                  "org:member": "freelancer" } }
    }))
    .unwrap();
    let (srv, _db) = TestServer::start_with_oidc(config).await;
    let studio = srv.studio("Federated").await;
    let tenant = studio.tenant_id().await;
    let now = Utc::now().timestamp();
    let sign = |claims: Value| {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("idp-1".into());
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    };
    let claims = json!({"iss": "https://idp.example.test/", "aud": "production-tool", "sub": "user_42",
        "org_id": tenant.to_string(), "org_role": "org:scheduler", "iat": now, "exp": now + 600});
    let external = srv.anonymous().with_token(&sign(claims.clone()));
    let me = external.get("/auth/me").await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!((me.data()["role"].as_str(), me.data()["via"].as_str()), (Some("studio_manager"), Some("oidc")));
    assert_eq!(me.data()["tenantId"], tenant.to_string());
    // It books, and the audit trail names the external user.
    let artist = studio.artist("Ola").await;
    let id = book(&external, &artist, 5, "pencil").await;
    let events = studio.get(&format!("/bookings/{id}/events")).await;
    assert!(events.data()[0]["by"].as_str().unwrap().ends_with("/oidc"));
    // The same token opens a WebSocket session.
    let mut ws = WsClient::connect(&srv.base, &sign(claims.clone()), None).await;
    ws.subscribe(1, View::Tenant, None).await;
    assert_eq!(ws.mirrors[&1].bookings.len(), 1);

    // An external freelancer: their first sign-in makes them a member, whom the
    // owner links to their artist; then they see that artist's bookings.
    let mut c = claims.clone();
    c["sub"] = json!("fran_7");
    c["name"] = json!("Fran External");
    c["org_role"] = json!("org:member");
    let fran = srv.anonymous().with_token(&sign(c));
    let r = fran.get("/bookings").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data().as_array().unwrap().len(), 0, "linked to no artist yet");
    let members = studio.get("/studio/members").await;
    let listed =
        members.data().as_array().unwrap().iter().find(|m| m["user"]["displayName"] == "Fran External").cloned();
    let listed = listed.unwrap_or_else(|| panic!("not a member: {:?}", members.body));
    assert_eq!(listed["role"], "freelancer");
    let user_id = listed["user"]["id"].as_str().unwrap();
    let r = studio.patch(&format!("/studio/members/{user_id}"), json!({"artistId": artist})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = fran.get("/bookings").await;
    assert_eq!(
        r.data().as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect::<Vec<_>>(),
        vec![id.as_str()]
    );

    // Refused: wrong audience, expired, another key, a studio that does not exist, no known role.
    let mut bad = Vec::new();
    let mut c = claims.clone();
    c["aud"] = json!("someone-else");
    bad.push(sign(c));
    let mut c = claims.clone();
    c["exp"] = json!(now - 3600);
    bad.push(sign(c));
    let mut c = claims.clone();
    c["org_id"] = json!(uuid::Uuid::now_v7().to_string());
    bad.push(sign(c));
    let mut c = claims.clone();
    c["org_role"] = json!("org:guest");
    bad.push(sign(c));
    // Signed by a key that is not the provider's, under the provider's key id.
    let stranger = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let stranger = EncodingKey::from_rsa_der(stranger.to_pkcs1_der().unwrap().as_bytes());
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("idp-1".into());
    bad.push(jsonwebtoken::encode(&header, &claims, &stranger).unwrap());
    for (i, token) in bad.iter().enumerate() {
        assert_eq!(
            code(&srv.anonymous().with_token(token).get("/artists").await),
            (401, "unauthenticated"),
            "case {i}"
        );
    }
    srv.stop().await;
}

#[tokio::test]
async fn an_api_token_never_does_more_than_its_creator_may_today() {
    let (srv, _db) = TestServer::start().await;
    let founder = srv.studio("Demotions").await;
    let (second, login) = member(&founder, "studio_owner", None).await;
    let second_id = login["user"]["id"].as_str().unwrap().to_string();
    // The second owner mints an owner token for an integration.
    let created = second.post("/studio/api-tokens", json!({"name": "Ops", "role": "studio_owner"})).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let integration = second.with_token(created.data()["token"].as_str().unwrap());
    assert_eq!(integration.patch("/studio", json!({"name": "Demotions Ltd"})).await.status, 200);
    let mut socket = WsClient::connect(&srv.base, &integration.token(), None).await;

    // Demoted to manager: the owner token stops (REST 401, its socket closes),
    // rather than keep owner powers.
    let r = founder.patch(&format!("/studio/members/{second_id}"), json!({"role": "studio_manager"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = integration.patch("/studio", json!({"name": "Taken over"})).await;
    assert_eq!(code(&r), (401, "unauthenticated"));
    assert!(r.message().contains("create a new token"), "{:?}", r.body);
    assert_eq!(
        code(&integration.post("/studio/invitations", json!({"email": "x@example.com", "role": "studio_owner"})).await)
            .0,
        401
    );
    assert_eq!(goodbye(&mut socket, SEC).await.0, ErrorCode::Unauthenticated);
    assert_eq!(founder.get("/studio").await.data()["name"], "Demotions Ltd");

    // A manager token of a member who becomes a freelancer stops too.
    let (third, login) = member(&founder, "studio_manager", None).await;
    let third_id = login["user"]["id"].as_str().unwrap().to_string();
    // (Managers cannot mint tokens; the founder's own tokens keep working.)
    assert_eq!(code(&third.post("/studio/api-tokens", json!({"name": "x", "role": "studio_manager"})).await).0, 403);
    let own = founder.post("/studio/api-tokens", json!({"name": "Mine", "role": "studio_manager"})).await;
    let own = founder.with_token(own.data()["token"].as_str().unwrap());
    let artist = founder.artist("Someone").await;
    let r =
        founder.patch(&format!("/studio/members/{third_id}"), json!({"role": "freelancer", "artistId": artist})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(own.get("/artists").await.status, 200);
    srv.stop().await;
}

#[tokio::test]
async fn a_freelancer_edits_their_profile_but_not_the_studio_fields_of_it() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Profiles").await;
    let mine = owner.artist("Fran").await;
    let (fran, _) = member(&owner, "freelancer", Some(&mine)).await;
    let r = fran
        .patch(&format!("/artists/{mine}"), json!({"name": "Fran K.", "skills": ["comp"], "timezone": "Europe/Paris"}))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Whether they can be booked, and the address the studio reaches them at, are the studio's.
    for body in [json!({"active": false}), json!({"email": "elsewhere@example.com"})] {
        let r = fran.patch(&format!("/artists/{mine}"), body).await;
        assert_eq!(code(&r), (403, "forbidden"));
        assert_eq!(r.body["error"]["details"]["missing"], "artists:write", "{:?}", r.body);
    }
    // Their own time off (availability:manage): sorted, overlaps merged.
    let leave = json!({"timeOff": [
        {"start": "2027-08-10T00:00:00Z", "end": "2027-08-20T00:00:00Z"},
        {"start": "2027-05-01T00:00:00Z", "end": "2027-05-02T00:00:00Z"},
        {"start": "2027-08-15T00:00:00Z", "end": "2027-08-24T00:00:00Z"}]});
    let r = fran.patch(&format!("/artists/{mine}"), leave).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.data()["timeOff"],
        json!([{"start": "2027-05-01T00:00:00Z", "end": "2027-05-02T00:00:00Z"},
               {"start": "2027-08-10T00:00:00Z", "end": "2027-08-24T00:00:00Z"}])
    );
    let bad = json!({"timeOff": [{"start": "2027-08-10T00:00:00Z", "end": "2027-08-09T00:00:00Z"}]});
    let r = fran.patch(&format!("/artists/{mine}"), bad).await;
    assert_eq!(code(&r), (400, "invalid"));
    assert_eq!(r.body["error"]["details"]["fields"][0]["field"], "timeOff[0]", "{:?}", r.body);
    // A manager reads artists but does not manage anyone's time off.
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let r = manager.patch(&format!("/artists/{mine}"), json!({"timeOff": []})).await;
    assert_eq!(code(&r), (403, "forbidden"));
    assert_eq!(manager.get(&format!("/artists/{mine}")).await.data()["timeOff"].as_array().unwrap().len(), 2);

    let mut ws = WsClient::connect(&srv.base, &fran.token(), None).await;
    let cmd_id = CmdId::new();
    let patch = pt_protocol::ArtistPatch { active: Some(false), ..Default::default() };
    ws.command(cmd_id, Command::UpdateArtist { id: mine.parse().unwrap(), patch }).await;
    ws.until(SEC, |c| c.answers.contains_key(&cmd_id)).await;
    let ServerFrame::Rejected { error, .. } = &ws.answers[&cmd_id] else { panic!("{:?}", ws.answers[&cmd_id]) };
    assert_eq!(error.code, ErrorCode::Forbidden);
    assert_eq!(owner.get(&format!("/artists/{mine}")).await.data()["active"], true);
    srv.stop().await;
}

#[tokio::test]
async fn members_are_linked_only_to_their_own_studios_artists() {
    let (srv, _db) = TestServer::start().await;
    let owner = srv.studio("Links").await;
    let elsewhere = srv.studio("Elsewhere").await;
    let theirs = elsewhere.artist("Not yours").await;
    for artist in [theirs.clone(), ArtistId::new().to_string()] {
        let r = owner
            .post("/studio/invitations", json!({"email": "f@example.com", "role": "freelancer", "artistId": artist}))
            .await;
        assert_eq!(code(&r), (404, "not_found"), "{:?}", r.body);
    }
    let (manager, login) = member(&owner, "studio_manager", None).await;
    let id = login["user"]["id"].as_str().unwrap();
    let r = owner.patch(&format!("/studio/members/{id}"), json!({"role": "freelancer", "artistId": theirs})).await;
    assert_eq!(code(&r), (404, "not_found"));
    // Nothing changed: still a manager.
    assert_eq!(manager.get("/auth/me").await.data()["role"], "studio_manager");
    srv.stop().await;
}

#[tokio::test]
async fn guessing_a_password_through_an_invitation_is_throttled_like_login() {
    let (srv, _db) = TestServer::start().await;
    let (_, email) = common::signup_as(&srv.anonymous(), "Victim", "guess").await;
    // Someone holding an invitation for that address guesses its password.
    let inviter = srv.studio("Inviter").await;
    let inv = inviter.post("/studio/invitations", json!({"email": email, "role": "studio_manager"})).await;
    let token = inv.data()["token"].as_str().unwrap().to_string();
    let mut answers = Vec::new();
    for i in 0..7 {
        let body = json!({"token": token, "password": format!("wrong guess number {i}")});
        answers.push(srv.anonymous().post("/auth/accept-invitation", body).await);
    }
    assert!(answers[..5].iter().all(|r| r.status == 401), "5 free failures");
    assert_eq!(code(answers.last().unwrap()), (429, "rate_limited"));
    // It is the account's own counter: its login waits too, even with the right password.
    let login = srv.anonymous().post("/auth/login", json!({"email": email, "password": TEST_PASSWORD})).await;
    assert_eq!(login.status, 429);
    srv.stop().await;
}
