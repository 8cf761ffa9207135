//! Property tests of the project domain: random plans of up to 30 phases,
//! random dependencies (any kind, lags in working days, push or strict) and
//! random moves and resizes, over a few working weeks. After every step:
//!
//! 1. the dependency graph has no cycle, and a refused cycle is a real path
//!    from the new successor to the new predecessor;
//! 2. every dependency holds (push leaves nothing broken, strict refuses
//!    rather than break), and push only moves phases forward;
//! 3. the schedule has slack ≥ 0 everywhere, a non-empty critical path of
//!    slack-0 phases linked by dependencies that ends at the finish.
//!
//! At the end the log, replayed twice onto an empty state (apply is
//! idempotent), rebuilds an equal plan.

use super::graph::Graph;
use super::tests::{PROJECT, T, new_project};
use super::*;
use crate::error::DomainError;
use proptest::prelude::*;
use pt_protocol::project_command::{NewDependency, NewPhase, NewProject, PhasePatch};
use pt_protocol::{DependencyKind, ReplanMode};

const MAX_PHASES: usize = 30;

#[derive(Clone, Debug)]
enum Op {
    Link { a: usize, b: usize, kind: DependencyKind, lag: i32, strict: bool },
    Move { p: usize, shift: i32, resize: i32, strict: bool },
    Unlink { pick: usize },
}

fn kind() -> impl Strategy<Value = DependencyKind> {
    prop::sample::select(vec![
        DependencyKind::FinishToStart,
        DependencyKind::StartToStart,
        DependencyKind::FinishToFinish,
        DependencyKind::StartToFinish,
    ])
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..MAX_PHASES, 0..MAX_PHASES, kind(), -6..8i32, prop::bool::weighted(0.25))
            .prop_map(|(a, b, kind, lag, strict)| Op::Link { a, b, kind, lag, strict }),
        4 => (0..MAX_PHASES, -10..15i32, -3..4i32, prop::bool::weighted(0.25))
            .prop_map(|(p, shift, resize, strict)| Op::Move { p, shift, resize, strict }),
        1 => any::<usize>().prop_map(|pick| Op::Unlink { pick }),
    ]
}

fn week() -> impl Strategy<Value = WorkWeek> {
    prop::sample::select(vec![vec![1u8, 2, 3, 4, 5], vec![], vec![1, 3, 5], vec![2, 3, 4, 5, 6]])
        .prop_map(|days| WorkWeek::from_iso_days(&days))
}

/// `(start offset, duration)` of each phase, in days from the project start.
fn phases() -> impl Strategy<Value = Vec<(i32, i32)>> {
    prop::collection::vec((0..60i32, 1..12i32), 1..=MAX_PHASES)
}

struct World {
    s: Projects,
    week: WorkWeek,
    ids: Vec<PhaseId>,
    log: Vec<Event>,
    next: u128,
}

impl World {
    fn new(spans: &[(i32, i32)], week: WorkWeek) -> Self {
        let mut w = Self { s: Projects::default(), week, ids: Vec::new(), log: Vec::new(), next: 1000 };
        // A year and a half, so most pushes fit and some do not.
        let project = NewProject { end_date: new_project("P").start_date.plus(540), ..new_project("NOVA") };
        w.accept(w.s.decide_create_project(PROJECT, &project, T));
        let start = project.start_date;
        for (k, (offset, len)) in spans.iter().enumerate() {
            let id = PhaseId::from_u128(k as u128 + 1);
            let new = NewPhase {
                name: format!("P{k}"),
                start_date: start.plus(*offset),
                end_date: start.plus(offset + len),
                progress: Some((k * 7 % 101) as u8),
                color: None,
                effort: Vec::new(),
            };
            w.accept(w.s.decide_create_phase(PROJECT, id, &new, T));
            w.ids.push(id);
        }
        w
    }

    fn accept(&mut self, r: Result<Decided, DomainError>) -> Decided {
        let decided = r.unwrap();
        for e in &decided.events {
            self.s.apply(e);
            self.log.push(e.clone());
        }
        decided
    }

