//! The files of transfer tasks, in the store: listed once when a task's items are expanded,
//! then each marked done, skipped or failed as the engine goes, so that a restart copies only
//! the rest.

use mrdp_service::store::{Store, known_word};

mrdp_globus::vocabulary! {
    /// Why a task did not copy something: it is recorded as a failed file of the task, with an
    /// event of the same code.
    pub enum Failure {
        /// The task's submitter may no longer read it at the source or write it at the
        /// destination.
        PermissionDenied = "PERMISSION_DENIED",
        /// Its name is not UTF-8: no request can name it.
        InvalidName = "INVALID_NAME",
    }
}

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
    /// Files not copied because the task's submitter lost access to them.
    pub failed: i64,
    pub directories: i64,
    pub bytes_transferred: i64,
    pub bytes_checksummed: i64,
    /// The bytes of the files found that are to be copied (not skipped).
    pub bytes_expected: i64,
}

/// One file an expansion found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub source_path: String,
    pub destination_path: String,
    pub size: i64,
    pub checksum_algorithm: &'static str,
    /// Why it is recorded as failed, never copied; `None`: to copy.
    pub failure: Option<Failure>,
}

/// Rows written by one `INSERT` (eight parameters each, far below every database's limit).
const ROWS_PER_INSERT: usize = 200;

/// `($1, $2, …), (…)`: `rows` groups of `columns` numbered parameters.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let numbers: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", numbers.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Records a task's files and directories, once.
pub async fn expand(
    store: &Store,
    task_id: &str,
    files: &[Found],
    directories: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    let numbered: Vec<(i64, &Found)> = (1_i64..).zip(files).collect();
    for rows in numbered.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO task_files (task_id, seq, source_path, destination_path, size, \
             checksum_algorithm, state, failure) VALUES {}",
            placeholders(rows.len(), 8)
        );
        let mut insert = sqlx::query(&sql);
        for (seq, file) in rows {
            insert = insert
                .bind(task_id)
                .bind(*seq)
                .bind(&file.source_path)
                .bind(&file.destination_path)
                .bind(file.size)
                .bind(file.checksum_algorithm)
                .bind(if file.failure.is_some() {
                    "failed"
                } else {
                    "pending"
                })
                .bind(file.failure.map(Failure::as_str));
        }
        insert.execute(&mut *tx).await?;
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

/// How a file was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Copied,
    /// The sync level found it already there.
    Skipped,
    /// Not copied, for this reason.
    Failed(Failure),
}

/// Marks files settled (`(seq, bytes, checksummed)` each: bytes copied, of them verified), in
/// one transaction, with the bytes of the files still being copied.
pub async fn settle(
    store: &Store,
    task_id: &str,
    how: Settled,
    copied: &[(i64, i64, i64)],
    in_flight: i64,
) -> Result<(), sqlx::Error> {
    let (state, failure) = match how {
        Settled::Copied => ("done", None),
        Settled::Skipped => ("skipped", None),
        Settled::Failed(failure) => ("failed", Some(failure.as_str())),
    };
    let mut tx = store.pool().begin().await?;
    for rows in copied.chunks(ROWS_PER_INSERT) {
        let numbers: Vec<String> = (0..rows.len()).map(|n| format!("${}", n + 4)).collect();
        let sql = format!(
            "UPDATE task_files SET state = $1, failure = $2 WHERE task_id = $3 AND seq IN ({})",
            numbers.join(", ")
        );
        let mut update = sqlx::query(&sql).bind(state).bind(failure).bind(task_id);
        for (seq, _, _) in rows {
            update = update.bind(*seq);
        }
        update.execute(&mut *tx).await?;
    }
    let bytes: i64 = copied.iter().map(|(_, bytes, _)| bytes).sum();
    let checksummed: i64 = copied.iter().map(|(_, _, checksummed)| checksummed).sum();
    sqlx::query(
        "UPDATE tasks SET bytes_transferred = bytes_transferred + $1, \
         bytes_checksummed = bytes_checksummed + $2, bytes_in_flight = $3 WHERE id = $4",
    )
    .bind(bytes)
    .bind(checksummed)
    .bind(in_flight)
    .bind(task_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Records the bytes of the files a task is still copying.
pub async fn record_in_flight(
    store: &Store,
    task_id: &str,
    in_flight: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tasks SET bytes_in_flight = $1 WHERE id = $2 AND status = 'ACTIVE'")
        .bind(in_flight)
        .bind(task_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// How many of the task's files failed, for each reason.
pub async fn failures(store: &Store, task_id: &str) -> Result<Vec<(Failure, i64)>, sqlx::Error> {
    let counted: Vec<(String, i64)> = sqlx::query_as(
        "SELECT failure, COUNT(*) FROM task_files WHERE task_id = $1 AND state = 'failed' \
         GROUP BY failure ORDER BY failure DESC",
    )
    .bind(task_id)
    .fetch_all(store.pool())
    .await?;
    counted
        .into_iter()
        .map(|(failure, count)| Ok((known_word("failure", &failure, Failure::parse)?, count)))
        .collect()
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
