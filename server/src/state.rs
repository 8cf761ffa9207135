//! [`AppState`]: what every handler and realtime session shares — the
//! tenant registry, the store, authentication, edge configuration and the
//! shutdown signal.

use crate::{auth, edge};
use pt_actors::Registry;
use pt_actors::store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Largest request body accepted (bookings and artists are small).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub registry: Arc<Registry>,
    pub store: Arc<dyn Store>,
    /// How long shutdown may spend flushing accepted changes to the store.
    pub shutdown_grace: Duration,
    /// Becomes true when the server starts shutting down: realtime sessions
    /// say goodbye and close.
    pub closing: tokio::sync::watch::Receiver<bool>,
    /// Rate limits, CORS origins: read once when [`crate::app`] is built.
    pub edge: edge::EdgeConfig,
    /// Authentication: every request's and every WebSocket's bearer token.
    pub auth: Arc<auth::service::AuthService>,
    /// The built web app served at `/` (`None`: a page saying how to build it).
    pub web_dir: Option<std::path::PathBuf>,
    pub(crate) closing_tx: Arc<tokio::sync::watch::Sender<bool>>,
}

/// Default for [`AppState::shutdown_grace`].
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

impl AppState {
    /// A state with a fresh random token-signing key (tokens die with the
    /// process) and production password hashing; `main` configures both.
    pub fn new(registry: Arc<Registry>, store: Arc<dyn Store>) -> Self {
        let auth = auth::service::AuthService::new(
            store.clone(),
            auth::tokens::AccessTokens::random(),
            auth::password::PasswordHasher::new(),
        );
        Self::with_auth(registry, store, Arc::new(auth))
    }

    pub fn with_auth(registry: Arc<Registry>, store: Arc<dyn Store>, auth: Arc<auth::service::AuthService>) -> Self {
        let (tx, closing) = tokio::sync::watch::channel(false);
        follow_memberships(registry.clone(), auth.membership_changes());
        Self {
            registry,
            store,
            auth,
            shutdown_grace: SHUTDOWN_GRACE,
            closing,
            edge: edge::EdgeConfig::default(),
            web_dir: None,
            closing_tx: Arc::new(tx),
        }
    }
}

impl AppState {
    /// A membership of `tenant` changed: an active studio re-reads who is
    /// linked to which artist before the request answers (so the next
    /// booking already tells the right freelancer). Failures are logged;
    /// the broadcast follower tries again.
    pub async fn memberships_changed(&self, tenant: pt_protocol::TenantId) {
        if let Some(t) = self.registry.active(tenant)
            && let Err(e) = t.reload_links().await
        {
            tracing::warn!(%tenant, error = %e, "cannot re-read the studio's linked artists");
        }
    }
}

/// Keeps each active studio's artist → linked user map (the notification
/// rules' recipients) current as memberships change.
fn follow_memberships(registry: Arc<Registry>, mut changes: tokio::sync::broadcast::Receiver<pt_protocol::TenantId>) {
    use tokio::sync::broadcast::error::RecvError;
    tokio::spawn(async move {
        loop {
            let tenants = match changes.recv().await {
                Ok(tenant) => vec![tenant],
                Err(RecvError::Lagged(_)) => registry.active_ids(),
                Err(RecvError::Closed) => return,
            };
            for tenant in tenants {
                if let Some(t) = registry.active(tenant)
                    && let Err(e) = t.reload_links().await
                {
                    tracing::warn!(%tenant, error = %e, "cannot re-read the studio's linked artists");
                }
            }
        }
    });
}
