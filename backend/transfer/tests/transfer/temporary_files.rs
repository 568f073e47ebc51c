//! The journal of temporary files, on both backends: the temporary file of an upload or a copy a
//! crash interrupted is removed by the sweep once idle; one still being written is left alone; a
//! finished one leaves nothing in the journal.

use crate::fixture::{journalled, partials};
use mrdp_service::store::Store;
use mrdp_service::testing::each_backend;
use mrdp_transfer::locate::Storages;
use mrdp_transfer::paths::CollectionPath;
use mrdp_transfer::storage::Storage;
use mrdp_transfer::temporary_files;
use std::time::{Duration, SystemTime};

#[tokio::test]
async fn the_files_of_interrupted_uploads_are_swept_once_idle_on_both_backends() {
    each_backend(|location| async move {
        let store = Store::connect(&location, "transfer").await.unwrap();
        store.migrate(&mrdp_transfer::MIGRATIONS).await.unwrap();
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("results")).unwrap();
        let storages = Storages::default();
        let url = format!("file://{}", tmp.path().display());
        let Storage::Local(storage) = storages.open(&url).unwrap() else {
            panic!("{url} is a local directory");
        };
        let path = |raw: &str| CollectionPath::parse(raw).unwrap();

        // Two uploads a crash interrupted (journalled, never forgotten), one of them long idle.
        let create = |at: &str, tag: &str| {
            let (store, storage, at, tag) = (&store, &storage, path(at), tag.to_owned());
            async move {
                temporary_files::create(store, storage, (&at, &tag), 1)
                    .await
                    .unwrap()
            }
        };
        let (_, stale) = create("/results/a.png", "a").await;
        let (_, fresh) = create("/results/b.png", "b").await;
        let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        stale.file.set_modified(long_ago).unwrap();
        let (_, fresh_name) = fresh.temporary();
        let fresh_name = fresh_name.to_owned();
        drop((stale, fresh));

        let swept = temporary_files::sweep(&store, &storages, temporary_files::IDLE)
            .await
            .unwrap();
        assert_eq!(swept, 1);
        assert_eq!(partials(&tmp.path().join("results")), [fresh_name]);
        assert_eq!(
            journalled(&store).await,
            1,
            "the fresh upload stays journalled"
        );

        // Once nothing writes to it for long enough, it goes too.
        let swept = temporary_files::sweep(&store, &storages, Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(swept, 1);
        assert!(partials(&tmp.path().join("results")).is_empty());
        assert_eq!(journalled(&store).await, 0);

        // A finished upload is forgotten; a journal entry whose file is gone is swept quietly.
        let (upload, done) = create("/results/c.png", "c").await;
        done.commit().await.unwrap();
        temporary_files::forget(&store, &[upload]).await;
        let (_, gone) = create("/results/d.png", "d").await;
        gone.abort().await;
        assert_eq!(
            temporary_files::sweep(&store, &storages, temporary_files::IDLE)
                .await
                .unwrap(),
            1
        );
        assert_eq!(journalled(&store).await, 0);
        assert!(tmp.path().join("results/c.png").is_file());
        store.close().await;
    })
    .await;
}
