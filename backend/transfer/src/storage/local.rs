//! A collection rooted in a local directory. Every access goes through a capability on the root
//! (`cap-std`, `openat2(RESOLVE_BENEATH)` on Linux): a symbolic link that leads outside the root
//! is refused by the kernel, not by a check that could race. A guest collection's storage is the
//! same capability confined to its directory ([`LocalStorage::within`]), so no link leads out of
//! that directory either.
//!
//! Files are written to a hidden temporary name beside their destination, fsynced, renamed into
//! place and the directory fsynced: a reader sees the old file or the whole new one, never a
//! part, and a crash leaves at most a temporary file that listings do not show.

mod chunks;
mod partial;

pub use chunks::{file_chunks, write_chunks};
pub use partial::{PartialFile, with_write_back};

use super::{Entry, EntryKind, StorageError};
use crate::paths::{CollectionPath, PARTIAL_PREFIX};
use cap_std::fs::{Dir, Metadata, MetadataExt};
use std::path::Path;
use std::sync::Arc;

/// A collection's directory.
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: Arc<Dir>,
    url: Arc<str>,
    /// The directory of the root every path is taken below (the root itself, or a guest
    /// collection's host path).
    base: CollectionPath,
}

/// Whether resolving a path follows a symbolic link in its last component too (reading or
/// writing what a path names), or only in the directories leading to it (renaming or deleting
/// the link itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastLink {
    Follow,
    Keep,
}

fn entry(name: String, link: &Metadata, target: Option<&Metadata>) -> Entry {
    let shown = target.unwrap_or(link);
    let kind = match target {
        None if link.is_symlink() => EntryKind::InvalidSymlink,
        _ if shown.is_dir() => EntryKind::Dir,
        _ if shown.is_file() => EntryKind::File,
        _ => EntryKind::Other,
    };
    let modified = shown
        .modified()
        .ok()
        .and_then(|t| t.into_std().duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0);
    Entry {
        name,
        kind,
        size: shown.len(),
        modified,
        permissions: shown.mode() & 0o7777,
        symlink: link.is_symlink(),
        name_is_utf8: true,
    }
}

/// A path relative to a directory, as `canonicalize` answers it, as a collection path.
fn collection_path(
    relative: &Path,
    asked: &CollectionPath,
) -> Result<CollectionPath, StorageError> {
    let denied = || StorageError::PermissionDenied(asked.clone());
    let mut resolved = CollectionPath::root();
    for component in relative.components() {
        match component {
            std::path::Component::Normal(name) => {
                let name = name.to_str().ok_or_else(denied)?;
                resolved = resolved.join(name).map_err(|_| denied())?;
            }
            std::path::Component::CurDir => {}
            _ => return Err(denied()),
        }
    }
    Ok(resolved)
}

/// Where `path` leads in `dir` once its links are followed (see [`LastLink`]); the part of a path
/// that does not exist yet is taken as written, below what its existing part resolves to.
fn resolve_in(
    dir: &Dir,
    path: &CollectionPath,
    last: LastLink,
) -> Result<CollectionPath, StorageError> {
    let (Some(name), Some(parent)) = (path.name(), path.parent()) else {
        return Ok(CollectionPath::root());
    };
    if last == LastLink::Follow {
        match dir.canonicalize(relative(path)) {
            Ok(real) => return collection_path(&real, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StorageError::from_io(path, e)),
        }
    }
    resolve_in(dir, &parent, LastLink::Follow)?
        .join(name)
        .map_err(|_| StorageError::PermissionDenied(path.clone()))
}

/// `.` for the root, else the relative path (cap-std resolves it beneath the root).
fn relative(path: &CollectionPath) -> String {
    if path.is_root() {
        ".".to_owned()
    } else {
        path.relative()
    }
}

impl LocalStorage {
    /// Opens (creating if needed) the directory at `root` as a collection's storage.
    pub fn open(root: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(root)?;
        let dir = Dir::open_ambient_dir(root, cap_std::ambient_authority())?;
        Ok(Self {
            root: Arc::new(dir),
            url: format!("file://{}", root.display()).into(),
            base: CollectionPath::root(),
        })
    }

    /// The same storage confined to its directory `base`: paths are taken below it, and no link
    /// leads out of it.
    pub fn within(&self, base: &CollectionPath) -> Self {
        Self {
            root: Arc::clone(&self.root),
            url: Arc::clone(&self.url),
            base: base.below(&self.base),
        }
    }

    /// The storage URL of the root it was opened at (`file:///abs/dir`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The directory of that root it is confined to.
    pub fn base(&self) -> &CollectionPath {
        &self.base
    }

    /// Runs `work` on the directory paths are taken in (the root, or the base below it).
    fn in_base<T>(
        &self,
        work: impl FnOnce(&Dir) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        if self.base.is_root() {
            return work(&self.root);
        }
        let base = self
            .root
            .open_dir(self.base.relative())
            .map_err(|e| StorageError::from_io(&CollectionPath::root(), e))?;
        work(&base)
    }

