//! After every run: the database against what the clients were told and saw.
//!
//! Connects as the superuser of `--database-url` (row-level security does not
//! bind it) and checks, per studio:
//! * no two pencil/confirmed bookings of one artist overlap;
//! * every command acknowledged as durable is in `commands` (its key is
//!   `(tenant_id, cmd_id)`, so at most once) and the event at its `seq` is its own;
//! * every scheduler's materialized view equals the `bookings` rows of that view.

use crate::client::Outcome;
use anyhow::Context;
use pt_protocol::ws::View;
use pt_protocol::{ArtistId, Booking, BookingId, CmdId, TenantId, TimeRange, Timestamp};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Failures listed in the report at most (the counts are complete).
const MAX_LISTED: usize = 20;

#[derive(Debug, Default, Serialize)]
pub struct AuditReport {
    pub passed: bool,
    pub tenants: usize,
    pub bookings_in_db: u64,
    /// Pencil/confirmed bookings that overlap an earlier one of the same artist.
    pub overlapping_bookings: u64,
    pub durable_acks_checked: u64,
    pub durable_acks_missing: u64,
    pub clients_compared: u64,
    pub clients_differing: u64,
    /// Schedulers that did not reach the end-of-run fence (their view was incomplete).
    pub clients_not_converged: u64,
    /// Schedulers whose connection ended during the run (not compared).
    pub clients_disconnected: u64,
    pub events_out_of_order: u64,
    pub failures: Vec<String>,
}

impl AuditReport {
    fn fail(&mut self, msg: String) {
        if self.failures.len() < MAX_LISTED {
            self.failures.push(msg);
        }
    }
}

/// One booking as both sides can state it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    id: BookingId,
    artist_id: ArtistId,
    status: String,
    version: u64,
    start: i64,
    end: i64,
}

impl Row {
    pub fn of(b: &Booking) -> Row {
        Row {
            id: b.id,
            artist_id: b.artist_id,
            status: b.status.to_string(),
            version: b.version,
            start: b.start_time.micros(),
            end: b.end_time.micros(),
        }
    }
}

/// The server's rule for "this booking is in this view" (`actors/src/view.rs`).
fn in_view(view: &View, artist_id: ArtistId, start: i64, end: i64) -> bool {
    match view {
        View::Tenant => true,
        View::Artist { artist_id: a } => *a == artist_id,
        View::Project { .. } => false,
        View::Window { artist_ids, range } => {
            artist_ids.contains(&artist_id)
                && range.overlaps(&TimeRange { start: Timestamp::from_micros(start), end: Timestamp::from_micros(end) })
        }
    }
}

