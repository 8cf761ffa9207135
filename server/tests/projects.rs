//! Projects over REST and the WebSocket against a real server and a real
//! PostgreSQL: the plan's rules as a client meets them (ranges, cycles,
//! push and strict), bookings that name projects and phases, who sees what,
//! live project views, and a restart.

mod common;

use common::wsclient::WsClient;
use common::{TestServer, member};
use pt_protocol::ws::{ServerFrame, View};
use pt_protocol::{Event, ProjectId};
use serde_json::{Value, json};
use std::time::Duration;

async fn project(api: &common::Api, code: &str) -> String {
    let r = api
        .post(
            "/projects",
            json!({ "name": format!("Project {code}"), "code": code, "client": "Acme", "startDate": "2026-03-02",
                    "endDate": "2026-06-01", "budgetDays": 120, "budgetAmount": 90000, "currency": "EUR" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}

async fn phase(api: &common::Api, project: &str, name: &str, start: &str, end: &str) -> String {
    let r = api
        .post(&format!("/projects/{project}/phases"), json!({ "name": name, "startDate": start, "endDate": end }))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.data()["id"].as_str().unwrap().to_string()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn plan_cycle_push_strict_and_schedule() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let p = project(&api, "NOVA").await;
    // Mon 2 Mar → Fri 6 Mar, then the next weeks.
    let a = phase(&api, &p, "Layout", "2026-03-02", "2026-03-07").await;
    let b = phase(&api, &p, "Animation", "2026-03-09", "2026-03-21").await;
    let c = phase(&api, &p, "Comp", "2026-03-23", "2026-03-28").await;

    // Outside the project's range: 422 naming the range.
    let outside = api
        .post(
            &format!("/projects/{p}/phases"),
            json!({ "name": "Late", "startDate": "2026-05-25", "endDate": "2026-06-05" }),
        )
        .await;
    assert_eq!((outside.status.as_u16(), outside.code()), (422, "unprocessable"), "{:?}", outside.body);
    assert!(
        outside.message().contains("2026-03-02") && outside.message().contains("2026-06-01"),
        "{}",
        outside.message()
    );

    for (pred, succ) in [(&a, &b), (&b, &c)] {
        let r = api
            .post(&format!("/projects/{p}/dependencies"), json!({ "predecessorId": pred, "successorId": succ }))
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        assert_eq!(r.data()["moved"], json!([]), "already satisfied");
    }
    // Closing the loop is refused, naming the cycle in order.
    let cycle = api.post(&format!("/projects/{p}/dependencies"), json!({ "predecessorId": c, "successorId": a })).await;
    assert_eq!((cycle.status.as_u16(), cycle.code()), (422, "dependency_cycle"), "{:?}", cycle.body);
    assert_eq!(ids(&cycle.body["error"]["details"]["cycle"]), [a.clone(), b.clone(), c.clone()]);

    // Strict: moving Layout a week later breaks Layout → Animation.
    let strict = api
        .patch(
            &format!("/project-phases/{a}"),
            json!({ "startDate": "2026-03-09", "endDate": "2026-03-14", "mode": "strict" }),
        )
        .await;
    assert_eq!((strict.status.as_u16(), strict.code()), (422, "dependency_violation"), "{:?}", strict.body);
    assert_eq!(strict.body["error"]["details"]["violations"][0]["successorId"], json!(b));

    // The preview tells what push would move, and changes nothing.
    let body = json!({ "startDate": "2026-03-09", "endDate": "2026-03-14" });
    let preview = api.post(&format!("/project-phases/{a}/preview"), body.clone()).await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    let plan = api.get(&format!("/projects/{p}")).await;
    assert_eq!(plan.data()["phases"][0]["startDate"], "2026-03-02", "a preview changes nothing");

    // Push: Animation and Comp move a week, each listed with old and new dates.
    let pushed = api.patch(&format!("/project-phases/{a}"), body).await;
    assert_eq!(pushed.status, 200, "{:?}", pushed.body);
    assert_eq!(pushed.data()["moved"], preview.data()["moved"]);
    let moved = pushed.data()["moved"].as_array().unwrap();
    assert_eq!(moved.len(), 2, "{moved:?}");
    assert_eq!(
        moved[0],
        json!({ "phaseId": b, "oldStart": "2026-03-09", "oldEnd": "2026-03-21", "newStart": "2026-03-16", "newEnd": "2026-03-28" })
    );
    assert_eq!(moved[1]["phaseId"], json!(c));
    assert_eq!(moved[1]["newStart"], "2026-03-30");

    // The schedule: one chain, all critical, slack 0.
    let s = api.get(&format!("/projects/{p}/schedule")).await;
    assert_eq!(s.status, 200, "{:?}", s.body);
    assert_eq!(ids(&s.data()["criticalPath"]), [a.clone(), b.clone(), c.clone()]);
    assert!(s.data()["phases"].as_array().unwrap().iter().all(|x| x["slackDays"] == 0));

    // Milestones; progress.
    let m = api
        .post(&format!("/projects/{p}/milestones"), json!({ "name": "Lock", "date": "2026-03-28", "phaseId": b }))
        .await;
    assert_eq!(m.status, 201, "{:?}", m.body);
    let done = api
        .patch(&format!("/milestones/{}", m.data()["id"].as_str().unwrap()), json!({ "done": true, "version": 1 }))
        .await;
    assert_eq!((done.status.as_u16(), done.data()["done"].clone()), (200, json!(true)), "{:?}", done.body);
    let prog = api.patch(&format!("/project-phases/{a}"), json!({ "progress": 100 })).await;
    assert_eq!(prog.data()["moved"], json!([]));

    // Deleting a phase takes its dependencies and unlinks its milestones.
    let del = api.delete(&format!("/project-phases/{b}")).await;
    assert_eq!(del.status, 200, "{:?}", del.body);
    let plan = api.get(&format!("/projects/{p}")).await;
    assert_eq!(plan.data()["dependencies"], json!([]));
    assert_eq!(plan.data()["milestones"][0]["phaseId"], Value::Null);
    srv.stop().await;
}

#[tokio::test]
async fn bookings_name_live_projects_and_their_phases() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let art = api.artist("Ada").await;
    let p = project(&api, "LH").await;
    let other = project(&api, "NS2").await;
    let ph = phase(&api, &p, "Comp", "2026-03-02", "2026-03-28").await;
    let other_ph = phase(&api, &other, "Comp", "2026-03-02", "2026-03-28").await;
    let book = |project: Value, phase: Value| {
        api.post(
            "/bookings",
            json!({ "artistId": art, "projectId": project, "phaseId": phase, "title": "Shot", "status": "pencil",
                    "startTime": "2026-03-03T09:00:00Z", "endTime": "2026-03-03T17:00:00Z" }),
        )
    };
    let ok = book(json!(p), json!(ph)).await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);
    assert_eq!(ok.data()["phaseId"], json!(ph));
    let wrong = book(json!(p), json!(other_ph)).await;
    assert_eq!((wrong.status.as_u16(), wrong.code()), (422, "unprocessable"), "{:?}", wrong.body);
    let unknown = book(json!(ProjectId::new().to_string()), Value::Null).await;
    assert_eq!((unknown.status.as_u16(), unknown.code()), (422, "unprocessable"));

    let listed = api.get(&format!("/projects/{p}/bookings")).await;
    assert_eq!(listed.data().as_array().unwrap().len(), 1);
    // A phase with an active booking stays.
    let del = api.delete(&format!("/project-phases/{ph}")).await;
    assert_eq!((del.status.as_u16(), del.code()), (422, "unprocessable"), "{:?}", del.body);

    // Archived: readable, listed when asked, takes no new bookings.
    let arch = api.delete(&format!("/projects/{p}")).await;
    assert_eq!((arch.status.as_u16(), arch.data()["status"].clone()), (200, json!("archived")));
    let refused = book(json!(p), Value::Null).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (422, "unprocessable"));
    assert!(refused.message().contains("archived"), "{}", refused.message());
    let active = api.get("/projects").await;
    assert_eq!(active.data().as_array().unwrap().len(), 1);
    let archived = api.get("/projects?status=archived").await;
    assert_eq!(archived.data()[0]["id"], json!(p));
    // Codes are unique per studio, whatever the case.
    let dup = api
        .post("/projects", json!({ "name": "Again", "code": "lh", "startDate": "2026-03-02", "endDate": "2026-04-01" }))
        .await;
    assert_eq!((dup.status.as_u16(), dup.code()), (400, "invalid"), "{:?}", dup.body);
    srv.stop().await;
}

