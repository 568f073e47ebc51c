//! The file manager's API: `GET /api/collections?filter=&q=&page=&per_page=` (the collections the
//! researcher may use, found by the transfer service's `endpoint_search`),
//! `GET /api/collections/{id}/ls?path=&page=&per_page=&sort=&order=&hidden=`, `POST /api/collections/{id}/mkdir`,
//! `POST /api/collections/{id}/rename` and `POST /api/collections/{id}/delete` (a delete task,
//! answered with its id), each with the researcher's own token: a collection they
//! may not see is a 404, a folder they may not read or write a 403, as the transfer service says.

use super::{catalog_top, researchers, service_made_id};
use crate::auth::me::with_complete_profile;
use crate::paging::PageRequest;
use crate::transfer_client::file_entries;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::{
    CollectionList, CollectionSummary, Deletion, FolderListing, NewFolder, Rename,
    TransferSubmitted,
};
use serde::Deserialize;

const DEFAULT_PER_PAGE: u32 = 100;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/collections", web::get().to(search))
        .route("/collections/{id}/ls", web::get().to(ls))
        .route("/collections/{id}/mkdir", web::post().to(mkdir))
        .route("/collections/{id}/rename", web::post().to(rename))
        .route("/collections/{id}/delete", web::post().to(delete));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    filter: Option<String>,
    #[serde(default)]
    q: String,
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn search(
    req: HttpRequest,
    state: web::Data<PortalState>,
    query: web::Query<SearchQuery>,
) -> Result<web::Json<CollectionList>, PortalError> {
    let scope = match query.filter.as_deref().unwrap_or("all") {
        scope @ ("all" | "my-endpoints" | "shared-with-me") => scope,
        _ => {
            return Err(PortalError::BadRequest(
                "filter: all, my-endpoints or shared-with-me".into(),
            ));
        }
    };
    if query.q.chars().count() > 200 {
        return Err(PortalError::BadRequest("q: at most 200 characters".into()));
    }
    let page = PageRequest::checked(query.page, query.per_page, DEFAULT_PER_PAGE)?;
    let found = researchers(&req, &state)
        .await?
        .endpoint_search(
            (scope, query.q.trim(), None),
            page.offset(),
            page.per_page as usize,
        )
        .await?;
    let collections = found
        .data
        .into_iter()
        .map(|endpoint| {
            let catalog = endpoint.id == state.catalog_collection;
            let yours = !endpoint.my_effective_roles.is_empty();
            CollectionSummary {
                may_write: if yours {
                    Some(true)
                } else if catalog {
                    Some(false)
                } else {
                    None
                },
                catalog,
                yours,
                shared: endpoint.entity_type == "GCSv5_guest_collection",
                id: endpoint.id,
                name: endpoint.display_name,
                description: endpoint.description,
                owner: endpoint.owner_string,
            }
        })
        .collect();
    Ok(web::Json(CollectionList {
        collections,
        paging: page.answer(&req, None, found.has_next_page),
    }))
}

pub(super) fn collection_id(id: &str) -> Result<String, PortalError> {
    service_made_id(id, "collection")
}

/// An absolute path of a collection, as a folder (`/a/b/`), without `..` or NUL; the transfer
/// service checks the rest.
pub(super) fn folder(path: &str) -> Result<String, PortalError> {
    let path = absolute(path)?;
    Ok(if path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    })
}

