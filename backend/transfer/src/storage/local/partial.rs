//! Files being written: a hidden temporary name beside the destination, made durable and renamed
//! into place only when whole. One file commits on its own (fsync, rename, directory fsync);
//! many small files commit together (every file written, one `syncfs`, every rename, one more
//! `syncfs`), which makes hundreds of files durable for the price of two flushes.

use super::{LocalStorage, relative};
use crate::paths::{CollectionPath, PARTIAL_PREFIX};
use crate::storage::StorageError;
use cap_std::fs::{Dir, OpenOptions};
use rustix::fs::{Advice, fadvise};
use std::fs::File;
use std::num::NonZeroU64;
use std::sync::mpsc;

/// A file being written: it becomes visible under its name only once committed.
#[derive(Debug)]
pub struct PartialFile {
    pub file: File,
    parent: Dir,
    temporary: String,
    name: String,
    path: CollectionPath,
}

/// Runs `work` while a second thread starts the write-back of what `work` wrote each time it
/// nudges it, so that writing and write-back overlap and the final fsync has little left. The
/// write-back is started without waiting for it (`POSIX_FADV_DONTNEED` on the range written
/// since the last nudge: the kernel queues its dirty pages for writing and keeps them cached until
/// written), so no nudge costs a journal commit as an `fdatasync` would; errors are left to the
/// final fsync, which reports them.
pub fn with_write_back<T>(file: &File, work: impl FnOnce(&dyn Fn()) -> T) -> T {
    let (nudge, nudged) = mpsc::sync_channel::<()>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut started = 0_u64;
            while nudged.recv().is_ok() {
                let Ok(written) = file.metadata().map(|metadata| metadata.len()) else {
                    continue;
                };
                if let Some(length) = NonZeroU64::new(written.saturating_sub(started)) {
                    let _ = fadvise(file, started, Some(length), Advice::DontNeed);
                    started = written;
                }
            }
        });
        let outcome = work(&|| {
            let _ = nudge.try_send(());
        });
        drop(nudge);
        outcome
    })
}

impl LocalStorage {
    /// Starts writing `path`: a new hidden file in its directory (which must exist).
    pub async fn create_partial(&self, path: &CollectionPath) -> Result<PartialFile, StorageError> {
        self.create_partial_tagged(path, &uuid::Uuid::new_v4().simple().to_string())
            .await
    }

    /// [`Self::create_partial`] with the temporary file named by `tag`: a writer that was
    /// interrupted (a task copying a file when the service died) starts over in the same
    /// temporary file, which it empties, so no partial file outlives a resumed copy.
    pub async fn create_partial_tagged(
        &self,
        path: &CollectionPath,
        tag: &str,
    ) -> Result<PartialFile, StorageError> {
        let (owned, tag) = (path.clone(), tag.to_owned());
        self.blocking(path, move |dir| create_partial_in(dir, &owned, &tag))
            .await
    }

    /// [`Self::create_partial_tagged`] on the calling (blocking) thread.
    pub fn create_partial_now(
        &self,
        path: &CollectionPath,
        tag: &str,
    ) -> Result<PartialFile, StorageError> {
        self.in_base(|dir| create_partial_in(dir, path, tag))
    }

    /// The hidden name of the temporary file `tag` names.
    pub fn partial_name(tag: &str) -> String {
        format!("{PARTIAL_PREFIX}{tag}")
    }

    /// Removes the temporary file `temporary` in `directory` when nothing wrote to it for
    /// `idle`: `true` when it is gone (removed now, or before), `false` when it is in use.
    pub async fn remove_idle_partial(
        &self,
        directory: &CollectionPath,
        temporary: &str,
        idle: std::time::Duration,
    ) -> Result<bool, StorageError> {
        if !temporary.starts_with(PARTIAL_PREFIX) || temporary.contains('/') {
            return Err(StorageError::PermissionDenied(directory.clone()));
        }
        let (owned, temporary) = (directory.clone(), temporary.to_owned());
        self.blocking(directory, move |root| {
            let io = |e| StorageError::from_io(&owned, e);
            let parent = match root.open_dir(relative(&owned)) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
                other => other.map_err(io)?,
            };
            let written = match parent.metadata(&temporary) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
                other => other.map_err(io)?.modified().map_err(io)?.into_std(),
            };
            if written.elapsed().unwrap_or_default() < idle {
                return Ok(false);
            }
            parent.remove_file(&temporary).map_err(io)?;
            Ok(true)
        })
        .await
    }

    /// Makes everything written to this storage's file system durable (`syncfs`).
    pub fn flush_all_now(&self) -> Result<(), StorageError> {
        let io = |e| StorageError::from_io(&CollectionPath::root(), e);
        // The root's handle is a path handle, which cannot be synced: open it for reading.
        let root = self.root.open(".").map_err(io)?;
        rustix::fs::syncfs(&root).map_err(|e| io(e.into()))
    }
}

