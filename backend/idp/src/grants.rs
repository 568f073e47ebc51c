//! The grants of the token endpoint, and what they share.

pub mod authorization_code;
pub mod client_credentials;
mod delegation;
pub mod dependent_token;
pub mod refresh_token;
pub mod token_exchange;

use crate::IdpState;
use crate::error::OAuthError;
use crate::registry::scopes::resource_server_of;
use crate::registry::users;
use crate::scopes::ScopeRequest;
use crate::tokens::{self, TokenGrant, TokenKind};
use mrdp_globus::auth::{Token, TokenResponse};

/// Requested top-level scopes grouped by the resource server they belong to, in request order.
/// An unknown scope is an `invalid_scope` error naming it.
pub async fn group_by_resource_server(
    state: &IdpState,
    requested: &[ScopeRequest],
) -> Result<Vec<(String, Vec<String>)>, OAuthError> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for request in requested {
        let resource_server = resource_server_of(&state.store, &request.scope)
            .await?
            .ok_or_else(|| OAuthError::InvalidScope(format!("unknown scope {}", request.scope)))?;
        match groups.iter_mut().find(|(name, _)| *name == resource_server) {
            Some((_, scopes)) if !scopes.contains(&request.scope) => {
                scopes.push(request.scope.clone())
            }
            Some(_) => {}
            None => groups.push((resource_server, vec![request.scope.clone()])),
        }
    }
    Ok(groups)
}

/// Refuses every grant to a disabled account, whatever it presents.
pub async fn refuse_disabled(state: &IdpState, identity_id: &str) -> Result<(), OAuthError> {
    match users::is_disabled(&state.store, identity_id).await? {
        true => Err(OAuthError::InvalidGrant(
            "the account is disabled".to_owned(),
        )),
        false => Ok(()),
    }
}

/// Issues an access token (and a refresh token when asked) for one resource server; never for a
/// disabled account.
pub async fn issue_token(
    state: &IdpState,
    grant: &TokenGrant,
    with_refresh: bool,
) -> Result<Token, OAuthError> {
    refuse_disabled(state, &grant.identity_id).await?;
    let now = state.clock.now();
    let lifetime = state.settings.access_token_lifetime;
    let access_token = tokens::issue(&state.store, grant, TokenKind::Access, now, lifetime).await?;
    let refresh_token = match with_refresh {
        true => Some(
            tokens::issue(
                &state.store,
                grant,
                TokenKind::Refresh,
                now,
                state.settings.refresh_token_lifetime,
            )
            .await?,
        ),
        false => None,
    };
    Ok(Token {
        access_token,
        scope: grant.scopes.clone(),
        expires_in: lifetime,
        token_type: "Bearer".to_owned(),
        resource_server: grant.resource_server.clone(),
        refresh_token,
        state: None,
    })
}

/// The token response: the first token issued, the others in `other_tokens`.
pub fn respond(issued: Vec<Token>, id_token: Option<String>) -> Result<TokenResponse, OAuthError> {
    let mut tokens = issued.into_iter();
    let token = tokens
        .next()
        .ok_or_else(|| OAuthError::InvalidScope("no scope requested".to_owned()))?;
    Ok(TokenResponse {
        token,
        id_token,
        other_tokens: tokens.collect(),
    })
}
