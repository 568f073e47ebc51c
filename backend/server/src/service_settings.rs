//! What each service is started with, from the configuration: the portal's sign-in settings and
//! vault key, the data server's introspection client, the graph service's client and catalog.

use crate::auth_config::{Embedded, embedded_credentials_file};
use crate::config::Config;
use crate::service_urls::url_of;
use anyhow::Context;
use mrdp_globus::auth::collection_https_scope;
use mrdp_globus::introspection::Introspector;
use mrdp_globus::scopes::client_of_scope;
use mrdp_graph::GraphSettings;
use mrdp_graph::catalog::Catalog;
use mrdp_idp::bootstrap;
use mrdp_portal::auth::settings::ProviderKind;
use mrdp_portal::{PortalSettings, Upstreams};
use mrdp_service::clock::SharedClock;
use mrdp_service::store::Store;
use mrdp_service::vault::VaultKey;
use mrdp_shared::ServiceName;
use mrdp_transfer::api::TransferApi;
use mrdp_transfer::data_server::signed::UrlSigner;
use mrdp_transfer::data_server::{DataServer, SignedUrls};
use mrdp_transfer::judge::Judges;
use mrdp_transfer::locate::Storages;
use std::sync::Arc;

/// The portal's settings: how it signs people in, and its vault key.
pub fn portal_settings(
    config: &Config,
    urls: &[(ServiceName, String)],
    upstreams: &Upstreams,
    issuer: &str,
) -> anyhow::Result<PortalSettings> {
    let vault_key = match config.portal.configured_vault_key()? {
        Some(key) => key,
        None => {
            let path = config.data_dir.join("secrets").join("portal-vault.key");
            let key = mrdp_service::secrets::load_or_create(&path, || {
                Ok::<_, String>(VaultKey::generate())
            })?;
            VaultKey::from_bytes(&key).context("portal-vault.key must hold exactly 32 bytes")?
        }
    };
    let public_url = portal_public_url(config, urls);
    let catalog_collection = config
        .portal
        .catalog_collection
        .clone()
        .unwrap_or_else(crate::seed::catalog_id);
    let graph_client = embedded_credentials_file(&config.data_dir, bootstrap::GRAPH_CLIENT);
    let embedded_graph_scope = match bootstrap::read_credentials(&graph_client) {
        Ok(graph) => Some(bootstrap::graph_scope(&graph.client_id)),
        Err(e) if config.auth.provider == ProviderKind::Embedded => {
            tracing::warn!(error = %e, "the graph service's scope is unknown; sign-ins will not ask for it");
            None
        }
        Err(_) => None,
    };
    let graph_resource_server = match config.auth.provider {
        ProviderKind::Embedded => embedded_graph_scope.as_deref(),
        _ => config.auth.graph_scope.as_deref(),
    }
    .and_then(client_of_scope)
    .map(str::to_owned);
    let embedded = Embedded {
        issuer,
        address: &upstreams.idp,
        credentials_file: embedded_credentials_file(&config.data_dir, bootstrap::PORTAL_CLIENT),
        graph_scope: embedded_graph_scope,
        catalog_scope: collection_https_scope(&catalog_collection),
        graph_results_scope: collection_https_scope(&results_collection(config)),
    };
    Ok(PortalSettings {
        upstreams: upstreams.clone(),
        dist_dir: crate::built_in::web_app_dir(config)?,
        auth: config.auth.settings(embedded, &public_url),
        vault_key,
        session_lifetimes: config.portal.session_lifetimes(),
        public_url,
        catalog_collection,
        graph_resource_server,
        cors_allowed_origins: config.portal.cors_allowed_origins.clone(),
        rate_limits: config.portal.rate_limit,
    })
}

/// The collection the graph service writes its results to.
fn results_collection(config: &Config) -> String {
    config
        .graph
        .results_collection
        .clone()
        .unwrap_or_else(|| crate::seed::collection_id("graph-results"))
}

/// How the transfer service and the data server introspect tokens: at the identity provider, as
/// the transfer service's client.
fn introspector(config: &Config, upstreams: &Upstreams) -> anyhow::Result<Introspector> {
    let file = embedded_credentials_file(&config.data_dir, bootstrap::TRANSFER_CLIENT);
    let client = bootstrap::read_credentials(&file).with_context(|| {
        format!(
            "the transfer service introspects tokens as its client at the identity provider, \
             whose credentials are missing ({}): run `mrdp all` once to register it",
            file.display()
        )
    })?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    Ok(Introspector::new(
        http,
        &upstreams.idp,
        client.client_id,
        client.client_secret,
    ))
}

