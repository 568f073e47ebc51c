//! The portal: the backend-for-frontend of the MRDP pattern.
//!
//! It serves the single-page app and the `/api` JSON API used by the SPA and by third-party
//! developers. It talks to the identity provider, the transfer service and the graph service over
//! HTTP only, exactly as it would talk to Globus.

mod error;
mod health;
mod spa;
mod upstreams;

pub use error::PortalError;
pub use upstreams::Upstreams;

use actix_web::web;
use mrdp_service::health::HealthProbe;
use mrdp_service::store::{Migrations, Store};
use mrdp_shared::ServiceName;
use std::path::PathBuf;
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
}

impl PortalState {
    /// `dist_dir` holds the built SPA (`trunk build --release` writes `dist/`).
    pub fn new(store: Store, upstreams: Upstreams, dist_dir: PathBuf) -> Result<Self, PortalError> {
        let http = reqwest::Client::builder()
            // Never follow redirects on behalf of a request (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(PortalError::HttpClient)?;
        Ok(Self {
            store,
            http,
            upstreams,
            dist_dir,
        })
    }
}

/// Registers the portal: `/health`, the `/api` scope, then the SPA for every other path.
pub fn configure(cfg: &mut web::ServiceConfig, state: &PortalState) {
    mrdp_service::health::configure(
        cfg,
        HealthProbe::new(ServiceName::Portal, state.store.clone()),
    );
    cfg.app_data(web::Data::new(state.clone())).service(
        web::scope("/api")
            .route("/health", web::get().to(health::get_health))
            .default_service(web::to(error::unknown_api_route)),
    );
    spa::configure(cfg, &state.dist_dir);
}
