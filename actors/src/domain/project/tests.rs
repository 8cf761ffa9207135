//! Unit tests of projects and milestones, the state (apply, restore, reads),
//! and the fixtures the other test files share.

use super::*;
use crate::error::DomainError;
use pt_protocol::project_command::{
    MilestonePatch, NewDependency, NewMilestone, NewPhase, NewProject, PhasePatch, ProjectPatch,
};
use pt_protocol::{DependencyKind, FieldError, ProjectStatus, ReplanMode, Timestamp};

pub(super) const T: Timestamp = Timestamp(1_790_000_000_000_000);
pub(super) const LATER: Timestamp = Timestamp(1_790_000_100_000_000);
pub(super) const PROJECT: ProjectId = ProjectId::from_u128(0x9000);

pub(super) fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

pub(super) fn mon_fri() -> WorkWeek {
    WorkWeek::from_iso_days(&[1, 2, 3, 4, 5])
}

pub(super) fn new_project(code: &str) -> NewProject {
    NewProject {
        name: format!("Project {code}"),
        code: code.into(),
        client: None,
        color: None,
        status: None,
        start_date: d("2026-11-02"),
        end_date: d("2027-03-01"),
        budget_days: None,
        budget_amount: None,
        currency: None,
        description: None,
    }
}

/// Applies what was decided and hands it back.
pub(super) fn applied(r: Result<Decided, DomainError>, s: &mut Projects) -> Decided {
    let decided = r.unwrap();
    for e in &decided.events {
        s.apply(e);
    }
    decided
}

/// A studio with project NOVA, 2026-11-02 (a Monday) → 2027-03-01.
pub(super) fn studio() -> Projects {
    let mut s = Projects::default();
    applied(s.decide_create_project(PROJECT, &new_project("NOVA"), T), &mut s);
    s
}

pub(super) fn new_phase(name: &str, start: &str, end: &str) -> NewPhase {
    NewPhase {
        name: name.into(),
        start_date: d(start),
        end_date: d(end),
        progress: None,
        color: None,
        effort: Vec::new(),
    }
}

pub(super) fn add_phase(s: &mut Projects, n: u128, start: &str, end: &str) -> PhaseId {
    let id = PhaseId::from_u128(n);
    applied(s.decide_create_phase(PROJECT, id, &new_phase(&format!("P{n}"), start, end), T), s);
    id
}

pub(super) fn new_dep(a: PhaseId, b: PhaseId, kind: DependencyKind, lag: i32) -> NewDependency {
    NewDependency { predecessor_id: a, successor_id: b, kind: Some(kind), lag_days: Some(lag), mode: None }
}

/// Adds a dependency (push mode), applying its events.
pub(super) fn link(s: &mut Projects, n: u128, a: PhaseId, b: PhaseId, kind: DependencyKind, lag: i32) -> Decided {
    let r = s.decide_add_dependency(PROJECT, DependencyId::from_u128(n), &new_dep(a, b, kind, lag), &mon_fri(), T);
    applied(r, s)
}

pub(super) fn dates(s: &Projects, id: PhaseId) -> (Day, Day) {
    let p = s.phase(id).unwrap();
    (p.start_date, p.end_date)
}

pub(super) fn move_to(start: &str, end: &str, mode: ReplanMode) -> PhasePatch {
    PhasePatch { start_date: Some(d(start)), end_date: Some(d(end)), mode: Some(mode), ..Default::default() }
}

