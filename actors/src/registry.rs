//! The tenant registry: tenant id → active [`Tenant`], started lazily on first
//! use and passivated when idle. The only process-wide table; everything else
//! belongs to one tenant.
//!
//! Each tenant has a slot guarded by an async RwLock. Activation,
//! passivation and recovery take the write lock, so a tenant is never loaded
//! from the store while a previous incarnation is still flushing its writes:
//! that would rebuild a calendar without the bookings still in flight.

use crate::command::CommandError;
use crate::domain::StudioSettings;
use crate::inbox_actor::{InboxActor, InboxArgs};
use crate::log::{LogActor, LogArgs};
use crate::owners::Owners;
use crate::presence::PresenceActor;
use crate::project_actor::{ProjectActor, ProjectArgs};
use crate::store::Store;
use crate::tenant::Tenant;
use crate::tenant_actor::{TenantActor, TenantArgs};
use crate::view::ViewActor;
use crate::writer::{Writer, WriterConfig};
use dashmap::DashMap;
use pt_protocol::{TenantId, Timestamp};
use ractor::Actor;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::{Mutex, RwLock, mpsc, watch};

#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Events accepted but not yet durable, per tenant, before `overloaded`.
    pub max_in_flight: u64,
    pub writer: WriterConfig,
    /// Recent events kept in memory for resuming realtime clients (at least
    /// `max_in_flight + 1`, so older ones are always in the store).
    pub view_tail: usize,
    /// Events a realtime session may fall behind the studio's broadcast
    /// before it is cut off as a slow consumer.
    pub view_broadcast: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            max_in_flight: 20_000,
            writer: WriterConfig::default(),
            view_tail: crate::view::TAIL,
            view_broadcast: crate::view::BROADCAST,
        }
    }
}

#[derive(Default)]
struct Slot {
    tenant: RwLock<Option<Arc<Tenant>>>,
    /// Last use, micros since the epoch.
    last_used: AtomicI64,
}

