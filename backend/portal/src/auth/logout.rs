//! `POST /api/auth/logout`: revokes every token of the session at the provider, ends the
//! session, and answers the provider's logout URL for the browser.

use super::session;
use super::vault;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::LogoutResponse;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

pub async fn post_logout(
    req: HttpRequest,
    state: web::Data<PortalState>,
) -> Result<HttpResponse, PortalError> {
    let session = session::current(&req, &state.store, state.clock.now())
        .await?
        .ok_or(PortalError::Unauthenticated)?;
    let sealed: Vec<(String, String)> =
        sqlx::query_as("SELECT resource_server, sealed FROM vault_tokens WHERE session_hash = $1")
            .bind(&session.id_hash)
            .fetch_all(state.store.pool())
            .await?;
    for (resource_server, sealed) in sealed {
        let Ok(tokens) = vault::open(
            &state.vault_key,
            &session.id_hash,
            &resource_server,
            &sealed,
        ) else {
            continue;
        };
        if let Some(refresh) = &tokens.refresh_token {
            state.provider.revoke(refresh).await;
        }
        state.provider.revoke(&tokens.access_token).await;
    }
    session::delete(&state.store, &session.id_hash).await?;
    let credentials = state.provider.credentials()?;
    let logout_url = format!(
        "{}/v2/web/logout?client={}&redirect_uri={}&redirect_name={}",
        state.provider.settings.issuer.trim_end_matches('/'),
        utf8_percent_encode(&credentials.client_id, NON_ALPHANUMERIC),
        utf8_percent_encode(&state.public_url, NON_ALPHANUMERIC),
        utf8_percent_encode("Research Data Portal", NON_ALPHANUMERIC),
    );
    let mut response = HttpResponse::Ok().json(LogoutResponse { logout_url });
    response
        .add_cookie(&session::removal(state.secure_cookies))
        .ok();
    Ok(response)
}
