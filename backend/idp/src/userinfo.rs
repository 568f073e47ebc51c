//! `GET|POST /v2/oauth2/userinfo`: who the bearer of an `openid` token is.

use crate::IdpState;
use crate::api_error::ApiError;
use crate::caller::auth_token;
use crate::registry::identities::{self, LOCAL_IDENTITY_PROVIDER};
use actix_web::{HttpRequest, web};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct UserInfo {
    sub: String,
    preferred_username: String,
    name: String,
    email: Option<String>,
    organization: Option<String>,
    identity_set: Vec<LinkedIdentity>,
}

#[derive(Debug, Serialize)]
struct LinkedIdentity {
    sub: String,
    username: String,
    name: String,
    email: Option<String>,
    organization: Option<String>,
    identity_provider: &'static str,
    status: &'static str,
}

pub async fn get_userinfo(
    req: HttpRequest,
    state: web::Data<IdpState>,
) -> Result<web::Json<UserInfo>, ApiError> {
    let token = auth_token(&req, &state).await?;
    if !token.scopes.split(' ').any(|s| s == "openid") {
        return Err(ApiError::Forbidden(
            "the token lacks the openid scope".to_owned(),
        ));
    }
    let identity = identities::find(&state.store, &token.identity_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Call must be authenticated".to_owned()))?;
    let linked = LinkedIdentity {
        sub: identity.id.clone(),
        username: identity.username.clone(),
        name: identity.name.clone(),
        email: identity.email.clone(),
        organization: identity.organization.clone(),
        identity_provider: LOCAL_IDENTITY_PROVIDER,
        status: "used",
    };
    Ok(web::Json(UserInfo {
        sub: identity.id,
        preferred_username: identity.username,
        name: identity.name,
        email: identity.email,
        organization: identity.organization,
        identity_set: vec![linked],
    }))
}
