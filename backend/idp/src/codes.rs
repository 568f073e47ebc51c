//! Authorization codes: single use, 60 seconds, stored as digests with everything the token
//! request must match.

use crate::secret::{digest, random_token};
use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;
use sqlx::{AnyConnection, FromRow};

/// How long a code may wait for its exchange.
pub const CODE_LIFETIME: i64 = 60;

/// What a code was issued for.
#[derive(Debug, Clone, FromRow)]
pub struct CodeRow {
    pub client_id: String,
    pub identity_id: String,
    pub redirect_uri: String,
    /// The canonical scope string as requested, dependencies included.
    pub scopes: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub offline: i64,
    pub family: String,
    pub expires_at: i64,
}

/// Stores a new code and returns it.
pub async fn issue(store: &Store, row: &CodeRow) -> Result<String, sqlx::Error> {
    let code = random_token();
    sqlx::query(
        "INSERT INTO authorization_codes (hash, client_id, identity_id, redirect_uri, scopes, state, nonce, code_challenge, offline, family, expires_at, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)",
    )
    .bind(digest(&code))
    .bind(&row.client_id)
    .bind(&row.identity_id)
    .bind(&row.redirect_uri)
    .bind(&row.scopes)
    .bind(&row.state)
    .bind(&row.nonce)
    .bind(&row.code_challenge)
    .bind(row.offline)
    .bind(&row.family)
    .bind(row.expires_at)
    .execute(store.pool())
    .await?;
    Ok(code)
}

/// A stored code, found by the code itself.
#[derive(Debug, Clone, FromRow)]
pub struct StoredCode {
    pub hash: String,
    #[sqlx(flatten)]
    pub row: CodeRow,
    /// When the code was spent; presenting a spent code again is a replay.
    pub used_at: Option<i64>,
}

/// The code a presented string stands for, spent or not.
pub async fn find(store: &Store, code: &str) -> Result<Option<StoredCode>, sqlx::Error> {
    sqlx::query_as(
        "SELECT hash, client_id, identity_id, redirect_uri, scopes, state, nonce, code_challenge, offline, family, expires_at, used_at \
         FROM authorization_codes WHERE hash = $1",
    )
    .bind(digest(code))
    .fetch_optional(store.pool())
    .await
}

/// Spends a code. `true` for exactly one of any number of concurrent calls.
pub async fn spend(store: &Store, hash: &str, now: UnixTime) -> Result<bool, sqlx::Error> {
    let spent = sqlx::query(
        "UPDATE authorization_codes SET used_at = $1 WHERE hash = $2 AND used_at IS NULL",
    )
    .bind(now)
    .bind(hash)
    .execute(store.pool())
    .await?;
    Ok(spent.rows_affected() == 1)
}

/// Discards every code of an identity, spent or not (its password changed, or it was disabled).
pub async fn discard_all(conn: &mut AnyConnection, identity_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM authorization_codes WHERE identity_id = $1")
        .bind(identity_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes the codes expired by `now` that matter no more: unspent ones, and spent ones whose
/// grant has no live token left for a replay to revoke. Returns how many.
pub async fn purge(store: &Store, now: UnixTime) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM authorization_codes WHERE expires_at <= $1 AND (used_at IS NULL OR NOT EXISTS (\
         SELECT 1 FROM tokens t WHERE t.family = authorization_codes.family \
         AND t.expires_at > $1 AND t.revoked_at IS NULL))",
    )
    .bind(now)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected())
}
