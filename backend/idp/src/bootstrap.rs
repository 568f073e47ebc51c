//! First start of the embedded deployment (`mrdp all`): registers the clients of the portal,
//! the graph service and the transfer service, the resource servers and scopes they stand for,
//! and two demo users. Idempotent: later starts change nothing but the portal's redirect URI.
//!
//! Client credentials are written to `<secrets>/clients/<name>.toml` (0600), where the services
//! read them; the demo users' passwords to `<data_dir>/demo-credentials.toml` (0600), and are
//! returned once so that the operator sees them.

use crate::error::RegistryError;
use crate::registry::clients::{self, NewClient};
use crate::registry::groups;
use crate::registry::scopes::{self, ScopeDefinition, TRANSFER_RESOURCE_SERVER, TRANSFER_SCOPE};
use crate::registry::users::{self, NewUser};
use mrdp_globus::auth::collection_https_scope;
use mrdp_service::clock::UnixTime;
use mrdp_service::secrets::{self, SecretError};
use mrdp_service::store::Store;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The embedded deployment's clients, by name.
pub const PORTAL_CLIENT: &str = "portal";
pub const GRAPH_CLIENT: &str = "graph";
pub const TRANSFER_CLIENT: &str = "transfer";
const DEMO_USERS: [(&str, &str); 2] = [("alice", "Alice Researcher"), ("bob", "Bob Analyst")];

#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("{path} is not a client credentials file: {reason}")]
    CredentialsFile { path: String, reason: String },
}

/// A client's id and secret, as its service reads them.
#[derive(Clone, Serialize, Deserialize)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientCredentials({}, [redacted])", self.client_id)
    }
}

/// Demo sign-ins created by this start (empty on later starts).
#[derive(Clone, Default, Serialize)]
pub struct DemoCredentials {
    pub users: Vec<DemoUser>,
}

#[derive(Clone, Serialize)]
pub struct DemoUser {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for DemoCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.users).finish()
    }
}

impl std::fmt::Debug for DemoUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DemoUser({}, [redacted])", self.username)
    }
}

/// Registers what the embedded deployment needs; `portal_callback` is the portal's OAuth
/// redirect URI for this start.
pub async fn ensure_embedded(
    store: &Store,
    now: UnixTime,
    data_dir: &Path,
    portal_callback: &str,
) -> Result<DemoCredentials, BootstrapError> {
    let clients_dir = data_dir.join("secrets").join("clients");
    let portal = ensure_client(
        store,
        now,
        &clients_dir,
        PORTAL_CLIENT,
        vec![portal_callback.to_owned()],
    )
    .await?;
    sqlx::query("UPDATE clients SET redirect_uris = $1 WHERE id = $2")
        .bind(portal_callback)
        .bind(&portal.client_id)
        .execute(store.pool())
        .await?;
    let transfer = ensure_client(store, now, &clients_dir, TRANSFER_CLIENT, vec![]).await?;
    scopes::register_resource_server(store, TRANSFER_RESOURCE_SERVER, Some(&transfer.client_id))
        .await?;
    scopes::register_resource_server(store, &portal.client_id, Some(&portal.client_id)).await?;
    let graph = ensure_client(store, now, &clients_dir, GRAPH_CLIENT, vec![]).await?;
    scopes::register_resource_server(store, &graph.client_id, Some(&graph.client_id)).await?;
    register_graph_scope(store, &graph.client_id, &[]).await?;
    ensure_demo_users(store, now, data_dir).await
}

/// A person of the embedded deployment's demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoIdentity {
    /// The short name (`alice`).
    pub login: String,
    pub name: String,
    pub identity_id: String,
}

/// The demo users the first start created, with their identity ids.
pub async fn demo_identities(store: &Store) -> Result<Vec<DemoIdentity>, BootstrapError> {
    let mut found = Vec::new();
    for (login, name) in DEMO_USERS {
        if let Some(account) = users::find(store, login).await? {
            found.push(DemoIdentity {
                login: login.to_owned(),
                name: name.to_owned(),
                identity_id: account.identity.id,
            });
        }
    }
    Ok(found)
}

/// Registers a collection as a resource server with its HTTPS scope, spoken for by the transfer
/// service's client (whose data server introspects the tokens). Idempotent.
pub async fn register_collection(
    store: &Store,
    collection_id: &str,
    display_name: &str,
    transfer_client_id: &str,
) -> Result<(), BootstrapError> {
    scopes::register_resource_server(store, collection_id, Some(transfer_client_id)).await?;
    scopes::register(
        store,
        &ScopeDefinition {
            scope: collection_https_scope(collection_id),
            resource_server: collection_id.to_owned(),
            description: format!("Read and write the files of \"{display_name}\" over HTTPS"),
            dependencies: vec![],
        },
    )
    .await?;
    Ok(())
}

/// Registers the graph service's scope: it depends on the Transfer scope and on the HTTPS scopes
/// of the collections it reads for researchers (`reads`, collection ids), so that the service
/// may obtain dependent tokens for them. Idempotent; the dependencies are replaced.
pub async fn register_graph_scope(
    store: &Store,
    graph_client_id: &str,
    reads: &[&str],
) -> Result<(), BootstrapError> {
    let dependencies = std::iter::once(TRANSFER_SCOPE.to_owned())
        .chain(
            reads
                .iter()
                .map(|collection| collection_https_scope(collection)),
        )
        .collect();
    let description = "Make graphs of datasets, and save them to your storage";
    register_service_scope(store, graph_client_id, description, dependencies).await
}

