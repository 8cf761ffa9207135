//! One simulated scheduler: a WebSocket speaking the real protocol, a
//! materialized copy of the view it watches, and — for writers — a stream of
//! commands with their latencies.
//!
//! Its life follows the run's [`Control`]: connect and subscribe; during
//! `Run`, send commands (Poisson arrivals or closed loop, at most
//! `max_outstanding` unsettled) and cursor updates; at `Quiesce` stop sending
//! and wait for every answer; at `Drain` read until the studio's fence has
//! reached this view and is durable; at `Close` hand back an [`Outcome`].

use crate::fanout::Fanout;
use crate::identity::Studio;
use crate::rng::Rng;
use crate::scenario::Scenario;
pub use crate::stats::{OpCounts, Stats, histogram};
use crate::wall_micros;
use crate::workload::{self, Board, Mirror, Op};
use futures::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use pt_protocol::ws::{ClientFrame, Cursor, PresenceState, ServerFrame, View, codec};
use pt_protocol::{ArtistId, BookingId, CmdId};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, watch};
use tokio::time::Instant;
use tokio_tungstenite::MaybeTlsStream;
use tokio_tungstenite::tungstenite::Message;

mod connect;
use connect::connect;

/// The only subscription a scheduler holds.
const SUB_ID: u32 = 1;
/// Application pings keep idle connections inside the server's 45 s heartbeat.
const KEEPALIVE: Duration = Duration::from_secs(20);
/// Handshake, hello and snapshot must each come within this.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
/// What the run tells every scheduler to do now.
#[derive(Clone, Debug)]
pub enum Control {
    /// Connect, subscribe, wait.
    Connect,
    /// Send commands until `until`; measure those sent from `measure_from`.
    Run { measure_from: Instant, until: Instant, measure_from_wall: i64, until_wall: i64 },
    /// Stop sending; settle what is outstanding.
    Quiesce,
    /// Read until the fence of this scheduler's studio reached its view.
    Drain(Arc<HashMap<usize, Fence>>),
    /// Hand back the outcome.
    Close,
}

/// The end-of-run fence of one studio: every artist updated once after the
/// last command, so an event touching every view carries a seq past all of them.
#[derive(Clone, Debug, Default)]
pub struct Fence {
    pub by_artist: HashMap<ArtistId, u64>,
    pub max_seq: u64,
}

/// Totals the progress bar reads while the run goes.
#[derive(Default)]
pub struct Counters {
    pub connected: AtomicUsize,
    pub failed: AtomicUsize,
    pub open: AtomicUsize,
    pub sent: AtomicU64,
    pub accepted: AtomicU64,
    pub rejected: AtomicU64,
    pub durable: AtomicU64,
    pub quiet: AtomicUsize,
    pub drained: AtomicUsize,
}

/// What every scheduler shares.
#[derive(Clone)]
pub struct Shared {
    pub ws_url: String,
    pub scenario: Arc<Scenario>,
    pub board: Board,
    pub control: watch::Receiver<Control>,
    pub fanout: Arc<Fanout>,
    pub counters: Arc<Counters>,
    pub connect_gate: Arc<Semaphore>,
}

/// One scheduler's part in the run.
#[derive(Clone, Debug)]
pub struct ClientSpec {
    pub idx: usize,
    pub tenant_idx: usize,
    pub studio: Arc<Studio>,
    pub view: Option<View>,
    /// Artists this scheduler books (its board).
    pub artists: Vec<ArtistId>,
    pub writer: bool,
    /// Mean gap between commands; `None`: closed loop.
    pub mean_gap: Option<Duration>,
    pub presence_hz: f64,
    pub seed: u64,
}

/// What a scheduler hands back at `Close`.
pub struct Outcome {
    pub idx: usize,
    pub tenant_idx: usize,
    pub view: Option<View>,
    pub connected: bool,
    /// Still connected when the measured part ended.
    pub open_at_end: bool,
    /// Reached its studio's fence (its view is complete and durable).
    pub converged: bool,
    pub failure: Option<String>,
    pub mirror: Mirror,
    /// Commands this scheduler saw become durable: `(cmd_id, seq)`.
    pub durable_cmds: Vec<(CmdId, u64)>,
    pub stats: Stats,
}

struct Pending {
    sent: Instant,
    measured: bool,
    op: Op,
    target: Option<BookingId>,
}

type Socket = tokio_tungstenite::WebSocketStream<MaybeTlsStream<TcpStream>>;
type Sink = futures::stream::SplitSink<Socket, Message>;

async fn send(ws: &mut Sink, f: &ClientFrame) -> Result<(), String> {
    ws.send(Message::Binary(codec::encode(f).into())).await.map_err(|e| format!("send failed: {e}"))
}

