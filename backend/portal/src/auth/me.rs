//! `GET /api/me`: who is signed in.

use super::session;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::MeResponse;

pub async fn get_me(
    req: HttpRequest,
    state: web::Data<PortalState>,
) -> Result<web::Json<MeResponse>, PortalError> {
    let session = session::current(&req, &state.store, state.clock.now())
        .await?
        .ok_or(PortalError::Unauthenticated)?;
    Ok(web::Json(MeResponse {
        identity_id: session.identity_id,
        username: session.username,
        name: session.name,
        email: session.email,
    }))
}
