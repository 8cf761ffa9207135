//! Tenant snapshots: the whole durable state of a studio at one `seq`, in one
//! blob, so activation reads a snapshot plus the events after it instead of the
//! whole history. Every store saves the same bytes.
//!
//! Format: `PTSNAP1\n` · u64 LE `seq` · u64 LE FNV-1a checksum of the body ·
//! body = MessagePack (named fields) of [`SnapshotBody`]. A snapshot that fails
//! its checksum is refused (the store falls back to an older one or the log).

use super::{StoreError, TenantState};
use pt_protocol::{Artist, Booking, EventEnvelope};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 8] = b"PTSNAP1\n";

#[derive(Serialize, Deserialize)]
struct SnapshotBody {
    artists: Vec<Artist>,
    bookings: Vec<Booking>,
}

/// Encodes `state` as a snapshot at `state.last_seq`.
pub fn encode(state: &TenantState) -> Result<Vec<u8>, StoreError> {
    let body =
        rmp_serde::to_vec_named(&SnapshotBody { artists: state.artists.clone(), bookings: state.bookings.clone() })
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
    Ok(TenantState { artists: b.artists, bookings: b.bookings, last_seq: seq, ..TenantState::default() })
}

impl TenantState {
    /// Applies one event (events carry whole entity states: apply = replace).
    /// Events at or below `last_seq` are ignored, so replaying a tail that
    /// overlaps the snapshot is harmless.
    pub fn apply(&mut self, e: &EventEnvelope) {
        if e.seq <= self.last_seq {
            return;
        }
        if let Some(a) = e.event.artist() {
            match self.artists.iter_mut().find(|x| x.id == a.id) {
                Some(x) => *x = a.clone(),
                None => self.artists.push(a.clone()),
            }
        }
        if let Some(b) = e.event.booking() {
            match self.bookings.iter_mut().find(|x| x.id == b.id) {
                Some(x) => *x = b.clone(),
                None => self.bookings.push(b.clone()),
            }
        }
        if let Some(gone) = e.event.removed_booking() {
            self.bookings.retain(|b| b.id != gone);
        }
        self.last_seq = e.seq;
    }

    /// Applies many events in order (linear in state + events).
    pub fn apply_all(&mut self, events: &[EventEnvelope]) {
        use std::collections::HashMap;
        let mut artist_at: HashMap<_, usize> = self.artists.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        let mut booking_at: HashMap<_, usize> = self.bookings.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
        for e in events {
            if e.seq <= self.last_seq {
                continue;
            }
            if let Some(a) = e.event.artist() {
                match artist_at.get(&a.id) {
                    Some(i) => self.artists[*i] = a.clone(),
                    None => {
                        artist_at.insert(a.id, self.artists.len());
                        self.artists.push(a.clone());
                    }
                }
            }
            if let Some(b) = e.event.booking() {
                match booking_at.get(&b.id) {
                    Some(i) => self.bookings[*i] = b.clone(),
                    None => {
                        booking_at.insert(b.id, self.bookings.len());
                        self.bookings.push(b.clone());
                    }
                }
            }
            if let Some(gone) = e.event.removed_booking() {
                // Rare (a refused creation): rebuild the index after removing.
                self.bookings.retain(|b| b.id != gone);
                booking_at = self.bookings.iter().enumerate().map(|(i, b)| (b.id, i)).collect();
            }
            self.last_seq = e.seq;
        }
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
}
