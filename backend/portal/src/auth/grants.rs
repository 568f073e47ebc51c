//! A session's grants: one sealed set of tokens per resource server in the vault, stored at
//! sign-in, refreshed on use (the new tokens written back), revoked at sign-out.
//!
//! Refreshes of one session's grant are serialised in this process, because providers that
//! rotate refresh tokens (Globus Auth, the embedded provider) treat a second use of the old one
//! as theft and revoke the whole family.

use super::provider::TokenHint;
use crate::{PortalError, PortalState};
use mrdp_globus::auth::Token;
use mrdp_service::clock::UnixTime;
use mrdp_service::vault::{self, StoredTokens};
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
        .execute(state.store.pool())
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

async fn one(
    state: &PortalState,
    session_hash: &str,
    resource_server: &str,
) -> Result<Option<StoredTokens>, PortalError> {
    let sealed: Option<String> = sqlx::query_scalar(
        "SELECT sealed FROM vault_tokens WHERE session_hash = $1 AND resource_server = $2",
    )
    .bind(session_hash)
    .bind(resource_server)
    .fetch_optional(state.store.pool())
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
    let Some(tokens) = one(state, session_hash, resource_server).await? else {
        return Ok(None);
    };
    if fresh(&tokens) {
        return Ok(Some(tokens));
    }
    let lock = state
        .refresh_locks
        .lock_for(format!("{session_hash}\n{resource_server}"));
    let _guard = lock.lock().await;
    // Another request may have refreshed it while this one waited.
    let Some(tokens) = one(state, session_hash, resource_server).await? else {
        return Ok(None);
    };
    if fresh(&tokens) {
        return Ok(Some(tokens));
    }
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        return Err(drop_grant(state, session_hash, resource_server).await);
    };
    let now = state.clock.now();
    let grant = match state.provider.refresh(refresh_token).await {
        Ok(grant) => grant,
        Err(PortalError::SignInFailed(_)) => {
            return Err(drop_grant(state, session_hash, resource_server).await);
        }
        Err(e) => return Err(e),
    };
    let renewed: Vec<Token> = grant
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
    store(state, session_hash, &renewed, now).await?;
    tracing::info!(%resource_server, "refreshed a grant on use");
    one(state, session_hash, resource_server).await
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
