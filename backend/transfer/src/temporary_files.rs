//! The journal of temporary files. Everything the service writes under a hidden temporary name
//! — an upload at the data server, a copy by the task engine — is named in the store before the
//! file is made, and forgotten once it is committed or given up, so that whatever a crash leaves
//! behind is found and removed by the sweep, without walking the storages. A file something still
//! writes to (another replica's upload, a resumed copy) is recent, and is left alone.

use crate::locate::Storages;
use crate::paths::CollectionPath;
use crate::storage::local::{LocalStorage, PartialFile};
use crate::storage::{Storage, StorageError};
use mrdp_service::store::Store;
use std::time::Duration;

/// How long a temporary file must have been left untouched before the sweep removes it.
pub const IDLE: Duration = Duration::from_secs(3600);

/// A temporary file in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journalled {
    id: String,
}

/// Why a temporary file could not be journalled or made.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("the journal of temporary files failed: {0}")]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Journals the temporary files (`tag`) of each of `files` in `storage` (by their directories in
/// the storage's root, whatever directory of it `storage` is confined to), in one statement.
pub async fn journal(
    store: &Store,
    storage: &LocalStorage,
    files: &[(&CollectionPath, &str)],
    now: i64,
) -> Result<Vec<Journalled>, sqlx::Error> {
    let mut journalled = Vec::with_capacity(files.len());
    for rows in files.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..rows.len())
            .map(|row| {
                let n = row * 5;
                format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO uploads (id, storage_url, directory, temporary, started_at) VALUES {}",
            values.join(", ")
        );
        let mut insert = sqlx::query(&sql);
        for (path, tag) in rows {
            let id = uuid::Uuid::new_v4().to_string();
            let directory = path.parent().unwrap_or_else(CollectionPath::root);
            insert = insert
                .bind(id.clone())
                .bind(storage.url())
                .bind(directory.below(storage.base()).to_string())
                .bind(LocalStorage::partial_name(tag))
                .bind(now);
            journalled.push(Journalled { id });
        }
        insert.execute(store.pool()).await?;
    }
    Ok(journalled)
}

/// Rows journalled by one `INSERT` (five parameters each, far below every database's limit).
const ROWS_PER_INSERT: usize = 500;

/// Journals the temporary file `tag` of `path`, then makes it.
pub async fn create(
    store: &Store,
    storage: &LocalStorage,
    (path, tag): (&CollectionPath, &str),
    now: i64,
) -> Result<(Journalled, PartialFile), JournalError> {
    let mut journalled = journal(store, storage, &[(path, tag)], now).await?;
    let entry = journalled.pop().ok_or(sqlx::Error::RowNotFound)?;
    match storage.create_partial_tagged(path, tag).await {
        Ok(partial) => Ok((entry, partial)),
        Err(error) => {
            forget(store, &[entry]).await;
            Err(error.into())
        }
    }
}

/// Forgets temporary files that were committed or given up. A journal entry left behind only
/// makes the sweep look at a file that is already gone.
pub async fn forget(store: &Store, journalled: &[Journalled]) {
    for entries in journalled.chunks(ROWS_PER_INSERT) {
        let numbers: Vec<String> = (1..=entries.len()).map(|n| format!("${n}")).collect();
        let sql = format!("DELETE FROM uploads WHERE id IN ({})", numbers.join(", "));
        let mut delete = sqlx::query(&sql);
        for entry in entries {
            delete = delete.bind(&entry.id);
        }
        if let Err(error) = delete.execute(store.pool()).await {
            tracing::warn!(%error, "temporary files stay in the journal");
        }
    }
}

/// Removes the journalled temporary files nothing wrote to for `idle`, and forgets them;
/// answers how many were swept.
pub async fn sweep(
    store: &Store,
    storages: &Storages,
    idle: Duration,
) -> Result<usize, sqlx::Error> {
    let journalled: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT id, storage_url, directory, temporary FROM uploads")
            .fetch_all(store.pool())
            .await?;
    let mut swept = Vec::new();
    for (id, url, directory, temporary) in journalled {
        let gone = match (storages.open(&url), CollectionPath::parse(&directory)) {
            (Ok(Storage::Local(storage)), Ok(directory)) => storage
                .remove_idle_partial(&directory, &temporary, idle)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, file = %id, "a stale temporary file cannot be removed");
                    false
                }),
            // The storage or the path is no longer valid: nothing of it can be removed.
            _ => true,
        };
        if gone {
            swept.push(Journalled { id });
        }
    }
    forget(store, &swept).await;
    Ok(swept.len())
}
