//! `POST /api/datasets/{id}/downloads {path}`: a signed URL on the DATA SERVER for one file of a
//! dataset (see [`crate::data_links`]), with the researcher's token for the catalog collection.

use super::dataset_path::DatasetPath;
use super::routes::readable;
use crate::auth::me::with_complete_profile;
use crate::data_links::{Refusals, signed_link};
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::{DownloadLink, DownloadRequest};

pub async fn create(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    body: web::Json<DownloadRequest>,
) -> Result<web::Json<DownloadLink>, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let snapshot = state.catalog.current();
    let dataset = readable(&snapshot, &id, &session)?;
    let path = DatasetPath::parse(&body.path)?;
    let file = path
        .file_in(&dataset.entry.folder)
        .ok_or_else(|| PortalError::BadRequest("path: a file of the dataset".into()))?;
    let refusals = Refusals {
        no_grant: PortalError::GrantEnded(state.catalog_collection.clone()),
        no_file: format!("no file {} in dataset {id}", path.relative()),
    };
    let link = signed_link(
        &state,
        &session,
        (state.catalog_collection.as_str(), &file),
        refusals,
    )
    .await?;
    Ok(web::Json(link))
}
