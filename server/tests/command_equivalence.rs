//! One command path: every command kind × every role, once over REST and once
//! over the WebSocket, on identical fresh fixtures — both transports must give
//! the same decision and the same error code. The expected table is written
//! out too, so a policy change shows up here as a deliberate edit.

mod common;
#[path = "command_equivalence/jobs.rs"]
mod jobs;
#[path = "command_equivalence/projects.rs"]
mod projects;

use common::wsclient::WsClient;
use common::{Api, TestServer, member};
use jobs::JobFixture;
use projects::{ProjectFixture, project_fixture, project_request};
use pt_protocol::ws::{Command, ServerFrame};
use pt_protocol::{BookingAnswer, CmdId};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    Owner,
    Manager,
    /// A freelancer acting on their own artist record.
    FreelancerOwn,
    /// The same freelancer acting on another artist.
    FreelancerOther,
    /// An integration's API token with the manager role.
    ApiToken,
}

const ROLES: [Role; 5] = [Role::Owner, Role::Manager, Role::FreelancerOwn, Role::FreelancerOther, Role::ApiToken];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    CreateArtist,
    UpdateArtist,
    ArchiveArtist,
    CreateBooking,
    UpdateBooking,
    TransitionBooking,
    CancelBooking,
    RespondToBooking,
    /// The 1st hold, by a second hold on its slot.
    ChallengeHold,
    // The same kinds, refused by the domain rather than by the role.
    CreateBookingOverlapping,
    TransitionStaleVersion,
    RespondToConfirmed,
    UpdateUnknownArtist,
    CreateProject,
    UpdateProject,
    ArchiveProject,
    CreatePhase,
    UpdatePhase,
    DeletePhase,
    AddDependency,
    RemoveDependency,
    CreateMilestone,
    UpdateMilestone,
    DeleteMilestone,
    // Refused by the plan's rules.
    AddDependencyCycle,
    // Profiles and availability.
    UpdateArtistProfile,
    UpdateProfileRate,
    RequestTimeOff,
    DecideTimeOff,
    CancelTimeOff,
    // A pencil on a Saturday, without allowOvertime.
    CreateBookingUnavailable,
    /// Every unread notification of the sender's (anyone may).
    ReadNotifications,
    /// A notification id that is not the sender's.
    ReadUnknownNotification,
    // The job marketplace: a listing posted, changed, deleted (a draft);
    // applying to an open one; an application (the freelancer's) shortlisted
    // and withdrawn.
    CreateJob,
    UpdateJob,
    DeleteJob,
    ApplyToJob,
    ShortlistApplication,
    WithdrawApplication,
}

const KINDS: [Kind; 39] = [
    Kind::CreateArtist,
    Kind::UpdateArtist,
    Kind::ArchiveArtist,
    Kind::CreateBooking,
    Kind::UpdateBooking,
    Kind::TransitionBooking,
    Kind::CancelBooking,
    Kind::RespondToBooking,
    Kind::ChallengeHold,
    Kind::CreateBookingOverlapping,
    Kind::TransitionStaleVersion,
    Kind::RespondToConfirmed,
    Kind::UpdateUnknownArtist,
    Kind::CreateProject,
    Kind::UpdateProject,
    Kind::ArchiveProject,
    Kind::CreatePhase,
    Kind::UpdatePhase,
    Kind::DeletePhase,
    Kind::AddDependency,
    Kind::RemoveDependency,
    Kind::CreateMilestone,
    Kind::UpdateMilestone,
    Kind::DeleteMilestone,
    Kind::AddDependencyCycle,
    Kind::UpdateArtistProfile,
    Kind::UpdateProfileRate,
    Kind::RequestTimeOff,
    Kind::DecideTimeOff,
    Kind::CancelTimeOff,
    Kind::CreateBookingUnavailable,
    Kind::ReadNotifications,
    Kind::ReadUnknownNotification,
    Kind::CreateJob,
    Kind::UpdateJob,
    Kind::DeleteJob,
    Kind::ApplyToJob,
    Kind::ShortlistApplication,
    Kind::WithdrawApplication,
];

impl Kind {
    fn is_job(self) -> bool {
        matches!(
            self,
            Kind::CreateJob
                | Kind::UpdateJob
                | Kind::DeleteJob
                | Kind::ApplyToJob
                | Kind::ShortlistApplication
                | Kind::WithdrawApplication
        )
    }

