//! Transfer tasks: the items are expanded once into files (directories walked, made at the
//! destination), then the pending files are copied and verified a few at a time, or skipped when
//! the sync level finds them already there.

use super::batch::{BYTES_PER_BATCH, FILES_PER_BATCH, SMALL};
use super::checksum::{Algorithm, digest_chunks};
use super::copy::{self, CopyError};
use super::watch::{Attempt, TaskWatch};
use super::{ATTEMPTS, BACK_OFF, Engine, Fatal, TICK, canceled, expired, fatal, stored_request};
use crate::paths::CollectionPath;
use crate::storage::{Storage, StorageError};
use crate::task_files::{self, Failure, Settled, TaskFile};
use crate::tasks::{self, Task};
use crate::temporary_files::{self, Journalled};
use mrdp_globus::tasks::TransferRequest;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Files copied at once by one task.
const PARALLEL: usize = 4;

/// What every copy of a task needs.
pub(super) struct Plan<'a> {
    pub task: &'a Task,
    pub request: &'a TransferRequest,
    /// The storages of the source and destination collections' files.
    pub source: Storage,
    pub destination: Storage,
    pub watch: Arc<TaskWatch>,
}

impl Plan<'_> {
    /// A file's source and destination paths, in their collections.
    pub fn paths(&self, file: &TaskFile) -> Result<(CollectionPath, CollectionPath), Fatal> {
        Ok((parse(&file.source_path)?, parse(&file.destination_path)?))
    }

    /// Names a file's temporary copy: the same for every attempt, before and after a restart.
    pub fn tag(&self, file: &TaskFile) -> String {
        format!("{}-{}", self.task.id, file.seq)
    }
}

/// The next work of a copy: one file, or a batch of small ones.
enum Work {
    One(TaskFile),
    Batch(Vec<TaskFile>),
}

