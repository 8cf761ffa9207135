//! The job kinds' fixture (a listing, and for the application kinds the
//! freelancer's application to it) and their requests, for
//! `command_equivalence.rs`.

use super::{Api, Command, Kind, Request, id, json, parse};

pub struct JobFixture {
    listing: String,
    application: Option<String>,
}

/// A fresh listing by the owner: a draft to change or delete, open to apply
/// to; for the application kinds, open with the freelancer's application.
pub async fn fixture(owner: &Api, freelancer: &Api, kind: Kind) -> JobFixture {
    let status = if matches!(kind, Kind::UpdateJob | Kind::DeleteJob) { "draft" } else { "open" };
    let body = json!({"title": "Lighter", "startDate": "2031-03-03", "endDate": "2031-03-08", "status": status});
    let r = owner.post("/jobs", body).await;
    assert_eq!(r.status, 201, "job fixture: {:?}", r.body);
    let listing = r.data()["id"].as_str().unwrap().to_string();
    let application = match kind {
        Kind::ShortlistApplication | Kind::WithdrawApplication => {
            let r = freelancer.post(&format!("/jobs/{listing}/applications"), json!({})).await;
            assert_eq!(r.status, 201, "application fixture: {:?}", r.body);
            Some(r.data()["id"].as_str().unwrap().to_string())
        }
        _ => None,
    };
    JobFixture { listing, application }
}

pub fn request(kind: Kind, f: &JobFixture) -> Request {
    use reqwest::Method;
    let post = |path: String, body: serde_json::Value, command: Command| Request {
        command,
        method: Method::POST,
        path,
        body: Some(body),
    };
    let app = || f.application.clone().expect("an application fixture");
    match kind {
        Kind::CreateJob => {
            let body = json!({"title": "Compositor", "startDate": "2031-04-07", "endDate": "2031-04-12"});
            post("/jobs".into(), body.clone(), Command::CreateJob { job: parse(body) })
        }
        Kind::UpdateJob => {
            let body = json!({"title": "Senior lighter", "version": 1});
            let command = Command::UpdateJob { id: id(&f.listing), patch: parse(body.clone()) };
            Request { command, method: Method::PATCH, path: format!("/jobs/{}", f.listing), body: Some(body) }
        }
        Kind::DeleteJob => Request {
            command: Command::DeleteJob { id: id(&f.listing) },
            method: Method::DELETE,
            path: format!("/jobs/{}", f.listing),
            body: None,
        },
        Kind::ApplyToJob => {
            let body = json!({"note": "Available"});
            let command = Command::ApplyToJob { job_id: id(&f.listing), application: parse(body.clone()) };
            post(format!("/jobs/{}/applications", f.listing), body, command)
        }
        Kind::ShortlistApplication | Kind::WithdrawApplication => {
            let to = if kind == Kind::ShortlistApplication { "shortlisted" } else { "withdrawn" };
            let body = json!({"to": to});
            let command = Command::TransitionApplication { id: id(&app()), to: parse(json!(to)), version: None };
            post(format!("/job-applications/{}/transition", app()), body, command)
        }
        other => unreachable!("not a job kind: {other:?}"),
    }
}
