//! The baseline: the same booking workload as a conventional CRUD backend
//! would run it — one statement per transaction straight into PostgreSQL, the
//! same `btree_gist` exclusion constraint deciding conflicts, one task per
//! concurrent writer over a pool of at most [`MAX_CONNECTIONS`] connections
//! (one per writer below that; PostgreSQL's default `max_connections` is 100).
//!
//! It uses its own table (`pt_loadtest_baseline_<random>`, dropped at the end)
//! in the run's database. Each statement commits on its own, so its latency is
//! "command → durable". It writes one row per command; the server writes an
//! event, a command outcome and the projection — the baseline does less work.

use crate::client::{OpCounts, histogram};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::workload::{self, Board, Mirror, Op};
use hdrhistogram::Histogram;
use pt_protocol::ws::Command;
use pt_protocol::{ArtistId, Booking, BookingId, BookingStatus, Timestamp};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Most PostgreSQL connections the baseline opens; more writers share them
/// (statements from several tasks queue on one connection, as in a pool).
pub const MAX_CONNECTIONS: usize = 64;

#[derive(Debug, Serialize)]
pub struct BaselineReport {
    pub table: String,
    /// Concurrent writers (tasks), as many as the server run had.
    pub concurrency: usize,
    pub connections: usize,
    pub sent: u64,
    pub committed: u64,
    pub committed_per_sec: f64,
    pub latency_ms: crate::report::Latency,
    pub by_op: BTreeMap<Op, OpCounts>,
    pub errors: BTreeMap<String, u64>,
    /// The same rows loaded with `COPY` (the machine's limit; see [`crate::ceiling`]).
    pub ceiling: Option<crate::ceiling::CeilingReport>,
}

/// What one baseline writer counted (also the SQLite baseline's).
pub(crate) struct WorkerResult {
    hist: Histogram<u64>,
    sent: u64,
    committed: u64,
    by_op: BTreeMap<Op, OpCounts>,
    errors: BTreeMap<String, u64>,
}

fn ts(t: Timestamp) -> chrono::DateTime<chrono::Utc> {
    t.to_chrono()
}

/// Runs the baseline for `s.warmup_secs + s.duration_secs` with `s.writers`
/// connections over `s.tenants` studios of `s.artists_per_tenant` artists.
pub async fn run(database_url: &str, s: &Scenario, board: Board, seed: u64) -> anyhow::Result<BaselineReport> {
    let table = format!("pt_loadtest_baseline_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let admin = crate::audit::connect(database_url).await?;
    admin
        .batch_execute(&format!(
            "CREATE EXTENSION IF NOT EXISTS btree_gist;
             CREATE TABLE {table} (
                 tenant_id  uuid        NOT NULL,
                 id         uuid        NOT NULL,
                 artist_id  uuid        NOT NULL,
                 title      text        NOT NULL,
                 start_time timestamptz NOT NULL,
                 end_time   timestamptz NOT NULL,
                 status     text        NOT NULL,
                 version    bigint      NOT NULL,
                 updated_at timestamptz NOT NULL DEFAULT now(),
                 PRIMARY KEY (tenant_id, id),
                 CONSTRAINT {table}_no_overlap EXCLUDE USING gist (
                     tenant_id WITH =, artist_id WITH =, tstzrange(start_time, end_time, '[)') WITH &&
                 ) WHERE (status IN ('confirmed', 'pencil'))
             );"
        ))
        .await?;
    let mut result = drive(database_url, &table, s, board, seed).await;
    if let Ok(report) = &mut result {
        eprintln!("ceiling: the baseline's rows again with COPY in batches of {}…", crate::ceiling::BATCH_ROWS);
        match crate::ceiling::run(database_url, &table).await {
            Ok(c) => report.ceiling = Some(c),
            Err(e) => eprintln!("warning: the ceiling could not run: {e:#}"),
        }
    }
    let _ = admin.batch_execute(&format!("DROP TABLE IF EXISTS {table}")).await;
    result
}

async fn drive(
    database_url: &str,
    table: &str,
    s: &Scenario,
    board: Board,
    seed: u64,
) -> anyhow::Result<BaselineReport> {
    let tenants: Vec<(uuid::Uuid, Vec<ArtistId>, Arc<Mutex<Mirror>>)> = (0..s.tenants)
        .map(|_| {
            let artists = (0..s.artists_per_tenant).map(|_| ArtistId::new()).collect();
            (uuid::Uuid::now_v7(), artists, Arc::new(Mutex::new(Mirror::default())))
        })
        .collect();
    let writers = s.writers.max(1);
    let mean_gap = (s.rate > 0.0).then(|| Duration::from_secs_f64(writers as f64 / s.rate));
    let start = Instant::now();
    let measure_from = start + Duration::from_secs_f64(s.warmup_secs);
    let until = measure_from + Duration::from_secs_f64(s.duration_secs);
    let connections = writers.min(MAX_CONNECTIONS);
    let mut pool = Vec::with_capacity(connections);
    for _ in 0..connections {
        pool.push(Arc::new(crate::audit::connect(database_url).await?));
    }
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (tenant, artists, mirror) = tenants[w % tenants.len()].clone();
        let (db, table, s) = (pool[w % connections].clone(), table.to_string(), s.clone());
        tasks.push(tokio::spawn(async move {
            worker(
                db,
                &table,
                &s,
                board,
                tenant,
                &artists,
                mirror,
                Rng::derive(seed ^ 0xBA5E, w as u64),
                mean_gap,
                measure_from,
                until,
            )
            .await
        }));
    }
    let mut total = WorkerResult::new();
    for t in tasks {
        total.merge(t.await??);
    }
    Ok(total.report(table.to_string(), writers, connections, s.duration_secs))
}

