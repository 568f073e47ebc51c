//! The graph service: a resource server that acts for the user with dependent tokens, fetches
//! data over HTTPS, renders graphs and writes them back with an ACL for the user.
//!
//! Served by `mrdp graph` (and `mrdp all`); its state lives in its own store.
//!
//! - [`api`]: `POST/GET/DELETE /api/graphs`, for the researcher the bearer token acts for;
//! - [`catalog`]: the datasets it graphs, and how a request is checked against them;
//! - [`worker`] and `work`: jobs carried out under a lease, resumed after a restart;
//! - [`charts`], [`monthly`], [`drawing`]: what is drawn, from what;
//! - [`provenance`]: each job's RO-Crate.

pub mod api;
mod caller;
pub mod catalog;
pub mod charts;
mod delegation;
pub mod drawing;
mod errors;
mod inputs;
pub mod jobs;
pub mod metrics;
pub mod monthly;
pub mod provenance;
mod results;
mod service;
mod service_tokens;
mod transfer_calls;
mod work;
pub mod worker;

pub use service::{DEFAULT_RESULTS_LIFETIME, GraphService, GraphSettings};

use actix_web::web;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::store::Migrations;
use mrdp_shared::ServiceName;

/// This service's schema, per SQL dialect.
pub static MIGRATIONS: Migrations = mrdp_service::embed_migrations!();

/// Registers the service's routes: `/health` and the graph API.
pub fn configure(cfg: &mut web::ServiceConfig, service: &GraphService) {
    health::configure(
        cfg,
        HealthProbe::new(ServiceName::Graph, service.store().clone()),
    );
    cfg.app_data(web::Data::new(service.clone()))
        .configure(api::configure);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_itself_and_its_migrated_store_on_both_backends() {
        mrdp_service::testing::assert_healthy_on_both_backends(
            ServiceName::Graph,
            "graph",
            &MIGRATIONS,
            |cfg, store| {
                health::configure(cfg, HealthProbe::new(ServiceName::Graph, store.clone()))
            },
        )
        .await;
    }
}
