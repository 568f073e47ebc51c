//! A session's grants: one sealed set of tokens per resource server in the vault, stored at
//! sign-in, refreshed on use (the new tokens written back), revoked at sign-out.
//!
//! Refreshes of one session's grant are serialised, because providers that rotate refresh tokens
//! (Globus Auth, the embedded provider) treat a second use of the old one as theft and revoke the
//! whole family: in this process by a lock per grant, and across the portal replicas that share a
//! PostgreSQL database by the grant's row, held `FOR UPDATE` from the read that finds it expired
//! to the write of the new tokens (on SQLite one process uses the store).

use super::provider::TokenHint;
use crate::{PortalError, PortalState};
use mrdp_globus::auth::Token;
use mrdp_service::clock::UnixTime;
use mrdp_service::vault::{self, StoredTokens};
use mrdp_shared::StoreBackend;
use sqlx::AnyConnection;
use sqlx::pool::PoolConnection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

/// An access token this close to its expiry is refreshed before use, in seconds.
pub const REFRESH_MARGIN: i64 = 60;

/// One async lock per (session, resource server) being refreshed.
#[derive(Debug, Default)]
pub struct RefreshLocks {
    locks: Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>,
}

impl RefreshLocks {
    fn lock_for(&self, key: String) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .locks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        locks.retain(|_, lock| lock.strong_count() > 0);
        if let Some(lock) = locks.get(&key).and_then(Weak::upgrade) {
            return lock;
        }
        let lock = Arc::new(tokio::sync::Mutex::new(()));
        locks.insert(key, Arc::downgrade(&lock));
        lock
    }
}

/// Seals and stores (or replaces) each token under its resource server.
pub async fn store(
    state: &PortalState,
    session_hash: &str,
    tokens: &[Token],
    now: UnixTime,
) -> Result<(), PortalError> {
    let mut connection = state.store.pool().acquire().await?;
    store_in(&mut connection, state, session_hash, tokens, now).await
}

/// [`store`] on `connection` (a transaction's, say).
async fn store_in(
    connection: &mut AnyConnection,
    state: &PortalState,
    session_hash: &str,
    tokens: &[Token],
    now: UnixTime,
) -> Result<(), PortalError> {
    for token in tokens {
        let stored = StoredTokens {
            access_token: token.access_token.clone(),
            refresh_token: token.refresh_token.clone(),
            scope: token.scope.clone(),
            expires_at: now + token.expires_in,
        };
        let sealed = vault::seal(
            &state.vault_key,
            session_hash,
            &token.resource_server,
            &stored,
        )?;
        sqlx::query(
            "INSERT INTO vault_tokens (session_hash, resource_server, sealed) VALUES ($1, $2, $3) \
             ON CONFLICT (session_hash, resource_server) DO UPDATE SET sealed = excluded.sealed",
        )
        .bind(session_hash)
        .bind(&token.resource_server)
        .bind(sealed)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// Every grant of the session, by resource server (rows that do not open are skipped and logged).
pub async fn all(
    state: &PortalState,
    session_hash: &str,
) -> Result<Vec<(String, StoredTokens)>, PortalError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT resource_server, sealed FROM vault_tokens WHERE session_hash = $1 ORDER BY resource_server",
    )
    .bind(session_hash)
    .fetch_all(state.store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(resource_server, sealed)| {
            match vault::open(&state.vault_key, session_hash, &resource_server, &sealed) {
                Ok(tokens) => Some((resource_server, tokens)),
                Err(e) => {
                    tracing::warn!(%resource_server, error = %e, "a vault row does not open");
                    None
                }
            }
        })
        .collect())
}

/// The resource servers the session holds grants for.
pub async fn resource_servers(
    state: &PortalState,
    session_hash: &str,
) -> Result<Vec<String>, PortalError> {
    Ok(sqlx::query_scalar(
        "SELECT resource_server FROM vault_tokens WHERE session_hash = $1 ORDER BY resource_server",
    )
    .bind(session_hash)
    .fetch_all(state.store.pool())
    .await?)
}

/// The session's tokens for `resource_server`, read on `connection`; with `for_update`, its row
/// stays locked until the connection's transaction ends.
async fn one(
    connection: &mut AnyConnection,
    state: &PortalState,
    (session_hash, resource_server): (&str, &str),
    for_update: bool,
) -> Result<Option<StoredTokens>, PortalError> {
    let lock = if for_update { " FOR UPDATE" } else { "" };
    let sealed: Option<String> = sqlx::query_scalar(&format!(
        "SELECT sealed FROM vault_tokens WHERE session_hash = $1 AND resource_server = $2{lock}"
    ))
    .bind(session_hash)
    .bind(resource_server)
    .fetch_optional(&mut *connection)
    .await?;
    sealed
        .map(|sealed| vault::open(&state.vault_key, session_hash, resource_server, &sealed))
        .transpose()
        .map_err(PortalError::from)
}

