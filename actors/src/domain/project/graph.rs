//! One project's dependency graph as dense arrays ([`Graph`]): what re-plans,
//! cycle checks and the schedule run on. Built per decision from the
//! [`Projects`] indexes in O(phases + dependencies); a working copy, so a
//! decision can move phases in it without touching the state.
//!
//! # What a dependency requires
//!
//! A dependency `P → S` of kind `k` with lag `L` (working days, see
//! [`WorkWeek::add_working_days`]) bounds one end of `S` from below:
//!
//! | kind | constraint |
//! |---|---|
//! | finish_to_start | `S.start ≥ add_working_days(P.end, L)` |
//! | start_to_start  | `S.start ≥ add_working_days(P.start, L)` |
//! | finish_to_finish | `S.end ≥ add_working_days(P.end, L)` |
//! | start_to_finish | `S.end ≥ add_working_days(P.start, L)` |
//!
//! Ends are exclusive, so `finish_to_start` with lag 0 lets `S` start on the
//! day after `P`'s last day (`S.start = P.end`).

use super::Projects;
use super::workdays::WorkWeek;
use pt_protocol::project::Violation;
use pt_protocol::{Day, DependencyId, DependencyKind, PhaseId, ProjectId};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

/// A dependency between two nodes of a [`Graph`].
#[derive(Clone, Debug)]
pub(super) struct Edge {
    pub id: DependencyId,
    pub from: usize,
    pub to: usize,
    pub kind: DependencyKind,
    pub lag: i32,
}

impl Edge {
    /// Whether the edge bounds its successor's start (else its end).
    pub fn bounds_start(&self) -> bool {
        matches!(self.kind, DependencyKind::FinishToStart | DependencyKind::StartToStart)
    }

    /// Whether the edge is anchored on its predecessor's start (else its end).
    pub fn anchored_on_start(&self) -> bool {
        matches!(self.kind, DependencyKind::StartToStart | DependencyKind::StartToFinish)
    }
}

/// One project's phases (nodes, in `(start, id)` order) and dependencies.
#[derive(Clone, Debug, Default)]
pub(super) struct Graph {
    pub ids: Vec<PhaseId>,
    pub start: Vec<Day>,
    pub end: Vec<Day>,
    pub edges: Vec<Edge>,
    /// Edge indexes leaving / entering each node.
    pub out: Vec<Vec<usize>>,
    pub inc: Vec<Vec<usize>>,
    index: HashMap<PhaseId, usize>,
}

impl Graph {
    /// The graph of one project as the state has it. Dependencies whose
    /// phases are not (or no longer) in the project are left out.
    pub fn of(projects: &Projects, project: ProjectId) -> Self {
        let mut g = Self::default();
        let Some(members) = projects.members.get(&project) else {
            return g;
        };
        let mut phases: Vec<_> = members.phases.iter().filter_map(|id| projects.phases.get(id)).collect();
        phases.sort_by_key(|p| (p.start_date, p.id));
        for p in phases {
            g.index.insert(p.id, g.ids.len());
            g.ids.push(p.id);
            g.start.push(p.start_date);
            g.end.push(p.end_date);
            g.out.push(Vec::new());
            g.inc.push(Vec::new());
        }
        for dep in members.dependencies.iter().filter_map(|id| projects.dependencies.get(id)) {
            if let (Some(from), Some(to)) = (g.index(dep.predecessor_id), g.index(dep.successor_id)) {
                g.add_edge(Edge { id: dep.id, from, to, kind: dep.kind, lag: dep.lag_days });
            }
        }
        g
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn index(&self, id: PhaseId) -> Option<usize> {
        self.index.get(&id).copied()
    }

    pub fn add_edge(&mut self, e: Edge) -> usize {
        let k = self.edges.len();
        self.out[e.from].push(k);
        self.inc[e.to].push(k);
        self.edges.push(e);
        k
    }

    /// The day edge `k` bounds its successor's start (or end) by.
    pub fn bound(&self, k: usize, week: &WorkWeek) -> Day {
        let e = &self.edges[k];
        let anchor = if e.anchored_on_start() { self.start[e.from] } else { self.end[e.from] };
        week.add_working_days(anchor, e.lag)
    }

    /// The successor's day edge `k` bounds (its start or its end).
    pub fn actual(&self, k: usize) -> Day {
        let e = &self.edges[k];
        if e.bounds_start() { self.start[e.to] } else { self.end[e.to] }
    }

    /// Edge `k` as a violation, when the current dates break it.
    pub fn violation(&self, k: usize, week: &WorkWeek) -> Option<Violation> {
        let (required, actual) = (self.bound(k, week), self.actual(k));
        let e = &self.edges[k];
        (actual < required).then(|| Violation {
            dependency_id: e.id,
            predecessor_id: self.ids[e.from],
            successor_id: self.ids[e.to],
            kind: e.kind,
            required,
            actual,
        })
    }

    /// Every node in a topological order (Kahn's), ties by node index (start
    /// order), so the order is deterministic. Nodes on a cycle (only possible
    /// in data that was never decided here) are left out.
    pub fn topo_order(&self) -> Vec<usize> {
        let mut missing: Vec<usize> = self.inc.iter().map(Vec::len).collect();
        let mut ready: BinaryHeap<Reverse<usize>> = (0..self.len()).filter(|v| missing[*v] == 0).map(Reverse).collect();
        let mut order = Vec::with_capacity(self.len());
        while let Some(Reverse(v)) = ready.pop() {
            order.push(v);
            for &k in &self.out[v] {
                let to = self.edges[k].to;
                missing[to] -= 1;
                if missing[to] == 0 {
                    ready.push(Reverse(to));
                }
            }
        }
        order
    }

    /// A shortest path `from → … → to` following dependencies (breadth
    /// first), as node indexes including both ends.
    pub fn path(&self, from: usize, to: usize) -> Option<Vec<usize>> {
        let mut parent: Vec<Option<usize>> = vec![None; self.len()];
        let mut seen = vec![false; self.len()];
        seen[from] = true;
        let mut queue = VecDeque::from([from]);
        while let Some(v) = queue.pop_front() {
            if v == to {
                let mut path = vec![to];
                let mut cur = to;
                while let Some(p) = parent[cur] {
                    path.push(p);
                    cur = p;
                }
                path.reverse();
                return Some(path);
            }
            for &k in &self.out[v] {
                let next = self.edges[k].to;
                if !seen[next] {
                    seen[next] = true;
                    parent[next] = Some(v);
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// Marks every node reachable from `roots` (roots included).
    pub fn downstream(&self, roots: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<usize> = roots.to_vec();
        while let Some(v) = stack.pop() {
            if !std::mem::replace(&mut seen[v], true) {
                stack.extend(self.out[v].iter().map(|&k| self.edges[k].to));
            }
        }
        seen
    }
}
