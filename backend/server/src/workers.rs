//! `mrdp transfer --worker` and `mrdp graph --worker`: the work of a service without its API,
//! beside that service's processes on the same PostgreSQL database. A transfer worker is a task
//! engine, reading and writing the collections' storage as the transfer services do; a graph
//! worker carries out graph jobs, calling the identity provider and the Transfer API as the graph
//! service does. Each needs its service's configuration (the database, the data directory's
//! secrets, the upstreams, the S3 store). Both claim their work under leases
//! ([`mrdp_service::lease`]), so any number may run. With `metrics.enabled`, a worker serves
//! `GET /metrics` and `GET /health` on its service's port.

use crate::config::Config;
use crate::deployment::{Deployment, Role, open_store};
use crate::service_settings::{TransferShared, graph_settings, transfer_api};
use crate::service_urls::base_url;
use anyhow::Context;
use mrdp_graph::GraphService;
use mrdp_portal::Upstreams;
use mrdp_service::clock::SharedClock;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::metrics::{Metrics, measured};
use mrdp_service::store::Store;
use mrdp_service::store::StoreLocation;
use mrdp_shared::ServiceName;
use std::net::{SocketAddr, TcpListener};

/// Starts the worker of `role` (a transfer or graph worker) into `deployment`, which stops it
/// gracefully, on its migrated store at `location`.
pub async fn start(
    deployment: &mut Deployment,
    role: Role,
    (config, upstreams, shared): (&Config, &Upstreams, TransferShared),
    location: &StoreLocation,
    clock: SharedClock,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        config.database_url.is_some(),
        "a worker shares its service's PostgreSQL database: set database_url"
    );
    let enabled = config.metrics.enabled;
    let (service, store, metrics) = match role {
        Role::TransferWorker => {
            let store = open_store(location, "transfer", &mrdp_transfer::MIGRATIONS).await?;
            deployment.stores.push(store.clone());
            let kept = (store.clone(), clock.clone());
            let engine = transfer_api(config, upstreams, (store.clone(), clock), shared)?
                .engine()
                .with_lease(config.transfer.lease_seconds);
            let metrics = enabled.then(|| Metrics::new("transfer", Some(&store)));
            if let Some(metrics) = &metrics {
                mrdp_transfer::metrics::register(metrics, engine.moved(), kept.0, kept.1);
            }
            deployment
                .background
                .push(tokio::spawn(engine.clone().run()));
            deployment.engines.push(engine);
            (ServiceName::Transfer, store, metrics)
        }
        Role::GraphWorker => {
            anyhow::ensure!(
                config.graph.workers >= 1,
                "graph.workers: a graph worker runs at least one job at a time"
            );
            let store = open_store(location, "graph", &mrdp_graph::MIGRATIONS).await?;
            deployment.stores.push(store.clone());
            let settings = graph_settings(config, upstreams)?;
            let graph = GraphService::new(store.clone(), settings, clock)?;
            let metrics = enabled.then(|| Metrics::new("graph", Some(&store)));
            if let Some(metrics) = &metrics {
                mrdp_graph::metrics::register(metrics, &graph.rendering, store.clone());
            }
            deployment
                .background
                .push(tokio::spawn(graph.clone().work()));
            deployment.graph = Some(graph);
            (ServiceName::Graph, store, metrics)
        }
        _ => return Ok(()),
    };
    if let Some(metrics) = metrics {
        serve_metrics(deployment, config, (service, store), metrics)?;
    }
    tracing::info!(?role, "worker started");
    Ok(())
}

/// A worker's `GET /metrics` and `GET /health`, on its service's port (`port_base` and the
/// service's offset; a free one with `port_base = 0`), printed as that service's address.
fn serve_metrics(
    deployment: &mut Deployment,
    config: &Config,
    (service, store): (ServiceName, Store),
    metrics: Metrics,
) -> anyhow::Result<()> {
    let address = SocketAddr::new(config.bind_address, config.port(service));
    let listener = TcpListener::bind(address)
        .with_context(|| format!("the worker's metrics: cannot listen on {address}"))?;
    let url = base_url("http", listener.local_addr()?);
    let probe = HealthProbe::new(service, store);
    let routes = measured(Some(&metrics), move |cfg| {
        health::configure(cfg, probe.clone());
    });
    let server = mrdp_service::http::serve(listener, 1, routes)?;
    deployment.urls.retain(|(named, _)| *named != service);
    deployment.urls.push((service, url));
    deployment.servers.push((service, server.handle()));
    deployment.tasks.spawn(server);
    Ok(())
}
