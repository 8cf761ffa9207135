//! `append`: a batch in one transaction, with bulk statements (one array per
//! column, one statement per table). The project rows: `plan_write`.

use super::plan_write::PlanWrites;
use super::*;

// ---------------------------------------------------------------------------
// Bulk statements of `append`: each binds one array per column and inserts
// every row with a single `INSERT … SELECT … FROM UNNEST(…)`.

pub(super) const INSERT_EVENTS: &str = "\
INSERT INTO events (tenant_id, seq, cmd_id, entity, entity_id, kind, payload, actor, at)
SELECT $1::uuid, u.* FROM UNNEST($2::bigint[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::jsonb[],
                                 $8::text[], $9::timestamptz[]) AS u";

pub(super) const INSERT_COMMANDS: &str = "\
INSERT INTO commands (tenant_id, cmd_id, request_hash, first_seq, last_seq, outcome, actor, at)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::jsonb[], $7::text[],
                                 $8::timestamptz[]) AS u";

// A text[] per row cannot travel inside a text[][] (UNNEST flattens it and
// PostgreSQL arrays must be rectangular), so skills travel as one JSON array each.
pub(super) const UPSERT_ARTISTS: &str = "\
INSERT INTO artists (tenant_id, id, name, email, skills, timezone, active, time_off, archived_at, version, created_at,
                     updated_at, working_hours, profile, rate)
SELECT $1::uuid, u.id, u.name, u.email,
       ARRAY(SELECT s FROM jsonb_array_elements_text(u.skills) WITH ORDINALITY AS k(s, n) ORDER BY n),
       u.timezone, u.active, u.time_off, u.archived_at, u.version, u.created_at, u.updated_at,
       NULLIF(u.working_hours, 'null'::jsonb), u.profile, NULLIF(u.rate, 'null'::jsonb)
FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::bool[], $8::timestamptz[],
            $9::bigint[], $10::timestamptz[], $11::timestamptz[], $12::jsonb[], $13::jsonb[], $14::jsonb[], $15::jsonb[])
     AS u(id, name, email, skills, timezone, active, archived_at, version, created_at, updated_at, time_off,
          working_hours, profile, rate)
ON CONFLICT (tenant_id, id) DO UPDATE SET
    name = EXCLUDED.name, email = EXCLUDED.email, skills = EXCLUDED.skills, timezone = EXCLUDED.timezone,
    active = EXCLUDED.active, time_off = EXCLUDED.time_off, archived_at = EXCLUDED.archived_at, version = EXCLUDED.version,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, working_hours = EXCLUDED.working_hours,
    profile = EXCLUDED.profile, rate = EXCLUDED.rate";

pub(super) const UPSERT_BOOKINGS: &str = "\
INSERT INTO bookings (tenant_id, id, artist_id, project_id, title, notes, start_time, end_time, status, expires_at,
                      version, created_at, created_by, updated_at, updated_by, phase_id, allow_overtime,
                      challenged_by, queued_for)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[],
                                 $8::timestamptz[], $9::text[], $10::timestamptz[], $11::bigint[], $12::timestamptz[],
                                 $13::text[], $14::timestamptz[], $15::text[], $16::uuid[], $17::bool[],
                                 $18::uuid[], $19::text[]) AS u
ON CONFLICT (tenant_id, id) DO UPDATE SET
    artist_id = EXCLUDED.artist_id, project_id = EXCLUDED.project_id, phase_id = EXCLUDED.phase_id,
    title = EXCLUDED.title,
    notes = EXCLUDED.notes, start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time,
    status = EXCLUDED.status, expires_at = EXCLUDED.expires_at, version = EXCLUDED.version,
    created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by,
    updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, allow_overtime = EXCLUDED.allow_overtime,
    challenged_by = EXCLUDED.challenged_by, queued_for = EXCLUDED.queued_for";

/// Keeps, per entity id, the state carried by the highest `seq` (an
/// `ON CONFLICT DO UPDATE` may not touch one row twice in one statement).
/// `V` is what to keep: a reference to the state, or the state with its fate.
pub(super) struct LastStates<K, V> {
    order: Vec<K>,
    latest: HashMap<K, (u64, V)>,
}

impl<K: Copy + Eq + std::hash::Hash, V: Copy> LastStates<K, V> {
    pub(super) fn new() -> Self {
        Self { order: Vec::new(), latest: HashMap::new() }
    }

