//! Identity end to end, over real HTTP and WebSocket connections to a server
//! on a fresh PostgreSQL database: sign-up, login, refresh rotation, logout,
//! expiry and revocation (REST refused, WebSocket closed), API tokens, login
//! throttling, and tokens forged with the server's own secret.

mod common;

use chrono::{TimeDelta, Utc};
use common::checks::{SEC, book, code, goodbye};
use common::wsclient::{WsClient, next_frame, raw, send_frame};
use common::{TEST_JWT_SECRET, TEST_PASSWORD, TestServer};
use pt_protocol::ErrorCode;
use pt_protocol::ws::{ClientFrame, ServerFrame, View};
use pt_server::auth::Role;
use pt_server::auth::tokens::AccessTokens;
use serde_json::json;
use std::time::Duration;

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
    send_frame(
        &mut s,
        &ClientFrame::Hello {
            protocol_version: pt_protocol::ws::PROTOCOL_VERSION,
            token: stale,
            resume_from_seq: None,
        },
    )
    .await;
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

/// A token signed with the server's own secret that pairs a live login session
/// of studio A with studio B's id (or with another user) is refused, even
/// while that session's liveness is cached: REST answers 401 and the
/// WebSocket hello is refused, and nothing of studio B is read.
#[tokio::test]
async fn a_live_session_of_one_studio_does_not_open_another() {
    let (srv, _db) = TestServer::start().await;
    let (a, _) = common::signup_as(&srv.anonymous(), "Studio A", "forge-a").await;
    let (b, _) = common::signup_as(&srv.anonymous(), "Studio B", "forge-b").await;
    let b_artist = b.artist("B's artist").await;
    let b_booking = book(&b, &b_artist, 7, "pencil").await;
    // A's session is live, and has just been checked (so it is cached).
    assert_eq!(a.get("/artists").await.status, 200);
    let now = Utc::now();
    let forger = AccessTokens::new("test", TEST_JWT_SECRET.as_bytes()).unwrap();
    let a_claims = forger.verify(&a.token(), now).unwrap();
    let b_claims = forger.verify(&b.token(), now).unwrap();
    assert_eq!(b_claims.tid, b.tenant_id().await);
    let forged = [
        // B's id with A's user and A's session.
        forger.issue(a_claims.sub, b_claims.tid, Role::StudioOwner, a_claims.sid, now).0,
        // B's id and B's owner, with A's session.
        forger.issue(b_claims.sub, b_claims.tid, Role::StudioOwner, a_claims.sid, now).0,
        // A's id and A's session, but B's owner as the user.
        forger.issue(b_claims.sub, a_claims.tid, Role::StudioOwner, a_claims.sid, now).0,
    ];
    for (i, token) in forged.iter().enumerate() {
        let as_b = srv.anonymous().with_token(token);
        for path in ["/artists".to_string(), format!("/bookings/{b_booking}"), "/studio".to_string(), "/auth/me".into()]
        {
            let r = as_b.get(&path).await;
            assert_eq!(code(&r), (401, "unauthenticated"), "token {i} on {path}: {:?}", r.body);
            assert_eq!(r.body["error"]["details"]["reason"], "session_ended", "token {i} on {path}");
            assert!(!r.body.to_string().contains("B's artist"), "token {i} on {path}");
        }
        let mut s = raw(&srv.base).await;
        send_frame(
            &mut s,
            &ClientFrame::Hello {
                protocol_version: pt_protocol::ws::PROTOCOL_VERSION,
                token: token.clone(),
                resume_from_seq: None,
            },
        )
        .await;
        let Some(ServerFrame::Error { error, .. }) = next_frame(&mut s, SEC).await else {
            panic!("token {i}: expected the hello to be refused")
        };
        assert_eq!(error.code, ErrorCode::Unauthenticated, "token {i}");
        assert!(matches!(
            next_frame(&mut s, SEC).await,
            Some(ServerFrame::Goodbye { code: ErrorCode::Unauthenticated, .. })
        ));
    }
    // The real tokens still work, each in its own studio.
    assert_eq!(a.get("/artists").await.data().as_array().map(Vec::len), Some(0));
    assert_eq!(b.get("/artists").await.data()[0]["name"], "B's artist");
    srv.stop().await;
}
