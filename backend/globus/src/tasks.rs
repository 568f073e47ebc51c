//! Transfer API v0.10 task documents: submissions, tasks, and their events.

use serde::{Deserialize, Serialize};

crate::vocabulary! {
    /// What a task does (`type` in a task document).
    pub enum TaskType {
        Transfer = "TRANSFER",
        Delete = "DELETE",
    }
}

crate::vocabulary! {
    /// Where a task stands: `ACTIVE` until it `SUCCEEDED` or `FAILED` (`INACTIVE`: paused by
    /// an error it may recover from, which Globus reports and this service does not use).
    pub enum TaskStatus {
        Active = "ACTIVE",
        Inactive = "INACTIVE",
        Succeeded = "SUCCEEDED",
        Failed = "FAILED",
    }
}

/// `GET /v0.10/submission_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionId {
    pub value: String,
}

/// One path of a delete submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteItem {
    pub path: String,
}

/// `POST /v0.10/delete` (the SDK's `DeleteData`; unknown fields are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteRequest {
    pub endpoint: String,
    pub submission_id: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub recursive: bool,
    #[serde(default)]
    pub ignore_missing: bool,
    /// When the task must be done by (ISO 8601); past it, it fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(rename = "DATA", default)]
    pub data: Vec<DeleteItem>,
}

fn verify_by_default() -> bool {
    true
}

/// One file or directory of a transfer submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferItem {
    pub source_path: String,
    pub destination_path: String,
    #[serde(default)]
    pub recursive: bool,
    /// `MD5` (the default), `SHA256` or `BLAKE3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum_algorithm: Option<String>,
}

/// `POST /v0.10/transfer` (the SDK's `TransferData`; unknown fields are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRequest {
    pub source_endpoint: String,
    pub destination_endpoint: String,
    pub submission_id: String,
    #[serde(default)]
    pub label: Option<String>,
    /// 0 exists, 1 size, 2 mtime, 3 checksum; absent: always copy.
    #[serde(default)]
    pub sync_level: Option<u8>,
    #[serde(default = "verify_by_default")]
    pub verify_checksum: bool,
    /// Whether the task succeeds despite entries of the source it cannot copy (names that are
    /// not UTF-8); it reports each of them either way.
    #[serde(default)]
    pub skip_source_errors: bool,
    /// Whether each copy keeps its source's modification time.
    #[serde(default)]
    pub preserve_timestamp: bool,
    /// When the task must be done by (ISO 8601); past it, it fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(rename = "DATA", default)]
    pub data: Vec<TransferItem>,
}

/// One file a transfer task copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessfulTransfer {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub source_path: String,
    pub destination_path: String,
}

/// `GET /v0.10/task/{id}/successful_transfers?marker=`: follow `next_marker` until it is null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessfulTransfers {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub marker: i64,
    pub next_marker: Option<i64>,
    #[serde(rename = "DATA")]
    pub data: Vec<SuccessfulTransfer>,
}

/// A link to a task (`task_link` of a submission result).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLink {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub href: String,
    pub rel: String,
    pub resource: String,
    pub title: String,
}

/// The answer to a submission: `Accepted`, or `Duplicate` for a `submission_id` already used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionResult {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub resource: String,
    pub submission_id: String,
    pub task_id: String,
    pub task_link: TaskLink,
}

/// Why a task failed for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FatalError {
    pub code: String,
    pub description: String,
}

/// `GET /v0.10/task/{id}`: the fields the SDK, its users and the sample portal read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskDocument {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub task_id: String,
    #[serde(rename = "type")]
    pub kind: TaskType,
    pub status: TaskStatus,
    pub label: Option<String>,
    pub owner_id: String,
    pub request_time: String,
    pub completion_time: Option<String>,
    pub deadline: Option<String>,
    pub source_endpoint_id: Option<String>,
    pub source_endpoint_display_name: Option<String>,
    pub destination_endpoint_id: Option<String>,
    pub destination_endpoint_display_name: Option<String>,
    pub command: String,
    pub files: u64,
    pub directories: u64,
    pub files_transferred: u64,
    pub files_skipped: u64,
    pub bytes_transferred: u64,
    pub bytes_checksummed: u64,
    /// Not in Globus' document (its clients ignore it; the portal reads it when it is there):
    /// the bytes of the files found that are to be copied, for progress by bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_expected: Option<u64>,
    pub effective_bytes_per_second: u64,
    pub faults: u64,
    pub subtasks_total: u64,
    pub subtasks_pending: u64,
    pub subtasks_succeeded: u64,
    pub subtasks_failed: u64,
    pub subtasks_canceled: u64,
    pub nice_status: Option<String>,
    pub fatal_error: Option<FatalError>,
    pub is_ok: Option<bool>,
    pub is_paused: bool,
    pub canceled_by_admin: bool,
    pub history_deleted: bool,
}

/// A page of documents (`task_list`, `event_list`): `DATA` and where it stands in the whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing<T> {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub length: usize,
    pub limit: usize,
    pub offset: usize,
    pub total: usize,
    #[serde(rename = "DATA")]
    pub data: Vec<T>,
}

impl<T> Listing<T> {
    /// All of `data` in one page.
    pub fn whole(data_type: &str, data: Vec<T>) -> Self {
        Self {
            data_type: data_type.to_owned(),
            length: data.len(),
            limit: data.len().max(1),
            offset: 0,
            total: data.len(),
            data,
        }
    }
}

/// `GET /v0.10/task_list`.
pub type TaskList = Listing<TaskDocument>;

/// One event of a task (`GET /v0.10/task/{id}/event_list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDocument {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub code: String,
    pub description: String,
    pub details: String,
    pub is_error: bool,
    pub time: String,
}

/// `GET /v0.10/task/{id}/event_list`.
pub type EventList = Listing<EventDocument>;
