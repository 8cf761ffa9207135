//! The tenant registry: tenant id → active [`Tenant`], started lazily on first
//! use. The only process-wide table; everything else belongs to one tenant.

use crate::command::CommandError;
use crate::log::{LogActor, LogArgs, events_channel};
use crate::routes::Routes;
use crate::store::Store;
use crate::tenant::Tenant;
use crate::tenant_actor::{TenantActor, TenantArgs};
use crate::writer::{Writer, WriterConfig};
use dashmap::DashMap;
use pt_protocol::TenantId;
use pt_protocol::time::MICROS_PER_HOUR;
use ractor::Actor;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell, mpsc, watch};

#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// How long a hold lives when the request gives no `expiresAt`.
    pub default_hold_micros: i64,
    /// Events accepted but not yet durable, per tenant, before `overloaded`.
    pub max_in_flight: u64,
    pub writer: WriterConfig,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self { default_hold_micros: 48 * MICROS_PER_HOUR, max_in_flight: 20_000, writer: WriterConfig::default() }
    }
}

pub struct Registry {
    store: Arc<dyn Store>,
    config: EngineConfig,
    tenants: DashMap<TenantId, Arc<OnceCell<Arc<Tenant>>>>,
}

impl Registry {
    pub fn new(store: Arc<dyn Store>, config: EngineConfig) -> Self {
        Self { store, config, tenants: DashMap::new() }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The active tenant, activating it from the store on first use.
    pub async fn tenant(&self, id: TenantId) -> Result<Arc<Tenant>, CommandError> {
        for _ in 0..2 {
            // Clone the cell out so no map guard is held across the activation await.
            let cell = self.tenants.entry(id).or_default().value().clone();
            let tenant = cell.get_or_try_init(|| self.activate(id)).await?.clone();
            if tenant.is_alive() {
                return Ok(tenant);
            }
            // The tenant actor stopped (a decision panicked: a bug, logged where it
            // happened). Flush what it accepted, then start over from the store.
            tracing::warn!(tenant = %id, "tenant actor is gone; reactivating from the store");
            self.tenants.remove_if(&id, |_, c| Arc::ptr_eq(c, &cell));
            tenant.shutdown().await;
        }
        Err(CommandError::Unavailable(format!("tenant {id} keeps failing to start")))
    }

    async fn activate(&self, id: TenantId) -> Result<Arc<Tenant>, CommandError> {
        let started = std::time::Instant::now();
        let unavailable = |e: crate::store::StoreError| CommandError::Unavailable(e.to_string());
        self.store.ensure_tenant(id, &format!("Studio {id}")).await.map_err(unavailable)?;
        let state = self.store.load_tenant(id).await.map_err(unavailable)?;
        let (artists, bookings) = (state.artists.len(), state.bookings.len());
        let (durable_tx, durable_rx) = watch::channel(state.last_seq);
        let (writer_tx, writer_rx) = mpsc::unbounded_channel();
        let events = events_channel();
        let internal = |e: ractor::SpawnErr| CommandError::Internal(format!("cannot start tenant {id}: {e}"));
        let (log, _) = Actor::spawn(
            None,
            LogActor,
            LogArgs {
                tenant: id,
                last_seq: state.last_seq,
                writer_tx,
                durable: durable_rx.clone(),
                events_tx: events.clone(),
                capacity: self.config.max_in_flight,
            },
        )
        .await
        .map_err(internal)?;
        let routes = Arc::new(Routes::default());
        let (actor, _) = Actor::spawn(
            None,
            TenantActor,
            TenantArgs {
                tenant: id,
                artists: state.artists,
                bookings: state.bookings,
                routes: routes.clone(),
                log: log.clone(),
                durable: durable_rx.clone(),
                default_hold_micros: self.config.default_hold_micros,
            },
        )
        .await
        .map_err(internal)?;
        let writer = Writer {
            tenant: id,
            store: self.store.clone(),
            config: self.config.writer.clone(),
            durable: durable_tx,
            tenant_actor: actor.clone(),
            log: log.clone(),
        };
        let writer = tokio::spawn(writer.run(writer_rx));
        tracing::info!(tenant = %id, artists, bookings, last_seq = state.last_seq,
            ms = started.elapsed().as_millis() as u64, "tenant activated");
        Ok(Arc::new(Tenant {
            id,
            actor,
            log,
            routes,
            durable: durable_rx,
            events,
            store: self.store.clone(),
            writer: Mutex::new(Some(writer)),
        }))
    }

    /// Flushes and stops every active tenant.
    pub async fn shutdown(&self) {
        let active: Vec<Arc<Tenant>> = self.tenants.iter().filter_map(|e| e.value().get().cloned()).collect();
        for t in active {
            t.shutdown().await;
            tracing::info!(tenant = %t.id, durable_seq = t.durable_seq(), "tenant flushed and stopped");
        }
    }
}
