//! A task's access, judged again while it runs. A submission is checked when it is made, but a
//! task may run for hours, or resume days later: before each file or batch is copied (and each
//! directory walked, each path deleted) the task's collections and their rules are read as they
//! are now, and the submitter — the identities and groups of the token verified at submission —
//! must still be allowed to read at the source and write at the destination. What is no longer
//! allowed is not touched: it fails with a `PERMISSION_DENIED` event. A collection that was
//! deleted ends the task, canceled.

use super::{Engine, Fatal, fatal};
use crate::access::{Caller, Permission};
use crate::collections;
use crate::judge::Judge;
use crate::paths::CollectionPath;
use crate::storage::{LastLink, Storage};
use crate::task_files::Failure;
use crate::tasks::{self, Task};

/// The submitter's access to a task's collections, as it stands when read.
pub(super) struct Rights {
    submitter: Caller,
    source: Judge,
    destination: Option<Judge>,
    now: i64,
}

/// How a task ends when one of its collections was deleted under it.
fn endpoint_deleted(id: &str) -> Fatal {
    fatal(
        "CANCELED",
        format!("The task was canceled: endpoint {id} was deleted"),
    )
}

impl Engine {
    /// The task's access now; a deleted collection ends the task.
    pub(super) async fn rights(&self, task: &Task) -> Result<Rights, Fatal> {
        let judge = |id: String| async move {
            let collection = collections::find(&self.store, &id)
                .await?
                .ok_or_else(|| endpoint_deleted(&id))?;
            Judge::of(&self.store, &self.storages, &self.rule_book, collection)
                .await
                .map_err(|e| fatal("ENDPOINT_ERROR", e.to_string()))
        };
        let source = judge(task.source_endpoint.clone()).await?;
        let destination = match task.destination_endpoint.clone() {
            Some(id) => Some(judge(id).await?),
            None => None,
        };
        Ok(Rights {
            submitter: task.submitter.clone(),
            source,
            destination,
            now: self.clock.now(),
        })
    }

    /// Records that `path` was not touched, and why (an error event with the failure's code).
    pub(super) async fn failed(
        &self,
        task: &Task,
        failure: Failure,
        description: &str,
    ) -> Result<(), Fatal> {
        let now = self.clock.now();
        tasks::event(
            &self.store,
            &task.id,
            failure.as_str(),
            description,
            "",
            true,
            now,
        )
        .await?;
        Ok(())
    }

    /// Records that `path` was not touched: its submitter may no longer do `what` there.
    pub(super) async fn denied(
        &self,
        task: &Task,
        path: &CollectionPath,
        what: &str,
    ) -> Result<(), Fatal> {
        let description = format!("{path}: the task's submitter may no longer {what} it");
        self.failed(task, Failure::PermissionDenied, &description)
            .await
    }

    /// Whether the submitter may still read `from` and write `to`; what is not allowed is
    /// recorded as denied.
    pub(super) async fn allowed(
        &self,
        task: &Task,
        rights: &Rights,
        from: &CollectionPath,
        to: &CollectionPath,
    ) -> Result<bool, Fatal> {
        if !rights.may_read(from).await? {
            self.denied(task, from, "read").await?;
            return Ok(false);
        }
        if !rights.may_write(to, LastLink::Follow).await? {
            self.denied(task, to, "write").await?;
            return Ok(false);
        }
        Ok(true)
    }

    /// How a task ends when `count` of its items failed for `failure`.
    pub(super) fn some_failed(failure: Failure, count: i64) -> Fatal {
        let why = match failure {
            Failure::PermissionDenied => "its submitter lost access to them",
            Failure::InvalidName => "their names are not UTF-8",
        };
        fatal(
            failure.as_str(),
            format!("{count} of the task's items failed: {why}"),
        )
    }
}

impl Rights {
    /// The storage of the source collection's files.
    pub fn source(&self) -> &Storage {
        self.source.storage()
    }

    /// The storage of the destination collection's files (the source's for a delete task).
    pub fn destination(&self) -> &Storage {
        self.destination.as_ref().unwrap_or(&self.source).storage()
    }

    async fn allowed(
        &self,
        judge: &Judge,
        at: (&CollectionPath, LastLink),
        needed: Permission,
    ) -> Result<bool, Fatal> {
        let granted = judge
            .permission(Some(&self.submitter), at, self.now)
            .await
            .map_err(|e| fatal("ENDPOINT_ERROR", e.to_string()))?;
        Ok(granted.is_some_and(|permission| permission >= needed))
    }

    /// Whether the submitter may still read `path` at the source.
    pub async fn may_read(&self, path: &CollectionPath) -> Result<bool, Fatal> {
        self.allowed(&self.source, (path, LastLink::Follow), Permission::Read)
            .await
    }

    /// Whether the submitter may still write `path` at the destination (at the source for a
    /// delete task); `last` says whether a link named by the path is what is written.
    pub async fn may_write(&self, path: &CollectionPath, last: LastLink) -> Result<bool, Fatal> {
        let judge = self.destination.as_ref().unwrap_or(&self.source);
        self.allowed(judge, (path, last), Permission::ReadWrite)
            .await
    }
}
