//! Where a collection's files are: the storage of the mapped collection, or of a guest
//! collection's host confined to the shared directory. Storages are opened once and kept: local directories
//! (`file:///abs/dir`) and buckets of the S3-compatible store the deployment is given
//! (`s3://bucket/prefix`).

use crate::collections::{self, Collection, Placement};
use crate::storage::Storage;
use crate::storage::local::LocalStorage;
use crate::storage::object::{ObjectStorage, S3Access};
use mrdp_service::store::Store;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// The storage URL of a local directory (created if missing), as collections record it.
pub fn local_storage_url(dir: &Path) -> std::io::Result<String> {
    std::fs::create_dir_all(dir)?;
    Ok(format!("file://{}", dir.canonicalize()?.display()))
}

#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    #[error("the collection's storage is misconfigured: {0}")]
    Misconfigured(String),
    #[error("the collection this one shares is gone")]
    HostGone,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// The storages collections are rooted in.
#[derive(Debug, Default)]
pub struct Storages {
    /// How to reach the S3-compatible store (`None`: `s3://` collections cannot be opened).
    s3: Option<S3Access>,
    opened: Mutex<HashMap<String, Storage>>,
}

impl Storages {
    /// Storages of local directories and, given `s3`, of buckets of that store.
    pub fn new(s3: Option<S3Access>) -> Self {
        Self {
            s3,
            opened: Mutex::default(),
        }
    }

    /// The storage at `url` (`file:///abs/dir` or `s3://bucket/prefix`), opened on first use.
    pub fn open(&self, url: &str) -> Result<Storage, LocateError> {
        let mut opened = self
            .opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(storage) = opened.get(url) {
            return Ok(storage.clone());
        }
        let storage = if url.starts_with("s3://") {
            let access = self.s3.as_ref().ok_or_else(|| {
                LocateError::Misconfigured(format!("{url}: no S3 store is configured (`[s3]`)"))
            })?;
            Storage::Object(ObjectStorage::open(url, access).map_err(LocateError::Misconfigured)?)
        } else {
            let Some(dir) = url
                .strip_prefix("file://")
                .filter(|dir| dir.starts_with('/'))
            else {
                return Err(LocateError::Misconfigured(format!(
                    "`{url}` is neither a file:///absolute/path nor an s3://bucket/prefix storage URL"
                )));
            };
            Storage::Local(
                LocalStorage::open(Path::new(dir))
                    .map_err(|e| LocateError::Misconfigured(format!("{url}: {e}")))?,
            )
        };
        opened.insert(url.to_owned(), storage.clone());
        Ok(storage)
    }

    /// The storage of `collection`'s files, rooted at the collection's root: a mapped
    /// collection's storage, or a guest collection's host storage confined to its host path
    /// (so that nothing in a guest collection leads to the rest of its host).
    pub async fn storage_of(
        &self,
        store: &Store,
        collection: &Collection,
    ) -> Result<Storage, LocateError> {
        match &collection.placement {
            Placement::Mapped { storage_url } => self.open(storage_url),
            Placement::Guest {
                host_collection_id,
                host_path,
            } => {
                let host = collections::find(store, host_collection_id)
                    .await?
                    .ok_or(LocateError::HostGone)?;
                let Placement::Mapped { storage_url } = &host.placement else {
                    return Err(LocateError::HostGone);
                };
                Ok(self.open(storage_url)?.within(host_path))
            }
        }
    }
}
