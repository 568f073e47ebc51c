//! Transfer tasks: the items are expanded once into files (directories walked, made at the
//! destination), then the pending files are copied and verified a few at a time, or skipped when
//! the sync level finds them already there.

use super::copy::{self, Algorithm, CopyError, digest_of};
use super::{ATTEMPTS, BACK_OFF, Engine, Fatal, fatal};
use crate::collections::{self, Collection};
use crate::paths::CollectionPath;
use crate::storage::local::LocalStorage;
use crate::storage::{EntryKind, StorageError};
use crate::task_files::{self, Found, TaskFile};
use crate::tasks::{self, Task};
use mrdp_globus::tasks::TransferRequest;
use std::collections::VecDeque;
use std::sync::Mutex;

/// Files copied at once by one task.
const PARALLEL: usize = 4;

/// What every copy of a task needs.
struct Plan<'a> {
    task: &'a Task,
    request: &'a TransferRequest,
    source: &'a Collection,
    destination: &'a Collection,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn parse(raw: &str) -> Result<CollectionPath, Fatal> {
    CollectionPath::parse(raw).map_err(|e| fatal("INVALID_PATH", e.to_string()))
}

fn storage_fatal(path: &CollectionPath, error: &StorageError) -> Fatal {
    match error {
        StorageError::NotFound(_) => fatal("FILE_NOT_FOUND", format!("{path} does not exist")),
        StorageError::PermissionDenied(_) => fatal(
            "PERMISSION_DENIED",
            format!("{path} may not be read or written"),
        ),
        other => fatal("ENDPOINT_ERROR", other.to_string()),
    }
}

impl Engine {
    async fn storage_of(
        &self,
        collection: &Collection,
        path: &CollectionPath,
    ) -> Result<(LocalStorage, CollectionPath), Fatal> {
        self.storages
            .locate(&self.store, collection, path)
            .await
            .map_err(|e| fatal("ENDPOINT_ERROR", e.to_string()))
    }

    async fn endpoint(&self, id: &str) -> Result<Collection, Fatal> {
        collections::find(&self.store, id).await?.ok_or_else(|| {
            fatal(
                "ENDPOINT_NOT_FOUND",
                format!("endpoint {id} no longer exists"),
            )
        })
    }

    pub(super) async fn transfer(&self, task: &Task) -> Result<(), Fatal> {
        let request: TransferRequest = serde_json::from_str(&task.request).map_err(|e| {
            fatal(
                "SERVICE_ERROR",
                format!("the stored request does not read: {e}"),
            )
        })?;
        let source = self.endpoint(&request.source_endpoint).await?;
        let destination = self.endpoint(&request.destination_endpoint).await?;
        if !task_files::expanded(&self.store, &task.id).await? {
            self.expand(task, &request, &source, &destination).await?;
        }
        let plan = Plan {
            task,
            request: &request,
            source: &source,
            destination: &destination,
        };
        let queue = Mutex::new(VecDeque::from(
            task_files::pending(&self.store, &task.id).await?,
        ));
        let failure = Mutex::new(None::<Fatal>);
        // A few copies at once, each taking the next file; after a failure, each finishes the file
        // it holds (a copy is never dropped half-way) and takes no other.
        let worker = || async {
            loop {
                if lock(&failure).is_some() {
                    return;
                }
                let Some(file) = lock(&queue).pop_front() else {
                    return;
                };
                if let Err(fatal) = self.copy_file(&plan, &file).await {
                    lock(&failure).get_or_insert(fatal);
                    return;
                }
            }
        };
        futures_util::future::join_all((0..PARALLEL).map(|_| worker())).await;
        match lock(&failure).take() {
            Some(fatal) => Err(fatal),
            None => Ok(()),
        }
    }

    /// Copies one file of the task (or skips it, when the sync level finds it there).
    async fn copy_file(&self, plan: &Plan<'_>, file: &TaskFile) -> Result<(), Fatal> {
        let (task, request) = (plan.task, plan.request);
        if tasks::cancel_requested(&self.store, &task.id).await? {
            return Err(fatal("CANCELED", "The task was canceled by its owner"));
        }
        let (from, to) = (parse(&file.source_path)?, parse(&file.destination_path)?);
        let (source_storage, source_path) = self.storage_of(plan.source, &from).await?;
        let (destination_storage, destination_path) =
            self.storage_of(plan.destination, &to).await?;
        let algorithm = Algorithm::parse(Some(&file.checksum_algorithm)).unwrap_or(Algorithm::Md5);
        let there = already_there(
            request.sync_level,
            algorithm,
            (&source_storage, &source_path),
            (&destination_storage, &destination_path),
        )
        .await
        .map_err(|e| storage_fatal(&from, &e))?;
        if there {
            task_files::settle(&self.store, &task.id, file.seq, None).await?;
            return Ok(());
        }
        let job = copy::Job {
            source: &source_storage,
            from: &source_path,
            destination: &destination_storage,
            to: &destination_path,
            tag: &format!("{}-{}", task.id, file.seq),
            verify: request.verify_checksum.then_some(algorithm),
        };
        let mut attempt = 0;
        let copied = loop {
            attempt += 1;
            match copy::copy(&job).await {
                Ok(copied) => break copied,
                Err(CopyError::Storage(
                    error @ (StorageError::NotFound(_) | StorageError::PermissionDenied(_)),
                )) => return Err(storage_fatal(&from, &error)),
                Err(error) if attempt < ATTEMPTS => {
                    self.fault(&task.id, &from, &error.to_string()).await?;
                    tokio::time::sleep(BACK_OFF * 2_u32.pow(attempt - 1)).await;
                }
                Err(CopyError::ChecksumMismatch) => {
                    return Err(fatal("CHECKSUM_MISMATCH", format!("{from} did not verify")));
                }
                Err(CopyError::Storage(error)) => return Err(storage_fatal(&from, &error)),
            }
        };
        let size = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let settled = Some((size(copied.bytes), size(copied.checksummed)));
        task_files::settle(&self.store, &task.id, file.seq, settled).await?;
        Ok(())
    }

