//! The phases of a run: set up studios and artists, connect every scheduler,
//! warm up, measure, quiesce, fence, drain, collect — then audit and compare.

use crate::client::{self, ClientSpec, Control, Counters, Fence, Outcome, Shared, Stats};
use crate::fanout::Fanout;
use crate::identity::{self, Studio};
use crate::report::{
    Commands, Connections, FanoutFigures, Latency, LatencyFigures, Machine, Ratios, Report, ServerFigures,
};
use crate::scenario::{Scenario, ViewKind};
use crate::spawn::{cpu_seconds, rss_kib};
use crate::workload::Board;
use crate::{audit, baseline};
use anyhow::{Context, bail};
use futures::{SinkExt, StreamExt, TryStreamExt};
use indicatif::{ProgressBar, ProgressStyle};
use pt_protocol::ws::{ClientFrame, Command, ServerFrame, View, codec};
use pt_protocol::{ArtistId, ArtistPatch, CmdId};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// How long writers get to settle their last commands after the measured part.
const QUIESCE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long schedulers get to reach the fence.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(120);
/// Connection failures listed in the report.
const LISTED_FAILURES: usize = 5;

pub struct Options {
    pub scenario: Scenario,
    /// `http://host:port` of the server.
    pub base: String,
    pub server_pid: Option<u32>,
    pub database_url: Option<String>,
    pub audit: bool,
    pub progress: bool,
    /// The spawned server, to restart (none for `--url`).
    pub respawn: Option<crate::crash::Respawn>,
    /// `--kill-server-at`: SIGKILL the spawned server this many seconds into
    /// the measured part and restart it.
    pub kill_at: Option<f64>,
    /// `--activation-memory`: after the run, restart the server and measure
    /// what activating the studios costs per booking.
    pub activation_memory: bool,
}

