//! The embedded store's baseline: the same booking workload as an app on
//! SQLite would run it — one transaction per command (`BEGIN IMMEDIATE`, the
//! overlap check the exclusion constraint does on PostgreSQL, the write,
//! `COMMIT`), with the server's settings (WAL, `synchronous = FULL`), one
//! connection per writer on its own thread. Runs when the server under test
//! uses the embedded store (no `--database-url`).

use crate::baseline::{BaselineReport, WorkerResult, created};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::workload::{self, Board, Mirror};
use pt_protocol::ws::Command;
use pt_protocol::{ArtistId, Booking, BookingId, BookingStatus};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a writer waits for SQLite's one write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs the baseline for `s.warmup_secs + s.duration_secs` in a fresh
/// database file under `dir` (deleted afterwards).
pub async fn run(dir: &Path, s: &Scenario, board: Board, seed: u64) -> anyhow::Result<BaselineReport> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("baseline-{}.sqlite3", uuid::Uuid::new_v4().simple()));
    let (path2, s2) = (path.clone(), s.clone());
    let result = tokio::task::spawn_blocking(move || drive(&path2, &s2, board, seed)).await?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    result
}

fn open(path: &Path) -> anyhow::Result<Connection> {
    let c = Connection::open(path)?;
    c.busy_timeout(BUSY_TIMEOUT)?;
    c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    c.execute_batch("PRAGMA synchronous = FULL")?;
    Ok(c)
}

fn drive(path: &Path, s: &Scenario, board: Board, seed: u64) -> anyhow::Result<BaselineReport> {
    open(path)?.execute_batch(
        "CREATE TABLE bookings (
             tenant_id  TEXT    NOT NULL,
             id         TEXT    NOT NULL,
             artist_id  TEXT    NOT NULL,
             title      TEXT    NOT NULL,
             start_time INTEGER NOT NULL,
             end_time   INTEGER NOT NULL,
             status     TEXT    NOT NULL,
             version    INTEGER NOT NULL,
             PRIMARY KEY (tenant_id, id)
         );
         CREATE INDEX bookings_by_artist ON bookings (tenant_id, artist_id, start_time);",
    )?;
    let tenants: Vec<(String, Vec<ArtistId>, Arc<Mutex<Mirror>>)> = (0..s.tenants)
        .map(|_| {
            let artists = (0..s.artists_per_tenant).map(|_| ArtistId::new()).collect();
            (uuid::Uuid::now_v7().to_string(), artists, Arc::new(Mutex::new(Mirror::default())))
        })
        .collect();
    let writers = s.writers.max(1);
    let start = Instant::now();
    let measure_from = start + Duration::from_secs_f64(s.warmup_secs);
    let until = measure_from + Duration::from_secs_f64(s.duration_secs);
    let mean_gap = (s.rate > 0.0).then(|| Duration::from_secs_f64(writers as f64 / s.rate));
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let (tenant, artists, mirror) = tenants[w % tenants.len()].clone();
            let (s, path) = (s.clone(), path.to_path_buf());
            std::thread::spawn(move || -> anyhow::Result<WorkerResult> {
                let db = open(&path)?;
                let mut rng = Rng::derive(seed ^ 0x5_0117E, w as u64);
                let mut r = WorkerResult::new();
                let no_busy = HashSet::new();
                let mut next = Instant::now();
                loop {
                    if let Some(gap) = mean_gap {
                        next += Duration::from_secs_f64(rng.exp(gap.as_secs_f64()).min(60.0));
                        std::thread::sleep(next.saturating_duration_since(Instant::now()));
                    }
                    let now = Instant::now();
                    if now >= until {
                        return Ok(r);
                    }
                    let (choice, current) = {
                        let m = mirror.lock().unwrap_or_else(|e| e.into_inner());
                        let choice = workload::next_command(&mut rng, &s, &board, &artists, &m, &no_busy);
                        let current = choice.target.and_then(|id| m.bookings.get(&id).cloned());
                        (choice, current)
                    };
                    let outcome = execute(&db, &tenant, &choice.command, current);
                    let took = now.elapsed();
                    if let Ok(Some(b)) = &outcome {
                        mirror.lock().unwrap_or_else(|e| e.into_inner()).upsert(b.clone());
                    }
                    if now >= measure_from {
                        r.record(choice.op, outcome, took);
                    }
                }
            })
        })
        .collect();
    let mut total = WorkerResult::new();
    for t in threads {
        let r = t.join().map_err(|_| anyhow::anyhow!("a SQLite baseline writer panicked"))??;
        total.merge(r);
    }
    Ok(total.report(format!("{} (SQLite)", path.display()), writers, writers, s.duration_secs))
}