    pub(super) fn offer(&mut self, id: K, seq: u64, state: V) {
        match self.latest.get_mut(&id) {
            Some(slot) if slot.0 <= seq => *slot = (seq, state),
            Some(_) => {}
            None => {
                self.order.push(id);
                self.latest.insert(id, (seq, state));
            }
        }
    }

    /// The last states, in order of first appearance.
    pub(super) fn states(&self) -> impl Iterator<Item = V> + '_ {
        self.order.iter().map(|id| self.latest[id].1)
    }
}

pub(super) async fn insert_events(
    tx: &Transaction<'_>,
    st: &Statement,
    tenant: Uuid,
    batch: &[CommandRecord],
) -> Result<(), StoreError> {
    let n = batch.iter().map(|r| r.events.len()).sum();
    if n == 0 {
        return Ok(());
    }
    let (mut seq, mut cmd, mut entity, mut entity_id, mut kind, mut payload, mut actor, mut at) = (
        Vec::<i64>::with_capacity(n),
        Vec::<Uuid>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<Uuid>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<serde_json::Value>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<DateTime<Utc>>::with_capacity(n),
    );
    for env in batch.iter().flat_map(|r| &r.events) {
        let target = env.event.entity();
        seq.push(to_i64(env.seq, "seq")?);
        cmd.push(env.cmd_id.0);
        entity.push(target.kind());
        entity_id.push(target.uuid());
        kind.push(env.event.kind());
        payload.push(
            serde_json::to_value(&env.event).map_err(|e| StoreError::Other(format!("cannot encode an event: {e}")))?,
        );
        actor.push(&env.by);
        at.push(env.at.to_chrono());
    }
    tx.execute(st, &[&tenant, &seq, &cmd, &entity, &entity_id, &kind, &payload, &actor, &at]).await.map_err(map_pg)?;
    Ok(())
}

pub(super) async fn insert_commands(
    tx: &Transaction<'_>,
    st: &Statement,
    tenant: Uuid,
    batch: &[CommandRecord],
) -> Result<(), StoreError> {
    let n = batch.len();
    let (mut cmd, mut hash, mut first, mut last, mut outcome, mut actor, mut at) = (
        Vec::<Uuid>::with_capacity(n),
        Vec::<i64>::with_capacity(n),
        Vec::<i64>::with_capacity(n),
        Vec::<i64>::with_capacity(n),
        Vec::<&serde_json::Value>::with_capacity(n),
        Vec::<&str>::with_capacity(n),
        Vec::<DateTime<Utc>>::with_capacity(n),
    );
    for rec in batch {
        cmd.push(rec.cmd_id.0);
        // The u64 keeps its bits: hashes ≥ 2^63 are stored as negative bigints.
        hash.push(rec.request_hash as i64);
        first.push(to_i64(rec.first_seq(), "seq")?);
        last.push(to_i64(rec.last_seq(), "seq")?);
        outcome.push(&rec.outcome);
        actor.push(&rec.by);
        at.push(rec.at.to_chrono());
    }
    tx.execute(st, &[&tenant, &cmd, &hash, &first, &last, &outcome, &actor, &at]).await.map_err(map_pg)?;
    Ok(())
}

