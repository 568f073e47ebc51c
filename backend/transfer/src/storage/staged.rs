//! Files as streams, on any storage: a file opened for reading (what it is, then any range of its
//! content), and a file written from a stream and staged — stored whole, readable back, but in
//! place only once committed.
//!
//! On a local directory a staged file is a hidden temporary file, renamed into place by the
//! commit. An object store has no renames worth the name (a copy of every byte): an object is
//! stored at its key, atomically when its upload completes, and aborting it deletes it.

use super::local::{PartialFile, file_chunks, write_chunks};
use super::object::ObjectStorage;
use super::{Chunk, Chunks, Entry, Storage, StorageError};
use crate::paths::CollectionPath;
use futures_util::{Stream, StreamExt, TryStreamExt};

/// A file open for reading.
#[derive(Debug)]
pub struct Opened {
    pub entry: Entry,
    source: Source,
}

#[derive(Debug)]
enum Source {
    File(std::fs::File),
    Object(ObjectStorage, CollectionPath),
}

/// `length` bytes of an object from `start`, requested when first polled.
fn object_chunks(storage: ObjectStorage, path: CollectionPath, start: u64, length: u64) -> Chunks {
    futures_util::stream::once(async move {
        storage
            .read(&path, start, length)
            .await
            .map_err(std::io::Error::other)
    })
    .try_flatten()
    .boxed()
}

impl Opened {
    /// `length` bytes of the file from `start`.
    pub fn chunks(self, start: u64, length: u64) -> Chunks {
        match self.source {
            Source::File(file) => file_chunks(file, start, length),
            Source::Object(storage, path) => object_chunks(storage, path, start, length),
        }
    }
}

/// A file written but not yet in place.
#[derive(Debug)]
pub enum Staged {
    Local(PartialFile),
    Object(ObjectStorage, CollectionPath),
}

impl Staged {
    /// The `length` bytes that were written, read back from the storage.
    pub fn read_back(&self, length: u64) -> Result<Chunks, StorageError> {
        match self {
            Self::Local(partial) => {
                let file = partial
                    .file
                    .try_clone()
                    .map_err(|e| StorageError::from_io(partial.path(), e))?;
                Ok(file_chunks(file, 0, length))
            }
            Self::Object(storage, path) => {
                Ok(object_chunks(storage.clone(), path.clone(), 0, length))
            }
        }
    }

    /// Puts the file in place, durably.
    pub async fn commit(self) -> Result<(), StorageError> {
        match self {
            Self::Local(partial) => partial.commit().await,
            Self::Object(..) => Ok(()),
        }
    }

    /// Gives the written file the modification time `unix_seconds` before it is put in place. An
    /// object's time is the store's own (when its upload completed): it is left as it is.
    pub fn set_modified(&self, unix_seconds: i64) -> Result<(), StorageError> {
        match self {
            Self::Local(partial) => partial.set_modified_now(unix_seconds),
            Self::Object(..) => Ok(()),
        }
    }

    /// Drops what was written.
    pub async fn abort(self) {
        match self {
            Self::Local(partial) => partial.abort().await,
            Self::Object(storage, path) => {
                if let Err(error) = storage.delete(&path, false).await {
                    tracing::warn!(%error, "an aborted object stays");
                }
            }
        }
    }
}

impl Storage {
    /// Opens the file at `path` for reading.
    pub async fn open(&self, path: &CollectionPath) -> Result<Opened, StorageError> {
        match self {
            Self::Local(local) => {
                let (file, entry) = local.open_read(path).await?;
                Ok(Opened {
                    entry,
                    source: Source::File(file),
                })
            }
            Self::Object(object) => Ok(Opened {
                entry: object.stat_file(path).await?,
                source: Source::Object(object.clone(), path.clone()),
            }),
        }
    }

    /// Writes `chunks` as the file at `path` (its directory must exist), staged: a local file
    /// under a hidden name from `tag` (the same tag resumes the same temporary file). Answers the
    /// staged file and its size.
    pub async fn write(
        &self,
        path: &CollectionPath,
        tag: &str,
        chunks: impl Stream<Item = Chunk> + Unpin,
    ) -> Result<(Staged, u64), StorageError> {
        match self {
            Self::Local(local) => {
                let partial = local.create_partial_tagged(path, tag).await?;
                let written = match partial.file.try_clone() {
                    Ok(file) => write_chunks(chunks, file).await,
                    Err(e) => Err(e),
                };
                match written {
                    Ok(bytes) => Ok((Staged::Local(partial), bytes)),
                    Err(e) => {
                        partial.abort().await;
                        Err(StorageError::from_io(path, e))
                    }
                }
            }
            Self::Object(object) => {
                let bytes = object.write(path, chunks).await?;
                Ok((Staged::Object(object.clone(), path.clone()), bytes))
            }
        }
    }
}
