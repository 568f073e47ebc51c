//! The task engine: carries out active tasks in the background of the transfer service. Every
//! task lives in the store; the engine claims a lease on each task it takes up (see
//! [`crate::leases`]: engines of several processes on one PostgreSQL database share the work, a
//! task at a time each), resumes the active ones when the service starts, picks up new ones when
//! woken, and records each item carried out, so that a task interrupted by a crash continues, here
//! or in another engine, after the last item it finished.

mod batch;
mod checksum;
mod copy;
mod expand;
mod gate;
mod lease;
mod rights;
mod stream;
mod streamed;
mod transfer;
mod watch;

pub use checksum::Algorithm;
pub use gate::Gate;

use crate::leases;
use crate::locate::Storages;
use crate::metrics::Moved;
use crate::paths::CollectionPath;
use crate::rule_book::RuleBook;
use crate::storage::{LastLink, Storage, StorageError};
use crate::task_files::Failure;
use crate::tasks::{self, Task, TaskType};
use mrdp_globus::tasks::DeleteRequest;
use mrdp_service::clock::SharedClock;
use mrdp_service::store::Store;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How often a failing item is tried before the task fails.
const ATTEMPTS: u32 = 3;
/// The first wait after a failure; it doubles each time.
const BACK_OFF: Duration = Duration::from_millis(200);
/// The most tasks an engine carries out at once; the rest wait for it or for another engine.
pub const MOST_AT_ONCE: usize = 16;
/// How long the engine sleeps when nobody wakes it (it also looks for tasks then).
const IDLE: Duration = Duration::from_secs(2);
/// How often a running transfer records its progress and looks for a cancel request.
const TICK: Duration = Duration::from_millis(500);

/// Why a task ended in failure: its `fatal_error`.
#[derive(Debug)]
struct Fatal {
    code: &'static str,
    description: String,
}

fn fatal(code: &'static str, description: impl Into<String>) -> Fatal {
    Fatal {
        code,
        description: description.into(),
    }
}

/// How a task its owner canceled ends.
fn canceled() -> Fatal {
    fatal("CANCELED", "The task was canceled by its owner")
}

/// How a task that passed its deadline ends.
fn expired() -> Fatal {
    fatal(
        "EXPIRED",
        "The task passed its deadline before it completed",
    )
}

/// The request a task was submitted with, as the store keeps it.
fn stored_request<T: serde::de::DeserializeOwned>(task: &Task) -> Result<T, Fatal> {
    serde_json::from_str(&task.request).map_err(|e| {
        fatal(
            "SERVICE_ERROR",
            format!("the stored request does not read: {e}"),
        )
    })
}

impl From<sqlx::Error> for Fatal {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "the task store failed");
        fatal("SERVICE_ERROR", "the transfer service's store failed")
    }
}

#[derive(Debug, Clone)]
pub struct Engine {
    store: Store,
    storages: Arc<Storages>,
    /// Collections' rules, kept while they stand.
    rule_book: Arc<RuleBook>,
    clock: SharedClock,
    wake: Arc<Notify>,
    /// This engine's name in the leases it holds.
    worker: Arc<str>,
    /// How long its claims and renewals hold a task.
    lease_seconds: i64,
    /// The tasks it carries out, each with the flag its lease's renewal raises if it is lost.
    running: Arc<Mutex<HashMap<String, Arc<AtomicBool>>>>,
    gate: Gate,
    /// The files and bytes it settled, for the metrics.
    moved: Moved,
}

impl Engine {
    pub fn new(
        store: Store,
        (storages, rule_book): (Arc<Storages>, Arc<RuleBook>),
        clock: SharedClock,
    ) -> Self {
        Self {
            store,
            storages,
            rule_book,
            clock,
            wake: Arc::default(),
            worker: uuid::Uuid::new_v4().to_string().into(),
            lease_seconds: mrdp_service::lease::DEFAULT_LEASE_SECONDS,
            running: Arc::default(),
            gate: Gate::default(),
            moved: Moved::default(),
        }
    }

