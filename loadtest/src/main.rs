//! `pt-loadtest`: parses the command line, starts the server if asked, runs
//! the scenario, prints the table, writes the report. Exit codes: 0 — the run
//! finished and its audit passed; 1 — the audit failed; 2 — the run could not
//! be carried out.

use clap::Parser;
use pt_loadtest::crash::{Recipe, Respawn, ServerSlot};
use pt_loadtest::run::{self, Options};
use pt_loadtest::scenario::{Scenario, ViewKind};
use pt_loadtest::spawn;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  # The CI smoke: start a debug server over a throw-away database, audit it.
  pt-loadtest --scenario loadtest/scenarios/ci-smoke.toml \\
      --spawn-server target/debug/pt-server --database-url postgres://postgres@127.0.0.1/pt_loadsmoke_1

  # A running server (give its pid for memory and CPU figures), with the baseline.
  pt-loadtest --scenario loadtest/scenarios/medium.toml --url http://127.0.0.1:8080 \\
      --server-pid $(pidof pt-server) --database-url postgres://postgres@127.0.0.1/production_tool --baseline

  # Crash safety: SIGKILL the server 10 s into the run, restart it, audit what it kept.
  pt-loadtest -s loadtest/scenarios/vs-baseline.toml --spawn-server target/release/pt-server \
      --database-url postgres://postgres@127.0.0.1/pt_loadrun_1 --kill-server-at 10

  # Override a scenario from the command line.
  pt-loadtest -s loadtest/scenarios/small.toml --clients 200 --rate 500 --duration 30 --report out.json ...

Exit status: 0 when the run finished and its audit passed, 1 when the audit failed,
2 when the run could not be carried out.";

/// Load-test harness for pt-server: simulated schedulers over the real
/// WebSocket protocol, with a correctness audit after every run.
///
/// Connects N simulated schedulers (binary MessagePack frames of pt-protocol)
/// to a running server (--url) or to one it starts (--spawn-server), subscribes
/// them to views and drives a scenario: command rate and mix (create
/// hold/pencil/confirmed, move, resize, cancel, promote), conflict ratio,
/// studios and artists, cursor traffic, duration. It prints throughput
/// (accepted and durable commands/s), latency percentiles (command→Accepted,
/// command→Durable, broadcast fan-out), connections held, server memory per
/// connection and errors by code, and writes them as JSON (--report).
///
/// After the run it audits PostgreSQL (--database-url, as a superuser): no
/// overlapping pencil/confirmed bookings, every durable-acknowledged command
/// stored exactly once, and every scheduler's view equal to the database.
/// --baseline also runs the same workload as one statement per transaction
/// straight into PostgreSQL and reports the ratio.
#[derive(Parser, Debug)]
#[command(version, about, long_about, after_long_help = EXAMPLES)]
struct Cli {
    /// Scenario file (TOML); see loadtest/scenarios/. Options below override it.
    #[arg(short, long)]
    scenario: Option<PathBuf>,

    /// Base URL of a running server, e.g. http://127.0.0.1:8080.
    #[arg(long, conflicts_with = "spawn_server", required_unless_present = "spawn_server")]
    url: Option<String>,

    /// Start this pt-server binary for the run (on a free port, rate limits
    /// off), and stop it gracefully afterwards.
    #[arg(long, value_name = "PATH")]
    spawn_server: Option<PathBuf>,

    /// PostgreSQL URL as a superuser: the spawned server's database, the audit
    /// and the baseline. Without it a spawned server uses a scratch embedded
    /// store and nothing is audited.
    #[arg(long, env = "PT_LOADTEST_DATABASE_URL")]
    database_url: Option<String>,

    /// Pid of the server behind --url, to report its memory (VmRSS) and CPU.
    #[arg(long)]
    server_pid: Option<u32>,

    /// An extra argument for the spawned server (repeat it), e.g. --server-arg=--db-pool=32.
    #[arg(long = "server-arg", value_name = "ARG", allow_hyphen_values = true)]
    server_args: Vec<String>,

    /// Where the spawned server logs (default: a file in the temp directory).
    #[arg(long, value_name = "PATH")]
    server_log: Option<PathBuf>,

    /// Write the JSON report here.
    #[arg(long, value_name = "PATH")]
    report: Option<PathBuf>,

    /// Also run the raw-PostgreSQL baseline (needs --database-url).
    #[arg(long)]
    baseline: bool,

    /// SIGKILL the spawned server this many seconds into the measured part,
    /// start it again over the same database, then audit: every durable
    /// acknowledgement stored once, no overlap, and a fresh snapshot of every
    /// studio on the restarted server equal to the database. Needs
    /// --spawn-server and --database-url.
    #[arg(long, value_name = "SECS", requires_all = ["spawn_server", "database_url"])]
    kill_server_at: Option<f64>,

    /// After the run (and its audit): restart the spawned server, read its
    /// memory, activate every studio of the run (one REST read each loads its
    /// artists and bookings into memory) and report the growth per booking.
    #[arg(long, requires_all = ["spawn_server", "database_url"])]
    activation_memory: bool,

    /// Skip the audit.
    #[arg(long)]
    no_audit: bool,

    /// No progress bars (they are off anyway when stderr is not a terminal).
    #[arg(long)]
    no_progress: bool,