/// The session's tokens for `resource_server`, refreshed first when the access token is expired or
/// about to be. `Ok(None)`: the session holds no grant for it. A grant the provider no longer
/// honours is dropped and reported as [`PortalError::GrantEnded`].
pub async fn usable(
    state: &PortalState,
    session_hash: &str,
    resource_server: &str,
) -> Result<Option<StoredTokens>, PortalError> {
    let fresh = |tokens: &StoredTokens| tokens.expires_at - state.clock.now() > REFRESH_MARGIN;
    let grant = (session_hash, resource_server);
    let mut connection = state.store.pool().acquire().await?;
    let Some(tokens) = one(&mut connection, state, grant, false).await? else {
        return Ok(None);
    };
    drop(connection);
    if fresh(&tokens) {
        return Ok(Some(tokens));
    }
    let lock = state
        .refresh_locks
        .lock_for(format!("{session_hash}\n{resource_server}"));
    let _guard = lock.lock().await;
    // Another request (here, or on another replica) may have refreshed it while this one waited.
    let mut held = Held::lock(state).await?;
    let for_update = held.locks_rows();
    let Some(tokens) = one(held.connection(), state, grant, for_update).await? else {
        return Ok(None);
    };
    if fresh(&tokens) {
        return Ok(Some(tokens));
    }
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        drop(held);
        return Err(drop_grant(state, session_hash, resource_server).await);
    };
    let now = state.clock.now();
    let renewed = match state.provider.refresh(refresh_token).await {
        Ok(renewed) => renewed,
        Err(PortalError::SignInFailed(_)) => {
            drop(held);
            return Err(drop_grant(state, session_hash, resource_server).await);
        }
        Err(e) => return Err(e),
    };
    let renewed: Vec<Token> = renewed
        .tokens
        .into_iter()
        .map(|mut token| {
            // A provider that does not rotate refresh tokens keeps the old one valid.
            if token.refresh_token.is_none() {
                token.refresh_token.clone_from(&tokens.refresh_token);
            }
            token
        })
        .collect();
    store_in(held.connection(), state, session_hash, &renewed, now).await?;
    let tokens = one(held.connection(), state, grant, false).await?;
    held.release().await?;
    tracing::info!(%resource_server, "refreshed a grant on use");
    Ok(tokens)
}

/// The connection a refresh reads and writes a grant on: on PostgreSQL a transaction, in which
/// the grant's row is read `FOR UPDATE` so that it stays locked until the new tokens are written;
/// on SQLite, whose store one process uses (and whose refreshes [`RefreshLocks`] serialise), a
/// plain connection, as a transaction open across the call to the provider would hold up every
/// other write.
enum Held {
    Transaction(sqlx::Transaction<'static, sqlx::Any>),
    Connection(PoolConnection<sqlx::Any>),
}

impl Held {
    async fn lock(state: &PortalState) -> Result<Self, sqlx::Error> {
        let pool = state.store.pool();
        Ok(match state.store.backend() {
            StoreBackend::Postgres => Self::Transaction(pool.begin().await?),
            StoreBackend::Sqlite => Self::Connection(pool.acquire().await?),
        })
    }

    fn locks_rows(&self) -> bool {
        matches!(self, Self::Transaction(_))
    }

    fn connection(&mut self) -> &mut AnyConnection {
        match self {
            Self::Transaction(transaction) => transaction,
            Self::Connection(connection) => connection,
        }
    }

    /// Commits what was written (and so unlocks the row).
    async fn release(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Transaction(transaction) => transaction.commit().await,
            Self::Connection(_) => Ok(()),
        }
    }
}

async fn drop_grant(state: &PortalState, session_hash: &str, resource_server: &str) -> PortalError {
    let deleted =
        sqlx::query("DELETE FROM vault_tokens WHERE session_hash = $1 AND resource_server = $2")
            .bind(session_hash)
            .bind(resource_server)
            .execute(state.store.pool())
            .await;
    match deleted {
        Ok(_) => PortalError::GrantEnded(resource_server.to_owned()),
        Err(e) => PortalError::Store(e),
    }
}

/// Revokes every token of the session at the provider (refresh tokens first).
pub async fn revoke_all(state: &PortalState, session_hash: &str) -> Result<(), PortalError> {
    for (_, tokens) in all(state, session_hash).await? {
        if let Some(refresh) = &tokens.refresh_token {
            state.provider.revoke(refresh, TokenHint::Refresh).await;
        }
        state
            .provider
            .revoke(&tokens.access_token, TokenHint::Access)
            .await;
    }
    Ok(())
}
