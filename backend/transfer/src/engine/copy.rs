//! Copying one file between storages: written to a hidden file at the destination, verified
//! when asked (the source read and hashed beside the copy, the destination read back and
//! hashed), made durable and renamed into place; counted as it goes and stopped when the task is
//! canceled.
//! Between local directories the copy runs on blocking threads ([`super::stream`]); when an
//! object store is at either end it streams through the storages ([`super::streamed`]).

use super::checksum::Algorithm;
use super::stream::{self, Streamed};
use super::streamed;
use super::watch::Attempt;
use crate::paths::CollectionPath;
use crate::storage::local::LocalStorage;
use crate::storage::{Storage, StorageError};
use std::sync::Arc;

/// What one copy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub bytes: u64,
    /// Bytes whose checksum was verified (all of them when verifying).
    pub checksummed: u64,
}

/// Why a copy failed.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the destination's checksum differs from the source's")]
    ChecksumMismatch,
    #[error("the task was canceled")]
    Canceled,
}

/// One file to copy: from where to where, under which temporary name.
#[derive(Debug)]
pub struct Job<'a> {
    pub source: &'a Storage,
    pub from: &'a CollectionPath,
    pub destination: &'a Storage,
    pub to: &'a CollectionPath,
    /// Names the temporary file, the same for every attempt at this copy.
    pub tag: &'a str,
    /// The checksum to verify the copy with; `None`: not verified.
    pub verify: Option<Algorithm>,
    /// Whether the copy keeps the source's modification time (`preserve_timestamp`).
    pub keep_modified: bool,
}

/// Copies a file; the destination file appears whole and verified, or not at all.
pub async fn copy(job: &Job<'_>, attempt: &Arc<Attempt>) -> Result<Copied, CopyError> {
    match (job.source, job.destination) {
        (Storage::Local(source), Storage::Local(destination)) => {
            copy_local(job, (source, destination), attempt).await
        }
        _ => streamed::copy(job, attempt).await,
    }
}

/// [`copy`] from a local directory to a local directory.
async fn copy_local(
    job: &Job<'_>,
    (source, destination): (&LocalStorage, &LocalStorage),
    attempt: &Arc<Attempt>,
) -> Result<Copied, CopyError> {
    let (to, verify) = (job.to, job.verify);
    let (mut reader, entry) = source.open_read(job.from).await?;
    let partial = destination.create_partial_tagged(to, job.tag).await?;
    let io = |e: std::io::Error| CopyError::Storage(StorageError::from_io(to, e));
    let writer = match partial.file.try_clone() {
        Ok(handle) => handle,
        Err(e) => {
            partial.abort().await;
            return Err(io(e));
        }
    };
    let attempt = Arc::clone(attempt);
    let outcome = tokio::task::spawn_blocking(move || {
        let mut writer = writer;
        match verify {
            None => stream::plain(&mut reader, &mut writer, &attempt),
            Some(algorithm) => stream::verified(&mut reader, &mut writer, algorithm, &attempt),
        }
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
    let failed = match outcome {
        Ok(Streamed::Whole {
            bytes,
            verified: true,
        }) => {
            if job.keep_modified
                && let Err(error) = partial.set_modified_now(entry.modified)
            {
                partial.abort().await;
                return Err(error.into());
            }
            partial.commit().await?;
            return Ok(Copied {
                bytes,
                checksummed: if verify.is_some() { bytes } else { 0 },
            });
        }
        Ok(Streamed::Whole { .. }) => CopyError::ChecksumMismatch,
        Ok(Streamed::Canceled) => CopyError::Canceled,
        Err(e) => io(e),
    };
    partial.abort().await;
    Err(failed)
}
