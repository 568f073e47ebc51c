//! `GET /api/me/connections`: the services the portal may use for the researcher, each grant
//! renewed on the way if its access token has expired — what the researcher consented to, and
//! whether it still holds, without ever showing a token.

use super::{grants, me};
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::{Connection, ConnectionsResponse};

pub async fn get_connections(
    req: HttpRequest,
    state: web::Data<PortalState>,
) -> Result<web::Json<ConnectionsResponse>, PortalError> {
    let session = me::with_complete_profile(&req, &state).await?;
    let mut response = ConnectionsResponse {
        connections: Vec::new(),
        ended: Vec::new(),
    };
    for resource_server in grants::resource_servers(&state, &session.id_hash).await? {
        match grants::usable(&state, &session.id_hash, &resource_server).await {
            Ok(Some(tokens)) => response.connections.push(Connection {
                scopes: tokens.scope.split_whitespace().map(str::to_owned).collect(),
                expires_at: tokens.expires_at,
                renewable: tokens.refresh_token.is_some(),
                resource_server,
            }),
            Ok(None) => {}
            Err(PortalError::GrantEnded(_)) => response.ended.push(resource_server),
            Err(e) => return Err(e),
        }
    }
    Ok(web::Json(response))
}
