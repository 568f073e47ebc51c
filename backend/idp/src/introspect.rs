//! `POST /v2/oauth2/token/introspect` (RFC 7662 with Globus's `include`): resource servers ask
//! whether a token they were given is active, for whom and for what.

use crate::IdpState;
use crate::client_auth::{authenticate_confidential, presented};
use crate::error::OAuthError;
use crate::registry::{groups, identities, scopes};
use crate::tokens;
use actix_web::{HttpRequest, web};
use mrdp_globus::auth::{ActiveToken, IdentityDetail, Introspection};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct IntrospectForm {
    token: String,
    /// Comma-separated: `identity_set`, `identity_set_detail`, `group_memberships`.
    include: Option<String>,
}

pub async fn post_introspect(
    req: HttpRequest,
    state: web::Data<IdpState>,
    form: web::Form<IntrospectForm>,
) -> Result<web::Json<Introspection>, OAuthError> {
    let caller = authenticate_confidential(&state.store, presented(&req, None)?).await?;
    let inactive = web::Json(Introspection {
        active: false,
        details: None,
    });
    let now = state.clock.now();
    // Only access tokens are bearer credentials; a refresh token presented here is not active.
    let Some(token) = tokens::find_active_access(&state.store, &form.token, now).await? else {
        return Ok(inactive);
    };
    let Some(identity) = identities::find(&state.store, &token.identity_id).await? else {
        return Ok(inactive);
    };
    let mut aud = vec![token.resource_server.clone()];
    let speaker = scopes::find_resource_server(&state.store, &token.resource_server)
        .await?
        .and_then(|rs| rs.client_id);
    if let Some(speaker) = speaker
        && !aud.contains(&speaker)
    {
        aud.push(speaker);
    }
    let include: Vec<&str> = form
        .include
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    // Memberships are told only to the resource server the token is for.
    let group_memberships = if include.contains(&"group_memberships") && aud.contains(&caller.id) {
        let groups = groups::of_identity(&state.store, &identity.id).await?;
        Some(groups.into_iter().map(|group| group.id).collect())
    } else {
        None
    };
    let detail = IdentityDetail {
        sub: identity.id.clone(),
        username: identity.username.clone(),
        name: identity.name.clone(),
        email: identity.email.clone(),
        organization: identity.organization.clone(),
        identity_type: identity.kind.clone(),
    };
    Ok(web::Json(Introspection {
        active: true,
        details: Some(ActiveToken {
            token_type: "Bearer".to_owned(),
            scope: token.scopes,
            client_id: token.client_id,
            username: identity.username,
            name: identity.name,
            email: identity.email,
            exp: token.expires_at,
            iat: token.issued_at,
            nbf: token.issued_at,
            sub: identity.id.clone(),
            aud,
            iss: state.settings.issuer.clone(),
            identity_set: include.contains(&"identity_set").then(|| vec![identity.id]),
            identity_set_detail: include
                .contains(&"identity_set_detail")
                .then(|| vec![detail]),
            group_memberships,
        }),
    }))
}
