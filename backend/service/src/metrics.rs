//! A service's Prometheus metrics, `GET /metrics` in the text format Prometheus reads
//! (OpenMetrics 1.0 text, by prometheus-client), when the configuration turns them on.
//!
//! Each service keeps its own registry, so that a service's `/metrics` shows that service alone,
//! in `mrdp all` as when it runs by itself. Every service has the HTTP requests it answered
//! (`mrdp_http_requests_total` by route, method and status; `mrdp_http_request_duration_seconds`
//! by route and method) and its store's connection pool (`mrdp_store_connections` by state);
//! a service adds its own work with [`Metrics::register`] and values read when scraped with
//! [`Metrics::on_scrape`].

use crate::store::Store;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpResponse, web};
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Metric, Registry};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Labels of a sample: name and value pairs.
pub type Labels = Vec<(&'static str, String)>;

type Refresh = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The media type of the text format.
const TEXT_FORMAT: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Latency buckets: 0.5 ms doubling to about 16 s.
pub fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// One service's metrics.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<Labels, Counter>,
    durations: Family<Labels, Histogram, fn() -> Histogram>,
    refreshes: Arc<Mutex<Vec<Refresh>>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// The metrics of `service` (a `service` label on every sample), its store's pool among them.
    pub fn new(service: &str, store: Option<&Store>) -> Self {
        let mut registry = Registry::with_prefix_and_labels(
            "mrdp",
            [("service".into(), service.to_owned().into())].into_iter(),
        );
        let requests = Family::<Labels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        let durations =
            Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route and method",
            durations.clone(),
        );
        let metrics = Self {
            registry: Arc::new(Mutex::new(registry)),
            requests,
            durations,
            refreshes: Arc::new(Mutex::new(Vec::new())),
        };
        if let Some(store) = store {
            metrics.watch_pool(store.clone());
        }
        metrics
    }

    /// Adds a metric of the service (its name without the `mrdp_` prefix).
    pub fn register(&self, name: &str, help: &str, metric: impl Metric) {
        if let Ok(mut registry) = self.registry.lock() {
            registry.register(name, help, metric);
        }
    }

    /// Runs `refresh` before each scrape (to read values the service keeps elsewhere, such as
    /// counts in its store).
    pub fn on_scrape<F, Fut>(&self, refresh: F)
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let refresh: Refresh = Arc::new(move || Box::pin(refresh()));
        if let Ok(mut refreshes) = self.refreshes.lock() {
            refreshes.push(refresh);
        }
    }

    /// Counts an answered request.
    pub fn record(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let route_and_method: Labels =
            vec![("route", route.to_owned()), ("method", method.to_owned())];
        let mut with_status = route_and_method.clone();
        with_status.push(("status", status.to_string()));
        self.requests.get_or_create(&with_status).inc();
        self.durations
            .get_or_create(&route_and_method)
            .observe(elapsed.as_secs_f64());
    }

    /// Everything, in the text format, once the scrape-time values are read.
    pub async fn render(&self) -> String {
        let refreshes: Vec<Refresh> = self
            .refreshes
            .lock()
            .map(|refreshes| refreshes.clone())
            .unwrap_or_default();
        for refresh in refreshes {
            refresh().await;
        }
        let mut text = String::new();
        if let Ok(registry) = self.registry.lock() {
            // Writing to a String cannot fail.
            let _ = encode(&mut text, &registry);
        }
        text
    }

    fn watch_pool(&self, store: Store) {
        let connections = Family::<Labels, Gauge>::default();
        self.register(
            "store_connections",
            "Connections of the service's store pool, by state (idle, busy) and its maximum (max)",
            connections.clone(),
        );
        let most = i64::from(store.pool().options().get_max_connections());
        self.on_scrape(move || {
            let (connections, pool) = (connections.clone(), store.pool().clone());
            async move {
                let (open, idle) = (i64::from(pool.size()), pool.num_idle() as i64);
                connections
                    .get_or_create(&vec![("state", "idle".into())])
                    .set(idle);
                connections
                    .get_or_create(&vec![("state", "busy".into())])
                    .set(open - idle);
                connections
                    .get_or_create(&vec![("state", "max".into())])
                    .set(most);
            }
        });
    }
}

/// Serves `GET /metrics` from `metrics` (and lets every request be counted in them).
pub fn configure(cfg: &mut web::ServiceConfig, metrics: &Metrics) {
    cfg.app_data(web::Data::new(metrics.clone()))
        .route("/metrics", web::get().to(scrape));
}

/// A service's routes (`configure`), after `GET /metrics` when it keeps `metrics`.
pub fn measured<F>(
    metrics: Option<&Metrics>,
    configure: F,
) -> impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static
where
    F: Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
{
    let metrics = metrics.cloned();
    move |cfg| {
        if let Some(metrics) = &metrics {
            self::configure(cfg, metrics);
        }
        configure(cfg);
    }
}

async fn scrape(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, TEXT_FORMAT))
        .body(metrics.render().await)
}

/// Records the answered `response` in the service's metrics, if it keeps them: the route's
/// pattern (not the path, so that ids make no new series), `unmatched` for no route.
pub fn count<B: MessageBody>(
    route: Option<String>,
    method: &str,
    response: &ServiceResponse<B>,
    elapsed: Duration,
) {
    if let Some(metrics) = response.request().app_data::<web::Data<Metrics>>() {
        let route = route.unwrap_or_else(|| "unmatched".to_owned());
        metrics.record(&route, method, response.status().as_u16(), elapsed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn requests_are_counted_by_route_and_a_scrape_reads_values_first() {
        let metrics = Metrics::new("portal", None);
        metrics.record("/api/datasets/{id}", "GET", 200, Duration::from_millis(3));
        metrics.record("/api/datasets/{id}", "GET", 200, Duration::from_millis(5));
        metrics.record("/api/datasets/{id}", "GET", 404, Duration::from_millis(1));
        let seen = Gauge::<i64, std::sync::atomic::AtomicI64>::default();
        metrics.register("things", "Things seen", seen.clone());
        metrics.on_scrape(move || {
            let seen = seen.clone();
            async move {
                seen.set(42);
            }
        });
        let text = metrics.render().await;
        assert!(text.contains(
            "mrdp_http_requests_total{service=\"portal\",route=\"/api/datasets/{id}\",method=\"GET\",status=\"200\"} 2"
        ), "{text}");
        assert!(text.contains("status=\"404\"} 1"), "{text}");
        assert!(text.contains(
            "mrdp_http_request_duration_seconds_count{service=\"portal\",route=\"/api/datasets/{id}\",method=\"GET\"} 3"
        ), "{text}");
        assert!(
            text.contains("mrdp_things{service=\"portal\"} 42"),
            "{text}"
        );
        assert!(text.trim_end().ends_with("# EOF"), "{text}");
    }
}
