//! Projects on both stores: projects, phases, dependencies and milestones
//! round-trip through `append` → `load_tenant` / `load_project`, later
//! events replace them, deletions remove them (also within the batch that
//! created them), snapshots carry them, a booking keeps its phase, and a
//! tenant sees only its own. The stores' own guards (foreign keys, the
//! unique code, checks) refuse what the actors never send.

use super::*;
use pt_protocol::day::{MAX_DAY, MIN_DAY};
use pt_protocol::project::SkillEffort;
use pt_protocol::{DependencyKind, Phase, Project, ProjectId, ProjectPlan, ProjectStatus};

conformance!(
    every_field_round_trips,
    updates_replace_and_deletions_remove,
    what_one_batch_creates_and_deletes_leaves_nothing,
    a_snapshot_and_its_tail_load_like_the_rows,
    load_project_reads_one_sorted_plan,
    a_booking_keeps_its_phase,
    tenants_see_none_of_another_tenants_projects,
    the_stores_guard_codes_and_references,
);

/// What the tenant holds after `events`, by the snapshot replay (the model
/// both stores must match).
fn replayed(events: &[EventEnvelope]) -> TenantState {
    let mut s = TenantState::default();
    s.apply_all(events);
    s
}

fn events_of(batch: &[pt_actors::store::CommandRecord]) -> Vec<EventEnvelope> {
    batch.iter().flat_map(|r| r.events.clone()).collect()
}

/// A project with two phases in a row, a dependency and two milestones.
struct Plan {
    project: Project,
    phases: Vec<Phase>,
    deps: Vec<pt_protocol::Dependency>,
    milestones: Vec<pt_protocol::Milestone>,
}

fn small_plan(code: &str) -> Plan {
    let project = project(code);
    let design = phase(&project, "Design", 0, 10);
    let build = Phase { progress: 40, color: Some("#00aa00".into()), ..phase(&project, "Build", 10, 30) };
    let deps = vec![dependency(&design, &build)];
    let milestones = vec![milestone(&project, "Review", 10, Some(&design)), milestone(&project, "Delivery", 30, None)];
    Plan { project, phases: vec![design, build], deps, milestones }
}

impl Plan {
    fn events(&self) -> Vec<Event> {
        plan_events(&self.project, &self.phases, &self.deps, &self.milestones)
    }
}

async fn every_field_round_trips(kind: Kind) {
    let mut b = Backend::migrated(kind).await;
    let t = b.tenant().await;

    // Every optional field set, and every one empty; the widest dates; every kind.
    let full = project("NOVA");
    let bare = Project {
        client: None,
        budget_days: None,
        budget_amount: None,
        currency: None,
        description: None,
        status: ProjectStatus::OnHold,
        start_date: MIN_DAY,
        end_date: MAX_DAY,
        ..project("bare-1")
    };
    let p1 = Phase {
        progress: 100,
        color: Some("#ff0000".into()),
        effort: vec![
            SkillEffort { skill: "合成".into(), days: 100_000 },
            SkillEffort { skill: "rigging".into(), days: 1 },
        ],
        ..phase(&full, "Phase ünïcödé 🎥", 0, 5)
    };
    let p2 = Phase { effort: vec![], ..phase(&full, "Second", 5, 9) };
    let p3 = phase(&full, "Third", 9, 20);
    let kinds = [
        DependencyKind::FinishToStart,
        DependencyKind::StartToStart,
        DependencyKind::FinishToFinish,
        DependencyKind::StartToFinish,
    ];
    let deps: Vec<_> = kinds
        .iter()
        .zip([(&p1, &p2), (&p2, &p3), (&p1, &p3), (&p3, &p1)])
        .zip([0, -3, 7, i32::MIN])
        .map(|((k, (a, z)), lag)| pt_protocol::Dependency { kind: *k, lag_days: lag, ..dependency(a, z) })
        .collect();
    let m1 = pt_protocol::Milestone { done: true, ..milestone(&full, "Done one", 4, Some(&p1)) };
    let m2 = milestone(&full, "Open one", 60, None);
    let mut log = Log::new();
    let batch = vec![
        log.cmd(vec![Event::ProjectCreated { project: full.clone() }]),
        log.cmd(vec![Event::ProjectCreated { project: bare.clone() }]),
        log.cmd(
            plan_events(&full, &[p1.clone(), p2.clone(), p3.clone()], &deps, &[m1.clone(), m2.clone()])[1..].to_vec(),
        ),
    ];
    b.store().append(t, &batch).await.unwrap();

    let want = TenantState {
        projects: vec![full.clone(), bare.clone()],
        phases: vec![p1.clone(), p2.clone(), p3.clone()],
        dependencies: deps.clone(),
        milestones: vec![m1.clone(), m2.clone()],
        last_seq: 11,
        ..TenantState::default()
    };
    assert_same_state(b.store().load_tenant(t).await.unwrap(), want.clone());
    assert_eq!(b.store().events_since(t, 0, 100).await.unwrap(), events_of(&batch), "events come back exactly");
    assert_eq!(b.store().entity_events(t, p1.id.0).await.unwrap(), vec![batch[2].events[0].clone()]);
    assert_eq!(b.store().entity_events(t, deps[3].id.0).await.unwrap().len(), 1);

    // The same after a reopen, and from a snapshot (compaction).
    b.reopen().await;
    assert_same_state(b.store().load_tenant(t).await.unwrap(), want.clone());
    assert_eq!(compact(b.store(), t).await.unwrap(), 11);
    assert_same_state(b.store().load_tenant(t).await.unwrap(), want);
    let bare_plan = b.store().load_project(t, bare.id).await.unwrap().unwrap();
    assert_eq!(bare_plan, ProjectPlan { project: bare, phases: vec![], dependencies: vec![], milestones: vec![] });
}