fn fields(e: DomainError) -> Vec<FieldError> {
    match e {
        DomainError::Invalid(f) => f,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn unprocessable(e: DomainError) -> String {
    match e {
        DomainError::Unprocessable(m) => m,
        other => panic!("expected Unprocessable, got {other:?}"),
    }
}

#[test]
fn a_new_project_gets_defaults_and_version_1() {
    let s = studio();
    let p = s.project(PROJECT).unwrap();
    assert_eq!((p.version, p.status, p.created_at, p.updated_at), (1, ProjectStatus::Planning, T, T));
    assert_eq!(p.color, decide::PALETTE[0]);
    let second = s.decide_create_project(ProjectId::from_u128(2), &new_project("ORION"), T).unwrap();
    let Event::ProjectCreated { project } = &second.events[0] else { panic!() };
    assert_eq!(project.color, decide::PALETTE[1], "the palette goes round by project count");
    let named = NewProject { name: "  Nova  ".into(), color: Some("#AABBCC".into()), ..new_project("X") };
    let Event::ProjectCreated { project } =
        &s.decide_create_project(ProjectId::from_u128(3), &named, T).unwrap().events[0]
    else {
        panic!()
    };
    assert_eq!((project.name.as_str(), project.color.as_str()), ("Nova", "#aabbcc"));
}

#[test]
fn project_input_is_checked_all_at_once() {
    let s = Projects::default();
    let bad = NewProject {
        name: " \t ".into(),
        code: "NO VA".into(),
        client: Some("c".repeat(201)),
        color: Some("red".into()),
        status: Some(ProjectStatus::Archived),
        end_date: d("2026-11-02"),
        budget_days: Some(10_000_001),
        budget_amount: Some(5),
        description: Some("x".repeat(10_001)),
        ..new_project("NOVA")
    };
    let errs = fields(s.decide_create_project(PROJECT, &bad, T).unwrap_err());
    let names: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        names,
        ["status", "name", "code", "client", "color", "endDate", "budgetDays", "currency", "description"]
    );
    assert_eq!(errs[0].reason, "archive a project by deleting it");
    for (name, want) in [("a\nb", "name must be one line without control characters"), ("", "name must not be empty")] {
        let errs = fields(
            s.decide_create_project(PROJECT, &NewProject { name: name.into(), ..new_project("A") }, T).unwrap_err(),
        );
        assert_eq!(errs, vec![FieldError::new("name", want)]);
    }
    let long = NewProject { end_date: d("2046-11-03"), ..new_project("A") };
    assert_eq!(
        fields(s.decide_create_project(PROJECT, &long, T).unwrap_err()),
        vec![FieldError::new("endDate", "a project may span at most 20 years")]
    );
    assert!(s.decide_create_project(PROJECT, &NewProject { end_date: d("2046-11-01"), ..new_project("A") }, T).is_ok());
    let money = NewProject { currency: Some("eur".into()), ..new_project("A") };
    let names: Vec<String> =
        fields(s.decide_create_project(PROJECT, &money, T).unwrap_err()).into_iter().map(|e| e.field).collect();
    assert_eq!(names, ["budgetAmount", "currency"]);
    let ok =
        NewProject { budget_amount: Some(100), currency: Some("EUR".into()), code: "a-1_B".into(), ..new_project("A") };
    assert!(s.decide_create_project(PROJECT, &ok, T).is_ok());
    for code in ["", "ABCDEFGHIJKLMNOPQ", "é"] {
        assert!(s.decide_create_project(PROJECT, &new_project(code), T).is_err(), "{code}");
    }
}

#[test]
fn codes_are_unique_ignoring_case_archived_projects_included() {
    let mut s = studio();
    let err = s.decide_create_project(ProjectId::from_u128(2), &new_project("nova"), T).unwrap_err();
    assert_eq!(fields(err), vec![FieldError::new("code", "already used by project Project NOVA")]);
    applied(s.decide_archive_project(PROJECT, T), &mut s);
    assert!(s.decide_create_project(ProjectId::from_u128(2), &new_project("Nova"), T).is_err());
    let other = ProjectId::from_u128(3);
    applied(s.decide_create_project(other, &new_project("ORION"), T), &mut s);
    let rename = ProjectPatch { code: Some("NOVA".into()), ..Default::default() };
    assert_eq!(fields(s.decide_update_project(other, &rename, T).unwrap_err())[0].field, "code");
    // Its own code, in another case, is fine.
    let recase = ProjectPatch { code: Some("orion".into()), ..Default::default() };
    assert!(s.decide_update_project(other, &recase, T).is_ok());
}

#[test]
fn updates_bump_the_version_and_check_the_one_sent() {
    let mut s = studio();
    let patch = ProjectPatch { version: Some(1), name: Some(" Nova 2 ".into()), ..Default::default() };
    applied(s.decide_update_project(PROJECT, &patch, LATER), &mut s);
    let p = s.project(PROJECT).unwrap();
    assert_eq!((p.name.as_str(), p.version, p.created_at, p.updated_at), ("Nova 2", 2, T, LATER));
    assert_eq!(
        s.decide_update_project(PROJECT, &patch, LATER).unwrap_err(),
        DomainError::VersionMismatch { expected: 1, current: 2 }
    );
    let empty = ProjectPatch { version: Some(2), ..Default::default() };
    assert_eq!(
        fields(s.decide_update_project(PROJECT, &empty, T).unwrap_err()),
        vec![FieldError::new("body", "nothing to change")]
    );
    let archive = ProjectPatch { status: Some(ProjectStatus::Archived), ..Default::default() };
    assert_eq!(
        fields(s.decide_update_project(PROJECT, &archive, T).unwrap_err())[0].reason,
        "archive a project by deleting it"
    );
    let missing = ProjectId::from_u128(77);
    assert_eq!(
        s.decide_update_project(missing, &patch, T).unwrap_err(),
        DomainError::NotFound { entity: "project", id: missing.0 }
    );
    // A partial date change is checked against the date it keeps.
    let end = ProjectPatch { end_date: Some(d("2026-11-01")), ..Default::default() };
    assert_eq!(fields(s.decide_update_project(PROJECT, &end, T).unwrap_err())[0].field, "endDate");
    // Clearing: the currency alone cannot stay without an amount.
    let money = ProjectPatch { budget_amount: Some(Some(9)), currency: Some(Some("USD".into())), ..Default::default() };
    applied(s.decide_update_project(PROJECT, &money, T), &mut s);
    let clear = ProjectPatch { budget_amount: Some(None), ..Default::default() };
    assert_eq!(fields(s.decide_update_project(PROJECT, &clear, T).unwrap_err())[0].field, "budgetAmount");
}

#[test]
fn archived_projects_take_only_a_status_change_back() {
    let mut s = studio();
    let ph = add_phase(&mut s, 1, "2026-11-02", "2026-11-09");
    applied(s.decide_archive_project(PROJECT, LATER), &mut s);
    let p = s.project(PROJECT).unwrap();
    assert_eq!((p.status, p.version, p.updated_at), (ProjectStatus::Archived, 2, LATER));
    assert_eq!(unprocessable(s.decide_archive_project(PROJECT, T).unwrap_err()), "project NOVA is already archived");
    let rename = ProjectPatch { name: Some("x".into()), ..Default::default() };
    assert!(
        unprocessable(s.decide_update_project(PROJECT, &rename, T).unwrap_err())
            .starts_with("project NOVA is archived")
    );
    let both = ProjectPatch { name: Some("x".into()), status: Some(ProjectStatus::Active), ..Default::default() };
    assert!(matches!(s.decide_update_project(PROJECT, &both, T), Err(DomainError::Unprocessable(_))));
    // Nothing in the plan changes while archived.
    let archived = "project NOVA is archived";
    let np = new_phase("late", "2026-11-02", "2026-11-03");
    assert_eq!(unprocessable(s.decide_create_phase(PROJECT, PhaseId::from_u128(5), &np, T).unwrap_err()), archived);
    let rename_phase = PhasePatch { name: Some("y".into()), ..Default::default() };
    assert_eq!(unprocessable(s.decide_update_phase(ph, &rename_phase, &mon_fri(), T).unwrap_err()), archived);
    assert_eq!(unprocessable(s.decide_delete_phase(ph, T).unwrap_err()), archived);
    let nm = NewMilestone { name: "m".into(), date: d("2026-11-05"), done: None, phase_id: None };
    assert_eq!(
        unprocessable(s.decide_create_milestone(PROJECT, MilestoneId::from_u128(1), &nm, T).unwrap_err()),
        archived
    );
    let back = ProjectPatch { version: Some(2), status: Some(ProjectStatus::Active), ..Default::default() };
    applied(s.decide_update_project(PROJECT, &back, T), &mut s);
    assert_eq!(s.project(PROJECT).unwrap().status, ProjectStatus::Active);
    assert!(s.decide_update_phase(ph, &rename_phase, &mon_fri(), T).is_ok());
}

#[test]
fn project_dates_must_keep_the_plan_inside() {
    let mut s = studio();
    add_phase(&mut s, 1, "2026-11-09", "2026-11-20");
    add_phase(&mut s, 2, "2026-11-02", "2026-12-01");
    let shrink = ProjectPatch { start_date: Some(d("2026-11-05")), ..Default::default() };
    assert_eq!(
        unprocessable(s.decide_update_project(PROJECT, &shrink, T).unwrap_err()),
        "project NOVA's new range 2026-11-05 → 2027-03-01 (end exclusive) would leave out phase P2 \
         (2026-11-02 → 2026-12-01 (end exclusive))"
    );
    let nm = NewMilestone { name: "Delivery".into(), date: d("2027-02-15"), done: None, phase_id: None };
    applied(s.decide_create_milestone(PROJECT, MilestoneId::from_u128(1), &nm, T), &mut s);
    let cut = ProjectPatch { end_date: Some(d("2027-02-01")), ..Default::default() };
    assert!(
        unprocessable(s.decide_update_project(PROJECT, &cut, T).unwrap_err())
            .contains("milestone Delivery (2027-02-15)")
    );
    let fine = ProjectPatch { end_date: Some(d("2027-02-15")), ..Default::default() };
    assert!(s.decide_update_project(PROJECT, &fine, T).is_ok(), "a milestone may fall on the end date");
}

#[test]
fn milestones() {
    let mut s = studio();
    let ph = add_phase(&mut s, 1, "2026-11-02", "2026-11-09");
    let id = MilestoneId::from_u128(1);
    let nm = NewMilestone { name: " Review ".into(), date: d("2026-11-06"), done: None, phase_id: Some(ph) };
    applied(s.decide_create_milestone(PROJECT, id, &nm, T), &mut s);
    let m = s.milestone(id).unwrap();
    assert_eq!((m.name.as_str(), m.done, m.version, m.phase_id), ("Review", false, 1, Some(ph)));
    let outside = NewMilestone { date: d("2027-03-02"), ..nm.clone() };
    assert_eq!(
        unprocessable(s.decide_create_milestone(PROJECT, MilestoneId::from_u128(2), &outside, T).unwrap_err()),
        "milestone date must lie within project NOVA's range 2026-11-02 → 2027-03-01 (end date included)"
    );
    let at_end = NewMilestone { date: d("2027-03-01"), ..nm.clone() };
    assert!(s.decide_create_milestone(PROJECT, MilestoneId::from_u128(2), &at_end, T).is_ok());
    let other = ProjectId::from_u128(2);
    applied(s.decide_create_project(other, &new_project("ORION"), T), &mut s);
    let foreign = PhaseId::from_u128(50);
    applied(s.decide_create_phase(other, foreign, &new_phase("x", "2026-11-02", "2026-11-03"), T), &mut s);
    let wrong = NewMilestone { phase_id: Some(foreign), ..nm.clone() };
    assert!(
        unprocessable(s.decide_create_milestone(PROJECT, MilestoneId::from_u128(3), &wrong, T).unwrap_err())
            .contains("is not a phase of project NOVA")
    );
    let blank = NewMilestone { name: " ".into(), ..nm.clone() };
    assert_eq!(
        fields(s.decide_create_milestone(PROJECT, MilestoneId::from_u128(3), &blank, T).unwrap_err())[0].field,
        "name"
    );
    let missing = ProjectId::from_u128(404);
    assert_eq!(
        s.decide_create_milestone(missing, MilestoneId::from_u128(3), &nm, T).unwrap_err(),
        DomainError::NotFound { entity: "project", id: missing.0 }
    );
    let patch = MilestonePatch { version: Some(1), done: Some(true), phase_id: Some(None), ..Default::default() };
    applied(s.decide_update_milestone(id, &patch, LATER), &mut s);
    let m = s.milestone(id).unwrap();
    assert_eq!((m.done, m.phase_id, m.version, m.updated_at), (true, None, 2, LATER));
    assert_eq!(
        s.decide_update_milestone(id, &patch, T).unwrap_err(),
        DomainError::VersionMismatch { expected: 1, current: 2 }
    );
    applied(s.decide_delete_milestone(id), &mut s);
    assert!(s.milestone(id).is_none());
    assert_eq!(s.decide_delete_milestone(id).unwrap_err(), DomainError::NotFound { entity: "milestone", id: id.0 });
}

#[test]
fn apply_is_idempotent_and_restore_replaces_a_whole_plan() {
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-09");
    let b = add_phase(&mut s, 2, "2026-11-09", "2026-11-16");
    let decided = link(&mut s, 10, a, b, DependencyKind::FinishToStart, 0);
    let before = s.plan(PROJECT).unwrap();
    let snapshot = s.clone();
    for e in &decided.events {
        s.apply(e);
    }
    assert_eq!(s.plan(PROJECT).unwrap(), before);
    // Delete the phase, then restore the plan from before: everything is back, indexes too.
    applied(s.decide_delete_phase(a, T), &mut s);
    assert!(s.plan(PROJECT).unwrap().dependencies.is_empty());
    s.restore(PROJECT, Some(before.clone()));
    assert_eq!(s.plan(PROJECT).unwrap(), before);
    assert_eq!(s.dependencies_of(a), snapshot.dependencies_of(a));
    let cycle = s.decide_add_dependency(
        PROJECT,
        DependencyId::from_u128(11),
        &new_dep(b, a, DependencyKind::FinishToStart, 0),
        &mon_fri(),
        T,
    );
    assert_eq!(cycle.unwrap_err(), DomainError::DependencyCycle(vec![a, b]));
    s.restore(PROJECT, None);
    assert!(
        s.project(PROJECT).is_none() && s.phase(a).is_none() && s.dependency(DependencyId::from_u128(10)).is_none()
    );
    assert!(s.dependencies_of(a).is_empty() && s.members.is_empty());
}

#[test]
fn load_and_reads_are_ordered() {
    let mut s = studio();
    applied(
        s.decide_create_project(ProjectId::from_u128(1), &NewProject { name: "alpha".into(), ..new_project("A") }, T),
        &mut s,
    );
    applied(
        s.decide_create_project(ProjectId::from_u128(2), &NewProject { name: "Zulu".into(), ..new_project("Z") }, T),
        &mut s,
    );
    let b = add_phase(&mut s, 2, "2026-11-09", "2026-11-16");
    let a = add_phase(&mut s, 3, "2026-11-02", "2026-11-09");
    let c = add_phase(&mut s, 1, "2026-11-09", "2026-11-10");
    let names: Vec<&str> = s.projects().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["alpha", "Project NOVA", "Zulu"]);
    let plan = s.plan(PROJECT).unwrap();
    assert_eq!(plan.phases.iter().map(|p| p.id).collect::<Vec<_>>(), vec![a, c, b]);
    let all = s.plans();
    let loaded = Projects::load(
        all.iter().map(|p| p.project.clone()).collect(),
        all.iter().flat_map(|p| p.phases.clone()).collect(),
        all.iter().flat_map(|p| p.dependencies.clone()).collect(),
        all.iter().flat_map(|p| p.milestones.clone()).collect(),
    );
    assert_eq!(loaded.plan(PROJECT), s.plan(PROJECT));
    assert_eq!(loaded.projects(), s.projects());
    assert!(s.plan(ProjectId::from_u128(99)).is_none());
}
