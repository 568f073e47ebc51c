//! The graph service: a resource server that acts for the user with dependent tokens, fetches
//! data over HTTPS, renders graphs and writes them back with an ACL for the user.
//!
//! Served by `mrdp graph` (and `mrdp all`); its state lives in its own store.

pub mod charts;
pub mod monthly;
pub mod provenance;

use actix_web::web;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::store::{Migrations, Store};
use mrdp_shared::ServiceName;

/// This service's schema, per SQL dialect.
pub static MIGRATIONS: Migrations = mrdp_service::embed_migrations!();

/// Registers the service's routes.
pub fn configure(cfg: &mut web::ServiceConfig, store: &Store) {
    health::configure(cfg, HealthProbe::new(ServiceName::Graph, store.clone()));
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
            configure,
        )
        .await;
    }
}
