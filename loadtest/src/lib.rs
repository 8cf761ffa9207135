//! # pt-loadtest — simulated schedulers against a real pt-server
//!
//! ## Layout
//! * [`scenario`] — what a run does (studios, artists, schedulers, rate, mix,
//!   conflicts, presence, duration), read from a TOML file under
//!   `loadtest/scenarios/` and overridden from the command line.
//! * [`identity`] — the only place that knows how a studio and its artists come
//!   to exist and how a connection proves who it is (sign-up and tokens, or the
//!   pre-auth `X-Tenant-Id` / `hello.tenant` fallback).
//! * [`spawn`] — starting `pt-server` ourselves, its address and its memory.
//! * [`client`] — one simulated scheduler: a WebSocket, a materialized view,
//!   a command generator and its own latency histograms.
//! * [`workload`] — which command a scheduler sends next (the mix, the
//!   conflict ratio, slots on the board).
//! * [`stats`] — a scheduler's latency histograms and counts.
//! * [`fanout`] — per event, when it reached its last subscriber.
//! * [`run`] — the phases of a run: set up, connect, warm up, measure, drain
//!   to a fence, collect.
//! * [`audit`] — after every run, the database against what the clients saw.
//! * [`baseline`] — the same workload as one statement per transaction straight
//!   into PostgreSQL, the conventional CRUD backend we compare against.
//! * [`report`] — the figures: JSON report and the printed table.
//! * [`rng`] — a small seeded generator, so a run is replayable by its seed.
//!
//! Frames, commands and ids come from `pt-protocol`; nothing here re-defines the wire.

pub mod activation;
pub mod audit;
pub mod baseline;
pub mod baseline_sqlite;
pub mod ceiling;
pub mod client;
pub mod crash;
pub mod fanout;
pub mod identity;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod spawn;
pub mod stats;
pub mod workload;

/// Microseconds since the Unix epoch, on the wall clock the server's event
/// timestamps use too (the harness and the server share one machine).
pub fn wall_micros() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or_default()
}

/// Raises this process's open-file soft limit to its hard limit (every
/// connection is a file descriptor) and returns the new soft limit.
pub fn raise_nofile_limit() -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < lim.rlim_max {
            let want = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &want) == 0 {
                return want.rlim_cur;
            }
        }
        lim.rlim_cur
    }
}
