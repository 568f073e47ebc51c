//! The embedded identity provider: a Globus Auth compatible OAuth2 / OpenID Connect server.
//!
//! Served by `mrdp idp` (and `mrdp all`); its state lives in its own store.

use actix_web::web;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::store::{Migrations, Store};
use mrdp_shared::ServiceName;

/// This service's schema, per SQL dialect.
pub static MIGRATIONS: Migrations = mrdp_service::embed_migrations!();

/// Registers the service's routes.
pub fn configure(cfg: &mut web::ServiceConfig, store: &Store) {
    health::configure(cfg, HealthProbe::new(ServiceName::Idp, store.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reports_itself_and_its_migrated_store_on_both_backends() {
        mrdp_service::testing::assert_healthy_on_both_backends(
            ServiceName::Idp,
            "idp",
            &MIGRATIONS,
            configure,
        )
        .await;
    }
}
