//! The embedded transfer service (Globus Transfer API v0.10 compatible) and its data server.
//!
//! Two HTTP services share one store: the Transfer API (`mrdp transfer`, port base+2) and the
//! HTTPS data server that reads and writes collection files (port base+3).

pub mod access;
pub mod access_rules;
pub mod collections;
pub mod data_server;
pub mod paths;
pub mod storage;

use actix_web::web;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::store::{Migrations, Store};
use mrdp_shared::ServiceName;

/// The transfer service's schema, per SQL dialect (the data server shares it).
pub static MIGRATIONS: Migrations = mrdp_service::embed_migrations!();

/// Registers the Transfer API routes.
pub fn configure(cfg: &mut web::ServiceConfig, store: &Store) {
    health::configure(cfg, HealthProbe::new(ServiceName::Transfer, store.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_itself_and_its_migrated_store_on_both_backends() {
        mrdp_service::testing::assert_healthy_on_both_backends(
            ServiceName::Transfer,
            "transfer",
            &MIGRATIONS,
            configure,
        )
        .await;
    }
}
