//! REST booking behaviour against a real server and a real PostgreSQL.

mod common;

use common::{TestServer, eventually};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn tour_pencil_then_conflict_with_free_windows() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Ada Lovelace").await;

    let first = api.book(&a, "2027-03-01T09:00:00Z", "2027-03-01T17:00:00Z", "pencil").await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.data()["status"], "pencil");
    assert_eq!(first.data()["version"], 1);
    assert!(first.headers.get("x-seq").is_some());

    let clash = api.book(&a, "2027-03-01T12:00:00Z", "2027-03-01T18:00:00Z", "confirmed").await;
    assert_eq!(clash.status, 409);
    assert_eq!(clash.code(), "conflict");
    let details = &clash.body["error"]["details"];
    assert_eq!(details["conflicts"][0]["id"], first.data()["id"]);
    let windows = details["freeWindows"].as_array().unwrap();
    assert!(!windows.is_empty(), "a conflict names free windows");
    assert_eq!(windows[0]["start"], "2027-03-01T17:00:00Z", "nearest window starts when the pencil ends");
    assert_eq!(details["alternatives"].as_array().unwrap().len(), 0, "nobody else has the skill yet");
    // Another compositor who is free is suggested; one who is busy is not.
    let free_colleague = api.artist("Bea Free").await;
    let busy_colleague = api.artist("Cy Busy").await;
    api.book(&busy_colleague, "2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z", "confirmed").await;
    let clash = api.book(&a, "2027-03-01T12:00:00Z", "2027-03-01T18:00:00Z", "confirmed").await;
    let alts: Vec<&str> = clash.body["error"]["details"]["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(alts, [free_colleague.as_str()], "busy {busy_colleague} must not be suggested");

    // Touching ranges are fine; holds may overlap and are ranked.
    let touching = api.book(&a, "2027-03-01T17:00:00Z", "2027-03-01T18:00:00Z", "confirmed").await;
    assert_eq!(touching.status, 201, "{:?}", touching.body);
    let h1 = api.book(&a, "2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z", "hold").await;
    let h2 = api.book(&a, "2027-03-01T10:30:00Z", "2027-03-01T11:30:00Z", "hold").await;
    assert_eq!((h1.status.as_u16(), h2.status.as_u16()), (201, 201));
    assert_eq!(h1.data()["holdRank"], 1);
    assert_eq!(h2.data()["holdRank"], 2);
    assert!(h1.data()["expiresAt"].is_string(), "holds expire");

    let list = api.get(&format!("/artists/{a}/bookings?from=2027-03-01T00:00:00Z&to=2027-03-02T00:00:00Z")).await;
    assert_eq!(list.data().as_array().unwrap().len(), 4);
    let avail = api.get(&format!("/artists/{a}/availability?from=2027-03-01T00:00:00Z&to=2027-03-03T00:00:00Z")).await;
    assert_eq!(avail.status, 200);
    // Free working time: Monday is booked to 18:00; Tuesday is free 09:00–18:00 (UTC artist).
    assert_eq!(avail.data()["free"][0], json!({"start": "2027-03-02T09:00:00Z", "end": "2027-03-02T18:00:00Z"}));
    srv.stop().await;
}

#[tokio::test]
async fn sixty_four_racing_clients_exactly_one_wins() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Racer").await;
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (api, a) = (api.clone(), a.clone());
            tokio::spawn(async move { api.book(&a, "2026-05-04T09:00:00Z", "2026-05-04T18:00:00Z", "pencil").await })
        })
        .collect();
    let mut created = 0;
    let mut conflicts = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status.as_u16() {
            201 => created += 1,
            409 => {
                assert_eq!(r.code(), "conflict");
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {:?}", r.body),
        }
    }
    assert_eq!((created, conflicts), (1, 63));
    let sql = srv.sql().await;
    let n: i64 = sql
        .query_one(
            "SELECT count(*) FROM bookings WHERE artist_id = $1::text::uuid AND status IN ('pencil','confirmed')
             AND tstzrange(start_time, end_time, '[)') && tstzrange('2026-05-04T09:00:00Z', '2026-05-04T18:00:00Z', '[)')",
            &[&a],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1, "the database holds exactly one exclusive booking for the slot");
    srv.stop().await;
}

