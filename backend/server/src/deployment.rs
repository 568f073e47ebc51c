//! Starting services: bind their listeners, open and migrate their stores, serve them.
//!
//! Every listener is bound before any service starts, so that with `port_base = 0` (free ports)
//! the portal already knows where the others listen, and nothing polls for readiness.

use crate::config::{Config, service_key};
pub use crate::role::Role;
use crate::service_settings::{
    data_server, graph_settings, portal_public_url, portal_settings, transfer_api, transfer_shared,
};
use crate::service_urls::{issuer_of, resolve_urls, upstreams_of, url_of};
use actix_web::dev::ServerHandle;
use anyhow::Context;
use mrdp_graph::GraphService;
use mrdp_graph::worker::PURGE_EVERY as GRAPH_PURGE_EVERY;
use mrdp_idp::bootstrap::{self, DemoCredentials};
use mrdp_idp::{IdpSettings, IdpState};
use mrdp_portal::PortalState;
use mrdp_portal::auth::purge::PURGE_EVERY;
use mrdp_portal::auth::settings::ProviderKind;
use mrdp_portal::catalog::live::CHECK_EVERY as CATALOG_CHECK_EVERY;
use mrdp_service::clock::{SharedClock, SystemClock};
use mrdp_service::forwarded::{TrustedProxies, trusting};
use mrdp_service::metrics::{Metrics, measured};
use mrdp_service::store::{Migrations, Store, StoreLocation};
use mrdp_shared::ServiceName;
use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use tokio::task::JoinSet;

/// How often the data server looks for the files of interrupted uploads.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// How long a stopping engine waits for its tasks to stop before it gives up their leases.
const ENGINE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// Every store of a deployment: the schema it lives in and its migrations.
pub static SCHEMAS: [(&str, &Migrations); 4] = [
    ("portal", &mrdp_portal::MIGRATIONS),
    ("idp", &mrdp_idp::MIGRATIONS),
    ("transfer", &mrdp_transfer::MIGRATIONS),
    ("graph", &mrdp_graph::MIGRATIONS),
];

/// The store a service uses: the data server shares the transfer service's.
fn schema_of(service: ServiceName) -> (&'static str, &'static Migrations) {
    let schema = match service {
        ServiceName::Data => "transfer",
        other => service_key(other),
    };
    SCHEMAS
        .iter()
        .copied()
        .find(|(name, _)| *name == schema)
        .unwrap_or(SCHEMAS[0])
}

/// Running services and what they hold.
#[derive(Debug)]
pub struct Deployment {
    pub(crate) urls: Vec<(ServiceName, String)>,
    pub(crate) servers: Vec<(ServiceName, ServerHandle)>,
    pub(crate) tasks: JoinSet<std::io::Result<()>>,
    /// Work that runs beside the servers (the transfer task engine, the data server's sweep of
    /// temporary files a crash left, the portal's and the identity provider's purges of what
    /// expired); stopped with them.
    pub(crate) background: Vec<tokio::task::JoinHandle<()>>,
    /// The transfer task engines this process runs, stopped gracefully (their leases given up).
    pub(crate) engines: Vec<mrdp_transfer::engine::Engine>,
    pub(crate) stores: Vec<Store>,
    demo: DemoCredentials,
    portal: Option<PortalState>,
    pub(crate) graph: Option<GraphService>,
}

impl Deployment {
    /// Starts the services of `role`; returns once every one of them accepts connections.
    pub async fn start(config: &Config, role: Role) -> anyhow::Result<Self> {
        Self::start_with_clock(config, role, Arc::new(SystemClock)).await
    }

