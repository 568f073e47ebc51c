//! `GET /api/datasets` (search) and `GET /api/datasets/{id}` (a landing document), for a signed-in
//! researcher with a complete profile. A dataset the researcher may not read does not exist for
//! them: it is in no result, no count and no facet, and its id answers 404 as an unknown one.

use super::live::Snapshot;
use super::search::readers_of;
use super::search_query::SearchQuery;
use super::stored::StoredDataset;
use super::{json_ld, landing};
use crate::auth::me::with_complete_profile;
use crate::auth::session::Session;
use crate::{PortalError, PortalState, conditional};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::{Access, DatasetFacets, DatasetSearch, FacetCount};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/datasets", web::get().to(search))
        .route("/datasets/{id}", web::get().to(landing_document))
        .route("/datasets/{id}/files", web::get().to(super::files::list))
        .route(
            "/datasets/{id}/downloads",
            web::post().to(super::downloads::create),
        );
}

/// Whether the researcher of `session` may read `dataset`.
pub fn may_read(dataset: &StoredDataset, session: &Session) -> bool {
    match &dataset.entry.access {
        Access::SignedIn => true,
        Access::Group { id, .. } => session.groups().any(|group| group == id),
    }
}

/// The dataset `id` if the researcher may read it; 404 otherwise, as for an unknown id.
pub fn readable<'a>(
    snapshot: &'a Snapshot,
    id: &str,
    session: &Session,
) -> Result<&'a StoredDataset, PortalError> {
    snapshot
        .datasets
        .get(id)
        .filter(|dataset| may_read(dataset, session))
        .ok_or_else(|| PortalError::NotFound(format!("no dataset {id}")))
}

async fn search(
    req: HttpRequest,
    state: web::Data<PortalState>,
    pairs: web::Query<Vec<(String, String)>>,
) -> Result<web::Json<DatasetSearch>, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let query = SearchQuery::from_pairs(&pairs)?;
    let snapshot = state.catalog.current();
    let found = snapshot
        .index
        .search(&query, &readers_of(session.groups()))?;
    let results: Vec<_> = found
        .ids
        .iter()
        .filter_map(|id| snapshot.datasets.get(id))
        .map(landing::summary)
        .collect();
    let mut facets = DatasetFacets::default();
    for (facet, value, count) in found.facets {
        let list = match facet {
            "station" => &mut facets.station,
            "variable" => &mut facets.variable,
            _ => &mut facets.access,
        };
        let label = snapshot
            .labels
            .get(&(facet, value.clone()))
            .cloned()
            .unwrap_or_else(|| value.clone());
        list.push(FacetCount {
            value,
            label,
            count,
        });
    }
    Ok(web::Json(DatasetSearch {
        paging: query.page.counted(&req, found.total as u64, results.len()),
        results,
        facets,
    }))
}

/// The landing document, or with `Accept: application/ld+json` the schema.org `Dataset`; each
/// with its `ETag`, and `304` to a request that holds it.
async fn landing_document(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let snapshot = state.catalog.current();
    let dataset = readable(&snapshot, &id, &session)?;
    if json_ld::wanted(&req) {
        let described = json_ld::dataset(dataset, &state.public_url).to_string();
        return Ok(conditional::document(&req, json_ld::MEDIA_TYPE, described));
    }
    let document = serde_json::to_string(&landing::document(dataset, &state.public_url))
        .map_err(|e| PortalError::Misconfigured(format!("a landing document: {e}")))?;
    Ok(conditional::document(&req, "application/json", document))
}
