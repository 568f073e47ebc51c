//! `POST /api/transfers`, `GET /api/transfers`, `GET /api/transfers/{id}`,
//! `GET /api/transfers/{id}/events`, `GET /api/transfers/{id}/files`, `POST /api/transfers/{id}/cancel`
//! (and the progress stream, and "transfer again"), for a signed-in
//! researcher with a complete profile, each a call to the transfer service with their own token:
//! another researcher's task is a 404 there, and so here.

use super::{
    again, copied_files, idempotency, researchers, service_made_id, submission, task_view,
};
use crate::auth::me::with_complete_profile;
use crate::auth::session::Session;
use crate::paging::{PageQuery, PageRequest};
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::{
    TransferEvents, TransferSubmission, TransferSubmitted, TransferTask, TransferTasks,
};
use serde::Deserialize;

const DEFAULT_PER_PAGE: u32 = 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/transfers", web::post().to(submit))
        .route("/transfers", web::get().to(list))
        .route("/transfers/{id}", web::get().to(one))
        .route("/transfers/{id}/events", web::get().to(events))
        .route("/transfers/{id}/files", web::get().to(copied_files::files))
        .route("/transfers/{id}/cancel", web::post().to(cancel))
        .route("/transfers/{id}/again", web::post().to(super::again::again))
        .route(
            "/transfers/{id}/stream",
            web::get().to(super::stream::stream),
        );
}

async fn submit(
    req: HttpRequest,
    state: web::Data<PortalState>,
    body: web::Json<TransferSubmission>,
) -> Result<HttpResponse, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let task_id = submit_as(&req, &state, &session, &body).await?;
    Ok(HttpResponse::Accepted().json(TransferSubmitted { task_id }))
}

/// Submits `body` for `session` (with the request's `Idempotency-Key`, if any) and keeps it by
/// the task it made, for "transfer again".
pub(super) async fn submit_as(
    req: &HttpRequest,
    state: &PortalState,
    session: &Session,
    body: &TransferSubmission,
) -> Result<String, PortalError> {
    let key = idempotency::key_of(req)?;
    let snapshot = state.catalog.current();
    let planned = submission::plan(body, &snapshot, session, &state.catalog_collection)?;
    let transfer = state.transfer_as(session).await?;
    let submission_id = match key {
        Some(key) => {
            let request = serde_json::to_string(body).unwrap_or_default();
            idempotency::submission_id_for(
                &state.store,
                (&session.identity_id, &key),
                &request,
                state.clock.now(),
                transfer.submission_id(),
            )
            .await?
        }
        None => transfer.submission_id().await?,
    };
    let task_id = transfer
        .submit(
            "transfer",
            &submission::request(&planned, body, &submission_id),
        )
        .await
        .map_err(|e| refusal_in_words(e, body))?;
    // Kept off the answer's path: the task exists whether or not this record is written yet.
    again::remember_soon(
        state.store.clone(),
        (task_id.clone(), session.identity_id.clone()),
        body.clone(),
        state.clock.now(),
    );
    Ok(task_id)
}

/// The transfer service checks at submission, before it records a task, that the researcher may
/// read every source path and write every destination path; its refusal, said for a person.
/// A collection the researcher may not see at all is, as a destination, one they may not write.
fn refusal_in_words(error: PortalError, submission: &TransferSubmission) -> PortalError {
    let destination = &submission.destination_collection;
    match error {
        PortalError::Forbidden(message) if message.contains("write") => {
            PortalError::Forbidden(may_not_write(submission))
        }
        PortalError::NotFound(message) if message.ends_with(destination.as_str()) => {
            PortalError::Forbidden(may_not_write(submission))
        }
        PortalError::Forbidden(message) => PortalError::Forbidden(format!(
            "you may not read what you chose to transfer ({message})"
        )),
        other => other,
    }
}

fn may_not_write(submission: &TransferSubmission) -> String {
    format!(
        "you may not write to {} of collection {}: choose a folder you may write to, or ask its owner for read-write access",
        submission.destination_path, submission.destination_collection
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    page: Option<u32>,
    per_page: Option<u32>,
    status: Option<String>,
}

async fn list(
    req: HttpRequest,
    state: web::Data<PortalState>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<TransferTasks>, PortalError> {
    let page = PageRequest::checked(query.page, query.per_page, DEFAULT_PER_PAGE)?;
    let filter = match query.status.as_deref() {
        None => String::new(),
        Some(status @ ("active" | "inactive" | "succeeded" | "failed")) => {
            format!("status:{}", status.to_uppercase())
        }
        Some(_) => {
            return Err(PortalError::BadRequest(
                "status: active, inactive, succeeded or failed".into(),
            ));
        }
    };
    let tasks = researchers(&req, &state)
        .await?
        .tasks(page.offset(), page.per_page as usize, &filter)
        .await?;
    let transfers: Vec<_> = tasks.data.into_iter().map(task_view::of).collect();
    Ok(web::Json(TransferTasks {
        paging: page.counted(&req, tasks.total as u64, transfers.len()),
        transfers,
    }))
}

async fn one(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<web::Json<TransferTask>, PortalError> {
    let task = researchers(&req, &state)
        .await?
        .task(&task_id(&id)?)
        .await?;
    Ok(web::Json(task_view::of(task)))
}

async fn events(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<TransferEvents>, PortalError> {
    let page = query.checked(DEFAULT_PER_PAGE)?;
    let events = researchers(&req, &state)
        .await?
        .events(&task_id(&id)?, page.offset(), page.per_page as usize)
        .await?;
    let listed: Vec<_> = events.data.into_iter().map(task_view::event).collect();
    Ok(web::Json(TransferEvents {
        paging: page.counted(&req, events.total as u64, listed.len()),
        events: listed,
    }))
}

async fn cancel(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<web::Json<TransferTask>, PortalError> {
    let transfer = researchers(&req, &state).await?;
    let id = task_id(&id)?;
    transfer.cancel(&id).await?;
    Ok(web::Json(task_view::of(transfer.task(&id).await?)))
}

pub(crate) fn task_id(id: &str) -> Result<String, PortalError> {
    service_made_id(id, "transfer")
}