    /// Simulated schedulers (WebSocket connections).
    #[arg(long)]
    clients: Option<usize>,
    /// How many of them send commands.
    #[arg(long)]
    writers: Option<usize>,
    /// Studios.
    #[arg(long)]
    tenants: Option<usize>,
    /// Artists per studio.
    #[arg(long)]
    artists: Option<usize>,
    /// Commands per second over all writers; 0 = closed loop.
    #[arg(long)]
    rate: Option<f64>,
    /// Per writer: commands sent and not yet durable or refused.
    #[arg(long)]
    max_outstanding: Option<usize>,
    /// Measured seconds.
    #[arg(long)]
    duration: Option<f64>,
    /// Unmeasured seconds before.
    #[arg(long)]
    warmup: Option<f64>,
    /// What schedulers watch.
    #[arg(long, value_enum)]
    view: Option<ViewKind>,
    /// Artists per board window (--view window).
    #[arg(long)]
    window_artists: Option<usize>,
    /// Share of creates aimed at a taken slot (0–1).
    #[arg(long)]
    conflict_ratio: Option<f64>,
    /// Share of schedulers moving a cursor (0–1).
    #[arg(long)]
    presence_ratio: Option<f64>,
    /// Cursor updates per second per such scheduler.
    #[arg(long)]
    presence_hz: Option<f64>,
    /// Seed (0 or absent: a fresh one, printed).
    #[arg(long)]
    seed: Option<u64>,
    /// Loopback source addresses to connect from (127.0.0.1 … 127.0.0.N):
    /// one address has ~28,000 ephemeral ports, so 100,000 connections need 4.
    #[arg(long)]
    source_addresses: Option<usize>,
}

impl Cli {
    fn scenario(&self) -> anyhow::Result<Scenario> {
        let mut s = match &self.scenario {
            Some(p) => Scenario::load(p)?,
            None => Scenario::default(),
        };
        macro_rules! set {
            ($($field:ident <- $opt:ident),* $(,)?) => { $(if let Some(v) = self.$opt.clone() { s.$field = v; })* };
        }
        set!(clients <- clients, writers <- writers, tenants <- tenants, artists_per_tenant <- artists,
             rate <- rate, max_outstanding <- max_outstanding, duration_secs <- duration, warmup_secs <- warmup,
             view <- view, window_artists <- window_artists, conflict_ratio <- conflict_ratio,
             presence_ratio <- presence_ratio, presence_hz <- presence_hz, seed <- seed,
             source_addresses <- source_addresses);
        if self.clients.is_some() && self.writers.is_none() {
            s.writers = s.writers.min(s.clients);
        }
        s.baseline |= self.baseline;
        Ok(s)
    }
}

async fn main_inner(cli: Cli) -> anyhow::Result<bool> {
    let nofile = pt_loadtest::raise_nofile_limit();
    let scenario = cli.scenario()?;
    scenario.validate()?;
    if (scenario.clients as u64) + 64 > nofile {
        eprintln!("warning: {} connections need more file descriptors than the limit ({nofile})", scenario.clients);
    }
    let scratch = std::env::temp_dir().join(format!("pt-loadtest-{}", std::process::id()));
    let slot: ServerSlot = Default::default();
    let (recipe, base, pid) = match &cli.spawn_server {
        Some(bin) => {
            std::fs::create_dir_all(&scratch)?;
            let recipe = Recipe {
                bin: bin.clone(),
                database_url: cli.database_url.clone(),
                data_dir: Some(scratch.join("data")),
                args: cli.server_args.clone(),
                log: cli.server_log.clone().unwrap_or_else(|| scratch.join("pt-server.log")),
            };
            let srv = spawn::spawn(
                bin,
                recipe.database_url.as_deref(),
                recipe.data_dir.as_deref(),
                &recipe.args,
                &recipe.log,
            )
            .await?;
            eprintln!("started {} (pid {}) at {}, log {}", bin.display(), srv.pid, srv.base, recipe.log.display());
            let (base, pid) = (srv.base.clone(), srv.pid);
            *slot.lock().await = Some(srv);
            (Some(recipe), base, Some(pid))
        }
        None => (None, cli.url.clone().unwrap_or_default(), cli.server_pid),
    };
    let respawn = recipe.map(|recipe| Respawn { recipe, slot: slot.clone() });
    let opts = Options {
        scenario,
        base,
        server_pid: pid,
        database_url: cli.database_url.clone(),
        audit: !cli.no_audit,
        progress: !cli.no_progress && std::io::stderr().is_terminal(),
        respawn,
        kill_at: cli.kill_server_at,
        activation_memory: cli.activation_memory,
    };
    let result = run::run(opts).await;
    if let Some(srv) = slot.lock().await.take() {
        if let Err(e) = srv.stop().await {
            eprintln!("warning: the spawned server did not stop cleanly: {e:#}");
        }
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let report = result?;
    println!("{}", report.table());
    if let Some(path) = &cli.report {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
        eprintln!("report written to {}", path.display());
    }
    Ok(report.audit.as_ref().is_none_or(|a| a.passed))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match main_inner(cli).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("pt-loadtest: the audit FAILED");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("pt-loadtest: {e:#}");
            ExitCode::from(2)
        }
    }
}
