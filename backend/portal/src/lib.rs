//! The portal: the backend-for-frontend of the MRDP pattern.
//!
//! It serves the single-page app and the `/api` JSON API used by the SPA and by third-party
//! developers. It talks to the identity provider, the transfer service and the graph service over
//! HTTP only, exactly as it would talk to Globus.

pub mod api_version;
mod apps;
pub mod auth;
pub mod catalog;
mod conditional;
mod cors;
pub mod data_links;
mod error;
pub mod graphs;
mod header_limits;
mod health;
pub mod openapi;
pub mod paging;
pub mod rate_limits;
mod spa;
mod sse;
pub mod transfer_client;
pub mod transfers;
mod upstreams;

pub use cors::is_origin;
pub use error::PortalError;
pub use upstreams::Upstreams;

use actix_web::middleware::from_fn;
use actix_web::web;
use auth::grants::RefreshLocks;
use auth::provider::Provider;
use auth::session::SessionLifetimes;
use auth::settings::AuthSettings;
use mrdp_service::clock::SharedClock;
use mrdp_service::health::HealthProbe;
use mrdp_service::store::{Migrations, Store};
use mrdp_service::vault::VaultKey;
use mrdp_shared::ServiceName;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The portal's schema, per SQL dialect.
pub static MIGRATIONS: Migrations = mrdp_service::embed_migrations!();

/// Everything the portal's handlers share.
#[derive(Debug, Clone)]
pub struct PortalState {
    store: Store,
    http: reqwest::Client,
    upstreams: Upstreams,
    dist_dir: PathBuf,
    provider: Arc<Provider>,
    refresh_locks: Arc<RefreshLocks>,
    vault_key: VaultKey,
    clock: SharedClock,
    session_lifetimes: SessionLifetimes,
    /// The portal's own base URL, as browsers reach it.
    public_url: String,
    secure_cookies: bool,
    /// The collection whose folders are the catalog's datasets.
    catalog_collection: String,
    /// The graph service's resource server (its researchers' tokens are filed under it).
    graph_resource_server: Option<String>,
    catalog: Arc<catalog::live::LiveCatalog>,
    sessions: Arc<auth::session_cache::SessionCache>,
    /// The pollers of the tasks researchers watch.
    task_watchers: Arc<transfers::watchers::TaskWatchers>,
    /// Origins whose pages may call the API from a browser (CORS), besides the portal's own.
    allowed_origins: Arc<[String]>,
    rate_limits: Arc<rate_limits::RateLimits>,
    /// Checks apps' bearer tokens at the provider (made at first use).
    introspector: Arc<tokio::sync::OnceCell<mrdp_globus::introspection::Introspector>>,
}

/// What the portal is started with.
#[derive(Debug, Clone)]
pub struct PortalSettings {
    pub upstreams: Upstreams,
    /// The built single-page app (`trunk build --release` writes `dist/`).
    pub dist_dir: PathBuf,
    pub auth: AuthSettings,
    pub vault_key: VaultKey,
    pub session_lifetimes: SessionLifetimes,
    pub public_url: String,
    /// The collection whose folders are the catalog's datasets.
    pub catalog_collection: String,
    /// The graph service's resource server; `None`: no graph service.
    pub graph_resource_server: Option<String>,
    /// Origins whose pages may call the API from a browser, with credentials (CORS).
    pub cors_allowed_origins: Vec<String>,
    pub rate_limits: rate_limits::RateLimitSettings,
}

impl PortalState {
    pub fn new(
        store: Store,
        settings: PortalSettings,
        clock: SharedClock,
    ) -> Result<Self, PortalError> {
        let http = reqwest::Client::builder()
            // Never follow redirects on behalf of a request (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(PortalError::HttpClient)?;
        let provider = Arc::new(Provider::new(settings.auth, http.clone()));
        let rate_limits = rate_limits::RateLimits::new(settings.rate_limits, Arc::clone(&clock));
        Ok(Self {
            store,
            http,
            upstreams: settings.upstreams,
            dist_dir: settings.dist_dir,
            provider,
            refresh_locks: Arc::default(),
            vault_key: settings.vault_key,
            clock,
            session_lifetimes: settings.session_lifetimes,
            secure_cookies: settings.public_url.starts_with("https://"),
            public_url: settings.public_url,
            catalog_collection: settings.catalog_collection,
            graph_resource_server: settings.graph_resource_server,
            catalog: Arc::new(catalog::live::LiveCatalog::empty()?),
            sessions: Arc::default(),
            task_watchers: Arc::default(),
            allowed_origins: settings.cors_allowed_origins.into(),
            rate_limits: Arc::new(rate_limits),
            introspector: Arc::default(),
        })
    }
}

impl PortalState {
    /// Whether pages of `origin` may change things with the session cookie: the portal's own
    /// public origin, or one the configuration lists.
    fn accepts_origin(&self, origin: &str) -> bool {
        self.public_url.trim_end_matches('/') == origin
            || self.allowed_origins.iter().any(|allowed| allowed == origin)
    }
}

/// Registers the portal: `/health`, the `/api` scope, then the SPA for every other path.
pub fn configure(cfg: &mut web::ServiceConfig, state: &PortalState) {
    mrdp_service::health::configure(
        cfg,
        HealthProbe::new(ServiceName::Portal, state.store.clone()),
    );
    let bad_json = |e: actix_web::error::JsonPayloadError, _: &actix_web::HttpRequest| {
        use actix_web::error::JsonPayloadError::{Overflow, OverflowKnownLength};
        match e {
            Overflow { limit } | OverflowKnownLength { limit, .. } => PortalError::PayloadTooLarge(
                format!("the body is larger than the {limit} bytes this route takes"),
            ),
            e => PortalError::BadRequest(format!("malformed JSON body: {e}")),
        }
        .into()
    };
    let bad_query = |e: actix_web::error::QueryPayloadError, _: &actix_web::HttpRequest| {
        PortalError::BadRequest(format!("malformed query: {e}")).into()
    };
    cfg.app_data(web::Data::new(state.clone()))
        .app_data(
            web::JsonConfig::default()
                .limit(64 * 1024)
                .error_handler(bad_json),
        )
        .app_data(web::QueryConfig::default().error_handler(bad_query))
        .service(
            web::scope("/api")
                .configure(auth::configure)
                .configure(catalog::routes::configure)
                .configure(transfers::routes::configure)
                .configure(transfers::collections::configure)
                .configure(transfers::downloads::configure)
                .configure(transfers::shares::configure)
                .configure(graphs::routes::configure)
                .configure(apps::configure)
                .configure(openapi::configure)
                .route("/health", web::get().to(health::get_health))
                .default_service(web::to(error::unknown_api_route))
                .wrap(from_fn(auth::csrf::require_csrf_header))
                .wrap(from_fn(rate_limits::limit))
                .wrap(from_fn(header_limits::refuse_oversized))
                .wrap(cors::middleware(&state.allowed_origins))
                .wrap(from_fn(api_version::speak_version)),
        );
    cfg.route(
        "/datasets/{id}",
        web::get().to(catalog::json_ld::landing_page),
    );
    spa::configure(cfg);
}
