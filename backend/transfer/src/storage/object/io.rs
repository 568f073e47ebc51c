//! Reading and writing objects as streams of chunks: reads ask for byte ranges, writes go up in
//! one `PUT` when small and as a multipart upload (a few parts in flight) when large, so memory
//! stays at a few parts whatever the object's size.

use super::{ObjectStorage, failed};
use crate::paths::CollectionPath;
use crate::storage::{Chunk, Chunks, EntryKind, StorageError};
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::{GetOptions, GetRange, PutPayload, WriteMultipart};

/// Bytes per part of a multipart upload; smaller objects go up in one `PUT`.
const PART: usize = 8 << 20;
/// Parts uploaded at once.
const PARTS_IN_FLIGHT: usize = 4;

/// Why a write stopped: the chunks it was given, or the store.
enum Stopped {
    Source(std::io::Error),
    Store(object_store::Error),
}

impl Stopped {
    fn into_storage(self, path: &CollectionPath) -> StorageError {
        match self {
            Self::Source(error) => StorageError::from_io(path, error),
            Self::Store(error) => failed(path, error),
        }
    }
}

impl ObjectStorage {
    /// The file at `path`, with what a stat of it says.
    pub async fn stat_file(&self, path: &CollectionPath) -> Result<super::Entry, StorageError> {
        let entry = self.stat(path).await?;
        match entry.kind {
            EntryKind::File => Ok(entry),
            _ => Err(StorageError::IsADirectory(path.clone())),
        }
    }

    /// `length` bytes of the object at `path`, from `start`.
    pub async fn read(
        &self,
        path: &CollectionPath,
        start: u64,
        length: u64,
    ) -> Result<Chunks, StorageError> {
        if length == 0 {
            return Ok(futures_util::stream::empty().boxed());
        }
        let options = GetOptions {
            range: Some(GetRange::Bounded(start..start + length)),
            ..GetOptions::default()
        };
        let got = self
            .store
            .get_opts(&self.key(path), options)
            .await
            .map_err(|e| failed(path, e))?;
        Ok(got.into_stream().map_err(std::io::Error::other).boxed())
    }

    /// Stores `chunks` as the object at `path` (whose parent directory must exist); it becomes
    /// visible whole once every chunk is stored, or not at all. Answers its size.
    pub async fn write(
        &self,
        path: &CollectionPath,
        mut chunks: impl Stream<Item = Chunk> + Unpin,
    ) -> Result<u64, StorageError> {
        if path.is_root() || self.holds_anything(path).await? {
            return Err(StorageError::IsADirectory(path.clone()));
        }
        self.parent_exists(path).await?;
        let key = self.key(path);
        // The first part's worth decides: one PUT, or a multipart upload.
        let (mut first, mut held) = (Vec::new(), 0);
        while held < PART {
            match chunks.next().await {
                Some(Ok(chunk)) => {
                    held += chunk.len();
                    first.push(chunk);
                }
                Some(Err(error)) => return Err(StorageError::from_io(path, error)),
                None => {
                    self.store
                        .put(&key, first.into_iter().collect::<PutPayload>())
                        .await
                        .map_err(|e| failed(path, e))?;
                    return Ok(held as u64);
                }
            }
        }
        let started = self
            .store
            .put_multipart(&key)
            .await
            .map_err(|e| failed(path, e))?;
        let mut upload = WriteMultipart::new_with_chunk_size(started, PART);
        first.into_iter().for_each(|chunk| upload.put(chunk));
        let mut total = held as u64;
        let streamed = async {
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk.map_err(Stopped::Source)?;
                upload
                    .wait_for_capacity(PARTS_IN_FLIGHT)
                    .await
                    .map_err(Stopped::Store)?;
                total += chunk.len() as u64;
                upload.put(chunk);
            }
            Ok::<_, Stopped>(())
        }
        .await;
        if let Err(stopped) = streamed {
            // The parts in flight end first: one stored after the abort would stay in the bucket,
            // unseen but kept (S3 says as much of parts uploaded while an upload is aborted).
            // Each failed part is reported once, so this ends when none is left in flight.
            while upload.wait_for_capacity(0).await.is_err() {}
            // The parts stored are dropped with the upload; nothing became visible.
            let _ = upload.abort().await;
            return Err(stopped.into_storage(path));
        }
        upload.finish().await.map_err(|e| failed(path, e))?;
        Ok(total)
    }
}