pub async fn connect(database_url: &str) -> anyhow::Result<tokio_postgres::Client> {
    let (client, conn) = tokio_postgres::connect(database_url, tokio_postgres::NoTls)
        .await
        .with_context(|| "cannot connect to PostgreSQL for the audit".to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

pub async fn audit(database_url: &str, tenants: &[TenantId], outcomes: &[Outcome]) -> anyhow::Result<AuditReport> {
    let db = connect(database_url).await?;
    let mut r = AuditReport { tenants: tenants.len(), ..Default::default() };
    for (ti, tenant) in tenants.iter().enumerate() {
        let studio: Vec<&Outcome> = outcomes.iter().filter(|o| o.tenant_idx == ti).collect();
        check_overlaps(&db, *tenant, &mut r).await?;
        check_durable_acks(&db, *tenant, &studio, &mut r).await?;
        compare_views(&db, *tenant, &studio, &mut r).await?;
    }
    if r.events_out_of_order > 0 {
        let n = r.events_out_of_order;
        r.fail(format!("{n} events arrived out of seq order or twice"));
    }
    r.passed = r.overlapping_bookings == 0
        && r.durable_acks_missing == 0
        && r.clients_differing == 0
        && r.clients_not_converged == 0
        && r.events_out_of_order == 0;
    Ok(r)
}

/// No two pencil/confirmed bookings of one artist overlap in the database:
/// in start order, none starts before the latest end of those before it
/// (one sort per artist; a self-join took minutes at 60,000 bookings).
async fn check_overlaps(db: &tokio_postgres::Client, tenant: TenantId, r: &mut AuditReport) -> anyhow::Result<()> {
    let overlaps: i64 = db
        .query_one(
            "SELECT count(*) FROM (
               SELECT start_time, max(end_time) OVER (PARTITION BY artist_id ORDER BY start_time, end_time, id
                                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ends_before
               FROM bookings WHERE tenant_id = $1 AND status IN ('pencil', 'confirmed')
             ) b WHERE start_time < ends_before",
            &[&tenant.0],
        )
        .await?
        .get(0);
    if overlaps > 0 {
        r.overlapping_bookings += overlaps as u64;
        r.fail(format!(
            "studio {tenant}: {overlaps} pencil/confirmed bookings overlap an earlier one of the same artist"
        ));
    }
    Ok(())
}

/// Every command a client heard was durable is in `commands`, and the event
/// at its acknowledged seq is its own.
async fn check_durable_acks(
    db: &tokio_postgres::Client,
    tenant: TenantId,
    studio: &[&Outcome],
    r: &mut AuditReport,
) -> anyhow::Result<()> {
    let commands: HashSet<uuid::Uuid> = db
        .query("SELECT cmd_id FROM commands WHERE tenant_id = $1", &[&tenant.0])
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let events: HashMap<i64, uuid::Uuid> = db
        .query("SELECT seq, cmd_id FROM events WHERE tenant_id = $1", &[&tenant.0])
        .await?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let mut acked: HashMap<CmdId, u64> = HashMap::new();
    for o in studio {
        for (cmd, seq) in &o.durable_cmds {
            acked.insert(*cmd, *seq);
        }
    }
    for (cmd, seq) in &acked {
        r.durable_acks_checked += 1;
        let in_commands = commands.contains(&cmd.0);
        let event_is_its_own = events.get(&(*seq as i64)) == Some(&cmd.0);
        if !in_commands || !event_is_its_own {
            r.durable_acks_missing += 1;
            r.fail(format!(
                "studio {tenant}: command {cmd} acknowledged durable at seq {seq} but {}",
                if in_commands { "the event at that seq is not its own" } else { "it is not in `commands`" }
            ));
        }
    }
    Ok(())
}

/// The studio's bookings as the database has them, with their artists.
pub async fn db_bookings(db: &tokio_postgres::Client, tenant: TenantId) -> anyhow::Result<Vec<(Row, ArtistId)>> {
    let rows: Vec<(Row, ArtistId)> = db
        .query(
            "SELECT id, artist_id, status, version, start_time, end_time FROM bookings WHERE tenant_id = $1",
            &[&tenant.0],
        )
        .await?
        .iter()
        .map(|row| {
            let t = |c: &str| row.get::<_, chrono::DateTime<chrono::Utc>>(c).timestamp_micros();
            let artist_id = ArtistId(row.get(1));
            let version: i64 = row.get(3);
            let r = Row {
                id: BookingId(row.get(0)),
                artist_id,
                status: row.get(2),
                version: version as u64,
                start: t("start_time"),
                end: t("end_time"),
            };
            (r, artist_id)
        })
        .collect();
    Ok(rows)
}

/// Every client that reached the fence holds exactly the database's bookings
/// of its view.
async fn compare_views(
    db: &tokio_postgres::Client,
    tenant: TenantId,
    studio: &[&Outcome],
    r: &mut AuditReport,
) -> anyhow::Result<()> {
    let rows = db_bookings(db, tenant).await?;
    r.bookings_in_db += rows.len() as u64;
    for o in studio.iter().filter(|o| o.connected) {
        r.events_out_of_order += o.stats.out_of_order;
        let Some(view) = &o.view else { continue };
        if o.failure.is_some() {
            // Its connection ended early (reported under connections and
            // errors, e.g. slow_consumer): no final view to compare.
            r.clients_disconnected += 1;
            continue;
        }
        if !o.converged {
            r.clients_not_converged += 1;
            r.fail(format!("client {}: did not reach the end-of-run fence ({:?})", o.idx, o.failure));
            continue;
        }
        r.clients_compared += 1;
        let mut want: Vec<&Row> =
            rows.iter().filter(|(row, a)| in_view(view, *a, row.start, row.end)).map(|(row, _)| row).collect();
        want.sort();
        let mut have: Vec<Row> = o
            .mirror
            .bookings
            .values()
            .filter(|b| in_view(view, b.artist_id, b.start_time.micros(), b.end_time.micros()))
            .map(Row::of)
            .collect();
        have.sort();
        if want.len() != have.len() || want.iter().zip(&have).any(|(w, h)| *w != h) {
            r.clients_differing += 1;
            let first =
                want.iter().zip(&have).find(|(w, h)| **w != *h).map(|(w, h)| format!("db {w:?} vs client {h:?}"));
            r.fail(format!(
                "client {}: view has {} bookings, database {} ({})",
                o.idx,
                have.len(),
                want.len(),
                first.unwrap_or_else(|| "one side has extra rows".into())
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_membership_follows_the_server() {
        let a = ArtistId::new();
        let w = View::Window {
            artist_ids: vec![a],
            range: TimeRange { start: Timestamp::from_micros(10), end: Timestamp::from_micros(20) },
        };
        assert!(in_view(&w, a, 15, 30));
        assert!(!in_view(&w, a, 20, 30), "half-open: touching is outside");
        assert!(!in_view(&w, ArtistId::new(), 15, 16));
        assert!(in_view(&View::Tenant, ArtistId::new(), 0, 1));
    }
}