impl Slot {
    fn touch(&self) {
        self.last_used.store(Timestamp::now().micros(), Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        let idle = Timestamp::now().micros() - self.last_used.load(Ordering::Relaxed);
        Duration::from_micros(idle.max(0) as u64)
    }
}

pub struct Registry {
    store: Arc<dyn Store>,
    config: EngineConfig,
    tenants: DashMap<TenantId, Arc<Slot>>,
}

impl Registry {
    pub fn new(store: Arc<dyn Store>, config: EngineConfig) -> Self {
        Self { store, config, tenants: DashMap::new() }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The tenant if it is active now (never activates one).
    pub fn active(&self, id: TenantId) -> Option<Arc<Tenant>> {
        let slot = self.tenants.get(&id)?.value().clone();
        let guard = slot.tenant.try_read().ok()?;
        guard.as_ref().filter(|t| t.is_alive()).cloned()
    }

    /// The ids of the studios with a slot (active or not).
    pub fn active_ids(&self) -> Vec<TenantId> {
        self.tenants.iter().map(|e| *e.key()).collect()
    }

    /// The active tenant, activating it from the store on first use.
    pub async fn tenant(&self, id: TenantId) -> Result<Arc<Tenant>, CommandError> {
        // Clone the slot out so no map guard is held across an await.
        let slot = self.tenants.entry(id).or_default().value().clone();
        slot.touch();
        if let Some(t) = slot.tenant.read().await.as_ref().filter(|t| t.is_alive()) {
            return Ok(t.clone());
        }
        let mut guard = slot.tenant.write().await;
        if let Some(t) = guard.as_ref() {
            if t.is_alive() {
                return Ok(t.clone());
            }
            // The tenant actor stopped (a decision panicked: a bug, logged where it
            // happened). Flush what it accepted, then start over from the store.
            tracing::warn!(tenant = %id, "tenant actor is gone; reactivating from the store");
            t.shutdown().await;
            *guard = None;
        }
        let t = self.activate(id).await?;
        *guard = Some(t.clone());
        Ok(t)
    }

    /// Active tenants right now.
    pub async fn active_count(&self) -> usize {
        let slots: Vec<Arc<Slot>> = self.tenants.iter().map(|e| e.value().clone()).collect();
        let mut n = 0;
        for s in slots {
            n += usize::from(s.tenant.read().await.is_some());
        }
        n
    }

    /// Flushes and stops tenants unused for `idle`, unless a request holds them.
    /// Returns how many were passivated. Their next use reactivates them from
    /// the store (overdue holds expire then).
    pub async fn passivate_idle(&self, idle: Duration) -> usize {
        let slots: Vec<(TenantId, Arc<Slot>)> = self.tenants.iter().map(|e| (*e.key(), e.value().clone())).collect();
        let mut passivated = 0;
        for (id, slot) in slots {
            if slot.idle_for() < idle {
                continue;
            }
            let Ok(mut guard) = slot.tenant.try_write() else { continue };
            // Only the slot holds it: no request is using it right now.
            let Some(t) = guard.as_ref().filter(|t| Arc::strong_count(t) == 1) else { continue };
            t.shutdown().await;
            tracing::info!(tenant = %id, durable_seq = t.durable_seq(), "idle tenant passivated");
            *guard = None;
            passivated += 1;
        }
        passivated
    }

    /// Passivates idle tenants every `every`, until the registry is dropped.
    pub fn spawn_passivation(self: &Arc<Self>, idle: Duration, every: Duration) {
        let weak: Weak<Self> = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(registry) = weak.upgrade() else { break };
                registry.passivate_idle(idle).await;
            }
        });
    }

    async fn activate(&self, id: TenantId) -> Result<Arc<Tenant>, CommandError> {
        let started = std::time::Instant::now();
        let unavailable = |e: crate::store::StoreError| CommandError::Unavailable(e.to_string());
        self.store.ensure_tenant(id, &format!("Studio {id}")).await.map_err(unavailable)?;
        // The studio's settings: the tenant actor owns them from here on.
        let studio = self.store.studio(id).await.map_err(unavailable)?;
        let studio = studio.ok_or_else(|| CommandError::Internal(format!("studio {id} has no settings row")))?;
        let (settings_tx, settings) = watch::channel(Arc::new(StudioSettings::from_row(&studio)));
        let state = self.store.load_tenant(id).await.map_err(unavailable)?;
        let snapshot_seq = self.store.snapshot_seq(id).await.map_err(unavailable)?;
        // After load_tenant (which waits out a previous process's last COMMIT).
        let known_cmds: dashmap::DashSet<pt_protocol::CmdId> =
            self.store.command_ids(id).await.map_err(unavailable)?.into_iter().collect();
        let load_ms = started.elapsed().as_millis() as u64;
        let (artists, bookings) = (state.artists.len(), state.bookings.len());
        let (durable_tx, durable_rx) = watch::channel(state.last_seq);
        let (writer_tx, writer_rx) = mpsc::unbounded_channel();
        let internal = |e: ractor::SpawnErr| CommandError::Internal(format!("cannot start tenant {id}: {e}"));
        let tail = self.config.view_tail.max(self.config.max_in_flight as usize + 1);
        // One copy of each booking, shared by its artist's actor and the view.
        let mut state = state;
        let shared = share_bookings(std::mem::take(&mut state.bookings));
        let view_args = (state.clone(), shared.clone(), tail, self.config.view_broadcast);
        let (view, _) = Actor::spawn(None, ViewActor, view_args).await.map_err(internal)?;
        let (presence, _) = Actor::spawn(None, PresenceActor, ()).await.map_err(internal)?;
        let (log, _) = Actor::spawn(
            None,
            LogActor,
            LogArgs {
                tenant: id,
                last_seq: state.last_seq,
                writer_tx,
                durable: durable_rx.clone(),
                view: view.clone(),
                capacity: self.config.max_in_flight,
            },
        )
        .await
        .map_err(internal)?;
        let owners = Arc::new(Owners::default());
        owners.load_links(self.store.as_ref(), id).await.map_err(unavailable)?;
        for (user, prefs) in self.store.all_preferences(id).await.map_err(unavailable)? {
            owners.prefs.insert(user, Arc::new(prefs));
        }
        let two_days_ago = pt_protocol::Timestamp::now().plus_micros(-2 * 86_400_000_000);
        for reminder in self.store.reminder_ids(id, two_days_ago).await.map_err(unavailable)? {
            owners.reminded.insert(reminder);
        }
        let last_seq = state.last_seq;
        let (actor, _) = Actor::spawn(
            None,
            TenantActor,
            TenantArgs {
                tenant: id,
                artists: state.artists,
                bookings: shared,
                owners: owners.clone(),
                log: log.clone(),
                durable: durable_rx.clone(),
                settings: settings_tx,
            },
        )
        .await
        .map_err(internal)?;
        let projects =
            crate::domain::project::Projects::load(state.projects, state.phases, state.dependencies, state.milestones);
        let (project_actor, _) = Actor::spawn_linked(
            None,
            ProjectActor,
            ProjectArgs { projects, log: log.clone(), durable: durable_rx.clone(), settings: settings.clone() },
            actor.get_cell(),
        )
        .await
        .map_err(internal)?;
        let _ = owners.projects.set(project_actor);
        let inbox_args =
            InboxArgs { tenant: id, store: self.store.clone(), log: log.clone(), durable: durable_rx.clone() };
        let (inbox, _) = Actor::spawn_linked(None, InboxActor, inbox_args, actor.get_cell()).await.map_err(internal)?;
        let _ = owners.inbox.set(inbox);
        let jobs_args = crate::jobs_actor::JobsArgs {
            tenant: id,
            store: self.store.clone(),
            log: log.clone(),
            durable: durable_rx.clone(),
            owners: owners.clone(),
        };
        let (jobs, _) = Actor::spawn_linked(None, crate::jobs_actor::JobsActor, jobs_args, actor.get_cell())
            .await
            .map_err(internal)?;
        let _ = owners.jobs.set(jobs);
        let writer = Writer {
            tenant: id,
            store: self.store.clone(),
            config: self.config.writer.clone(),
            durable: durable_tx,
            reverts: actor.get_derived(),
            log: log.clone(),
            unsnapshotted: last_seq.saturating_sub(snapshot_seq),
        };
        let writer = tokio::spawn(writer.run(writer_rx));
        release_freed_memory();
        tracing::info!(tenant = %id, artists, bookings, last_seq, snapshot_seq, load_ms,
            ms = started.elapsed().as_millis() as u64, "tenant activated");
        Ok(Arc::new(Tenant {
            id,
            actor,
            log,
            owners,
            durable: durable_rx,
            view,
            presence,
            store: self.store.clone(),
            known_cmds,
            settings,
            settings_update: Mutex::new(()),
            writer: Mutex::new(Some(writer)),
        }))
    }

    /// Flushes and stops every active tenant.
    pub async fn shutdown(&self) {
        let slots: Vec<Arc<Slot>> = self.tenants.iter().map(|e| e.value().clone()).collect();
        for slot in slots {
            let mut guard = slot.tenant.write().await;
            if let Some(t) = guard.take() {
                t.shutdown().await;
                tracing::info!(tenant = %t.id, durable_seq = t.durable_seq(), "tenant flushed and stopped");
            }
        }
    }
}

/// Hands the heap's free pages back to the system. Activation decodes the
/// snapshot, reads the log's tail and copies the state into the view before
/// the artists' actors take theirs: hundreds of MB for a large studio, most
/// of it freed at once, which glibc would otherwise keep resident
/// (`pt-loadtest --activation-memory` measures what stays).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The loaded bookings as the shared copies the artist actors and the view
/// hold, with one `Arc<str>` per distinct `createdBy`/`updatedBy` (a studio
/// has few: its users and sessions), where loading made one per row.
fn share_bookings(bookings: Vec<pt_protocol::Booking>) -> Vec<Arc<pt_protocol::Booking>> {
    let mut labels: std::collections::HashSet<Arc<str>> = std::collections::HashSet::new();
    let mut intern = |label: &mut Arc<str>| match labels.get(&**label) {
        Some(known) => *label = Arc::clone(known),
        None => {
            labels.insert(Arc::clone(label));
        }
    };
    bookings
        .into_iter()
        .map(|mut b| {
            intern(&mut b.created_by);
            intern(&mut b.updated_by);
            Arc::new(b)
        })
        .collect()
}
