//! Where a collection's files live: a local directory or an S3-compatible object store. Every
//! operation takes a [`CollectionPath`] (already free of escapes) and answers in the vocabulary of
//! the Transfer API's file documents.

pub mod local;
pub mod object;
mod staged;

pub use staged::{Opened, Staged};

use crate::paths::CollectionPath;
use bytes::Bytes;
pub use local::LastLink;
use local::LocalStorage;
use object::ObjectStorage;

/// A piece of a file's content, read or to be written.
pub type Chunk = std::io::Result<Bytes>;
/// A file's content as it streams.
pub type Chunks = futures_util::stream::BoxStream<'static, Chunk>;

/// A collection's storage.
#[derive(Debug, Clone)]
pub enum Storage {
    Local(LocalStorage),
    Object(ObjectStorage),
}

impl Storage {
    /// The same storage confined to its directory `base` (a guest collection's host path): paths
    /// are taken below it, and nothing leads out of it.
    pub fn within(&self, base: &CollectionPath) -> Self {
        match self {
            Self::Local(local) => Self::Local(local.within(base)),
            Self::Object(object) => Self::Object(object.within(base)),
        }
    }

    /// Where `path` leads once symbolic links are followed (an object store has none).
    pub async fn resolve(
        &self,
        path: &CollectionPath,
        last: LastLink,
    ) -> Result<CollectionPath, StorageError> {
        match self {
            Self::Local(local) => local.resolve(path, last).await,
            Self::Object(_) => Ok(path.clone()),
        }
    }

    /// [`Self::resolve`] on the calling thread (a local directory's metadata, read at once).
    pub fn resolve_now(
        &self,
        path: &CollectionPath,
        last: LastLink,
    ) -> Result<CollectionPath, StorageError> {
        match self {
            Self::Local(local) => local.resolve_now(path, last),
            Self::Object(_) => Ok(path.clone()),
        }
    }

    pub async fn stat(&self, path: &CollectionPath) -> Result<Entry, StorageError> {
        match self {
            Self::Local(local) => local.stat(path).await,
            Self::Object(object) => object.stat(path).await,
        }
    }

    /// The entries of a directory, sorted by name; files being written are never shown, nor
    /// (unless `show_hidden`) names starting with a dot.
    pub async fn list(
        &self,
        dir: &CollectionPath,
        show_hidden: bool,
    ) -> Result<Vec<Entry>, StorageError> {
        match self {
            Self::Local(local) => local.list(dir, show_hidden).await,
            Self::Object(object) => object.list(dir, show_hidden).await,
        }
    }

    /// Creates one directory; its parent must exist.
    pub async fn mkdir(&self, path: &CollectionPath) -> Result<(), StorageError> {
        match self {
            Self::Local(local) => local.mkdir(path).await,
            Self::Object(object) => object.mkdir(path).await,
        }
    }

    /// Creates a directory and every missing parent.
    pub async fn mkdir_all(&self, path: &CollectionPath) -> Result<(), StorageError> {
        match self {
            Self::Local(local) => local.mkdir_all(path).await,
            Self::Object(object) => object.mkdir_all(path).await,
        }
    }

    pub async fn rename(
        &self,
        from: &CollectionPath,
        to: &CollectionPath,
    ) -> Result<(), StorageError> {
        match self {
            Self::Local(local) => local.rename(from, to).await,
            Self::Object(object) => object.rename(from, to).await,
        }
    }

    /// Deletes a file, or a directory (with everything in it when `recursive`).
    pub async fn delete(&self, path: &CollectionPath, recursive: bool) -> Result<(), StorageError> {
        match self {
            Self::Local(local) => local.delete(path, recursive).await,
            Self::Object(object) => object.delete(path, recursive).await,
        }
    }
}

/// What a file document says of a type (`type` in a Transfer `file` document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    File,
    /// A symbolic link whose target is missing or outside the collection.
    InvalidSymlink,
    Other,
}

impl EntryKind {
    /// The Transfer API's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dir => "dir",
            Self::File => "file",
            Self::InvalidSymlink => "invalid_symlink",
            Self::Other => "other",
        }
    }
}

/// One file or directory, as a listing or a stat shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
    pub size: u64,
    /// Last modification, Unix seconds.
    pub modified: i64,
    /// Permission bits (`0o755`).
    pub permissions: u32,
    /// Whether the name is a symbolic link (what it leads to is what the rest describes).
    pub symlink: bool,
    /// Whether the name is UTF-8, as paths of the API are; one that is not is shown as best it
    /// reads (`name`), as `Other`: it cannot be named in a request.
    pub name_is_utf8: bool,
}

/// Why a storage operation failed, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("`{0}` does not exist")]
    NotFound(CollectionPath),
    #[error("`{0}` already exists")]
    Exists(CollectionPath),
    #[error("`{0}` is not a directory")]
    NotADirectory(CollectionPath),
    #[error("`{0}` is a directory")]
    IsADirectory(CollectionPath),
    #[error("`{0}` is not empty")]
    NotEmpty(CollectionPath),
    /// The path leads outside the collection (through a symbolic link) or is not allowed.
    #[error("permission denied on `{0}`")]
    PermissionDenied(CollectionPath),
    #[error("storage failure on `{path}`: {source}")]
    Io {
        path: CollectionPath,
        #[source]
        source: std::io::Error,
    },
}

impl StorageError {
    /// Classifies an I/O error on `path`.
    pub fn from_io(path: &CollectionPath, source: std::io::Error) -> Self {
        use std::io::ErrorKind;
        let path = path.clone();
        match source.kind() {
            ErrorKind::NotFound => Self::NotFound(path),
            ErrorKind::AlreadyExists => Self::Exists(path),
            ErrorKind::NotADirectory => Self::NotADirectory(path),
            ErrorKind::IsADirectory => Self::IsADirectory(path),
            ErrorKind::DirectoryNotEmpty => Self::NotEmpty(path),
            ErrorKind::PermissionDenied => Self::PermissionDenied(path),
            _ => Self::Io { path, source },
        }
    }
}