#[tokio::test]
async fn freelancers_see_their_projects_without_budgets_and_change_nothing() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let mine = api.artist("Fay").await;
    let booked = project(&api, "MINE").await;
    let unseen = project(&api, "OTHER").await;
    let r = api
        .post(
            "/bookings",
            json!({ "artistId": mine, "projectId": booked, "title": "Shot", "status": "hold",
                    "startTime": "2026-03-03T09:00:00Z", "endTime": "2026-03-03T17:00:00Z" }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let (fl, _) = member(&api, "freelancer", Some(&mine)).await;
    let list = fl.get("/projects").await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    let projects = list.data().as_array().unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0]["id"], json!(booked));
    assert_eq!(projects[0]["budgetAmount"], Value::Null, "budgets are the studio's");
    assert_eq!(fl.get(&format!("/projects/{unseen}")).await.status, 404);
    let edit = fl.patch(&format!("/projects/{booked}"), json!({ "name": "Mine now" })).await;
    assert_eq!((edit.status.as_u16(), edit.code()), (403, "forbidden"));
    assert_eq!(fl.patch(&format!("/projects/{unseen}"), json!({ "name": "x" })).await.status, 404);
    let (manager, _) = member(&api, "studio_manager", None).await;
    assert_eq!(manager.get(&format!("/projects/{unseen}")).await.data()["project"]["budgetAmount"], 90000);
    srv.stop().await;
}

