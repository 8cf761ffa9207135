//! A scenario: everything a run does, as a TOML file (`loadtest/scenarios/*.toml`).
//! Every field has a default, so a file names only what it changes; the command
//! line overrides a file.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// Most loopback source addresses a run spreads its connections over.
pub const MAX_SOURCE_ADDRESSES: usize = 254;

/// What the simulated schedulers watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ViewKind {
    /// The whole studio: every event reaches every scheduler of the studio.
    Tenant,
    /// A board window: `window_artists` artists over the whole horizon.
    Window,
    /// One artist.
    Artist,
    /// Nothing: the connection only sends commands and reads acks.
    None,
}

/// Relative weights of the commands writers send.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Mix {
    pub create_hold: u32,
    pub create_pencil: u32,
    pub create_confirmed: u32,
    /// Move a booking to another artist of the writer's board.
    pub r#move: u32,
    /// Change a booking's end by one slot.
    pub resize: u32,
    pub cancel: u32,
    /// hold → pencil, pencil → confirmed.
    pub promote: u32,
}

impl Default for Mix {
    fn default() -> Self {
        Self {
            create_hold: 10,
            create_pencil: 25,
            create_confirmed: 10,
            r#move: 10,
            resize: 15,
            cancel: 10,
            promote: 20,
        }
    }
}

impl Mix {
    pub fn total(&self) -> u32 {
        self.create_hold
            + self.create_pencil
            + self.create_confirmed
            + self.r#move
            + self.resize
            + self.cancel
            + self.promote
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// Studios (tenants), each created through [`crate::identity`].
    pub tenants: usize,
    /// Artists per studio.
    pub artists_per_tenant: usize,
    /// Simulated schedulers (WebSocket connections), spread evenly over the studios.
    pub clients: usize,
    /// How many of the schedulers send commands; the rest only watch.
    pub writers: usize,
    /// Commands per second over all writers (Poisson arrivals); 0 = closed loop
    /// (each writer sends as fast as its `max_outstanding` allows).
    pub rate: f64,
    /// Per writer: commands sent but not yet durable (or refused). A writer at
    /// the bound skips its turn and the skip is counted.
    pub max_outstanding: usize,
    /// Commands are sent but not measured for this long first.
    pub warmup_secs: f64,
    /// The measured part of the run.
    pub duration_secs: f64,
    pub view: ViewKind,
    /// Artists in each scheduler's board window (`view = "window"`).
    pub window_artists: usize,
    /// The board: bookings fall in `horizon_days` days of `slot_minutes` slots.
    pub horizon_days: u32,
    pub slot_minutes: u32,
    /// Share of creates aimed at a slot the writer sees taken by a pencil or
    /// confirmed booking of the same artist (so they are refused with `conflict`).
    pub conflict_ratio: f64,
    pub mix: Mix,
    /// Share of schedulers that move a cursor.
    pub presence_ratio: f64,
    /// Cursor updates per second per such scheduler (the server coalesces to 20/s).
    pub presence_hz: f64,
    /// How many connections handshake at once while connecting.
    pub connect_concurrency: usize,
    /// Loopback source addresses the connections come from, in turn:
    /// 127.0.0.1, 127.0.0.2, … (each has its own ~28,000 ephemeral ports, so
    /// 100,000 connections to one server need 4). 1: the kernel's choice.
    /// Above 1 the server must be on a loopback IPv4 address.
    pub source_addresses: usize,
    /// Also run the raw-PostgreSQL baseline with the same writers and mix.
    pub baseline: bool,
    /// Seed for every choice; 0 = a fresh one (printed).
    pub seed: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            name: "default".into(),
            description: String::new(),
            tenants: 1,
            artists_per_tenant: 50,
            clients: 50,
            writers: 50,
            rate: 200.0,
            max_outstanding: 8,
            warmup_secs: 2.0,
            duration_secs: 10.0,
            view: ViewKind::Tenant,
            window_artists: 10,
            horizon_days: 60,
            slot_minutes: 60,
            conflict_ratio: 0.1,
            mix: Mix::default(),
            presence_ratio: 0.2,
            presence_hz: 5.0,
            connect_concurrency: 64,
            source_addresses: 1,
            baseline: false,
            seed: 0,
        }
    }
}

impl Scenario {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read scenario {}: {e}", path.display()))?;
        let mut s: Scenario =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("scenario {} is not valid: {e}", path.display()))?;
        if s.name == "default" {
            s.name = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        }
        Ok(s)
    }

    /// Refuses combinations that cannot run, with a reason a person can act on.
    pub fn validate(&self) -> anyhow::Result<()> {
        let fail = |m: &str| Err(anyhow::anyhow!("scenario {}: {m}", self.name));
        if self.tenants == 0 {
            return fail("tenants must be at least 1");
        }
        if self.clients < self.tenants {
            return fail("need at least one client per tenant");
        }
        if self.writers > self.clients {
            return fail("writers cannot exceed clients");
        }
        if self.writers > 0 && self.artists_per_tenant == 0 {
            return fail("writers need artists (artists_per_tenant ≥ 1)");
        }
        if self.writers > 0 && self.mix.total() == 0 {
            return fail("the command mix is all zeros");
        }
        if !(0.0..=1.0).contains(&self.conflict_ratio) || !(0.0..=1.0).contains(&self.presence_ratio) {
            return fail("conflict_ratio and presence_ratio are shares between 0 and 1");
        }
        if self.rate < 0.0 || self.duration_secs <= 0.0 || self.warmup_secs < 0.0 {
            return fail("rate ≥ 0, duration_secs > 0, warmup_secs ≥ 0");
        }
        if self.max_outstanding == 0 {
            return fail("max_outstanding must be at least 1");
        }
        if self.slot_minutes == 0 || self.horizon_days == 0 {
            return fail("slot_minutes and horizon_days must be positive");
        }
        if !(1..=MAX_SOURCE_ADDRESSES).contains(&self.source_addresses) {
            return fail(&format!("source_addresses is 1 to {MAX_SOURCE_ADDRESSES} (127.0.0.1 …)"));
        }
        if matches!(self.view, ViewKind::Window) && self.window_artists == 0 {
            return fail("window_artists must be at least 1");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_scenario_parses_and_validates() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let s = Scenario::load(&path).unwrap();
                s.validate().unwrap();
                n += 1;
            }
        }
        assert!(n >= 5, "expected the shipped scenarios in {}", dir.display());
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(toml::from_str::<Scenario>("clientz = 3").is_err());
    }
}