fn decode(msg: Message) -> Result<Option<ServerFrame>, String> {
    match msg {
        Message::Binary(b) => codec::decode(&b).map(Some).map_err(|e| format!("undecodable server frame: {e}")),
        Message::Close(c) => Err(format!("closed by the server: {c:?}")),
        _ => Ok(None),
    }
}

/// Runs one scheduler to the end of the run.
pub async fn run(spec: ClientSpec, sh: Shared) -> Outcome {
    let mut out = Outcome {
        idx: spec.idx,
        tenant_idx: spec.tenant_idx,
        view: spec.view.clone(),
        connected: false,
        open_at_end: false,
        converged: false,
        failure: None,
        mirror: Mirror::default(),
        durable_cmds: Vec::new(),
        stats: Stats::lean(),
    };
    let socket = {
        let _permit = sh.connect_gate.acquire().await;
        connect(&spec, &sh, &mut out).await
    };
    let socket = match socket {
        Ok(s) => s,
        Err(e) => {
            sh.counters.failed.fetch_add(1, Ordering::Relaxed);
            out.failure = Some(e);
            return out;
        }
    };
    out.connected = true;
    sh.counters.connected.fetch_add(1, Ordering::Relaxed);
    sh.counters.open.fetch_add(1, Ordering::Relaxed);
    let result = Session::new(&spec, &sh, &mut out).serve(socket).await;
    sh.counters.open.fetch_sub(1, Ordering::Relaxed);
    if let Err(e) = result {
        out.failure = Some(e);
    }
    out
}

struct Session<'a> {
    spec: &'a ClientSpec,
    sh: &'a Shared,
    out: &'a mut Outcome,
    rng: Rng,
    pending: HashMap<CmdId, Pending>,
    /// Accepted, not yet covered by a `Durable` frame: seq → (cmd, sent, measured).
    awaiting_durable: BTreeMap<u64, (CmdId, Instant, bool)>,
    busy: HashSet<BookingId>,
    durable_seq: u64,
    control: Control,
    quiet_reported: bool,
    drained_reported: bool,
}

impl<'a> Session<'a> {
    fn new(spec: &'a ClientSpec, sh: &'a Shared, out: &'a mut Outcome) -> Self {
        Self {
            spec,
            sh,
            out,
            rng: Rng::derive(spec.seed, spec.idx as u64),
            pending: HashMap::new(),
            awaiting_durable: BTreeMap::new(),
            busy: HashSet::new(),
            durable_seq: 0,
            control: Control::Connect,
            quiet_reported: false,
            drained_reported: false,
        }
    }

    fn unsettled(&self) -> usize {
        self.pending.len() + self.awaiting_durable.len()
    }

    async fn serve(mut self, socket: Socket) -> Result<(), String> {
        let (mut sink, mut stream) = socket.split();
        let mut control_rx = self.sh.control.clone();
        self.control = control_rx.borrow_and_update().clone();
        let far = Instant::now() + Duration::from_secs(365 * 24 * 3600);
        let mut next_send = far;
        let presence_every =
            (self.spec.presence_hz > 0.0).then(|| Duration::from_secs_f64(1.0 / self.spec.presence_hz));
        let mut next_presence = far;
        let mut keepalive = tokio::time::interval_at(Instant::now() + KEEPALIVE, KEEPALIVE);
        let mut nonce = 0u64;
        let s = self.sh.scenario.clone();
        // Timers are armed once, when the run starts; afterwards `far` means
        // "nothing due" (a closed-loop writer at its bound is re-armed by the
        // next answer, below the select), never "arm again", which would spin.
        let mut run_started = false;
        loop {
            if !run_started && let Control::Run { .. } = self.control {
                run_started = true;
                if self.spec.writer {
                    next_send = Instant::now() + self.gap();
                }
                if let Some(every) = presence_every {
                    next_presence = Instant::now() + every.mul_f64(self.rng.unit());
                }
            }
            tokio::select! {
                msg = stream.next() => {
                    let msg = match msg {
                        Some(Ok(m)) => m,
                        Some(Err(e)) => return Err(format!("read: {e}")),
                        None => return Err("the server closed the connection".into()),
                    };
                    if let Some(frame) = decode(msg)? {
                        self.on_frame(frame)?;
                    }
                    self.check_progress();
                }
                _ = tokio::time::sleep_until(next_send), if next_send != far => {
                    next_send = self.send_command(&mut sink, next_send, far).await?;
                }
                _ = tokio::time::sleep_until(next_presence), if next_presence != far => {
                    next_presence = self.send_presence(&mut sink, next_presence, presence_every, far).await?;
                }
                _ = keepalive.tick() => {
                    nonce += 1;
                    send(&mut sink, &ClientFrame::Ping { nonce }).await?;
                }
                changed = control_rx.changed() => {
                    if changed.is_err() {
                        return Ok(());
                    }
                    self.control = control_rx.borrow_and_update().clone();
                    match &self.control {
                        Control::Run { .. } => {}
                        Control::Close => {
                            self.out.open_at_end = true;
                            let _ = sink.send(Message::Close(None)).await;
                            return Ok(());
                        }
                        _ => {
                            next_send = far;
                            next_presence = far;
                        }
                    }
                    if matches!(self.control, Control::Quiesce) {
                        self.out.open_at_end = true;
                    }
                    self.check_progress();
                }
            }
            // A closed-loop writer whose answer just came in sends again at once.
            if self.spec.writer
                && self.spec.mean_gap.is_none()
                && next_send == far
                && matches!(self.control, Control::Run { until, .. } if Instant::now() < until)
                && self.unsettled() < s.max_outstanding
            {
                next_send = Instant::now();
            }
        }
    }