async fn updates_replace_and_deletions_remove(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let plan = small_plan("NOVA");
    let mut log = Log::new();
    let first = vec![log.cmd(plan.events())];
    s.append(t, &first).await.unwrap();

    // One batch: the project updated then archived, a phase moved twice, a
    // milestone done, the dependency removed and its successor deleted, a
    // milestone deleted.
    let (design, build) = (&plan.phases[0], &plan.phases[1]);
    let renamed = Project { name: "Nova, renamed".into(), version: 2, ..plan.project.clone() };
    let archived = Project { status: ProjectStatus::Archived, version: 3, ..renamed.clone() };
    let moved = phase_changed(design, |p| p.end_date = day(12));
    let moved_again = phase_changed(&moved, |p| {
        p.start_date = day(2);
        p.progress = 55;
    });
    let done = pt_protocol::Milestone { done: true, version: 2, ..plan.milestones[0].clone() };
    let second = vec![
        log.cmd(vec![Event::ProjectUpdated { project: renamed }]),
        log.cmd(vec![Event::PhaseUpdated { phase: moved }, Event::PhaseUpdated { phase: moved_again.clone() }]),
        log.cmd(vec![Event::MilestoneUpdated { milestone: done.clone() }]),
        log.cmd(vec![
            Event::DependencyRemoved { dependency: plan.deps[0].clone() },
            Event::PhaseDeleted { phase: build.clone() },
        ]),
        log.cmd(vec![Event::MilestoneDeleted { milestone: plan.milestones[1].clone() }]),
        log.cmd(vec![Event::ProjectArchived { project: archived.clone() }]),
    ];
    s.append(t, &second).await.unwrap();

    let want = TenantState {
        projects: vec![archived.clone()],
        phases: vec![moved_again.clone()],
        milestones: vec![done.clone()],
        last_seq: 14,
        ..TenantState::default()
    };
    let all = [events_of(&first), events_of(&second)].concat();
    assert_same_state(replayed(&all), want.clone());
    assert_same_state(s.load_tenant(t).await.unwrap(), want);
    let got = s.load_project(t, plan.project.id).await.unwrap().unwrap();
    assert_eq!(
        got,
        ProjectPlan { project: archived, phases: vec![moved_again], dependencies: vec![], milestones: vec![done] }
    );
}

