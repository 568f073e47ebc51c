//! The data server: HTTPS access to collection files (`GET`/`PUT {https_server}/{path}`).

use actix_web::web;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::store::Store;
use mrdp_shared::ServiceName;

/// Registers the data server's routes.
pub fn configure(cfg: &mut web::ServiceConfig, store: &Store) {
    health::configure(cfg, HealthProbe::new(ServiceName::Data, store.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrdp_service::testing::served_health;
    use mrdp_shared::{HealthStatus, StoreBackend};

    #[tokio::test]
    async fn data_server_answers_as_itself_over_the_transfer_store() {
        let health = served_health(
            StoreBackend::Sqlite,
            "transfer",
            &crate::MIGRATIONS,
            configure,
        )
        .await;
        assert_eq!(
            (health.service, health.status),
            (ServiceName::Data, HealthStatus::Ok)
        );
    }
}
