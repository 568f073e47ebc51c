//! Who calls the identity API: a bearer token for Globus Auth itself, or a confidential client
//! with HTTP Basic (as `ConfidentialAppAuthClient` calls it).

use crate::IdpState;
use crate::api_error::ApiError;
use crate::client_auth::{Presented, authenticate_confidential, presented};
use crate::registry::scopes::AUTH_RESOURCE_SERVER;
use crate::tokens::{self, TokenRow};
use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;

/// The active Globus Auth access token the request bears (401 in the Globus envelope if none).
pub async fn auth_token(req: &HttpRequest, state: &IdpState) -> Result<TokenRow, ApiError> {
    bearer_for(req, state, AUTH_RESOURCE_SERVER).await
}

/// The active access token for `resource_server` the request bears (401 if none).
pub async fn bearer_for(
    req: &HttpRequest,
    state: &IdpState,
    resource_server: &str,
) -> Result<TokenRow, ApiError> {
    let unauthenticated = || ApiError::Unauthorized("Call must be authenticated".to_owned());
    let bearer = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(unauthenticated)?;
    tokens::find_active_access(&state.store, bearer.trim(), state.clock.now())
        .await?
        .filter(|token| token.resource_server == resource_server)
        .ok_or_else(unauthenticated)
}

/// Checks that the request is authenticated, or says why not (401 in the Globus envelope).
pub async fn require_caller(req: &HttpRequest, state: &IdpState) -> Result<(), ApiError> {
    let unauthenticated = || ApiError::Unauthorized("Call must be authenticated".to_owned());
    let bears_token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    if bears_token {
        return auth_token(req, state).await.map(|_| ());
    }
    let presented = presented(req, None).map_err(|_| unauthenticated())?;
    match presented {
        Presented::Basic { .. } => {
            authenticate_confidential(&state.store, presented)
                .await
                .map_err(|_| unauthenticated())?;
            Ok(())
        }
        Presented::PublicId(_) | Presented::Nothing => Err(unauthenticated()),
    }
}