    /// Lists every file the items name (walking directories, made at the destination), once.
    async fn expand(
        &self,
        task: &Task,
        request: &TransferRequest,
        source: &Collection,
        destination: &Collection,
    ) -> Result<(), Fatal> {
        let mut files = Vec::new();
        let mut directories = 0;
        for item in &request.data {
            let (from, to) = (parse(&item.source_path)?, parse(&item.destination_path)?);
            let algorithm = Algorithm::parse(item.checksum_algorithm.as_deref())
                .ok_or_else(|| fatal("INVALID_CHECKSUM_ALGORITHM", "MD5 or SHA256"))?
                .as_str();
            let found = |from: &CollectionPath, to: &CollectionPath, size: u64| Found {
                source_path: from.to_string(),
                destination_path: to.to_string(),
                size: i64::try_from(size).unwrap_or(i64::MAX),
                checksum_algorithm: algorithm,
            };
            let (storage, stored) = self.storage_of(source, &from).await?;
            let entry = storage
                .stat(&stored)
                .await
                .map_err(|e| storage_fatal(&from, &e))?;
            if entry.kind != EntryKind::Dir {
                files.push(found(&from, &to, entry.size));
                continue;
            }
            if !item.recursive {
                return Err(fatal(
                    "NOT_A_FILE",
                    format!("{from} is a directory: submit it with recursive"),
                ));
            }
            let mut walk = vec![(from, to)];
            while let Some((from, to)) = walk.pop() {
                let (target, target_path) = self.storage_of(destination, &to).await?;
                target
                    .mkdir_all(&target_path)
                    .await
                    .map_err(|e| storage_fatal(&to, &e))?;
                directories += 1;
                let (storage, stored) = self.storage_of(source, &from).await?;
                let entries = storage
                    .list(&stored, true)
                    .await
                    .map_err(|e| storage_fatal(&from, &e))?;
                for entry in entries {
                    let (child, target) = (
                        from.join(&entry.name)
                            .map_err(|e| fatal("INVALID_PATH", e.to_string()))?,
                        to.join(&entry.name)
                            .map_err(|e| fatal("INVALID_PATH", e.to_string()))?,
                    );
                    match entry.kind {
                        EntryKind::Dir => walk.push((child, target)),
                        EntryKind::File => files.push(found(&child, &target, entry.size)),
                        EntryKind::InvalidSymlink | EntryKind::Other => {}
                    }
                }
            }
        }
        task_files::expand(&self.store, &task.id, &files, directories).await?;
        Ok(())
    }
}

/// Whether the sync level finds the destination file already up to date.
async fn already_there(
    sync_level: Option<u8>,
    algorithm: Algorithm,
    (source, from): (&LocalStorage, &CollectionPath),
    (destination, to): (&LocalStorage, &CollectionPath),
) -> Result<bool, StorageError> {
    let Some(level) = sync_level else {
        return Ok(false);
    };
    let there = match destination.stat(to).await {
        Ok(entry) => entry,
        Err(StorageError::NotFound(_)) => return Ok(false),
        Err(other) => return Err(other),
    };
    if level == 0 {
        return Ok(true);
    }
    let here = source.stat(from).await?;
    if here.size != there.size {
        return Ok(false);
    }
    match level {
        1 => Ok(true),
        2 => Ok(there.modified >= here.modified),
        _ => {
            let (mut a, _) = source.open_read(from).await?;
            let (mut b, _) = destination.open_read(to).await?;
            let same = tokio::task::spawn_blocking(move || {
                Ok::<_, std::io::Error>(
                    digest_of(&mut a, algorithm)? == digest_of(&mut b, algorithm)?,
                )
            })
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
            same.map_err(|e| StorageError::from_io(from, e))
        }
    }
}
