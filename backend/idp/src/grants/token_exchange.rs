//! `grant_type=urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693) for access tokens:
//! the standard form of the dependent-token grant, for clients that speak standards only.
//! One token per exchange: `audience` (or `resource`) names its resource server when the
//! dependent scopes span several.

use super::delegation;
use crate::IdpState;
use crate::client_auth::{Presented, authenticate_confidential};
use crate::error::OAuthError;
use crate::registry::scopes::resource_server_of;
use serde::Serialize;

pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

/// The RFC 8693 §2.2.1 response, with Globus's `resource_server`.
#[derive(Debug, Serialize)]
pub struct ExchangeResponse {
    access_token: String,
    issued_token_type: &'static str,
    token_type: String,
    expires_in: i64,
    scope: String,
    resource_server: String,
}

/// The exchange request's fields.
#[derive(Debug)]
pub struct Exchange<'a> {
    pub subject_token: Option<&'a str>,
    pub subject_token_type: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub audience: Option<&'a str>,
}

pub async fn grant(
    state: &IdpState,
    presented: Presented,
    exchange: Exchange<'_>,
) -> Result<ExchangeResponse, OAuthError> {
    let caller = authenticate_confidential(&state.store, presented).await?;
    let token = exchange
        .subject_token
        .ok_or_else(|| OAuthError::InvalidRequest("subject_token is required".to_owned()))?;
    if exchange.subject_token_type != Some(ACCESS_TOKEN_TYPE) {
        return Err(OAuthError::InvalidRequest(format!(
            "subject_token_type must be {ACCESS_TOKEN_TYPE}"
        )));
    }
    let subject = delegation::subject(state, &caller, token).await?;
    let mut scopes = delegation::allowed_scopes(state, &subject, exchange.scope).await?;
    let mut targets = Vec::new();
    for scope in &scopes {
        if let Some(rs) = resource_server_of(&state.store, scope).await? {
            targets.push((scope.clone(), rs));
        }
    }
    let target = match exchange.audience {
        Some(audience) => audience.to_owned(),
        None => match targets.first() {
            Some((_, first)) if targets.iter().all(|(_, rs)| rs == first) => first.clone(),
            Some(_) => {
                return Err(OAuthError::InvalidTarget(
                    "name the resource server with audience".to_owned(),
                ));
            }
            None => {
                return Err(OAuthError::InvalidScope(
                    "the token has no dependent scopes to exchange".to_owned(),
                ));
            }
        },
    };
    scopes.retain(|scope| targets.iter().any(|(s, rs)| s == scope && *rs == target));
    if scopes.is_empty() {
        return Err(OAuthError::InvalidTarget(format!(
            "no dependent scope is for {target}"
        )));
    }
    let mut issued = delegation::issue(state, &caller, &subject, &scopes, false)
        .await?
        .into_iter();
    let token = issued
        .next()
        .ok_or_else(|| OAuthError::InvalidTarget(format!("no token for {target}")))?;
    Ok(ExchangeResponse {
        access_token: token.access_token,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: token.token_type,
        expires_in: token.expires_in,
        scope: token.scope,
        resource_server: token.resource_server,
    })
}
