//! Submitting tasks: `GET /v0.10/submission_id`, `POST /v0.10/transfer`, `POST /v0.10/delete`.
//! Every path is checked at submission (read at the source, write at the destination); a
//! `submission_id` makes one task, and submitting it again answers `Duplicate`.

use super::errors::request_id;
use super::{Failure, TransferApi, TransferError};
use crate::access::{Caller, Permission};
use crate::engine::Algorithm;
use crate::storage::LastLink;
use crate::tasks::{self, NewTask, Submitted, TaskType};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::dates::parse_time;
use mrdp_globus::tasks::{
    DeleteRequest, SubmissionId, SubmissionResult, TaskLink, TransferRequest,
};

/// Items one submission may hold.
const MAX_ITEMS: usize = 10_000;

/// The identity a task belongs to: the token's own.
pub fn owner(caller: &Caller) -> String {
    caller.identities.first().cloned().unwrap_or_default()
}

pub async fn submission_id(
    req: HttpRequest,
    api: web::Data<TransferApi>,
) -> Result<web::Json<SubmissionId>, Failure> {
    api.signed_in(&req).await.map_err(|e| e.at(&req))?;
    Ok(web::Json(SubmissionId {
        value: uuid::Uuid::new_v4().to_string(),
    }))
}

fn check_size(items: usize, submission_id: &str) -> Result<(), TransferError> {
    if items == 0 {
        return Err(TransferError::NoItems);
    }
    if items > MAX_ITEMS || uuid::Uuid::parse_str(submission_id).is_err() {
        return Err(TransferError::BadRequest(format!(
            "a submission needs a submission_id (GET /v0.10/submission_id) and at most {MAX_ITEMS} items"
        )));
    }
    Ok(())
}

/// The answer to a submission (`transfer_result`, `delete_result`): accepted now, or before.
fn answer(
    req: &HttpRequest,
    what: &str,
    submitted: Submitted,
    submission_id: String,
) -> Result<HttpResponse, TransferError> {
    let (code, message, task_id) = match submitted {
        Submitted::Accepted(id) => (
            "Accepted",
            format!(
                "The {what} has been accepted and a task has been created and queued for execution"
            ),
            id,
        ),
        Submitted::Duplicate(id) => (
            "Duplicate",
            format!("A {what} with this submission_id was already accepted"),
            id,
        ),
        Submitted::Taken => return Err(TransferError::SubmissionIdTaken),
    };
    let result = SubmissionResult {
        data_type: format!("{what}_result"),
        code: code.to_owned(),
        message,
        request_id: request_id(req),
        resource: req.path().to_owned(),
        submission_id,
        task_link: TaskLink {
            data_type: "link".to_owned(),
            href: format!("/v0.10/task/{task_id}?format=json"),
            rel: "related".to_owned(),
            resource: "task".to_owned(),
            title: "related task".to_owned(),
        },
        task_id,
    };
    Ok(HttpResponse::build(StatusCode::ACCEPTED).json(result))
}

/// What every submission shares: checked by `check` (which answers the task to record), recorded
/// once per submission id, the engine woken, the result answered.
async fn submit(
    req: &HttpRequest,
    api: &TransferApi,
    what: &str,
    submission_id: String,
    check: impl Future<Output = Result<NewTask, TransferError>>,
) -> Result<HttpResponse, Failure> {
    async {
        let submitted = tasks::submit(&api.store, check.await?, api.clock.now()).await?;
        api.engine.wake();
        answer(req, what, submitted, submission_id)
    }
    .await
    .map_err(|e: TransferError| e.at(req))
}

/// A submission's `deadline`, as the task records it: a time to come.
fn deadline(text: Option<&str>, now: i64) -> Result<Option<i64>, TransferError> {
    let Some(text) = text else { return Ok(None) };
    let at = parse_time(text).ok_or_else(|| {
        TransferError::BadRequest(format!(
            "deadline {text:?} is not a date and time (2027-01-31T12:00:00+00:00)"
        ))
    })?;
    if at <= now {
        return Err(TransferError::BadRequest(format!(
            "deadline {text} has passed"
        )));
    }
    Ok(Some(at))
}

/// The items of a submission, as the task records them.
fn count(items: usize) -> i64 {
    i64::try_from(items).unwrap_or(i64::MAX)
}

pub async fn transfer(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    body: web::Json<TransferRequest>,
) -> Result<HttpResponse, Failure> {
    let request = body.into_inner();
    let submission_id = request.submission_id.clone();
    submit(&req, &api, "transfer", submission_id, async {
        let caller = api.signed_in(&req).await?;
        check_size(request.data.len(), &request.submission_id)?;
        let deadline = deadline(request.deadline.as_deref(), api.clock.now())?;
        if request.sync_level.is_some_and(|level| level > 3) {
            return Err(TransferError::BadRequest(
                "sync_level is 0, 1, 2 or 3".to_owned(),
            ));
        }
        for item in &request.data {
            if Algorithm::parse(item.checksum_algorithm.as_deref()).is_none() {
                return Err(TransferError::BadRequest(
                    "checksum_algorithm is MD5 (the default), SHA256 or BLAKE3".to_owned(),
                ));
            }
            let (from, to) = (&item.source_path, &item.destination_path);
            api.grant(&caller, &request.source_endpoint, from, Permission::Read)
                .await?;
            api.grant(
                &caller,
                &request.destination_endpoint,
                to,
                Permission::ReadWrite,
            )
            .await?;
        }
        Ok(NewTask {
            submission_id: request.submission_id.clone(),
            kind: TaskType::Transfer,
            owner_id: owner(&caller),
            label: request.label.clone(),
            source_endpoint: request.source_endpoint.clone(),
            destination_endpoint: Some(request.destination_endpoint.clone()),
            request: serde_json::to_string(&request).unwrap_or_default(),
            items: count(request.data.len()),
            submitter: caller,
            deadline,
        })
    })
    .await
}

pub async fn delete(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    body: web::Json<DeleteRequest>,
) -> Result<HttpResponse, Failure> {
    let request = body.into_inner();
    let submission_id = request.submission_id.clone();
    submit(&req, &api, "delete", submission_id, async {
        let caller = api.signed_in(&req).await?;
        check_size(request.data.len(), &request.submission_id)?;
        let deadline = deadline(request.deadline.as_deref(), api.clock.now())?;
        for item in &request.data {
            // What is deleted is the name itself, a link or not.
            let path = (item.path.as_str(), LastLink::Keep);
            let granted = api
                .grant_at(&caller, &request.endpoint, path, Permission::ReadWrite)
                .await?;
            if granted.path.is_root() {
                return Err(TransferError::BadRequest(
                    "the root of an endpoint cannot be deleted".to_owned(),
                ));
            }
        }
        Ok(NewTask {
            submission_id: request.submission_id.clone(),
            kind: TaskType::Delete,
            owner_id: owner(&caller),
            label: request.label.clone(),
            source_endpoint: request.endpoint.clone(),
            destination_endpoint: None,
            request: serde_json::to_string(&request).unwrap_or_default(),
            items: count(request.data.len()),
            submitter: caller,
            deadline,
        })
    })
    .await
}