/// Takes the next work from the queue: small files are taken in batches, unless a sync level
/// asks to look at each one first.
fn next_work(queue: &Mutex<VecDeque<TaskFile>>, batching: bool) -> Option<Work> {
    let mut queue = lock(queue);
    let small = |file: &TaskFile| batching && file.size <= SMALL;
    if !queue.front().is_some_and(small) {
        return queue.pop_front().map(Work::One);
    }
    let (mut batch, mut bytes) = (Vec::new(), 0);
    while batch.len() < FILES_PER_BATCH
        && bytes < BYTES_PER_BATCH
        && queue.front().is_some_and(small)
    {
        batch.extend(queue.pop_front().inspect(|file| bytes += file.size));
    }
    Some(Work::Batch(batch))
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(super) fn parse(raw: &str) -> Result<CollectionPath, Fatal> {
    CollectionPath::parse(raw).map_err(|e| fatal("INVALID_PATH", e.to_string()))
}

pub(super) fn storage_fatal(path: &CollectionPath, error: &StorageError) -> Fatal {
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
    pub(super) async fn transfer(&self, task: &Task) -> Result<(), Fatal> {
        let request: TransferRequest = stored_request(task)?;
        let rights = self.rights(task).await?;
        if !task_files::expanded(&self.store, &task.id).await? {
            self.expand(task, &request).await?;
        }
        let plan = Plan {
            task,
            request: &request,
            source: rights.source().clone(),
            destination: rights.destination().clone(),
            watch: Arc::default(),
        };
        // Batches write straight into local directories, and need no look at each file first.
        let batching = request.sync_level.is_none()
            && matches!(
                (&plan.source, &plan.destination),
                (Storage::Local(_), Storage::Local(_))
            );
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
                let Some(work) = next_work(&queue, batching) else {
                    return;
                };
                if let Err(fatal) = self.carry_out_work(&plan, work).await {
                    // A collection deleted under the task: the copies in flight stop too.
                    plan.watch.cancel();
                    lock(&failure).get_or_insert(fatal);
                    return;
                }
            }
        };
        let workers = futures_util::future::join_all((0..PARALLEL).map(|_| worker()));
        tokio::select! {
            _ = workers => {}
            () = self.keep_books(task, &plan.watch) => {}
        }
        if let Some(fatal) = lock(&failure).take() {
            return Err(fatal);
        }
        // What failed fails the task; names it could not carry only if they were not to be
        // skipped.
        let failures = task_files::failures(&self.store, &task.id).await?;
        match failures
            .into_iter()
            .find(|(failure, _)| !(request.skip_source_errors && *failure == Failure::InvalidName))
        {
            Some((failure, count)) => Err(Self::some_failed(failure, count)),
            None => Ok(()),
        }
    }

    /// Copies a file or a batch once the gate lets it through, but only what the task's
    /// submitter may still read and write: the rest fails, each with its event.
    async fn carry_out_work(&self, plan: &Plan<'_>, work: Work) -> Result<(), Fatal> {
        self.gate.pass().await;
        if self.past_deadline(plan.task) {
            return Err(expired());
        }
        if plan.watch.canceled() {
            return Err(canceled());
        }
        let rights = self.rights(plan.task).await?;
        let files = match work {
            Work::One(file) => vec![file],
            Work::Batch(files) => files,
        };
        let mut allowed = Vec::with_capacity(files.len());
        let mut denied = Vec::new();
        for file in files {
            let (from, to) = plan.paths(&file)?;
            if self.allowed(plan.task, &rights, &from, &to).await? {
                allowed.push(file);
            } else {
                denied.push((file.seq, 0, 0));
            }
        }
        if !denied.is_empty() {
            let how = Settled::Failed(Failure::PermissionDenied);
            self.settle(plan, how, &denied, None).await?;
        }
        match allowed.as_slice() {
            [] => Ok(()),
            [file] => self.copy_file(plan, file).await,
            files => self.copy_batch(plan, files).await,
        }
    }

    /// Every tick while the task runs: records the bytes of the files being copied and stops the
    /// copies when the owner cancels the task, its deadline passes or its lease is lost.
    async fn keep_books(&self, task: &Task, watch: &TaskWatch) {
        let task_id = task.id.as_str();
        loop {
            tokio::time::sleep(TICK).await;
            let kept = async {
                if tasks::cancel_requested(&self.store, task_id).await?
                    || self.past_deadline(task)
                    || self.lease_lost(task_id)
                {
                    watch.cancel();
                }
                let _books = watch.books.lock().await;
                let in_flight = i64::try_from(watch.in_flight()).unwrap_or(i64::MAX);
                task_files::record_in_flight(&self.store, task_id, in_flight).await
            };
            if let Err(error) = kept.await {
                tracing::warn!(%error, task = task_id, "cannot record a task's progress");
            }
        }
    }

    /// Marks files of the task (`(seq, bytes, checksummed)` each) copied or skipped, with the
    /// bytes still in flight; a finished copy's `attempt` hands its bytes over at the same time.
    pub(super) async fn settle(
        &self,
        plan: &Plan<'_>,
        how: Settled,
        files: &[(i64, u64, u64)],
        attempt: Option<Arc<Attempt>>,
    ) -> Result<(), Fatal> {
        let size = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let files: Vec<(i64, i64, i64)> = files
            .iter()
            .map(|&(seq, bytes, checksummed)| (seq, size(bytes), size(checksummed)))
            .collect();
        let _books = plan.watch.books.lock().await;
        drop(attempt);
        let in_flight = size(plan.watch.in_flight());
        task_files::settle(&self.store, &plan.task.id, how, &files, in_flight).await?;
        self.moved
            .settled(how, files.iter().map(|&(_, bytes, _)| bytes.unsigned_abs()));
        Ok(())
    }

    /// Copies one file of the task (or skips it, when the sync level finds it there).
    pub(super) async fn copy_file(&self, plan: &Plan<'_>, file: &TaskFile) -> Result<(), Fatal> {
        let request = plan.request;
        if plan.watch.canceled() {
            return Err(canceled());
        }
        let (from, to) = plan.paths(file)?;
        let (source_storage, source_path) = (&plan.source, &from);
        let (destination_storage, destination_path) = (&plan.destination, &to);
        let algorithm = Algorithm::parse(Some(&file.checksum_algorithm)).unwrap_or(Algorithm::Md5);
        let there = already_there(
            request.sync_level,
            algorithm,
            (source_storage, source_path),
            (destination_storage, destination_path),
        )
        .await
        .map_err(|e| storage_fatal(&from, &e))?;
        if there {
            return self
                .settle(plan, Settled::Skipped, &[(file.seq, 0, 0)], None)
                .await;
        }
        let tag = plan.tag(file);
        let job = copy::Job {
            source: source_storage,
            from: source_path,
            destination: destination_storage,
            to: destination_path,
            tag: &tag,
            verify: request.verify_checksum.then_some(algorithm),
            keep_modified: request.preserve_timestamp,
        };
        // Journalled before the copy makes its temporary file, forgotten once it is in place or
        // removed: a crash in between leaves nothing the sweep does not find.
        let journalled = self
            .journal(destination_storage, &[(destination_path, &tag)])
            .await?;
        let copied = self.copy_with_retries(plan, &job).await;
        temporary_files::forget(&self.store, &journalled).await;
        let (attempt, copied) = copied?;
        let settled = [(file.seq, copied.bytes, copied.checksummed)];
        self.settle(plan, Settled::Copied, &settled, Some(attempt))
            .await
    }

    /// Journals the temporary files a copy into `storage` will make (none in a bucket).
    pub(super) async fn journal(
        &self,
        storage: &Storage,
        files: &[(&CollectionPath, &str)],
    ) -> Result<Vec<Journalled>, Fatal> {
        let Storage::Local(local) = storage else {
            return Ok(Vec::new());
        };
        Ok(temporary_files::journal(&self.store, local, files, self.clock.now()).await?)
    }

    /// Copies a file, trying again what may pass.
    async fn copy_with_retries(
        &self,
        plan: &Plan<'_>,
        job: &copy::Job<'_>,
    ) -> Result<(Arc<Attempt>, copy::Copied), Fatal> {
        let from = job.from;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let attempt = Arc::new(Attempt::new(&plan.watch));
            match copy::copy(job, &attempt).await {
                Ok(copied) => return Ok((attempt, copied)),
                Err(CopyError::Canceled) => return Err(canceled()),
                Err(CopyError::Storage(
                    error @ (StorageError::NotFound(_) | StorageError::PermissionDenied(_)),
                )) => return Err(storage_fatal(from, &error)),
                Err(error) if attempts < ATTEMPTS => {
                    self.fault(&plan.task.id, from, &error.to_string()).await?;
                    tokio::time::sleep(BACK_OFF * 2_u32.pow(attempts - 1)).await;
                }
                Err(CopyError::ChecksumMismatch) => {
                    return Err(fatal("CHECKSUM_MISMATCH", format!("{from} did not verify")));
                }
                Err(CopyError::Storage(error)) => return Err(storage_fatal(from, &error)),
            }
        }
    }
}

/// Whether the sync level finds the destination file already up to date.
async fn already_there(
    sync_level: Option<u8>,
    algorithm: Algorithm,
    (source, from): (&Storage, &CollectionPath),
    (destination, to): (&Storage, &CollectionPath),
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
            let digest = |opened: crate::storage::Opened| {
                let size = opened.entry.size;
                digest_chunks(opened.chunks(0, size), algorithm)
            };
            let here = digest(source.open(from).await?)
                .await
                .map_err(|e| StorageError::from_io(from, e))?;
            let there = digest(destination.open(to).await?)
                .await
                .map_err(|e| StorageError::from_io(to, e))?;
            Ok(here == there)
        }
    }
}
