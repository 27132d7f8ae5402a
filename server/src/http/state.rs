//! [`AppState`]: what every handler may use of the server — accounts, the
//! store, the sequencer, metrics, presence, the open sync connections and
//! the settings of the HTTP edge. Built once in `main` and cloned per
//! request (every field is shared).

use std::sync::Arc;

use tokio::sync::watch;

use crate::assets;
use crate::auth::Auth;
use crate::backups::Backups;
use crate::client_address::TrustedProxies;
use crate::metrics::{Metrics, MetricsAccess};
use crate::presence::Presence;
use crate::store::Store;
use crate::sync::Hub;

#[derive(Clone)]
pub struct AppState {
    pub auth: Arc<Auth>,
    pub store: Store,
    pub hub: Hub,
    pub metrics: Arc<Metrics>,
    pub(super) presence: Arc<Presence>,
    /// Open sync connections per person, to bound what one account can hold.
    pub(super) connections: crate::ws::Connections,
    pub(super) allowed_origins: Arc<Vec<String>>,
    pub(super) shutdown: watch::Receiver<bool>,
    /// What one sync connection may do.
    pub(super) limits: crate::ws::ConnectionLimits,
    /// The build the app shell, service worker and `/api/version` announce.
    pub(super) build: Arc<assets::Build>,
    /// Whose `X-Forwarded-For` names the client.
    pub(super) trusted_proxies: Arc<TrustedProxies>,
    pub(super) metrics_access: Arc<MetricsAccess>,
    /// The automatic backups and how they went.
    pub(super) backups: Arc<Backups>,
}

impl AppState {
    pub fn new(
        auth: Arc<Auth>,
        store: Store,
        hub: Hub,
        metrics: Arc<Metrics>,
        allowed_origins: Vec<String>,
        shutdown: watch::Receiver<bool>,
        limits: crate::ws::ConnectionLimits,
    ) -> Self {
        let allowed_origins = allowed_origins
            .into_iter()
            .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
            .filter(|o| !o.is_empty())
            .collect();
        let backups = Arc::new(Backups::off(metrics.clone()));
        let connections = crate::ws::Connections::new(metrics.clone());
        Self {
            auth,
            store,
            hub,
            metrics,
            presence: Arc::default(),
            connections,
            allowed_origins: Arc::new(allowed_origins),
            shutdown,
            limits,
            build: Arc::new(assets::Build::new(None)),
            trusted_proxies: Arc::default(),
            metrics_access: Arc::new(MetricsAccess::new(None)),
            backups,
        }
    }

    /// Believes `X-Forwarded-For` from these proxies (see `--trusted-proxies`).
    pub fn with_trusted_proxies(mut self, proxies: Arc<TrustedProxies>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// Serves `/metrics` also to requests with this bearer token.
    pub fn with_metrics_access(mut self, access: MetricsAccess) -> Self {
        self.metrics_access = Arc::new(access);
        self
    }

    /// Whose `X-Forwarded-For` names the client (see [`crate::client_address`]).
    pub fn trusted_proxies(&self) -> &TrustedProxies {
        &self.trusted_proxies
    }

    /// Origins besides the server's own whose pages may act with a session.
    pub fn allowed_origins(&self) -> &[String] {
        &self.allowed_origins
    }

    /// Shows these automatic backups to the secretariat.
    pub fn with_backups(mut self, backups: Arc<Backups>) -> Self {
        self.backups = backups;
        self
    }

    /// Serves `build` instead of the embedded one as it is (see `--build-salt`).
    pub fn with_build(mut self, build: assets::Build) -> Self {
        self.build = Arc::new(build);
        self
    }
}
