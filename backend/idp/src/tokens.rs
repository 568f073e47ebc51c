//! Access and refresh tokens: opaque random strings, stored only as digests.

use crate::registry::users;
use crate::secret::{digest, random_token};
use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Access => "access",
            Self::Refresh => "refresh",
        }
    }
}

/// What a new token is for.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub client_id: String,
    pub identity_id: String,
    pub resource_server: String,
    /// Canonical space-separated scopes.
    pub scopes: String,
    /// The grant the token belongs to; revoking the grant revokes all of its tokens.
    pub family: String,
    /// The client the person consented to, when not `client_id`: a dependent token's is its
    /// subject token's, so that consent to an app's scope covers the chain of services below it.
    pub consent_client: Option<String>,
}

/// A stored token.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TokenRow {
    pub hash: String,
    pub kind: String,
    pub client_id: String,
    pub identity_id: String,
    pub resource_server: String,
    pub scopes: String,
    pub family: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    /// Set when rotation replaced this refresh token.
    pub replaced_at: Option<i64>,
    consent_client: Option<String>,
}

impl TokenRow {
    pub fn is_active(&self, now: UnixTime) -> bool {
        self.revoked_at.is_none() && self.replaced_at.is_none() && now < self.expires_at
    }

    pub fn is_access(&self) -> bool {
        self.kind == TokenKind::Access.as_str()
    }

    /// The client whose consents the token's dependent tokens are limited to.
    pub fn consented_to(&self) -> &str {
        self.consent_client.as_deref().unwrap_or(&self.client_id)
    }
}

/// Stores a new token and returns it (the only time it exists in the clear).
pub async fn issue(
    store: &Store,
    grant: &TokenGrant,
    kind: TokenKind,
    now: UnixTime,
    lifetime: i64,
) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO tokens (hash, kind, client_id, identity_id, resource_server, scopes, family, issued_at, expires_at, revoked_at, consent_client) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10)",
    )
    .bind(digest(&token))
    .bind(kind.as_str())
    .bind(&grant.client_id)
    .bind(&grant.identity_id)
    .bind(&grant.resource_server)
    .bind(&grant.scopes)
    .bind(&grant.family)
    .bind(now)
    .bind(now.saturating_add(lifetime))
    .bind(&grant.consent_client)
    .execute(store.pool())
    .await?;
    Ok(token)
}

/// The stored token a presented token string stands for, active or not.
pub async fn find(store: &Store, token: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT hash, kind, client_id, identity_id, resource_server, scopes, family, issued_at, expires_at, revoked_at, replaced_at, consent_client \
         FROM tokens WHERE hash = $1",
    )
    .bind(digest(token))
    .fetch_optional(store.pool())
    .await
}

/// The active access token a presented string stands for: not expired, revoked or replaced, and
/// not acting for a disabled account (even one whose tokens its disabling did not revoke).
pub async fn find_active_access(
    store: &Store,
    token: &str,
    now: UnixTime,
) -> Result<Option<TokenRow>, sqlx::Error> {
    let Some(row) = find(store, token)
        .await?
        .filter(|t| t.is_access() && t.is_active(now))
    else {
        return Ok(None);
    };
    Ok(match users::is_disabled(store, &row.identity_id).await? {
        true => None,
        false => Some(row),
    })
}

/// Revokes one token (by its digest); revoking twice keeps the first time.
pub async fn revoke(store: &Store, hash: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE hash = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(hash)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Revokes every token of a grant.
pub async fn revoke_family(store: &Store, family: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE family = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(family)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Revokes every token issued to a client, or on a person's consent to it (dependent tokens).
pub async fn revoke_of_client(
    store: &Store,
    client_id: &str,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tokens SET revoked_at = $1 WHERE (client_id = $2 OR consent_client = $2) AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(client_id)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Revokes every token that acts for an identity, whatever its client or grant.
pub async fn revoke_all(
    conn: &mut AnyConnection,
    identity_id: &str,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE identity_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(identity_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a refresh token as replaced by rotation. `false` when it was already replaced or
/// revoked (a concurrent use): exactly one rotation of a token succeeds.
pub async fn mark_replaced(store: &Store, hash: &str, now: UnixTime) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE tokens SET replaced_at = $1 WHERE hash = $2 AND replaced_at IS NULL AND revoked_at IS NULL")
        .bind(now)
        .bind(hash)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the tokens expired by `now`, revoked and replaced ones included: until then, a
/// replaced refresh token presented again must still be recognised, to revoke its grant. Returns
/// how many.
pub async fn purge(store: &Store, now: UnixTime) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM tokens WHERE expires_at <= $1")
        .bind(now)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected())
}