async fn what_one_batch_creates_and_deletes_leaves_nothing(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let plan = small_plan("NOVA");
    let mut log = Log::new();
    s.append(t, &[log.cmd(plan.events())]).await.unwrap();

    // In one batch: a phase created, updated and deleted, with a dependency
    // and a milestone added and removed around it; the stored dependency
    // removed and its predecessor deleted; a new dependency between the
    // remaining phase and a new one.
    let (design, build) = (&plan.phases[0], &plan.phases[1]);
    let brief = phase(&plan.project, "Brief", 30, 31);
    let brief2 = phase_changed(&brief, |p| p.name = "Brief, again".into());
    let brief_dep = dependency(build, &brief);
    let brief_ms = milestone(&plan.project, "Brief sign-off", 31, Some(&brief));
    let polish = phase(&plan.project, "Polish", 40, 50);
    let polish_dep = pt_protocol::Dependency { lag_days: 2, ..dependency(build, &polish) };
    let batch = vec![
        log.cmd(vec![Event::PhaseCreated { phase: brief.clone() }]),
        log.cmd(vec![
            Event::DependencyAdded { dependency: brief_dep.clone() },
            Event::MilestoneCreated { milestone: brief_ms.clone() },
        ]),
        log.cmd(vec![Event::PhaseUpdated { phase: brief2.clone() }]),
        log.cmd(vec![
            Event::DependencyRemoved { dependency: brief_dep },
            Event::MilestoneDeleted { milestone: brief_ms },
            Event::PhaseDeleted { phase: brief2 },
        ]),
        log.cmd(vec![
            Event::DependencyRemoved { dependency: plan.deps[0].clone() },
            Event::PhaseDeleted { phase: design.clone() },
        ]),
        log.cmd(vec![Event::PhaseCreated { phase: polish.clone() }]),
        log.cmd(vec![Event::DependencyAdded { dependency: polish_dep.clone() }]),
    ];
    s.append(t, &batch).await.unwrap();

    let want = TenantState {
        projects: vec![plan.project.clone()],
        phases: vec![build.clone(), polish.clone()],
        dependencies: vec![polish_dep.clone()],
        milestones: plan.milestones.clone(),
        last_seq: 17,
        ..TenantState::default()
    };
    assert_same_state(s.load_tenant(t).await.unwrap(), want);
    let got = s.load_project(t, plan.project.id).await.unwrap().unwrap();
    assert_eq!((got.phases, got.dependencies), (vec![build.clone(), polish], vec![polish_dep]));
}

async fn a_snapshot_and_its_tail_load_like_the_rows(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let (nova, vega) = (small_plan("NOVA"), small_plan("VEGA"));
    let mut log = Log::new();
    let head = vec![log.cmd(nova.events()), log.cmd(vega.events())];
    s.append(t, &head).await.unwrap();
    assert_eq!(compact(s, t).await.unwrap(), 12);
    assert_eq!(s.snapshot_seq(t).await.unwrap(), 12);

    // The tail changes, removes and adds rows on top of the snapshot.
    let later = phase(&vega.project, "Later", 40, 45);
    let tail = vec![
        log.cmd(vec![Event::PhaseUpdated { phase: phase_changed(&nova.phases[1], |p| p.progress = 90) }]),
        log.cmd(vec![
            Event::DependencyRemoved { dependency: vega.deps[0].clone() },
            Event::PhaseDeleted { phase: vega.phases[0].clone() },
            Event::MilestoneDeleted { milestone: vega.milestones[0].clone() },
        ]),
        log.cmd(vec![
            Event::PhaseCreated { phase: later.clone() },
            Event::DependencyAdded { dependency: dependency(&vega.phases[1], &later) },
            Event::ProjectUpdated {
                project: Project { status: ProjectStatus::Done, version: 2, ..nova.project.clone() },
            },
        ]),
    ];
    s.append(t, &tail).await.unwrap();
    let want = replayed(&[events_of(&head), events_of(&tail)].concat());
    assert_eq!((want.phases.len(), want.dependencies.len(), want.milestones.len(), want.last_seq), (4, 2, 3, 19));
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());

    // Without the snapshot (corrupt): PostgreSQL reads its projection rows,
    // the embedded store replays the whole log. Both agree.
    b.corrupt_snapshot(t, 12).await;
    assert_same_state(s.load_tenant(t).await.unwrap(), want.clone());
    // A snapshot of that state, and reverting to it, changes nothing.
    assert_eq!(compact(s, t).await.unwrap(), 19);
    assert_same_state(s.load_tenant(t).await.unwrap(), want);
}

