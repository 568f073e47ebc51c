//! The files of transfer tasks, in the store: listed once when a task's items are expanded,
//! then each marked done or skipped as the engine goes, so that a restart copies only the rest.

use mrdp_service::store::Store;

/// One file to copy.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TaskFile {
    pub seq: i64,
    pub source_path: String,
    pub destination_path: String,
    pub size: i64,
    /// `MD5` or `SHA256`.
    pub checksum_algorithm: String,
}

/// What a task's files add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub files: i64,
    pub transferred: i64,
    pub skipped: i64,
    pub directories: i64,
    pub bytes_transferred: i64,
    pub bytes_checksummed: i64,
}

/// One file an expansion found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub source_path: String,
    pub destination_path: String,
    pub size: i64,
    pub checksum_algorithm: &'static str,
}

/// Records a task's files and directories, once.
pub async fn expand(
    store: &Store,
    task_id: &str,
    files: &[Found],
    directories: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    for (seq, file) in (1_i64..).zip(files) {
        sqlx::query(
            "INSERT INTO task_files (task_id, seq, source_path, destination_path, size, state, checksum_algorithm) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
        )
        .bind(task_id)
        .bind(seq)
        .bind(&file.source_path)
        .bind(&file.destination_path)
        .bind(file.size)
        .bind(file.checksum_algorithm)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE tasks SET expanded = 1, directories = $1 WHERE id = $2")
        .bind(directories)
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn expanded(store: &Store, task_id: &str) -> Result<bool, sqlx::Error> {
    let flag: Option<i64> = sqlx::query_scalar("SELECT expanded FROM tasks WHERE id = $1")
        .bind(task_id)
        .fetch_optional(store.pool())
        .await?;
    Ok(flag.unwrap_or(0) != 0)
}

/// The files still to copy, in order.
pub async fn pending(store: &Store, task_id: &str) -> Result<Vec<TaskFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, source_path, destination_path, size, checksum_algorithm FROM task_files \
         WHERE task_id = $1 AND state = 'pending' ORDER BY seq",
    )
    .bind(task_id)
    .fetch_all(store.pool())
    .await
}

/// Marks a file copied (`copied` bytes, `checksummed` of them verified) or skipped.
pub async fn settle(
    store: &Store,
    task_id: &str,
    seq: i64,
    copied: Option<(i64, i64)>,
) -> Result<(), sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    let state = if copied.is_some() { "done" } else { "skipped" };
    sqlx::query("UPDATE task_files SET state = $1 WHERE task_id = $2 AND seq = $3")
        .bind(state)
        .bind(task_id)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
    let (bytes, checksummed) = copied.unwrap_or((0, 0));
    sqlx::query(
        "UPDATE tasks SET bytes_transferred = bytes_transferred + $1, \
         bytes_checksummed = bytes_checksummed + $2 WHERE id = $3",
    )
    .bind(bytes)
    .bind(checksummed)
    .bind(task_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub async fn progress(store: &Store, task_id: &str) -> Result<Progress, sqlx::Error> {
    let (files, transferred, skipped): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), \
         COALESCE(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END), 0) \
         FROM task_files WHERE task_id = $1",
    )
    .bind(task_id)
    .fetch_one(store.pool())
    .await?;
    let (directories, bytes_transferred, bytes_checksummed): (i64, i64, i64) = sqlx::query_as(
        "SELECT directories, bytes_transferred, bytes_checksummed FROM tasks WHERE id = $1",
    )
    .bind(task_id)
    .fetch_one(store.pool())
    .await?;
    Ok(Progress {
        files,
        transferred,
        skipped,
        directories,
        bytes_transferred,
        bytes_checksummed,
    })
}

/// Copied files after `marker` (a `seq`), at most `limit`, in order.
pub async fn successful(
    store: &Store,
    task_id: &str,
    marker: i64,
    limit: i64,
) -> Result<Vec<TaskFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, source_path, destination_path, size, checksum_algorithm FROM task_files \
         WHERE task_id = $1 AND state = 'done' AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(task_id)
    .bind(marker)
    .bind(limit)
    .fetch_all(store.pool())
    .await
}
