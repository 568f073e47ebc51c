//! Transfers: submitting one (with an idempotency key, so a retry makes no second task), the
//! researcher's tasks, one task, its event log, cancelling it, and the address of its progress
//! stream (Server-Sent Events, read with the browser's `EventSource`).

use super::{ApiFailure, ApiPath, CSRF_HEADER, escaped, get, post, send};
use gloo_net::http::Request;
use mrdp_shared::{
    TransferEvents, TransferSubmission, TransferSubmitted, TransferTask, TransferTasks,
    TransferredFiles,
};

fn task_url(id: &str, rest: &str) -> String {
    format!("{}/{}{rest}", ApiPath::Transfers.path(), escaped(id))
}

/// A new idempotency key for each click: the same request sent twice makes one task.
pub fn new_idempotency_key() -> String {
    leptos::prelude::window()
        .crypto()
        .map(|c| c.random_uuid())
        .unwrap_or_default()
}

/// `POST /api/transfers` with `Idempotency-Key: key`: the same key for a retry of the same
/// submission.
pub async fn submit_transfer(
    submission: &TransferSubmission,
    key: &str,
) -> Result<TransferSubmitted, ApiFailure> {
    let request = Request::post(ApiPath::Transfers.path())
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1")
        .header("Idempotency-Key", key);
    send(request.json(submission)).await
}

/// `POST /api/transfers/{id}/again` with `Idempotency-Key: key`: the same request, a new task.
pub async fn transfer_again(id: &str, key: &str) -> Result<TransferSubmitted, ApiFailure> {
    let request = Request::post(&task_url(id, "/again"))
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1")
        .header("Idempotency-Key", key);
    send(request.build()).await
}

/// `GET /api/transfers?page=&status=` (`status`: `active`, `inactive`, `succeeded`, `failed`;
/// empty for every task).
pub async fn fetch_transfers(page: u32, status: &str) -> Result<TransferTasks, ApiFailure> {
    let only = if status.is_empty() {
        String::new()
    } else {
        format!("&status={}", escaped(status))
    };
    get(&format!(
        "{}?page={page}&per_page=10{only}",
        ApiPath::Transfers.path()
    ))
    .await
}

/// `GET /api/transfers/{id}`.
pub async fn fetch_transfer(id: &str) -> Result<TransferTask, ApiFailure> {
    get(&task_url(id, "")).await
}

/// `GET /api/transfers/{id}/events?page=`.
pub async fn fetch_transfer_events(id: &str, page: u32) -> Result<TransferEvents, ApiFailure> {
    get(&task_url(id, &format!("/events?page={page}&per_page=20"))).await
}

/// `GET /api/transfers/{id}/files`: where the first page of the files the task copied is; each
/// page says where the next one is.
pub fn transferred_files_address(id: &str) -> String {
    task_url(id, "/files?per_page=100")
}

/// A page of the files a task copied, from its address (the first, or a page's `next`).
pub async fn fetch_transferred_files(address: &str) -> Result<TransferredFiles, ApiFailure> {
    get(address).await
}

/// `POST /api/transfers/{id}/cancel`.
pub async fn cancel_transfer(id: &str) -> Result<TransferTask, ApiFailure> {
    post(&task_url(id, "/cancel"), &serde_json::json!({})).await
}

/// `GET /api/transfers/{id}/stream`, for an `EventSource`.
pub fn stream_url(id: &str) -> String {
    task_url(id, "/stream")
}
