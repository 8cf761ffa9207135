//! Many freelancers accept at once: a listing with 2 positions, 8
//! freelancers of another studio offered it, all accepting concurrently over
//! real HTTP. Exactly 2 are accepted (each with its pencil, on an artist of
//! the listing's studio linked to them); the other 6 are refused (`422`,
//! "filled") and leave nothing behind — no pencil, no artist, no membership.
//! The listing ends `filled`. Then 8 applications by one freelancer at once:
//! exactly one is live.

mod common;

use common::{Api, TestServer, member};
use serde_json::json;

const FREELANCERS: usize = 8;
const POSITIONS: u64 = 2;

async fn freelancers(b_owner: &Api) -> Vec<Api> {
    let mut out = Vec::new();
    for i in 0..FREELANCERS {
        let artist = b_owner.artist(&format!("Artist {i}")).await;
        out.push(member(b_owner, "freelancer", Some(&artist)).await.0);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_accepts_fill_the_positions_and_no_more() {
    let (srv, _db) = TestServer::start().await;
    let (a, b) = (srv.studio("Studio A").await, srv.studio("Studio B").await);
    let people = freelancers(&b).await;
    let body = json!({"title": "Crowd", "startDate": "2030-09-02", "endDate": "2030-09-07", "visibility": "public",
                      "status": "open", "positions": POSITIONS});
    let r = a.post("/jobs", body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let job = r.data()["id"].as_str().unwrap().to_string();
    let before_members = a.get("/studio/members").await.data().as_array().unwrap().len();
    let before_artists = a.get("/artists?limit=1000").await.data().as_array().unwrap().len();

    let mut apps = Vec::new();
    for p in &people {
        let r = p.post(&format!("/jobs/{job}/applications"), json!({})).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let app = r.data()["id"].as_str().unwrap().to_string();
        let r = a.post(&format!("/job-applications/{app}/transition"), json!({"to": "offered"})).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        apps.push(app);
    }
    let accepts = people.iter().zip(&apps).map(|(p, app)| async move {
        p.post(&format!("/job-applications/{app}/transition"), json!({"to": "accepted"})).await
    });
    let answers = futures::future::join_all(accepts).await;
    let ok = answers.iter().filter(|r| r.status == 200).count();
    let refused: Vec<_> = answers.iter().filter(|r| r.status != 200).collect();
    assert_eq!(
        ok as u64,
        POSITIONS,
        "exactly the positions are taken: {:?}",
        answers.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert!(
        refused.iter().all(|r| r.status == 422 && r.code() == "unprocessable"),
        "{:?}",
        refused.iter().map(|r| &r.body).collect::<Vec<_>>()
    );

    // The listing is filled; the studio has exactly the accepted ones' pencils, artists and memberships.
    assert_eq!(a.get(&format!("/jobs/{job}")).await.data()["status"], "filled");
    let listed = a.get(&format!("/job-applications?jobId={job}")).await;
    let accepted =
        listed.data().as_array().unwrap().iter().filter(|v| v["application"]["status"] == "accepted").count();
    assert_eq!(accepted as u64, POSITIONS);
    let bookings = a.get("/bookings?limit=1000").await;
    let pencils = bookings.data().as_array().unwrap().iter().filter(|b| b["status"] == "pencil").count();
    assert_eq!(pencils as u64, POSITIONS, "no pencil of a refused accept stays active");
    let members = a.get("/studio/members").await.data().as_array().unwrap().len();
    assert_eq!((members - before_members) as u64, POSITIONS, "a refused accept leaves no membership");
    let artists = a.get("/artists?limit=1000").await.data().as_array().unwrap().len();
    assert_eq!((artists - before_artists) as u64, POSITIONS, "a refused accept leaves no live artist");

    // One freelancer applying eight times at once to a new listing: one live application.
    let r = a
        .post(
            "/jobs",
            json!({"title": "Once", "startDate": "2030-10-07", "endDate": "2030-10-12",
                                   "visibility": "public", "status": "open"}),
        )
        .await;
    let once = r.data()["id"].as_str().unwrap().to_string();
    let p = &people[0];
    let tries =
        (0..8).map(|_| async { p.post(&format!("/jobs/{once}/applications"), json!({})).await.status.as_u16() });
    let statuses = futures::future::join_all(tries).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 422), "{statuses:?}");
    srv.stop().await;
}
