//! A collection rooted in a local directory. Every access goes through a capability on the root
//! (`cap-std`, `openat2(RESOLVE_BENEATH)` on Linux): a symbolic link that leads outside the root
//! is refused by the kernel, not by a check that could race.
//!
//! Files are written to a hidden temporary name beside their destination, fsynced, renamed into
//! place and the directory fsynced: a reader sees the old file or the whole new one, never a
//! part, and a crash leaves at most a temporary file that listings do not show.

use super::{Entry, EntryKind, StorageError};
use crate::paths::{CollectionPath, PARTIAL_PREFIX};
use cap_std::fs::{Dir, Metadata, MetadataExt, OpenOptions};
use std::path::Path;
use std::sync::Arc;

/// A collection's directory.
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: Arc<Dir>,
}

/// A file being written: it becomes visible under its name only by [`PartialFile::commit`].
#[derive(Debug)]
pub struct PartialFile {
    pub file: tokio::fs::File,
    parent: Dir,
    temporary: String,
    name: String,
    path: CollectionPath,
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
    }
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
        })
    }

    /// Runs blocking file-system work off the async workers.
    async fn blocking<T: Send + 'static>(
        &self,
        path: &CollectionPath,
        work: impl FnOnce(&Dir) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || work(&root))
            .await
            .map_err(|e| StorageError::from_io(path, std::io::Error::other(e)))?
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
                let name = item.file_name().to_string_lossy().into_owned();
                if name.starts_with(PARTIAL_PREFIX) || (!show_hidden && name.starts_with('.')) {
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
        self.blocking(path, move |root| {
            let io = |e| StorageError::from_io(&owned, e);
            let file = root.open(relative(&owned)).map_err(io)?;
            let metadata = file.metadata().map_err(io)?;
            if metadata.is_dir() {
                return Err(StorageError::IsADirectory(owned.clone()));
            }
            let name = owned.name().unwrap_or("/").to_owned();
            Ok((file.into_std(), entry(name, &metadata, None)))
        })
        .await
    }

    /// Starts writing `path`: a new hidden file in its directory (which must exist).
    pub async fn create_partial(&self, path: &CollectionPath) -> Result<PartialFile, StorageError> {
        let Some(name) = path.name().map(str::to_owned) else {
            return Err(StorageError::IsADirectory(path.clone()));
        };
        let parent_path = path.parent().unwrap_or_else(CollectionPath::root);
        let owned = path.clone();
        let temporary = format!("{PARTIAL_PREFIX}{}", uuid::Uuid::new_v4().simple());
        let temp = temporary.clone();
        let (parent, file) = self
            .blocking(path, move |root| {
                let parent = root
                    .open_dir(relative(&parent_path))
                    .map_err(|e| StorageError::from_io(&parent_path, e))?;
                if parent
                    .symlink_metadata(&name)
                    .is_ok_and(|existing| existing.is_dir())
                {
                    return Err(StorageError::IsADirectory(owned.clone()));
                }
                let file = parent
                    .open_with(&temp, OpenOptions::new().write(true).create_new(true))
                    .map_err(|e| StorageError::from_io(&owned, e))?;
                Ok((parent, file.into_std()))
            })
            .await?;
        Ok(PartialFile {
            file: tokio::fs::File::from_std(file),
            parent,
            temporary,
            name: path.name().unwrap_or_default().to_owned(),
            path: path.clone(),
        })
    }
}

impl PartialFile {
    /// Makes the written file durable and visible under its name, replacing what was there.
    pub async fn commit(self) -> Result<(), StorageError> {
        let Self {
            file,
            parent,
            temporary,
            name,
            path,
        } = self;
        let io = |e| StorageError::from_io(&path, e);
        file.sync_all().await.map_err(io)?;
        drop(file);
        let shown = path.clone();
        tokio::task::spawn_blocking(move || {
            parent.rename(&temporary, &parent, &name)?;
            // The rename is durable once the directory is (its handle here is a path handle,
            // which cannot be synced: open it for reading).
            parent.open(".")?.sync_all()
        })
        .await
        .map_err(|e| StorageError::from_io(&shown, std::io::Error::other(e)))?
        .map_err(io)
    }

