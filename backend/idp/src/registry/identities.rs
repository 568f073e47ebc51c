//! Identities: who a token acts for (a person, or a client acting as itself).

use mrdp_service::store::Store;
use sqlx::FromRow;

/// The domain of client identities' usernames (`<client_id>@clients.auth.globus.org`).
pub const CLIENT_DOMAIN: &str = "clients.auth.globus.org";

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

pub async fn find(store: &Store, id: &str) -> Result<Option<IdentityRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, name, email, organization, kind FROM identities WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await
}
