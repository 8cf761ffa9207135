//! The job marketplace end to end, on both stores: studio A's manager posts
//! a public listing; a freelancer of studio B finds it on the board and
//! applies; A's manager shortlists and offers; the freelancer accepts, and
//! the pencil booking reaches A's board live (over a real WebSocket) on a
//! new artist of A linked to the freelancer; the freelancer's inbox in B
//! shows each step, the poster's in A the applicant's. An accept whose slot
//! is taken is refused with its free windows and changes nothing. Isolation
//! at every route: drafts, studio-only listings and applications are
//! another studio's `404`, and only the board crosses. Everything survives
//! a restart (PostgreSQL) or a SIGKILL (the embedded store).

mod common;

use common::wsclient::WsClient;
use common::{Api, TestServer, eventually, member, signup, spawn_server, temp_dir};
use pt_protocol::Event;
use pt_protocol::ws::{ServerFrame, View};
use serde_json::{Value, json};
use std::time::Duration;

struct Studios {
    a_owner: Api,
    a_manager: Api,
    b_owner: Api,
    freelancer: Api,
}

async fn studios(a_owner: Api, b_owner: Api) -> Studios {
    let (a_manager, _) = member(&a_owner, "studio_manager", None).await;
    let artist = b_owner.artist("Ana").await;
    let skills = json!({"skills": [{"name": "compositing", "level": 4}]});
    let r = b_owner.patch(&format!("/artist-profiles/{artist}"), skills).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let (freelancer, _) = member(&b_owner, "freelancer", Some(&artist)).await;
    Studios { a_owner, a_manager, b_owner, freelancer }
}

fn listing(title: &str, visibility: &str, status: &str, start: &str, end: &str) -> Value {
    json!({"title": title, "skills": [{"skill": "Compositing", "minLevel": 3}], "startDate": start, "endDate": end,
           "remote": true, "rate": {"min": 300, "max": 450, "currency": "GBP"}, "visibility": visibility,
           "status": status})
}

async fn post_job(api: &Api, body: Value) -> String {
    let r = api.post("/jobs", body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}

async fn transition(api: &Api, app: &str, to: &str) -> common::Resp {
    api.post(&format!("/job-applications/{app}/transition"), json!({"to": to})).await
}

/// The titles of the caller's `applicationChanged` notifications, oldest first.
async fn told(api: &Api) -> Vec<String> {
    let r = api.get("/notifications?limit=200").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let mut t: Vec<String> = r.data()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "applicationChanged")
        .map(|n| n["title"].as_str().unwrap().to_string())
        .collect();
    t.reverse();
    t
}

async fn told_all(api: &Api, want: &[&str]) -> Vec<String> {
    eventually(Duration::from_secs(10), || async {
        let t = told(api).await;
        want.iter().all(|w| t.iter().any(|x| x.contains(w))).then_some(t)
    })
    .await
}