#[tokio::test]
async fn versions_transitions_cancel_and_audit_trail() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Grace").await;
    let p = api.book(&a, "2026-04-01T09:00:00Z", "2026-04-01T12:00:00Z", "pencil").await;
    let id = p.data()["id"].as_str().unwrap().to_string();
    let hold = api.book(&a, "2026-04-01T10:00:00Z", "2026-04-01T11:00:00Z", "hold").await;
    let hold_id = hold.data()["id"].as_str().unwrap().to_string();

    // A stale version is refused with the current one.
    let stale = api.patch(&format!("/bookings/{id}"), json!({"version": 7, "title": "x"})).await;
    assert_eq!((stale.status.as_u16(), stale.code()), (409, "version_mismatch"));
    assert_eq!(stale.body["error"]["details"]["currentVersion"], 1);

    let upd =
        api.patch(&format!("/bookings/{id}"), json!({"version": 1, "title": "Comp: shot 020", "notes": "night"})).await;
    assert_eq!(upd.status, 200, "{:?}", upd.body);
    assert_eq!(upd.data()["version"], 2);

    // Promoting the hold into the pencilled slot is a conflict at that moment.
    let promote = api.post(&format!("/bookings/{hold_id}/transition"), json!({"version": 1, "to": "pencil"})).await;
    assert_eq!((promote.status.as_u16(), promote.code()), (409, "conflict"));
    // Not an allowed transition.
    let back = api.post(&format!("/bookings/{id}/transition"), json!({"version": 2, "to": "hold"})).await;
    assert_eq!((back.status.as_u16(), back.code()), (422, "unprocessable"));

    let confirm = api.post(&format!("/bookings/{id}/transition"), json!({"version": 2, "to": "confirmed"})).await;
    assert_eq!(confirm.data()["status"], "confirmed");
    let cancel = api.delete(&format!("/bookings/{id}")).await;
    assert_eq!((cancel.status.as_u16(), cancel.data()["status"].as_str()), (200, Some("cancelled")));
    // Now the hold can be promoted.
    let promote = api.post(&format!("/bookings/{hold_id}/transition"), json!({"version": 1, "to": "pencil"})).await;
    assert_eq!(promote.status, 200, "{:?}", promote.body);
    assert!(promote.data()["expiresAt"].is_null());

    let events = api.get(&format!("/bookings/{id}/events")).await;
    let kinds: Vec<&str> =
        events.data().as_array().unwrap().iter().map(|e| e["event"]["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["bookingCreated", "bookingUpdated", "bookingStatusChanged", "bookingStatusChanged"]);
    let seqs: Vec<u64> = events.data().as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));

    let filtered = api.get("/bookings?status=cancelled").await;
    assert_eq!(filtered.body["meta"]["total"], 1);
    let page = api.get("/bookings?limit=1&page=2").await;
    assert_eq!((page.body["meta"]["total"].as_u64(), page.data().as_array().unwrap().len()), (Some(2), 1));
    srv.stop().await;
}

#[tokio::test]
async fn idempotency_key_replays_the_original_answer() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Idem").await;
    let body = json!({"artistId": a, "title": "Retry me", "startTime": "2026-06-01T09:00:00Z", "endTime": "2026-06-01T10:00:00Z"});
    let send = |b: serde_json::Value| {
        let api = api.clone();
        async move {
            api.send(api.req(reqwest::Method::POST, "/bookings").header("idempotency-key", "order-42").json(&b)).await
        }
    };
    let first = send(body.clone()).await;
    let again = send(body.clone()).await;
    assert_eq!((first.status.as_u16(), again.status.as_u16()), (201, 201));
    assert_eq!(first.data()["id"], again.data()["id"]);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    let mut other = body.clone();
    other["title"] = json!("Something else");
    let reused = send(other).await;
    assert_eq!((reused.status.as_u16(), reused.code()), (422, "idempotency_key_reused"));
    let n: i64 = srv.sql().await.query_one("SELECT count(*) FROM bookings", &[]).await.unwrap().get(0);
    assert_eq!(n, 1);
    srv.stop().await;
}