/// Registers the portal's own scope, which apps (scripts, notebooks, services) ask for to call
/// the portal's API for a person: it depends on every scope the portal uses for researchers
/// (`uses`: Transfer, Groups, the graph service's, collections' HTTPS scopes), so that the portal
/// may obtain dependent tokens for them. Idempotent; the dependencies are replaced.
pub async fn register_portal_scope(
    store: &Store,
    portal_client_id: &str,
    uses: Vec<String>,
) -> Result<(), BootstrapError> {
    let description = "Use the research data portal: find datasets, transfer them, make graphs";
    register_service_scope(store, portal_client_id, description, uses).await
}

async fn register_service_scope(
    store: &Store,
    client_id: &str,
    description: &str,
    dependencies: Vec<String>,
) -> Result<(), BootstrapError> {
    scopes::register(
        store,
        &ScopeDefinition {
            scope: service_scope(client_id),
            resource_server: client_id.to_owned(),
            description: description.to_owned(),
            dependencies: dependencies.into_iter().map(|s| (s, false)).collect(),
        },
    )
    .await?;
    Ok(())
}

/// The scope of a service of the deployment (the portal, the graph service), named as Globus
/// names the scopes of custom resource servers.
pub fn service_scope(client_id: &str) -> String {
    format!("https://auth.globus.org/scopes/{client_id}/all")
}

/// The graph service's scope.
pub fn graph_scope(graph_client_id: &str) -> String {
    service_scope(graph_client_id)
}

/// The client's credentials file, creating the client (or a new secret for it) when the file
/// is missing or names a client the store does not know.
async fn ensure_client(
    store: &Store,
    now: UnixTime,
    dir: &Path,
    name: &str,
    redirect_uris: Vec<String>,
) -> Result<ClientCredentials, BootstrapError> {
    let path = dir.join(format!("{name}.toml"));
    if path.exists() {
        let credentials = read_credentials(&path)?;
        if clients::find(store, &credentials.client_id)
            .await?
            .is_some()
        {
            return Ok(credentials);
        }
        std::fs::remove_file(&path).map_err(|source| SecretError::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    let credentials = match clients::find_by_name(store, name).await? {
        Some(client) => ClientCredentials {
            client_id: client.id,
            client_secret: clients::rotate_secret(store, name)
                .await?
                .expose()
                .to_owned(),
        },
        None => {
            let new = NewClient {
                name: name.to_owned(),
                public: false,
                redirect_uris,
            };
            let (client, secret) = clients::create(store, now, new).await?;
            let secret = secret
                .ok_or_else(|| RegistryError::Invalid(format!("client {name} got no secret")))?;
            ClientCredentials {
                client_id: client.id,
                client_secret: secret.expose().to_owned(),
            }
        }
    };
    let text = toml::to_string(&credentials).map_err(|e| invalid_file(&path, e))?;
    secrets::load_or_create(&path, || Ok::<_, String>(text.into_bytes()))?;
    Ok(credentials)
}

/// Reads a client credentials file written by the bootstrap (or by an operator).
pub fn read_credentials(path: &Path) -> Result<ClientCredentials, BootstrapError> {
    let bytes = secrets::load_or_create(path, || Err::<Vec<u8>, _>("the file is missing"))?;
    let text = String::from_utf8(bytes).map_err(|e| invalid_file(path, e))?;
    toml::from_str(&text).map_err(|e| invalid_file(path, e))
}

fn invalid_file(path: &Path, reason: impl std::fmt::Display) -> BootstrapError {
    BootstrapError::CredentialsFile {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// The demo's group, "Climate history": the catalog restricts the Clemson record to it.
pub const DEMO_GROUP: &str = "Climate history";
/// Its member (bob is not one).
const DEMO_GROUP_MEMBER: &str = "alice";

/// The demo group's id, the same in every deployment (the shipped catalog names it).
pub fn demo_group_id() -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, b"mrdp:group:climate-history").to_string()
}

async fn ensure_demo_group(store: &Store, now: UnixTime) -> Result<(), BootstrapError> {
    if groups::find(store, DEMO_GROUP).await?.is_some() {
        return Ok(());
    }
    let description = "Researchers of long climate records";
    groups::create_with_id(store, now, demo_group_id(), DEMO_GROUP, description).await?;
    groups::add_member(store, now, DEMO_GROUP, DEMO_GROUP_MEMBER).await?;
    Ok(())
}

async fn ensure_demo_users(
    store: &Store,
    now: UnixTime,
    data_dir: &Path,
) -> Result<DemoCredentials, BootstrapError> {
    let mut created = DemoCredentials::default();
    for (username, name) in DEMO_USERS {
        if users::find(store, username).await?.is_some() {
            continue;
        }
        let password = crate::password::generate();
        let new = NewUser {
            username: username.to_owned(),
            name: name.to_owned(),
            email: Some(format!("{username}@example.org")),
            organization: Some("MRDP demo".to_owned()),
            password: password.clone(),
        };
        let identity = users::create(store, now, new).await?;
        created.users.push(DemoUser {
            username: identity.username,
            password,
        });
    }
    ensure_demo_group(store, now).await?;
    if !created.users.is_empty() {
        let path = data_dir.join("demo-credentials.toml");
        if path.exists() {
            std::fs::remove_file(&path).map_err(|source| SecretError::Io {
                path: path.display().to_string(),
                source,
            })?;
        }
        let text = toml::to_string(&created).map_err(|e| invalid_file(&path, e))?;
        secrets::load_or_create(&path, || Ok::<_, String>(text.into_bytes()))?;
    }
    Ok(created)
}
