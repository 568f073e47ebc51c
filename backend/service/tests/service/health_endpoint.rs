//! `GET /health` over real HTTP, on a server bound to a free port.

use mrdp_service::health::{self, HealthProbe};
use mrdp_service::http::{REQUEST_ID_HEADER, serve};
use mrdp_service::store::Store;
use mrdp_service::testing::each_backend;
use mrdp_shared::{HealthStatus, ServiceHealth, ServiceName};
use std::net::TcpListener;

#[tokio::test]
async fn health_endpoint_reports_the_service_and_its_store() {
    each_backend(|location| async move {
        let store = Store::connect(&location, "transfer").await.unwrap();
        let probe = HealthProbe::new(ServiceName::Transfer, store.clone());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = serve(listener, 1, move |cfg| {
            health::configure(cfg, probe.clone())
        })
        .unwrap();
        let handle = server.handle();
        tokio::spawn(server);

        let client = reqwest::Client::new();
        let response = client
            .get(format!("http://{address}/health"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let request_id = response
            .headers()
            .get(REQUEST_ID_HEADER)
            .expect("x-request-id header");
        assert!(!request_id.is_empty());
        let health: ServiceHealth = response.json().await.unwrap();
        assert_eq!(health.service, ServiceName::Transfer);
        assert_eq!(health.status, HealthStatus::Ok);
        assert_eq!(
            health.store.as_ref().map(|s| s.backend),
            Some(location.backend())
        );

        // A service whose database is gone says so, with 503, rather than pretending.
        store.close().await;
        let response = client
            .get(format!("http://{address}/health"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 503);
        let health: ServiceHealth = response.json().await.unwrap();
        assert_eq!(health.status, HealthStatus::Down);
        assert!(health.detail.is_some());

        handle.stop(true).await;
    })
    .await;
}
