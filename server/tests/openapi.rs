//! The served OpenAPI document is the contract: these tests pin the
//! properties a client generator or a fuzzer relies on (unique operation ids,
//! parameters where they really are, security, every error answer, nullable
//! `details`, constraints), and that `/api/docs` renders it from files of our
//! own. `scripts/schemathesis.sh` checks the document against the live server.

mod common;

use common::TestServer;
use pt_server::openapi::PUBLIC;
use serde_json::Value;
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["get", "post", "patch", "delete", "put"];

async fn document(srv: &TestServer) -> Value {
    let res = srv.client.get(format!("{}/api/v1/openapi.json", srv.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Every operation: (method, path, operation object).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m.to_string(), path.clone(), op.clone()));
            }
        }
    }
    out
}

/// Every `$ref` in the document, recursively.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn operations_have_unique_verb_noun_ids_security_and_every_error_answer() {
    let (srv, _db) = TestServer::start().await;
    let doc = document(&srv).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["servers"][0]["url"], "/api/v1", "paths are relative to /api/v1");
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!((scheme["type"].as_str(), scheme["scheme"].as_str()), (Some("http"), Some("bearer")));

    let ops = operations(&doc);
    assert!(ops.len() >= 30, "{} operations", ops.len());
    let mut ids = BTreeSet::new();
    for (method, path, op) in &ops {
        let at = format!("{method} {path}");
        let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{at} has no operationId"));
        assert!(ids.insert(id.to_string()), "{at}: operationId {id} is used twice");
        let verb_noun = id.chars().next().unwrap().is_ascii_lowercase()
            && id.chars().any(|c| c.is_ascii_uppercase())
            && id.chars().all(|c| c.is_ascii_alphanumeric());
        assert!(verb_noun, "{at}: {id} is not a camelCase verb-noun id");

        let responses = op["responses"].as_object().unwrap();
        for status in ["429", "500", "503"] {
            assert!(responses.contains_key(status), "{at} lacks {status}");
        }
        for status in ["429", "503"] {
            assert!(responses[status]["headers"]["Retry-After"].is_object(), "{at}: {status} without Retry-After");
        }
        for (status, res) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    res["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                    "{at}: {status} is not the error envelope"
                );
            }
        }
        if op.get("requestBody").is_some() {
            for status in ["400", "413", "415"] {
                assert!(responses.contains_key(status), "{at} takes a body but lacks {status}");
            }
        }

        let public = PUBLIC.contains(&id);
        let security = &op["security"];
        if public {
            assert!(security.is_null(), "{at}: {id} is public but asks for a token");
        } else {
            assert_eq!(security, &serde_json::json!([{ "bearer": [] }]), "{at}: no bearer security");
            assert!(responses.contains_key("401"), "{at} lacks 401");
            assert!(responses["401"]["headers"]["WWW-Authenticate"].is_object(), "{at}: 401 without challenge");
        }

        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            match p["in"].as_str().unwrap() {
                "path" => {
                    assert!(path.contains(&format!("{{{name}}}")), "{at}: `{name}` is not in the path");
                    assert_eq!(p["required"], true, "{at}: path parameter {name} not required");
                }
                "query" | "header" => {}
                other => panic!("{at}: parameter {name} in {other}"),
            }
        }
        let template: Vec<_> = path.split('/').filter(|s| s.starts_with('{')).collect();
        let in_path = op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path").count();
        assert_eq!(template.len(), in_path, "{at}: path parameters do not match the template");
    }
    for id in ["listBookings", "getBooking", "createBooking", "updateBooking", "cancelBooking", "listArtists"] {
        assert!(ids.contains(id), "no {id}: {ids:?}");
    }
    for id in PUBLIC {
        assert!(ids.contains(id), "public operation {id} is not in the document");
    }

    // Every reference resolves.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(doc["components"]["schemas"][name].is_object(), "dangling $ref {r}");
    }
    srv.stop().await;
}