    /// The same engine, waiting at `gate` before each piece of work.
    #[cfg(feature = "testing")]
    #[must_use]
    pub fn with_gate(mut self, gate: Gate) -> Self {
        self.gate = gate;
        self
    }

    /// The same engine, its leases `seconds` long (an engine that dies holds its tasks that
    /// long).
    #[must_use]
    pub fn with_lease(mut self, seconds: i64) -> Self {
        self.lease_seconds = seconds;
        self
    }

    /// What the engine settled, as the metrics count it.
    pub fn moved(&self) -> &Moved {
        &self.moved
    }

    /// Tells the engine a task was submitted.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Carries out tasks until the process ends (or [`Engine::stop`]): claims tasks nobody holds,
    /// up to [`MOST_AT_ONCE`] at a time, then waits to be woken (by a submission, a task's end,
    /// or a while, for the tasks of engines that stopped).
    pub async fn run(self) {
        if self.store.backend() == mrdp_shared::StoreBackend::Sqlite
            && let Err(error) = leases::TASKS.release(&self.store, None).await
        {
            tracing::error!(%error, "cannot take back the leases of the process before");
        }
        loop {
            while self.carrying() < MOST_AT_ONCE {
                let now = self.clock.now();
                match leases::TASKS
                    .claim_next(&self.store, &self.worker, (now, self.lease_seconds))
                    .await
                {
                    Ok(Some(id)) => self.take_up(id).await,
                    Ok(None) => break,
                    Err(error) => {
                        tracing::error!(%error, "cannot claim a task");
                        break;
                    }
                }
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(IDLE) => {}
            }
        }
    }

