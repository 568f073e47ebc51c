//! A collection rooted in an S3-compatible object store (`s3://bucket/prefix`), through the
//! `object_store` crate (SigV4-signed requests).
//!
//! Object stores have no directories: a directory is a key prefix, shown while something lies
//! below it. `mkdir` leaves an empty marker object ([`DIRECTORY_MARKER`]) so that an empty
//! directory exists too; listings never show it, and paths may not name it. There are no symbolic
//! links and no partial objects: an upload (one `PUT`, or a multipart upload for large bodies)
//! becomes visible whole when it completes, or never.

mod io;

use super::{Entry, EntryKind, StorageError};
use crate::paths::{CollectionPath, DIRECTORY_MARKER};
use futures_util::TryStreamExt;
use object_store::ObjectStore;
use object_store::path::{Path, PathPart};
use std::sync::Arc;

/// Where an S3-compatible store is and how to sign requests to it.
#[derive(Clone)]
pub struct S3Access {
    /// `http(s)://host:port` of an S3-compatible server; `None`: AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Access")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// A collection's bucket and key prefix.
#[derive(Debug, Clone)]
pub struct ObjectStorage {
    store: Arc<dyn ObjectStore>,
    /// The key prefix of the collection's root (empty: the bucket's root).
    prefix: Vec<String>,
}

/// Retries of a failed request (with back-off), within this long: a store that keeps failing is
/// reported soon (the task engine has retries of its own).
const RETRIES: usize = 3;
const RETRY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Permission bits shown for what an object store holds.
const DIR_MODE: u32 = 0o755;
const FILE_MODE: u32 = 0o644;

fn failed(path: &CollectionPath, error: object_store::Error) -> StorageError {
    match error {
        object_store::Error::NotFound { .. } => StorageError::NotFound(path.clone()),
        object_store::Error::AlreadyExists { .. } => StorageError::Exists(path.clone()),
        other => StorageError::Io {
            path: path.clone(),
            source: std::io::Error::other(other),
        },
    }
}

fn directory(name: &str) -> Entry {
    Entry {
        name: name.to_owned(),
        kind: EntryKind::Dir,
        size: 0,
        modified: 0,
        permissions: DIR_MODE,
        symlink: false,
        name_is_utf8: true,
    }
}

fn file(name: String, meta: &object_store::ObjectMeta) -> Entry {
    Entry {
        name,
        kind: EntryKind::File,
        size: meta.size,
        modified: meta.last_modified.timestamp(),
        permissions: FILE_MODE,
        symlink: false,
        name_is_utf8: true,
    }
}

/// A key's last part, as the collection names it.
fn name_of(key: &Path) -> Option<String> {
    key.filename().map(|encoded| {
        percent_encoding::percent_decode_str(encoded)
            .decode_utf8_lossy()
            .into_owned()
    })
}

impl ObjectStorage {
    /// The storage at `url` (`s3://bucket` or `s3://bucket/prefix`), reached with `access`.
    pub fn open(url: &str, access: &S3Access) -> Result<Self, String> {
        let Some((bucket, prefix)) = url
            .strip_prefix("s3://")
            .map(|rest| rest.split_once('/').unwrap_or((rest, "")))
            .filter(|(bucket, _)| !bucket.is_empty())
        else {
            return Err(format!("`{url}` is not an s3://bucket/prefix storage URL"));
        };
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(&access.region)
            .with_access_key_id(&access.access_key_id)
            .with_secret_access_key(&access.secret_access_key);
        if let Some(endpoint) = &access.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        let store = builder
            .with_retry(object_store::RetryConfig {
                max_retries: RETRIES,
                retry_timeout: RETRY_TIMEOUT,
                ..object_store::RetryConfig::default()
            })
            .build()
            .map_err(|e| format!("{url}: {e}"))?;
        Ok(Self {
            store: Arc::new(store),
            prefix: prefix
                .split('/')
                .filter(|part| !part.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    /// The same bucket with the collection's root at its directory `base`.
    pub fn within(&self, base: &CollectionPath) -> Self {
        let mut prefix = self.prefix.clone();
        prefix.extend(
            base.relative()
                .split('/')
                .filter(|part| !part.is_empty())
                .map(str::to_owned),
        );
        Self {
            store: Arc::clone(&self.store),
            prefix,
        }
    }

    /// The key of `path` (percent-encoding what keys may not hold).
    fn key(&self, path: &CollectionPath) -> Path {
        let relative = path.relative();
        let below = relative.split('/').filter(|part| !part.is_empty());
        self.prefix
            .iter()
            .map(String::as_str)
            .chain(below)
            .map(PathPart::from)
            .collect()
    }

    /// The key prefix of the directory `path`: `None` for the bucket's root.
    fn dir_key(&self, path: &CollectionPath) -> Option<Path> {
        let key = self.key(path);
        (!key.as_ref().is_empty()).then_some(key)
    }

    fn marker(&self, path: &CollectionPath) -> Path {
        self.key(path).child(DIRECTORY_MARKER)
    }

    /// Whether anything lies below `path` (a directory exists while it holds something).
    async fn holds_anything(&self, path: &CollectionPath) -> Result<bool, StorageError> {
        let mut below = self.store.list(self.dir_key(path).as_ref());
        match below.try_next().await {
            Ok(found) => Ok(found.is_some()),
            Err(e) => Err(failed(path, e)),
        }
    }

    pub async fn stat(&self, path: &CollectionPath) -> Result<Entry, StorageError> {
        let name = path.name().unwrap_or("/");
        if path.is_root() {
            return Ok(directory(name));
        }
        // A prefix with something below it is a directory, whatever else the key holds.
        if self.holds_anything(path).await? {
            return Ok(directory(name));
        }
        match self.store.head(&self.key(path)).await {
            Ok(meta) => Ok(file(name.to_owned(), &meta)),
            Err(e) => Err(failed(path, e)),
        }
    }

    /// The entries of a directory, sorted by name; unless `show_hidden`, not those whose name
    /// starts with a dot.
    pub async fn list(
        &self,
        dir: &CollectionPath,
        show_hidden: bool,
    ) -> Result<Vec<Entry>, StorageError> {
        let listed = self
            .store
            .list_with_delimiter(self.dir_key(dir).as_ref())
            .await
            .map_err(|e| failed(dir, e))?;
        if listed.objects.is_empty() && listed.common_prefixes.is_empty() && !dir.is_root() {
            return Err(match self.stat(dir).await {
                Ok(_) => StorageError::NotADirectory(dir.clone()),
                Err(error) => error,
            });
        }
        let shown =
            |name: &String| name != DIRECTORY_MARKER && (show_hidden || !name.starts_with('.'));
        let dirs = listed
            .common_prefixes
            .iter()
            .filter_map(name_of)
            .filter(shown)
            .map(|name| directory(&name));
        let files = listed.objects.iter().filter_map(|meta| {
            name_of(&meta.location)
                .filter(shown)
                .map(|name| file(name, meta))
        });
        let mut entries: Vec<Entry> = dirs.chain(files).collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// Fails unless `path`'s parent is a directory.
    async fn parent_exists(&self, path: &CollectionPath) -> Result<(), StorageError> {
        let parent = path.parent().unwrap_or_else(CollectionPath::root);
        match self.stat(&parent).await?.kind {
            EntryKind::Dir => Ok(()),
            _ => Err(StorageError::NotADirectory(parent)),
        }
    }

    /// Creates one directory; its parent must exist.
    pub async fn mkdir(&self, path: &CollectionPath) -> Result<(), StorageError> {
        if path.is_root() || self.stat(path).await.is_ok() {
            return Err(StorageError::Exists(path.clone()));
        }
        self.parent_exists(path).await?;
        self.put_marker(path).await
    }

    /// Creates a directory and every missing parent.
    pub async fn mkdir_all(&self, path: &CollectionPath) -> Result<(), StorageError> {
        match self.stat(path).await {
            Ok(entry) if entry.kind == EntryKind::Dir => Ok(()),
            Ok(_) => Err(StorageError::Exists(path.clone())),
            Err(StorageError::NotFound(_)) => self.put_marker(path).await,
            Err(other) => Err(other),
        }
    }

    async fn put_marker(&self, path: &CollectionPath) -> Result<(), StorageError> {
        self.store
            .put(&self.marker(path), object_store::PutPayload::new())
            .await
            .map(drop)
            .map_err(|e| failed(path, e))
    }

    /// Every key at or below `path`: the object itself, or a directory's contents.
    async fn keys_at(&self, path: &CollectionPath) -> Result<Vec<Path>, StorageError> {
        if self.stat(path).await?.kind == EntryKind::File {
            return Ok(vec![self.key(path)]);
        }
        self.store
            .list(self.dir_key(path).as_ref())
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(|e| failed(path, e))
    }

    /// Renames a file or a directory (every object below it, one by one).
    pub async fn rename(
        &self,
        from: &CollectionPath,
        to: &CollectionPath,
    ) -> Result<(), StorageError> {
        if from.is_root() || to.starts_with(from) {
            return Err(StorageError::PermissionDenied(to.clone()));
        }
        if self.stat(to).await.is_ok() {
            return Err(StorageError::Exists(to.clone()));
        }
        self.parent_exists(to).await?;
        let (old, new) = (self.key(from), self.key(to));
        for key in self.keys_at(from).await? {
            let rest = key.prefix_match(&old).into_iter().flatten();
            let moved: Path = new.parts().chain(rest).collect();
            self.store
                .rename(&key, &moved)
                .await
                .map_err(|e| failed(from, e))?;
        }
        Ok(())
    }

    /// Deletes a file, or a directory (with everything in it when `recursive`).
    pub async fn delete(&self, path: &CollectionPath, recursive: bool) -> Result<(), StorageError> {
        if path.is_root() {
            return Err(StorageError::PermissionDenied(path.clone()));
        }
        let keys = self.keys_at(path).await?;
        let marker = self.marker(path);
        if !recursive
            && keys
                .iter()
                .any(|key| *key != marker && *key != self.key(path))
        {
            return Err(StorageError::NotEmpty(path.clone()));
        }
        for key in keys {
            match self.store.delete(&key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(failed(path, e)),
            }
        }
        Ok(())
    }
}
