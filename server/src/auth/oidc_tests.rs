//! Tests for [`super`]: keys are generated here, a JWKS is built from their
//! public halves, and tokens are signed the way a provider would.

use super::*;
use crate::auth::b64url;
use chrono::TimeZone;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::json;
use std::sync::OnceLock;

const ISS: &str = "https://idp.example.test/";
const AUD: &str = "production-tool";
const TENANT: TenantId = TenantId::from_u128(0xaaaa);

fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
}

/// A signing key with its kid, and its public JWK.
struct TestKey {
    kid: &'static str,
    alg: Algorithm,
    encoding: EncodingKey,
    jwk: Value,
}

impl TestKey {
    fn new(kid: &'static str, alg: Algorithm, encoding: EncodingKey) -> Self {
        let mut jwk = Jwk::from_encoding_key(&encoding, alg).unwrap();
        jwk.common.key_id = Some(kid.into());
        let jwk = serde_json::to_value(&jwk).unwrap();
        Self { kid, alg, encoding, jwk }
    }

    fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(self.kid.into());
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap()
    }
}

/// RSA key generation is slow in debug builds: once per test binary.
fn rsa_key() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
        let der = private.to_pkcs1_der().unwrap();
        TestKey::new("rsa-1", Algorithm::RS256, EncodingKey::from_rsa_der(der.as_bytes()))
    })
}

fn ec_key(kid: &'static str) -> TestKey {
    use p256::pkcs8::EncodePrivateKey;
    let private = p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
    let der = private.to_pkcs8_der().unwrap();
    TestKey::new(kid, Algorithm::ES256, EncodingKey::from_ec_der(der.as_bytes()))
}

fn jwks_json(keys: &[&TestKey]) -> String {
    json!({ "keys": keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>() }).to_string()
}

fn config(jwks: JwksSource) -> OidcConfig {
    OidcConfig {
        issuer: ISS.into(),
        audience: vec![AUD.into()],
        jwks,
        claims: ClaimMapping {
            tenant_aliases: HashMap::from([("org_2abc".to_owned(), TENANT)]),
            role_map: HashMap::from([
                ("org:admin".to_owned(), Role::StudioOwner),
                ("org:scheduler".to_owned(), Role::StudioManager),
                ("org:member".to_owned(), Role::Freelancer),
            ]),
            ..ClaimMapping::default()
        },
        leeway_secs: DEFAULT_LEEWAY_SECS,
    }
}

fn verifier(keys: &[&TestKey]) -> OidcVerifier {
    let json = jwks_json(keys);
    OidcVerifier::new(config(JwksSource::Inline(json.clone())), Jwks::from_json(&json).unwrap())
}

/// Claims as Clerk would send them, issued at t(0) for 10 minutes.
fn claims() -> Value {
    json!({
        "iss": ISS, "aud": AUD, "sub": "user_2xyz",
        "iat": t(0).timestamp(), "nbf": t(0).timestamp(), "exp": t(600).timestamp(),
        "org_id": "org_2abc", "org_role": "org:scheduler", "email": "sam@studio.test",
    })
}

