//! `GET /metrics` on every service, read by the Prometheus client's own parser (Python's
//! `prometheus_client`, in the venv), with values that move when work is done: a sign-in and an
//! app's token (grants), a transfer (files, bytes, tasks), a graph job (jobs, render time, the
//! data server's uploads), and the HTTP requests of each. Off by default: a 404.

use crate::app_tokens::{app_client, native_app, portal_token};
use crate::compat::python;
use crate::datasets::researcher;
use crate::graphs_in_portal::follow;
use crate::harness::{TestApp, workspace};
use crate::transfers::ended;
use mrdp_server::seed::collection_id;
use mrdp_service::clock::SystemClock;
use mrdp_shared::{ServiceName, StoreBackend, TransferStatus};
use serde_json::{Value, json};
use std::io::Write;
use std::process::Stdio;
use std::sync::Arc;

/// One sample: its name, its labels, its value.
pub type Sample = (String, Value, f64);

/// The samples of `service`'s `/metrics`, as the parser read them.
async fn scrape(app: &TestApp, service: ServiceName) -> Vec<Sample> {
    let url = format!("{}/metrics", app.deployment.url(service));
    samples(&app.client, &url).await
}

/// The samples of the metrics at `url`, as the parser read them.
pub async fn samples(client: &reqwest::Client, url: &str) -> Vec<Sample> {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    let mut parser = python()
        .arg(workspace().join("compat/metrics_samples.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    parser
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = parser.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{url}: {}\n{text}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let sample: Value = serde_json::from_str(line).unwrap();
            let value = sample["value"].as_f64().unwrap();
            (
                sample["name"].as_str().unwrap().to_owned(),
                sample["labels"].clone(),
                value,
            )
        })
        .collect()
}

/// The JSON answer to `POST path` with `body`.
async fn posted(app: &TestApp, api: &reqwest::Client, path: &str, body: &Value) -> Value {
    let response = api.post(app.url(path)).json(body).send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// The sum of the samples named `name` whose labels include every one of `labels`.
fn total(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|(found, held, _)| {
            found == name && labels.iter().all(|(key, value)| held[*key] == *value)
        })
        .map(|(_, _, value)| value)
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_service_reports_metrics_that_move_when_work_is_done() {
    let app = TestApp::spawn_configured(StoreBackend::Sqlite, Arc::new(SystemClock), |config| {
        config.metrics.enabled = true;
    })
    .await;
    let services = [
        ServiceName::Portal,
        ServiceName::Idp,
        ServiceName::Transfer,
        ServiceName::Data,
        ServiceName::Graph,
    ];
    let mut before = Vec::new();
    for service in services {
        before.push(scrape(&app, service).await);
    }
    // Every service names itself on every sample, and counts its store's pool.
    for (service, samples) in services.iter().zip(&before) {
        let name = mrdp_server::config::service_key(*service);
        assert!(
            samples
                .iter()
                .all(|(_, labels, _)| labels["service"] == name),
            "{name}"
        );
        let most = total(samples, "mrdp_store_connections", &[("state", "max")]);
        assert!(most >= 1.0, "{name}: {samples:?}");
    }

    let browser = researcher(&app, "alice").await;
    let notebook = native_app(&app, "metrics").await;
    let api = app_client(&portal_token(&app, &notebook, "alice").await);
    let body = json!({"datasets": ["sea"], "destination_collection": collection_id("home:alice"),
        "destination_path": "/measured/"});
    let submitted = posted(&app, &api, "/api/transfers", &body).await;
    let task = submitted["task_id"].as_str().unwrap().to_owned();
    assert_eq!(
        ended(&app, &api, &task).await.status,
        TransferStatus::Succeeded
    );
    let body = json!({"datasets": ["sea"], "from_year": 2012, "to_year": 2012});
    let job = posted(&app, &api, "/api/graphs", &body).await;
    let events = follow(&app, &api, job["id"].as_str().unwrap()).await;
    assert!(events.iter().any(|(event, _)| event == "end"), "{events:?}");
    drop(browser);
    let token_endpoint = format!("{}/v2/oauth2/token", app.deployment.url(ServiceName::Idp));
    for form in [
        vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", "made-up"),
            ("client_id", &notebook),
        ],
        vec![("grant_type", "password"), ("client_id", &notebook)],
    ] {
        let refused = app
            .client
            .post(&token_endpoint)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
    }

    let [portal, idp, transfer, data, graph] = {
        let mut after = Vec::new();
        for service in services {
            after.push(scrape(&app, service).await);
        }
        <[Vec<Sample>; 5]>::try_from(after).unwrap()
    };
    let moved = |name: &str, samples: &[Sample], index: usize, labels: &[(&str, &str)]| {
        total(samples, name, labels) - total(&before[index], name, labels)
    };
    let requests = "mrdp_http_requests_total";
    let transfers = [
        ("route", "/api/transfers"),
        ("method", "POST"),
        ("status", "202"),
    ];
    assert_eq!(moved(requests, &portal, 0, &transfers), 1.0);
    let durations = "mrdp_http_request_duration_seconds_count";
    let stream = [("route", "/api/graphs/{id}/stream")];
    assert!(moved(durations, &portal, 0, &stream) >= 1.0);
    let granted = "mrdp_idp_tokens_granted_total";
    let codes = [("grant_type", "authorization_code")];
    assert!(moved(granted, &idp, 1, &codes) >= 2.0);
    let dependent = [("grant_type", "urn:globus:auth:grant_type:dependent_token")];
    assert!(moved(granted, &idp, 1, &dependent) >= 1.0);
    let refused = "mrdp_idp_tokens_refused_total";
    let made_up = [("grant_type", "refresh_token"), ("error", "invalid_grant")];
    assert_eq!(moved(refused, &idp, 1, &made_up), 1.0);
    let unsupported = [
        ("grant_type", "unsupported"),
        ("error", "unsupported_grant_type"),
    ];
    assert_eq!(moved(refused, &idp, 1, &unsupported), 1.0);
    let copied = moved(
        "mrdp_transfer_files_total",
        &transfer,
        2,
        &[("outcome", "copied")],
    );
    assert_eq!(copied, 4.0, "sea's four years");
    let sizes: u64 = (2012..=2015)
        .map(|year| {
            let file = crate::harness::catalog_dir().join(format!("sea/{year}.csv"));
            std::fs::metadata(file).unwrap().len()
        })
        .sum();
    assert_eq!(
        moved("mrdp_transfer_bytes_total", &transfer, 2, &[]),
        sizes as f64
    );
    assert!(total(&transfer, "mrdp_transfer_tasks", &[("status", "SUCCEEDED")]) >= 1.0);
    let uploads = [("method", "PUT"), ("status", "200")];
    assert_eq!(
        moved(requests, &data, 3, &uploads),
        7.0,
        "the graph's files: three charts in SVG and PNG, and the crate"
    );
    assert_eq!(
        total(&graph, "mrdp_graph_jobs", &[("status", "succeeded")]),
        1.0
    );
    assert_eq!(
        moved("mrdp_graph_render_duration_seconds_count", &graph, 4, &[]),
        1.0
    );
    app.stop().await;

    // Off by default.
    let quiet = TestApp::spawn(StoreBackend::Sqlite).await;
    let url = format!("{}/metrics", quiet.deployment.url(ServiceName::Transfer));
    assert_eq!(quiet.client.get(&url).send().await.unwrap().status(), 404);
    quiet.stop().await;
}
