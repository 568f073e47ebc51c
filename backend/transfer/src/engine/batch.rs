//! Small files copied in batches: one blocking job writes every file of the batch under its
//! temporary name, makes them all durable with one `syncfs`, renames them into place and makes
//! the renames durable with a second one; the store then records the whole batch in one
//! transaction. Per-file fsyncs and commits would cost more than copying 4 KiB does.
//!
//! A file that fails stops the batch: what was written before it is kept, and it and the files
//! after it go through the one-file path, with its retries and its errors.

use super::checksum::{Algorithm, digest};
use super::copy::CopyError;
use super::transfer::Plan;
use super::watch::TaskWatch;
use super::{Engine, Fatal, canceled};
use crate::paths::CollectionPath;
use crate::storage::local::{LocalStorage, PartialFile};
use crate::storage::{Storage, StorageError};
use crate::task_files::{Settled, TaskFile};
use crate::temporary_files;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Arc;

/// Files at most this large are copied in batches.
pub const SMALL: i64 = 1 << 20;
/// Files per batch at most (each batch costs two flushes of the file system).
pub const FILES_PER_BATCH: usize = 1000;
/// Bytes per batch at most (what a batch holds unflushed).
pub const BYTES_PER_BATCH: i64 = 64 << 20;

/// One file of a batch, with paths of the storages.
struct Item {
    seq: i64,
    from: CollectionPath,
    to: CollectionPath,
    tag: String,
    verify: Option<Algorithm>,
    /// Whether the copy keeps the source's modification time.
    keep_modified: bool,
}

/// What a batch did: the files it copied (`seq`, bytes), and the file it stopped at and why.
struct Outcome {
    copied: Vec<(i64, u64)>,
    stopped: Option<(usize, CopyError)>,
}

impl Engine {
    /// Copies a batch of small files of the task.
    pub(super) async fn copy_batch(
        &self,
        plan: &Plan<'_>,
        files: &[TaskFile],
    ) -> Result<(), Fatal> {
        let mut items = Vec::with_capacity(files.len());
        for file in files {
            let (from, to) = plan.paths(file)?;
            let verify = plan
                .request
                .verify_checksum
                .then(|| Algorithm::parse(Some(&file.checksum_algorithm)))
                .flatten();
            items.push(Item {
                seq: file.seq,
                from,
                to,
                tag: plan.tag(file),
                verify,
                keep_modified: plan.request.preserve_timestamp,
            });
        }
        let (Storage::Local(source), Storage::Local(destination)) =
            (&plan.source, &plan.destination)
        else {
            // Only copies between local directories batch.
            for file in files {
                self.copy_file(plan, file).await?;
            }
            return Ok(());
        };
        let named: Vec<(&CollectionPath, &str)> = items
            .iter()
            .map(|item| (&item.to, item.tag.as_str()))
            .collect();
        let journalled = self.journal(&plan.destination, &named).await?;
        let (source, destination) = (source.clone(), destination.clone());
        let watch = Arc::clone(&plan.watch);
        let outcome =
            tokio::task::spawn_blocking(move || copy_now(&source, &destination, &items, &watch))
                .await;
        // Every temporary file of the batch is in place or removed by now.
        temporary_files::forget(&self.store, &journalled).await;
        let outcome = outcome.unwrap_or_else(|e| Outcome {
            copied: Vec::new(),
            stopped: Some((
                0,
                CopyError::Storage(StorageError::from_io(
                    &CollectionPath::root(),
                    std::io::Error::other(e),
                )),
            )),
        });
        if !outcome.copied.is_empty() {
            let verified = plan.request.verify_checksum;
            let settled: Vec<(i64, u64, u64)> = outcome
                .copied
                .iter()
                .map(|&(seq, bytes)| (seq, bytes, if verified { bytes } else { 0 }))
                .collect();
            self.settle(plan, Settled::Copied, &settled, None).await?;
        }
        match outcome.stopped {
            None => Ok(()),
            Some((_, CopyError::Canceled)) => Err(canceled()),
            Some((index, error)) => {
                tracing::warn!(%error, task = %plan.task.id, "a batch stopped; its rest is copied file by file");
                for file in &files[index..] {
                    self.copy_file(plan, file).await?;
                }
                Ok(())
            }
        }
    }
}

/// The batch, on the calling (blocking) thread.
fn copy_now(
    source: &LocalStorage,
    destination: &LocalStorage,
    items: &[Item],
    watch: &TaskWatch,
) -> Outcome {
    let mut written: Vec<(i64, u64, PartialFile)> = Vec::with_capacity(items.len());
    let mut stopped = None;
    for (index, item) in items.iter().enumerate() {
        if watch.canceled() {
            stopped = Some((index, CopyError::Canceled));
            break;
        }
        match write_one(source, destination, item) {
            Ok((bytes, partial)) => written.push((item.seq, bytes, partial)),
            Err(error) => {
                stopped = Some((index, error));
                break;
            }
        }
    }
    let copied = written
        .iter()
        .map(|(seq, bytes, _)| (*seq, *bytes))
        .collect();
    let mut partials = written.into_iter().map(|(_, _, partial)| partial);
    // Durable, then visible, then durably visible.
    let mut settle = || -> Result<(), StorageError> {
        destination.flush_all_now()?;
        for partial in partials.by_ref() {
            partial.rename_now()?;
        }
        destination.flush_all_now()
    };
    match settle() {
        Ok(()) => Outcome { copied, stopped },
        Err(error) => {
            partials.for_each(PartialFile::abort_now);
            Outcome {
                copied: Vec::new(),
                stopped: Some((0, CopyError::Storage(error))),
            }
        }
    }
}

/// Writes one file under its temporary name, verified when asked; answers its size.
fn write_one(
    source: &LocalStorage,
    destination: &LocalStorage,
    item: &Item,
) -> Result<(u64, PartialFile), CopyError> {
    let (mut reader, entry) = source.open_read_now(&item.from)?;
    let mut partial = destination.create_partial_now(&item.to, &item.tag)?;
    let written = (|| -> std::io::Result<(u64, bool)> {
        let Some(algorithm) = item.verify else {
            return Ok((std::io::copy(&mut reader, &mut partial.file)?, true));
        };
        let mut content = Vec::new();
        reader.read_to_end(&mut content)?;
        partial.file.write_all(&content)?;
        let expected = digest(&content, algorithm);
        // Read back what was written (the same file, not a cache of the source).
        content.clear();
        partial.file.seek(SeekFrom::Start(0))?;
        partial.file.read_to_end(&mut content)?;
        Ok((
            content.len() as u64,
            digest(&content, algorithm) == expected,
        ))
    })();
    match written {
        Ok((bytes, true)) if item.keep_modified => match partial.set_modified_now(entry.modified) {
            Ok(()) => Ok((bytes, partial)),
            Err(error) => {
                partial.abort_now();
                Err(CopyError::Storage(error))
            }
        },
        Ok((bytes, true)) => Ok((bytes, partial)),
        Ok((_, false)) => {
            partial.abort_now();
            Err(CopyError::ChecksumMismatch)
        }
        Err(e) => {
            partial.abort_now();
            Err(CopyError::Storage(StorageError::from_io(&item.to, e)))
        }
    }
}