    /// Gives up: the temporary file is removed.
    pub async fn abort(self) {
        let Self {
            file,
            parent,
            temporary,
            ..
        } = self;
        drop(file);
        let removed = tokio::task::spawn_blocking(move || parent.remove_file(&temporary)).await;
        if !matches!(removed, Ok(Ok(()))) {
            tracing::warn!("a partial file could not be removed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn path(raw: &str) -> CollectionPath {
        CollectionPath::parse(raw).unwrap()
    }

    /// A collection in `<tmp>/root` and a secret file beside it, outside the collection.
    fn collection() -> (tempfile::TempDir, LocalStorage) {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "outside").unwrap();
        let storage = LocalStorage::open(&tmp.path().join("root")).unwrap();
        (tmp, storage)
    }

    async fn write(storage: &LocalStorage, at: &str, bytes: &[u8]) {
        let mut partial = storage.create_partial(&path(at)).await.unwrap();
        partial.file.write_all(bytes).await.unwrap();
        partial.commit().await.unwrap();
    }

    async fn read(storage: &LocalStorage, at: &str) -> Result<String, StorageError> {
        let (file, _) = storage.open_read(&path(at)).await?;
        let mut file = tokio::fs::File::from_std(file);
        let mut text = String::new();
        file.read_to_string(&mut text).await.unwrap();
        Ok(text)
    }

    #[tokio::test]
    async fn files_appear_whole_under_their_name_only_when_committed() {
        let (_tmp, storage) = collection();
        storage.mkdir(&path("/data")).await.unwrap();
        let mut partial = storage.create_partial(&path("/data/a.csv")).await.unwrap();
        partial.file.write_all(b"DATE,PRCP\n").await.unwrap();
        assert!(storage.list(&path("/data"), true).await.unwrap().is_empty());
        assert!(matches!(
            storage.stat(&path("/data/a.csv")).await,
            Err(StorageError::NotFound(_))
        ));
        partial.commit().await.unwrap();
        assert_eq!(read(&storage, "/data/a.csv").await.unwrap(), "DATE,PRCP\n");
        let listed = storage.list(&path("/data"), false).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].name.as_str(), listed[0].kind, listed[0].size),
            ("a.csv", EntryKind::File, 10)
        );

        // Replacing is atomic too, and an abandoned write leaves nothing behind.
        write(&storage, "/data/a.csv", b"new").await;
        assert_eq!(read(&storage, "/data/a.csv").await.unwrap(), "new");
        let partial = storage.create_partial(&path("/data/b.csv")).await.unwrap();
        partial.abort().await;
        let names: Vec<String> = std::fs::read_dir(_tmp.path().join("root/data"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.csv"]);
    }

    #[tokio::test]
    async fn symbolic_links_never_lead_outside_the_collection() {
        let (tmp, storage) = collection();
        let root = tmp.path().join("root");
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("escape")).unwrap();
        std::os::unix::fs::symlink("../secret.txt", root.join("relative-escape")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), root.join("outside-dir")).unwrap();
        write(&storage, "/inside.txt", b"inside").await;
        std::os::unix::fs::symlink("inside.txt", root.join("alias")).unwrap();

        for escape in ["/escape", "/relative-escape", "/outside-dir/secret.txt"] {
            let refused = read(&storage, escape).await.unwrap_err();
            assert!(
                matches!(
                    refused,
                    StorageError::PermissionDenied(_) | StorageError::NotFound(_)
                ),
                "{escape}: {refused:?}"
            );
        }
        assert!(storage.list(&path("/outside-dir"), false).await.is_err());
        assert!(
            storage
                .create_partial(&path("/outside-dir/planted"))
                .await
                .is_err()
        );
        assert!(!tmp.path().join("planted").exists());
        assert_eq!(
            read(&storage, "/alias").await.unwrap(),
            "inside",
            "links inside are fine"
        );

        let kinds: Vec<(String, EntryKind)> = storage
            .list(&CollectionPath::root(), false)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("alias".to_owned(), EntryKind::File),
                ("escape".to_owned(), EntryKind::InvalidSymlink),
                ("inside.txt".to_owned(), EntryKind::File),
                ("outside-dir".to_owned(), EntryKind::InvalidSymlink),
                ("relative-escape".to_owned(), EntryKind::InvalidSymlink),
            ]
        );
    }

    #[tokio::test]
    async fn directories_are_made_renamed_and_deleted_with_clear_errors() {
        let (_tmp, storage) = collection();
        storage.mkdir(&path("/a")).await.unwrap();
        assert!(matches!(
            storage.mkdir(&path("/a")).await,
            Err(StorageError::Exists(_))
        ));
        assert!(matches!(
            storage.mkdir(&path("/x/y")).await,
            Err(StorageError::NotFound(_))
        ));
        storage.mkdir_all(&path("/x/y/z")).await.unwrap();
        write(&storage, "/a/f", b"1").await;
        write(&storage, "/b", b"2").await;
        assert!(matches!(
            storage.rename(&path("/a/f"), &path("/b")).await,
            Err(StorageError::Exists(_))
        ));
        storage.rename(&path("/a/f"), &path("/x/f")).await.unwrap();
        assert_eq!(read(&storage, "/x/f").await.unwrap(), "1");
        assert!(matches!(
            storage.list(&path("/b"), false).await,
            Err(StorageError::NotADirectory(_))
        ));
        assert!(matches!(
            storage.open_read(&path("/x")).await,
            Err(StorageError::IsADirectory(_))
        ));
        assert!(matches!(
            storage.delete(&path("/x"), false).await,
            Err(StorageError::NotEmpty(_))
        ));
        storage.delete(&path("/x"), true).await.unwrap();
        assert!(matches!(
            storage.delete(&CollectionPath::root(), true).await,
            Err(StorageError::PermissionDenied(_))
        ));
        let names: Vec<String> = storage
            .list(&CollectionPath::root(), false)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
    }
}
