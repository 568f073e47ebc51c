//! Synchronous file operations: `ls`, `stat`, `mkdir`, `rename` on
//! `/v0.10/operation/endpoint/{id}/...`.

use super::listing_order::ListingOrder;
use super::{Failure, Granted, TransferApi, TransferError, done};
use crate::access::{Caller, Permission};
use crate::storage::{Entry, EntryKind, LastLink, StorageError};
use actix_web::{HttpRequest, web};
use mrdp_globus::dates::file_time;
use mrdp_globus::transfer::{FileDocument, FileList, MkdirRequest, OperationResult, RenameRequest};
use serde::Deserialize;

/// Most entries one listing answers.
const MAX_LISTING: usize = 100_000;

fn file_document(entry: Entry) -> FileDocument {
    FileDocument {
        data_type: "file".to_owned(),
        name: entry.name,
        kind: entry.kind.as_str().to_owned(),
        size: entry.size,
        last_modified: file_time(entry.modified),
        permissions: format!("{:04o}", entry.permissions),
        user: None,
        group: None,
        link_target: None,
    }
}

impl TransferApi {
    /// The entries of the directory `granted` lists, but where a symbolic link leads shown only
    /// when the rules let `caller` read there (else the link shows as `invalid_symlink`).
    async fn unlinked(
        &self,
        caller: &Caller,
        granted: &Granted,
        mut entries: Vec<Entry>,
    ) -> Result<Vec<Entry>, TransferError> {
        for entry in entries.iter_mut().filter(|entry| entry.symlink) {
            let Ok(link) = granted.path.join(&entry.name) else {
                continue;
            };
            let permission = granted
                .judge
                .permission(Some(caller), (&link, LastLink::Follow), self.clock.now())
                .await?;
            if permission.is_none() {
                *entry = Entry {
                    kind: EntryKind::InvalidSymlink,
                    size: 0,
                    modified: 0,
                    permissions: 0o777,
                    ..entry.clone()
                };
            }
        }
        Ok(entries)
    }
}

/// `1`/`0` as the SDK sends them, or `true`/`false` as the JS types say.
fn flag(name: &str, value: Option<&str>, default: bool) -> Result<bool, TransferError> {
    match value {
        None => Ok(default),
        Some("1" | "true" | "True") => Ok(true),
        Some("0" | "false" | "False") => Ok(false),
        Some(other) => Err(TransferError::BadRequest(format!(
            "{name} must be 1 or 0, not `{other}`"
        ))),
    }
}

#[derive(Debug, Deserialize)]
pub struct LsQuery {
    path: Option<String>,
    show_hidden: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    orderby: Option<String>,
}

pub async fn ls(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
    query: web::Query<LsQuery>,
) -> Result<web::Json<FileList>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let show_hidden = flag("show_hidden", query.show_hidden.as_deref(), true)?;
        let order = ListingOrder::parse(query.orderby.as_deref())?;
        let raw = query.path.as_deref().unwrap_or("/~/");
        let granted = api.grant(&caller, &id, raw, Permission::Read).await?;
        let entries = match granted.storage().list(&granted.path, show_hidden).await {
            Err(StorageError::NotFound(_)) => {
                return Err(TransferError::NotFound(format!(
                    "Directory '{}' not found",
                    granted.path.as_dir()
                )));
            }
            other => other?,
        };
        let mut entries = api.unlinked(&caller, &granted, entries).await?;
        order.sort(&mut entries);
        let total = entries.len();
        let data: Vec<FileDocument> = entries
            .into_iter()
            .skip(query.offset.unwrap_or(0))
            .take(query.limit.unwrap_or(MAX_LISTING).min(MAX_LISTING))
            .map(file_document)
            .collect();
        Ok(web::Json(FileList {
            data_type: "file_list".to_owned(),
            endpoint: granted.collection().id.clone(),
            path: granted.path.as_dir(),
            absolute_path: None,
            rename_supported: true,
            symlink_supported: false,
            length: data.len(),
            total,
            data,
        }))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}

#[derive(Debug, Deserialize)]
pub struct StatQuery {
    path: String,
}

pub async fn stat(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
    query: web::Query<StatQuery>,
) -> Result<web::Json<FileDocument>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let granted = api
            .grant(&caller, &id, &query.path, Permission::Read)
            .await?;
        let mut entry = granted.storage().stat(&granted.path).await?;
        entry.name = granted.path.name().unwrap_or("/").to_owned();
        Ok(web::Json(file_document(entry)))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}

pub async fn mkdir(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
    body: web::Json<MkdirRequest>,
) -> Result<web::Json<OperationResult>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let granted = api
            .grant(&caller, &id, &body.path, Permission::ReadWrite)
            .await?;
        match granted.storage().mkdir(&granted.path).await {
            Err(StorageError::Exists(_)) => Err(TransferError::MkdirExists(granted.path.as_dir())),
            other => Ok(other?),
        }
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    let message = "The directory was created successfully";
    Ok(web::Json(done(
        &req,
        "mkdir_result",
        "DirectoryCreated",
        message,
    )))
}

pub async fn rename(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
    body: web::Json<RenameRequest>,
) -> Result<web::Json<OperationResult>, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        // What is renamed is the name itself, a link or not.
        let from = (body.old_path.as_str(), LastLink::Keep);
        let from = api
            .grant_at(&caller, &id, from, Permission::ReadWrite)
            .await?;
        let to = (body.new_path.as_str(), LastLink::Keep);
        let to = api
            .grant_at(&caller, &id, to, Permission::ReadWrite)
            .await?;
        if from.path.is_root() || to.path.is_root() {
            return Err(TransferError::BadRequest(
                "the root cannot be renamed".to_owned(),
            ));
        }
        Ok(from.storage().rename(&from.path, &to.path).await?)
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    let message = "File or directory renamed successfully";
    Ok(web::Json(done(&req, "result", "FileRenamed", message)))
}