pub(super) async fn upsert_artists(tx: &Transaction<'_>, tenant: Uuid, artists: &[&Artist]) -> Result<(), StoreError> {
    if artists.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = artists.iter().map(|a| a.id.0).collect();
    let name: Vec<&str> = artists.iter().map(|a| a.name.as_str()).collect();
    let email: Vec<Option<&str>> = artists.iter().map(|a| a.email.as_deref()).collect();
    let skills: Vec<serde_json::Value> = artists.iter().map(|a| serde_json::json!(a.skills)).collect();
    let timezone: Vec<&str> = artists.iter().map(|a| a.timezone.as_str()).collect();
    let active: Vec<bool> = artists.iter().map(|a| a.active).collect();
    let archived_at: Vec<Option<DateTime<Utc>>> =
        artists.iter().map(|a| a.archived_at.map(|t| t.to_chrono())).collect();
    let version: Vec<i64> = artists.iter().map(|a| to_i64(a.version, "artist version")).collect::<Result<_, _>>()?;
    let created_at: Vec<DateTime<Utc>> = artists.iter().map(|a| a.created_at.to_chrono()).collect();
    let updated_at: Vec<DateTime<Utc>> = artists.iter().map(|a| a.updated_at.to_chrono()).collect();
    let time_off: Vec<serde_json::Value> = artists.iter().map(|a| serde_json::json!(a.time_off)).collect();
    let working_hours: Vec<serde_json::Value> = artists.iter().map(|a| serde_json::json!(a.working_hours)).collect();
    let profile: Vec<serde_json::Value> = artists.iter().map(|a| serde_json::json!(a.profile)).collect();
    let rate: Vec<serde_json::Value> = artists.iter().map(|a| serde_json::json!(a.rate)).collect();
    tx.execute(
        UPSERT_ARTISTS,
        &[
            &tenant,
            &id,
            &name,
            &email,
            &skills,
            &timezone,
            &active,
            &archived_at,
            &version,
            &created_at,
            &updated_at,
            &time_off,
            &working_hours,
            &profile,
            &rate,
        ],
    )
    .await
    .map_err(map_pg)?;
    Ok(())
}

pub(super) async fn upsert_bookings(
    tx: &Transaction<'_>,
    st: &Statement,
    tenant: Uuid,
    bookings: &[&Booking],
) -> Result<(), StoreError> {
    if bookings.is_empty() {
        return Ok(());
    }
    let id: Vec<Uuid> = bookings.iter().map(|b| b.id.0).collect();
    let artist_id: Vec<Uuid> = bookings.iter().map(|b| b.artist_id.0).collect();
    let project_id: Vec<Option<Uuid>> = bookings.iter().map(|b| b.project_id.map(|p| p.0)).collect();
    let title: Vec<&str> = bookings.iter().map(|b| b.title.as_str()).collect();
    let notes: Vec<Option<&str>> = bookings.iter().map(|b| b.notes.as_deref()).collect();
    let start: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.start_time.to_chrono()).collect();
    let end: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.end_time.to_chrono()).collect();
    let status: Vec<&str> = bookings.iter().map(|b| b.status.as_str()).collect();
    let expires_at: Vec<Option<DateTime<Utc>>> = bookings.iter().map(|b| b.expires_at.map(|t| t.to_chrono())).collect();
    let version: Vec<i64> = bookings.iter().map(|b| to_i64(b.version, "booking version")).collect::<Result<_, _>>()?;
    let created_at: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.created_at.to_chrono()).collect();
    let created_by: Vec<&str> = bookings.iter().map(|b| &*b.created_by).collect();
    let updated_at: Vec<DateTime<Utc>> = bookings.iter().map(|b| b.updated_at.to_chrono()).collect();
    let updated_by: Vec<&str> = bookings.iter().map(|b| &*b.updated_by).collect();
    let phase_id: Vec<Option<Uuid>> = bookings.iter().map(|b| b.phase_id.map(|p| p.0)).collect();
    let allow_overtime: Vec<bool> = bookings.iter().map(|b| b.allow_overtime).collect();
    let challenged_by: Vec<Option<Uuid>> = bookings.iter().map(|b| b.challenged_by.map(|c| c.0)).collect();
    let queued_for: Vec<Option<&str>> = bookings.iter().map(|b| b.queued_for.map(|q| q.as_str())).collect();
    tx.execute(
        st,
        &[
            &tenant,
            &id,
            &artist_id,
            &project_id,
            &title,
            &notes,
            &start,
            &end,
            &status,
            &expires_at,
            &version,
            &created_at,
            &created_by,
            &updated_at,
            &updated_by,
            &phase_id,
            &allow_overtime,
            &challenged_by,
            &queued_for,
        ],
    )
    .await
    .map_err(map_pg)?;
    Ok(())
}

/// The error of the first failed statement, in the order they were sent.
/// Pipelined statements fail together: the one that broke a constraint
/// aborts the transaction and every later one answers `25P02` (transaction
/// aborted), so only the first failure names the cause — a `Rejected` the
/// writer isolates, not an `Other` it would retry. (`try_join!` returned
/// whichever failure arrived first, sometimes the `25P02`.)
pub(super) fn first_error<const N: usize>(results: [Result<(), StoreError>; N]) -> Result<(), StoreError> {
    results.into_iter().collect()
}

