//! The journal of uploads in progress at the data server. Each upload writes a temporary file;
//! the journal names it until the upload is committed or abandoned, so that after a crash the
//! sweep finds the temporary files left behind and removes them, without walking the storages.
//! A file something still writes to (another replica's upload) is recent, and is left alone.

use crate::locate::Storages;
use crate::paths::CollectionPath;
use crate::storage::Storage;
use crate::storage::local::{LocalStorage, PartialFile};
use mrdp_service::store::Store;
use std::time::Duration;

/// How long a temporary file must have been left untouched before the sweep removes it.
pub const IDLE: Duration = Duration::from_secs(3600);

/// An upload in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    id: String,
}

/// Records that `partial`, in `storage`, is being written (by its directory in the storage's
/// root, whatever directory of it `storage` is confined to).
pub async fn begin(
    store: &Store,
    storage: &LocalStorage,
    partial: &PartialFile,
    now: i64,
) -> Result<Upload, sqlx::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let (directory, temporary) = partial.temporary();
    sqlx::query(
        "INSERT INTO uploads (id, storage_url, directory, temporary, started_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(storage.url())
    .bind(directory.below(storage.base()).to_string())
    .bind(temporary)
    .bind(now)
    .execute(store.pool())
    .await?;
    Ok(Upload { id })
}

/// Forgets an upload that was committed or abandoned.
pub async fn end(store: &Store, upload: &Upload) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM uploads WHERE id = $1")
        .bind(&upload.id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Removes the temporary files of journalled uploads nothing wrote to for `idle`, and forgets
/// them; answers how many were swept.
pub async fn sweep(
    store: &Store,
    storages: &Storages,
    idle: Duration,
) -> Result<usize, sqlx::Error> {
    let journalled: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT id, storage_url, directory, temporary FROM uploads")
            .fetch_all(store.pool())
            .await?;
    let mut swept = 0;
    for (id, url, directory, temporary) in journalled {
        let gone = match (storages.open(&url), CollectionPath::parse(&directory)) {
            (Ok(Storage::Local(storage)), Ok(directory)) => storage
                .remove_idle_partial(&directory, &temporary, idle)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, upload = %id, "a stale upload's file cannot be removed");
                    false
                }),
            // The storage or the path is no longer valid: nothing of it can be removed.
            _ => true,
        };
        if gone {
            end(store, &Upload { id }).await?;
            swept += 1;
        }
    }
    Ok(swept)
}