fn with(changes: Value) -> Value {
    let mut c = claims();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

#[test]
fn valid_rs256_and_es256_tokens_map_to_a_principal() {
    let ec = ec_key("ec-1");
    let v = verifier(&[rsa_key(), &ec]);
    for key in [rsa_key(), &ec] {
        let p = v.authenticate(&key.sign(&claims()), t(10)).unwrap();
        assert_eq!(p.tenant_id, TENANT);
        assert_eq!(p.role, Role::StudioManager);
        assert_eq!(p.user_id, external_user_id(ISS, "user_2xyz"));
        assert_eq!(p.via, AuthVia::Oidc { issuer: ISS.into(), subject: "user_2xyz".into() });
    }
    let id = v.verify(&ec.sign(&claims()), t(10)).unwrap();
    assert_eq!(id.claims["email"], "sam@studio.test");
}

#[test]
fn external_user_ids_are_stable_and_issuer_scoped() {
    assert_eq!(external_user_id(ISS, "u1"), external_user_id(ISS, "u1"));
    assert_ne!(external_user_id(ISS, "u1"), external_user_id("https://other/", "u1"));
    assert_eq!(external_user_id(ISS, "u1").0.get_version_num(), 5);
}

#[test]
fn expired_and_not_yet_valid() {
    let ec = ec_key("ec-1");
    let v = verifier(&[&ec]);
    let token = ec.sign(&claims());
    assert!(v.verify(&token, t(600 + 59)).is_ok(), "within leeway");
    assert_eq!(v.verify(&token, t(600 + 60)).unwrap_err(), OidcError::Token(TokenError::Expired));
    assert_eq!(v.verify(&token, t(600 + 60)).unwrap_err().code(), "token_expired");
    let later = ec.sign(&with(json!({"nbf": t(300).timestamp()})));
    assert_eq!(v.verify(&later, t(200)).unwrap_err(), OidcError::Token(TokenError::NotYetValid));
    assert!(v.verify(&later, t(250)).is_ok(), "nbf within leeway");
}

#[test]
fn wrong_issuer_and_audience() {
    let ec = ec_key("ec-1");
    let v = verifier(&[&ec]);
    let bad_iss = ec.sign(&with(json!({"iss": "https://evil.example/"})));
    assert_eq!(v.verify(&bad_iss, t(1)).unwrap_err(), OidcError::Token(TokenError::WrongIssuer));
    let bad_aud = ec.sign(&with(json!({"aud": "another-app"})));
    assert_eq!(v.verify(&bad_aud, t(1)).unwrap_err(), OidcError::Token(TokenError::WrongAudience));
    // An array audience containing ours is fine.
    let multi = ec.sign(&with(json!({"aud": ["another-app", AUD]})));
    assert!(v.verify(&multi, t(1)).is_ok());
    let no_aud = ec.sign(&with(json!({"aud": null})));
    assert_eq!(v.verify(&no_aud, t(1)).unwrap_err(), OidcError::Token(TokenError::MissingClaim("aud".into())));
}

#[test]
fn unknown_kid_and_key_from_outside_the_jwks() {
    let known = ec_key("ec-1");
    let v = verifier(&[&known]);
    let stranger = ec_key("ec-2");
    let err = v.verify(&stranger.sign(&claims()), t(1)).unwrap_err();
    assert_eq!(err, OidcError::Token(TokenError::UnknownKey));
    assert!(err.is_unknown_key());
    // A stranger's key claiming a known kid fails on the signature.
    let impostor = TestKey { kid: "ec-1", ..ec_key("x") };
    assert_eq!(v.verify(&impostor.sign(&claims()), t(1)).unwrap_err(), OidcError::Token(TokenError::BadSignature));
    // After the provider rotates keys, swapping the JWKS makes the new kid valid.
    let mut v = v;
    v.set_jwks(Jwks::from_json(&jwks_json(&[&known, &stranger])).unwrap());
    assert!(v.verify(&stranger.sign(&claims()), t(1)).is_ok());
}

#[test]
fn tampered_tokens_are_refused() {
    let ec = ec_key("ec-1");
    let v = verifier(&[rsa_key(), &ec]);
    for key in [rsa_key(), &ec] {
        let token = key.sign(&claims());
        let parts: Vec<&str> = token.split('.').collect();
        let forged = b64url(with(json!({"org_role": "org:admin"})).to_string().as_bytes());
        let tampered = format!("{}.{forged}.{}", parts[0], parts[2]);
        assert_eq!(v.verify(&tampered, t(1)).unwrap_err(), OidcError::Token(TokenError::BadSignature), "{:?}", key.alg);
    }
}

#[test]
fn algorithm_confusion_and_none_are_refused() {
    let v = verifier(&[rsa_key()]);
    let token = rsa_key().sign(&claims());
    let payload = token.split('.').nth(1).unwrap();
    // HS256 "signed" with the public key as the secret: the classic confusion attack.
    let n = rsa_key().jwk["n"].as_str().unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("rsa-1".into());
    let hs = jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(n.as_bytes())).unwrap();
    assert_eq!(v.verify(&hs, t(1)).unwrap_err(), OidcError::Token(TokenError::UnsupportedAlgorithm("HS256".into())));
    let none = format!("{}.{payload}.", b64url(br#"{"alg":"none","kid":"rsa-1"}"#));
    assert_eq!(v.verify(&none, t(1)).unwrap_err(), OidcError::Token(TokenError::UnsupportedAlgorithm("none".into())));
    // An ES256 header naming the RSA key.
    let es = format!("{}.{payload}.AAAA", b64url(br#"{"alg":"ES256","kid":"rsa-1"}"#));
    assert_eq!(v.verify(&es, t(1)).unwrap_err(), OidcError::Token(TokenError::UnsupportedAlgorithm("ES256".into())));
}

#[test]
fn missing_kid_only_with_a_single_key() {
    let ec = ec_key("ec-1");
    let no_kid = jsonwebtoken::encode(&Header::new(Algorithm::ES256), &claims(), &ec.encoding).unwrap();
    assert!(verifier(&[&ec]).verify(&no_kid, t(1)).is_ok());
    let other = ec_key("ec-2");
    assert_eq!(verifier(&[&ec, &other]).verify(&no_kid, t(1)).unwrap_err(), OidcError::Token(TokenError::UnknownKey));
}

#[test]
fn claim_mapping_variants() {
    let ec = ec_key("ec-1");
    let v = verifier(&[&ec]);
    let auth = |c: Value| v.authenticate(&ec.sign(&c), t(1));
    // Our own tenant UUID and role names need no mapping.
    let tenant = TenantId::from_u128(0xbbbb);
    let p = auth(with(json!({"org_id": tenant.to_string(), "org_role": "freelancer"}))).unwrap();
    assert_eq!((p.tenant_id, p.role), (tenant, Role::Freelancer));
    assert_eq!(
        auth(with(json!({"org_id": "org_unknown"}))).unwrap_err(),
        OidcError::UnknownTenant("org_unknown".into())
    );
    assert_eq!(auth(with(json!({"org_id": null}))).unwrap_err(), OidcError::MissingClaim("org_id".into()));
    assert_eq!(auth(with(json!({"org_role": "org:guest"}))).unwrap_err(), OidcError::NoRole);
    assert_eq!(auth(with(json!({"sub": null}))).unwrap_err(), OidcError::MissingClaim("sub".into()));
    assert_eq!(OidcError::NoRole.code(), "no_membership");

    // Keycloak-style: nested role array, namespaced tenant claim, default role.
    let mut cfg = config(JwksSource::Inline(String::new()));
    cfg.claims.tenant_claim = Some("https://studio.example/tenant".into());
    cfg.claims.role_claim = Some("realm_access.roles".into());
    cfg.claims.default_role = Some(Role::Freelancer);
    cfg.claims.user_claim = "preferred_username".into();
    let kc = OidcVerifier::new(cfg, Jwks::from_json(&jwks_json(&[&ec])).unwrap());
    let c = with(json!({
        "https://studio.example/tenant": tenant.to_string(),
        "realm_access": {"roles": ["offline_access", "freelancer", "studio_manager"]},
        "preferred_username": "sam",
    }));
    let p = kc.authenticate(&ec.sign(&c), t(1)).unwrap();
    assert_eq!((p.tenant_id, p.role), (tenant, Role::StudioManager), "the most capable mapped role");
    assert_eq!(p.user_id, external_user_id(ISS, "sam"));
    let c = with(json!({"https://studio.example/tenant": tenant.to_string(), "preferred_username": "sam"}));
    assert_eq!(kc.authenticate(&ec.sign(&c), t(1)).unwrap().role, Role::Freelancer, "default role");
}

#[test]
fn jwks_parsing_skips_unusable_keys() {
    let ec = ec_key("ec-1");
    let json = json!({"keys": [
        {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
        {"kty": "EC", "crv": "P-256", "x": "bad", "y": "bad", "kid": "enc", "use": "enc"},
        {"kty": "weird", "kid": "w"},
        ec.jwk,
    ]});
    let jwks = Jwks::from_json(&json.to_string()).unwrap();
    assert_eq!(jwks.len(), 1);
    assert!(matches!(Jwks::from_json(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#), Err(OidcError::Jwks(_))));
    assert!(matches!(Jwks::from_json("not json"), Err(OidcError::Jwks(_))));
    // An RSA key labelled ES256 is refused rather than trusted.
    let mut mislabelled = rsa_key().jwk.clone();
    mislabelled["alg"] = "ES256".into();
    assert!(Jwks::from_json(&json!({"keys": [mislabelled]}).to_string()).is_err());
}

#[test]
fn jwks_from_every_source() {
    let ec = ec_key("ec-1");
    let json = jwks_json(&[&ec]);
    let path = std::env::temp_dir().join(format!("pt-jwks-{}.json", Uuid::new_v4()));
    std::fs::write(&path, &json).unwrap();

    struct Fake(String);
    impl JwksFetcher for Fake {
        fn fetch<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<String, String>> {
            let answer = if url == "https://idp.example.test/.well-known/jwks.json" {
                Ok(self.0.clone())
            } else {
                Err(format!("404 from {url}"))
            };
            Box::pin(async move { answer })
        }
    }
    let fetcher = Fake(json.clone());
    let load = |s: JwksSource| futures::executor::block_on(Jwks::load(&s, &fetcher));
    assert_eq!(load(JwksSource::Inline(json.clone())).unwrap().len(), 1);
    assert_eq!(load(JwksSource::File(path.clone())).unwrap().len(), 1);
    assert_eq!(load(JwksSource::Url("https://idp.example.test/.well-known/jwks.json".into())).unwrap().len(), 1);
    assert!(matches!(load(JwksSource::Url("https://elsewhere/".into())), Err(OidcError::Jwks(m)) if m.contains("404")));
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(load(JwksSource::File(path)), Err(OidcError::Jwks(_))));
}

#[test]
fn config_deserializes_with_defaults() {
    let cfg: OidcConfig = serde_json::from_value(json!({
        "issuer": ISS,
        "audience": [AUD],
        "jwks": {"url": "https://idp.example.test/.well-known/jwks.json"},
        "claims": {"tenant_claim": "org_id", "role_map": {"org:admin": "studio_owner"}},
    }))
    .unwrap();
    assert_eq!(cfg.leeway_secs, DEFAULT_LEEWAY_SECS);
    assert_eq!(cfg.claims.user_claim, "sub");
    assert_eq!(cfg.claims.role_map["org:admin"], Role::StudioOwner);
    assert_eq!(cfg.jwks, JwksSource::Url("https://idp.example.test/.well-known/jwks.json".into()));
}