async fn load_project_reads_one_sorted_plan(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let (nova, vega) = (small_plan("NOVA"), small_plan("VEGA"));
    let p = &nova.project;
    // Created out of order: phases and milestones come back by date, then id;
    // dependencies by id.
    let late = phase(p, "Late", 50, 55);
    let (same_a, same_b) = (phase(p, "Same start A", 20, 25), phase(p, "Same start B", 20, 22));
    let deps = vec![dependency(&same_b, &late), dependency(&same_a, &late)];
    let ms = vec![milestone(p, "Z", 50, None), milestone(p, "Y", 5, Some(&late)), milestone(p, "X", 5, None)];
    let mut log = Log::new();
    s.append(
        t,
        &[
            log.cmd(vega.events()),
            log.cmd(plan_events(
                p,
                &[late.clone(), same_b.clone(), nova.phases[1].clone(), same_a.clone()],
                &deps,
                &ms,
            )),
        ],
    )
    .await
    .unwrap();

    let mut phases = vec![late, same_a, same_b, nova.phases[1].clone()];
    phases.sort_by_key(|x| (x.start_date, x.id));
    let mut dependencies = deps;
    dependencies.sort_by_key(|d| d.id);
    let mut milestones = ms;
    milestones.sort_by_key(|m| (m.date, m.id));
    let want = ProjectPlan { project: p.clone(), phases, dependencies, milestones };
    assert_eq!(s.load_project(t, p.id).await.unwrap(), Some(want));
    assert_eq!(s.load_project(t, vega.project.id).await.unwrap().unwrap().phases, vega.phases);
    assert_eq!(s.load_project(t, ProjectId::new()).await.unwrap(), None);
}

async fn a_booking_keeps_its_phase(kind: Kind) {
    let mut b = Backend::migrated(kind).await;
    let t = b.tenant().await;
    let plan = small_plan("NOVA");
    let a = artist("Ana");
    let planned = Booking {
        project_id: Some(plan.project.id),
        phase_id: Some(plan.phases[1].id),
        ..booking(&a, 9, 17, BookingStatus::Confirmed)
    };
    let loose = Booking { project_id: Some(plan.project.id), ..booking(&a, 20, 21, BookingStatus::Pencil) };
    let mut log = Log::new();
    let batch = [
        log.cmd(plan.events()),
        log.cmd(vec![Event::ArtistCreated { artist: a.clone() }]),
        log.cmd(vec![
            Event::BookingCreated { booking: planned.clone().into() },
            Event::BookingCreated { booking: loose.clone().into() },
        ]),
    ];
    b.store().append(t, &batch).await.unwrap();
    assert_eq!(b.store().load_booking(t, planned.id).await.unwrap(), Some(planned.clone()));
    assert_eq!(b.store().load_booking(t, loose.id).await.unwrap(), Some(loose.clone()));

    // Moved to another phase, and one taken off its phase.
    let replanned = changed(&planned, |x| x.phase_id = Some(plan.phases[0].id));
    let unplanned = changed(&replanned, |x| x.phase_id = None);
    let rephased = changed(&loose, |x| x.phase_id = Some(plan.phases[0].id));
    for next in [replanned, unplanned.clone(), rephased.clone()] {
        b.store().append(t, &[log.cmd(vec![Event::BookingUpdated { booking: next.into() }])]).await.unwrap();
    }
    b.reopen().await;
    assert_eq!(b.store().load_booking(t, planned.id).await.unwrap(), Some(unplanned.clone()));
    let loaded = b.store().load_tenant(t).await.unwrap();
    let mut got: Vec<Booking> = loaded.bookings;
    got.sort_by_key(|x| x.id);
    let mut want = vec![unplanned, rephased];
    want.sort_by_key(|x| x.id);
    assert_eq!(got, want);
}

