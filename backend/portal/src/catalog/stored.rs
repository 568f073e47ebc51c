//! The catalog in the portal's store: each dataset's entry and what the transfer service counted
//! in its folder. An import is written in one transaction, so it lands whole or not at all.

use super::entry::CatalogEntry;
use mrdp_service::store::Store;
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// What the transfer service found in a dataset's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub file_count: u64,
    pub bytes: u64,
    /// Years that have a `<YEAR>.csv` file directly in the folder.
    pub years_present: Vec<i32>,
}

/// A dataset as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDataset {
    pub entry: CatalogEntry,
    pub counts: Counts,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogStoreError {
    #[error(transparent)]
    Store(#[from] sqlx::Error),
    #[error("the stored dataset {0} cannot be read: {1}")]
    Corrupt(String, serde_json::Error),
}

fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Writes every entry with its counts (replacing those of the same id), in one transaction.
pub async fn save_all(
    store: &Store,
    datasets: &[StoredDataset],
    now: i64,
) -> Result<(), CatalogStoreError> {
    let mut tx = store.pool().begin().await?;
    for dataset in datasets {
        let entry = serde_json::to_string(&dataset.entry)
            .map_err(|e| CatalogStoreError::Corrupt(dataset.entry.id.clone(), e))?;
        let years = serde_json::to_string(&dataset.counts.years_present)
            .map_err(|e| CatalogStoreError::Corrupt(dataset.entry.id.clone(), e))?;
        sqlx::query(
            "INSERT INTO datasets (id, entry, file_count, bytes, years_present, imported_at, counted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (id) DO UPDATE SET entry = excluded.entry, file_count = excluded.file_count, \
             bytes = excluded.bytes, years_present = excluded.years_present, \
             imported_at = excluded.imported_at, counted_at = excluded.counted_at",
        )
        .bind(&dataset.entry.id)
        .bind(entry)
        .bind(to_i64(dataset.counts.file_count))
        .bind(to_i64(dataset.counts.bytes))
        .bind(years)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    raise_version(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn raise_version(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE catalog_version SET version = version + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The catalog's version: it changes with every change of the catalog.
pub async fn version(store: &Store) -> Result<i64, CatalogStoreError> {
    Ok(
        sqlx::query_scalar("SELECT version FROM catalog_version WHERE id = 1")
            .fetch_one(store.pool())
            .await?,
    )
}

/// Every dataset, by id.
pub async fn list(store: &Store) -> Result<Vec<StoredDataset>, CatalogStoreError> {
    let rows =
        sqlx::query("SELECT id, entry, file_count, bytes, years_present FROM datasets ORDER BY id")
            .fetch_all(store.pool())
            .await?;
    rows.iter().map(read).collect()
}

/// Whether the catalog has no dataset yet.
pub async fn is_empty(store: &Store) -> Result<bool, CatalogStoreError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM datasets")
        .fetch_one(store.pool())
        .await?;
    Ok(count == 0)
}

/// Removes a dataset; whether there was one.
pub async fn remove(store: &Store, id: &str) -> Result<bool, CatalogStoreError> {
    let mut tx = store.pool().begin().await?;
    let done = sqlx::query("DELETE FROM datasets WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    raise_version(&mut tx).await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

fn read(row: &sqlx::any::AnyRow) -> Result<StoredDataset, CatalogStoreError> {
    let id: String = row.try_get("id")?;
    let corrupt = |e| CatalogStoreError::Corrupt(id.clone(), e);
    let entry: CatalogEntry =
        serde_json::from_str(&row.try_get::<String, _>("entry")?).map_err(corrupt)?;
    let years_present =
        serde_json::from_str(&row.try_get::<String, _>("years_present")?).map_err(corrupt)?;
    let count = |column: &str| -> Result<u64, sqlx::Error> {
        Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
    };
    Ok(StoredDataset {
        entry,
        counts: Counts {
            file_count: count("file_count")?,
            bytes: count("bytes")?,
            years_present,
        },
    })
}