    fn step(&mut self, op: &Op) {
        let n = self.ids.len();
        match *op {
            Op::Link { a, b, kind, lag, strict } => {
                let (a, b) = (self.ids[a % n], self.ids[b % n]);
                let mode = Some(if strict { ReplanMode::Strict } else { ReplanMode::Push });
                let new =
                    NewDependency { predecessor_id: a, successor_id: b, kind: Some(kind), lag_days: Some(lag), mode };
                let id = DependencyId::from_u128(self.next);
                self.next += 1;
                match self.s.decide_add_dependency(PROJECT, id, &new, &self.week, T) {
                    Ok(d) => {
                        let d = self.accept(Ok(d));
                        self.check_moves(d);
                    }
                    Err(DomainError::DependencyCycle(cycle)) => self.check_cycle(&cycle, a, b),
                    Err(DomainError::DependencyViolation(v)) => assert!(strict && v.len() == 1, "{v:?}"),
                    Err(DomainError::Invalid(_)) => assert_eq!(a, b),
                    Err(DomainError::Unprocessable(m)) => {
                        assert!(m.contains("already depends") || m.starts_with("pushing"), "{m}")
                    }
                    Err(e) => panic!("{e:?}"),
                }
            }
            Op::Move { p, shift, resize, strict } => {
                let id = self.ids[p % n];
                let cur = self.s.phase(id).unwrap().clone();
                let start = cur.start_date.plus(shift);
                let end = cur.end_date.plus(shift + resize).max(start.plus(1));
                let mode = Some(if strict { ReplanMode::Strict } else { ReplanMode::Push });
                let patch = PhasePatch { start_date: Some(start), end_date: Some(end), mode, ..Default::default() };
                match self.s.decide_update_phase(id, &patch, &self.week, T) {
                    Ok(d) => {
                        let d = self.accept(Ok(d));
                        assert!(!strict || d.moved.is_empty());
                        self.check_moves(d);
                    }
                    Err(DomainError::DependencyViolation(v)) => {
                        assert!(!v.is_empty());
                        assert!(
                            v.iter().all(|x| x.actual < x.required && (x.successor_id == id || x.predecessor_id == id))
                        );
                        assert!(
                            strict || v.iter().all(|x| x.successor_id == id),
                            "push refuses only its own predecessors"
                        );
                    }
                    Err(DomainError::Unprocessable(m)) => assert!(m.contains("NOVA's range"), "{m}"),
                    Err(e) => panic!("{e:?}"),
                }
            }
            Op::Unlink { pick } => {
                let plan = self.s.plan(PROJECT).unwrap();
                if let Some(dep) = plan.dependencies.get(pick % plan.dependencies.len().max(1)) {
                    self.accept(self.s.decide_remove_dependency(dep.id));
                }
            }
        }
        self.check_invariants();
    }

    /// A refused cycle is a path successor → … → predecessor of existing dependencies.
    fn check_cycle(&self, cycle: &[PhaseId], pred: PhaseId, succ: PhaseId) {
        assert_eq!((cycle.first(), cycle.last()), (Some(&succ), Some(&pred)), "{cycle:?}");
        let deps = self.s.plan(PROJECT).unwrap().dependencies;
        for pair in cycle.windows(2) {
            assert!(deps.iter().any(|d| d.predecessor_id == pair[0] && d.successor_id == pair[1]), "{cycle:?}");
        }
    }

    fn check_moves(&self, d: Decided) {
        for m in &d.moved {
            assert!(m.new_start > m.old_start, "push moves forward only: {m:?}");
            assert_eq!(m.old_start.until(m.old_end), m.new_start.until(m.new_end), "durations are kept");
        }
    }

    fn check_invariants(&self) {
        let g = Graph::of(&self.s, PROJECT);
        // (1) acyclic: a topological order reaches every phase.
        assert_eq!(g.topo_order().len(), g.len(), "the graph has a cycle");
        // (2) every dependency holds.
        for k in 0..g.edges.len() {
            assert!(g.violation(k, &self.week).is_none(), "{:?}", g.violation(k, &self.week));
        }
        // (3) the schedule.
        let sched = self.s.schedule(PROJECT, &self.week).unwrap();
        assert!(sched.phases.iter().all(|p| p.slack_days >= 0 && p.latest_start >= p.start_date), "{sched:?}");
        assert!(!sched.critical_path.is_empty());
        let slack = |id: &PhaseId| sched.phases.iter().find(|p| p.phase_id == *id).unwrap().slack_days;
        assert!(sched.critical_path.iter().all(|id| slack(id) == 0), "{sched:?}");
        let last = self.s.phase(*sched.critical_path.last().unwrap()).unwrap();
        assert_eq!(Some(last.end_date), sched.finish_date);
        let deps = self.s.plan(PROJECT).unwrap().dependencies;
        for pair in sched.critical_path.windows(2) {
            assert!(deps.iter().any(|d| d.predecessor_id == pair[0] && d.successor_id == pair[1]));
        }
        assert!((0.0..=100.0).contains(&sched.progress));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_plans_stay_acyclic_satisfied_and_scheduled(
        spans in phases(),
        week in week(),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let mut w = World::new(&spans, week);
        w.check_invariants();
        for op in &ops {
            w.step(op);
        }
        let mut replay = Projects::default();
        for e in w.log.iter().chain(w.log.iter()) {
            replay.apply(e);
        }
        prop_assert_eq!(replay.plan(PROJECT), w.s.plan(PROJECT));
    }
}
