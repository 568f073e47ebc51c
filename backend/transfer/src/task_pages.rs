//! Tasks as their documents show them (with their endpoints' names and their files' progress),
//! read from the store a page at a time: one query for the documents of a page, whatever its
//! length, and one for how many match. Filtering and paging are the database's work.

use crate::task_files::Progress;
use crate::tasks::{Task, TaskRow, TaskStatus, TaskType};
use mrdp_service::store::Store;

/// Which of a person's tasks a page shows (an empty list: any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    pub owner_id: String,
    pub task_ids: Vec<String>,
    pub statuses: Vec<TaskStatus>,
    pub types: Vec<TaskType>,
}

/// A task with what its document shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskView {
    pub task: Task,
    pub source_name: Option<String>,
    pub destination_name: Option<String>,
    pub progress: Progress,
}

#[derive(sqlx::FromRow)]
struct ViewRow {
    #[sqlx(flatten)]
    task: TaskRow,
    source_name: Option<String>,
    destination_name: Option<String>,
    files: i64,
    transferred: i64,
    skipped: i64,
    failed: i64,
    directories: i64,
    bytes_moved: i64,
    bytes_checksummed: i64,
    bytes_expected: i64,
}

impl TryFrom<ViewRow> for TaskView {
    type Error = sqlx::Error;

    fn try_from(row: ViewRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            task: Task::try_from(row.task)?,
            source_name: row.source_name,
            destination_name: row.destination_name,
            progress: Progress {
                files: row.files,
                transferred: row.transferred,
                skipped: row.skipped,
                failed: row.failed,
                directories: row.directories,
                bytes_transferred: row.bytes_moved,
                bytes_checksummed: row.bytes_checksummed,
                bytes_expected: row.bytes_expected,
            },
        })
    }
}

/// A `WHERE` condition over `tasks` and the values of its numbered parameters.
struct Condition {
    sql: String,
    values: Vec<String>,
}

impl Condition {
    fn new(column: &str, value: &str) -> Self {
        Self {
            sql: format!("{column} = $1"),
            values: vec![value.to_owned()],
        }
    }

    /// Adds `column IN (…)`, unless `values` is empty.
    fn one_of<'a>(mut self, column: &str, values: impl IntoIterator<Item = &'a str>) -> Self {
        let first = self.values.len() + 1;
        self.values.extend(values.into_iter().map(str::to_owned));
        if self.values.len() >= first {
            let numbers: Vec<String> = (first..=self.values.len())
                .map(|n| format!("${n}"))
                .collect();
            self.sql += &format!(" AND {column} IN ({})", numbers.join(", "));
        }
        self
    }

    fn of(filter: &TaskFilter) -> Self {
        Self::new("owner_id", &filter.owner_id)
            .one_of("id", filter.task_ids.iter().map(String::as_str))
            .one_of("status", filter.statuses.iter().map(|s| s.as_str()))
            .one_of("kind", filter.types.iter().map(|t| t.as_str()))
    }
}

/// The views of the tasks `condition` selects, newest first, `limit` of them after `offset`.
async fn views(
    store: &Store,
    condition: &Condition,
    limit: i64,
    offset: i64,
) -> Result<Vec<TaskView>, sqlx::Error> {
    let next = condition.values.len() + 1;
    let sql = format!(
        "WITH page AS (SELECT * FROM tasks WHERE {condition} \
             ORDER BY request_time DESC, id LIMIT ${next} OFFSET ${after}), \
         counted AS (SELECT task_id, COUNT(*) AS files, \
             COALESCE(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0) AS transferred, \
             COALESCE(SUM(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END), 0) AS skipped, \
             COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0) AS failed, \
             CAST(COALESCE(SUM(CASE WHEN state = 'skipped' THEN 0 ELSE size END), 0) AS BIGINT) \
                 AS bytes_expected \
             FROM task_files WHERE task_id IN (SELECT id FROM page) GROUP BY task_id) \
         SELECT page.*, source.display_name AS source_name, \
             destination.display_name AS destination_name, \
             COALESCE(counted.files, 0) AS files, \
             COALESCE(counted.transferred, 0) AS transferred, \
             COALESCE(counted.skipped, 0) AS skipped, \
             COALESCE(counted.failed, 0) AS failed, \
             COALESCE(counted.bytes_expected, 0) AS bytes_expected, \
             page.bytes_transferred + page.bytes_in_flight AS bytes_moved \
         FROM page \
         LEFT JOIN collections source ON source.id = page.source_endpoint \
         LEFT JOIN collections destination ON destination.id = page.destination_endpoint \
         LEFT JOIN counted ON counted.task_id = page.id \
         ORDER BY page.request_time DESC, page.id",
        condition = condition.sql,
        after = next + 1,
    );
    let mut query = sqlx::query_as::<_, ViewRow>(&sql);
    for value in &condition.values {
        query = query.bind(value);
    }
    let rows = query
        .bind(limit)
        .bind(offset)
        .fetch_all(store.pool())
        .await?;
    rows.into_iter().map(TaskView::try_from).collect()
}

/// The tasks `filter` selects, newest first: `limit` of them after `offset`, and how many match.
pub async fn page(
    store: &Store,
    filter: &TaskFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<TaskView>, i64), sqlx::Error> {
    let condition = Condition::of(filter);
    let page = views(store, &condition, limit, offset).await?;
    let sql = format!("SELECT COUNT(*) FROM tasks WHERE {}", condition.sql);
    let mut count = sqlx::query_scalar(&sql);
    for value in &condition.values {
        count = count.bind(value);
    }
    Ok((page, count.fetch_one(store.pool()).await?))
}

/// One task's view.
pub async fn view(store: &Store, id: &str) -> Result<Option<TaskView>, sqlx::Error> {
    let found = views(store, &Condition::new("id", id), 1, 0).await?;
    Ok(found.into_iter().next())
}
