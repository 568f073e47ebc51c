//! Local storage: writes appear whole and only when committed, symbolic links never lead
//! outside a collection, directories are made, renamed and deleted with clear errors.

use mrdp_transfer::paths::CollectionPath;
use mrdp_transfer::storage::local::LocalStorage;
use mrdp_transfer::storage::{EntryKind, StorageError};
use std::io::{Read, Write};

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
    partial.file.write_all(bytes).unwrap();
    partial.commit().await.unwrap();
}

async fn read(storage: &LocalStorage, at: &str) -> Result<String, StorageError> {
    let (mut file, _) = storage.open_read(&path(at)).await?;
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    Ok(text)
}

#[tokio::test]
async fn files_appear_whole_under_their_name_only_when_committed() {
    let (_tmp, storage) = collection();
    storage.mkdir(&path("/data")).await.unwrap();
    let mut partial = storage.create_partial(&path("/data/a.csv")).await.unwrap();
    partial.file.write_all(b"DATE,PRCP\n").unwrap();
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

    // The kernel refuses each way out (openat2 with RESOLVE_BENEATH): permission denied.
    let escaped = |error: &StorageError| matches!(error, StorageError::PermissionDenied(_));
    for escape in ["/escape", "/relative-escape", "/outside-dir/secret.txt"] {
        let refused = read(&storage, escape).await.unwrap_err();
        assert!(escaped(&refused), "{escape}: {refused:?}");
    }
    let listed = storage
        .list(&path("/outside-dir"), false)
        .await
        .unwrap_err();
    assert!(escaped(&listed), "{listed:?}");
    let planted = storage
        .create_partial(&path("/outside-dir/planted"))
        .await
        .unwrap_err();
    assert!(escaped(&planted), "{planted:?}");
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