#[allow(clippy::too_many_arguments)]
async fn worker(
    db: Arc<tokio_postgres::Client>,
    table: &str,
    s: &Scenario,
    board: Board,
    tenant: uuid::Uuid,
    artists: &[ArtistId],
    mirror: Arc<Mutex<Mirror>>,
    mut rng: Rng,
    mean_gap: Option<Duration>,
    measure_from: Instant,
    until: Instant,
) -> anyhow::Result<WorkerResult> {
    let statements = Statements::prepare(&db, table).await?;
    let mut r = WorkerResult::new();
    let no_busy = HashSet::new();
    let mut next = Instant::now();
    loop {
        if let Some(gap) = mean_gap {
            next += Duration::from_secs_f64(rng.exp(gap.as_secs_f64()).min(60.0));
            tokio::time::sleep_until(next).await;
        }
        let now = Instant::now();
        if now >= until {
            break;
        }
        let (choice, current) = {
            let m = mirror.lock().unwrap_or_else(|e| e.into_inner());
            let choice = workload::next_command(&mut rng, s, &board, artists, &m, &no_busy);
            let current = choice.target.and_then(|id| m.bookings.get(&id).cloned());
            (choice, current)
        };
        let outcome = statements.execute(&db, tenant, &choice.command, current).await;
        let took = Instant::now() - now;
        if let Ok(Some(b)) = &outcome {
            mirror.lock().unwrap_or_else(|e| e.into_inner()).upsert(b.clone());
        }
        if now >= measure_from {
            r.record(choice.op, outcome, took);
        }
    }
    Ok(r)
}

impl WorkerResult {
    pub(crate) fn new() -> WorkerResult {
        WorkerResult { hist: histogram(), sent: 0, committed: 0, by_op: BTreeMap::new(), errors: BTreeMap::new() }
    }

    /// Adds another writer's counts.
    pub(crate) fn merge(&mut self, r: WorkerResult) {
        let _ = self.hist.add(&r.hist);
        self.sent += r.sent;
        self.committed += r.committed;
        for (op, c) in r.by_op {
            let m = self.by_op.entry(op).or_default();
            m.sent += c.sent;
            m.accepted += c.accepted;
            m.rejected += c.rejected;
        }
        for (code, n) in r.errors {
            *self.errors.entry(code).or_default() += n;
        }
    }

    /// The report of `writers` writers on `connections` connections over `secs` measured.
    pub(crate) fn report(self, table: String, writers: usize, connections: usize, secs: f64) -> BaselineReport {
        BaselineReport {
            table,
            concurrency: writers,
            connections,
            sent: self.sent,
            committed: self.committed,
            committed_per_sec: self.committed as f64 / secs,
            latency_ms: crate::report::Latency::of(&self.hist),
            by_op: self.by_op,
            errors: self.errors,
            ceiling: None,
        }
    }

