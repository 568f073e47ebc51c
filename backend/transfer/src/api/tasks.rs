//! Following tasks over the Transfer API: `GET /v0.10/task/{id}`, `GET /v0.10/task_list`,
//! `POST /v0.10/task/{id}/cancel`, `GET /v0.10/task/{id}/event_list`,
//! `GET /v0.10/task/{id}/successful_transfers`. A task is its owner's alone.

use super::submissions::owner;
use super::{Failure, TransferApi, TransferError, done};
use crate::task_files;
use crate::task_pages::{self, TaskFilter, TaskView};
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

    /// The caller's task `id`, as its document shows it.
    async fn own_view(&self, req: &HttpRequest, id: &str) -> Result<TaskView, TransferError> {
        let caller = self.signed_in(req).await?;
        task_pages::view(&self.store, id)
            .await?
            .filter(|view| caller.is(&view.task.owner_id))
            .ok_or_else(|| TransferError::NotFound(format!("no task {id}")))
    }

    fn task_document(&self, view: TaskView) -> TaskDocument {
        let TaskView {
            task,
            source_name,
            destination_name,
            progress: files,
        } = view;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let active = task.status == TaskStatus::Active;
        // What the subtasks count: files for a transfer, submitted paths for a delete.
        let (total, finished, failed) = match task.kind {
            TaskType::Transfer => (
                files.files,
                files.transferred + files.skipped + files.failed,
                files.failed,
            ),
            TaskType::Delete => (task.items, task.done_items, task.failed_items),
        };
        let seconds = task.completion_time.unwrap_or_else(|| self.clock.now()) - task.request_time;
        let canceled = task
            .fatal_error
            .as_ref()
            .is_some_and(|(code, _)| code == "CANCELED");
        TaskDocument {
            data_type: "task".to_owned(),
            task_id: task.id,
            kind: task.kind,
            status: task.status,
            label: task.label,
            owner_id: task.owner_id,
            request_time: iso_time(task.request_time),
            completion_time: task.completion_time.map(iso_time),
            deadline: task.deadline.map(iso_time),
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
            bytes_expected: (task.kind == TaskType::Transfer).then(|| count(files.bytes_expected)),
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
        }
    }
}

pub async fn get(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
) -> Result<web::Json<TaskDocument>, Failure> {
    async {
        let view = api.own_view(&req, &id).await?;
        Ok(web::Json(api.task_document(view)))
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

/// `limit` and `offset` of a task's event list.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    limit: Option<usize>,
    offset: Option<usize>,
}

/// Documents per page unless asked otherwise, and at most (as at Globus).
const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 1000;

/// The page asked for: `limit` (1 to [`MAX_LIMIT`], `default` when absent) and `offset`.
fn page_of(
    limit: Option<usize>,
    offset: Option<usize>,
    default: usize,
) -> Result<(usize, usize), TransferError> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(TransferError::BadRequest(format!(
            "limit must be 1..={MAX_LIMIT}"
        )));
    }
    Ok((limit, offset.unwrap_or(0)))
}

/// Reads a `task_list` filter (`field:value,value/field:value` over `task_id`, `status` and
/// `type`; words in any case) into the filter of `owner_id`'s tasks.
fn parse_filter(owner_id: String, filter: Option<&str>) -> Result<TaskFilter, TransferError> {
    let mut parsed = TaskFilter {
        owner_id,
        ..TaskFilter::default()
    };
    let parts = filter
        .into_iter()
        .flat_map(|f| f.split('/'))
        .filter(|p| !p.is_empty());
    for part in parts {
        let unknown = || {
            TransferError::BadRequest(format!(
                "unknown filter `{part}`: use task_id, status (ACTIVE, INACTIVE, SUCCEEDED, FAILED) or type (TRANSFER, DELETE)"
            ))
        };
        let (field, values) = part.split_once(':').ok_or_else(unknown)?;
        for value in values.split(',') {
            let word = value.to_ascii_uppercase();
            match field {
                "task_id" => parsed.task_ids.push(value.to_owned()),
                "status" => parsed
                    .statuses
                    .push(TaskStatus::parse(&word).ok_or_else(unknown)?),
                "type" => parsed
                    .types
                    .push(TaskType::parse(&word).ok_or_else(unknown)?),
                _ => return Err(unknown()),
            }
        }
    }
    Ok(parsed)
}

pub async fn list(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<TaskList>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let (limit, offset) = page_of(query.limit, query.offset, DEFAULT_LIMIT)?;
        let filter = parse_filter(owner(&caller), query.filter.as_deref())?;
        let as_sql = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let (views, total) =
            task_pages::page(&api.store, &filter, as_sql(limit), as_sql(offset)).await?;
        let data = views
            .into_iter()
            .map(|view| api.task_document(view))
            .collect();
        let mut page = TaskList::whole("task_list", data);
        (page.limit, page.offset) = (limit, offset);
        page.total = usize::try_from(total).unwrap_or(0);
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
    query: web::Query<PageQuery>,
) -> Result<web::Json<EventList>, Failure> {
    async {
        let task = api.own_task(&req, &id).await?;
        // Without a limit, every event (as this service has always answered).
        let (limit, offset) = page_of(query.limit, query.offset, MAX_LIMIT)?;
        let all = tasks::events(&api.store, &task.id).await?;
        let total = all.len();
        let data: Vec<EventDocument> = all
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|event| EventDocument {
                data_type: "event".to_owned(),
                code: event.code,
                description: event.description,
                details: event.details,
                is_error: event.is_error,
                time: iso_time(event.time),
            })
            .collect();
        Ok(web::Json(EventList {
            data_type: "event_list".to_owned(),
            length: data.len(),
            limit,
            offset,
            total,
            data,
        }))
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