/// Starts writing `path` of `dir`: a new hidden file named by `tag` in its directory.
fn create_partial_in(
    dir: &Dir,
    path: &CollectionPath,
    tag: &str,
) -> Result<PartialFile, StorageError> {
    let Some(name) = path.name().map(str::to_owned) else {
        return Err(StorageError::IsADirectory(path.clone()));
    };
    let parent_path = path.parent().unwrap_or_else(CollectionPath::root);
    let parent = dir
        .open_dir(relative(&parent_path))
        .map_err(|e| StorageError::from_io(&parent_path, e))?;
    if parent
        .symlink_metadata(&name)
        .is_ok_and(|existing| existing.is_dir())
    {
        return Err(StorageError::IsADirectory(path.clone()));
    }
    let temporary = LocalStorage::partial_name(tag);
    let file = parent
        .open_with(
            &temporary,
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true),
        )
        .map_err(|e| StorageError::from_io(path, e))?;
    Ok(PartialFile {
        file: file.into_std(),
        parent,
        temporary,
        name,
        path: path.clone(),
    })
}

impl PartialFile {
    /// The path it becomes once committed.
    pub fn path(&self) -> &CollectionPath {
        &self.path
    }

    /// Gives the written file the modification time `unix_seconds` (a copy keeping its
    /// source's), before it is made durable.
    pub fn set_modified_now(&self, unix_seconds: i64) -> Result<(), StorageError> {
        let since_epoch = std::time::Duration::from_secs(u64::try_from(unix_seconds).unwrap_or(0));
        self.file
            .set_modified(std::time::UNIX_EPOCH + since_epoch)
            .map_err(|e| StorageError::from_io(&self.path, e))
    }

    /// The directory the file is written in, and its temporary name there.
    pub fn temporary(&self) -> (CollectionPath, &str) {
        let directory = self.path.parent().unwrap_or_else(CollectionPath::root);
        (directory, &self.temporary)
    }

    /// Makes the written file durable and visible under its name, replacing what was there; a
    /// file that cannot be is removed.
    pub async fn commit(self) -> Result<(), StorageError> {
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || self.commit_now())
            .await
            .map_err(|e| StorageError::from_io(&path, std::io::Error::other(e)))?
    }

    /// [`Self::commit`] on the calling (blocking) thread.
    pub fn commit_now(self) -> Result<(), StorageError> {
        let path = self.path.clone();
        let io = |e| StorageError::from_io(&path, e);
        if let Err(error) = self.file.sync_all() {
            self.abort_now();
            return Err(io(error));
        }
        let parent = self.into_place()?;
        // The rename is durable once the directory is (its handle here is a path handle,
        // which cannot be synced: open it for reading).
        parent.open(".").and_then(|dir| dir.sync_all()).map_err(io)
    }

    /// Renames the file into place without making anything durable: for a caller that flushed
    /// the file before and flushes the rename after.
    pub fn rename_now(self) -> Result<(), StorageError> {
        self.into_place().map(drop)
    }

    /// Renames the file into place, or removes it if it cannot be; answers the directory it is
    /// in.
    fn into_place(self) -> Result<Dir, StorageError> {
        let Self {
            file,
            parent,
            temporary,
            name,
            path,
        } = self;
        drop(file);
        if let Err(error) = parent.rename(&temporary, &parent, &name) {
            // Nothing else would ever remove it: the upload or copy is over.
            let _ = parent.remove_file(&temporary);
            return Err(StorageError::from_io(&path, error));
        }
        Ok(parent)
    }

    /// Gives up: the temporary file is removed.
    pub async fn abort(self) {
        let removed = tokio::task::spawn_blocking(move || self.abort_now()).await;
        if removed.is_err() {
            tracing::warn!("a partial file could not be removed");
        }
    }

    /// [`Self::abort`] on the calling (blocking) thread.
    pub fn abort_now(self) {
        let Self {
            file,
            parent,
            temporary,
            ..
        } = self;
        drop(file);
        if parent.remove_file(&temporary).is_err() {
            tracing::warn!("a partial file could not be removed");
        }
    }
}
