//! `--activation-memory`: what a studio's bookings cost in the server's
//! memory once loaded. After the run, the spawned server is stopped and
//! started again (so no studio is in memory), its resident memory is read,
//! every studio of the run is activated by one REST read (`GET /artists`
//! loads the studio: its artists, their bookings, the view), and the growth
//! is divided by the bookings in the database.

use crate::crash::Respawn;
use crate::identity::{self, Studio};
use crate::spawn::rss_kib;
use anyhow::Context;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Default, Serialize)]
pub struct ActivationReport {
    pub studios: usize,
    pub artists: u64,
    /// Every booking of those studios, whatever its status.
    pub bookings: u64,
    /// The restarted server before any studio was loaded.
    pub rss_idle_kib: u64,
    /// After every studio was loaded, once the figure settled.
    pub rss_active_kib: u64,
    pub bytes_per_booking: f64,
    pub activate_secs: f64,
}

/// Reads VmRSS until two readings 500 ms apart differ by less than 0.5 %.
async fn settled_rss(pid: u32) -> anyhow::Result<u64> {
    let mut last = rss_kib(pid).context("cannot read the server's memory")?;
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = rss_kib(pid).context("cannot read the server's memory")?;
        if now.abs_diff(last) * 200 < last.max(1) {
            return Ok(now);
        }
        last = now;
    }
    Ok(last)
}

pub async fn measure(
    respawn: &Respawn,
    database_url: &str,
    studios: &[Arc<Studio>],
) -> anyhow::Result<ActivationReport> {
    let db = crate::audit::connect(database_url).await?;
    let tenants: Vec<uuid::Uuid> = studios.iter().map(|s| s.tenant.0).collect();
    let count = |table: &'static str| {
        let (db, tenants) = (&db, &tenants);
        async move {
            let n: i64 = db
                .query_one(&format!("SELECT count(*) FROM {table} WHERE tenant_id = ANY($1)"), &[tenants])
                .await?
                .get(0);
            anyhow::Ok(n as u64)
        }
    };
    let (bookings, artists) = (count("bookings").await?, count("artists").await?);
    eprintln!("activation: restarting the server to load {bookings} bookings of {artists} artists…");
    let (base, pid, _) = respawn.restart(false).await?;
    let rss_idle_kib = settled_rss(pid).await?;
    let http = identity::http();
    let t0 = Instant::now();
    for st in studios {
        let res = st
            .authorize(http.get(format!("{base}/api/v1/artists?limit=1")))
            .send()
            .await
            .context("activating a studio")?;
        anyhow::ensure!(res.status().is_success(), "GET /artists answered {}", res.status());
    }
    let activate_secs = t0.elapsed().as_secs_f64();
    let rss_active_kib = settled_rss(pid).await?;
    let grown = rss_active_kib.saturating_sub(rss_idle_kib) as f64 * 1024.0;
    Ok(ActivationReport {
        studios: studios.len(),
        artists,
        bookings,
        rss_idle_kib,
        rss_active_kib,
        bytes_per_booking: if bookings > 0 { grown / bookings as f64 } else { 0.0 },
        activate_secs,
    })
}
