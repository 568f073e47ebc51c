//! The file manager's API: the collections the researcher may use, their folders, the changes the
//! transfer service makes in them (a folder made, a rename, a delete task), and folder shares.

use super::{ApiFailure, ApiPath, CSRF_HEADER, escaped, get, post, send};
use gloo_net::http::Request;
use mrdp_shared::{
    CollectionList, Deletion, DownloadLink, DownloadRequest, FolderListing, NewFolder, Rename,
    Share, ShareRequest, Shares, TransferSubmitted,
};

/// Which collections `GET /api/collections` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionFilter {
    Mine,
    SharedWithMe,
}

impl CollectionFilter {
    fn value(self) -> &'static str {
        match self {
            Self::Mine => "my-endpoints",
            Self::SharedWithMe => "shared-with-me",
        }
    }
}

/// How a folder's entries are ordered (folders always first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingOrder {
    /// `name`, `size` or `modified`.
    pub sort: &'static str,
    pub descending: bool,
    /// Whether names starting with a dot are listed.
    pub hidden: bool,
}

fn collection_url(id: &str, rest: &str) -> String {
    format!("{}/{}{rest}", ApiPath::Collections.path(), escaped(id))
}

/// `GET /api/collections?filter=` (the first hundred).
pub async fn fetch_collections(filter: CollectionFilter) -> Result<CollectionList, ApiFailure> {
    get(&format!(
        "{}?filter={}&per_page=100",
        ApiPath::Collections.path(),
        filter.value()
    ))
    .await
}

/// `GET /api/collections/{id}/ls?path=&page=&sort=&order=&hidden=`.
pub async fn list_folder(
    id: &str,
    path: &str,
    page: u32,
    order: &ListingOrder,
) -> Result<FolderListing, ApiFailure> {
    let direction = if order.descending { "desc" } else { "asc" };
    get(&collection_url(
        id,
        &format!(
            "/ls?path={}&page={page}&per_page=50&sort={}&order={direction}&hidden={}",
            escaped(path),
            order.sort,
            order.hidden
        ),
    ))
    .await
}

/// `POST /api/collections/{id}/mkdir`.
pub async fn make_folder(id: &str, path: &str) -> Result<NewFolder, ApiFailure> {
    let body = NewFolder {
        path: path.to_owned(),
    };
    post(&collection_url(id, "/mkdir"), &body).await
}

/// `POST /api/collections/{id}/rename`.
pub async fn rename(id: &str, old_path: &str, new_path: &str) -> Result<Rename, ApiFailure> {
    let body = Rename {
        old_path: old_path.to_owned(),
        new_path: new_path.to_owned(),
    };
    post(&collection_url(id, "/rename"), &body).await
}

/// `POST /api/collections/{id}/delete`: a delete task.
pub async fn delete_paths(id: &str, paths: Vec<String>) -> Result<TransferSubmitted, ApiFailure> {
    let body = Deletion { paths, label: None };
    post(&collection_url(id, "/delete"), &body).await
}

/// `POST /api/collections/{id}/downloads {path}`: a signed URL on the data server.
pub async fn request_collection_download(id: &str, path: &str) -> Result<DownloadLink, ApiFailure> {
    let body = DownloadRequest {
        path: path.to_owned(),
    };
    post(&collection_url(id, "/downloads"), &body).await
}

/// `GET /api/collections/{id}/shares?path=`.
pub async fn fetch_shares(id: &str, path: &str) -> Result<Shares, ApiFailure> {
    get(&collection_url(
        id,
        &format!("/shares?path={}", escaped(path)),
    ))
    .await
}

/// `POST /api/collections/{id}/shares`.
pub async fn share_folder(id: &str, request: &ShareRequest) -> Result<Share, ApiFailure> {
    post(&collection_url(id, "/shares"), request).await
}

/// `DELETE /api/shares/{collection}/{id}` (answered with no document).
pub async fn revoke_share(share: &Share) -> Result<(), ApiFailure> {
    let url = format!(
        "{}/{}/{}",
        ApiPath::Shares.path(),
        escaped(&share.collection),
        escaped(&share.id)
    );
    let request = Request::delete(&url)
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1");
    send(request.build()).await
}
