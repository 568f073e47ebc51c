//! Following tasks over the Transfer API: `GET /v0.10/task/{id}`, `GET /v0.10/task_list`,
//! `POST /v0.10/task/{id}/cancel`, `GET /v0.10/task/{id}/event_list`,
//! `GET /v0.10/task/{id}/successful_transfers`. A task is its owner's alone.

use super::submissions::owner;
use super::{Failure, TransferApi, TransferError, done};
use crate::collections;
use crate::task_files;
use crate::tasks::{self, Task, TaskStatus, TaskType};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::dates::iso_time;
use mrdp_globus::tasks::{
    EventDocument, EventList, FatalError, SuccessfulTransfer, SuccessfulTransfers, TaskDocument,
    TaskList,
};
use serde::Deserialize;

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
        let active = task.status == TaskStatus::Active;
        let files = task_files::progress(&self.store, &task.id).await?;
        // What the subtasks count: files for a transfer, submitted paths for a delete.
        let (total, finished, failed) = match task.kind {
            TaskType::Transfer => (files.files, files.transferred + files.skipped, 0),
            TaskType::Delete => (task.items, task.done_items, task.failed_items),
        };
        let seconds = task.completion_time.unwrap_or_else(|| self.clock.now()) - task.request_time;
        let canceled = task
            .fatal_error
            .as_ref()
            .is_some_and(|(code, _)| code == "CANCELED");
        Ok(TaskDocument {
            data_type: "task".to_owned(),
            task_id: task.id,
            kind: task.kind,
            status: task.status,
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
            files: count(files.files),
            directories: count(files.directories),
            files_transferred: count(files.transferred),
            files_skipped: count(files.skipped),
            bytes_transferred: count(files.bytes_transferred),
            bytes_checksummed: count(files.bytes_checksummed),
            effective_bytes_per_second: count(files.bytes_transferred / seconds.max(1)),
            faults: count(task.faults),
            subtasks_total: count(total),
            subtasks_pending: if active { count(total - finished) } else { 0 },
            subtasks_succeeded: count(finished - failed),
            subtasks_failed: count(failed),
            subtasks_canceled: if canceled { count(total - finished) } else { 0 },
            nice_status: (active && finished == 0).then(|| "Queued".to_owned()),
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

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    limit: Option<usize>,
    offset: Option<usize>,
    /// `field:value,value/field:value` over `task_id`, `status` and `type`.
    filter: Option<String>,
}

/// Tasks per page unless asked otherwise, and at most (as at Globus).
const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 1000;

/// Whether `task` passes a `task_list` filter.
fn passes(task: &Task, filter: &[(String, Vec<String>)]) -> bool {
    filter.iter().all(|(field, values)| {
        let value = match field.as_str() {
            "task_id" => task.id.as_str(),
            "status" => task.status.as_str(),
            _ => task.kind.as_str(),
        };
        values
            .iter()
            .any(|wanted| wanted.eq_ignore_ascii_case(value))
    })
}

fn parse_filter(filter: Option<&str>) -> Result<Vec<(String, Vec<String>)>, TransferError> {
    let Some(filter) = filter.filter(|f| !f.is_empty()) else {
        return Ok(Vec::new());
    };
    filter
        .split('/')
        .map(|part| match part.split_once(':') {
            Some((field @ ("task_id" | "status" | "type"), values)) => Ok((
                field.to_owned(),
                values.split(',').map(str::to_owned).collect(),
            )),
            _ => Err(TransferError::BadRequest(format!(
                "unknown filter `{part}`: use task_id, status or type"
            ))),
        })
        .collect()
}

pub async fn list(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<TaskList>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let (limit, offset) = (
            query.limit.unwrap_or(DEFAULT_LIMIT),
            query.offset.unwrap_or(0),
        );
        if limit == 0 || limit > MAX_LIMIT {
            return Err(TransferError::BadRequest(format!(
                "limit must be 1..={MAX_LIMIT}"
            )));
        }
        let filter = parse_filter(query.filter.as_deref())?;
        let matching: Vec<Task> = tasks::of_owner(&api.store, &owner(&caller))
            .await?
            .into_iter()
            .filter(|task| passes(task, &filter))
            .collect();
        let total = matching.len();
        let mut data = Vec::new();
        for task in matching.into_iter().skip(offset).take(limit) {
            data.push(api.task_document(task).await?);
        }
        let mut page = TaskList::whole("task_list", data);
        (page.limit, page.offset, page.total) = (limit, offset, total);
        Ok(web::Json(page))
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

#[derive(Debug, Deserialize)]
pub struct MarkerQuery {
    marker: Option<i64>,
}

/// Files listed per page of `successful_transfers`.
const PAGE: i64 = 1000;

pub async fn successful_transfers(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
    query: web::Query<MarkerQuery>,
) -> Result<web::Json<SuccessfulTransfers>, Failure> {
    async {
        let task = api.own_task(&req, &id).await?;
        let marker = query.marker.unwrap_or(0);
        let page = task_files::successful(&api.store, &task.id, marker, PAGE).await?;
        let next_marker = (page.len() == usize::try_from(PAGE).unwrap_or(usize::MAX))
            .then(|| page.last().map(|file| file.seq))
            .flatten();
        Ok(web::Json(SuccessfulTransfers {
            data_type: "successful_transfers".to_owned(),
            marker,
            next_marker,
            data: page
                .into_iter()
                .map(|file| SuccessfulTransfer {
                    data_type: "successful_transfer".to_owned(),
                    source_path: file.source_path,
                    destination_path: file.destination_path,
                })
                .collect(),
        }))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}
