//! Resource servers (APIs that accept tokens) and the scopes they define, with their dependent
//! scopes. Scope strings and resource-server names are Globus's production ones.

use mrdp_service::store::Store;
use sqlx::FromRow;

/// Globus Auth itself: OpenID Connect and identity scopes.
pub const AUTH_RESOURCE_SERVER: &str = "auth.globus.org";
/// The Transfer API.
pub const TRANSFER_RESOURCE_SERVER: &str = "transfer.api.globus.org";
pub const TRANSFER_SCOPE: &str = "urn:globus:auth:scope:transfer.api.globus.org:all";
pub const GROUPS_RESOURCE_SERVER: &str = "groups.api.globus.org";
pub const VIEW_MY_GROUPS_SCOPE: &str =
    "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships";
pub const VIEW_IDENTITIES_SCOPE: &str = "urn:globus:auth:scope:auth.globus.org:view_identities";
/// Globus Auth's scope for managing one's projects and the apps in them.
pub const MANAGE_PROJECTS_SCOPE: &str = "urn:globus:auth:scope:auth.globus.org:manage_projects";
pub const VIEW_IDENTITY_SET_SCOPE: &str = "urn:globus:auth:scope:auth.globus.org:view_identity_set";

/// A scope as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeDefinition {
    pub scope: String,
    pub resource_server: String,
    pub description: String,
    /// Scopes a holder of this one may obtain for the user as dependent tokens; `true`: optional.
    pub dependencies: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ResourceServerRow {
    pub name: String,
    /// The client that speaks for the resource server.
    pub client_id: Option<String>,
}

/// The scopes every deployment has, registered at start.
pub fn builtin() -> Vec<ScopeDefinition> {
    let auth = |scope: &str, description: &str| ScopeDefinition {
        scope: scope.to_owned(),
        resource_server: AUTH_RESOURCE_SERVER.to_owned(),
        description: description.to_owned(),
        dependencies: Vec::new(),
    };
    vec![
        auth("openid", "Know who you are"),
        auth("profile", "View your name and organization"),
        auth("email", "View your email address"),
        auth(VIEW_IDENTITIES_SCOPE, "View identities"),
        auth(MANAGE_PROJECTS_SCOPE, "Register and manage your apps"),
        auth(VIEW_IDENTITY_SET_SCOPE, "View your linked identities"),
        ScopeDefinition {
            scope: TRANSFER_SCOPE.to_owned(),
            resource_server: TRANSFER_RESOURCE_SERVER.to_owned(),
            description: "Transfer files using Globus Transfer".to_owned(),
            dependencies: Vec::new(),
        },
        ScopeDefinition {
            scope: VIEW_MY_GROUPS_SCOPE.to_owned(),
            resource_server: GROUPS_RESOURCE_SERVER.to_owned(),
            description: "View your groups and memberships".to_owned(),
            dependencies: Vec::new(),
        },
    ]
}

/// Creates the resource server, or sets the client that speaks for it.
pub async fn register_resource_server(
    store: &Store,
    name: &str,
    client_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO resource_servers (name, client_id) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET client_id = COALESCE(excluded.client_id, resource_servers.client_id)",
    )
    .bind(name)
    .bind(client_id)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Registers (or updates) a scope, its resource server and its dependencies, in one transaction.
pub async fn register(store: &Store, definition: &ScopeDefinition) -> Result<(), sqlx::Error> {
    register_resource_server(store, &definition.resource_server, None).await?;
    let mut tx = store.pool().begin().await?;
    sqlx::query(
        "INSERT INTO scopes (scope, resource_server, description) VALUES ($1, $2, $3) \
         ON CONFLICT (scope) DO UPDATE SET resource_server = excluded.resource_server, description = excluded.description",
    )
    .bind(&definition.scope)
    .bind(&definition.resource_server)
    .bind(&definition.description)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM scope_dependencies WHERE scope = $1")
        .bind(&definition.scope)
        .execute(&mut *tx)
        .await?;
    for (dependency, optional) in &definition.dependencies {
        sqlx::query(
            "INSERT INTO scope_dependencies (scope, dependency, optional) VALUES ($1, $2, $3)",
        )
        .bind(&definition.scope)
        .bind(dependency)
        .bind(i64::from(*optional))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Every registered scope string.
pub async fn all(store: &Store) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT scope FROM scopes ORDER BY scope")
        .fetch_all(store.pool())
        .await
}

/// The resource server a scope belongs to; `None` for an unknown scope.
pub async fn resource_server_of(store: &Store, scope: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT resource_server FROM scopes WHERE scope = $1")
        .bind(scope)
        .fetch_optional(store.pool())
        .await
}

pub async fn find_resource_server(
    store: &Store,
    name: &str,
) -> Result<Option<ResourceServerRow>, sqlx::Error> {
    sqlx::query_as("SELECT name, client_id FROM resource_servers WHERE name = $1")
        .bind(name)
        .fetch_optional(store.pool())
        .await
}

/// What the consent page says a scope allows.
pub async fn description(store: &Store, scope: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT description FROM scopes WHERE scope = $1")
        .bind(scope)
        .fetch_optional(store.pool())
        .await
}

/// The scopes a holder of `scope` may obtain as dependent tokens, and whether each is optional.
pub async fn dependencies(store: &Store, scope: &str) -> Result<Vec<(String, bool)>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT dependency, optional FROM scope_dependencies WHERE scope = $1 ORDER BY dependency",
    )
    .bind(scope)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(dependency, optional)| (dependency, optional != 0))
        .collect())
}
