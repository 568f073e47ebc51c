//! `GET /api/health` aggregates every service's own health over HTTP.

use crate::harness::TestApp;
use mrdp_service::http::REQUEST_ID_HEADER;
use mrdp_shared::{HealthReport, HealthStatus, ServiceName, StoreBackend};

#[tokio::test]
async fn every_service_reports_ok_with_its_store_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/api/health").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        let report: HealthReport = response.json().await.unwrap();

        assert_eq!(report.status, HealthStatus::Ok, "{report:?}");
        let names: Vec<ServiceName> = report.services.iter().map(|s| s.service).collect();
        assert_eq!(names, ServiceName::ALL);
        for service in &report.services {
            let store = service
                .store
                .as_ref()
                .expect("every service reports its store");
            assert_eq!(
                (store.backend, store.status),
                (backend, HealthStatus::Ok),
                "{service:?}"
            );
            assert!(store.schema_version.is_some_and(|v| v >= 1), "{service:?}");
            assert_eq!(service.version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
        }
        // Upstream services are probed over HTTP, so their latency is measured.
        assert!(report.services[1..].iter().all(|s| s.latency_ms.is_some()));
        app.stop().await;
    }
}

#[tokio::test]
async fn a_stopped_service_is_reported_down_and_the_others_still_answer() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    app.deployment.stop_service(ServiceName::Graph).await;

    let report: HealthReport = app.get("/api/health").await.json().await.unwrap();
    assert_eq!(report.status, HealthStatus::Down);
    let graph = report
        .services
        .iter()
        .find(|s| s.service == ServiceName::Graph)
        .unwrap();
    assert_eq!(graph.status, HealthStatus::Down);
    assert_eq!(graph.detail.as_deref(), Some("connection refused"));
    let others_ok = report
        .services
        .iter()
        .filter(|s| s.service != ServiceName::Graph)
        .all(|s| s.status == HealthStatus::Ok);
    assert!(others_ok, "{report:?}");
    app.stop().await;
}

#[tokio::test]
async fn every_response_carries_its_own_request_id() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let mut ids = Vec::new();
    for path in ["/api/health", "/", "/api/nope"] {
        let response = app.get(path).await;
        let id = response
            .headers()
            .get(REQUEST_ID_HEADER)
            .expect("x-request-id")
            .to_str()
            .unwrap()
            .to_owned();
        assert!(!id.is_empty());
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "request ids repeat: {ids:?}");
    app.stop().await;
}