/// `append` with `turn` (`Store::append_in_turn`): the statements run now,
/// the `COMMIT` waits for the batch before to have committed.
pub(super) async fn append(
    store: &PgStore,
    tenant: TenantId,
    batch: &[CommandRecord],
    turn: Option<Turn>,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        if let Some(turn) = turn {
            let _ = turn.staged.send(());
        }
        return Ok(());
    }
    let mut artists = LastStates::new();
    let mut bookings = LastStates::new();
    for env in batch.iter().flat_map(|r| &r.events) {
        if let Some(a) = env.event.artist() {
            artists.offer(a.id, env.seq, a);
        }
        if let Some(b) = env.event.booking() {
            bookings.offer(b.id, env.seq, b);
        }
    }
    let artists: Vec<&Artist> = artists.states().collect();
    let bookings: Vec<&Booking> = bookings.states().collect();
    let plan = PlanWrites::of(batch);
    let notes = crate::store::notifications::NotificationWrites::of(batch);
    let jobs = crate::store::jobs::JobWrites::of(batch);

    let mut conn = store.conn().await?;
    // Prepared once per connection (`AppClient::prepared`).
    let (events_st, commands_st, bookings_st) = futures::try_join!(
        conn.prepared(INSERT_EVENTS),
        conn.prepared(INSERT_COMMANDS),
        conn.prepared(UPSERT_BOOKINGS)
    )
    .map_err(map_pg)?;
    let tx = conn.transaction().await.map_err(map_pg)?;
    // One round trip: the runtime role and tenant for row-level security (as
    // `tenant_tx`; both end with the transaction), and the studio's lock,
    // held to COMMIT. Writers share it — batches of one studio overlap, their
    // COMMITs ordered by `turn` — and activation (`load_tenant`) takes it
    // exclusively, so it waits for every write in flight (see there). The
    // tenant id is a UUID: nothing in it needs quoting.
    tx.batch_execute(&format!(
        "SELECT set_config('role', 'pt_app', true), set_config('app.current_tenant', '{tenant}', true); \
         SELECT pg_advisory_xact_lock_shared(hashtextextended('{tenant}', 7919))"
    ))
    .await
    .map_err(map_pg)?;
    // Artists first, to their answer: bookings reference them (a foreign
    // key), and a pipelined statement that still needs its prepare round
    // trip can be overtaken by one whose statement is cached — seen once
    // under a full parallel test run, where a booking row of an artist new in
    // the same batch failed its key and the batch's first error reported was
    // another statement's "transaction is aborted". Batches without new or
    // changed artists (almost all of them) pay nothing for this.
    if !artists.is_empty() {
        upsert_artists(&tx, tenant.0, &artists).await?;
    }
    // The rest pipelined: the statements go out back to back instead of one
    // round trip (prepare, then execute) after another. None references
    // another's rows (the plan's own order is `PlanWrites::write`'s). Every
    // statement runs to its answer; the first failure listed is returned.
    let (events, commands, bookings_done, plan_done) = futures::join!(
        insert_events(&tx, &events_st, tenant.0, batch),
        insert_commands(&tx, &commands_st, tenant.0, batch),
        upsert_bookings(&tx, &bookings_st, tenant.0, &bookings),
        plan.write(&tx, tenant.0),
    );
    first_error([events, commands, bookings_done, plan_done])?;
    // Notifications after the rest (a read mark may follow its creation in
    // this batch); most batches have none and send nothing.
    if !notes.is_empty() {
        super::auth::notifications::write(&tx, tenant.0, &notes).await?;
    }
    if !jobs.is_empty() {
        super::auth::jobs::write(&tx, tenant.0, &jobs).await?;
    }
    if let Some(turn) = turn {
        // Every row lock of this batch is held; the batch before may commit
        // meanwhile. Not our turn: dropping `tx` rolls back.
        let _ = turn.staged.send(());
        if turn.go.await != Ok(true) {
            return Err(StoreError::Unavailable(NOT_IN_TURN.into()));
        }
    }
    // Deferred constraints (no_double_booking, project_code_unique) are
    // checked here; a failure rolls the whole batch back and maps like any
    // other statement error.
    tx.commit().await.map_err(map_pg)?;
    tracing::debug!(%tenant, commands = batch.len(), artists = artists.len(), bookings = bookings.len(), "batch persisted");
    Ok(())
}
