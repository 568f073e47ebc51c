//! `grant_type=refresh_token`: a new access token for the same resource server and scopes.
//!
//! Refresh tokens rotate: the answer always carries a new `refresh_token` (the Globus SDK
//! stores whatever comes back), and the presented one stops working. Presenting a replaced
//! refresh token again means it was copied: the whole grant is revoked (reuse detection).

use super::{issue_token, refuse_disabled, respond};
use crate::IdpState;
use crate::client_auth::{Presented, authenticate};
use crate::error::OAuthError;
use crate::tokens::{self, TokenGrant};
use mrdp_globus::auth::TokenResponse;

pub async fn grant(
    state: &IdpState,
    presented: Presented,
    refresh_token: Option<&str>,
) -> Result<TokenResponse, OAuthError> {
    let client = authenticate(&state.store, presented).await?;
    let presented_token = refresh_token.ok_or_else(|| {
        OAuthError::InvalidRequest("the refresh_token parameter is required".to_owned())
    })?;
    let now = state.clock.now();
    let row = tokens::find(&state.store, presented_token)
        .await?
        .filter(|t| !t.is_access())
        .ok_or_else(|| OAuthError::InvalidGrant("unknown refresh token".to_owned()))?;
    if row.client_id != client.id {
        return Err(OAuthError::InvalidGrant(
            "the refresh token was issued to another client".to_owned(),
        ));
    }
    let reused = || async {
        tokens::revoke_family(&state.store, &row.family, now).await?;
        Err(OAuthError::InvalidGrant(
            "the refresh token was already used: every token of its grant is revoked".to_owned(),
        ))
    };
    if row.replaced_at.is_some() {
        return reused().await;
    }
    if !row.is_active(now) {
        return Err(OAuthError::InvalidGrant(
            "the refresh token expired or was revoked".to_owned(),
        ));
    }
    // Before the rotation: a refused refresh leaves its token as it was.
    refuse_disabled(state, &row.identity_id).await?;
    if !tokens::mark_replaced(&state.store, &row.hash, now).await? {
        return reused().await;
    }
    let grant = TokenGrant {
        client_id: row.client_id.clone(),
        identity_id: row.identity_id.clone(),
        resource_server: row.resource_server.clone(),
        scopes: row.scopes.clone(),
        family: row.family.clone(),
        consent_client: Some(row.consented_to().to_owned()),
    };
    respond(vec![issue_token(state, &grant, true).await?], None)
}
