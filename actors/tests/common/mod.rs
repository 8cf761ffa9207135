//! Builders shared by the store tests (`pg_store`, `store_conformance`):
//! artists, bookings, status changes, projects with their phases,
//! dependencies and milestones, and a miniature tenant log that hands out
//! gap-free `seq`s; identity rows in [`identity`].

#![allow(dead_code)] // each test crate uses a different subset

pub mod identity;
pub mod outbox;

use pt_actors::store::{CommandRecord, StoreError, TenantState};
use pt_protocol::project::SkillEffort;
use pt_protocol::time::MICROS_PER_HOUR;
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, BookingStatus, CmdId, Day, Dependency, DependencyId, DependencyKind, Event,
    EventEnvelope, Milestone, MilestoneId, Phase, PhaseId, Project, ProjectId, ProjectStatus, Timestamp,
};
use serde_json::json;

/// 2026-03-02T00:00:00Z plus `h` hours.
pub fn at(h: i64) -> Timestamp {
    Timestamp::parse_rfc3339("2026-03-02T00:00:00Z").unwrap().plus_micros(h * MICROS_PER_HOUR)
}

pub fn artist(name: &str) -> Artist {
    Artist {
        id: ArtistId::new(),
        name: name.to_owned(),
        email: Some(format!("{}@studio.example", name.to_lowercase())),
        skills: vec!["compositing".into(), "rigging".into()],
        timezone: "Europe/London".into(),
        active: true,
        // Every stored field set, so the stores' round trips cover them.
        time_off: vec![pt_protocol::TimeOff {
            id: pt_protocol::TimeOffId::new(),
            start: at(24),
            end: at(48),
            kind: pt_protocol::TimeOffKind::Vacation,
            status: pt_protocol::TimeOffStatus::Requested,
            note: Some("family".into()),
            requested_by: "user:ana".into(),
            decided_by: None,
            decided_at: None,
            created_at: at(0),
        }],
        working_hours: Some(vec![pt_protocol::WorkingInterval { day: 1, start: "09:00".into(), end: "17:30".into() }]),
        profile: pt_protocol::ArtistProfile {
            bio: "Comp lead".into(),
            skills: vec![pt_protocol::SkillLevel { name: "compositing".into(), level: 4, years: Some(9) }],
            languages: vec!["en".into()],
            ..Default::default()
        },
        rate: Some(pt_protocol::DayRate { amount: 450, currency: "GBP".into() }),
        archived_at: None,
        version: 1,
        created_at: at(0),
        updated_at: at(0),
    }
}

pub fn booking(artist: &Artist, start_h: i64, end_h: i64, status: BookingStatus) -> Booking {
    Booking {
        id: BookingId::new(),
        artist_id: artist.id,
        project_id: Some(ProjectId::new()),
        phase_id: None,
        title: format!("{status} for {}", artist.name),
        notes: None,
        start_time: at(start_h),
        end_time: at(end_h),
        status,
        expires_at: (status == BookingStatus::Hold).then(|| at(48)),
        version: 1,
        created_at: at(1),
        created_by: "user:ana".into(),
        updated_at: at(1),
        updated_by: "user:ana".into(),
        allow_overtime: status == BookingStatus::Confirmed,
        challenged_by: None,
        queued_for: None,
    }
}

/// A booking after one more change.
pub fn changed(b: &Booking, f: impl FnOnce(&mut Booking)) -> Booking {
    let mut b = b.clone();
    f(&mut b);
    b.version += 1;
    b.updated_at = b.updated_at.plus_micros(1);
    b.updated_by = "user:ben".into();
    b
}

pub fn status_changed(b: &Booking, to: BookingStatus) -> Event {
    let from = b.status;
    Event::BookingStatusChanged {
        booking: (changed(b, |b| {
            b.status = to;
            b.expires_at = None;
        }))
        .into(),
        from,
    }
}

/// 2026-03-01 plus `d` days.
pub fn day(d: i32) -> Day {
    Day::from_ymd(2026, 3, 1).unwrap().plus(d)
}

