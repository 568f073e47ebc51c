//! Copies with an object store at either end: the source's chunks stream into the destination,
//! hashed (on a blocking thread) and counted as they pass, and stopped when the task is canceled;
//! when verifying, the destination is read back and hashed before the file is put in place (an
//! object that does not verify is deleted).

use super::checksum::{BackgroundHasher, digest_chunks};
use super::copy::{Copied, CopyError, Job};
use super::watch::Attempt;
use crate::storage::StorageError;
use futures_util::StreamExt;
use std::sync::Arc;

/// Copies a file: into a local directory it appears whole and verified, or not at all; into a
/// bucket it appears when its upload completes, and is deleted if it does not verify.
pub async fn copy(job: &Job<'_>, attempt: &Arc<Attempt>) -> Result<Copied, CopyError> {
    let opened = job.source.open(job.from).await?;
    let (size, modified) = (opened.entry.size, opened.entry.modified);
    let hasher = job.verify.map(BackgroundHasher::start);
    let source = opened
        .chunks(0, size)
        .then(|chunk| async {
            if attempt.canceled() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::Interrupted,
                    "the task was canceled",
                ));
            }
            let chunk = chunk?;
            if let Some(hasher) = &hasher {
                hasher.update(&chunk).await?;
            }
            attempt.count(chunk.len() as u64);
            Ok(chunk)
        })
        .boxed();
    let written = job.destination.write(job.to, job.tag, source).await;
    if attempt.canceled() {
        if let Ok((staged, _)) = written {
            staged.abort().await;
        }
        return Err(CopyError::Canceled);
    }
    let (staged, bytes) = written?;
    if job.keep_modified
        && let Err(error) = staged.set_modified(modified)
    {
        staged.abort().await;
        return Err(error.into());
    }
    let (Some(algorithm), Some(hasher)) = (job.verify, hasher) else {
        staged.commit().await?;
        return Ok(Copied {
            bytes,
            checksummed: 0,
        });
    };
    let expected = match hasher.finalize().await {
        Ok(expected) => expected,
        Err(error) => {
            staged.abort().await;
            return Err(StorageError::from_io(job.from, error).into());
        }
    };
    let checked = match staged.read_back(bytes) {
        Ok(chunks) => digest_chunks(chunks, algorithm)
            .await
            .map_err(|e| StorageError::from_io(job.to, e)),
        Err(error) => Err(error),
    };
    match checked {
        Ok(actual) if actual == expected => {
            staged.commit().await?;
            Ok(Copied {
                bytes,
                checksummed: bytes,
            })
        }
        Ok(_) => {
            staged.abort().await;
            Err(CopyError::ChecksumMismatch)
        }
        Err(error) => {
            staged.abort().await;
            Err(error.into())
        }
    }
}