fn bar(progress: bool, len: u64, template: &str) -> ProgressBar {
    if !progress {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    pb
}

/// Polls `done` every 50 ms until it holds or `timeout` passes; false on timeout.
async fn wait_for(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while !done() {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

pub fn ws_url(base: &str) -> String {
    let base = base.trim_end_matches('/');
    let ws = base.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
    format!("{ws}/api/v1/ws")
}

/// The boards of the schedulers of one studio: what each watches and books.
fn plan_view(s: &Scenario, board: &Board, artists: &[ArtistId], local: usize) -> (Option<View>, Vec<ArtistId>) {
    let n = artists.len();
    match s.view {
        ViewKind::Tenant => (Some(View::Tenant), artists.to_vec()),
        ViewKind::None => (None, artists.to_vec()),
        ViewKind::Artist if n > 0 => {
            let a = artists[local % n];
            (Some(View::Artist { artist_id: a }), vec![a])
        }
        ViewKind::Window if n > 0 => {
            let k = s.window_artists.min(n);
            let first = (local * k) % n;
            let ids: Vec<ArtistId> = (0..k).map(|i| artists[(first + i) % n]).collect();
            (Some(View::Window { artist_ids: ids.clone(), range: board.range() }), ids)
        }
        _ => (Some(View::Tenant), Vec::new()),
    }
}

pub async fn run(mut opts: Options) -> anyhow::Result<Report> {
    let s = seeded(&opts.scenario)?;
    let board = Board::new(&s);
    let started = Started { at: chrono::Utc::now().to_rfc3339(), loadavg: crate::report::loadavg() };
    eprintln!("pt-loadtest: scenario {} against {} (seed {})", s.name, opts.base, s.seed);
    let (studios, artists) = set_up(&s, &opts.base).await?;
    let mut fleet = connect(&opts, &s, board, &studios, &artists).await;
    let mut measured = measure(&opts, &s, &fleet).await?;
    let crash = measured.crash.take().map(|(base, pid, report)| {
        // The rest of the run talks to the restarted server.
        opts.base = base;
        opts.server_pid = Some(pid);
        report
    });
    let outcomes = settle(&opts, &s, &mut fleet, &studios, &artists).await?;
    let mut report = assemble(&opts, &s, started, &fleet, &measured, &outcomes);
    if let Some(mut c) = crash {
        if let Some(url) = opts.database_url.as_deref() {
            eprintln!("comparing a fresh snapshot of every studio on the restarted server with the database…");
            crate::crash::compare_snapshots(&opts.base, url, &studios, &mut c).await?;
        }
        report.crash = Some(c);
    }
    let mut report = audit_and_compare(&opts, &s, board, &studios, &outcomes, report).await?;
    if opts.activation_memory {
        match (&opts.respawn, opts.database_url.as_deref()) {
            (Some(r), Some(url)) => report.activation = Some(crate::activation::measure(r, url, &studios).await?),
            _ => eprintln!("warning: --activation-memory needs --spawn-server and --database-url"),
        }
    }
    Ok(report)
}

/// The scenario, checked, with a seed (the clock's when it names none).
fn seeded(scenario: &Scenario) -> anyhow::Result<Scenario> {
    let mut s = scenario.clone();
    s.validate()?;
    if s.seed == 0 {
        s.seed = crate::wall_micros() as u64;
    }
    Ok(s)
}

/// When the run started, for the report.
struct Started {
    at: String,
    loadavg: String,
}

/// Studios and their artists, through the one identity module.
async fn set_up(s: &Scenario, base: &str) -> anyhow::Result<(Vec<Arc<Studio>>, Vec<Vec<ArtistId>>)> {
    let http = identity::http();
    let t0 = Instant::now();
    let studios: Vec<Studio> = futures::stream::iter(0..s.tenants)
        .map(|t| {
            let (http, base) = (http.clone(), base.to_owned());
            async move { identity::create_studio(&http, &base, &format!("Bench studio {t:03}")).await }
        })
        .buffered(8)
        .try_collect()
        .await?;
    let mut artists: Vec<Vec<ArtistId>> = Vec::new();
    for st in &studios {
        artists.push(identity::create_artists(&http, base, st, s.artists_per_tenant).await?);
    }
    eprintln!(
        "setup: {} studios (sign-up) × {} artists in {:.1} s",
        s.tenants,
        s.artists_per_tenant,
        t0.elapsed().as_secs_f64()
    );
    Ok((studios.into_iter().map(Arc::new).collect(), artists))
}

/// The schedulers of a run, once connected, and what their connecting cost.
struct Fleet {
    control: watch::Sender<Control>,
    counters: Arc<Counters>,
    fanout: Arc<Fanout>,
    tasks: Vec<tokio::task::JoinHandle<Outcome>>,
    connected: usize,
    connect_secs: f64,
    rss_before: Option<u64>,
    rss_connected: Option<u64>,
}

/// Starts every scheduler and waits until each has connected or failed.
async fn connect(
    opts: &Options,
    s: &Scenario,
    board: Board,
    studios: &[Arc<Studio>],
    artists: &[Vec<ArtistId>],
) -> Fleet {
    let (control, control_rx) = watch::channel(Control::Connect);
    let counters = Arc::new(Counters::default());
    let fanout = Arc::new(Fanout::default());
    let sh = Shared {
        ws_url: ws_url(&opts.base),
        scenario: Arc::new(s.clone()),
        board,
        control: control_rx,
        fanout: fanout.clone(),
        counters: counters.clone(),
        connect_gate: Arc::new(Semaphore::new(s.connect_concurrency.max(1))),
    };
    let mean_gap = (s.rate > 0.0 && s.writers > 0).then(|| Duration::from_secs_f64(s.writers as f64 / s.rate));
    let presence_clients = (s.presence_ratio * s.clients as f64).round() as usize;
    let rss_before = opts.server_pid.and_then(rss_kib);
    let t_connect = Instant::now();
    let mut tasks = Vec::with_capacity(s.clients);
    for i in 0..s.clients {
        let t = i % s.tenants;
        let local = i / s.tenants;
        let (view, board_artists) = plan_view(s, &board, &artists[t], local);
        let spec = ClientSpec {
            idx: i,
            tenant_idx: t,
            studio: studios[t].clone(),
            presence_hz: if i < presence_clients && view.is_some() { s.presence_hz } else { 0.0 },
            view,
            artists: board_artists,
            writer: i < s.writers,
            mean_gap,
            seed: s.seed,
        };
        tasks.push(tokio::spawn(client::run(spec, sh.clone())));
    }
    let pb = bar(opts.progress, s.clients as u64, "connecting {bar:40} {pos}/{len} {msg}");
    let connect_timeout = Duration::from_secs(120 + s.clients as u64 / 50);
    let all_in = wait_for(connect_timeout, || {
        let (ok, failed) = (counters.connected.load(Ordering::Relaxed), counters.failed.load(Ordering::Relaxed));
        pb.set_position((ok + failed) as u64);
        pb.set_message(format!("{failed} failed"));
        ok + failed >= s.clients
    })
    .await;
    pb.finish_and_clear();
    let connect_secs = t_connect.elapsed().as_secs_f64();
    let connected = counters.connected.load(Ordering::Relaxed);
    eprintln!(
        "connected {connected}/{} schedulers in {connect_secs:.1} s{}",
        s.clients,
        if all_in { "" } else { " (gave up waiting for the rest)" }
    );
    let rss_connected = opts.server_pid.and_then(rss_kib);
    Fleet { control, counters, fanout, tasks, connected, connect_secs, rss_before, rss_connected }
}

/// The server's figures around the measured part.
struct Measured {
    cpu_start: Option<f64>,
    cpu_end: Option<f64>,
    held_at_end: usize,
    rss_end: Option<u64>,
    /// After `--kill-server-at`: the restarted server's base URL and pid, and what happened.
    crash: Option<(String, u32, crate::crash::CrashReport)>,
}

/// Warms up, then measures: tells the schedulers when, and shows progress.
async fn measure(opts: &Options, s: &Scenario, fleet: &Fleet) -> anyhow::Result<Measured> {
    let counters = &fleet.counters;
    let now = Instant::now();
    let measure_from = now + Duration::from_secs_f64(s.warmup_secs);
    let until = measure_from + Duration::from_secs_f64(s.duration_secs);
    let wall_now = crate::wall_micros();
    let measure_from_wall = wall_now + (s.warmup_secs * 1e6) as i64;
    let until_wall = measure_from_wall + (s.duration_secs * 1e6) as i64;
    fleet.control.send_replace(Control::Run { measure_from, until, measure_from_wall, until_wall });
    let total = s.warmup_secs + s.duration_secs;
    let pb = bar(opts.progress, (total * 10.0) as u64, "{spinner} {elapsed_precise} {bar:30} {msg}");
    let mut cpu_start = None;
    let mut crashed = None;
    loop {
        let now = Instant::now();
        if now >= until {
            break;
        }
        if let (Some(c), Some(at)) = (&opts.respawn, opts.kill_at)
            && crashed.is_none()
            && now >= measure_from + Duration::from_secs_f64(at)
        {
            pb.suspend(|| ());
            let acks = counters.durable.load(Ordering::Relaxed);
            crashed = Some(c.kill_and_restart((now - measure_from).as_secs_f64(), acks).await?);
        }
        if cpu_start.is_none() && now >= measure_from {
            cpu_start = opts.server_pid.and_then(cpu_seconds);
        }
        pb.set_position(((total - (until - now).as_secs_f64()) * 10.0) as u64);
        pb.set_message(format!(
            "{} open · sent {} · accepted {} · rejected {} · durable {}{}",
            counters.open.load(Ordering::Relaxed),
            counters.sent.load(Ordering::Relaxed),
            counters.accepted.load(Ordering::Relaxed),
            counters.rejected.load(Ordering::Relaxed),
            counters.durable.load(Ordering::Relaxed),
            if now < measure_from { " (warming up)" } else { "" }
        ));
        tokio::time::sleep(Duration::from_millis(100).min(until - now)).await;
    }
    // After a crash the killed process's counters are gone.
    let cpu_end = if crashed.is_some() { None } else { opts.server_pid.and_then(cpu_seconds) };
    if cpu_start.is_none() && s.warmup_secs == 0.0 {
        cpu_start = cpu_end;
    }
    pb.finish_and_clear();
    let held_at_end = counters.open.load(Ordering::Relaxed);
    let rss_end = if crashed.is_some() { None } else { opts.server_pid.and_then(rss_kib) };
    Ok(Measured { cpu_start, cpu_end, held_at_end, rss_end, crash: crashed })
}

/// Settles the writers, fences every studio, drains the schedulers up to the
/// fence, closes them and collects what each saw.
async fn settle(
    opts: &Options,
    s: &Scenario,
    fleet: &mut Fleet,
    studios: &[Arc<Studio>],
    artists: &[Vec<ArtistId>],
) -> anyhow::Result<Vec<Outcome>> {
    let counters = &fleet.counters;
    fleet.control.send_replace(Control::Quiesce);
    let writers_connected = s.writers.min(fleet.connected);
    // A writer whose connection ended (a killed server) has nothing to settle.
    let settled =
        || counters.quiet.load(Ordering::Relaxed) >= writers_connected.min(counters.open.load(Ordering::Relaxed));
    if !wait_for(QUIESCE_TIMEOUT, settled).await {
        eprintln!("warning: not every writer settled its commands within {QUIESCE_TIMEOUT:?}");
    }
    let mut fences = HashMap::new();
    if s.writers > 0 {
        for (t, st) in studios.iter().enumerate() {
            if !artists[t].is_empty() {
                let fence = fence(&opts.base, st, &artists[t]).await.with_context(|| format!("fence of studio {t}"))?;
                fences.insert(t, fence);
            }
        }
    }
    fleet.control.send_replace(Control::Drain(Arc::new(fences)));
    let drained =
        wait_for(DRAIN_TIMEOUT, || counters.drained.load(Ordering::Relaxed) >= counters.open.load(Ordering::Relaxed))
            .await;
    if !drained {
        eprintln!("warning: not every scheduler reached the fence within {DRAIN_TIMEOUT:?}");
    }
    fleet.control.send_replace(Control::Close);
    let tasks = std::mem::take(&mut fleet.tasks);
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(tasks.len());
    for t in tasks {
        outcomes.push(t.await.context("a scheduler task panicked")?);
    }
    Ok(outcomes)
}

/// The report's figures: what the schedulers saw and what the server cost.
fn assemble(
    opts: &Options,
    s: &Scenario,
    started: Started,
    fleet: &Fleet,
    m: &Measured,
    outcomes: &[Outcome],
) -> Report {
    let harness_rss_kib = rss_kib(std::process::id());
    let mut stats = Stats::default();
    for o in outcomes {
        stats.merge(&o.stats);
    }
    let fo = fleet.fanout.summarize();
    let d = s.duration_secs;
    let rss_per_connection_kib = match (fleet.rss_before, fleet.rss_connected) {
        (Some(b), Some(c)) if fleet.connected > 0 => Some((c as f64 - b as f64) / fleet.connected as f64),
        _ => None,
    };
    Report {
        seed: s.seed,
        started_at: started.at,
        machine: Machine { loadavg_start: started.loadavg, ..Machine::read() },
        target: opts.base.clone(),
        measured_secs: d,
        connections: connections(s, fleet, m, outcomes),
        server: ServerFigures {
            pid: opts.server_pid,
            rss_before_connect_kib: fleet.rss_before,
            rss_connected_kib: fleet.rss_connected,
            rss_end_kib: m.rss_end,
            rss_per_connection_kib,
            cpu_cores_used: match (m.cpu_start, m.cpu_end) {
                (Some(a), Some(b)) => Some((b - a) / d),
                _ => None,
            },
        },
        harness_rss_kib,
        commands: Commands {
            sent: stats.sent,
            accepted: stats.accepted,
            rejected: stats.rejected,
            durable: stats.durable_count,
            reverted: stats.reverted,
            skipped_at_bound: stats.skipped,
            aimed_conflicts: stats.aimed_conflicts,
            accepted_per_sec: stats.accepted as f64 / d,
            durable_per_sec: stats.durable_count as f64 / d,
            by_op: stats.by_op.clone(),
        },
        latency_ms: LatencyFigures {
            command_to_accepted: Latency::of(&stats.accept),
            command_to_durable: Latency::of(&stats.durable),
            fanout_last_subscriber: Latency::of(&fo.last_subscriber),
            fanout_delivery: Latency::of(&stats.delivery),
        },
        fanout: FanoutFigures {
            events: fo.events,
            mean_subscribers_reached: fo.mean_reached,
            deliveries: stats.delivery.len(),
        },
        presence_sent: stats.presence_sent,
        presence_diffs_received: stats.presence_diffs,
        errors: stats.errors.clone(),
        rejections_by_op: stats.rejections_by_op.clone(),
        scenario: s.clone(),
        ..Default::default()
    }
}

/// How the connections went: held, dropped, and the first few failures.
fn connections(s: &Scenario, fleet: &Fleet, m: &Measured, outcomes: &[Outcome]) -> Connections {
    let mut failures = Vec::new();
    let mut dropped = 0;
    for o in outcomes {
        if o.connected && !o.open_at_end {
            dropped += 1;
        }
        if let Some(f) = &o.failure
            && failures.len() < LISTED_FAILURES
        {
            failures.push(format!("client {}: {f}", o.idx));
        }
    }
    Connections {
        requested: s.clients,
        connected: fleet.connected,
        failed: fleet.counters.failed.load(Ordering::Relaxed),
        held_at_end: m.held_at_end,
        dropped,
        connect_secs: fleet.connect_secs,
        failures,
    }
}

/// Audits the database, then runs the baseline (after the audit: it loads
/// the same database) and sets the ratios against it.
async fn audit_and_compare(
    opts: &Options,
    s: &Scenario,
    board: Board,
    studios: &[Arc<Studio>],
    outcomes: &[Outcome],
    mut report: Report,
) -> anyhow::Result<Report> {
    let Some(url) = opts.database_url.as_deref() else {
        // The embedded store: its baseline is SQLite, one transaction per command.
        if s.baseline {
            eprintln!("baseline: the same workload straight into SQLite ({} writers)…", s.writers.max(1));
            let b =
                crate::baseline_sqlite::run(&std::env::temp_dir().join("pt-loadtest-sqlite"), s, board, s.seed).await?;
            report.ratio_vs_baseline = Some(ratios(&report, &b));
            report.baseline = Some(b);
        }
        return Ok(report);
    };
    if opts.audit {
        eprintln!("auditing the database…");
        let tenants: Vec<_> = studios.iter().map(|st| st.tenant).collect();
        let mut a = audit::audit(url, &tenants, outcomes).await?;
        if let Some(c) = &report.crash {
            // The restarted server must hold what the database holds.
            a.passed &= c.snapshots_differing == 0;
        }
        report.audit = Some(a);
    }
    if s.baseline {
        eprintln!("baseline: the same workload straight into PostgreSQL ({} writers)…", s.writers.max(1));
        let b = match baseline::run(url, s, board, s.seed).await {
            Ok(b) => b,
            Err(e) => {
                eprintln!("warning: the baseline could not run: {e:#}");
                return Ok(report);
            }
        };
        report.ratio_vs_baseline = Some(ratios(&report, &b));
        report.baseline = Some(b);
    }
    Ok(report)
}

/// The server's figures against a baseline's (and its ceiling's) from the same run.
fn ratios(report: &Report, b: &baseline::BaselineReport) -> Ratios {
    let srv = &report.latency_ms;
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    Ratios {
        durable_throughput: ratio(report.commands.durable_per_sec, b.committed_per_sec),
        durable_p50_speedup: ratio(b.latency_ms.p50, srv.command_to_durable.p50),
        durable_p99_speedup: ratio(b.latency_ms.p99, srv.command_to_durable.p99),
        accepted_p50_speedup: ratio(b.latency_ms.p50, srv.command_to_accepted.p50),
        durable_vs_ceiling: b.ceiling.as_ref().map_or(0.0, |c| ratio(report.commands.durable_per_sec, c.rows_per_sec)),
    }
}

/// Updates every artist of the studio once (after the last command) and waits
/// until that is durable. Each update is an event in every view showing that
/// artist, with a seq after every command of the run.
async fn fence(base: &str, studio: &Studio, artists: &[ArtistId]) -> anyhow::Result<Fence> {
    let (mut ws, _) = tokio_tungstenite::connect_async(ws_url(base)).await.context("control connection")?;
    ws.send(Message::Binary(codec::encode(&studio.hello()).into())).await?;
    let mut cmds: HashMap<CmdId, ArtistId> = HashMap::new();
    for a in artists {
        let cmd_id = CmdId::new();
        let command = Command::UpdateArtist { id: *a, patch: ArtistPatch { active: Some(true), ..Default::default() } };
        ws.send(Message::Binary(codec::encode(&ClientFrame::Command { cmd_id, command }).into())).await?;
        cmds.insert(cmd_id, *a);
    }
    let mut fence = Fence::default();
    let mut durable = 0;
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    while !(fence.by_artist.len() == artists.len() && durable >= fence.max_seq) {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = tokio::time::timeout(left, ws.next())
            .await
            .context("the fence was not acknowledged in time")?
            .context("control connection closed")??;
        let Message::Binary(b) = msg else { continue };
        match codec::decode::<ServerFrame>(&b).map_err(anyhow::Error::msg)? {
            ServerFrame::Accepted { cmd_id, seq, .. } => {
                if let Some(a) = cmds.get(&cmd_id) {
                    fence.by_artist.insert(*a, seq);
                    fence.max_seq = fence.max_seq.max(seq);
                }
            }
            ServerFrame::Rejected { error, .. } => bail!("fence refused: {}: {}", error.code, error.message),
            ServerFrame::Durable { durable_seq } => durable = durable.max(durable_seq),
            ServerFrame::Goodbye { code, reason } => bail!("control connection closed: {code}: {reason}"),
            _ => {}
        }
    }
    let _ = ws.close(None).await;
    Ok(fence)
}
