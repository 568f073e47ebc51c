//! Tasks over the Transfer API: `GET /v0.10/submission_id`, `POST /v0.10/delete`,
//! `GET /v0.10/task/{id}`, `GET /v0.10/task_list`, `POST /v0.10/task/{id}/cancel`,
//! `GET /v0.10/task/{id}/event_list`. A task is its owner's alone.

use super::errors::request_id;
use super::{Failure, TransferApi, TransferError, done};
use crate::access::{Caller, Permission};
use crate::collections;
use crate::tasks::{self, NewTask, Submitted, Task, TaskKind};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::tasks::{
    DeleteRequest, EventDocument, EventList, FatalError, SubmissionId, SubmissionResult,
    TaskDocument, TaskLink, TaskList,
};
use mrdp_globus::transfer::iso_time;

/// Items one submission may hold.
const MAX_ITEMS: usize = 10_000;

pub async fn submission_id(
    req: HttpRequest,
    api: web::Data<TransferApi>,
) -> Result<web::Json<SubmissionId>, Failure> {
    api.signed_in(&req).await.map_err(|e| e.at(&req))?;
    Ok(web::Json(SubmissionId {
        value: uuid::Uuid::new_v4().to_string(),
    }))
}

pub async fn delete(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    body: web::Json<DeleteRequest>,
) -> Result<HttpResponse, Failure> {
    let request = body.into_inner();
    let submitted = async {
        let caller = api.signed_in(&req).await?;
        if request.data.is_empty() {
            return Err(TransferError::NoItems);
        }
        if request.data.len() > MAX_ITEMS || uuid::Uuid::parse_str(&request.submission_id).is_err() {
            return Err(TransferError::BadRequest(format!(
                "a submission needs a submission_id (GET /v0.10/submission_id) and at most {MAX_ITEMS} items"
            )));
        }
        for item in &request.data {
            let granted = api.grant(&caller, &request.endpoint, &item.path, Permission::ReadWrite).await?;
            if granted.path.is_root() {
                return Err(TransferError::BadRequest("the root of an endpoint cannot be deleted".to_owned()));
            }
        }
        let new = NewTask {
            submission_id: request.submission_id.clone(),
            kind: TaskKind::Delete,
            owner_id: owner(&caller),
            label: request.label.clone(),
            source_endpoint: request.endpoint.clone(),
            destination_endpoint: None,
            request: serde_json::to_string(&request).unwrap_or_default(),
            items: i64::try_from(request.data.len()).unwrap_or(i64::MAX),
        };
        Ok(tasks::submit(&api.store, new, api.clock.now()).await?)
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    api.engine.wake();
    let (code, message, task_id) = match submitted {
        Submitted::Accepted(id) => (
            "Accepted",
            "The delete has been accepted and a task has been created and queued for execution",
            id,
        ),
        Submitted::Duplicate(id) => (
            "Duplicate",
            "A delete with this submission_id was already accepted",
            id,
        ),
    };
    let result = SubmissionResult {
        data_type: "delete_result".to_owned(),
        code: code.to_owned(),
        message: message.to_owned(),
        request_id: request_id(&req),
        resource: req.path().to_owned(),
        submission_id: request.submission_id,
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

/// The identity a task belongs to: the token's own.
fn owner(caller: &Caller) -> String {
    caller.identities.first().cloned().unwrap_or_default()
}

impl TransferApi {
    /// The caller's task `id` (another person's is "not found", as if it did not exist).
    async fn own_task(&self, req: &HttpRequest, id: &str) -> Result<Task, TransferError> {
        let caller = self.signed_in(req).await?;
        tasks::find(&self.store, id)
            .await?
            .filter(|task| caller.is(&task.owner_id))
            .ok_or_else(|| TransferError::NotFound(format!("no task {id}")))
    }

    async fn task_document(&self, task: Task) -> Result<TaskDocument, TransferError> {
        let name = |id: Option<String>| async move {
            match id {
                Some(id) => collections::find(&self.store, &id)
                    .await
                    .map(|found| found.map(|collection| collection.display_name)),
                None => Ok(None),
            }
        };
        let source_name = name(Some(task.source_endpoint.clone())).await?;
        let destination_name = name(task.destination_endpoint.clone()).await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let active = task.status == "ACTIVE";
        Ok(TaskDocument {
            data_type: "task".to_owned(),
            task_id: task.id,
            kind: task.kind.as_str().to_owned(),
            status: task.status.clone(),
            label: task.label,
            owner_id: task.owner_id,
            request_time: iso_time(task.request_time),
            completion_time: task.completion_time.map(iso_time),
            deadline: None,
            source_endpoint_id: Some(task.source_endpoint),
            source_endpoint_display_name: source_name,
            destination_endpoint_id: task.destination_endpoint,
            destination_endpoint_display_name: destination_name,
            command: "API 0.10".to_owned(),
            files: 0,
            directories: 0,
            files_transferred: 0,
            files_skipped: 0,
            bytes_transferred: 0,
            bytes_checksummed: 0,
            effective_bytes_per_second: 0,
            faults: count(task.faults),
            subtasks_total: count(task.items),
            subtasks_pending: if active {
                count(task.items - task.done_items)
            } else {
                0
            },
            subtasks_succeeded: count(task.done_items - task.failed_items),
            subtasks_failed: count(task.failed_items),
            subtasks_canceled: if task
                .fatal_error
                .as_ref()
                .is_some_and(|(code, _)| code == "CANCELED")
            {
                count(task.items - task.done_items)
            } else {
                0
            },
            nice_status: (active && task.done_items == 0).then(|| "Queued".to_owned()),
            fatal_error: task
                .fatal_error
                .map(|(code, description)| FatalError { code, description }),
            is_ok: active.then_some(true),
            is_paused: false,
            canceled_by_admin: false,
            history_deleted: false,
        })
    }
}

pub async fn get(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
) -> Result<web::Json<TaskDocument>, Failure> {
    async {
        let task = api.own_task(&req, &id).await?;
        Ok(web::Json(api.task_document(task).await?))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}

pub async fn list(
    req: HttpRequest,
    api: web::Data<TransferApi>,
) -> Result<web::Json<TaskList>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let mut data = Vec::new();
        for task in tasks::of_owner(&api.store, &owner(&caller)).await? {
            data.push(api.task_document(task).await?);
        }
        Ok(web::Json(TaskList::whole("task_list", data)))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}

pub async fn cancel(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    let asked = async {
        let task = api.own_task(&req, &id).await?;
        Ok(tasks::request_cancel(&api.store, &task.id).await?)
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    let result = if asked {
        api.engine.wake();
        done(
            &req,
            "result",
            "Canceled",
            "The task has been cancelled successfully.",
        )
    } else {
        done(
            &req,
            "result",
            "TaskComplete",
            "The task completed before it could be cancelled.",
        )
    };
    Ok(HttpResponse::Ok().json(result))
}

pub async fn events(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
) -> Result<web::Json<EventList>, Failure> {
    async {
        let task = api.own_task(&req, &id).await?;
        let data: Vec<EventDocument> = tasks::events(&api.store, &task.id)
            .await?
            .into_iter()
            .map(|event| EventDocument {
                data_type: "event".to_owned(),
                code: event.code,
                description: event.description,
                details: event.details,
                is_error: event.is_error,
                time: iso_time(event.time),
            })
            .collect();
        Ok(web::Json(EventList::whole("event_list", data)))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}