    fn is_project(self) -> bool {
        matches!(
            self,
            Kind::UpdateProject
                | Kind::ArchiveProject
                | Kind::CreatePhase
                | Kind::UpdatePhase
                | Kind::DeletePhase
                | Kind::AddDependency
                | Kind::RemoveDependency
                | Kind::CreateMilestone
                | Kind::UpdateMilestone
                | Kind::DeleteMilestone
                | Kind::AddDependencyCycle
        )
    }
}

/// The policy, as a table: `ok` or the error code, per role in `ROLES` order.
fn expected(kind: Kind) -> [&'static str; 5] {
    const F: &str = "forbidden";
    const N: &str = "not_found";
    const U: &str = "unprocessable";
    match kind {
        Kind::CreateArtist => ["ok", F, F, F, F],
        Kind::UpdateArtist => ["ok", F, "ok", N, F],
        Kind::ArchiveArtist => ["ok", F, F, N, F],
        Kind::CreateBooking => ["ok", "ok", F, F, "ok"],
        Kind::UpdateBooking | Kind::TransitionBooking | Kind::CancelBooking => ["ok", "ok", F, N, "ok"],
        Kind::RespondToBooking => ["ok", F, "ok", N, F],
        Kind::CreateBookingOverlapping => ["conflict", "conflict", F, F, "conflict"],
        Kind::TransitionStaleVersion => ["version_mismatch", "version_mismatch", F, N, "version_mismatch"],
        Kind::RespondToConfirmed => ["unprocessable", F, "unprocessable", N, F],
        Kind::UpdateUnknownArtist => [N, N, N, N, N],
        // A freelancer sees the projects their artist is booked on (`forbidden`
        // there) and no other (`not_found`, like a made-up id).
        Kind::CreateProject => ["ok", "ok", F, F, "ok"],
        Kind::AddDependencyCycle => ["dependency_cycle", "dependency_cycle", F, N, "dependency_cycle"],
        // Profiles are the owner's, or the freelancer's own; the rate only the owner's.
        Kind::UpdateArtistProfile => ["ok", F, "ok", N, F],
        Kind::UpdateProfileRate => ["ok", F, F, N, F],
        Kind::RequestTimeOff => ["ok", "ok", "ok", N, "ok"],
        Kind::DecideTimeOff => ["ok", "ok", F, N, "ok"],
        Kind::CancelTimeOff => ["ok", "ok", "ok", N, "ok"],
        Kind::CreateBookingUnavailable => ["unavailable", "unavailable", F, F, "unavailable"],
        // Everyone has an inbox, their own only.
        Kind::ReadNotifications => ["ok", "ok", "ok", "ok", "ok"],
        Kind::ReadUnknownNotification => [N, N, N, N, N],
        // Listings are the studio's (`jobs:manage`); everyone may apply; the
        // studio's moves are the studio's, the applicant's the applicant's
        // (the other side is refused by the rules, not the role).
        Kind::CreateJob | Kind::UpdateJob | Kind::DeleteJob => ["ok", "ok", F, F, "ok"],
        Kind::ApplyToJob => ["ok", "ok", "ok", "ok", "ok"],
        Kind::ShortlistApplication => ["ok", "ok", U, U, "ok"],
        Kind::WithdrawApplication => [U, U, "ok", "ok", U],
        _ => ["ok", "ok", F, N, "ok"],
    }
}

/// A studio with an owner, a manager, a freelancer linked to an artist, and
/// a manager-role API token.
struct Studio {
    owner: Api,
    manager: Api,
    freelancer: Api,
    api_token: Api,
    own_artist: String,
    /// Each fixture books a day of its own, so fixtures never collide.
    next_day: u32,
}

/// What one command is about: the artist it names and, for commands on a
/// booking, a booking of that artist (with its version).
struct Fixture {
    artist: String,
    /// For the decide and cancel kinds: a time-off entry of `artist`.
    time_off: Option<String>,
    booking: Option<(String, u64)>,
    /// For `ChallengeHold`: a later hold on `booking`'s slot.
    challenger: Option<String>,
    day: u32,
    project: Option<ProjectFixture>,
    job: Option<JobFixture>,
}

fn slot(day: u32) -> (String, String) {
    let date = chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap() + chrono::Days::new(u64::from(day));
    (format!("{date}T09:00:00Z"), format!("{date}T17:00:00Z"))
}

