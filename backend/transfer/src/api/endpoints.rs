//! `GET /v0.10/endpoint/{id}` and `GET /v0.10/endpoint_search`: collections as endpoint
//! documents, with the `https_server` their files are reached at.

use super::{Failure, TransferApi, TransferError};
use crate::access::Caller;
use crate::collections::{self, Collection, Placement};
use actix_web::{HttpRequest, web};
use mrdp_globus::transfer::{EndpointDocument, EndpointList, ServerDocument};
use serde::Deserialize;

/// Most results a search answers (Globus's cap).
const MAX_RESULTS: usize = 1000;
const DEFAULT_LIMIT: usize = 100;

impl TransferApi {
    /// The endpoint document of `collection` as `caller` may see it: where a guest collection
    /// lies in its host is its owner's to know.
    fn document(&self, collection: &Collection, caller: &Caller) -> EndpointDocument {
        let owned = caller.is(&collection.owner_id);
        let (entity_type, host_endpoint_id, host_path) = match &collection.placement {
            Placement::Mapped { .. } => ("GCSv5_mapped_collection", None, None),
            Placement::Guest {
                host_collection_id,
                host_path,
            } => (
                "GCSv5_guest_collection",
                owned.then(|| host_collection_id.clone()),
                owned.then(|| host_path.as_dir()),
            ),
        };
        let hostname = self
            .data_url
            .split_once("://")
            .map_or(self.data_url.as_str(), |(_, rest)| rest)
            .to_owned();
        EndpointDocument {
            data_type: "endpoint".to_owned(),
            id: collection.id.clone(),
            display_name: collection.display_name.clone(),
            description: collection.description.clone(),
            entity_type: entity_type.to_owned(),
            https_server: Some(format!("{}/{}", self.data_url, collection.id)),
            owner_id: collection.owner_id.clone(),
            owner_string: collection.owner_id.clone(),
            host_endpoint_id,
            host_path,
            gcs_manager_url: None,
            high_assurance: false,
            my_effective_roles: if owned {
                vec!["administrator".to_owned()]
            } else {
                Vec::new()
            },
            data: vec![ServerDocument {
                data_type: "server".to_owned(),
                hostname,
            }],
        }
    }
}

pub async fn get_endpoint(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
) -> Result<web::Json<EndpointDocument>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let collection = api.visible_collection(&caller, &id).await?;
        Ok(web::Json(api.document(&collection, &caller)))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    filter_fulltext: Option<String>,
    filter_scope: Option<String>,
    filter_owner_id: Option<String>,
    filter_host_endpoint: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

/// Which collections a `filter_scope` selects for `caller`.
async fn in_scope(
    api: &TransferApi,
    scope: &str,
    collection: &Collection,
    caller: &Caller,
) -> Result<bool, TransferError> {
    let owned = caller.is(&collection.owner_id);
    let guest = matches!(collection.placement, Placement::Guest { .. });
    let rule_book = api.judges.rule_book();
    let visible =
        || collections::visible(&api.store, rule_book, collection, caller, api.clock.now());
    Ok(match scope {
        "all" | "recently-used" | "in-use" | "hide-no-permissions" => visible().await?,
        "my-endpoints" | "administered-by-me" | "my-gcp-endpoints" => owned,
        "shared-by-me" => owned && guest,
        "shared-with-me" => guest && !owned && visible().await?,
        other => {
            return Err(TransferError::BadRequest(format!(
                "unknown filter_scope `{other}`"
            )));
        }
    })
}

fn matches_text(collection: &Collection, text: &str) -> bool {
    let text = text.to_lowercase();
    [
        &collection.display_name,
        &collection.description,
        &collection.id,
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(&text))
}

pub async fn search(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    query: web::Query<SearchQuery>,
) -> Result<web::Json<EndpointList>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
        let offset = query.offset.unwrap_or(0);
        if limit == 0 || limit > MAX_RESULTS || offset + limit > MAX_RESULTS {
            return Err(TransferError::BadRequest(format!(
                "limit must be 1..={MAX_RESULTS}, and offset + limit at most {MAX_RESULTS}"
            )));
        }
        let scope = query.filter_scope.as_deref().unwrap_or("all");
        let mut found = Vec::new();
        for collection in collections::list(&api.store).await? {
            let host = match &collection.placement {
                Placement::Guest {
                    host_collection_id, ..
                } => Some(host_collection_id.as_str()),
                Placement::Mapped { .. } => None,
            };
            let wanted = query
                .filter_fulltext
                .as_deref()
                .is_none_or(|text| matches_text(&collection, text))
                && query
                    .filter_owner_id
                    .as_deref()
                    .is_none_or(|owner| owner == collection.owner_id)
                && query
                    .filter_host_endpoint
                    .as_deref()
                    .is_none_or(|wanted| Some(wanted) == host)
                && in_scope(&api, scope, &collection, &caller).await?;
            if wanted {
                found.push(collection);
            }
        }
        found.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.id.cmp(&b.id)));
        let has_next_page = found.len() > offset + limit;
        let data = found
            .iter()
            .skip(offset)
            .take(limit)
            .map(|collection| api.document(collection, &caller))
            .collect();
        Ok(web::Json(EndpointList {
            data_type: "endpoint_list".to_owned(),
            limit,
            offset,
            has_next_page,
            data,
        }))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}