#[tokio::test]
async fn holds_expire_by_timer_and_overdue_holds_expire_on_activation() {
    let (srv, db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Timer").await;
    let soon = pt_protocol::Timestamp::now().plus_micros(600_000).to_rfc3339();
    let h = api
        .post(
            "/bookings",
            json!({"artistId": a, "title": "Brief hold", "status": "hold", "expiresAt": soon,
            "startTime": "2026-07-01T09:00:00Z", "endTime": "2026-07-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(h.status, 201, "{:?}", h.body);
    let id = h.data()["id"].as_str().unwrap().to_string();
    eventually(Duration::from_secs(5), || {
        let api = api.clone();
        let id = id.clone();
        async move { (api.get(&format!("/bookings/{id}")).await.data()["status"] == "expired").then_some(()) }
    })
    .await;
    // The status is read from memory; the audit trail from the store, once
    // the expiry is durable (write-behind: a moment later).
    eventually(Duration::from_secs(5), || {
        let api = api.clone();
        let id = id.clone();
        async move {
            let events = api.get(&format!("/bookings/{id}/events")).await;
            let last = events.data().as_array().unwrap().last().unwrap().clone();
            (last["by"] == "system:expiry").then_some(())
        }
    })
    .await;

    // A hold that lapses while the server is down expires on the next activation.
    let later = pt_protocol::Timestamp::now().plus_micros(400_000).to_rfc3339();
    let h2 = api
        .post(
            "/bookings",
            json!({"artistId": a, "title": "Lapses offline", "status": "hold", "expiresAt": later,
            "startTime": "2026-07-02T09:00:00Z", "endTime": "2026-07-02T10:00:00Z"}),
        )
        .await;
    let id2 = h2.data()["id"].as_str().unwrap().to_string();
    srv.stop().await;
    tokio::time::sleep(Duration::from_millis(500)).await; // let the hold lapse while no server runs
    let srv = TestServer::start_on(&db.url, Default::default()).await;
    let api = srv.api();
    eventually(Duration::from_secs(5), || {
        let api = api.clone();
        let id2 = id2.clone();
        async move { (api.get(&format!("/bookings/{id2}")).await.data()["status"] == "expired").then_some(()) }
    })
    .await;
    srv.stop().await;
}

#[tokio::test]
async fn moving_a_booking_between_artists_is_atomic() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let (a, b) = (api.artist("Source").await, api.artist("Target").await);
    let m = api.book(&a, "2026-08-03T09:00:00Z", "2026-08-03T12:00:00Z", "confirmed").await;
    let id = m.data()["id"].as_str().unwrap().to_string();
    let blocker = api.book(&b, "2026-08-03T11:00:00Z", "2026-08-03T13:00:00Z", "pencil").await;
    assert_eq!(blocker.status, 201);

    // The target is busy: refused, nothing changes anywhere.
    let refused = api.patch(&format!("/bookings/{id}"), json!({"version": 1, "artistId": b})).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (409, "conflict"));
    assert_eq!(api.get(&format!("/bookings/{id}")).await.data()["artistId"], a.as_str());

    // Move earlier, where the target is free.
    let moved = api
        .patch(
            &format!("/bookings/{id}"),
            json!({"version": 1, "artistId": b,
            "startTime": "2026-08-03T07:00:00Z", "endTime": "2026-08-03T10:00:00Z"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert_eq!((moved.data()["artistId"].as_str(), moved.data()["version"].as_u64()), (Some(b.as_str()), Some(2)));
    let a_list = api.get(&format!("/artists/{a}/bookings")).await;
    assert!(a_list.data().as_array().unwrap().is_empty());
    // The freed slot on the source can be booked again at once.
    let rebook = api.book(&a, "2026-08-03T09:00:00Z", "2026-08-03T12:00:00Z", "confirmed").await;
    assert_eq!(rebook.status, 201);
    let row = srv
        .sql()
        .await
        .query_one("SELECT artist_id::text FROM bookings WHERE id = $1::text::uuid", &[&id])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), b);
    let events = api.get(&format!("/bookings/{id}/events")).await;
    assert_eq!(events.data()[1]["event"]["type"], "bookingMoved");
    srv.stop().await;
}

#[tokio::test]
async fn a_write_the_database_refuses_is_reverted_and_reported() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Breach").await;
    let ok = api.book(&a, "2026-09-01T09:00:00Z", "2026-09-01T10:00:00Z", "pencil").await;
    assert_eq!(ok.status, 201);
    // Behind the server's back, someone writes a pencil straight into the table.
    let sql = srv.sql().await;
    sql.execute(
        "INSERT INTO bookings (tenant_id, id, artist_id, title, start_time, end_time, status, version, created_at,
            created_by, updated_at, updated_by)
         SELECT tenant_id, gen_random_uuid(), artist_id, 'rogue', '2026-09-02T09:00:00Z', '2026-09-02T17:00:00Z',
            'pencil', 1, now(), 'sql', now(), 'sql' FROM bookings WHERE id = $1::text::uuid",
        &[&ok.data()["id"].as_str().unwrap()],
    )
    .await
    .unwrap();
    // Memory thinks the slot is free; the database's constraint refuses it.
    let r = api.book(&a, "2026-09-02T10:00:00Z", "2026-09-02T11:00:00Z", "confirmed").await;
    assert_eq!((r.status.as_u16(), r.code()), (409, "reverted"), "{:?}", r.body);
    // The refused booking is gone from memory too; other work goes on.
    let list = api.get(&format!("/artists/{a}/bookings?from=2026-09-02T00:00:00Z&to=2026-09-03T00:00:00Z")).await;
    assert!(list.data().as_array().unwrap().is_empty(), "{:?}", list.body);
    let later = api.book(&a, "2026-09-03T09:00:00Z", "2026-09-03T10:00:00Z", "pencil").await;
    assert_eq!(later.status, 201);
    let ready =
        api.client.get(format!("{}/readyz", srv.base)).send().await.unwrap().json::<serde_json::Value>().await.unwrap();
    assert!(ready["counters"]["reverted"].as_u64().unwrap() >= 1);
    srv.stop().await;
}

#[tokio::test]
async fn state_survives_a_graceful_restart() {
    let (srv, db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Persistent").await;
    let b = api.book(&a, "2026-10-01T09:00:00Z", "2026-10-01T10:00:00Z", "confirmed").await;
    srv.stop().await;
    let srv = TestServer::start_on(&db.url, Default::default()).await;
    let api = srv.api();
    let got = api.get(&format!("/bookings/{}", b.data()["id"].as_str().unwrap())).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.data(), b.data());
    let again = api.book(&a, "2026-10-01T09:30:00Z", "2026-10-01T10:30:00Z", "pencil").await;
    assert_eq!(again.code(), "conflict", "the calendar is rebuilt from the store");
    srv.stop().await;
}

#[tokio::test]
async fn tenants_do_not_see_each_other() {
    let (srv, _db) = TestServer::start().await;
    let t1 = srv.studio("One").await;
    let t2 = srv.studio("Two").await;
    let a = t1.artist("Private").await;
    let b = t1.book(&a, "2026-11-02T09:00:00Z", "2026-11-02T10:00:00Z", "pencil").await;
    let bid = b.data()["id"].as_str().unwrap();
    assert_eq!(t2.get(&format!("/artists/{a}")).await.status, 404);
    assert_eq!(t2.get(&format!("/bookings/{bid}")).await.status, 404);
    assert_eq!(t2.get(&format!("/bookings/{bid}/events")).await.status, 404);
    assert_eq!(t2.book(&a, "2026-11-03T09:00:00Z", "2026-11-03T10:00:00Z", "pencil").await.status, 404);
    assert_eq!(t2.get("/bookings").await.body["meta"]["total"], 0);
    assert_eq!(t2.get("/artists").await.body["meta"]["total"], 0);
    let bad = srv.anonymous().with_token("not-a-token").get("/artists").await;
    assert_eq!((bad.status.as_u16(), bad.code()), (401, "unauthenticated"));
    srv.stop().await;
}

#[tokio::test]
async fn idle_tenants_passivate_and_come_back_transparently() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let a = api.artist("Sleeper").await;
    let b = api.book(&a, "2026-12-07T09:00:00Z", "2026-12-07T10:00:00Z", "pencil").await;
    assert_eq!(srv.registry.active_count().await, 1);
    // Not idle long enough: stays.
    assert_eq!(srv.registry.passivate_idle(Duration::from_secs(3600)).await, 0);
    assert_eq!(srv.registry.passivate_idle(Duration::ZERO).await, 1);
    assert_eq!(srv.registry.active_count().await, 0);
    // The next request reactivates it from the store, with its calendar.
    let got = api.get(&format!("/bookings/{}", b.data()["id"].as_str().unwrap())).await;
    assert_eq!(got.data(), b.data());
    assert_eq!(srv.registry.active_count().await, 1);
    let clash = api.book(&a, "2026-12-07T09:30:00Z", "2026-12-07T10:30:00Z", "confirmed").await;
    assert_eq!(clash.code(), "conflict");
    srv.stop().await;
}