impl Studio {
    async fn new(server: &TestServer) -> Studio {
        let owner = server.studio("Equivalence").await;
        let own_artist = owner.artist("Fran Freelance").await;
        let (manager, _) = member(&owner, "studio_manager", None).await;
        let (freelancer, _) = member(&owner, "freelancer", Some(&own_artist)).await;
        let r = owner.post("/studio/api-tokens", json!({"name": "Integration", "role": "studio_manager"})).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let api_token = owner.with_token(r.data()["token"].as_str().unwrap());
        Studio { owner, manager, freelancer, api_token, own_artist, next_day: 0 }
    }

    /// A `requested` entry asked for by the freelancer on their own artist;
    /// for someone else's artist (the freelancer may not see it), one the owner records.
    async fn time_off(&self, role: Role, artist: &str, day: u32) -> String {
        let (start, end) = slot(day);
        let asker = if role == Role::FreelancerOther { &self.owner } else { &self.freelancer };
        let artist = if role == Role::FreelancerOther { artist } else { self.own_artist.as_str() };
        let r = asker.post(&format!("/artists/{artist}/time-off"), json!({"start": start, "end": end})).await;
        assert_eq!(r.status, 201, "fixture time off: {:?}", r.body);
        r.data()["timeOff"]["id"].as_str().unwrap().to_string()
    }

    fn client(&self, role: Role) -> &Api {
        match role {
            Role::Owner => &self.owner,
            Role::Manager => &self.manager,
            Role::FreelancerOwn | Role::FreelancerOther => &self.freelancer,
            Role::ApiToken => &self.api_token,
        }
    }

    /// A fresh fixture for `kind` acted on by `role`, set up by the owner.
    async fn fixture(&mut self, kind: Kind, role: Role) -> Fixture {
        self.next_day += 1;
        let day = self.next_day;
        let artist = match role {
            Role::FreelancerOwn => self.own_artist.clone(),
            _ => self.owner.artist("Subject").await,
        };
        let status = match kind {
            Kind::CreateArtist | Kind::UpdateArtist | Kind::ArchiveArtist | Kind::UpdateUnknownArtist => None,
            Kind::CreateBooking | Kind::CreateProject => None,
            Kind::ReadNotifications | Kind::ReadUnknownNotification => None,
            k if k.is_project() || k.is_job() => None,
            Kind::RespondToConfirmed => Some("confirmed"),
            Kind::ChallengeHold => Some("hold"),
            _ => Some("pencil"),
        };
        let booking = match status {
            None => None,
            Some(status) => {
                let (start, end) = slot(day);
                let r = self.owner.book(&artist, &start, &end, status).await;
                assert_eq!(r.status, 201, "fixture booking: {:?}", r.body);
                Some((r.data()["id"].as_str().unwrap().to_string(), r.data()["version"].as_u64().unwrap()))
            }
        };
        let project = match kind.is_project() {
            true => {
                let booked = (role == Role::FreelancerOwn).then_some(artist.as_str());
                Some(project_fixture(&self.owner, day, booked).await)
            }
            false => None,
        };
        let time_off = match kind {
            Kind::DecideTimeOff | Kind::CancelTimeOff => Some(self.time_off(role, &artist, day).await),
            _ => None,
        };
        let challenger = match kind {
            Kind::ChallengeHold => {
                let (start, end) = slot(day);
                let r = self.owner.book(&artist, &start, &end, "hold").await;
                assert_eq!(r.status, 201, "fixture challenger: {:?}", r.body);
                Some(r.data()["id"].as_str().unwrap().to_string())
            }
            _ => None,
        };
        let job = match kind.is_job() {
            true => Some(jobs::fixture(&self.owner, &self.freelancer, kind).await),
            false => None,
        };
        Fixture { artist, time_off, booking, challenger, day, project, job }
    }
}

/// The command, as a WebSocket `Command` and as the equivalent REST request.
struct Request {
    command: Command,
    method: reqwest::Method,
    path: String,
    body: Option<Value>,
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("a valid command body")
}

fn id<T: std::str::FromStr>(s: &str) -> T {
    s.parse().ok().expect("a uuid")
}

