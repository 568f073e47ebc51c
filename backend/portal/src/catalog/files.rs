//! `GET /api/datasets/{id}/files?path=&page=&per_page=`: the folders and files of a dataset's
//! folder, listed by the transfer service with the researcher's OWN Transfer token (so the
//! collection's rules decide, not the portal), never outside the dataset's folder.

use super::dataset_path::DatasetPath;
use super::routes::readable;
use crate::auth::me::with_complete_profile;
use crate::paging::PageRequest;
use crate::transfer_client::file_entries;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::DatasetFiles;
use serde::Deserialize;

const DEFAULT_PER_PAGE: u32 = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesQuery {
    #[serde(default)]
    path: String,
    page: Option<u32>,
    per_page: Option<u32>,
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    query: web::Query<FilesQuery>,
) -> Result<web::Json<DatasetFiles>, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let snapshot = state.catalog.current();
    let dataset = readable(&snapshot, &id, &session)?;
    let path = DatasetPath::parse(&query.path)?;
    let page = PageRequest::checked(query.page, query.per_page, DEFAULT_PER_PAGE)?;
    let transfer = state.transfer_as(&session).await?;
    let folder = path.folder_in(&dataset.entry.folder);
    let listing = transfer
        .ls_page(
            &state.catalog_collection,
            &folder,
            page.offset(),
            page.per_page as usize,
        )
        .await
        .map_err(|e| match e {
            PortalError::NotFound(_) => {
                PortalError::NotFound(format!("no folder {} in dataset {id}", path.relative()))
            }
            other => other,
        })?;
    let entries = file_entries(listing.data);
    Ok(web::Json(DatasetFiles {
        path: path.relative(),
        paging: page.counted(&req, listing.total as u64, entries.len()),
        entries,
    }))
}
