//! The graph service's own metrics (beside the HTTP requests and the store's pool every service
//! has): jobs by status, read from the store when scraped, and the time a job's charts take to
//! draw, under `mrdp_graph_`.

use mrdp_service::metrics::{Labels, Metrics, latency_histogram};
use mrdp_service::store::Store;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;

/// The time each job's charts took to draw.
#[derive(Debug, Clone)]
pub struct Rendering(pub(crate) Histogram);

impl Default for Rendering {
    fn default() -> Self {
        Self(latency_histogram())
    }
}

/// Registers the graph service's metrics: `rendering` as the worker times it, and the jobs by
/// status read from `store` when scraped.
pub fn register(metrics: &Metrics, rendering: &Rendering, store: Store) {
    metrics.register(
        "graph_render_duration_seconds",
        "Time to draw a job's charts (SVG and PNG)",
        rendering.0.clone(),
    );
    let jobs = Family::<Labels, Gauge>::default();
    metrics.register(
        "graph_jobs",
        "Graph jobs in the store, by status",
        jobs.clone(),
    );
    metrics.on_scrape(move || {
        let (jobs, store) = (jobs.clone(), store.clone());
        async move {
            let counted: Result<Vec<(String, i64)>, _> =
                sqlx::query_as("SELECT status, COUNT(*) FROM graph_jobs GROUP BY status")
                    .fetch_all(store.pool())
                    .await;
            let Ok(counted) = counted.inspect_err(|error| {
                tracing::warn!(%error, "cannot read the graph jobs for the metrics");
            }) else {
                return;
            };
            for status in ["queued", "running", "succeeded", "failed"] {
                let count = counted
                    .iter()
                    .find(|(found, _)| found == status)
                    .map_or(0, |(_, count)| *count);
                jobs.get_or_create(&vec![("status", status.to_owned())])
                    .set(count);
            }
        }
    });
}