#[tokio::test]
async fn schemas_say_what_the_server_enforces() {
    let (srv, _db) = TestServer::start().await;
    let doc = document(&srv).await;
    let schemas = &doc["components"]["schemas"];

    // `details` is always sent, often as null.
    let error = &schemas["ErrorObject"];
    let required: Vec<_> = error["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(required.contains(&"details"), "details is always present: {error}");
    let types = &error["properties"]["details"]["type"];
    assert!(types.as_array().is_some_and(|t| t.contains(&"null".into())), "details is nullable: {error}");
    let res = srv.client.get(format!("{}/api/v1/auth/me", srv.base)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_object().unwrap().contains_key("details"), "{body}");

    // String lengths and patterns from the domain's validation.
    // Titles and names are trimmed before their length counts: the bound is in the pattern.
    let title = schemas["NewBooking"]["properties"]["title"]["pattern"].as_str().unwrap();
    assert!(title.contains("{0,253}"), "{title}");
    let name = schemas["NewArtist"]["properties"]["name"]["pattern"].as_str().unwrap();
    assert!(name.contains("{0,198}"), "{name}");
    assert_eq!(schemas["NewBooking"]["properties"]["notes"]["maxLength"].as_u64(), Some(10_000));
    assert_eq!(schemas["BookingPatch"]["properties"]["version"]["minimum"].as_u64(), Some(1));
    assert_eq!(schemas["NewArtist"]["properties"]["skills"]["maxItems"].as_u64(), Some(50));
    let zones = schemas["TimeZoneName"]["enum"].as_array().expect("time zones are listed");
    assert!(zones.contains(&"Europe/London".into()) && zones.contains(&"UTC".into()));

    // Query parameters are in the query, with their bounds.
    let list = &doc["paths"]["/bookings"]["get"]["parameters"];
    let param = |n: &str| list.as_array().unwrap().iter().find(|p| p["name"] == n).cloned().unwrap();
    for p in ["artist", "project", "status", "from", "to", "page", "limit"] {
        let p = param(p);
        assert_eq!((p["in"].as_str(), p["required"].as_bool()), (Some("query"), Some(false)), "{p}");
    }
    let limit = param("limit");
    assert_eq!((limit["schema"]["minimum"].as_u64(), limit["schema"]["maximum"].as_u64()), (Some(1), Some(1000)));
    assert_eq!(param("page")["schema"]["minimum"].as_u64(), Some(1));
    // Bodies are objects: serde would read a struct from a JSON array too.
    let post = |path: &str, body: &str| {
        srv.client
            .post(format!("{}/api/v1{path}", srv.base))
            .bearer_auth(&srv.owner_token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    for body in [r#"["Ada"]"#, "null", r#""Ada""#, " [ ] "] {
        let res = post("/artists", body).await.unwrap();
        assert_eq!(res.status(), 400, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["details"]["fields"][0]["reason"], "the body must be a JSON object", "{body}");
    }
    assert_eq!(post("/artists", r#" {"name": "Ada"}"#).await.unwrap().status(), 201);
    let pages = srv
        .client
        .get(format!("{}/api/v1/artists?page=2147483648", srv.base))
        .bearer_auth(&srv.owner_token)
        .send()
        .await
        .unwrap();
    assert_eq!(pages.status(), 400, "pages end where the document says (int32)");

    let period = &doc["paths"]["/artists/{id}/availability"]["get"]["parameters"];
    for p in period.as_array().unwrap().iter().filter(|p| p["in"] == "query") {
        assert_eq!(p["required"], true, "availability needs both ends: {p}");
    }
    srv.stop().await;
}

#[tokio::test]
async fn api_docs_render_from_our_own_files_under_a_narrow_csp() {
    let (srv, _db) = TestServer::start().await;
    let page = srv.client.get(format!("{}/api/docs", srv.base)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert_eq!(csp, pt_server::api_docs::CSP);
    assert!(csp.contains("script-src 'self';") && !csp.contains("unsafe-eval"), "{csp}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff", "the other security headers stay");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"src="/api/docs/api-docs.js""#), "{html}");
    assert!(!html.contains("https://"), "no CDN: {html}");

    let init = srv.client.get(format!("{}/api/docs/api-docs.js", srv.base)).send().await.unwrap();
    assert_eq!(init.status(), 200);
    assert_eq!(init.headers()["content-type"], "text/javascript; charset=utf-8");
    let init = init.text().await.unwrap();
    assert!(init.contains(r#"from "/api/docs/redoc.standalone.js""#), "{init}");
    assert!(init.contains(r#""/api/v1/openapi.json""#) && init.contains("disableTelemetry: true"), "{init}");

    let script = srv.client.get(format!("{}/api/docs/redoc.standalone.js", srv.base)).send().await.unwrap();
    assert_eq!(script.status(), 200);
    assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
    let js = script.bytes().await.unwrap();
    assert!(js.len() > 1_000_000, "the whole bundle: {} bytes", js.len());
    assert!(std::str::from_utf8(&js[..200]).unwrap().contains("Version: 3.0.1"));
    srv.stop().await;
}