    /// Runs blocking file-system work off the async workers, in the base directory.
    async fn blocking<T: Send + 'static>(
        &self,
        path: &CollectionPath,
        work: impl FnOnce(&Dir) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let storage = self.clone();
        tokio::task::spawn_blocking(move || storage.in_base(work))
            .await
            .map_err(|e| StorageError::from_io(path, std::io::Error::other(e)))?
    }

    /// Where `path` leads once its symbolic links are followed (see [`LastLink`]), as a path of
    /// this storage; a link that leads out of it is refused.
    pub async fn resolve(
        &self,
        path: &CollectionPath,
        last: LastLink,
    ) -> Result<CollectionPath, StorageError> {
        let owned = path.clone();
        self.blocking(path, move |dir| resolve_in(dir, &owned, last))
            .await
    }

    /// [`Self::resolve`] on the calling thread.
    pub fn resolve_now(
        &self,
        path: &CollectionPath,
        last: LastLink,
    ) -> Result<CollectionPath, StorageError> {
        self.in_base(|dir| resolve_in(dir, path, last))
    }

    pub async fn stat(&self, path: &CollectionPath) -> Result<Entry, StorageError> {
        let owned = path.clone();
        self.blocking(path, move |root| {
            let rel = relative(&owned);
            let link = root
                .symlink_metadata(&rel)
                .map_err(|e| StorageError::from_io(&owned, e))?;
            let target = root.metadata(&rel).ok();
            let name = owned.name().unwrap_or("/").to_owned();
            Ok(entry(name, &link, target.as_ref()))
        })
        .await
    }

    /// The entries of a directory, sorted by name; files being written are never shown, nor
    /// (unless `show_hidden`) names starting with a dot.
    pub async fn list(
        &self,
        dir: &CollectionPath,
        show_hidden: bool,
    ) -> Result<Vec<Entry>, StorageError> {
        let owned = dir.clone();
        self.blocking(dir, move |root| {
            let io = |e| StorageError::from_io(&owned, e);
            let rel = relative(&owned);
            if !root.metadata(&rel).map_err(io)?.is_dir() {
                return Err(StorageError::NotADirectory(owned.clone()));
            }
            let listed = root.open_dir(&rel).map_err(io)?;
            let mut entries = Vec::new();
            for item in listed.entries().map_err(io)? {
                let item = item.map_err(io)?;
                let file_name = item.file_name();
                let name = file_name.to_string_lossy().into_owned();
                if name.starts_with(PARTIAL_PREFIX) || (!show_hidden && name.starts_with('.')) {
                    continue;
                }
                if file_name.to_str().is_none() {
                    let link = item.metadata().map_err(io)?;
                    entries.push(Entry {
                        kind: EntryKind::Other,
                        name_is_utf8: false,
                        ..entry(name, &link, None)
                    });
                    continue;
                }
                let link = item.metadata().map_err(io)?;
                let target = if link.is_symlink() {
                    listed.metadata(&name).ok()
                } else {
                    Some(link.clone())
                };
                entries.push(entry(name, &link, target.as_ref()));
            }
            entries.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(entries)
        })
        .await
    }

    /// Creates one directory; its parent must exist.
    pub async fn mkdir(&self, path: &CollectionPath) -> Result<(), StorageError> {
        let owned = path.clone();
        self.blocking(path, move |root| {
            root.create_dir(relative(&owned))
                .map_err(|e| StorageError::from_io(&owned, e))
        })
        .await
    }

    /// Creates a directory and every missing parent.
    pub async fn mkdir_all(&self, path: &CollectionPath) -> Result<(), StorageError> {
        let owned = path.clone();
        self.blocking(path, move |root| {
            root.create_dir_all(relative(&owned))
                .map_err(|e| StorageError::from_io(&owned, e))
        })
        .await
    }

    pub async fn rename(
        &self,
        from: &CollectionPath,
        to: &CollectionPath,
    ) -> Result<(), StorageError> {
        let (from, to) = (from.clone(), to.clone());
        let shown = from.clone();
        self.blocking(&shown, move |root| {
            if root.symlink_metadata(relative(&to)).is_ok() {
                return Err(StorageError::Exists(to));
            }
            root.rename(relative(&from), root, relative(&to))
                .map_err(|e| StorageError::from_io(&from, e))
        })
        .await
    }

    /// Deletes a file, or a directory (with everything in it when `recursive`).
    pub async fn delete(&self, path: &CollectionPath, recursive: bool) -> Result<(), StorageError> {
        if path.is_root() {
            return Err(StorageError::PermissionDenied(path.clone()));
        }
        let owned = path.clone();
        self.blocking(path, move |root| {
            let io = |e| StorageError::from_io(&owned, e);
            let rel = relative(&owned);
            let link = root.symlink_metadata(&rel).map_err(io)?;
            if !link.is_dir() {
                root.remove_file(&rel).map_err(io)
            } else if recursive {
                root.remove_dir_all(&rel).map_err(io)
            } else {
                root.remove_dir(&rel).map_err(io)
            }
        })
        .await
    }

    /// Opens a file for reading, with what a stat of it says (a blocking handle: wrap it in
    /// `tokio::fs::File` or hand it to a blocking reader).
    pub async fn open_read(
        &self,
        path: &CollectionPath,
    ) -> Result<(std::fs::File, Entry), StorageError> {
        let owned = path.clone();
        self.blocking(path, move |dir| open_read_in(dir, &owned))
            .await
    }

    /// [`Self::open_read`] on the calling (blocking) thread.
    pub fn open_read_now(
        &self,
        path: &CollectionPath,
    ) -> Result<(std::fs::File, Entry), StorageError> {
        self.in_base(|dir| open_read_in(dir, path))
    }
}

/// Opens the file at `path` of `dir` for reading, with what a stat of it says.
fn open_read_in(dir: &Dir, path: &CollectionPath) -> Result<(std::fs::File, Entry), StorageError> {
    let io = |e| StorageError::from_io(path, e);
    let file = dir.open(relative(path)).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if metadata.is_dir() {
        return Err(StorageError::IsADirectory(path.clone()));
    }
    let name = path.name().unwrap_or("/").to_owned();
    Ok((file.into_std(), entry(name, &metadata, None)))
}
