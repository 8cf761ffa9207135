//! Authorization and studio administration end to end, over real HTTP and
//! WebSocket connections to a server on a fresh PostgreSQL database: what
//! each role may do, a freelancer's own bookings and profile, studio
//! settings, members, invitations, and API tokens bounded by their creator.

mod common;

use chrono::Utc;
use common::checks::{SEC, book, code, goodbye};
use common::wsclient::WsClient;
use common::{TEST_PASSWORD, TestServer, member};
use pt_protocol::ws::{ClientFrame, Command, ServerFrame, View};
use pt_protocol::{ArtistId, CmdId, ErrorCode};
use reqwest::StatusCode;
use serde_json::json;

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
    // Their own time off (availability:manage) is asked for, not granted.
    let leave = json!({"start": "2027-08-10T00:00:00Z", "end": "2027-08-20T00:00:00Z", "kind": "vacation"});
    let r = fran.post(&format!("/artists/{mine}/time-off"), leave).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.data()["timeOff"]["status"], "requested");
    let bad = json!({"start": "2027-08-10T00:00:00Z", "end": "2027-08-09T00:00:00Z"});
    let r = fran.post(&format!("/artists/{mine}/time-off"), bad).await;
    assert_eq!(code(&r), (400, "invalid"));
    assert_eq!(r.body["error"]["details"]["fields"][0]["field"], "end", "{:?}", r.body);
    // Working hours are the studio's to set.
    let hours = json!({"workingHours": [{"day": 1, "start": "10:00", "end": "16:00"}]});
    let r = fran.patch(&format!("/artists/{mine}"), hours).await;
    assert_eq!(code(&r), (403, "forbidden"));
    // A manager reads artists and decides time off, but edits no one's record.
    let (manager, _) = member(&owner, "studio_manager", None).await;
    let r = manager.patch(&format!("/artists/{mine}"), json!({"workingHours": null})).await;
    assert_eq!(code(&r), (403, "forbidden"));
    assert_eq!(manager.get(&format!("/artists/{mine}")).await.data()["timeOff"].as_array().unwrap().len(), 1);

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