    /// A writer's turn: sends the next command unless the run is not on or
    /// too much is unsettled. Returns when the next turn is due (`far`: not
    /// until something re-arms it).
    async fn send_command(&mut self, sink: &mut Sink, mut next_send: Instant, far: Instant) -> Result<Instant, String> {
        let Control::Run { measure_from, until, .. } = self.control else {
            return Ok(far);
        };
        let s = self.sh.scenario.clone();
        let now = Instant::now();
        if now >= until {
            return Ok(far);
        }
        if self.unsettled() >= s.max_outstanding {
            if self.spec.mean_gap.is_none() {
                return Ok(far); // closed loop: the next answer re-arms it
            }
            if now >= measure_from {
                self.out.stats.skipped += 1;
            }
            return Ok(next_send + self.gap());
        }
        let choice =
            workload::next_command(&mut self.rng, &s, &self.sh.board, &self.spec.artists, &self.out.mirror, &self.busy);
        let cmd_id = CmdId::new();
        let measured = now >= measure_from;
        send(sink, &ClientFrame::Command { cmd_id, command: choice.command }).await?;
        self.sh.counters.sent.fetch_add(1, Ordering::Relaxed);
        if let Some(t) = choice.target {
            self.busy.insert(t);
        }
        if measured {
            self.out.stats.sent += 1;
            self.out.stats.by_op.entry(choice.op).or_default().sent += 1;
            self.out.stats.aimed_conflicts += u64::from(choice.aimed_conflict);
        }
        self.pending.insert(cmd_id, Pending { sent: now, measured, op: choice.op, target: choice.target });
        next_send = match self.spec.mean_gap {
            Some(_) => next_send.max(now - Duration::from_secs(1)) + self.gap(),
            None if self.unsettled() < s.max_outstanding => now,
            None => far,
        };
        Ok(next_send)
    }

    /// Moves the cursor somewhere (while the run is on). Returns when the next
    /// move is due.
    async fn send_presence(
        &mut self,
        sink: &mut Sink,
        next_presence: Instant,
        every: Option<Duration>,
        far: Instant,
    ) -> Result<Instant, String> {
        if !matches!(self.control, Control::Run { until, .. } if Instant::now() < until) {
            return Ok(far);
        }
        let x = self.rng.unit() * 2_000.0;
        let y = self.rng.unit() * 800.0;
        let state = PresenceState {
            name: Some(format!("scheduler {}", self.spec.idx)),
            cursor: Some(Cursor { x, y }),
            ..Default::default()
        };
        send(sink, &ClientFrame::Presence { sub_id: SUB_ID, state }).await?;
        self.out.stats.presence_sent += 1;
        Ok(next_presence + every.unwrap_or_default())
    }

    fn gap(&mut self) -> Duration {
        match self.spec.mean_gap {
            Some(mean) => Duration::from_secs_f64(self.rng.exp(mean.as_secs_f64()).min(60.0)),
            None => Duration::ZERO,
        }
    }

