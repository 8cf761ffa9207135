//! Restarting the spawned server ([`Respawn`]), and
//! `--kill-server-at SECS`: SIGKILL the spawned server that many seconds into
//! the measured part, start it again over the same database, and check what
//! it recovered.
//!
//! Every scheduler's connection ends with the kill (they are counted as
//! disconnected, and their own views are not compared). The audit then holds
//! the server to its promises across the crash: every command a client heard
//! was durable is in the database exactly once with its event, no two
//! pencil/confirmed bookings overlap, the restarted server accepts the
//! end-of-run fence, and a fresh subscriber of every studio on the restarted
//! server gets a snapshot equal to the database.

use crate::audit::{self, Row};
use crate::identity::Studio;
use crate::spawn::{self, SpawnedServer};
use anyhow::{Context, bail};
use futures::{SinkExt, StreamExt};
use pt_protocol::ws::{ClientFrame, ServerFrame, View, codec};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// How the server was started, to start it again the same way.
#[derive(Clone, Debug)]
pub struct Recipe {
    pub bin: PathBuf,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub args: Vec<String>,
    pub log: PathBuf,
}

/// The spawned server, shared by the command line (which stops it at the
/// end) and the run (which may kill and replace it).
pub type ServerSlot = Arc<Mutex<Option<SpawnedServer>>>;

/// A spawned server that the run may stop or kill and start again.
#[derive(Clone)]
pub struct Respawn {
    pub recipe: Recipe,
    pub slot: ServerSlot,
}

#[derive(Debug, Default, Serialize)]
pub struct CrashReport {
    /// Seconds into the measured part when SIGKILL was sent.
    pub killed_at_secs: f64,
    pub killed_pid: u32,
    /// Durable acknowledgements the clients had received when it was killed.
    pub durable_acks_before_kill: u64,
    /// From SIGKILL to the restarted server listening (migrations and all).
    pub restart_secs: f64,
    pub restarted_pid: u32,
    /// Studios whose fresh snapshot on the restarted server was compared with the database.
    pub snapshots_compared: u64,
    pub snapshots_differing: u64,
    pub failures: Vec<String>,
}

impl Respawn {
    /// Kills the server now and starts it again; returns the new base URL and pid.
    pub async fn kill_and_restart(&self, at_secs: f64, acks: u64) -> anyhow::Result<(String, u32, CrashReport)> {
        let t0 = Instant::now();
        let (base, pid, killed_pid) = self.restart(true).await?;
        let restart_secs = t0.elapsed().as_secs_f64();
        let report = CrashReport {
            killed_at_secs: at_secs,
            killed_pid,
            durable_acks_before_kill: acks,
            restart_secs,
            restarted_pid: pid,
            ..Default::default()
        };
        Ok((base, pid, report))
    }

    /// Stops the server (`kill`: SIGKILL, as a crash; otherwise gracefully)
    /// and starts it again over the same store. Returns the new base URL,
    /// the new pid and the old pid.
    pub async fn restart(&self, kill: bool) -> anyhow::Result<(String, u32, u32)> {
        let mut slot = self.slot.lock().await;
        let mut old = slot.take().context("no spawned server to restart")?;
        let old_pid = old.pid;
        if kill {
            old.kill().await?;
            eprintln!("killed pt-server (pid {old_pid}) with SIGKILL; starting it again");
        } else {
            old.stop().await?;
        }
        let r = &self.recipe;
        let log = r.log.with_extension(if kill { "restarted.log" } else { "again.log" });
        let srv = spawn::spawn(&r.bin, r.database_url.as_deref(), r.data_dir.as_deref(), &r.args, &log)
            .await
            .context("the server did not start again")?;
        eprintln!("started pt-server again (pid {}) at {}, log {}", srv.pid, srv.base, log.display());
        let (base, pid) = (srv.base.clone(), srv.pid);
        *slot = Some(srv);
        Ok((base, pid, old_pid))
    }
}

/// A fresh subscriber of every studio on the restarted server: its snapshot's
/// bookings equal the database's.
pub async fn compare_snapshots(
    base: &str,
    database_url: &str,
    studios: &[Arc<Studio>],
    report: &mut CrashReport,
) -> anyhow::Result<()> {
    let db = audit::connect(database_url).await?;
    for st in studios {
        let mut want: Vec<Row> = audit::db_bookings(&db, st.tenant).await?.into_iter().map(|(r, _)| r).collect();
        want.sort();
        let mut have: Vec<Row> = snapshot(base, st).await?.iter().map(Row::of).collect();
        have.sort();
        report.snapshots_compared += 1;
        if want != have {
            report.snapshots_differing += 1;
            let first = want.iter().zip(&have).find(|(w, h)| w != h).map(|(w, h)| format!("db {w:?} vs server {h:?}"));
            report.failures.push(format!(
                "studio {}: the restarted server's snapshot has {} bookings, the database {} ({})",
                st.tenant,
                have.len(),
                want.len(),
                first.unwrap_or_else(|| "one side has extra rows".into())
            ));
        }
    }
    Ok(())
}

/// The bookings of a studio's tenant view, as a new subscriber gets them.
async fn snapshot(base: &str, studio: &Studio) -> anyhow::Result<Vec<pt_protocol::Booking>> {
    let (mut ws, _) =
        tokio_tungstenite::connect_async(crate::run::ws_url(base)).await.context("snapshot connection")?;
    ws.send(Message::Binary(codec::encode(&studio.hello()).into())).await?;
    let sub_id = 1;
    let subscribe = ClientFrame::Subscribe { sub_id, view: View::Tenant, resume_from_seq: None };
    ws.send(Message::Binary(codec::encode(&subscribe).into())).await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = tokio::time::timeout(left, ws.next())
            .await
            .context("no snapshot from the restarted server in time")?
            .context("snapshot connection closed")??;
        let Message::Binary(b) = msg else { continue };
        match codec::decode::<ServerFrame>(&b).map_err(anyhow::Error::msg)? {
            ServerFrame::Snapshot { bookings, .. } => {
                let _ = ws.close(None).await;
                return Ok(bookings.into_iter().map(std::sync::Arc::unwrap_or_clone).collect());
            }
            ServerFrame::Error { error, .. } => bail!("subscribe refused: {}: {}", error.code, error.message),
            ServerFrame::Goodbye { code, reason } => bail!("snapshot connection closed: {code}: {reason}"),
            _ => {}
        }
    }
}
