//! Identities: who a token acts for (a person, or a client acting as itself).

use mrdp_service::store::Store;
use sqlx::FromRow;

/// The domain of client identities' usernames (`<client_id>@clients.auth.globus.org`).
pub const CLIENT_DOMAIN: &str = "clients.auth.globus.org";
/// The id of the identity provider behind local accounts (fixed: identities name it).
pub const LOCAL_IDENTITY_PROVIDER: &str = "32b27f8d-9f76-4c99-b262-b939189d3cb9";
/// The id of the identity provider behind client identities.
pub const CLIENTS_IDENTITY_PROVIDER: &str = "f3527e6b-0d23-4da7-b6c3-1ef6d6e273a4";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityKind {
    User,
    Client,
}

impl IdentityKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Client => "client",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct IdentityRow {
    pub id: String,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
    pub kind: String,
}

const SELECT: &str = "SELECT id, username, name, email, organization, kind FROM identities";

pub async fn find(store: &Store, id: &str) -> Result<Option<IdentityRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await
}

pub async fn find_by_username(
    store: &Store,
    username: &str,
) -> Result<Option<IdentityRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE username = $1"))
        .bind(username)
        .fetch_optional(store.pool())
        .await
}