    /// Reports reaching the quiet and drained states to the run.
    fn check_progress(&mut self) {
        match &self.control {
            Control::Quiesce | Control::Drain(_)
                if self.spec.writer && !self.quiet_reported && self.pending.is_empty() =>
            {
                self.quiet_reported = true;
                self.sh.counters.quiet.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        if let Control::Drain(fences) = &self.control
            && !self.drained_reported
        {
            let fence = fences.get(&self.spec.tenant_idx).cloned().unwrap_or_default();
            let view_target = match &self.spec.view {
                None => 0,
                Some(View::Tenant) => fence.by_artist.values().copied().min().unwrap_or(0),
                Some(View::Artist { artist_id }) => fence.by_artist.get(artist_id).copied().unwrap_or(0),
                Some(View::Window { artist_ids, .. }) => {
                    artist_ids.iter().filter_map(|a| fence.by_artist.get(a)).copied().min().unwrap_or(0)
                }
                Some(View::Project { .. }) => 0,
            };
            if self.pending.is_empty()
                && self.awaiting_durable.is_empty()
                && self.out.mirror.seq >= view_target
                && self.durable_seq >= fence.max_seq
            {
                self.drained_reported = true;
                self.out.converged = true;
                self.sh.counters.drained.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn on_frame(&mut self, frame: ServerFrame) -> Result<(), String> {
        let now = Instant::now();
        match frame {
            ServerFrame::Accepted { cmd_id, seq, result } => {
                let Some(p) = self.pending.remove(&cmd_id) else { return Ok(()) };
                self.sh.counters.accepted.fetch_add(1, Ordering::Relaxed);
                if let Some(t) = p.target {
                    self.busy.remove(&t);
                }
                if p.measured {
                    self.out.stats.accepted += 1;
                    self.out.stats.by_op.entry(p.op).or_default().accepted += 1;
                    record(&mut self.out.stats.accept, micros(now - p.sent));
                }
                if self.spec.view.is_none()
                    && let pt_protocol::ws::CommandResult::Booking { booking } = result
                {
                    self.out.mirror.upsert(booking);
                }
                if seq <= self.durable_seq {
                    self.settle_durable(cmd_id, seq, p.sent, p.measured, now);
                } else {
                    self.awaiting_durable.insert(seq, (cmd_id, p.sent, p.measured));
                }
            }
            ServerFrame::Rejected { cmd_id, error } => {
                let code = error.code.to_string();
                if let Some(p) = self.pending.remove(&cmd_id) {
                    self.sh.counters.rejected.fetch_add(1, Ordering::Relaxed);
                    if let Some(t) = p.target {
                        self.busy.remove(&t);
                    }
                    if p.measured {
                        self.out.stats.rejected += 1;
                        self.out.stats.by_op.entry(p.op).or_default().rejected += 1;
                        *self.out.stats.rejections_by_op.entry(format!("{}:{code}", p.op.name())).or_default() += 1;
                        self.out.stats.error(code);
                    }
                } else if let Some(seq) =
                    self.awaiting_durable.iter().find(|(_, (c, _, _))| *c == cmd_id).map(|(s, _)| *s)
                {
                    // Accepted, then refused by the store and undone.
                    self.awaiting_durable.remove(&seq);
                    self.out.stats.reverted += 1;
                    self.out.stats.error(code);
                }
            }
            ServerFrame::Durable { durable_seq } => {
                self.durable_seq = self.durable_seq.max(durable_seq);
                let later = self.awaiting_durable.split_off(&(durable_seq + 1));
                let covered = std::mem::replace(&mut self.awaiting_durable, later);
                for (seq, (cmd_id, sent, measured)) in covered {
                    self.settle_durable(cmd_id, seq, sent, measured, now);
                }
            }
            ServerFrame::Event { event, .. } => {
                let now_wall = wall_micros();
                if event.seq <= self.out.mirror.seq {
                    self.out.stats.out_of_order += 1;
                }
                self.out.mirror.seq = self.out.mirror.seq.max(event.seq);
                if let Some(b) = event.event.booking() {
                    self.out.mirror.upsert(b.clone());
                }
                if let Some(gone) = event.event.removed_booking() {
                    self.out.mirror.remove(gone);
                }
                self.out.stats.events += 1;
                if let Control::Run { measure_from_wall, until_wall, .. } = self.control {
                    let at = event.at.micros();
                    if at >= measure_from_wall && at < until_wall {
                        record(&mut self.out.stats.delivery, (now_wall - at).max(1) as u64);
                        self.sh.fanout.record(self.spec.tenant_idx as u32, event.seq, at, now_wall);
                    }
                }
            }
            ServerFrame::PresenceDiff { .. } => self.out.stats.presence_diffs += 1,
            ServerFrame::Error { error, .. } => self.out.stats.error(format!("protocol_error:{}", error.code)),
            ServerFrame::Goodbye { code, reason } => return Err(format!("goodbye {code}: {reason}")),
            _ => {}
        }
        Ok(())
    }

    fn settle_durable(&mut self, cmd_id: CmdId, seq: u64, sent: Instant, measured: bool, now: Instant) {
        self.out.durable_cmds.push((cmd_id, seq));
        self.sh.counters.durable.fetch_add(1, Ordering::Relaxed);
        if measured {
            self.out.stats.durable_count += 1;
            record(&mut self.out.stats.durable, micros(now - sent));
        }
    }
}

/// Records into a histogram of [`Stats::lean`], making it full-sized first.
fn record(h: &mut Histogram<u64>, value: u64) {
    if h.sigfig() == 0 {
        *h = histogram();
    }
    h.saturating_record(value);
}

fn micros(d: Duration) -> u64 {
    (d.as_micros() as u64).max(1)
}