    /// Counts one measured command: committed (with its latency) or refused.
    pub(crate) fn record(&mut self, op: Op, outcome: Result<Option<Booking>, &'static str>, took: Duration) {
        self.sent += 1;
        let c = self.by_op.entry(op).or_default();
        c.sent += 1;
        match outcome {
            Ok(_) => {
                c.accepted += 1;
                self.committed += 1;
                self.hist.saturating_record((took.as_micros() as u64).max(1));
            }
            Err(code) => {
                c.rejected += 1;
                *self.errors.entry(code.to_string()).or_default() += 1;
            }
        }
    }
}

/// The three statements a baseline writer runs, prepared once per worker.
struct Statements {
    insert: tokio_postgres::Statement,
    update: tokio_postgres::Statement,
    transition: tokio_postgres::Statement,
}

impl Statements {
    async fn prepare(db: &tokio_postgres::Client, table: &str) -> anyhow::Result<Statements> {
        let insert = db
            .prepare(&format!(
                "INSERT INTO {table} (tenant_id, id, artist_id, title, start_time, end_time, status, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1)"
            ))
            .await?;
        let update = db
            .prepare(&format!(
                "UPDATE {table} SET artist_id = $3, start_time = $4, end_time = $5, version = version + 1, updated_at = now()
                 WHERE tenant_id = $1 AND id = $2 AND version = $6 AND status IN ('hold', 'pencil', 'confirmed')"
            ))
            .await?;
        let transition = db
            .prepare(&format!(
                "UPDATE {table} SET status = $3, version = version + 1, updated_at = now()
                 WHERE tenant_id = $1 AND id = $2 AND version = $4 AND status = $5"
            ))
            .await?;
        Ok(Statements { insert, update, transition })
    }

    /// Runs `command` against the table; on success, the booking's new state
    /// (`None` for a command the baseline does not model).
    async fn execute(
        &self,
        db: &tokio_postgres::Client,
        tenant: uuid::Uuid,
        command: &Command,
        current: Option<Booking>,
    ) -> Result<Option<Booking>, &'static str> {
        match (command, current) {
            (Command::CreateBooking { booking: nb }, _) => {
                let id = BookingId::new();
                let status = nb.status.unwrap_or(BookingStatus::Pencil);
                let res = db
                    .execute(
                        &self.insert,
                        &[
                            &tenant,
                            &id.0,
                            &nb.artist_id.0,
                            &nb.title,
                            &ts(nb.start_time),
                            &ts(nb.end_time),
                            &status.as_str(),
                        ],
                    )
                    .await;
                classify(res).map(|_| Some(created(id, nb, status)))
            }
            (Command::UpdateBooking { id, patch }, Some(mut b)) => {
                b.artist_id = patch.artist_id.unwrap_or(b.artist_id);
                b.start_time = patch.start_time.unwrap_or(b.start_time);
                b.end_time = patch.end_time.unwrap_or(b.end_time);
                let res = db
                    .execute(
                        &self.update,
                        &[&tenant, &id.0, &b.artist_id.0, &ts(b.start_time), &ts(b.end_time), &(patch.version as i64)],
                    )
                    .await;
                classify(res).map(|_| {
                    b.version += 1;
                    Some(b)
                })
            }
            (Command::TransitionBooking { id, version, to, .. }, Some(mut b)) => {
                let res = db
                    .execute(&self.transition, &[&tenant, &id.0, &to.as_str(), &(*version as i64), &b.status.as_str()])
                    .await;
                classify(res).map(|_| {
                    b.version += 1;
                    b.status = *to;
                    Some(b)
                })
            }
            _ => Ok(None),
        }
    }
}

/// The booking a committed insert made, as the mirror keeps it.
pub(crate) fn created(id: BookingId, nb: &pt_protocol::NewBooking, status: BookingStatus) -> Booking {
    let now = Timestamp::now();
    Booking {
        id,
        artist_id: nb.artist_id,
        project_id: None,
        phase_id: None,
        title: nb.title.clone(),
        notes: None,
        start_time: nb.start_time,
        end_time: nb.end_time,
        status,
        expires_at: None,
        version: 1,
        created_at: now,
        created_by: "baseline".into(),
        updated_at: now,
        updated_by: "baseline".into(),
        allow_overtime: true,
        challenged_by: None,
        queued_for: None,
    }
}

/// A statement's result as the server would name it.
fn classify(res: Result<u64, tokio_postgres::Error>) -> Result<(), &'static str> {
    match res {
        Ok(0) => Err("version_mismatch"),
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::EXCLUSION_VIOLATION) => Err("conflict"),
        Err(_) => Err("internal"),
    }
}
