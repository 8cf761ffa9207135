//! The PostgreSQL ceiling: how fast this machine's PostgreSQL takes booking
//! rows at all. The baseline's final rows are loaded again with
//! `COPY … FROM STDIN (FORMAT binary)` in transactions of [`BATCH_ROWS`] rows
//! into a fresh table with the same primary key and the same `btree_gist`
//! exclusion constraint, over [`CONNECTIONS`] connections. Every
//! batch commits on its own (synchronous commit stays on), so the figure is
//! durable rows per second, the same unit as the server's durable bookings/s.
//!
//! No server and no client protocol sit in front of it, so no real system
//! reaches it; the report shows the server against it as a second reference.

use anyhow::Context;
use serde::Serialize;
use tokio::time::Instant;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};

/// Rows per `COPY` (and per transaction).
pub const BATCH_ROWS: usize = 1_000;
/// Loading connections: two, one per core of the machine the figures were taken on.
pub const CONNECTIONS: usize = 2;
/// At most this many rows are loaded (the baseline's first ones).
const MAX_ROWS: i64 = 500_000;

#[derive(Debug, Default, Serialize)]
pub struct CeilingReport {
    pub table: String,
    pub rows: u64,
    pub batch_rows: usize,
    pub batches: u64,
    pub connections: usize,
    pub secs: f64,
    /// Committed rows per second.
    pub rows_per_sec: f64,
}

/// Copies up to [`MAX_ROWS`] rows of the baseline's `source` table into a new
/// table shaped like it, in committed batches, and times that. Drops the new
/// table afterwards.
pub async fn run(database_url: &str, source: &str) -> anyhow::Result<CeilingReport> {
    let table = format!("{source}_ceiling");
    let admin = crate::audit::connect(database_url).await?;
    admin
        .batch_execute(&format!(
            "CREATE TABLE {table} (LIKE {source} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)"
        ))
        .await
        .context("cannot create the ceiling's table")?;
    let result = load(database_url, &admin, source, &table).await;
    let _ = admin.batch_execute(&format!("DROP TABLE IF EXISTS {table}")).await;
    result
}

type Row = (uuid::Uuid, uuid::Uuid, uuid::Uuid, String, Ts, Ts, String, i64, Ts);
type Ts = chrono::DateTime<chrono::Utc>;

async fn load(
    database_url: &str,
    admin: &tokio_postgres::Client,
    source: &str,
    table: &str,
) -> anyhow::Result<CeilingReport> {
    let rows: Vec<Row> = admin
        .query(
            &format!(
                "SELECT tenant_id, id, artist_id, title, start_time, end_time, status, version, updated_at
                 FROM {source} ORDER BY tenant_id, id LIMIT {MAX_ROWS}"
            ),
            &[],
        )
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), r.get(8)))
        .collect();
    let batches: Vec<&[Row]> = rows.chunks(BATCH_ROWS).collect();
    let mut conns = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        conns.push(crate::audit::connect(database_url).await?);
    }
    let copy = format!(
        "COPY {table} (tenant_id, id, artist_id, title, start_time, end_time, status, version, updated_at) \
         FROM STDIN (FORMAT binary)"
    );
    let started = Instant::now();
    // Connection k loads batches k, k + CONNECTIONS, …
    let loads = conns.iter_mut().enumerate().map(|(k, db)| {
        let mine: Vec<&[Row]> = batches.iter().skip(k).step_by(CONNECTIONS).copied().collect();
        let copy = copy.clone();
        async move {
            for batch in mine {
                copy_batch(db, &copy, batch).await?;
            }
            anyhow::Ok(())
        }
    });
    futures::future::try_join_all(loads).await?;
    let secs = started.elapsed().as_secs_f64();
    let loaded: i64 = admin.query_one(&format!("SELECT count(*) FROM {table}"), &[]).await?.get(0);
    anyhow::ensure!(loaded as usize == rows.len(), "the ceiling loaded {loaded} of {} rows", rows.len());
    Ok(CeilingReport {
        table: table.to_owned(),
        rows: rows.len() as u64,
        batch_rows: BATCH_ROWS,
        batches: batches.len() as u64,
        connections: CONNECTIONS,
        secs,
        rows_per_sec: if secs > 0.0 { rows.len() as f64 / secs } else { 0.0 },
    })
}

/// One batch: BEGIN, COPY the rows, COMMIT.
async fn copy_batch(db: &mut tokio_postgres::Client, copy: &str, batch: &[Row]) -> anyhow::Result<()> {
    let tx = db.transaction().await?;
    let sink = tx.copy_in(copy).await?;
    let types = [
        Type::UUID,
        Type::UUID,
        Type::UUID,
        Type::TEXT,
        Type::TIMESTAMPTZ,
        Type::TIMESTAMPTZ,
        Type::TEXT,
        Type::INT8,
        Type::TIMESTAMPTZ,
    ];
    let writer = BinaryCopyInWriter::new(sink, &types);
    futures::pin_mut!(writer);
    for r in batch {
        let row: [&(dyn ToSql + Sync); 9] = [&r.0, &r.1, &r.2, &r.3, &r.4, &r.5, &r.6, &r.7, &r.8];
        writer.as_mut().write(&row).await?;
    }
    writer.finish().await?;
    tx.commit().await?;
    Ok(())
}