#[tokio::test]
async fn a_project_view_sees_phase_moves_live_and_survives_a_restart() {
    let (srv, db) = TestServer::start().await;
    let api = srv.api();
    let p = project(&api, "LIVE").await;
    let a = phase(&api, &p, "Layout", "2026-03-02", "2026-03-07").await;
    let pid: ProjectId = p.parse().unwrap();
    let mut ws = WsClient::connect(&srv.base, &srv.owner_token, None).await;
    ws.send(&pt_protocol::ws::ClientFrame::Subscribe {
        sub_id: 1,
        view: View::Project { project_id: pid },
        resume_from_seq: None,
    })
    .await;
    let snap = loop {
        match ws.recv(Duration::from_secs(10)).await.expect("open") {
            ServerFrame::Snapshot { projects, .. } => break projects,
            _ => continue,
        }
    };
    assert_eq!(snap.len(), 1);
    assert_eq!(snap[0].phases.len(), 1);
    let r =
        api.patch(&format!("/project-phases/{a}"), json!({ "startDate": "2026-03-09", "endDate": "2026-03-14" })).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let moved = loop {
        match ws.recv(Duration::from_secs(10)).await.expect("open") {
            ServerFrame::Event { event, .. } => match event.event {
                Event::PhaseUpdated { phase } => break phase,
                _ => continue,
            },
            _ => continue,
        }
    };
    assert_eq!(moved.start_date.to_string(), "2026-03-09");
    let before = api.get(&format!("/projects/{p}")).await.body;
    srv.stop().await;

    let srv = TestServer::start_on(&db.url, Default::default()).await;
    let after = srv.api().get(&format!("/projects/{p}")).await.body;
    assert_eq!(before, after, "the plan is durable");
    srv.stop().await;
}

#[tokio::test]
async fn utilization_and_allocation_as_json_and_csv() {
    let (srv, _db) = TestServer::start().await;
    let api = srv.api();
    let art = api.artist("Ada").await;
    let p = project(&api, "REP").await;
    let r = api
        .post(
            &format!("/projects/{p}/phases"),
            json!({ "name": "Comp", "startDate": "2026-03-02", "endDate": "2026-03-14",
                    "effort": [{ "skill": "compositing", "days": 4 }] }),
        )
        .await;
    let ph = r.data()["id"].as_str().unwrap().to_string();
    // Mon–Wed 09:00–18:00 UTC confirmed (27 working hours, 3 days), a Thursday hold.
    for (start, end, status) in [
        ("2026-03-02T09:00:00Z", "2026-03-04T18:00:00Z", "confirmed"),
        ("2026-03-05T09:00:00Z", "2026-03-05T18:00:00Z", "hold"),
    ] {
        let b = api
            .post(
                "/bookings",
                json!({ "artistId": art, "projectId": p, "phaseId": ph, "title": "Shot", "status": status,
                        "startTime": start, "endTime": end, "allowOvertime": true }),
            )
            .await;
        assert_eq!(b.status, 201, "{:?}", b.body);
    }
    let u = api.get(&format!("/reports/utilization?from=2026-03-02&to=2026-03-09&artistId={art}")).await;
    assert_eq!(u.status, 200, "{:?}", u.body);
    let cell = &u.data()["rows"][0]["cells"][0];
    assert_eq!(cell["availableHours"], 45.0, "five 9-hour days");
    assert_eq!(cell["confirmedHours"], 27.0);
    assert_eq!(cell["holdHours"], 9.0);
    assert_eq!(cell["utilization"], 0.6);

    let csv = api
        .send(
            api.req(reqwest::Method::GET, "/reports/utilization?from=2026-03-02&to=2026-03-09")
                .header("accept", "text/csv"),
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with("artist_id,artist_name,period_start,"), "{text}");
    assert!(text.contains(&format!("{art},Ada,2026-03-02,45.00,9.00,0.00,27.00,")), "{text}");

    let a = api.get(&format!("/projects/{p}/allocation")).await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    let row = &a.data()["rows"][0];
    assert_eq!(
        (row["skill"].clone(), row["plannedDays"].clone(), row["bookedDays"].clone()),
        (json!("compositing"), json!(4.0), json!(3.0))
    );
    assert_eq!((row["heldDays"].clone(), row["status"].clone()), (json!(1.0), json!("under")));
    let (fl, _) = member(&api, "freelancer", Some(&art)).await;
    assert_eq!(fl.get("/reports/utilization?from=2026-03-02&to=2026-03-09").await.status, 403);
    srv.stop().await;
}
