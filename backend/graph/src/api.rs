//! `POST /api/graphs`, `GET /api/graphs`, `GET /api/graphs/{id}`, `DELETE /api/graphs/{id}`,
//! each for the researcher the bearer token acts for and nobody else.

use crate::caller::{Researcher, researcher};
use crate::delegation::Delegation;
use crate::errors::GraphError;
use crate::jobs::{self, JobRow, NewJob};
use crate::service::GraphService;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::dates::iso_time;
use mrdp_shared::{
    GraphJob, GraphJobs, GraphProgress, GraphRequest, GraphStage, GraphStatus, Paging,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    let bad_json = |e: actix_web::error::JsonPayloadError, _: &HttpRequest| {
        GraphError::BadRequest(format!("the request is not a graph request: {e}")).into()
    };
    cfg.app_data(
        web::JsonConfig::default()
            .limit(16 * 1024)
            .error_handler(bad_json),
    )
    .route("/api/graphs", web::post().to(submit))
    .route("/api/graphs", web::get().to(list))
    .route("/api/graphs/{id}", web::get().to(one))
    .route("/api/graphs/{id}", web::delete().to(delete));
}

/// The job as the API shows it.
pub fn document(row: &JobRow) -> Result<GraphJob, GraphError> {
    let request = row
        .request()
        .map_err(|e| GraphError::Store(sqlx::Error::Decode(Box::new(e))))?;
    Ok(GraphJob {
        id: row.id.clone(),
        status: row.status(),
        request,
        progress: row.progress(),
        created: iso_time(row.created_at),
        updated: iso_time(row.updated_at),
        expires: iso_time(row.expires_at),
        result: row.result(),
        error: row.error.clone(),
    })
}

async fn submit(
    req: HttpRequest,
    service: web::Data<GraphService>,
    request: web::Json<GraphRequest>,
) -> Result<HttpResponse, GraphError> {
    let Researcher { identity, token } = researcher(&req, &service).await?;
    let plan = service
        .settings
        .catalog
        .plan(&request)
        .map_err(|refusal| GraphError::BadRequest(refusal.0))?;
    let delegation = Delegation::obtain(&service, &token).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let now = service.clock.now();
    let job = NewJob {
        id: &id,
        owner: &identity,
        request: &request,
        progress: GraphProgress {
            done: 0,
            total: crate::work::steps(&plan),
            stage: GraphStage::Waiting,
        },
        delegation: &delegation.seal(&service, &id)?,
        expires_at: now + service.settings.results_lifetime,
    };
    jobs::create(&service.store, &job, now).await?;
    let row = jobs::find(&service.store, &id)
        .await?
        .ok_or_else(|| GraphError::NotFound(format!("no graph job {id}")))?;
    service.wake.notify_one();
    tracing::info!(job = %id, station_years = plan.inputs.len(), "graph job queued");
    Ok(HttpResponse::Accepted()
        .insert_header((LOCATION, format!("/api/graphs/{id}")))
        .json(document(&row)?))
}

/// `GET /api/graphs?page=&per_page=`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn list(
    req: HttpRequest,
    service: web::Data<GraphService>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<GraphJobs>, GraphError> {
    let researcher = researcher(&req, &service).await?;
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(20);
    if page == 0 || !(1..=100).contains(&per_page) {
        return Err(GraphError::BadRequest(
            "page: from 1; per_page: from 1 to 100".into(),
        ));
    }
    let offset = i64::from(page - 1) * i64::from(per_page);
    let (rows, total) = jobs::of_owner(
        &service.store,
        &researcher.identity,
        (offset, i64::from(per_page)),
    )
    .await?;
    let jobs: Vec<GraphJob> = rows.iter().map(document).collect::<Result<_, _>>()?;
    let more = offset + (jobs.len() as i64) < total;
    Ok(web::Json(GraphJobs {
        jobs,
        paging: Paging {
            page,
            per_page,
            total: u64::try_from(total).ok(),
            next: more.then(|| format!("/api/graphs?page={}&per_page={per_page}", page + 1)),
        },
    }))
}

/// The caller's job `id`; 404 for anyone else's, as for an unknown one.
async fn owned(req: &HttpRequest, service: &GraphService, id: &str) -> Result<JobRow, GraphError> {
    let researcher = researcher(req, service).await?;
    jobs::find_owned(&service.store, id, &researcher.identity)
        .await?
        .ok_or_else(|| GraphError::NotFound(format!("no graph job {id}")))
}

async fn one(
    req: HttpRequest,
    service: web::Data<GraphService>,
    id: web::Path<String>,
) -> Result<web::Json<GraphJob>, GraphError> {
    let row = owned(&req, &service, &id).await?;
    Ok(web::Json(document(&row)?))
}

/// Removes the job, its access rule and (when no other job holds them) its files. A running
/// job is deleted once it has finished.
async fn delete(
    req: HttpRequest,
    service: web::Data<GraphService>,
    id: web::Path<String>,
) -> Result<HttpResponse, GraphError> {
    let row = owned(&req, &service, &id).await?;
    if row.status() == GraphStatus::Running {
        return Err(GraphError::Conflict(
            "the job is running; delete it once it has finished".to_owned(),
        ));
    }
    crate::results::remove(&service, &row)
        .await
        .map_err(|e| GraphError::Upstream(e.to_string()))?;
    Ok(HttpResponse::NoContent().finish())
}
