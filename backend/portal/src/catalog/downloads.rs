//! `POST /api/datasets/{id}/downloads {path}`: a signed URL on the DATA SERVER for one file of a
//! dataset. The portal asks the data server to sign it with the researcher's own token for the
//! catalog collection's HTTPS scope, so the data server checks the collection's rules for that
//! researcher (and again on every read of the URL); the file's bytes never pass through the
//! portal, and no token reaches the browser.

use super::dataset_path::DatasetPath;
use super::routes::readable;
use crate::auth::grants;
use crate::auth::me::with_complete_profile;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::{DownloadLink, DownloadRequest};
use serde::Serialize;

#[derive(Serialize)]
struct SignRequest<'a> {
    collection: &'a str,
    path: &'a str,
}

#[derive(serde::Deserialize)]
struct DataError {
    message: String,
}

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
    // Globus files a collection's HTTPS token under the collection's id.
    let resource_server = state.catalog_collection.as_str();
    let tokens = grants::usable(&state, &session.id_hash, resource_server)
        .await?
        .ok_or_else(|| PortalError::GrantEnded(resource_server.to_owned()))?;
    let url = format!("{}/signed-urls", state.upstreams.data.trim_end_matches('/'));
    let request = SignRequest {
        collection: resource_server,
        path: &file,
    };
    let response = state
        .http
        .post(url)
        .bearer_auth(&tokens.access_token)
        .json(&request)
        .send()
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "the data server did not answer");
            PortalError::Upstream("the data server did not answer".into())
        })?;
    let status = response.status();
    if status.is_success() {
        let link: DownloadLink = response.json().await.map_err(|e| {
            PortalError::Upstream(format!("the data server's answer is not understood: {e}"))
        })?;
        return Ok(web::Json(link));
    }
    let message = response.json::<DataError>().await.map_or_else(
        |_| format!("the data server answered {status}"),
        |e| e.message,
    );
    Err(match status.as_u16() {
        404 => PortalError::NotFound(format!("no file {} in dataset {id}", path.relative())),
        403 => PortalError::Forbidden(message),
        _ => PortalError::Upstream(format!("the data server answered {status}: {message}")),
    })
}
