//! `append`: a batch as rows, written in one transaction, then the double-booking check.
//! The project rows: `plan`.

use super::plan::PlanWrite;
use super::*;

// ---------------------------------------------------------------------------
// Rows

pub(super) const EVENT_COLUMNS: &str = "seq, cmd_id, at, actor, payload";

pub(super) fn event_from_row(row: &rusqlite::Row<'_>) -> Result<EventEnvelope, StoreError> {
    let payload = row.get_ref(4).and_then(|v| Ok(v.as_str()?)).map_err(map_sqlite)?;
    Ok(EventEnvelope {
        seq: to_u64(row.get(0).map_err(map_sqlite)?, "seq")?,
        cmd_id: CmdId(Uuid::from_bytes(row.get(1).map_err(map_sqlite)?)),
        at: Timestamp::from_micros(row.get(2).map_err(map_sqlite)?),
        by: row.get(3).map_err(map_sqlite)?,
        event: from_json(payload, "event payload")?,
    })
}

/// One `append`, encoded before it reaches the blocking pool.
pub(super) struct AppendRows {
    pub(super) events: Vec<EventRow>,
    pub(super) commands: Vec<CommandRow>,
    /// The final state of every artist and booking the batch touched.
    artists: Vec<(Uuid, String)>,
    bookings: Vec<BookingRow>,
    /// Every project event's row write, in `seq` order.
    plan: Vec<PlanWrite>,
    notifications: crate::store::notifications::NotificationWrites,
    jobs: crate::store::jobs::JobWrites,
}

pub(super) struct EventRow {
    seq: i64,
    cmd_id: Uuid,
    entity: &'static str,
    entity_id: Uuid,
    kind: &'static str,
    payload: String,
    actor: String,
    at: i64,
}

pub(super) struct CommandRow {
    cmd_id: Uuid,
    request_hash: i64,
    first_seq: i64,
    last_seq: i64,
    outcome: String,
    actor: String,
    at: i64,
}

pub(super) struct BookingRow {
    id: Uuid,
    artist_id: Uuid,
    status: &'static str,
    exclusive: bool,
    start: i64,
    end: i64,
    state: String,
}