    /// [`Deployment::start`] with the services reading time from `clock` (tests move it).
    pub async fn start_with_clock(
        config: &Config,
        role: Role,
        clock: SharedClock,
    ) -> anyhow::Result<Self> {
        crate::data_dir::prepare(&config.data_dir)?;
        let location = StoreLocation::from_config(config.database_url.as_ref(), &config.data_dir)
            .context("database_url")?;
        let mut listeners = Vec::new();
        for &service in role.services() {
            let address = SocketAddr::new(config.bind_address, config.port(service));
            let listener = TcpListener::bind(address)
                .with_context(|| format!("{}: cannot listen on {address}", service_key(service)))?;
            listeners.push((service, listener));
        }
        let data_tls = config.data.tls()?;
        let urls = resolve_urls(config, &listeners)?;
        // The identity provider first: its first start registers the clients the portal uses.
        listeners.sort_by_key(|(service, _)| *service != ServiceName::Idp);
        let upstreams = upstreams_of(&urls);

        let mut deployment = Self {
            urls,
            servers: Vec::new(),
            tasks: JoinSet::new(),
            background: Vec::new(),
            engines: Vec::new(),
            stores: Vec::new(),
            demo: DemoCredentials::default(),
            portal: None,
            graph: None,
        };
        let mut stores: HashMap<&str, Store> = HashMap::new();
        let workers = config.workers;
        let secrets_dir = config.data_dir.join("secrets");
        let idp_issuer = issuer_of(config, &deployment.urls);
        let transfer_shared = transfer_shared(config);
        let proxies = config.proxies()?;
        for (service, listener) in listeners {
            let (schema, migrations) = schema_of(service);
            let store = match stores.get(schema) {
                Some(store) => store.clone(),
                None => {
                    let store = open_store(&location, schema, migrations).await?;
                    stores.insert(schema, store.clone());
                    deployment.stores.push(store.clone());
                    store
                }
            };
            let metrics = config
                .metrics
                .enabled
                .then(|| Metrics::new(service_key(service), Some(&store)));
            let server = match service {
                ServiceName::Portal => {
                    let settings =
                        portal_settings(config, &deployment.urls, &upstreams, &idp_issuer)?;
                    let state = PortalState::new(store, settings, clock.clone())?;
                    state.load_catalog().await.context("load the catalog")?;
                    let catalog = state.clone().keep_catalog_current(CATALOG_CHECK_EVERY);
                    deployment.background.push(tokio::spawn(catalog));
                    deployment.portal = Some(state.clone());
                    let purge = state.clone().purge_expired_every(PURGE_EVERY);
                    deployment.background.push(tokio::spawn(purge));
                    served(
                        listener,
                        (workers, &proxies),
                        metrics.as_ref(),
                        move |cfg| mrdp_portal::configure(cfg, &state),
                    )
                }
                ServiceName::Idp => {
                    let issuer = idp_issuer.clone();
                    let settings = IdpSettings {
                        access_token_lifetime: config.idp.access_token_lifetime,
                        refresh_token_lifetime: config.idp.refresh_token_lifetime,
                        ..IdpSettings::new(issuer, secrets_dir.clone())
                    };
                    let state = IdpState::start(store, settings, clock.clone())
                        .await
                        .context("start the identity provider")?;
                    if role == Role::All {
                        let callback = format!(
                            "{}/api/auth/callback",
                            portal_public_url(config, &deployment.urls)
                        );
                        deployment.demo = bootstrap::ensure_embedded(
                            state.store(),
                            clock.now(),
                            &config.data_dir,
                            &callback,
                        )
                        .await
                        .context("register the embedded deployment's clients and demo users")?;
                    }
                    if let Some(metrics) = &metrics {
                        state.grants.register(metrics);
                    }
                    let purge =
                        mrdp_idp::purge::purge_every(state.clone(), mrdp_idp::purge::PURGE_EVERY);
                    deployment.background.push(tokio::spawn(purge));
                    served(
                        listener,
                        (workers, &proxies),
                        metrics.as_ref(),
                        move |cfg| mrdp_idp::configure(cfg, &state),
                    )
                }
                ServiceName::Transfer => {
                    let shared = transfer_shared.clone();
                    let kept = (store.clone(), clock.clone());
                    let api = transfer_api(config, &upstreams, (store, clock.clone()), shared)?;
                    if let Some(metrics) = &metrics {
                        let moved = api.engine().moved().clone();
                        mrdp_transfer::metrics::register(metrics, &moved, kept.0, kept.1);
                    }
                    if config.transfer.engine {
                        let engine = api.engine().with_lease(config.transfer.lease_seconds);
                        deployment
                            .background
                            .push(tokio::spawn(engine.clone().run()));
                        deployment.engines.push(engine);
                    }
                    served(
                        listener,
                        (workers, &proxies),
                        metrics.as_ref(),
                        move |cfg| mrdp_transfer::api::configure(cfg, &api),
                    )
                }
                ServiceName::Data => {
                    let shared = transfer_shared.clone();
                    let portal_url = url_of(&deployment.urls, ServiceName::Portal);
                    let urls = (&upstreams, portal_url.as_str());
                    let server = data_server(config, urls, (store, clock.clone()), shared)?;
                    let sweep = server.clone().sweep_temporary_files(SWEEP_EVERY);
                    deployment.background.push(tokio::spawn(sweep));
                    let tls = data_tls.clone();
                    mrdp_transfer::data_server::serve(listener, workers, tls, (server, metrics))
                }
                ServiceName::Graph => {
                    let settings = graph_settings(config, &upstreams)?;
                    let graph = GraphService::new(store.clone(), settings, clock.clone())?;
                    if let Some(metrics) = &metrics {
                        mrdp_graph::metrics::register(metrics, &graph.rendering, store);
                    }
                    deployment.graph = Some(graph.clone());
                    deployment
                        .background
                        .push(tokio::spawn(graph.clone().work()));
                    let purge = graph.clone().purge_every(GRAPH_PURGE_EVERY);
                    deployment.background.push(tokio::spawn(purge));
                    served(
                        listener,
                        (workers, &proxies),
                        metrics.as_ref(),
                        move |cfg| mrdp_graph::configure(cfg, &graph),
                    )
                }
            }
            .with_context(|| format!("start the {} service", service_key(service)))?;
            deployment.servers.push((service, server.handle()));
            deployment.tasks.spawn(server);
        }
        if role.worker_of().is_some() {
            let shared = (config, &upstreams, transfer_shared);
            crate::workers::start(&mut deployment, role, shared, &location, clock.clone()).await?;
        }
        if role == Role::All
            && let (Some(idp), Some(transfer)) = (stores.get("idp"), stores.get("transfer"))
        {
            crate::seed::embedded_collections(config, idp, transfer, clock.now())
                .await
                .context("make the embedded deployment's collections")?;
            if let Some(portal) = &deployment.portal
                && config.auth.provider == ProviderKind::Embedded
            {
                crate::seed::demo_catalog(config, portal, clock.now())
                    .await
                    .context("import the demo catalog")?;
            }
        }
        Ok(deployment)
    }