/// A project over March and April 2026, with every optional field set.
pub fn project(code: &str) -> Project {
    Project {
        id: ProjectId::new(),
        name: format!("Project {code} — « ünïcödé » 🎬"),
        code: code.to_owned(),
        client: Some("Client & Co.".into()),
        color: "#3366ff".into(),
        status: ProjectStatus::Active,
        start_date: day(0),
        end_date: day(61),
        budget_days: Some(120),
        budget_amount: Some(250_000),
        currency: Some("EUR".into()),
        description: Some("Line one\nline 'two'".into()),
        version: 1,
        created_at: at(0),
        updated_at: at(0),
    }
}

/// A phase of `project` over days `start..end` (see [`day`]).
pub fn phase(project: &Project, name: &str, start: i32, end: i32) -> Phase {
    Phase {
        id: PhaseId::new(),
        project_id: project.id,
        name: name.to_owned(),
        start_date: day(start),
        end_date: day(end),
        progress: 0,
        color: None,
        effort: vec![SkillEffort { skill: "compositing".into(), days: 10 }],
        version: 1,
        created_at: at(1),
        updated_at: at(1),
    }
}

/// `successor` starts after `predecessor` ends.
pub fn dependency(predecessor: &Phase, successor: &Phase) -> Dependency {
    Dependency {
        id: DependencyId::new(),
        project_id: predecessor.project_id,
        predecessor_id: predecessor.id,
        successor_id: successor.id,
        kind: DependencyKind::FinishToStart,
        lag_days: 0,
        created_at: at(1),
    }
}

/// A milestone of `project` on day `date`, maybe tied to `phase`.
pub fn milestone(project: &Project, name: &str, date: i32, phase: Option<&Phase>) -> Milestone {
    Milestone {
        id: MilestoneId::new(),
        project_id: project.id,
        name: name.to_owned(),
        date: day(date),
        done: false,
        phase_id: phase.map(|p| p.id),
        version: 1,
        created_at: at(1),
        updated_at: at(1),
    }
}

/// A phase after one more change.
pub fn phase_changed(p: &Phase, f: impl FnOnce(&mut Phase)) -> Phase {
    let mut p = p.clone();
    f(&mut p);
    p.version += 1;
    p.updated_at = p.updated_at.plus_micros(1);
    p
}

/// Every event that creates `project` and its plan, in the order the actor emits them.
pub fn plan_events(project: &Project, phases: &[Phase], deps: &[Dependency], milestones: &[Milestone]) -> Vec<Event> {
    let mut events = vec![Event::ProjectCreated { project: project.clone() }];
    events.extend(phases.iter().map(|p| Event::PhaseCreated { phase: p.clone() }));
    events.extend(deps.iter().map(|d| Event::DependencyAdded { dependency: d.clone() }));
    events.extend(milestones.iter().map(|m| Event::MilestoneCreated { milestone: m.clone() }));
    events
}

/// A tenant's sequencer in miniature: hands out gap-free `seq`s.
pub struct Log {
    pub next_seq: u64,
}

impl Log {
    pub fn new() -> Self {
        Self { next_seq: 1 }
    }

    pub fn cmd(&mut self, events: Vec<Event>) -> CommandRecord {
        let cmd_id = CmdId::new();
        let now = at(2);
        let events: Vec<EventEnvelope> = events
            .into_iter()
            .map(|event| {
                let seq = self.next_seq;
                self.next_seq += 1;
                EventEnvelope { seq, cmd_id, at: now, by: "user:ana".into(), event }
            })
            .collect();
        CommandRecord {
            cmd_id,
            request_hash: cmd_id.0.as_u64_pair().0,
            by: "user:ana".into(),
            at: now,
            outcome: json!({ "ok": true, "firstSeq": events.first().map(|e| e.seq) }),
            events,
        }
    }
}

pub fn sorted(mut s: TenantState) -> TenantState {
    s.artists.sort_by_key(|a| a.id);
    s.bookings.sort_by_key(|b| b.id);
    s.projects.sort_by_key(|p| p.id);
    s.phases.sort_by_key(|p| p.id);
    s.dependencies.sort_by_key(|d| d.id);
    s.milestones.sort_by_key(|m| m.id);
    s
}

pub fn assert_rejected(r: Result<(), StoreError>, code: &str) {
    match r {
        Err(StoreError::Rejected { code: c, .. }) if c == code => {}
        other => panic!("expected Rejected({code}), got {other:?}"),
    }
}