/// One command in one `BEGIN IMMEDIATE` transaction; the booking's new state
/// on success (`None` for a command the baseline does not model).
fn execute(
    db: &Connection,
    tenant: &str,
    command: &Command,
    current: Option<Booking>,
) -> Result<Option<Booking>, &'static str> {
    let run = || -> rusqlite::Result<Result<Option<Booking>, &'static str>> {
        let tx = rusqlite::Transaction::new_unchecked(db, TransactionBehavior::Immediate)?;
        let outcome = match (command, current) {
            (Command::CreateBooking { booking: nb }, _) => {
                let status = nb.status.unwrap_or(BookingStatus::Pencil);
                let (start, end) = (nb.start_time.micros(), nb.end_time.micros());
                if exclusive(status) && overlaps(&tx, tenant, nb.artist_id, start, end, None)? {
                    Err("conflict")
                } else {
                    let id = BookingId::new();
                    tx.prepare_cached(
                        "INSERT INTO bookings (tenant_id, id, artist_id, title, start_time, end_time, status, version)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
                    )?
                    .execute(params![
                        tenant,
                        id.0.to_string(),
                        nb.artist_id.0.to_string(),
                        nb.title,
                        start,
                        end,
                        status.as_str()
                    ])?;
                    Ok(Some(created(id, nb, status)))
                }
            }
            (Command::UpdateBooking { id, patch }, Some(mut b)) => {
                b.artist_id = patch.artist_id.unwrap_or(b.artist_id);
                b.start_time = patch.start_time.unwrap_or(b.start_time);
                b.end_time = patch.end_time.unwrap_or(b.end_time);
                let (start, end) = (b.start_time.micros(), b.end_time.micros());
                match stored(&tx, tenant, *id)? {
                    Some((version, status)) if version == patch.version && status != "cancelled" => {
                        if exclusive_str(&status) && overlaps(&tx, tenant, b.artist_id, start, end, Some(*id))? {
                            Err("conflict")
                        } else {
                            tx.prepare_cached(
                                "UPDATE bookings SET artist_id = ?3, start_time = ?4, end_time = ?5, version = version + 1
                                 WHERE tenant_id = ?1 AND id = ?2",
                            )?
                            .execute(params![tenant, id.0.to_string(), b.artist_id.0.to_string(), start, end])?;
                            b.version += 1;
                            Ok(Some(b))
                        }
                    }
                    _ => Err("version_mismatch"),
                }
            }
            (Command::TransitionBooking { id, version, to, .. }, Some(mut b)) => match stored(&tx, tenant, *id)? {
                Some((v, status)) if v == *version && status == b.status.as_str() => {
                    let (start, end) = (b.start_time.micros(), b.end_time.micros());
                    if exclusive(*to) && overlaps(&tx, tenant, b.artist_id, start, end, Some(*id))? {
                        Err("conflict")
                    } else {
                        tx.prepare_cached(
                            "UPDATE bookings SET status = ?3, version = version + 1 WHERE tenant_id = ?1 AND id = ?2",
                        )?
                        .execute(params![tenant, id.0.to_string(), to.as_str()])?;
                        b.version += 1;
                        b.status = *to;
                        Ok(Some(b))
                    }
                }
                _ => Err("version_mismatch"),
            },
            _ => Ok(None),
        };
        // A refusal writes nothing; commit either way (it ends the transaction).
        tx.commit()?;
        Ok(outcome)
    };
    run().unwrap_or(Err("internal"))
}

fn exclusive(s: BookingStatus) -> bool {
    matches!(s, BookingStatus::Pencil | BookingStatus::Confirmed)
}

fn exclusive_str(s: &str) -> bool {
    s == "pencil" || s == "confirmed"
}

/// Is there a pencil/confirmed booking of `artist` overlapping `[start, end)` (other than `except`)?
fn overlaps(
    tx: &rusqlite::Transaction<'_>,
    tenant: &str,
    artist: ArtistId,
    start: i64,
    end: i64,
    except: Option<BookingId>,
) -> rusqlite::Result<bool> {
    let except = except.map(|id| id.0.to_string()).unwrap_or_default();
    tx.prepare_cached(
        "SELECT 1 FROM bookings WHERE tenant_id = ?1 AND artist_id = ?2 AND status IN ('pencil', 'confirmed')
           AND start_time < ?4 AND end_time > ?3 AND id <> ?5 LIMIT 1",
    )?
    .query_row(params![tenant, artist.0.to_string(), start, end, except], |_| Ok(()))
    .optional()
    .map(|o| o.is_some())
}

/// A booking's stored version and status.
fn stored(tx: &rusqlite::Transaction<'_>, tenant: &str, id: BookingId) -> rusqlite::Result<Option<(u64, String)>> {
    tx.prepare_cached("SELECT version, status FROM bookings WHERE tenant_id = ?1 AND id = ?2")?
        .query_row(params![tenant, id.0.to_string()], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .optional()
}
