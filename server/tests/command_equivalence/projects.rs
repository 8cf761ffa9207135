//! The project kinds' fixture (a plan with phases, a dependency and a
//! milestone) and their requests, for `command_equivalence.rs`.

use super::{Api, Command, Kind, Request, Value, common, id, json, parse, slot};

/// A project with three phases (A, B, C in turn), a dependency A → B and a milestone.
pub struct ProjectFixture {
    pub id: String,
    phase_a: String,
    phase_b: String,
    /// After B, with no dependency yet.
    phase_c: String,
    dependency: String,
    milestone: String,
}

pub async fn project_fixture(owner: &Api, day: u32, booked: Option<&str>) -> ProjectFixture {
    let created = |r: common::Resp| {
        assert_eq!(r.status, 201, "project fixture: {:?}", r.body);
        r.data()["id"].as_str().or(r.data()["dependency"]["id"].as_str()).unwrap().to_string()
    };
    let body = json!({"name": "Plan", "code": format!("EQ{day}"), "startDate": "2031-01-01", "endDate": "2031-12-31"});
    let id = created(owner.post("/projects", body).await);
    let phases = format!("/projects/{id}/phases");
    let phase_a =
        created(owner.post(&phases, json!({"name": "A", "startDate": "2031-02-03", "endDate": "2031-02-08"})).await);
    let phase_b =
        created(owner.post(&phases, json!({"name": "B", "startDate": "2031-02-10", "endDate": "2031-02-15"})).await);
    let phase_c =
        created(owner.post(&phases, json!({"name": "C", "startDate": "2031-02-17", "endDate": "2031-02-22"})).await);
    let dep = json!({"predecessorId": phase_a, "successorId": phase_b});
    let dependency = created(owner.post(&format!("/projects/{id}/dependencies"), dep).await);
    let ms = json!({"name": "Lock", "date": "2031-02-14"});
    let milestone = created(owner.post(&format!("/projects/{id}/milestones"), ms).await);
    if let Some(artist) = booked {
        let (start, end) = slot(day);
        let body = json!({"artistId": artist, "projectId": id, "title": "On it", "status": "hold",
                          "startTime": start, "endTime": end, "allowOvertime": true});
        assert_eq!(owner.post("/bookings", body).await.status, 201);
    }
    ProjectFixture { id, phase_a, phase_b, phase_c, dependency, milestone }
}

pub fn project_request(kind: Kind, p: &ProjectFixture) -> Request {
    use reqwest::Method;
    let post =
        |path: String, body: Value, command: Command| Request { command, method: Method::POST, path, body: Some(body) };
    let patch = |path: String, body: Value, command: Command| Request {
        command,
        method: Method::PATCH,
        path,
        body: Some(body),
    };
    let delete = |path: String, command: Command| Request { command, method: Method::DELETE, path, body: None };
    let pid = || id(&p.id);
    match kind {
        Kind::UpdateProject => {
            let body = json!({"name": "Renamed", "version": 1});
            patch(format!("/projects/{}", p.id), body.clone(), Command::UpdateProject { id: pid(), patch: parse(body) })
        }
        Kind::ArchiveProject => delete(format!("/projects/{}", p.id), Command::ArchiveProject { id: pid() }),
        Kind::CreatePhase => {
            let body = json!({"name": "C", "startDate": "2031-03-03", "endDate": "2031-03-08"});
            let command = Command::CreatePhase { project_id: pid(), phase: parse(body.clone()) };
            post(format!("/projects/{}/phases", p.id), body, command)
        }
        Kind::UpdatePhase => {
            let body = json!({"startDate": "2031-02-04", "endDate": "2031-02-11", "mode": "push"});
            let command = Command::UpdatePhase { id: id(&p.phase_a), patch: parse(body.clone()) };
            patch(format!("/project-phases/{}", p.phase_a), body, command)
        }
        Kind::DeletePhase => {
            delete(format!("/project-phases/{}", p.phase_b), Command::DeletePhase { id: id(&p.phase_b) })
        }
        Kind::AddDependency | Kind::AddDependencyCycle => {
            let (pred, succ) = match kind {
                Kind::AddDependency => (&p.phase_b, &p.phase_c),
                _ => (&p.phase_b, &p.phase_a),
            };
            let body = json!({"predecessorId": pred, "successorId": succ, "kind": "start_to_start"});
            let command = Command::AddDependency { project_id: pid(), dependency: parse(body.clone()) };
            post(format!("/projects/{}/dependencies", p.id), body, command)
        }
        Kind::RemoveDependency => delete(
            format!("/project-dependencies/{}", p.dependency),
            Command::RemoveDependency { id: id(&p.dependency) },
        ),
        Kind::CreateMilestone => {
            let body = json!({"name": "Review", "date": "2031-02-20", "phaseId": p.phase_b});
            let command = Command::CreateMilestone { project_id: pid(), milestone: parse(body.clone()) };
            post(format!("/projects/{}/milestones", p.id), body, command)
        }
        Kind::UpdateMilestone => {
            let body = json!({"done": true});
            let command = Command::UpdateMilestone { id: id(&p.milestone), patch: parse(body.clone()) };
            patch(format!("/milestones/{}", p.milestone), body, command)
        }
        Kind::DeleteMilestone => {
            delete(format!("/milestones/{}", p.milestone), Command::DeleteMilestone { id: id(&p.milestone) })
        }
        other => unreachable!("not a project kind: {other:?}"),
    }
}