pub(super) fn absolute(path: &str) -> Result<String, PortalError> {
    let fine = path.starts_with('/')
        && path.len() <= 4096
        && !path.contains('\0')
        && !path.split('/').any(|name| name == "..");
    fine.then(|| path.to_owned()).ok_or_else(|| {
        PortalError::BadRequest(format!(
            "{path:?} is not an absolute path of the collection"
        ))
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LsQuery {
    path: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
    /// `name` (the default), `size` or `modified`; folders come first either way.
    sort: Option<String>,
    /// `asc` (the default) or `desc`.
    order: Option<String>,
    /// Whether names starting with a dot are listed (not by default).
    hidden: Option<bool>,
}

/// `ls`'s `orderby` and `show_hidden` for what the researcher asked.
fn listing_options(query: &LsQuery) -> Result<[(&'static str, String); 2], PortalError> {
    let field = match query.sort.as_deref().unwrap_or("name") {
        "name" => "name",
        "size" => "size",
        "modified" => "last_modified",
        _ => {
            return Err(PortalError::BadRequest(
                "sort: name, size or modified".into(),
            ));
        }
    };
    let direction = match query.order.as_deref().unwrap_or("asc") {
        "asc" => "ASC",
        "desc" => "DESC",
        _ => return Err(PortalError::BadRequest("order: asc or desc".into())),
    };
    let hidden = if query.hidden.unwrap_or(false) {
        "1"
    } else {
        "0"
    };
    Ok([
        ("orderby", format!("type ASC,{field} {direction}")),
        ("show_hidden", hidden.to_owned()),
    ])
}

async fn ls(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    query: web::Query<LsQuery>,
) -> Result<web::Json<FolderListing>, PortalError> {
    let path = folder(query.path.as_deref().unwrap_or("/"))?;
    let page = PageRequest::checked(query.page, query.per_page, DEFAULT_PER_PAGE)?;
    let options = listing_options(&query)?;
    let collection = collection_id(&id)?;
    if collection == state.catalog_collection && path == "/" {
        let session = with_complete_profile(&req, &state).await?;
        let descending = query.order.as_deref() == Some("desc");
        let snapshot = state.catalog.current();
        let (entries, paging) =
            page.of(&req, catalog_top::folders(&snapshot, &session, descending));
        return Ok(web::Json(FolderListing {
            path,
            entries,
            paging,
        }));
    }
    let listing = researchers(&req, &state)
        .await?
        .ls_page_with(
            &collection,
            &path,
            (page.offset(), page.per_page as usize),
            &options,
        )
        .await?;
    let entries = file_entries(listing.data);
    Ok(web::Json(FolderListing {
        path: listing.path,
        paging: page.counted(&req, listing.total as u64, entries.len()),
        entries,
    }))
}

async fn mkdir(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    body: web::Json<NewFolder>,
) -> Result<HttpResponse, PortalError> {
    let path = folder(&body.path)?;
    researchers(&req, &state)
        .await?
        .mkdir(&collection_id(&id)?, &path)
        .await?;
    Ok(HttpResponse::Created().json(NewFolder { path }))
}

async fn rename(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    body: web::Json<Rename>,
) -> Result<HttpResponse, PortalError> {
    let (old_path, new_path) = (absolute(&body.old_path)?, absolute(&body.new_path)?);
    researchers(&req, &state)
        .await?
        .rename(&collection_id(&id)?, &old_path, &new_path)
        .await?;
    Ok(HttpResponse::Ok().json(Rename { old_path, new_path }))
}

/// The most paths one deletion takes.
const MOST_DELETED: usize = 1000;

async fn delete(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    body: web::Json<Deletion>,
) -> Result<HttpResponse, PortalError> {
    if body.paths.is_empty() || body.paths.len() > MOST_DELETED {
        return Err(PortalError::BadRequest(format!(
            "paths: 1 to {MOST_DELETED} files or folders to delete"
        )));
    }
    let items = body
        .paths
        .iter()
        .map(|path| {
            absolute(path).map(|path| serde_json::json!({"DATA_TYPE": "delete_item", "path": path}))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let collection = collection_id(&id)?;
    let transfer = researchers(&req, &state).await?;
    let mut request = serde_json::json!({
        "DATA_TYPE": "delete",
        "endpoint": collection,
        "submission_id": transfer.submission_id().await?,
        "recursive": true,
        "DATA": items,
    });
    if let Some(label) = &body.label {
        request["label"] = label.as_str().into();
    }
    let task_id = transfer
        .submit("delete", &request)
        .await
        .map_err(|e| match e {
            PortalError::Forbidden(message) if message.contains("write") => {
                PortalError::Forbidden(format!(
                    "you may not delete in this folder: it is shared with you read-only, or not at all ({message})"
                ))
            }
            other => other,
        })?;
    Ok(HttpResponse::Accepted().json(TransferSubmitted { task_id }))
}
