//! Graphs: asking for a job, the researcher's jobs, one job, deleting it, signed links to its
//! files, and the address of its progress stream (Server-Sent Events).

use super::{ApiFailure, ApiPath, CSRF_HEADER, escaped, get, post, send};
use gloo_net::http::Request;
use mrdp_shared::{GraphJob, GraphJobs, GraphLinks, GraphRequest};

fn job_url(id: &str, rest: &str) -> String {
    format!("{}/{}{rest}", ApiPath::Graphs.path(), escaped(id))
}

/// `POST /api/graphs`.
pub async fn submit_graphs(request: &GraphRequest) -> Result<GraphJob, ApiFailure> {
    post(ApiPath::Graphs.path(), request).await
}

/// `GET /api/graphs?page=`: the researcher's jobs, newest first, ten a page.
pub async fn fetch_graph_jobs(page: u32) -> Result<GraphJobs, ApiFailure> {
    get(&format!(
        "{}?page={page}&per_page=10",
        ApiPath::Graphs.path()
    ))
    .await
}

/// `GET /api/graphs/{id}`.
pub async fn fetch_graph_job(id: &str) -> Result<GraphJob, ApiFailure> {
    get(&job_url(id, "")).await
}

/// `DELETE /api/graphs/{id}`: the job, its access rule and (when no other job holds them) its
/// files.
pub async fn delete_graph_job(id: &str) -> Result<(), ApiFailure> {
    let request = Request::delete(&job_url(id, ""))
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1");
    send(request.build()).await
}

/// `POST /api/graphs/{id}/links`: a signed data-server URL for every file of a finished job.
pub async fn fetch_graph_links(id: &str) -> Result<GraphLinks, ApiFailure> {
    post(&job_url(id, "/links"), &serde_json::json!({})).await
}

/// `GET /api/graphs/{id}/stream`, for an `EventSource`.
pub fn graph_stream_url(id: &str) -> String {
    job_url(id, "/stream")
}