/// What [`transfer_shared`] makes.
pub type TransferShared = (Arc<Storages>, Arc<Judges>);

/// What a process's Transfer API and data server share: the storages collections live in (local
/// directories, the configured S3 store's buckets), and the collections' judges the data server
/// keeps a moment, which the API forgets when it changes a collection or a rule.
pub fn transfer_shared(config: &Config) -> TransferShared {
    (Arc::new(Storages::new(config.s3.access())), Arc::default())
}

/// The data server; its signed URLs are signed with a key generated into
/// `<data_dir>/secrets/data-url-signing.key` (0600), and readable from the portal's pages.
pub fn data_server(
    config: &Config,
    (upstreams, portal_url): (&Upstreams, &str),
    (store, clock): (Store, SharedClock),
    shared: TransferShared,
) -> anyhow::Result<DataServer> {
    let key = config.data_dir.join("secrets").join("data-url-signing.key");
    let signed_urls = SignedUrls {
        signer: UrlSigner::load_or_create(&key)
            .with_context(|| format!("the URL-signing key {}", key.display()))?,
        public_url: config.data.public_url(&upstreams.data),
        origins: vec![portal_url.trim_end_matches('/').to_owned()],
    };
    Ok(DataServer::new(
        store,
        introspector(config, upstreams)?,
        clock,
        shared,
        signed_urls,
    ))
}

/// The Transfer API; collections' `https_server` points at the data server.
pub fn transfer_api(
    config: &Config,
    upstreams: &Upstreams,
    (store, clock): (Store, SharedClock),
    shared: TransferShared,
) -> anyhow::Result<TransferApi> {
    let introspector = introspector(config, upstreams)?;
    Ok(TransferApi::new(
        store,
        introspector,
        clock,
        config.data.public_url(&upstreams.data),
        shared,
    ))
}

/// The graph service's settings: its client at the identity provider (whose credentials the
/// embedded provider's first start wrote), the datasets it graphs, where its results go, and the
/// key that seals the researchers' dependent tokens its queued jobs hold, generated into
/// `<data_dir>/secrets/graph-vault.key` (0600).
pub fn graph_settings(config: &Config, upstreams: &Upstreams) -> anyhow::Result<GraphSettings> {
    let file = embedded_credentials_file(&config.data_dir, bootstrap::GRAPH_CLIENT);
    let client = bootstrap::read_credentials(&file).with_context(|| {
        format!(
            "the graph service acts as its client at the identity provider, whose credentials \
             are missing ({}): run `mrdp all` once to register it",
            file.display()
        )
    })?;
    let catalog_file = config.graph.catalog_file.clone().map_or_else(
        || crate::built_in::catalog_dir(config).map(|dir| dir.join("catalog.json")),
        Ok,
    )?;
    let catalog = match std::fs::read_to_string(&catalog_file) {
        Ok(text) => Catalog::parse(&text)
            .with_context(|| format!("graph.catalog_file {}", catalog_file.display()))?,
        Err(e) => {
            tracing::warn!(file = %catalog_file.display(), error = %e, "no datasets to graph");
            Catalog::default()
        }
    };
    let key = config.data_dir.join("secrets").join("graph-vault.key");
    let key =
        mrdp_service::secrets::load_or_create(&key, || Ok::<_, String>(VaultKey::generate()))?;
    Ok(GraphSettings {
        idp: upstreams.idp.clone(),
        transfer: upstreams.transfer.clone(),
        scope: config
            .auth
            .graph_scope
            .clone()
            .unwrap_or_else(|| bootstrap::graph_scope(&client.client_id)),
        client_id: client.client_id,
        client_secret: client.client_secret,
        catalog,
        catalog_collection: config
            .portal
            .catalog_collection
            .clone()
            .unwrap_or_else(crate::seed::catalog_id),
        results_collection: results_collection(config),
        results_lifetime: config.graph.results_lifetime,
        vault_key: VaultKey::from_bytes(&key)
            .context("graph-vault.key must hold exactly 32 bytes")?,
        workers: config.graph.workers,
        lease_seconds: config.graph.lease_seconds,
    })
}

/// Where browsers reach the portal: `portal.public_url`, or its own listening address.
pub fn portal_public_url(config: &Config, urls: &[(ServiceName, String)]) -> String {
    config
        .portal
        .public_url
        .clone()
        .unwrap_or_else(|| url_of(urls, ServiceName::Portal))
}
