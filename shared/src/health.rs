//! Health documents: each service's `GET /health` and the portal's aggregated `GET /api/health`.

use serde::{Deserialize, Serialize};

/// The services that make up a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceName {
    Portal,
    Idp,
    Transfer,
    Data,
    Graph,
}

impl ServiceName {
    pub const ALL: [ServiceName; 5] = [
        Self::Portal,
        Self::Idp,
        Self::Transfer,
        Self::Data,
        Self::Graph,
    ];

    /// A human label for pages and logs.
    pub fn label(self) -> &'static str {
        match self {
            Self::Portal => "Portal",
            Self::Idp => "Identity provider",
            Self::Transfer => "Transfer service",
            Self::Data => "Data server",
            Self::Graph => "Graph service",
        }
    }
}

/// Whether a service (or the whole deployment) can do its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Degraded,
    Down,
}

impl HealthStatus {
    /// The worst of two statuses: a deployment is only as healthy as its sickest service.
    pub fn worst(self, other: Self) -> Self {
        match (self, other) {
            (Self::Down, _) | (_, Self::Down) => Self::Down,
            (Self::Degraded, _) | (_, Self::Degraded) => Self::Degraded,
            (Self::Ok, Self::Ok) => Self::Ok,
        }
    }
}

/// Which kind of database a service keeps its state in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StoreBackend {
    Sqlite,
    Postgres,
}

/// The state of a service's database as seen by the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreHealth {
    pub backend: StoreBackend,
    pub status: HealthStatus,
    /// The newest applied migration, `None` before any migration has run.
    pub schema_version: Option<i64>,
}

/// One service's health, as answered by its own `GET /health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceHealth {
    pub service: ServiceName,
    pub status: HealthStatus,
    /// The service's build version; `None` when the service could not be reached.
    pub version: Option<String>,
    /// Why the status is not `ok`, in words fit for an operator.
    pub detail: Option<String>,
    pub store: Option<StoreHealth>,
    /// How long the probe took, in milliseconds (set by the portal when it aggregates).
    pub latency_ms: Option<u64>,
}

impl ServiceHealth {
    /// A service that did not answer its health probe.
    pub fn unreachable(service: ServiceName, detail: impl Into<String>) -> Self {
        Self {
            service,
            status: HealthStatus::Down,
            version: None,
            detail: Some(detail.into()),
            store: None,
            latency_ms: None,
        }
    }
}

/// The portal's `GET /api/health`: every service of the deployment, and the overall status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthReport {
    pub status: HealthStatus,
    pub services: Vec<ServiceHealth>,
}

impl HealthReport {
    /// Builds the report; the overall status is the worst of the services'.
    pub fn from_services(services: Vec<ServiceHealth>) -> Self {
        let status = services
            .iter()
            .fold(HealthStatus::Ok, |acc, s| acc.worst(s.status));
        Self { status, services }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn healthy(service: ServiceName) -> ServiceHealth {
        ServiceHealth {
            service,
            status: HealthStatus::Ok,
            version: Some("0.1.0".into()),
            detail: None,
            store: Some(StoreHealth {
                backend: StoreBackend::Sqlite,
                status: HealthStatus::Ok,
                schema_version: Some(1),
            }),
            latency_ms: Some(3),
        }
    }

    #[test]
    fn report_status_is_the_worst_service_status() {
        let all_ok = HealthReport::from_services(ServiceName::ALL.map(healthy).to_vec());
        assert_eq!(all_ok.status, HealthStatus::Ok);

        let mut services = ServiceName::ALL.map(healthy).to_vec();
        services[2].status = HealthStatus::Degraded;
        assert_eq!(
            HealthReport::from_services(services.clone()).status,
            HealthStatus::Degraded
        );

        services[4] = ServiceHealth::unreachable(ServiceName::Graph, "connection refused");
        assert_eq!(
            HealthReport::from_services(services).status,
            HealthStatus::Down
        );
    }

    #[test]
    fn empty_report_is_ok() {
        assert_eq!(HealthReport::from_services(vec![]).status, HealthStatus::Ok);
    }

    #[test]
    fn service_health_wire_format_is_stable() {
        let json = serde_json::to_value(healthy(ServiceName::Idp)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "service": "idp",
                "status": "ok",
                "version": "0.1.0",
                "detail": null,
                "store": {"backend": "sqlite", "status": "ok", "schema_version": 1},
                "latency_ms": 3
            })
        );
        let back: ServiceHealth = serde_json::from_value(json).unwrap();
        assert_eq!(back, healthy(ServiceName::Idp));
    }
}
