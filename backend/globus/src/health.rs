//! Probing a service's `GET /health` over HTTP.

use mrdp_shared::{ServiceHealth, ServiceName};
use std::time::{Duration, Instant};

/// How long a health probe may take before the service counts as down.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Asks the service at `base_url` for its health. Never fails: a service that does not answer,
/// answers garbage or names another service is reported `down`, with the reason.
pub async fn probe(
    client: &reqwest::Client,
    service: ServiceName,
    base_url: &str,
) -> ServiceHealth {
    let url = format!("{}/health", base_url.trim_end_matches('/'));
    let started = Instant::now();
    let answer = async {
        let response = client.get(&url).timeout(PROBE_TIMEOUT).send().await?;
        // 503 carries a health document too: read the body whatever the status.
        response.json::<ServiceHealth>().await
    }
    .await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match answer {
        Ok(health) if health.service == service => ServiceHealth {
            latency_ms: Some(latency_ms),
            ..health
        },
        Ok(health) => ServiceHealth::unreachable(
            service,
            format!(
                "the address answers as the {} instead",
                health.service.label()
            ),
        ),
        Err(e) => {
            tracing::warn!(?service, error = %e, "health probe failed");
            ServiceHealth::unreachable(service, describe(&e))
        }
    }
}

/// A short, operator-readable reason that names no internals.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        format!("no answer within {} s", PROBE_TIMEOUT.as_secs())
    } else if error.is_connect() {
        "connection refused".to_owned()
    } else if error.is_decode() {
        "the answer is not a health document".to_owned()
    } else {
        "the health probe failed".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{App, HttpResponse, HttpServer, web};
    use mrdp_shared::HealthStatus;

    /// A real HTTP server on a free port that answers `/health` with `body`.
    async fn server_answering(body: &'static str) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = HttpServer::new(move || {
            App::new().route(
                "/health",
                web::get().to(move || async move {
                    HttpResponse::Ok()
                        .content_type("application/json")
                        .body(body)
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        format!("http://{address}")
    }

    const IDP_OK: &str = r#"{"service":"idp","status":"ok","version":"0.1.0","detail":null,"store":null,"latency_ms":null}"#;

    #[tokio::test]
    async fn healthy_service_is_reported_with_latency() {
        let url = server_answering(IDP_OK).await;
        let health = probe(&reqwest::Client::new(), ServiceName::Idp, &url).await;
        assert_eq!(health.status, HealthStatus::Ok);
        assert!(health.latency_ms.is_some());
    }

    #[tokio::test]
    async fn service_answering_as_another_is_down() {
        let url = server_answering(IDP_OK).await;
        let health = probe(&reqwest::Client::new(), ServiceName::Graph, &url).await;
        assert_eq!(health.status, HealthStatus::Down);
        assert_eq!(health.service, ServiceName::Graph);
    }

    #[tokio::test]
    async fn garbage_answer_is_down() {
        let url = server_answering("<html>hello</html>").await;
        let health = probe(&reqwest::Client::new(), ServiceName::Idp, &url).await;
        assert_eq!(health.status, HealthStatus::Down);
        assert_eq!(
            health.detail.as_deref(),
            Some("the answer is not a health document")
        );
    }

    #[tokio::test]
    async fn closed_port_is_down() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let health = probe(
            &reqwest::Client::new(),
            ServiceName::Data,
            &format!("http://{address}"),
        )
        .await;
        assert_eq!(health.status, HealthStatus::Down);
        assert_eq!(health.detail.as_deref(), Some("connection refused"));
    }
}