/// Only the board crosses studios: drafts, studio-only listings and the
/// applications stay their studio's.
async fn isolation(s: &Studios, public: &str, draft: &str, own: &str) {
    let board = s.freelancer.get("/jobs/board").await;
    assert_eq!(board.status, 200, "{:?}", board.body);
    let ids: Vec<&str> = board.data().as_array().unwrap().iter().map(|i| i["job"]["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&public) && !ids.contains(&draft) && !ids.contains(&own), "{ids:?}");
    let item = board.data().as_array().unwrap().iter().find(|i| i["job"]["id"] == public).unwrap().clone();
    assert_eq!(item["studioName"], "Studio A");
    let fit = item["fit"]["reasons"].as_array().unwrap();
    assert_eq!(fit[0], "compositing 4 ≥ 3", "the freelancer's own artist is matched: {item}");
    // Filters.
    for (q, found) in [
        ("skill=compositing", true),
        ("skill=rigging", false),
        ("remote=false", false),
        ("minRate=500", false),
        ("minRate=400&currency=GBP", true),
        ("currency=EUR", false),
        ("from=2030-06-08", false),
        ("to=2030-06-04", true),
    ] {
        let r = s.freelancer.get(&format!("/jobs/board?{q}")).await;
        let has = r.data().as_array().unwrap().iter().any(|i| i["job"]["id"] == public);
        assert_eq!(has, found, "board?{q}: {:?}", r.body);
    }
    for path in [format!("/jobs/{draft}"), format!("/jobs/{own}"), format!("/jobs/{public}")] {
        assert_eq!(s.b_owner.get(&path).await.status, 404, "another studio's {path} is not B's");
    }
    assert!(s.b_owner.get("/jobs").await.data().as_array().unwrap().is_empty(), "B has no listings");
    let r = s.b_owner.patch(&format!("/jobs/{public}"), json!({"title": "Mine now"})).await;
    assert_eq!((r.status.as_u16(), r.code()), (404, "not_found"), "{:?}", r.body);
    assert_eq!(s.b_owner.delete(&format!("/jobs/{draft}")).await.status, 404);
    let r = s.b_owner.post(&format!("/jobs/{public}/invite"), json!({"artistId": uuid::Uuid::now_v7()})).await;
    assert_eq!(r.status, 404, "{:?}", r.body);
    for job in [draft, own] {
        let r = s.freelancer.post(&format!("/jobs/{job}/applications"), json!({})).await;
        assert_eq!((r.status.as_u16(), r.code()), (404, "not_found"), "{:?}", r.body);
    }
    let r = s.b_owner.post("/jobs", listing("x", "public", "open", "2030-06-03", "2030-06-04")).await;
    assert_eq!(r.status, 201, "an owner may post in their own studio: {:?}", r.body);
    let r = s.freelancer.post("/jobs", listing("x", "public", "open", "2030-06-03", "2030-06-04")).await;
    assert_eq!((r.status.as_u16(), r.code()), (403, "forbidden"), "{:?}", r.body);
}

/// Job alerts on before the listing is posted; after, the alert in B.
async fn alerts_on(s: &Studios) {
    let r = s
        .freelancer
        .send(s.freelancer.req(reqwest::Method::PUT, "/me/job-alerts").json(&json!({"enabled": true})))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.data()["skills"][0]["name"], "compositing");
    let r = s.b_owner.send(s.b_owner.req(reqwest::Method::PUT, "/me/job-alerts").json(&json!({"enabled": true}))).await;
    assert_eq!((r.status.as_u16(), r.code()), (422, "unprocessable"), "no artist, no skills: {:?}", r.body);
}

async fn alerted(s: &Studios, title: &str) {
    eventually(Duration::from_secs(10), || async {
        let r = s.freelancer.get("/notifications?limit=200").await;
        r.data()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "jobMatched" && n["title"] == title)
            .then_some(())
    })
    .await;
}