fn request(kind: Kind, f: &Fixture) -> Request {
    use reqwest::Method;
    let (start, end) = slot(f.day);
    let booking = || f.booking.clone().expect("a booking fixture");
    match kind {
        Kind::CreateArtist => {
            let body = json!({"name": "New Artist", "skills": ["lighting"]});
            Request {
                command: Command::CreateArtist { artist: parse(body.clone()) },
                method: Method::POST,
                path: "/artists".into(),
                body: Some(body),
            }
        }
        Kind::UpdateArtist | Kind::UpdateUnknownArtist => {
            let target = if kind == Kind::UpdateArtist { f.artist.clone() } else { uuid::Uuid::now_v7().to_string() };
            let body = json!({"name": "Renamed"});
            let command = Command::UpdateArtist { id: id(&target), patch: parse(body.clone()) };
            Request { command, method: Method::PATCH, path: format!("/artists/{target}"), body: Some(body) }
        }
        Kind::ArchiveArtist => Request {
            command: Command::ArchiveArtist { id: id(&f.artist) },
            method: Method::DELETE,
            path: format!("/artists/{}", f.artist),
            body: None,
        },
        Kind::CreateBooking | Kind::CreateBookingOverlapping => {
            let body = json!({"artistId": f.artist, "title": "Comp", "status": "pencil", "startTime": start, "endTime": end, "allowOvertime": true});
            Request {
                command: Command::CreateBooking { booking: parse(body.clone()) },
                method: Method::POST,
                path: "/bookings".into(),
                body: Some(body),
            }
        }
        Kind::UpdateBooking => {
            let (b, v) = booking();
            let body = json!({"title": "Comp v2", "version": v});
            Request {
                command: Command::UpdateBooking { id: id(&b), patch: parse(body.clone()) },
                method: Method::PATCH,
                path: format!("/bookings/{b}"),
                body: Some(body),
            }
        }
        Kind::TransitionBooking | Kind::TransitionStaleVersion => {
            let (b, v) = booking();
            let version = if kind == Kind::TransitionBooking { v } else { v + 41 };
            let command = Command::TransitionBooking {
                id: id(&b),
                version,
                to: pt_protocol::BookingStatus::Confirmed,
                allow_overtime: Some(true),
            };
            let body = json!({"version": version, "to": "confirmed"});
            Request { command, method: Method::POST, path: format!("/bookings/{b}/transition"), body: Some(body) }
        }
        Kind::CancelBooking => {
            let (b, v) = booking();
            let command = Command::CancelBooking { id: id(&b), version: Some(v) };
            Request { command, method: Method::DELETE, path: format!("/bookings/{b}?version={v}"), body: None }
        }
        Kind::RespondToBooking | Kind::RespondToConfirmed => {
            let (b, v) = booking();
            let command = Command::RespondToBooking { id: id(&b), response: BookingAnswer::Accept, version: Some(v) };
            let body = json!({"response": "accept", "version": v});
            Request { command, method: Method::POST, path: format!("/bookings/{b}/respond"), body: Some(body) }
        }
        Kind::ChallengeHold => {
            let (b, v) = booking();
            let by = f.challenger.clone().expect("a challenger");
            let command = Command::ChallengeHold { id: id(&b), by: id(&by), version: Some(v) };
            let body = json!({"by": by, "version": v});
            Request { command, method: Method::POST, path: format!("/bookings/{b}/challenge"), body: Some(body) }
        }
        Kind::ReadNotifications => read(None, "/notifications/read-all".into()),
        Kind::ReadUnknownNotification => {
            let made_up = pt_protocol::NotificationId::new();
            read(Some(vec![made_up]), format!("/notifications/{made_up}/read"))
        }
        Kind::CreateProject => {
            let body = json!({"name": "New", "code": format!("NEW{}", f.day), "startDate": "2031-01-01",
                              "endDate": "2031-06-01"});
            Request {
                command: Command::CreateProject { project: parse(body.clone()) },
                method: Method::POST,
                path: "/projects".into(),
                body: Some(body),
            }
        }
        Kind::UpdateArtistProfile
        | Kind::UpdateProfileRate
        | Kind::RequestTimeOff
        | Kind::DecideTimeOff
        | Kind::CancelTimeOff
        | Kind::CreateBookingUnavailable => availability_request(kind, f),
        k if k.is_job() => jobs::request(k, f.job.as_ref().expect("a job fixture")),
        _ => project_request(kind, f.project.as_ref().expect("a project fixture")),
    }
}

fn read(ids: Option<Vec<pt_protocol::NotificationId>>, path: String) -> Request {
    Request { command: Command::ReadNotifications { ids }, method: reqwest::Method::POST, path, body: None }
}