    /// The portal, when this deployment runs it.
    pub fn portal(&self) -> Option<&PortalState> {
        self.portal.as_ref()
    }

    /// The graph service, when this deployment runs it.
    pub fn graph(&self) -> Option<&GraphService> {
        self.graph.as_ref()
    }

    /// The base URL of a service this deployment runs or calls.
    pub fn url(&self, service: ServiceName) -> &str {
        self.urls
            .iter()
            .find(|(s, _)| *s == service)
            .map_or("", |(_, url)| url.as_str())
    }

    /// The demo sign-ins this start created (first run of `mrdp all` only).
    pub fn demo_credentials(&self) -> &DemoCredentials {
        &self.demo
    }

    /// The services this process runs, with their URLs.
    pub fn running(&self) -> impl Iterator<Item = (ServiceName, &str)> {
        self.servers
            .iter()
            .map(|(service, _)| (*service, self.url(*service)))
    }

    /// Stops one service (the others go on), as a crash of that service would.
    pub async fn stop_service(&self, service: ServiceName) {
        for (_, handle) in self.servers.iter().filter(|(s, _)| *s == service) {
            handle.stop(true).await;
        }
    }

    /// Waits until a server stops by itself; returns its error, if it had one. Without a server
    /// (a worker), it waits for ever.
    pub async fn any_server_exit(&mut self) -> anyhow::Result<()> {
        if self.tasks.is_empty() {
            std::future::pending::<()>().await;
        }
        match self.tasks.join_next().await {
            Some(Ok(Ok(()))) | None => Ok(()),
            Some(Ok(Err(e))) => Err(e).context("a server failed"),
            Some(Err(e)) => Err(e).context("a server task failed"),
        }
    }

    /// Stops every service gracefully (in-flight requests finish) and closes the stores.
    pub async fn stop(mut self) {
        for (_, handle) in &self.servers {
            handle.stop(true).await;
        }
        for work in &self.background {
            work.abort();
        }
        for engine in &self.engines {
            engine.stop(ENGINE_PATIENCE).await;
        }
        if let Some(graph) = &self.graph {
            graph.give_up_jobs().await;
        }
        while self.tasks.join_next().await.is_some() {}
        for store in &self.stores {
            store.close().await;
        }
    }
}

/// Serves `configure` on `listener` with `workers` threads, its requests measured into `metrics`
/// and its clients known through `proxies`.
fn served<F>(
    listener: TcpListener,
    (workers, proxies): (usize, &TrustedProxies),
    metrics: Option<&Metrics>,
    configure: F,
) -> std::io::Result<actix_web::dev::Server>
where
    F: Fn(&mut actix_web::web::ServiceConfig) + Send + Clone + 'static,
{
    let configure = trusting(proxies.clone(), measured(metrics, configure));
    mrdp_service::http::serve(listener, workers, configure)
}

/// Opens the store of `schema` and brings it to its newest migration.
pub async fn open_store(
    location: &StoreLocation,
    schema: &str,
    migrations: &Migrations,
) -> anyhow::Result<Store> {
    let store = Store::connect(location, schema)
        .await
        .with_context(|| format!("open the {schema} store"))?;
    store
        .migrate(migrations)
        .await
        .with_context(|| format!("migrate the {schema} store"))?;
    Ok(store)
}

/// The portal of this configuration, for a command that acts as it (`mrdp portal catalog …`)
/// while the services run, here or elsewhere.
pub async fn portal_for_command(config: &Config) -> anyhow::Result<PortalState> {
    let location = StoreLocation::from_config(config.database_url.as_ref(), &config.data_dir)
        .context("database_url")?;
    let store = open_store(&location, "portal", &mrdp_portal::MIGRATIONS).await?;
    let urls = resolve_urls(config, &[])?;
    let settings = portal_settings(
        config,
        &urls,
        &upstreams_of(&urls),
        &issuer_of(config, &urls),
    )?;
    Ok(PortalState::new(store, settings, Arc::new(SystemClock))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_server_shares_the_transfer_store() {
        assert_eq!(schema_of(ServiceName::Data).0, "transfer");
        for service in ServiceName::ALL {
            let (schema, _) = schema_of(service);
            assert!(SCHEMAS.iter().any(|(name, _)| *name == schema));
        }
    }
}