async fn tenants_see_none_of_another_tenants_projects(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let s = b.store();
    let (t1, t2) = (b.tenant().await, b.tenant().await);
    let plan = small_plan("NOVA");
    let (mut log1, mut log2) = (Log::new(), Log::new());
    s.append(t1, &[log1.cmd(plan.events())]).await.unwrap();
    s.save_snapshot(t1, &s.load_tenant(t1).await.unwrap()).await.unwrap();

    // The other studio sees none of it, not even by id …
    let other = s.load_tenant(t2).await.unwrap();
    assert_eq!(other, TenantState::default());
    assert_eq!(s.load_project(t2, plan.project.id).await.unwrap(), None);
    assert!(s.entity_events(t2, plan.phases[0].id.0).await.unwrap().is_empty());
    // … may use the same code …
    let twin = small_plan("nova");
    s.append(t2, &[log2.cmd(twin.events())]).await.unwrap();
    assert_eq!(s.load_project(t2, twin.project.id).await.unwrap().unwrap().phases, twin.phases);
    assert_eq!(s.load_tenant(t1).await.unwrap().projects, vec![plan.project.clone()]);
    // … and cannot hang a phase on a project of the first.
    let stray = phase(&plan.project, "Stray", 1, 2);
    assert_refused(s.append(t2, &[log2.cmd(vec![Event::PhaseCreated { phase: stray }])]).await, b.foreign_key_code());
}

/// What the actors never send, refused by the stores' second guards: the
/// batch is not persisted.
async fn the_stores_guard_codes_and_references(kind: Kind) {
    let b = Backend::migrated(kind).await;
    let (s, t) = (b.store(), b.tenant().await);
    let plan = small_plan("NOVA");
    let other = small_plan("VEGA");
    let mut log = Log::new();
    s.append(t, &[log.cmd(plan.events()), log.cmd(other.events())]).await.unwrap();
    let before = s.load_tenant(t).await.unwrap();
    let refused = |r: Result<(), StoreError>, what: &str| match r {
        Err(StoreError::Rejected { .. }) => {}
        got => panic!("{what}: expected a refusal, got {got:?}"),
    };
    let mut try_log = Log { next_seq: before.last_seq + 1 };

    // A second project with the code of the first, in another case.
    let clash = project("nOvA");
    refused(s.append(t, &[try_log.cmd(vec![Event::ProjectCreated { project: clash }])]).await, "a code twice");
    // Deleting a phase a dependency still holds.
    let del = Event::PhaseDeleted { phase: plan.phases[0].clone() };
    assert_refused(s.append(t, &[try_log.cmd(vec![del])]).await, b.foreign_key_code());
    // A dependency between phases of two projects.
    let across = dependency(&plan.phases[0], &other.phases[1]);
    assert_refused(
        s.append(t, &[try_log.cmd(vec![Event::DependencyAdded { dependency: across }])]).await,
        b.foreign_key_code(),
    );
    // Progress above 100; an empty range.
    let over = phase_changed(&plan.phases[0], |p| p.progress = 101);
    refused(s.append(t, &[try_log.cmd(vec![Event::PhaseUpdated { phase: over }])]).await, "progress 101");
    let empty = phase_changed(&plan.phases[0], |p| p.end_date = p.start_date);
    refused(s.append(t, &[try_log.cmd(vec![Event::PhaseUpdated { phase: empty }])]).await, "an empty phase");
    assert_eq!(s.load_tenant(t).await.unwrap(), before, "nothing refused was persisted");

    // Two projects trading codes within one batch is fine (PostgreSQL checks
    // the code at COMMIT; the embedded store writes in the actor's order).
    let mut log = Log { next_seq: before.last_seq + 1 };
    let to_tmp = Project { code: "TMP".into(), version: 2, ..plan.project.clone() };
    let to_nova = Project { code: "NOVA".into(), version: 2, ..other.project.clone() };
    let to_vega = Project { code: "VEGA".into(), version: 3, ..to_tmp.clone() };
    s.append(
        t,
        &[
            log.cmd(vec![Event::ProjectUpdated { project: to_tmp }]),
            log.cmd(vec![Event::ProjectUpdated { project: to_nova.clone() }]),
            log.cmd(vec![Event::ProjectUpdated { project: to_vega.clone() }]),
        ],
    )
    .await
    .unwrap();
    let mut codes: Vec<_> = s.load_tenant(t).await.unwrap().projects.into_iter().map(|p| (p.id, p.code)).collect();
    codes.sort();
    let mut want = vec![(to_vega.id, to_vega.code), (to_nova.id, to_nova.code)];
    want.sort();
    assert_eq!(codes, want);
}
