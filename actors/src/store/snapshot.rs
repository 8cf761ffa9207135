//! Tenant snapshots: the whole durable state of a studio at one `seq`, in one
//! blob, so activation reads a snapshot plus the events after it instead of the
//! whole history. Every store saves the same bytes.
//!
//! Format: `PTSNAP1\n` · u64 LE `seq` · u64 LE FNV-1a checksum of the body ·
//! body = MessagePack (named fields) of [`SnapshotBody`]. A snapshot that fails
//! its checksum is refused (the store falls back to an older one or the log).

use super::plan::{PlanChange, PlanRow};
use super::{StoreError, TenantState};
use pt_protocol::{Artist, Booking, Dependency, EventEnvelope, Milestone, Phase, Project};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::Hash;

const MAGIC: &[u8; 8] = b"PTSNAP1\n";

/// The lists of a [`TenantState`]. Fields added later carry
/// `#[serde(default)]`: a snapshot written before them still decodes (it was
/// taken before any such row existed, so empty is its true value).
#[derive(Serialize, Deserialize)]
struct SnapshotBody {
    artists: Vec<Artist>,
    bookings: Vec<Booking>,
    #[serde(default)]
    projects: Vec<Project>,
    #[serde(default)]
    phases: Vec<Phase>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
    #[serde(default)]
    milestones: Vec<Milestone>,
}

/// Encodes `state` as a snapshot at `state.last_seq`.
pub fn encode(state: &TenantState) -> Result<Vec<u8>, StoreError> {
    let body = rmp_serde::to_vec_named(&SnapshotBody {
        artists: state.artists.clone(),
        bookings: state.bookings.clone(),
        projects: state.projects.clone(),
        phases: state.phases.clone(),
        dependencies: state.dependencies.clone(),
        milestones: state.milestones.clone(),
    })
    .map_err(|e| StoreError::Other(format!("cannot encode snapshot: {e}")))?;
    let mut out = Vec::with_capacity(body.len() + 24);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&state.last_seq.to_le_bytes());
    out.extend_from_slice(&pt_protocol::fnv1a64(&[&body]).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decodes and verifies a snapshot.
pub fn decode(bytes: &[u8]) -> Result<TenantState, StoreError> {
    let bad = |why: &str| StoreError::Other(format!("snapshot unreadable: {why}"));
    if bytes.len() < 24 || &bytes[..8] != MAGIC {
        return Err(bad("not a PTSNAP1 snapshot"));
    }
    let seq = u64::from_le_bytes(bytes[8..16].try_into().map_err(|_| bad("short header"))?);
    let sum = u64::from_le_bytes(bytes[16..24].try_into().map_err(|_| bad("short header"))?);
    let body = &bytes[24..];
    if pt_protocol::fnv1a64(&[body]) != sum {
        return Err(bad("checksum mismatch"));
    }
    let b: SnapshotBody = rmp_serde::from_slice(body).map_err(|e| bad(&e.to_string()))?;
    Ok(TenantState {
        artists: b.artists,
        bookings: b.bookings,
        projects: b.projects,
        phases: b.phases,
        dependencies: b.dependencies,
        milestones: b.milestones,
        last_seq: seq,
    })
}

/// A list of entity states with an index by id, for replaying many events
/// in time linear in state + events.
struct Keyed<'s, K, V> {
    items: &'s mut Vec<V>,
    at: HashMap<K, usize>,
    key: fn(&V) -> K,
}

impl<'s, K: Copy + Eq + Hash, V: Clone> Keyed<'s, K, V> {
    fn new(items: &'s mut Vec<V>, key: fn(&V) -> K) -> Self {
        let at = items.iter().enumerate().map(|(i, v)| (key(v), i)).collect();
        Self { items, at, key }
    }

    /// Replaces the state with `v`'s id, or adds it.
    fn put(&mut self, v: &V) {
        match self.at.get(&(self.key)(v)) {
            Some(&i) => self.items[i] = v.clone(),
            None => {
                self.at.insert((self.key)(v), self.items.len());
                self.items.push(v.clone());
            }
        }
    }

    /// Removes the state with id `k`, if any (the last item takes its place).
    fn remove(&mut self, k: K) {
        let Some(i) = self.at.remove(&k) else { return };
        self.items.swap_remove(i);
        if let Some(moved) = self.items.get(i) {
            self.at.insert((self.key)(moved), i);
        }
    }

    fn apply(&mut self, v: &V, removed: bool) {
        if removed { self.remove((self.key)(v)) } else { self.put(v) }
    }
}

impl TenantState {
    /// Applies one event (events carry whole entity states: apply = replace,
    /// or remove for a deletion). Events at or below `last_seq` are ignored,
    /// so replaying a tail that overlaps the snapshot is harmless.
    pub fn apply(&mut self, e: &EventEnvelope) {
        self.apply_all(std::slice::from_ref(e));
    }

    /// Applies many events in order (linear in state + events).
    pub fn apply_all(&mut self, events: &[EventEnvelope]) {
        let mut last_seq = self.last_seq;
        let mut artists = Keyed::new(&mut self.artists, |a| a.id);
        let mut bookings = Keyed::new(&mut self.bookings, |b| b.id);
        let mut projects = Keyed::new(&mut self.projects, |p| p.id);
        let mut phases = Keyed::new(&mut self.phases, |p| p.id);
        let mut dependencies = Keyed::new(&mut self.dependencies, |d| d.id);
        let mut milestones = Keyed::new(&mut self.milestones, |m| m.id);
        for e in events {
            if e.seq <= last_seq {
                continue;
            }
            if let Some(a) = e.event.artist() {
                artists.put(a);
            }
            if let Some(b) = e.event.booking() {
                bookings.put(b);
            }
            if let Some(gone) = e.event.removed_booking() {
                bookings.remove(gone);
            }
            if let Some(change) = PlanChange::of(&e.event) {
                match change.row {
                    PlanRow::Project(p) => projects.apply(p, change.removed),
                    PlanRow::Phase(p) => phases.apply(p, change.removed),
                    PlanRow::Dependency(d) => dependencies.apply(d, change.removed),
                    PlanRow::Milestone(m) => milestones.apply(m, change.removed),
                }
            }
            last_seq = e.seq;
        }
        self.last_seq = last_seq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption_is_detected() {
        let s = TenantState { last_seq: 42, ..TenantState::default() };
        let mut bytes = encode(&s).unwrap();
        assert_eq!(decode(&bytes).unwrap().last_seq, 42);
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        assert!(decode(&bytes).is_err());
        assert!(decode(b"nonsense").is_err());
    }

    /// A snapshot written before projects existed (a body of two lists) still
    /// decodes, with no projects.
    #[test]
    fn a_snapshot_without_project_lists_decodes() {
        #[derive(Serialize)]
        struct OldBody {
            artists: Vec<Artist>,
            bookings: Vec<Booking>,
        }
        let body = rmp_serde::to_vec_named(&OldBody { artists: vec![], bookings: vec![] }).unwrap();
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&7u64.to_le_bytes());
        bytes.extend_from_slice(&pt_protocol::fnv1a64(&[&body]).to_le_bytes());
        bytes.extend_from_slice(&body);
        assert_eq!(decode(&bytes).unwrap(), TenantState { last_seq: 7, ..TenantState::default() });
    }
}
