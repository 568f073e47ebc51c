//! `POST /api/graphs`, `GET /api/graphs`, `GET /api/graphs/{id}`, `DELETE /api/graphs/{id}`, the
//! progress stream and the links of a job's files. Another researcher's job is a 404 at the
//! graph service (it knows the caller by their token), and so here.

use super::forward::GraphAs;
use crate::auth::me::with_complete_profile;
use crate::auth::session::Session;
use crate::paging::PageQuery;
use crate::{PortalError, PortalState};
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::{GraphJob, GraphJobs, GraphRequest};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphs", web::post().to(submit))
        .route("/graphs", web::get().to(list))
        .route("/graphs/{id}", web::get().to(one))
        .route("/graphs/{id}", web::delete().to(delete))
        .route("/graphs/{id}/stream", web::get().to(super::stream::stream))
        .route("/graphs/{id}/links", web::post().to(super::links::create));
}

/// A job id as the graph service makes them (a UUID); anything else names no job.
fn job_id(id: &str) -> Result<String, PortalError> {
    crate::transfers::service_made_id(id, "graph job")
}

/// The signed-in researcher's session, the graph service as them, and the path of job `id` there.
pub async fn job_of(
    req: &HttpRequest,
    state: &PortalState,
    id: &str,
) -> Result<(Session, GraphAs, String), PortalError> {
    let session = with_complete_profile(req, state).await?;
    let path = format!("/{}", job_id(id)?);
    let graph = GraphAs::of(state, &session).await?;
    Ok((session, graph, path))
}

const NO_BODY: Option<&()> = None;

async fn submit(
    req: HttpRequest,
    state: web::Data<PortalState>,
    body: web::Json<GraphRequest>,
) -> Result<HttpResponse, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let graph = GraphAs::of(&state, &session).await?;
    let job: GraphJob = graph
        .fetch(reqwest::Method::POST, "", Some(&body.into_inner()))
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header((LOCATION, format!("/api/graphs/{}", job.id)))
        .json(job))
}

async fn list(
    req: HttpRequest,
    state: web::Data<PortalState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<GraphJobs>, PortalError> {
    let page = query.checked(20)?;
    let session = with_complete_profile(&req, &state).await?;
    let graph = GraphAs::of(&state, &session).await?;
    let mut jobs: GraphJobs = graph
        .fetch(
            reqwest::Method::GET,
            &format!("?page={}&per_page={}", page.page, page.per_page),
            NO_BODY,
        )
        .await?;
    let total = jobs.paging.total.unwrap_or_default();
    jobs.paging = page.counted(&req, total, jobs.jobs.len());
    Ok(web::Json(jobs))
}

async fn one(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<web::Json<GraphJob>, PortalError> {
    let (_, graph, path) = job_of(&req, &state, &id).await?;
    Ok(web::Json(
        graph.fetch(reqwest::Method::GET, &path, NO_BODY).await?,
    ))
}

async fn delete(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PortalError> {
    let (_, graph, path) = job_of(&req, &state, &id).await?;
    graph
        .call::<serde_json::Value>(reqwest::Method::DELETE, &path, NO_BODY)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
