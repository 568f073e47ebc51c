//! `grant_type=authorization_code`: the code from the authorize endpoint becomes tokens, one
//! per resource server, with refresh tokens when `access_type=offline` was asked for, and an
//! ID token when `openid` was.

use super::{group_by_resource_server, issue_token, respond};
use crate::IdpState;
use crate::client_auth::{Presented, authenticate};
use crate::codes;
use crate::error::OAuthError;
use crate::registry::identities;
use crate::tokens::{self, TokenGrant};
use crate::{id_token, pkce, scopes};
use mrdp_globus::auth::TokenResponse;

/// The token request's fields this grant reads.
#[derive(Debug)]
pub struct CodeExchange<'a> {
    pub code: Option<&'a str>,
    pub redirect_uri: Option<&'a str>,
    pub code_verifier: Option<&'a str>,
}

pub async fn grant(
    state: &IdpState,
    presented: Presented,
    exchange: CodeExchange<'_>,
) -> Result<TokenResponse, OAuthError> {
    let client = authenticate(&state.store, presented).await?;
    let code = exchange
        .code
        .ok_or_else(|| OAuthError::InvalidRequest("the code parameter is required".to_owned()))?;
    let now = state.clock.now();
    let stored = codes::find(&state.store, code)
        .await?
        .ok_or_else(|| OAuthError::InvalidGrant("unknown code".to_owned()))?;
    // Everything the request must match is checked before the code is spent or its replay acted
    // on: a caller that cannot show it is the code's recipient neither burns the code nor revokes
    // what the code gave.
    let row = &stored.row;
    if row.client_id != client.id {
        return Err(OAuthError::InvalidGrant(
            "the code was issued to another client".to_owned(),
        ));
    }
    if exchange.redirect_uri != Some(row.redirect_uri.as_str()) {
        return Err(OAuthError::InvalidGrant(
            "redirect_uri differs from the authorization request's".to_owned(),
        ));
    }
    match (row.code_challenge.as_deref(), exchange.code_verifier) {
        (Some(challenge), Some(verifier)) if pkce::verify(verifier, challenge) => {}
        (Some(_), _) => {
            return Err(OAuthError::InvalidGrant(
                "code_verifier does not match the code challenge".to_owned(),
            ));
        }
        (None, Some(_)) => {
            return Err(OAuthError::InvalidGrant(
                "the authorization request had no code challenge".to_owned(),
            ));
        }
        (None, None) if client.public => {
            return Err(OAuthError::InvalidGrant(
                "public clients must use PKCE".to_owned(),
            ));
        }
        (None, None) => {}
    }
    let replayed = || async {
        tokens::revoke_family(&state.store, &row.family, now).await?;
        Err(OAuthError::InvalidGrant(
            "the code was already used: the tokens it gave are revoked".to_owned(),
        ))
    };
    if stored.used_at.is_some() {
        return replayed().await;
    }
    if now >= row.expires_at {
        return Err(OAuthError::InvalidGrant("the code expired".to_owned()));
    }
    if !codes::spend(&state.store, &stored.hash, now).await? {
        return replayed().await;
    }
    let requested =
        scopes::parse(&row.scopes).map_err(|e| OAuthError::InvalidScope(e.to_string()))?;
    let mut issued = Vec::new();
    let mut openid = false;
    for (resource_server, scopes) in group_by_resource_server(state, &requested).await? {
        openid |= scopes.iter().any(|s| s == "openid");
        let grant = TokenGrant {
            client_id: client.id.clone(),
            identity_id: row.identity_id.clone(),
            resource_server,
            scopes: scopes.join(" "),
            family: row.family.clone(),
            consent_client: None,
        };
        let mut token = issue_token(state, &grant, row.offline != 0).await?;
        token.state = row.state.clone();
        issued.push(token);
    }
    let id_token = match openid {
        true => {
            let identity = identities::find(&state.store, &row.identity_id)
                .await?
                .ok_or_else(|| {
                    OAuthError::InvalidGrant("the identity no longer exists".to_owned())
                })?;
            Some(id_token::sign(state, &identity, &client.id, row.nonce.as_deref()).await?)
        }
        false => None,
    };
    respond(issued, id_token)
}
