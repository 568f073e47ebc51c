//! `grant_type=client_credentials`: a confidential client gets tokens for itself.

use super::{group_by_resource_server, issue_token, respond};
use crate::IdpState;
use crate::client_auth::{Presented, authenticate_confidential};
use crate::error::OAuthError;
use crate::scopes;
use crate::tokens::TokenGrant;
use mrdp_globus::auth::TokenResponse;

/// One token per resource server of the requested scopes; the client is the identity.
pub async fn grant(
    state: &IdpState,
    presented: Presented,
    scope: Option<&str>,
) -> Result<TokenResponse, OAuthError> {
    let client = authenticate_confidential(&state.store, presented).await?;
    let scope = scope
        .ok_or_else(|| OAuthError::InvalidScope("the scope parameter is required".to_owned()))?;
    let requested = scopes::parse(scope).map_err(|e| OAuthError::InvalidScope(e.to_string()))?;
    let family = uuid::Uuid::new_v4().to_string();
    let mut issued = Vec::new();
    for (resource_server, scopes) in group_by_resource_server(state, &requested).await? {
        let grant = TokenGrant {
            client_id: client.id.clone(),
            identity_id: client.id.clone(),
            resource_server,
            scopes: scopes.join(" "),
            family: family.clone(),
            consent_client: None,
        };
        issued.push(issue_token(state, &grant, false).await?);
    }
    respond(issued, None)
}
