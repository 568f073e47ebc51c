//! `POST /v2/oauth2/token/revoke` (RFC 7009): a client revokes a token it obtained. Revoking a
//! refresh token revokes its whole grant; revoking an access token revokes that token.

use crate::IdpState;
use crate::client_auth::{authenticate, presented};
use crate::error::OAuthError;
use crate::tokens;
use actix_web::web;
use mrdp_globus::auth::Introspection;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    token: String,
    /// Public clients identify themselves here.
    client_id: Option<String>,
}

pub async fn post_revoke(
    req: actix_web::HttpRequest,
    state: web::Data<IdpState>,
    form: web::Form<RevokeForm>,
) -> Result<web::Json<Introspection>, OAuthError> {
    let client = authenticate(&state.store, presented(&req, form.client_id.as_deref())?).await?;
    // An unknown token is not an error (RFC 7009 §2.2): the outcome is the same.
    if let Some(token) = tokens::find(&state.store, &form.token).await? {
        if token.client_id != client.id {
            return Err(OAuthError::UnauthorizedClient(
                "the token was issued to another client".to_owned(),
            ));
        }
        let now = state.clock.now();
        if token.is_access() {
            tokens::revoke(&state.store, &token.hash, now).await?;
        } else {
            tokens::revoke_family(&state.store, &token.family, now).await?;
        }
    }
    Ok(web::Json(Introspection {
        active: false,
        details: None,
    }))
}