impl AppendRows {
    pub(super) fn encode(batch: &[CommandRecord]) -> Result<AppendRows, StoreError> {
        let mut events = Vec::new();
        let mut commands = Vec::with_capacity(batch.len());
        // Latest state per entity, in order of first appearance (events are in seq order).
        let mut artists: Vec<&Artist> = Vec::new();
        let mut bookings: Vec<&Booking> = Vec::new();
        let (mut artist_at, mut booking_at) = (HashMap::new(), HashMap::new());
        let mut plan = Vec::new();
        for rec in batch {
            for env in &rec.events {
                let target = env.event.entity();
                events.push(EventRow {
                    seq: to_i64(env.seq, "seq")?,
                    cmd_id: env.cmd_id.0,
                    entity: target.kind(),
                    entity_id: target.uuid(),
                    kind: env.event.kind(),
                    payload: to_json(&env.event, "an event")?,
                    actor: env.by.clone(),
                    at: env.at.micros(),
                });
                if let Some(a) = env.event.artist() {
                    match artist_at.get(&a.id) {
                        Some(&i) => artists[i] = a,
                        None => {
                            artist_at.insert(a.id, artists.len());
                            artists.push(a);
                        }
                    }
                }
                plan.extend(PlanWrite::of(&env.event)?);
                if let Some(b) = env.event.booking() {
                    match booking_at.get(&b.id) {
                        Some(&i) => bookings[i] = b,
                        None => {
                            booking_at.insert(b.id, bookings.len());
                            bookings.push(b);
                        }
                    }
                }
            }
            commands.push(CommandRow {
                cmd_id: rec.cmd_id.0,
                // The u64 keeps its bits: hashes ≥ 2^63 are stored as negative integers.
                request_hash: rec.request_hash as i64,
                first_seq: to_i64(rec.first_seq(), "seq")?,
                last_seq: to_i64(rec.last_seq(), "seq")?,
                outcome: to_json(&rec.outcome, "a command outcome")?,
                actor: rec.by.clone(),
                at: rec.at.micros(),
            });
        }
        Ok(AppendRows {
            events,
            commands,
            artists: artists.iter().map(|a| Ok((a.id.0, to_json(a, "an artist")?))).collect::<Result<_, _>>()?,
            bookings: bookings
                .iter()
                .map(|b| {
                    Ok(BookingRow {
                        id: b.id.0,
                        artist_id: b.artist_id.0,
                        status: b.status.as_str(),
                        exclusive: b.status.is_exclusive(),
                        start: b.start_time.micros(),
                        end: b.end_time.micros(),
                        state: to_json(b, "a booking")?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            plan,
            notifications: crate::store::notifications::NotificationWrites::of(batch),
            jobs: crate::store::jobs::JobWrites::of(batch),
        })
    }
}

pub(super) const INSERT_EVENT: &str = "\
INSERT INTO events (tenant_id, seq, cmd_id, entity, entity_id, kind, payload, actor, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

pub(super) const INSERT_COMMAND: &str = "\
INSERT INTO commands (tenant_id, cmd_id, request_hash, first_seq, last_seq, outcome, actor, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

pub(super) const UPSERT_ARTIST: &str = "\
INSERT INTO artists (tenant_id, id, state) VALUES (?1, ?2, ?3)
ON CONFLICT (tenant_id, id) DO UPDATE SET state = excluded.state";

pub(super) const UPSERT_BOOKING: &str = "\
INSERT INTO bookings (tenant_id, id, artist_id, status, start_time, end_time, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    artist_id = excluded.artist_id, status = excluded.status, start_time = excluded.start_time,
    end_time = excluded.end_time, state = excluded.state";

/// Another exclusive booking of the same artist overlapping `[?3, ?4)`. The
/// `status IN (…)` term is spelled as in the index so the planner uses it.
pub(super) const OVERLAPPING_BOOKING: &str = "\
SELECT id FROM bookings
WHERE tenant_id = ?1 AND artist_id = ?2 AND status IN ('pencil', 'confirmed')
  AND end_time > ?3 AND start_time < ?4 AND id <> ?5
LIMIT 1";

pub(super) fn append_rows(conn: &mut Connection, tenant: Uuid, rows: &AppendRows) -> Result<(), StoreError> {
    let t = tenant.into_bytes();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map_sqlite)?;
    {
        let mut insert = tx.prepare_cached(INSERT_EVENT).map_err(map_sqlite)?;
        for e in &rows.events {
            insert
                .execute(params![
                    t,
                    e.seq,
                    e.cmd_id.into_bytes(),
                    e.entity,
                    e.entity_id.into_bytes(),
                    e.kind,
                    e.payload,
                    e.actor,
                    e.at
                ])
                .map_err(map_sqlite)?;
        }
        let mut insert = tx.prepare_cached(INSERT_COMMAND).map_err(map_sqlite)?;
        for c in &rows.commands {
            insert
                .execute(params![
                    t,
                    c.cmd_id.into_bytes(),
                    c.request_hash,
                    c.first_seq,
                    c.last_seq,
                    c.outcome,
                    c.actor,
                    c.at
                ])
                .map_err(map_sqlite)?;
        }
        // Artists first: bookings reference them.
        let mut upsert = tx.prepare_cached(UPSERT_ARTIST).map_err(map_sqlite)?;
        for (id, state) in &rows.artists {
            upsert.execute(params![t, id.into_bytes(), state]).map_err(map_sqlite)?;
        }
        let mut upsert = tx.prepare_cached(UPSERT_BOOKING).map_err(map_sqlite)?;
        for b in &rows.bookings {
            upsert
                .execute(params![t, b.id.into_bytes(), b.artist_id.into_bytes(), b.status, b.start, b.end, b.state])
                .map_err(map_sqlite)?;
        }
        for write in &rows.plan {
            write.apply(&tx, t)?;
        }
        super::auth::notifications::write(&tx, t, &rows.notifications)?;
        super::auth::jobs::write(&tx, t, &rows.jobs)?;
        // The deferred double-booking check: final states only.
        let mut overlapping = tx.prepare_cached(OVERLAPPING_BOOKING).map_err(map_sqlite)?;
        for b in rows.bookings.iter().filter(|b| b.exclusive) {
            let other: Option<[u8; 16]> = overlapping
                .query_row(params![t, b.artist_id.into_bytes(), b.start, b.end, b.id.into_bytes()], |r| r.get(0))
                .optional()
                .map_err(map_sqlite)?;
            if let Some(other) = other {
                return Err(StoreError::Rejected {
                    code: "SQLITE_CONSTRAINT".to_owned(),
                    message: format!(
                        "no_double_booking: booking {} overlaps pencil/confirmed booking {} of artist {}",
                        b.id,
                        Uuid::from_bytes(other),
                        b.artist_id
                    ),
                });
            }
        }
    }
    tx.commit().map_err(map_sqlite)
}
