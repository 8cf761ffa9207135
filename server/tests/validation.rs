//! Bad input: each a 4xx in the error envelope with a message that says what
//! is wrong — and nothing written.

mod common;

use common::TestServer;
use reqwest::Method;
use serde_json::json;

async fn event_count(srv: &TestServer) -> i64 {
    srv.sql().await.query_one("SELECT count(*) FROM events", &[]).await.unwrap().get(0)
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_writes_nothing() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Val").await;
    let before = event_count(&srv).await;

    let raw =
        |body: &'static str| api.req(Method::POST, "/bookings").header("content-type", "application/json").body(body);
    let r = api.send(raw("{\"artistId\": ")).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid"));
    assert!(r.message().contains("malformed JSON"), "{}", r.message());

    let good =
        json!({"artistId": a, "title": "T", "startTime": "2026-03-02T09:00:00Z", "endTime": "2026-03-02T10:00:00Z"});
    let mut unknown = good.clone();
    unknown["colour"] = json!("red");
    let r = api.post("/bookings", unknown).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid"));
    assert!(r.message().contains("unknown field `colour`"), "{}", r.message());

    let mut backwards = good.clone();
    backwards["endTime"] = json!("2026-03-02T08:00:00Z");
    let r = api.post("/bookings", backwards).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid"));
    assert_eq!(r.body["error"]["details"]["fields"][0]["field"], "endTime", "{:?}", r.body);

    let mut empty = good.clone();
    empty["endTime"] = good["startTime"].clone();
    assert_eq!(api.post("/bookings", empty).await.status, 400);

    let mut long = good.clone();
    long["endTime"] = json!("2027-03-05T09:00:00Z");
    let r = api.post("/bookings", long).await;
    assert_eq!(r.status, 400);
    assert!(r.message().contains("366 days"), "{}", r.message());

    let mut bad_uuid = good.clone();
    bad_uuid["artistId"] = json!("artist-7");
    let r = api.post("/bookings", bad_uuid).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid"));
    assert!(r.message().contains("artistId"), "{}", r.message());

    let mut bad_time = good.clone();
    bad_time["startTime"] = json!("next tuesday");
    let r = api.post("/bookings", bad_time).await;
    assert!(r.status == 400 && r.message().contains("RFC 3339"), "{}", r.message());

    let mut no_title = good.clone();
    no_title["title"] = json!("   ");
    let r = api.post("/bookings", no_title).await;
    assert_eq!(r.body["error"]["details"]["fields"][0]["field"], "title", "{:?}", r.body);

    let r = api.get("/bookings/not-a-uuid").await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid"));
    let r = api.get(&format!("/bookings/{}", uuid::Uuid::now_v7())).await;
    assert_eq!((r.status.as_u16(), r.code()), (404, "not_found"));

    let huge = json!({"artistId": a, "title": "T", "notes": "x".repeat(100_000),
        "startTime": "2026-03-02T09:00:00Z", "endTime": "2026-03-02T10:00:00Z"});
    let r = api.post("/bookings", huge).await;
    assert_eq!((r.status.as_u16(), r.code()), (413, "payload_too_large"));

    let r = api.send(api.req(Method::POST, "/bookings").body("{}")).await;
    assert_eq!(r.status, 415);

    let r = api.get("/bookings?status=maybe").await;
    assert_eq!((r.status.as_u16(), r.code()), (400, "invalid"));
    let r = api.get("/bookings?from=2026-03-02T09:00:00+01:00").await;
    assert!(r.status == 400 && r.message().contains("%2B"), "{}", r.message());
    let r = api.get("/bookings?limit=0").await;
    assert_eq!(r.status, 400);

    let r = api.post("/artists", json!({"name": "", "email": "nope", "timezone": "Mars/Olympus"})).await;
    assert_eq!(r.status, 400);
    let fields: Vec<&str> =
        r.body["error"]["details"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"name") && fields.contains(&"email") && fields.contains(&"timezone"), "{fields:?}");

    let r = api.get("/no/such/route").await;
    assert_eq!(r.status, 404);

    assert_eq!(event_count(&srv).await, before, "nothing was written");
    let n: i64 = srv.sql().await.query_one("SELECT count(*) FROM bookings", &[]).await.unwrap().get(0);
    assert_eq!(n, 0);
    srv.stop().await;
}

#[tokio::test]
async fn openapi_document_describes_every_route() {
    let (srv, _db) = TestServer::start().await;
    let doc: serde_json::Value =
        srv.client.get(format!("{}/api/v1/openapi.json", srv.base)).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/artists",
        "/artists/{id}",
        "/artists/{id}/bookings",
        "/artists/{id}/availability",
        "/bookings",
        "/bookings/{id}",
        "/bookings/{id}/transition",
        "/bookings/check-availability",
        "/bookings/{id}/events",
    ] {
        assert!(paths.contains_key(p), "missing {p}: {:?}", paths.keys().collect::<Vec<_>>());
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    // The edge limiter's answer is documented on every operation.
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            assert!(op["responses"]["429"].is_object(), "{method} {path} lacks its 429");
        }
    }
    assert!(doc["components"]["schemas"]["NewBooking"].is_object());
    let health = srv.client.get(format!("{}/healthz", srv.base)).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = srv.client.get(format!("{}/readyz", srv.base)).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    srv.stop().await;
}

#[tokio::test]
async fn check_availability_reports_conflicts_holds_and_windows() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Checker").await;
    api.book(&a, "2027-03-01T09:00:00Z", "2027-03-01T12:00:00Z", "confirmed").await;
    api.book(&a, "2027-03-01T13:00:00Z", "2027-03-01T14:00:00Z", "hold").await;
    let r = api
        .post(
            "/bookings/check-availability",
            json!({"artistId": a, "startTime": "2027-03-01T11:00:00Z", "endTime": "2027-03-01T13:30:00Z"}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["available"], false);
    assert_eq!(r.data()["conflicts"].as_array().unwrap().len(), 1);
    assert_eq!(r.data()["holds"][0]["holdRank"], 1);
    assert!(!r.data()["freeWindows"].as_array().unwrap().is_empty());
    let free = api
        .post(
            "/bookings/check-availability",
            json!({"artistId": a, "startTime": "2027-03-01T12:00:00Z", "endTime": "2027-03-01T13:00:00Z"}),
        )
        .await;
    assert_eq!(free.data()["available"], true);
    srv.stop().await;
}

#[tokio::test]
async fn demo_seed_is_realistic_and_idempotent() {
    let db = pt_actors::store::postgres::testing::fresh_db().await;
    let store = pt_actors::store::postgres::PgStore::connect(&db.url, 4).await.unwrap();
    use pt_actors::store::Store;
    store.migrate().await.unwrap();
    let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(store);
    let registry = pt_actors::Registry::new(store, Default::default());
    let made = pt_server::demo::seed(&registry).await.unwrap();
    assert!(made >= 40, "made {made}");
    assert_eq!(pt_server::demo::seed(&registry).await.unwrap(), 0, "a second run adds nothing");
    let t = registry.tenant(pt_protocol::DEMO_TENANT_ID).await.unwrap();
    assert_eq!(t.list_artists().await.unwrap().len(), 12);
    let all = t.list_bookings(None, Default::default()).await.unwrap();
    for s in ["hold", "pencil", "confirmed"] {
        assert!(all.iter().any(|b| b.booking.status.as_str() == s), "no {s} in the demo");
    }
    assert!(all.iter().any(|b| b.hold_rank == Some(2)), "the demo shows a ranked second hold");
    registry.shutdown().await;
}
