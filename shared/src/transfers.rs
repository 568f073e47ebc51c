//! Transfers through the portal: what a researcher submits (whole datasets, or files and folders
//! of a collection, to a folder of a collection they may write), and the tasks that follow, as
//! the portal reads them from the transfer service with the researcher's own token.

use serde::{Deserialize, Serialize};

/// One file or folder of a collection to transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferItem {
    /// Absolute in the source collection (`/sea/2012.csv`, `/sea/`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^/", max_length = 4096))]
    pub source_path: String,
    /// Absolute in the destination collection.
    #[cfg_attr(feature = "openapi", schema(pattern = "^/", max_length = 4096))]
    pub destination_path: String,
    /// A folder, with everything in it.
    #[serde(default)]
    pub recursive: bool,
}

/// `POST /api/transfers` (with an `Idempotency-Key` header, a retry makes no second task).
/// Either `datasets` (whole catalog datasets, each into a folder of its id under
/// `destination_path`) or `source_collection` with `items`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferSubmission {
    #[serde(default)]
    pub datasets: Vec<String>,
    #[serde(default)]
    pub source_collection: Option<String>,
    #[serde(default)]
    pub items: Vec<TransferItem>,
    pub destination_collection: String,
    /// An absolute folder of the destination (`/incoming/`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^/", max_length = 4096))]
    pub destination_path: String,
    /// At most 128 characters, no control characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub label: Option<String>,
    /// 0 exists, 1 size, 2 modification time, 3 checksum: what is already there is not copied
    /// again; absent: everything is copied.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 3))]
    pub sync_level: Option<u8>,
    /// Whether each file is checksummed at both ends (the default).
    #[serde(default)]
    pub verify_checksum: Option<bool>,
    /// `MD5` (the default), `SHA256` or `BLAKE3`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^(MD5|SHA256|BLAKE3)$"))]
    pub checksum_algorithm: Option<String>,
    /// Whether each copy keeps its source's modification time (not by default).
    #[serde(default)]
    pub preserve_timestamp: Option<bool>,
    /// When the transfer must be done by (UTC, `2027-01-31T12:00:00Z`); past it, it fails.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub deadline: Option<String>,
}

/// The answer to a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferSubmitted {
    pub task_id: String,
}

/// Where a transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferStatus {
    Active,
    /// Paused by a problem it may recover from.
    Inactive,
    Succeeded,
    Failed,
    Canceled,
}

/// What a task does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Transfer,
    Delete,
}

/// A collection a task reads or writes, by id and, when the transfer service says, name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionName {
    pub id: String,
    pub name: Option<String>,
}

/// One of the researcher's transfers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferTask {
    pub task_id: String,
    pub kind: TaskKind,
    pub label: Option<String>,
    pub status: TransferStatus,
    pub source: Option<CollectionName>,
    pub destination: Option<CollectionName>,
    /// Files found to transfer so far (all of them once the folders are walked).
    pub files: u64,
    pub files_transferred: u64,
    /// Files already at the destination (`sync_level`).
    pub files_skipped: u64,
    pub bytes_transferred: u64,
    /// The bytes of the files found that are to be copied (those already there left out), when
    /// the transfer service says (the embedded one does; Globus does not).
    pub bytes_expected: Option<u64>,
    pub bytes_per_second: u64,
    pub faults: u64,
    /// RFC 3339.
    pub requested_at: String,
    pub completed_at: Option<String>,
    /// When it must be done by (RFC 3339), if it has a deadline.
    pub deadline: Option<String>,
    /// Why it failed or was canceled, in words.
    pub problem: Option<String>,
}

/// `GET /api/transfers`: the researcher's tasks (transfers and deletes), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferTasks {
    pub transfers: Vec<TransferTask>,
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// One event of a transfer's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferEvent {
    pub code: String,
    pub description: String,
    pub details: String,
    pub is_error: bool,
    pub time: String,
}

/// `GET /api/transfers/{id}/events`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferEvents {
    pub events: Vec<TransferEvent>,
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// A file a transfer copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferredFile {
    pub source_path: String,
    pub destination_path: String,
}

/// `GET /api/transfers/{id}/files`: the files the task has copied, in the order it copied them
/// (the transfer service does not count them: `total` is absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferredFiles {
    pub files: Vec<TransferredFile>,
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// A collection the researcher may use, as the file manager and the destination picker list
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Its owner, as the identity provider names them.
    pub owner: String,
    /// A guest collection shares a folder of another one.
    pub shared: bool,
    /// Whether the researcher owns it (and so may do anything in it; in a collection shared with
    /// them, its access rules decide).
    pub yours: bool,
    /// The portal's catalog: a folder for each dataset, named by its id.
    pub catalog: bool,
    /// Whether the researcher may write in it: `true` in their own, `false` in the catalog
    /// (read-only for everyone), absent in one shared with them, whose access rules (which only
    /// its owner may read) decide folder by folder; the transfer service says when asked to
    /// write.
    pub may_write: Option<bool>,
}

/// `GET /api/collections`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionList {
    pub collections: Vec<CollectionSummary>,
    /// `total` is absent: the transfer service does not count what it finds.
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// `GET /api/collections/{id}/ls`: one page of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FolderListing {
    /// The folder, absolute, ending with `/`.
    pub path: String,
    pub entries: Vec<crate::FileEntry>,
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// `POST /api/collections/{id}/mkdir`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewFolder {
    #[cfg_attr(feature = "openapi", schema(pattern = "^/", max_length = 4096))]
    pub path: String,
}

/// `POST /api/collections/{id}/rename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rename {
    #[cfg_attr(feature = "openapi", schema(pattern = "^/", max_length = 4096))]
    pub old_path: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^/", max_length = 4096))]
    pub new_path: String,
}

/// What a share lets its colleague do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SharePermission {
    Read,
    ReadWrite,
}

/// `POST /api/collections/{id}/shares`: share a folder of a collection the researcher owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShareRequest {
    /// The folder, absolute (`/results/`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^/", max_length = 4096))]
    pub path: String,
    /// The colleague's username at the identity provider (often an email address).
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub colleague: String,
    pub permission: SharePermission,
    /// When it ends (UTC, `2027-01-31` or `2027-01-31T12:00:00Z`); never, when absent.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$")
    )]
    pub expires_at: Option<String>,
}

/// Someone a folder is shared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Colleague {
    pub id: String,
    pub username: String,
    pub name: String,
}

/// A folder shared with a colleague: an access rule on the guest collection the portal made for
/// the folder (once, however many colleagues it is shared with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Share {
    /// The access rule's id.
    pub id: String,
    /// The guest collection of the folder: what the colleague finds under "Shared with me".
    pub collection: String,
    /// The folder, in the collection it was shared from.
    pub path: String,
    pub colleague: Colleague,
    pub permission: SharePermission,
    /// As the transfer service writes dates (`2027-01-31T12:00:00+00:00`).
    pub expires_at: Option<String>,
}

/// `GET /api/collections/{id}/shares?path=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shares {
    pub shares: Vec<Share>,
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// `POST /api/collections/{id}/delete`: files and folders (with everything in them) to delete,
/// by a delete task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Deletion {
    /// Absolute paths of the collection, 1 to 1,000.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 1000))]
    pub paths: Vec<String>,
    #[serde(default)]
    pub label: Option<String>,
}
