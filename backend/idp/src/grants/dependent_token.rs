//! `grant_type=urn:globus:auth:grant_type:dependent_token` (Globus): the answer is a JSON array
//! of tokens, one per dependent resource server.

use super::delegation;
use crate::IdpState;
use crate::client_auth::{Presented, authenticate_confidential};
use crate::error::OAuthError;
use mrdp_globus::auth::Token;

pub async fn grant(
    state: &IdpState,
    presented: Presented,
    token: Option<&str>,
    scope: Option<&str>,
    access_type: Option<&str>,
) -> Result<Vec<Token>, OAuthError> {
    let caller = authenticate_confidential(&state.store, presented).await?;
    let token = token
        .ok_or_else(|| OAuthError::InvalidRequest("the token parameter is required".to_owned()))?;
    let subject = delegation::subject(state, &caller, token).await?;
    let scopes = delegation::allowed_scopes(state, &subject, scope).await?;
    delegation::issue(
        state,
        &caller,
        &subject,
        &scopes,
        access_type == Some("offline"),
    )
    .await
}
