//! The datasets API: search, landing documents, folder listings and signed download links; and
//! the one request that goes to the data server instead, a file read through a signed URL.

use super::{ApiFailure, ApiPath, CSRF_HEADER, get, send};
use crate::search_query::SearchQuery;
use gloo_net::http::Request;
use mrdp_shared::{Dataset, DatasetFiles, DatasetSearch, DownloadLink, DownloadRequest};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// A dataset's URL under `/api/datasets`, its id escaped.
fn dataset_url(id: &str, rest: &str) -> String {
    format!(
        "{}/{}{rest}",
        ApiPath::Datasets.path(),
        utf8_percent_encode(id, NON_ALPHANUMERIC)
    )
}

/// `GET /api/datasets?…`.
pub async fn search_datasets(query: &SearchQuery) -> Result<DatasetSearch, ApiFailure> {
    let url = format!("{}?{}", ApiPath::Datasets.path(), query.api_query_string());
    get(&url).await
}

/// `GET /api/datasets/{id}`.
pub async fn fetch_dataset(id: &str) -> Result<Dataset, ApiFailure> {
    get(&dataset_url(id, "")).await
}

/// `GET /api/datasets/{id}/files?path=&page=`.
pub async fn fetch_files(id: &str, path: &str, page: u32) -> Result<DatasetFiles, ApiFailure> {
    let path = utf8_percent_encode(path, NON_ALPHANUMERIC);
    get(&dataset_url(
        id,
        &format!("/files?path={path}&page={page}&per_page=50"),
    ))
    .await
}

/// `POST /api/datasets/{id}/downloads {path}`: a signed URL on the data server.
pub async fn request_download(id: &str, path: &str) -> Result<DownloadLink, ApiFailure> {
    let request = Request::post(&dataset_url(id, "/downloads"))
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1");
    let body = DownloadRequest {
        path: path.to_owned(),
    };
    send(request.json(&body)).await
}

/// Reads a file of a dataset as text, straight from the data server (never through the portal).
pub async fn read_file(id: &str, path: &str) -> Result<String, ApiFailure> {
    let link = request_download(id, path).await?;
    super::read_signed(&link.url).await
}
