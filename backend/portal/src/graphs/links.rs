//! `POST /api/graphs/{id}/links`: signed data-server URLs for every file of a finished job
//! (its charts and its provenance), so that the web app shows the charts inline and offers them
//! for download. Each is signed by the data server for the researcher's own token for the
//! results collection's HTTPS scope (checked against the job's access rule, at signing and at
//! every read); a researcher who has not allowed the portal to use that collection yet is
//! `403 consent_required`.

use super::routes::job_of;
use crate::data_links::{Refusals, signed_link};
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_shared::{GraphFileLink, GraphJob, GraphLinks};

pub async fn create(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<web::Json<GraphLinks>, PortalError> {
    let (session, graph, path) = job_of(&req, &state, &id).await?;
    let job: GraphJob = graph
        .fetch(reqwest::Method::GET, &path, None::<&()>)
        .await?;
    let result = job
        .result
        .ok_or_else(|| PortalError::Conflict("the job has no results yet".to_owned()))?;
    let mut links = Vec::with_capacity(result.files.len());
    for file in &result.files {
        let path = format!("{}{}", result.folder, file.name);
        let refusals = Refusals {
            no_grant: PortalError::ConsentRequired(result.collection.clone()),
            no_file: format!("{} is no longer there", file.name),
        };
        let link = signed_link(&state, &session, (&result.collection, &path), refusals).await?;
        links.push(GraphFileLink {
            name: file.name.clone(),
            url: link.url,
            expires_at: link.expires_at,
        });
    }
    Ok(web::Json(GraphLinks { links }))
}
