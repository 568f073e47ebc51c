//! A task of the transfer service as the portal's API shows it to its researcher.

use mrdp_globus::tasks::{EventDocument, TaskDocument, TaskStatus, TaskType};
use mrdp_shared::{CollectionName, TaskKind, TransferEvent, TransferStatus, TransferTask};

/// The fatal error code of a task someone canceled.
const CANCELED: &str = "CANCELED";

pub fn of(task: TaskDocument) -> TransferTask {
    let fatal = task.fatal_error.as_ref();
    let status = match task.status {
        TaskStatus::Active => TransferStatus::Active,
        TaskStatus::Inactive => TransferStatus::Inactive,
        TaskStatus::Succeeded => TransferStatus::Succeeded,
        TaskStatus::Failed if fatal.is_some_and(|e| e.code == CANCELED) => TransferStatus::Canceled,
        TaskStatus::Failed => TransferStatus::Failed,
    };
    let problem = match (fatal, status) {
        (Some(error), _) => Some(error.description.clone()),
        (None, TransferStatus::Inactive) => task.nice_status.clone(),
        (None, _) => None,
    };
    let collection =
        |id: Option<String>, name: Option<String>| id.map(|id| CollectionName { id, name });
    TransferTask {
        kind: match task.kind {
            TaskType::Transfer => TaskKind::Transfer,
            TaskType::Delete => TaskKind::Delete,
        },
        source: collection(task.source_endpoint_id, task.source_endpoint_display_name),
        destination: collection(
            task.destination_endpoint_id,
            task.destination_endpoint_display_name,
        ),
        task_id: task.task_id,
        label: task.label,
        status,
        files: task.files,
        files_transferred: task.files_transferred,
        files_skipped: task.files_skipped,
        bytes_transferred: task.bytes_transferred,
        bytes_expected: task.bytes_expected,
        bytes_per_second: task.effective_bytes_per_second,
        faults: task.faults,
        requested_at: task.request_time,
        completed_at: task.completion_time,
        deadline: task.deadline,
        problem,
    }
}

pub fn event(event: EventDocument) -> TransferEvent {
    TransferEvent {
        code: event.code,
        description: event.description,
        details: event.details,
        is_error: event.is_error,
        time: event.time,
    }
}