    async fn carry_out(self, task: Task) {
        let taken = tasks::take_up(&self.store, &task.id, &self.worker, self.clock.now());
        let outcome = match taken.await {
            Err(error) => Err(error.into()),
            Ok(()) if task.cancel_requested => Err(canceled()),
            Ok(()) if self.past_deadline(&task) => Err(expired()),
            Ok(()) => match task.kind {
                TaskType::Delete => self.delete(&task).await,
                TaskType::Transfer => self.transfer(&task).await,
            },
        };
        let mut fatal = outcome.err();
        if let Some(Fatal {
            code: "CANCELED", ..
        }) = fatal
            && self.past_deadline(&task)
            && !tasks::cancel_requested(&self.store, &task.id)
                .await
                .unwrap_or(false)
        {
            // Stopped by the engine at its deadline, not by its owner.
            fatal = Some(expired());
        }
        if let Some(Fatal {
            code: "CANCELED", ..
        }) = fatal
        {
            // Canceled by its owner, or because one of its collections was deleted.
            if let Err(
                deleted @ Fatal {
                    code: "CANCELED", ..
                },
            ) = self.rights(&task).await
            {
                fatal = Some(deleted);
            }
        }
        let fatal = fatal.as_ref().map(|f| (f.code, f.description.as_str()));
        let held = (task.id.as_str(), &*self.worker);
        if self.lease_lost(&task.id) {
            // Stopped before its end (the engine stops, or another has the task): the end is for
            // the engine that carries it out next to record.
            tracing::warn!(task = %task.id, "stopped a task this engine no longer holds");
        } else {
            match tasks::finish(&self.store, held, fatal, self.clock.now()).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(task = %task.id, "another engine has taken the task"),
                Err(error) => {
                    tracing::error!(%error, task = %task.id, "cannot record the end of a task");
                    // Let an engine (this one too) take it up again.
                    let _ = leases::TASKS
                        .let_go(&self.store, &task.id, &self.worker)
                        .await;
                }
            }
        }
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&task.id);
        self.wake();
    }

    /// A delete task: each path in order, from the first not yet done, each only while its
    /// submitter may still write there.
    async fn delete(&self, task: &Task) -> Result<(), Fatal> {
        let request: DeleteRequest = stored_request(task)?;
        let done = usize::try_from(task.done_items).unwrap_or(usize::MAX);
        for (n, item) in request.data.iter().skip(done).enumerate() {
            // Resumed, the first path not recorded as done may have been deleted before the stop.
            let maybe_done = task.runs > 0 && n == 0;
            self.gate.pass().await;
            if let Some(stop) = self.stop_reason(task).await? {
                return Err(stop);
            }
            let path = CollectionPath::parse(&item.path)
                .map_err(|e| fatal("INVALID_PATH", e.to_string()))?;
            let rights = self.rights(task).await?;
            if !rights.may_write(&path, LastLink::Keep).await? {
                self.denied(task, &path, "delete").await?;
                tasks::item_done(&self.store, &task.id, true).await?;
                continue;
            }
            let deleted = self
                .delete_path(task, rights.source(), &path, &request)
                .await;
            match deleted {
                Err(Fatal {
                    code: "FILE_NOT_FOUND",
                    ..
                }) if maybe_done => {}
                other => other?,
            }
            tasks::item_done(&self.store, &task.id, false).await?;
        }
        match tasks::find(&self.store, &task.id)
            .await?
            .map(|t| t.failed_items)
        {
            Some(denied) if denied > 0 => Err(Self::some_failed(Failure::PermissionDenied, denied)),
            _ => Ok(()),
        }
    }

    /// Whether the task's deadline has passed.
    pub(super) fn past_deadline(&self, task: &Task) -> bool {
        task.deadline
            .is_some_and(|deadline| self.clock.now() >= deadline)
    }

    /// Why the task must stop now, if it must: its owner canceled it, its deadline passed, or
    /// another engine has it (its lease was lost).
    async fn stop_reason(&self, task: &Task) -> Result<Option<Fatal>, Fatal> {
        if self.lease_lost(&task.id) {
            return Ok(Some(fatal(
                "LEASE_LOST",
                "another engine carries the task out",
            )));
        }
        if tasks::cancel_requested(&self.store, &task.id).await? {
            return Ok(Some(canceled()));
        }
        Ok(self.past_deadline(task).then(expired))
    }

    /// Deletes one path of a delete task, retrying what may pass.
    async fn delete_path(
        &self,
        task: &Task,
        storage: &Storage,
        path: &CollectionPath,
        request: &DeleteRequest,
    ) -> Result<(), Fatal> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match storage.delete(path, request.recursive).await {
                Ok(()) => return Ok(()),
                Err(StorageError::NotFound(_)) if request.ignore_missing => return Ok(()),
                Err(StorageError::NotFound(_)) => {
                    return Err(fatal("FILE_NOT_FOUND", format!("{path} does not exist")));
                }
                Err(StorageError::NotEmpty(_)) => {
                    return Err(fatal(
                        "DIRECTORY_NOT_EMPTY",
                        format!("{path} is not empty; submit with recursive to delete it"),
                    ));
                }
                Err(StorageError::PermissionDenied(_)) => {
                    return Err(fatal(
                        "PERMISSION_DENIED",
                        format!("{path} may not be deleted"),
                    ));
                }
                Err(error) if attempt < ATTEMPTS => {
                    self.fault(&task.id, path, &error.to_string()).await?;
                    tokio::time::sleep(BACK_OFF * 2_u32.pow(attempt - 1)).await;
                }
                Err(error) => return Err(fatal("ENDPOINT_ERROR", error.to_string())),
            }
        }
    }

    /// Records a transient failure (a fault) before the item is tried again.
    async fn fault(&self, id: &str, path: &CollectionPath, why: &str) -> Result<(), Fatal> {
        tasks::fault(&self.store, id).await?;
        let now = self.clock.now();
        let description = format!("{path} failed; trying again");
        tasks::event(&self.store, id, "FAULT", &description, why, true, now).await?;
        Ok(())
    }
}
