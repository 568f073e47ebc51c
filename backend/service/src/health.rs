//! `GET /health`: the service's own view of itself and of its store.

use crate::store::Store;
use actix_web::{HttpResponse, web};
use mrdp_shared::{HealthStatus, ServiceHealth, ServiceName};

/// What a service's health endpoint reports on.
#[derive(Debug, Clone)]
pub struct HealthProbe {
    service: ServiceName,
    store: Store,
}

impl HealthProbe {
    pub fn new(service: ServiceName, store: Store) -> Self {
        Self { service, store }
    }

    /// Probes the store and builds the service's health document.
    pub async fn check(&self) -> ServiceHealth {
        let store = self.store.health().await;
        let (status, detail) = match store.status {
            HealthStatus::Ok => (HealthStatus::Ok, None),
            other => (
                other,
                Some("the service's database does not answer".to_owned()),
            ),
        };
        ServiceHealth {
            service: self.service,
            status,
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            detail,
            store: Some(store),
            latency_ms: None,
        }
    }
}

/// Where every service answers its health.
pub const PATH: &str = "/health";

/// Registers `GET /health` for the service described by `probe`.
pub fn configure(cfg: &mut web::ServiceConfig, probe: HealthProbe) {
    cfg.app_data(web::Data::new(probe))
        .route(PATH, web::get().to(get_health));
}

/// 200 with the health document when the service can work, 503 with the same document when not.
async fn get_health(probe: web::Data<HealthProbe>) -> HttpResponse {
    let health = probe.check().await;
    match health.status {
        HealthStatus::Ok | HealthStatus::Degraded => HttpResponse::Ok().json(health),
        HealthStatus::Down => HttpResponse::ServiceUnavailable().json(health),
    }
}
