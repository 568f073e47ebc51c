//! `POST /api/auth/logout`: revokes every token of the session at the provider, ends the
//! session, and answers the provider's logout URL for the browser.

use super::{grants, session};
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::LogoutResponse;

pub async fn post_logout(
    req: HttpRequest,
    state: web::Data<PortalState>,
) -> Result<HttpResponse, PortalError> {
    let session = session::required(&req, &state).await?;
    grants::revoke_all(&state, &session.id_hash).await?;
    session::delete(&state, &session.id_hash).await?;
    let logout_url = state.provider.logout_url(&state.public_url).await?;
    let mut response = HttpResponse::Ok().json(LogoutResponse { logout_url });
    response
        .add_cookie(&session::removal(state.secure_cookies))
        .ok();
    Ok(response)
}
