//! Unit tests of phases, dependencies, re-planning and the schedule.
//! Dates: 2026-11-02 is a Monday; the week is Monday–Friday unless a test
//! says otherwise.

use super::tests::{
    LATER, PROJECT, T, add_phase, applied, d, dates, link, mon_fri, move_to, new_dep, new_phase, new_project, studio,
};
use super::*;
use crate::error::DomainError;
use pt_protocol::project::{SkillEffort, Violation};
use pt_protocol::project_command::{NewDependency, NewMilestone, NewPhase, PhasePatch};
use pt_protocol::{DependencyKind as K, FieldError, ReplanMode};

fn moved_ids(decided: &Decided) -> Vec<PhaseId> {
    decided.moved.iter().map(|m| m.phase_id).collect()
}

fn field_names(r: Result<Decided, DomainError>) -> Vec<String> {
    match r {
        Err(DomainError::Invalid(f)) => f.into_iter().map(|e| e.field).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn message(r: Result<Decided, DomainError>) -> String {
    match r {
        Err(DomainError::Unprocessable(m)) => m,
        other => panic!("expected Unprocessable, got {other:?}"),
    }
}

#[test]
fn phases_lie_within_their_project() {
    let mut s = studio();
    let id = PhaseId::from_u128(1);
    let early = new_phase("Layout", "2026-11-01", "2026-11-09");
    assert_eq!(
        message(s.decide_create_phase(PROJECT, id, &early, T)),
        "phase dates must lie within project NOVA's range 2026-11-02 → 2027-03-01 (end exclusive)"
    );
    let late = new_phase("Layout", "2027-02-01", "2027-03-02");
    assert!(message(s.decide_create_phase(PROJECT, id, &late, T)).starts_with("phase dates must lie within"));
    let edge = new_phase(" Layout ", "2026-11-02", "2027-03-01");
    applied(s.decide_create_phase(PROJECT, id, &edge, T), &mut s);
    let p = s.phase(id).unwrap();
    assert_eq!((p.name.as_str(), p.progress, p.version, p.project_id), ("Layout", 0, 1, PROJECT));
    let missing = ProjectId::from_u128(404);
    assert_eq!(
        s.decide_create_phase(missing, PhaseId::from_u128(2), &edge, T).unwrap_err(),
        DomainError::NotFound { entity: "project", id: missing.0 }
    );
    let moved_out = PhasePatch { end_date: Some(d("2027-03-02")), ..Default::default() };
    assert!(message(s.decide_update_phase(id, &moved_out, &mon_fri(), T)).contains("NOVA's range"));
}

#[test]
fn phase_input_is_checked() {
    let s = studio();
    let id = PhaseId::from_u128(1);
    let effort = |skill: &str, days| SkillEffort { skill: skill.into(), days };
    let bad = NewPhase {
        progress: Some(101),
        color: Some("#12345".into()),
        effort: vec![effort(" Comp ", 3), effort("comp", 2), effort("fx", 0), effort(" ", 1)],
        ..new_phase("x", "2026-11-09", "2026-11-09")
    };
    assert_eq!(
        field_names(s.decide_create_phase(PROJECT, id, &bad, T)),
        ["endDate", "progress", "color", "effort[1].skill", "effort[2].days", "effort[3].skill"]
    );
    let many = NewPhase {
        effort: (0..51).map(|i| effort(&format!("s{i}"), 1)).collect(),
        ..new_phase("x", "2026-11-02", "2026-11-09")
    };
    assert_eq!(field_names(s.decide_create_phase(PROJECT, id, &many, T)), ["effort"]);
    let ok = NewPhase { effort: vec![effort(" Comp ", 100_000)], ..new_phase("x", "2026-11-02", "2026-11-09") };
    let decided = s.decide_create_phase(PROJECT, id, &ok, T).unwrap();
    let Event::PhaseCreated { phase } = &decided.events[0] else { panic!() };
    assert_eq!(phase.effort, vec![effort("comp", 100_000)]);
}

#[test]
fn phase_updates_check_version_and_bump_it() {
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-09");
    let patch =
        PhasePatch { version: Some(1), progress: Some(40), color: Some(Some("#ABCDEF".into())), ..Default::default() };
    applied(s.decide_update_phase(a, &patch, &mon_fri(), LATER), &mut s);
    let p = s.phase(a).unwrap();
    assert_eq!((p.progress, p.color.as_deref(), p.version, p.updated_at), (40, Some("#abcdef"), 2, LATER));
    assert_eq!(
        s.decide_update_phase(a, &patch, &mon_fri(), T).unwrap_err(),
        DomainError::VersionMismatch { expected: 1, current: 2 }
    );
    let only_mode = PhasePatch { mode: Some(ReplanMode::Strict), ..Default::default() };
    assert_eq!(
        s.decide_update_phase(a, &only_mode, &mon_fri(), T).unwrap_err(),
        DomainError::Invalid(vec![FieldError::new("body", "nothing to change")])
    );
    let gone = PhaseId::from_u128(99);
    assert_eq!(
        s.decide_update_phase(gone, &patch, &mon_fri(), T).unwrap_err(),
        DomainError::NotFound { entity: "phase", id: gone.0 }
    );
}

#[test]
fn dependency_input_and_references_are_checked() {
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-09");
    let b = add_phase(&mut s, 2, "2026-11-09", "2026-11-16");
    let w = mon_fri();
    let id = DependencyId::from_u128(10);
    let add = |s: &Projects, new| s.decide_add_dependency(PROJECT, id, &new, &w, T);
    assert_eq!(field_names(add(&s, new_dep(a, a, K::FinishToStart, 0))), ["successorId"]);
    assert_eq!(field_names(add(&s, new_dep(a, b, K::FinishToStart, 366))), ["lagDays"]);
    assert_eq!(field_names(add(&s, new_dep(a, a, K::FinishToStart, -366))), ["lagDays", "successorId"]);
    let ghost = PhaseId::from_u128(404);
    assert_eq!(
        add(&s, new_dep(a, ghost, K::FinishToStart, 0)).unwrap_err(),
        DomainError::NotFound { entity: "phase", id: ghost.0 }
    );
    let other = ProjectId::from_u128(2);
    applied(s.decide_create_project(other, &new_project("ORION"), T), &mut s);
    let foreign = PhaseId::from_u128(50);
    applied(s.decide_create_phase(other, foreign, &new_phase("F", "2026-11-02", "2026-11-03"), T), &mut s);
    assert_eq!(
        message(add(&s, new_dep(foreign, b, K::FinishToStart, 0))),
        "phase F belongs to another project than NOVA"
    );
    // Defaults: finish_to_start, lag 0.
    let bare = NewDependency { predecessor_id: a, successor_id: b, kind: None, lag_days: None, mode: None };
    let decided = applied(add(&s, bare.clone()), &mut s);
    let dep = s.dependency(id).unwrap();
    assert_eq!((dep.kind, dep.lag_days, dep.created_at), (K::FinishToStart, 0, T));
    assert!(decided.moved.is_empty() && decided.events.len() == 1);
    let again = NewDependency { kind: Some(K::StartToStart), ..bare };
    let r = s.decide_add_dependency(PROJECT, DependencyId::from_u128(11), &again, &w, T);
    assert_eq!(message(r), "phase P2 already depends on phase P1");
    applied(s.decide_remove_dependency(id), &mut s);
    assert!(s.dependency(id).is_none());
    assert_eq!(s.decide_remove_dependency(id).unwrap_err(), DomainError::NotFound { entity: "dependency", id: id.0 });
}

#[test]
fn a_cycle_is_refused_with_its_phases_from_the_new_successor_to_the_new_predecessor() {
    let mut s = studio();
    let p: Vec<PhaseId> = (1..=5).map(|n| add_phase(&mut s, n, "2026-11-02", "2026-11-03")).collect();
    // Dates first: a chain 1 → 2 → 3 → 4 pushes each after the previous one.
    link(&mut s, 10, p[0], p[1], K::StartToStart, 0);
    link(&mut s, 11, p[1], p[2], K::StartToStart, 0);
    link(&mut s, 12, p[2], p[3], K::StartToStart, 0);
    link(&mut s, 13, p[0], p[4], K::StartToStart, 0);
    link(&mut s, 14, p[4], p[3], K::StartToStart, 0);
    let w = mon_fri();
    let close = |from, to| {
        s.decide_add_dependency(PROJECT, DependencyId::from_u128(20), &new_dep(from, to, K::FinishToStart, 0), &w, T)
    };
    // 4 → 1 closes 1 → … → 4; the shortest path is through 5.
    assert_eq!(close(p[3], p[0]).unwrap_err(), DomainError::DependencyCycle(vec![p[0], p[4], p[3]]));
    assert_eq!(close(p[2], p[1]).unwrap_err(), DomainError::DependencyCycle(vec![p[1], p[2]]));
    assert_eq!(close(p[3], p[1]).unwrap_err(), DomainError::DependencyCycle(vec![p[1], p[2], p[3]]));
    assert!(close(p[4], p[2]).is_ok(), "a second path is not a cycle");
}

#[test]
fn a_broken_new_dependency_pushes_its_successor_or_is_refused_in_strict_mode() {
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-07"); // Mon–Fri
    let b = add_phase(&mut s, 2, "2026-11-04", "2026-11-06");
    let c = add_phase(&mut s, 3, "2026-11-06", "2026-11-10");
    link(&mut s, 10, b, c, K::FinishToStart, 0);
    let strict = NewDependency { mode: Some(ReplanMode::Strict), ..new_dep(a, b, K::FinishToStart, 1) };
    let r = s.decide_add_dependency(PROJECT, DependencyId::from_u128(11), &strict, &mon_fri(), T);
    assert_eq!(
        r.unwrap_err(),
        DomainError::DependencyViolation(vec![Violation {
            dependency_id: DependencyId::from_u128(11),
            predecessor_id: a,
            successor_id: b,
            kind: K::FinishToStart,
            required: d("2026-11-09"), // Saturday + 1 working day = Monday
            actual: d("2026-11-04"),
        }])
    );
    let decided = link(&mut s, 11, a, b, K::FinishToStart, 1);
    assert_eq!(moved_ids(&decided), vec![b, c]);
    assert_eq!(dates(&s, b), (d("2026-11-09"), d("2026-11-11")));
    assert_eq!(dates(&s, c), (d("2026-11-11"), d("2026-11-15")));
    assert_eq!(decided.moved[0].old_start, d("2026-11-04"));
    assert!(matches!(&decided.events[0], Event::DependencyAdded { .. }));
    assert_eq!(s.phase(c).unwrap().version, 2);
}

#[test]
fn push_moves_successors_across_weekends_with_lags() {
    let w = mon_fri();
    for (lag, start) in [(0, "2026-11-11"), (2, "2026-11-13"), (3, "2026-11-16"), (-2, "2026-11-09")] {
        let mut s = studio();
        let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-07");
        let b = add_phase(&mut s, 2, "2026-11-09", "2026-11-14");
        // The link itself must hold at first: lag -2 from Sat is Thu, lag 3 from Sat is Thu.
        link(&mut s, 10, a, b, K::FinishToStart, lag);
        let decided =
            applied(s.decide_update_phase(a, &move_to("2026-11-04", "2026-11-11", ReplanMode::Push), &w, T), &mut s);
        assert_eq!(dates(&s, a), (d("2026-11-04"), d("2026-11-11")));
        let want = if lag == -2 { vec![] } else { vec![b] };
        assert_eq!(moved_ids(&decided), want, "lag {lag}");
        if lag != -2 {
            assert_eq!(dates(&s, b), (d(start), d(start).plus(5)), "lag {lag}");
        }
    }
    // A bound on a Saturday moves the successor on to Monday.
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-07");
    let b = add_phase(&mut s, 2, "2026-11-09", "2026-11-12");
    link(&mut s, 10, a, b, K::FinishToStart, 0);
    applied(s.decide_update_phase(a, &move_to("2026-11-09", "2026-11-14", ReplanMode::Push), &w, T), &mut s);
    assert_eq!(dates(&s, b), (d("2026-11-16"), d("2026-11-19")));
    // A negative lag lets the successor overlap: Sat − 2 working days = Thursday.
    let c = add_phase(&mut s, 3, "2026-11-02", "2026-11-04");
    link(&mut s, 11, a, c, K::FinishToStart, -2);
    assert_eq!(dates(&s, c), (d("2026-11-12"), d("2026-11-14")));
}

#[test]
fn push_is_transitive_in_topological_order_and_keeps_durations() {
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-04");
    let b = add_phase(&mut s, 2, "2026-11-04", "2026-11-06");
    let c = add_phase(&mut s, 3, "2026-11-04", "2026-11-05");
    let e = add_phase(&mut s, 4, "2026-11-06", "2026-11-07");
    link(&mut s, 10, a, b, K::FinishToStart, 0);
    link(&mut s, 11, a, c, K::FinishToStart, 0);
    link(&mut s, 12, b, e, K::FinishToStart, 0);
    link(&mut s, 13, c, e, K::FinishToStart, 0);
    let decided = applied(
        s.decide_update_phase(a, &move_to("2026-11-09", "2026-11-11", ReplanMode::Push), &mon_fri(), T),
        &mut s,
    );
    assert_eq!(moved_ids(&decided), vec![b, c, e]);
    assert_eq!(dates(&s, b), (d("2026-11-11"), d("2026-11-13")));
    assert_eq!(dates(&s, c), (d("2026-11-11"), d("2026-11-12")));
    assert_eq!(dates(&s, e), (d("2026-11-13"), d("2026-11-14")), "after both predecessors");
    let kinds: Vec<&str> = decided.events.iter().map(Event::kind).collect();
    assert_eq!(kinds, ["phaseUpdated"; 4]);
    // Moving back does not pull anything back.
    let back = applied(
        s.decide_update_phase(a, &move_to("2026-11-02", "2026-11-04", ReplanMode::Push), &mon_fri(), T),
        &mut s,
    );
    assert!(back.moved.is_empty());
    assert_eq!(dates(&s, e), (d("2026-11-13"), d("2026-11-14")));
}

#[test]
fn start_to_start_finish_to_finish_and_start_to_finish() {
    let w = mon_fri();
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-07");
    let b = add_phase(&mut s, 2, "2026-11-04", "2026-11-11");
    link(&mut s, 10, a, b, K::StartToStart, 2); // Mon + 2 = Wed: holds
    applied(s.decide_update_phase(a, &move_to("2026-11-05", "2026-11-10", ReplanMode::Push), &w, T), &mut s);
    assert_eq!(dates(&s, b), (d("2026-11-09"), d("2026-11-16")), "Thu + 2 working days = Mon");

    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-07");
    let b = add_phase(&mut s, 2, "2026-11-02", "2026-11-05");
    let decided = link(&mut s, 10, a, b, K::FinishToFinish, 0);
    assert_eq!(moved_ids(&decided), vec![b]);
    assert_eq!(dates(&s, b), (d("2026-11-04"), d("2026-11-07")), "ends with its predecessor");
    applied(s.decide_update_phase(a, &move_to("2026-11-02", "2026-11-11", ReplanMode::Push), &w, T), &mut s);
    assert_eq!(dates(&s, b), (d("2026-11-08"), d("2026-11-11")), "end bounds are not rounded to working days");

    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-09", "2026-11-14");
    let b = add_phase(&mut s, 2, "2026-11-02", "2026-11-06");
    let decided = link(&mut s, 10, a, b, K::StartToFinish, 1);
    assert_eq!(moved_ids(&decided), vec![b]);
    assert_eq!(dates(&s, b), (d("2026-11-06"), d("2026-11-10")), "end ≥ Mon + 1 working day");
}

#[test]
fn strict_lists_every_broken_dependency_into_and_out_of_the_phase() {
    let mut s = studio();
    let z = add_phase(&mut s, 1, "2026-11-02", "2026-11-04");
    let a = add_phase(&mut s, 2, "2026-11-04", "2026-11-06");
    let b = add_phase(&mut s, 3, "2026-11-06", "2026-11-10");
    link(&mut s, 20, a, b, K::FinishToStart, 0);
    link(&mut s, 10, z, a, K::FinishToStart, 0);
    let before = s.plan(PROJECT);
    let patch = move_to("2026-11-03", "2026-11-09", ReplanMode::Strict);
    let err = s.decide_update_phase(a, &patch, &mon_fri(), T).unwrap_err();
    let violation = |id, p, q, required: &str, actual: &str| Violation {
        dependency_id: DependencyId::from_u128(id),
        predecessor_id: p,
        successor_id: q,
        kind: K::FinishToStart,
        required: d(required),
        actual: d(actual),
    };
    assert_eq!(
        err,
        DomainError::DependencyViolation(vec![
            violation(10, z, a, "2026-11-04", "2026-11-03"),
            violation(20, a, b, "2026-11-09", "2026-11-06"),
        ])
    );
    assert_eq!(s.plan(PROJECT), before, "a refusal changes nothing");
    // Push moves B but never Z: moving A before Z allows is refused as well.
    let err = s.decide_update_phase(a, &PhasePatch { mode: None, ..patch }, &mon_fri(), T).unwrap_err();
    assert_eq!(err, DomainError::DependencyViolation(vec![violation(10, z, a, "2026-11-04", "2026-11-03")]));
    // A strict move that breaks nothing is accepted and moves nothing else.
    let fine = applied(
        s.decide_update_phase(a, &move_to("2026-11-04", "2026-11-05", ReplanMode::Strict), &mon_fri(), T),
        &mut s,
    );
    assert!(fine.moved.is_empty() && fine.events.len() == 1);
}

#[test]
fn push_past_the_project_end_is_refused() {
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-09");
    let b = add_phase(&mut s, 2, "2027-02-01", "2027-02-27");
    link(&mut s, 10, a, b, K::FinishToStart, 0);
    let r = s.decide_update_phase(a, &move_to("2027-01-25", "2027-02-05", ReplanMode::Push), &mon_fri(), T);
    assert_eq!(
        message(r),
        "pushing successors would move phase P2 to 2027-02-05 → 2027-03-03, past project NOVA's range 2026-11-02 → \
         2027-03-01 (end exclusive)"
    );
}

#[test]
fn deleting_a_phase_removes_its_dependencies_and_unlinks_its_milestones() {
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-04");
    let b = add_phase(&mut s, 2, "2026-11-04", "2026-11-06");
    let c = add_phase(&mut s, 3, "2026-11-06", "2026-11-10");
    link(&mut s, 11, b, c, K::FinishToStart, 0);
    link(&mut s, 10, a, b, K::FinishToStart, 0);
    link(&mut s, 12, a, c, K::FinishToStart, 0);
    let m = MilestoneId::from_u128(7);
    let nm = NewMilestone { name: "Review".into(), date: d("2026-11-05"), done: None, phase_id: Some(b) };
    applied(s.decide_create_milestone(PROJECT, m, &nm, T), &mut s);
    let decided = applied(s.decide_delete_phase(b, LATER), &mut s);
    let kinds: Vec<&str> = decided.events.iter().map(Event::kind).collect();
    assert_eq!(kinds, ["dependencyRemoved", "dependencyRemoved", "milestoneUpdated", "phaseDeleted"]);
    let Event::DependencyRemoved { dependency } = &decided.events[0] else { panic!() };
    assert_eq!(dependency.id, DependencyId::from_u128(10));
    let ms = s.milestone(m).unwrap();
    assert_eq!((ms.phase_id, ms.version, ms.updated_at), (None, 2, LATER));
    let plan = s.plan(PROJECT).unwrap();
    assert_eq!(plan.phases.iter().map(|p| p.id).collect::<Vec<_>>(), vec![a, c]);
    assert_eq!(plan.dependencies.iter().map(|x| x.id.0.as_u128()).collect::<Vec<_>>(), vec![12]);
    assert_eq!(s.decide_delete_phase(b, T).unwrap_err(), DomainError::NotFound { entity: "phase", id: b.0 });
}

#[test]
fn the_schedule_has_slack_a_critical_path_and_weighted_progress() {
    let every_day = WorkWeek::from_iso_days(&[]);
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-05");
    let b = add_phase(&mut s, 2, "2026-11-05", "2026-11-10");
    let c = add_phase(&mut s, 3, "2026-11-02", "2026-11-04");
    let x = add_phase(&mut s, 4, "2026-11-03", "2026-11-06");
    link(&mut s, 10, a, b, K::FinishToStart, 0);
    link(&mut s, 11, a, x, K::StartToStart, 1);
    for (id, progress) in [(a, 100), (c, 50)] {
        let patch = PhasePatch { progress: Some(progress), ..Default::default() };
        applied(s.decide_update_phase(id, &patch, &every_day, T), &mut s);
    }
    let sched = s.schedule(PROJECT, &every_day).unwrap();
    assert_eq!((sched.start_date, sched.finish_date), (Some(d("2026-11-02")), Some(d("2026-11-10"))));
    let slack: Vec<(PhaseId, i32, bool)> =
        sched.phases.iter().map(|p| (p.phase_id, p.slack_days, p.critical)).collect();
    assert_eq!(slack, vec![(a, 0, true), (c, 6, false), (x, 4, false), (b, 0, true)]);
    assert_eq!(sched.phases[1].latest_start, d("2026-11-08"));
    assert_eq!(sched.critical_path, vec![a, b]);
    assert!((sched.progress - 400.0 / 13.0).abs() < 1e-9);
    // Slack counts working days only: C may start as late as Thursday the 12th.
    let w = mon_fri();
    let mut s = studio();
    let c = add_phase(&mut s, 1, "2026-11-02", "2026-11-04");
    let e = add_phase(&mut s, 2, "2026-11-09", "2026-11-14");
    let sched = s.schedule(PROJECT, &w).unwrap();
    assert_eq!(sched.phases[0].latest_start, d("2026-11-12"));
    assert_eq!(sched.phases[0].slack_days, 8);
    assert_eq!(sched.critical_path, vec![e]);
    let _ = c;
    // Empty and unknown projects.
    let empty = studio().schedule(PROJECT, &w).unwrap();
    assert_eq!((empty.finish_date, empty.progress, empty.critical_path.len()), (None, 0.0, 0));
    assert!(studio().schedule(ProjectId::from_u128(5), &w).is_none());
}

#[test]
fn the_critical_path_is_the_longest_critical_chain() {
    let w = WorkWeek::from_iso_days(&[]);
    let mut s = studio();
    let a = add_phase(&mut s, 1, "2026-11-02", "2026-11-04");
    let b = add_phase(&mut s, 2, "2026-11-04", "2026-11-06");
    let c = add_phase(&mut s, 3, "2026-11-06", "2026-11-09");
    let side = add_phase(&mut s, 4, "2026-11-02", "2026-11-06");
    link(&mut s, 10, a, b, K::FinishToStart, 0);
    link(&mut s, 11, b, c, K::FinishToStart, 0);
    link(&mut s, 12, side, c, K::FinishToStart, 0);
    let sched = s.schedule(PROJECT, &w).unwrap();
    assert!(sched.phases.iter().all(|p| p.critical));
    assert_eq!(sched.critical_path, vec![a, b, c], "three phases beat two");
}
