//! The figures of a run: a JSON report (`--report`) and a compact table.

use crate::audit::AuditReport;
use crate::baseline::BaselineReport;
use crate::client::OpCounts;
use crate::scenario::Scenario;
use crate::workload::Op;
use hdrhistogram::Histogram;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Percentiles of a latency histogram (recorded in µs), in milliseconds.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Latency {
    pub count: u64,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Latency {
    pub fn of(h: &Histogram<u64>) -> Latency {
        if h.is_empty() {
            return Latency::default();
        }
        let ms = |v: u64| v as f64 / 1_000.0;
        Latency {
            count: h.len(),
            mean: h.mean() / 1_000.0,
            p50: ms(h.value_at_quantile(0.50)),
            p90: ms(h.value_at_quantile(0.90)),
            p99: ms(h.value_at_quantile(0.99)),
            p999: ms(h.value_at_quantile(0.999)),
            max: ms(h.max()),
        }
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub mem_total_kib: u64,
    /// `/proc/loadavg` when the run started and when it ended: other work on
    /// the machine (builds, tests) competes for the same two cores.
    pub loadavg_start: String,
    pub loadavg_end: String,
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_total_kib = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Machine {
            cpus: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu_model,
            mem_total_kib,
            loadavg_start: String::new(),
            loadavg_end: loadavg(),
        }
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Connections {
    pub requested: usize,
    pub connected: usize,
    pub failed: usize,
    /// Open when the measured part ended.
    pub held_at_end: usize,
    /// Connected, then closed before the end (by the server or the network).
    pub dropped: usize,
    pub connect_secs: f64,
    /// First few connection failures, for the reader.
    pub failures: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct ServerFigures {
    pub pid: Option<u32>,
    pub rss_before_connect_kib: Option<u64>,
    pub rss_connected_kib: Option<u64>,
    pub rss_end_kib: Option<u64>,
    /// (RSS with every connection open − RSS before connecting) / connections.
    pub rss_per_connection_kib: Option<f64>,
    /// CPU seconds the server used during the measured part, per second (2.0 = both cores).
    pub cpu_cores_used: Option<f64>,
}

#[derive(Debug, Default, Serialize)]
pub struct Commands {
    pub sent: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub durable: u64,
    pub reverted: u64,
    pub skipped_at_bound: u64,
    pub aimed_conflicts: u64,
    pub accepted_per_sec: f64,
    pub durable_per_sec: f64,
    pub by_op: BTreeMap<Op, OpCounts>,
}

#[derive(Debug, Default, Serialize)]
pub struct LatencyFigures {
    pub command_to_accepted: Latency,
    pub command_to_durable: Latency,
    /// Event decided → received by the last of its subscribers, per event.
    pub fanout_last_subscriber: Latency,
    /// Event decided → received, per delivery.
    pub fanout_delivery: Latency,
}

#[derive(Debug, Default, Serialize)]
pub struct FanoutFigures {
    pub events: u64,
    pub mean_subscribers_reached: f64,
    pub deliveries: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct Ratios {
    /// Server durable commands/s ÷ baseline committed commands/s.
    pub durable_throughput: f64,
    /// Baseline p50 (commit) ÷ server p50 command→Durable: > 1 means the server is faster.
    pub durable_p50_speedup: f64,
    pub durable_p99_speedup: f64,
    /// Baseline p50 ÷ server p50 command→Accepted.
    pub accepted_p50_speedup: f64,
    /// Server durable commands/s ÷ the PostgreSQL ceiling's committed rows/s
    /// (`COPY` in batches of 1,000; 0 when the ceiling did not run).
    pub durable_vs_ceiling: f64,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub scenario: Scenario,
    pub seed: u64,
    pub started_at: String,
    pub machine: Machine,
    pub target: String,
    pub measured_secs: f64,
    pub connections: Connections,
    pub server: ServerFigures,
    pub harness_rss_kib: Option<u64>,
    pub commands: Commands,
    pub latency_ms: LatencyFigures,
    pub fanout: FanoutFigures,
    pub presence_sent: u64,
    pub presence_diffs_received: u64,
    pub errors: BTreeMap<String, u64>,
    /// Refusals by `op:code`.
    pub rejections_by_op: BTreeMap<String, u64>,
    pub audit: Option<AuditReport>,
    pub baseline: Option<BaselineReport>,
    pub ratio_vs_baseline: Option<Ratios>,
    /// `--kill-server-at`: the kill, the restart and what the restarted server had.
    pub crash: Option<crate::crash::CrashReport>,
    /// `--activation-memory`: the restarted server's memory before and after activating the studios.
    pub activation: Option<crate::activation::ActivationReport>,
}

fn lat_row(out: &mut String, name: &str, l: &Latency) {
    if l.count == 0 {
        let _ = writeln!(out, "  {name:<28} (none measured)");
        return;
    }
    let _ = writeln!(
        out,
        "  {name:<28} {:>8} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.2}",
        l.count, l.p50, l.p90, l.p99, l.p999, l.max
    );
}

impl Report {
    /// The compact table printed at the end of a run.
    pub fn table(&self) -> String {
        let mut o = String::new();
        let s = &self.scenario;
        let _ = writeln!(
            o,
            "\n== {} — {} studios × {} artists, {} schedulers ({} writing), view {:?}, rate {}, {:.0} s measured, seed {}",
            s.name,
            s.tenants,
            s.artists_per_tenant,
            s.clients,
            s.writers,
            s.view,
            if s.rate > 0.0 { format!("{}/s", s.rate) } else { format!("closed loop ×{}", s.max_outstanding) },
            self.measured_secs,
            self.seed
        );
        let _ = writeln!(
            o,
            "machine       {} × {}, load average {} at start, {} at end",
            self.machine.cpus, self.machine.cpu_model, self.machine.loadavg_start, self.machine.loadavg_end
        );
        let c = &self.connections;
        let _ = writeln!(
            o,
            "connections   {} connected / {} requested ({} failed), {} held at end, {} dropped; connect took {:.1} s",
            c.connected, c.requested, c.failed, c.held_at_end, c.dropped, c.connect_secs
        );
        let sv = &self.server;
        if let Some(per) = sv.rss_per_connection_kib {
            let _ = writeln!(
                o,
                "server RSS    {} KiB before, {} KiB connected, {} KiB at end → {:.1} KiB per connection",
                sv.rss_before_connect_kib.unwrap_or(0),
                sv.rss_connected_kib.unwrap_or(0),
                sv.rss_end_kib.unwrap_or(0),
                per
            );
        }
        if let Some(cpu) = sv.cpu_cores_used {
            let _ = writeln!(o, "server CPU    {cpu:.2} cores busy during the measured part");
        }
        let m = &self.commands;
        let _ = writeln!(
            o,
            "commands      {} sent, {} accepted, {} rejected, {} durable, {} reverted, {} skipped at bound",
            m.sent, m.accepted, m.rejected, m.durable, m.reverted, m.skipped_at_bound
        );
        let _ = writeln!(o, "throughput    {:.1} accepted/s, {:.1} durable/s", m.accepted_per_sec, m.durable_per_sec);
        let _ = writeln!(
            o,
            "latency (ms)  {:<19} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
            "", "count", "p50", "p90", "p99", "p99.9", "max"
        );
        lat_row(&mut o, "command → accepted", &self.latency_ms.command_to_accepted);
        lat_row(&mut o, "command → durable", &self.latency_ms.command_to_durable);
        lat_row(&mut o, "fan-out (last subscriber)", &self.latency_ms.fanout_last_subscriber);
        lat_row(&mut o, "fan-out (each delivery)", &self.latency_ms.fanout_delivery);
        if let Some(b) = &self.baseline {
            lat_row(&mut o, "baseline commit", &b.latency_ms);
        }
        if self.fanout.events > 0 {
            let _ = writeln!(
                o,
                "fan-out       {} events, {:.1} subscribers reached on average ({} deliveries)",
                self.fanout.events, self.fanout.mean_subscribers_reached, self.fanout.deliveries
            );
        }
        if self.presence_sent > 0 || self.presence_diffs_received > 0 {
            let _ = writeln!(
                o,
                "presence      {} updates sent, {} diffs received",
                self.presence_sent, self.presence_diffs_received
            );
        }
        if !self.errors.is_empty() {
            let list: Vec<String> = self.errors.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let _ = writeln!(o, "errors        {}", list.join(", "));
        }
        self.comparisons(&mut o);
        o
    }

    /// The baseline, ceiling, crash, activation and audit lines of [`Report::table`].
    fn comparisons(&self, o: &mut String) {
        if let Some(b) = &self.baseline {
            let _ = writeln!(
                o,
                "baseline      {} writers on {} connections, {} sent, {} committed = {:.1}/s (errors: {:?})",
                b.concurrency, b.connections, b.sent, b.committed, b.committed_per_sec, b.errors
            );
        }
        if let Some(c) = self.baseline.as_ref().and_then(|b| b.ceiling.as_ref()) {
            let _ = writeln!(
                o,
                "ceiling       {} rows by COPY in {} batches of {} on {} connections in {:.2} s = {:.0} rows/s",
                c.rows, c.batches, c.batch_rows, c.connections, c.secs, c.rows_per_sec
            );
        }
        if let Some(r) = &self.ratio_vs_baseline {
            let _ = writeln!(
                o,
                "vs baseline   durable throughput ×{:.2}; p50 durable ×{:.2} faster, p99 durable ×{:.2}, p50 accepted ×{:.2}",
                r.durable_throughput, r.durable_p50_speedup, r.durable_p99_speedup, r.accepted_p50_speedup
            );
            if r.durable_vs_ceiling > 0.0 {
                let _ = writeln!(
                    o,
                    "vs ceiling    durable throughput ×{:.2} of PostgreSQL's COPY ceiling",
                    r.durable_vs_ceiling
                );
            }
        }
        if let Some(c) = &self.crash {
            let _ = writeln!(
                o,
                "crash         SIGKILL at {:.1} s ({} durable acks by then), restarted in {:.2} s; {}/{} fresh snapshots differ from the database",
                c.killed_at_secs,
                c.durable_acks_before_kill,
                c.restart_secs,
                c.snapshots_differing,
                c.snapshots_compared
            );
            for f in &c.failures {
                let _ = writeln!(o, "  ! {f}");
            }
        }
        if let Some(a) = &self.activation {
            let _ = writeln!(
                o,
                "activation    {} bookings of {} artists loaded in {:.2} s: RSS {} → {} KiB = {:.0} bytes per booking",
                a.bookings, a.artists, a.activate_secs, a.rss_idle_kib, a.rss_active_kib, a.bytes_per_booking
            );
        }
        match &self.audit {
            Some(a) => {
                let _ = writeln!(
                    o,
                    "audit         {} — {} bookings, {} overlapping, {}/{} durable acks missing, {}/{} views differ, {} not converged, {} disconnected",
                    if a.passed { "PASSED" } else { "FAILED" },
                    a.bookings_in_db,
                    a.overlapping_bookings,
                    a.durable_acks_missing,
                    a.durable_acks_checked,
                    a.clients_differing,
                    a.clients_compared,
                    a.clients_not_converged,
                    a.clients_disconnected
                );
                for f in &a.failures {
                    let _ = writeln!(o, "  ! {f}");
                }
            }
            None => {
                let _ = writeln!(o, "audit         skipped (no --database-url)");
            }
        }
    }
}
