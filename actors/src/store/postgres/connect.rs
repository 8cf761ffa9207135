//! Connecting the PostgreSQL store: the owner URL checked, the pool of the
//! runtime role set up, and (for a server) migrated and checked.

use super::*;

/// How long a caller waits for a pooled connection (or for a new one to be
/// established) before the store reports itself unavailable.
const POOL_WAIT: Duration = Duration::from_secs(10);

impl PgStore {
    /// [`PgStore::connect_with`] the runtime login of the environment
    /// ([`AppLogin::from_env`]): `url` with its user replaced by `pt_app`,
    /// unless `PT_APP_DATABASE_URL` or `PT_APP_DATABASE_PASSWORD` say more.
    pub async fn connect(url: &str, pool_size: u32) -> Result<PgStore, StoreError> {
        Self::connect_with(url, &AppLogin::from_env(), pool_size).await
    }

    /// Checks that the owner URL `url` answers (a wrong URL or a dead server
    /// fails here with its real error) and sets up a pool of at most
    /// `pool_size` connections that log in as `app`'s role. The pool connects
    /// lazily (before [`Store::migrate`] that role may not exist yet) and
    /// checks every connection it makes ([`runtime`]). Does not migrate.
    pub async fn connect_with(url: &str, app: &AppLogin, pool_size: u32) -> Result<PgStore, StoreError> {
        let owner = runtime::parse_url(url, "database URL")?;
        let app_config = runtime::app_config(&owner, app)?;
        let app_user: Arc<str> = app_config.get_user().unwrap_or(APP_ROLE).into();
        drop(owner_connection(&owner).await?);
        let manager = AppManager::new(app_config);
        let last_error = LastConnectError::default();
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(POOL_WAIT)
            .error_sink(Box::new(last_error.clone()))
            .build_unchecked(manager.clone());
        Ok(PgStore { pool, manager, app_user, owner: Arc::new(owner), last_error })
    }

    /// What a server starts with: connects, applies the migrations (as the
    /// owner), then logs in as the runtime role, refusing it — with an error
    /// that names the role and the fix — if it is a superuser, has
    /// `BYPASSRLS`, belongs to such a role or owns a tenant table.
    pub async fn open(url: &str, app: &AppLogin, pool_size: u32) -> Result<PgStore, StoreError> {
        let store = Self::connect_with(url, app, pool_size).await?;
        store.migrate().await?;
        let client = store.manager.connect().await.map_err(|e| e.into_store_error(&store.app_user))?;
        let _ = store.pool.add(client);
        tracing::info!(role = %store.app_user, "PostgreSQL runtime role checked: row-level security binds it");
        Ok(store)
    }

    /// The role of the pool's sessions, as PostgreSQL sees it.
    pub async fn runtime_role(&self) -> Result<SessionRole, StoreError> {
        let conn = self.conn().await?;
        SessionRole::of(&conn).await.map_err(map_pg)
    }

    /// The login name of the runtime role.
    pub fn app_user(&self) -> &str {
        &self.app_user
    }
}

/// A connection as the owner URL's role (migrations), outside the pool.
pub(super) async fn owner_connection(config: &tokio_postgres::Config) -> Result<tokio_postgres::Client, StoreError> {
    let (client, connection) = config.connect(NoTls).await.map_err(map_pg)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "owner connection ended");
        }
    });
    Ok(client)
}