/// The profile and availability kinds.
fn availability_request(kind: Kind, f: &Fixture) -> Request {
    use reqwest::Method;
    let (start, end) = slot(f.day);
    match kind {
        Kind::UpdateArtistProfile | Kind::UpdateProfileRate => {
            let body = match kind {
                Kind::UpdateArtistProfile => json!({"bio": "Comp lead", "languages": ["en"]}),
                _ => json!({"dayRate": 500, "currency": "GBP"}),
            };
            let command = Command::UpdateArtistProfile { artist_id: id(&f.artist), patch: parse(body.clone()) };
            Request { command, method: Method::PATCH, path: format!("/artist-profiles/{}", f.artist), body: Some(body) }
        }
        Kind::RequestTimeOff => {
            let body = json!({"start": start, "end": end, "kind": "vacation"});
            let command = Command::RequestTimeOff { artist_id: id(&f.artist), time_off: parse(body.clone()) };
            Request { command, method: Method::POST, path: format!("/artists/{}/time-off", f.artist), body: Some(body) }
        }
        Kind::DecideTimeOff | Kind::CancelTimeOff => {
            let t = f.time_off.clone().expect("a time-off fixture");
            match kind {
                Kind::DecideTimeOff => Request {
                    command: Command::DecideTimeOff { id: id(&t), decision: pt_protocol::TimeOffDecision::Approve },
                    method: Method::POST,
                    path: format!("/time-off/{t}/decision"),
                    body: Some(json!({"decision": "approve"})),
                },
                _ => Request {
                    command: Command::CancelTimeOff { id: id(&t) },
                    method: Method::POST,
                    path: format!("/time-off/{t}/cancel"),
                    body: None,
                },
            }
        }
        Kind::CreateBookingUnavailable => {
            // 2031-01-04 is a Saturday.
            let body = json!({"artistId": f.artist, "title": "Comp", "status": "pencil",
                              "startTime": "2031-01-04T09:00:00Z", "endTime": "2031-01-04T17:00:00Z"});
            Request {
                command: Command::CreateBooking { booking: parse(body.clone()) },
                method: Method::POST,
                path: "/bookings".into(),
                body: Some(body),
            }
        }
        other => unreachable!("not an availability kind: {other:?}"),
    }
}

/// `ok`, or the error code.
async fn over_rest(api: &Api, r: &Request) -> String {
    let mut req = api.req(r.method.clone(), &r.path);
    if let Some(body) = &r.body {
        req = req.json(body);
    }
    let res = api.send(req).await;
    if res.status.is_success() { "ok".into() } else { res.code().to_string() }
}

async fn over_ws(ws: &mut WsClient, r: &Request) -> String {
    let cmd_id = CmdId::new();
    ws.command(cmd_id, r.command.clone()).await;
    ws.until(Duration::from_secs(10), |c| c.answers.contains_key(&cmd_id)).await;
    match &ws.answers[&cmd_id] {
        ServerFrame::Accepted { .. } => "ok".into(),
        ServerFrame::Rejected { error, .. } => error.code.to_string(),
        other => panic!("not an answer: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_kind_and_role_is_decided_alike_over_rest_and_websocket() {
    let (server, _db) = TestServer::start().await;
    let mut studio = Studio::new(&server).await;
    let mut sockets: HashMap<Role, WsClient> = HashMap::new();
    for role in ROLES {
        let ws = WsClient::connect(&server.base, &studio.client(role).token(), None).await;
        sockets.insert(role, ws);
    }
    let mut table = Vec::new();
    let mut mismatches = Vec::new();
    for kind in KINDS {
        for (i, role) in ROLES.into_iter().enumerate() {
            let rest = {
                let f = studio.fixture(kind, role).await;
                over_rest(studio.client(role), &request(kind, &f)).await
            };
            let ws = {
                let f = studio.fixture(kind, role).await;
                over_ws(sockets.get_mut(&role).unwrap(), &request(kind, &f)).await
            };
            let want = expected(kind)[i];
            table.push(format!("{kind:?} × {role:?}: REST {rest}, WS {ws}, expected {want}"));
            if rest != ws || rest != want {
                mismatches.push(table.last().unwrap().clone());
            }
        }
    }
    println!("{}", table.join("\n"));
    assert!(
        mismatches.is_empty(),
        "REST and WebSocket disagree (or differ from the policy):\n{}",
        mismatches.join("\n")
    );
    server.stop().await;
}
