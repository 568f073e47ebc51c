//! `mrdp transfer --worker` and `mrdp graph --worker`: the work of a service without its API,
//! beside that service's processes on the same PostgreSQL database. A transfer worker is a task
//! engine, reading and writing the collections' storage as the transfer services do; a graph
//! worker carries out graph jobs, calling the identity provider and the Transfer API as the graph
//! service does. Each needs its service's configuration (the database, the data directory's
//! secrets, the upstreams, the S3 store). Both claim their work under leases
//! ([`mrdp_service::lease`]), so any number may run.

use crate::config::Config;
use crate::deployment::{Deployment, Role, open_store};
use crate::service_settings::{TransferShared, graph_settings, transfer_api};
use mrdp_graph::GraphService;
use mrdp_portal::Upstreams;
use mrdp_service::clock::SharedClock;
use mrdp_service::store::StoreLocation;

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
    match role {
        Role::TransferWorker => {
            let store = open_store(location, "transfer", &mrdp_transfer::MIGRATIONS).await?;
            deployment.stores.push(store.clone());
            let engine = transfer_api(config, upstreams, (store, clock), shared)?
                .engine()
                .with_lease(config.transfer.lease_seconds);
            deployment
                .background
                .push(tokio::spawn(engine.clone().run()));
            deployment.engines.push(engine);
        }
        Role::GraphWorker => {
            anyhow::ensure!(
                config.graph.workers >= 1,
                "graph.workers: a graph worker runs at least one job at a time"
            );
            let store = open_store(location, "graph", &mrdp_graph::MIGRATIONS).await?;
            deployment.stores.push(store.clone());
            let graph = GraphService::new(store, graph_settings(config, upstreams)?, clock)?;
            deployment
                .background
                .push(tokio::spawn(graph.clone().work()));
            deployment.graph = Some(graph);
        }
        _ => return Ok(()),
    }
    tracing::info!(?role, "worker started");
    Ok(())
}
