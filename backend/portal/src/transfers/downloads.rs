//! `POST /api/collections/{id}/downloads {path}`: a signed URL on the DATA SERVER for one file of
//! any collection the researcher may read (see [`crate::data_links`]), the file manager's
//! "Download". It needs the researcher's token for the collection's HTTPS scope: a collection
//! they have not allowed the portal to use yet (a folder shared with them since they signed in)
//! is `403 consent_required`, and the app sends them to sign in with that permission
//! (`/api/auth/login?collection=<id>`).

use super::collections::{absolute, collection_id};
use crate::auth::me::with_complete_profile;
use crate::data_links::{Refusals, signed_link};
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::{DownloadLink, DownloadRequest};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/collections/{id}/downloads", web::post().to(create));
}

async fn create(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    body: web::Json<DownloadRequest>,
) -> Result<web::Json<DownloadLink>, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let collection = collection_id(&id)?;
    let path = absolute(&body.path)?;
    if path.ends_with('/') {
        return Err(PortalError::BadRequest("path: a file, not a folder".into()));
    }
    let refusals = Refusals {
        no_grant: PortalError::ConsentRequired(collection.clone()),
        no_file: format!("no file {path} in collection {collection}"),
    };
    let link = signed_link(&state, &session, (&collection, &path), refusals).await?;
    Ok(web::Json(link))
}
