//! Where a collection's files live. Every operation takes a [`CollectionPath`] (already free of
//! escapes) and answers in the vocabulary of the Transfer API's file documents.

pub mod local;

use crate::paths::CollectionPath;

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
