//! An external OpenID Connect provider end to end: the test plays the
//! provider (an RSA key generated here, its JWKS served over HTTP, tokens
//! signed as the provider would) against a server on a fresh PostgreSQL database.

mod common;

use chrono::Utc;
use common::TestServer;
use common::checks::{book, code};
use common::wsclient::WsClient;
use pt_protocol::ws::View;
use serde_json::{Value, json};

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
