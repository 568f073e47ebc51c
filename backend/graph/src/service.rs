//! The graph service's settings and the state its routes and its worker share.

use crate::catalog::Catalog;
use crate::metrics::Rendering;
use crate::service_tokens::ServiceTokens;
use mrdp_globus::introspection::Introspector;
use mrdp_service::clock::SharedClock;
use mrdp_service::store::Store;
use mrdp_service::vault::VaultKey;
use std::sync::Arc;
use tokio::sync::Notify;

/// Results are kept this long unless configured otherwise (seven days).
pub const DEFAULT_RESULTS_LIFETIME: i64 = 7 * 24 * 3600;

/// What the service is started with.
#[derive(Debug, Clone)]
pub struct GraphSettings {
    /// The identity provider's base URL.
    pub idp: String,
    /// The Transfer API's base URL (without `/v0.10`).
    pub transfer: String,
    /// This service's client at the provider (it speaks for the service's resource server).
    pub client_id: String,
    pub client_secret: String,
    /// The scope researchers' tokens must carry.
    pub scope: String,
    pub catalog: Catalog,
    /// The collection the datasets' folders are in.
    pub catalog_collection: String,
    /// The service's own collection its results go to.
    pub results_collection: String,
    /// Seconds a job's results are kept.
    pub results_lifetime: i64,
    /// Seals the dependent tokens a queued job keeps.
    pub vault_key: VaultKey,
    /// Jobs run at once by this process (0: it only takes requests; other processes run them).
    pub workers: usize,
    /// Seconds this process's lease on a job it carries out lasts (renewed while it works).
    pub lease_seconds: i64,
}

/// The service: cheap to clone, shared by the routes and the worker.
#[derive(Debug, Clone)]
pub struct GraphService {
    pub(crate) store: Store,
    pub(crate) clock: SharedClock,
    pub(crate) settings: Arc<GraphSettings>,
    /// Introspects researchers' tokens and obtains tokens, as the service's client.
    pub(crate) provider: Arc<Introspector>,
    pub(crate) http: reqwest::Client,
    pub(crate) tokens: Arc<ServiceTokens>,
    /// Wakes the worker when a job is queued.
    pub(crate) wake: Arc<Notify>,
    /// This process's name in the leases its worker holds.
    pub(crate) worker: Arc<str>,
    /// How long jobs took to draw, for the metrics.
    pub rendering: Rendering,
}

impl GraphService {
    pub fn new(
        store: Store,
        settings: GraphSettings,
        clock: SharedClock,
    ) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()?;
        let provider = Introspector::new(
            http.clone(),
            &settings.idp,
            settings.client_id.clone(),
            settings.client_secret.clone(),
        );
        Ok(Self {
            store,
            clock,
            settings: Arc::new(settings),
            provider: Arc::new(provider),
            http,
            tokens: Arc::default(),
            wake: Arc::default(),
            worker: uuid::Uuid::new_v4().to_string().into(),
            rendering: Rendering::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