/// Saving, and the studio's own candidates ranked, one invited.
async fn saves_and_candidates(s: &Studios, public: &str, own: &str) {
    assert_eq!(s.freelancer.post(&format!("/jobs/{public}/save"), json!({})).await.status, 204);
    assert_eq!(s.freelancer.post(&format!("/jobs/{own}/save"), json!({})).await.status, 404, "not theirs to see");
    let saved = s.freelancer.get("/jobs/saved").await;
    assert_eq!(saved.data().as_array().unwrap().len(), 1, "{:?}", saved.body);
    assert_eq!(saved.data()[0]["saved"], true);
    let board = s.freelancer.get("/jobs/board").await;
    assert!(board.data().as_array().unwrap().iter().any(|i| i["job"]["id"] == public && i["saved"] == true));
    assert_eq!(s.freelancer.delete(&format!("/jobs/{public}/save")).await.status, 204);
    assert!(s.freelancer.get("/jobs/saved").await.data().as_array().unwrap().is_empty());

    let nova = s.a_owner.artist("Nova").await;
    let (a_freelancer, _) = member(&s.a_owner, "freelancer", Some(&nova)).await;
    let r = s.a_manager.get(&format!("/jobs/{public}/candidates")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let c = r.data().as_array().unwrap().iter().find(|c| c["artistId"] == nova.as_str()).unwrap().clone();
    assert!(c["fit"]["reasons"].as_array().unwrap().iter().any(|x| x == "free 5 of 5 days"), "{c}");
    assert_eq!(s.b_owner.get(&format!("/jobs/{public}/candidates")).await.status, 404);
    assert_eq!(s.freelancer.get(&format!("/jobs/{public}/candidates")).await.status, 403);
    let r = s.a_manager.post(&format!("/jobs/{public}/invite"), json!({"artistId": nova})).await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    eventually(Duration::from_secs(10), || async {
        let r = a_freelancer.get("/notifications?limit=50").await;
        r.data()["items"].as_array().unwrap().iter().any(|n| n["kind"] == "jobInvited").then_some(())
    })
    .await;
}

async fn run(s: &Studios, base: &str) -> (Vec<Value>, String) {
    let mut ws = WsClient::connect(base, &s.a_owner.token(), None).await;
    ws.subscribe(1, View::Tenant, None).await;
    alerts_on(s).await;
    let public = post_job(&s.a_manager, listing("Compositor", "public", "open", "2030-06-03", "2030-06-08")).await;
    let draft = post_job(&s.a_manager, listing("Draft", "public", "draft", "2030-06-03", "2030-06-08")).await;
    let own = post_job(&s.a_manager, listing("Studio only", "studio", "open", "2030-06-03", "2030-06-08")).await;
    isolation(s, &public, &draft, &own).await;
    alerted(s, "New job: Compositor").await;
    saves_and_candidates(s, &public, &own).await;

    // Apply once; a second live application is refused.
    let r = s.freelancer.post(&format!("/jobs/{public}/applications"), json!({"note": "Hi", "rate": 400})).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let app = r.data()["id"].as_str().unwrap().to_string();
    assert_eq!((r.data()["status"].as_str(), r.data()["applicantName"].is_string()), (Some("applied"), true));
    let r = s.freelancer.post(&format!("/jobs/{public}/applications"), json!({})).await;
    assert_eq!((r.status.as_u16(), r.code()), (422, "unprocessable"), "{:?}", r.body);

    // A ranks it, with the reasons; B sees none of A's applications, the freelancer theirs.
    let r = s.a_manager.get(&format!("/job-applications?jobId={public}")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let reasons = r.data()[0]["fit"]["reasons"].clone();
    assert_eq!(reasons, json!(["compositing 4 ≥ 3", "free days unknown", "rate within range"]), "{:?}", r.body);
    assert_eq!(s.b_owner.get(&format!("/job-applications?jobId={public}")).await.status, 404);
    let mine = s.freelancer.get("/job-applications").await;
    assert_eq!(mine.data()[0]["studioName"], "Studio A", "{:?}", mine.body);
    assert!(s.b_owner.get("/job-applications").await.data().as_array().unwrap().is_empty());

    // The studio's moves are the studio's; someone else's application is not found.
    assert_eq!(transition(&s.freelancer, &app, "shortlisted").await.status, 422);
    assert_eq!(transition(&s.b_owner, &app, "withdrawn").await.status, 404);
    assert_eq!(transition(&s.a_manager, &app, "shortlisted").await.status, 200);
    assert_eq!(transition(&s.a_manager, &app, "accepted").await.status, 422, "only the applicant accepts");
    let r = transition(&s.a_manager, &app, "offered").await;
    assert_eq!((r.status.as_u16(), r.data()["version"].as_u64()), (200, Some(3)), "{:?}", r.body);

    // Accept: the pencil reaches A's board live, on a new artist linked to the freelancer.
    let r = transition(&s.freelancer, &app, "accepted").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let booking = r.data()["bookingId"].as_str().unwrap().to_string();
    let live = loop {
        match ws.recv(Duration::from_secs(10)).await.expect("A's board hears of it") {
            ServerFrame::Event { event, .. } => match event.event {
                Event::BookingCreated { booking: b } if b.id.to_string() == booking => break b,
                _ => continue,
            },
            _ => continue,
        }
    };
    assert_eq!(live.status, pt_protocol::BookingStatus::Pencil);
    assert_eq!(live.artist_id.to_string(), r.data()["artistId"].as_str().unwrap());
    let members = s.a_owner.get("/studio/members").await;
    let linked = members.data().as_array().unwrap().iter().any(|m| m["artistId"] == r.data()["artistId"]);
    assert!(linked, "the new artist is linked to the freelancer: {:?}", members.body);
    let job = s.a_manager.get(&format!("/jobs/{public}")).await;
    assert_eq!(job.data()["status"], "filled", "its one position is taken");
    let board = s.freelancer.get("/jobs/board").await;
    assert!(!board.data().as_array().unwrap().iter().any(|i| i["job"]["id"] == public), "off the board once filled");

    // A second offer over the same days: refused with free windows, nothing changes.
    let clash = post_job(&s.a_manager, listing("Clash", "public", "open", "2030-06-04", "2030-06-06")).await;
    let r = s.freelancer.post(&format!("/jobs/{clash}/applications"), json!({})).await;
    let second = r.data()["id"].as_str().unwrap().to_string();
    assert_eq!(transition(&s.a_manager, &second, "offered").await.status, 200);
    let r = transition(&s.freelancer, &second, "accepted").await;
    assert_eq!((r.status.as_u16(), r.code()), (409, "conflict"), "{:?}", r.body);
    assert!(!r.body["error"]["details"]["freeWindows"].as_array().unwrap().is_empty(), "{:?}", r.body);
    let r = s.a_manager.get(&format!("/job-applications?jobId={clash}")).await;
    assert_eq!(r.data()[0]["application"]["status"], "offered", "nothing half-done: {:?}", r.body);
    let bookings = s.a_owner.get("/bookings?limit=1000").await;
    let on_artist =
        bookings.data().as_array().unwrap().iter().filter(|b| b["artistId"] == live.artist_id.to_string()).count();
    assert_eq!(on_artist, 1, "no second pencil");

    // Each step in the freelancer's inbox (in B); the applicant's moves in the poster's (in A).
    let steps = told_all(&s.freelancer, &["You applied", "Shortlisted", "Offer", "Pencilled in"]).await;
    assert!(steps.len() >= 4, "{steps:?}");
    told_all(&s.a_manager, &["applied for Compositor", "accepted your offer for Compositor"]).await;
    let applications = s.freelancer.get("/job-applications").await.data().as_array().unwrap().clone();
    (applications, booking)
}

async fn survives(s: &Studios, before: &[Value], booking: &str) {
    let now = s.freelancer.get("/job-applications").await;
    assert_eq!(now.data().as_array().unwrap(), before, "as before");
    assert_eq!(s.a_owner.get(&format!("/bookings/{booking}")).await.status, 200);
}

#[tokio::test]
async fn marketplace_on_postgres() {
    let (srv, db) = TestServer::start().await;
    let s = studios(srv.studio("Studio A").await, srv.studio("Studio B").await).await;
    let (before, booking) = run(&s, &srv.base).await;
    srv.stop().await;
    let srv = TestServer::start_on(&db.url, Default::default()).await;
    let at = |a: &Api| a.at(&srv.base);
    let s = Studios {
        a_owner: at(&s.a_owner),
        a_manager: at(&s.a_manager),
        b_owner: at(&s.b_owner),
        freelancer: at(&s.freelancer),
    };
    survives(&s, &before, &booking).await;
    srv.stop().await;
}

#[tokio::test]
async fn marketplace_on_the_embedded_store() {
    let dir = temp_dir("jobs");
    let args = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (mut child, base) = spawn_server(&args).await;
    let anon = common::anon_at(&base);
    let s = studios(signup(&anon, "Studio A").await, signup(&anon, "Studio B").await).await;
    let (before, booking) = run(&s, &base).await;
    let pid = child.id().unwrap().to_string();
    assert!(std::process::Command::new("kill").args(["-KILL", &pid]).status().unwrap().success());
    let _ = tokio::time::timeout(Duration::from_secs(30), child.wait()).await;
    let (_child, base) = spawn_server(&args).await;
    let at = |a: &Api| a.at(&base);
    let s = Studios {
        a_owner: at(&s.a_owner),
        a_manager: at(&s.a_manager),
        b_owner: at(&s.b_owner),
        freelancer: at(&s.freelancer),
    };
    survives(&s, &before, &booking).await;
    let _ = std::fs::remove_dir_all(&dir);
}
