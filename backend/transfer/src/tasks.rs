//! Tasks in the store: submitted once per `submission_id`, carried out by the engine, their
//! progress and events kept so that a restarted service resumes them.

use crate::access::Caller;
pub use mrdp_globus::tasks::{TaskStatus, TaskType};
use mrdp_service::store::{Store, known_word};

/// A task as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub submission_id: String,
    pub kind: TaskType,
    pub owner_id: String,
    pub status: TaskStatus,
    pub label: Option<String>,
    pub source_endpoint: String,
    pub destination_endpoint: Option<String>,
    /// The submitted document, as JSON.
    pub request: String,
    pub request_time: i64,
    pub completion_time: Option<i64>,
    pub items: i64,
    pub done_items: i64,
    pub failed_items: i64,
    pub faults: i64,
    pub cancel_requested: bool,
    pub fatal_error: Option<(String, String)>,
    /// Who submitted it, as its access is judged while it runs.
    pub submitter: Caller,
    /// How many times an engine took it up before (more than none: it resumes).
    pub runs: i64,
    /// When it must be done by (Unix seconds).
    pub deadline: Option<i64>,
}

/// What submitting takes.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub submission_id: String,
    pub kind: TaskType,
    pub owner_id: String,
    pub label: Option<String>,
    pub source_endpoint: String,
    pub destination_endpoint: Option<String>,
    pub request: String,
    pub items: i64,
    pub submitter: Caller,
    pub deadline: Option<i64>,
}

/// The outcome of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    Accepted(String),
    /// The `submission_id` was used before, by the same owner: the task it made.
    Duplicate(String),
    /// The `submission_id` was used by someone else.
    Taken,
}

/// A task as its table holds it.
#[derive(sqlx::FromRow)]
pub(crate) struct TaskRow {
    id: String,
    submission_id: String,
    kind: String,
    owner_id: String,
    status: String,
    label: Option<String>,
    source_endpoint: String,
    destination_endpoint: Option<String>,
    request: String,
    request_time: i64,
    completion_time: Option<i64>,
    items: i64,
    done_items: i64,
    failed_items: i64,
    faults: i64,
    cancel_requested: i64,
    fatal_error_code: Option<String>,
    fatal_error_description: Option<String>,
    submitter: Option<String>,
    runs: i64,
    deadline: Option<i64>,
}

impl TryFrom<TaskRow> for Task {
    type Error = sqlx::Error;

    fn try_from(row: TaskRow) -> Result<Self, sqlx::Error> {
        let submitter = match &row.submitter {
            Some(json) => serde_json::from_str(json)
                .map_err(|e| sqlx::Error::Decode(format!("submitter: {e}").into()))?,
            // A task from before submitters were kept: its owner's identity stands for it.
            None => Caller {
                identities: vec![row.owner_id.clone()],
                groups: Vec::new(),
            },
        };
        Ok(Self {
            kind: known_word("kind", &row.kind, TaskType::parse)?,
            status: known_word("status", &row.status, TaskStatus::parse)?,
            submitter,
            runs: row.runs,
            deadline: row.deadline,
            id: row.id,
            submission_id: row.submission_id,
            owner_id: row.owner_id,
            label: row.label,
            source_endpoint: row.source_endpoint,
            destination_endpoint: row.destination_endpoint,
            request: row.request,
            request_time: row.request_time,
            completion_time: row.completion_time,
            items: row.items,
            done_items: row.done_items,
            failed_items: row.failed_items,
            faults: row.faults,
            cancel_requested: row.cancel_requested != 0,
            fatal_error: row.fatal_error_code.zip(row.fatal_error_description),
        })
    }
}

const COLUMNS: &str = "id, submission_id, kind, owner_id, status, label, source_endpoint, \
    destination_endpoint, request, request_time, completion_time, items, done_items, failed_items, \
    faults, cancel_requested, fatal_error_code, fatal_error_description, submitter, runs, deadline";

async fn fetch(store: &Store, condition: &str, bind: &str) -> Result<Vec<Task>, sqlx::Error> {
    let sql =
        format!("SELECT {COLUMNS} FROM tasks WHERE {condition} ORDER BY request_time DESC, id");
    let rows: Vec<TaskRow> = sqlx::query_as(&sql)
        .bind(bind)
        .fetch_all(store.pool())
        .await?;
    rows.into_iter().map(Task::try_from).collect()
}

/// Records a task, once per `submission_id`.
pub async fn submit(store: &Store, new: NewTask, now: i64) -> Result<Submitted, sqlx::Error> {
    let id = uuid::Uuid::new_v4().to_string();
    let inserted = sqlx::query(
        "INSERT INTO tasks (id, submission_id, kind, owner_id, status, label, source_endpoint, \
         destination_endpoint, request, request_time, items, submitter, deadline) \
         VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (submission_id) DO NOTHING",
    )
    .bind(&id)
    .bind(&new.submission_id)
    .bind(new.kind.as_str())
    .bind(&new.owner_id)
    .bind(&new.label)
    .bind(&new.source_endpoint)
    .bind(&new.destination_endpoint)
    .bind(&new.request)
    .bind(now)
    .bind(new.items)
    .bind(serde_json::to_string(&new.submitter).ok())
    .bind(new.deadline)
    .execute(store.pool())
    .await?;
    if inserted.rows_affected() == 1 {
        event(store, &id, "STARTED", "The task was queued", "", false, now).await?;
        return Ok(Submitted::Accepted(id));
    }
    let (existing, owner): (String, String) =
        sqlx::query_as("SELECT id, owner_id FROM tasks WHERE submission_id = $1")
            .bind(&new.submission_id)
            .fetch_one(store.pool())
            .await?;
    Ok(if owner == new.owner_id {
        Submitted::Duplicate(existing)
    } else {
        Submitted::Taken
    })
}

pub async fn find(store: &Store, id: &str) -> Result<Option<Task>, sqlx::Error> {
    Ok(fetch(store, "id = $1", id).await?.into_iter().next())
}

/// The tasks still to carry out.
pub async fn active(store: &Store) -> Result<Vec<Task>, sqlx::Error> {
    fetch(store, "status = $1", TaskStatus::Active.as_str()).await
}

/// Records that `worker` takes the task up: one run more, and an event when it is not the first
/// (the engine before stopped: killed, or its process restarted).
pub async fn take_up(store: &Store, id: &str, worker: &str, now: i64) -> Result<(), sqlx::Error> {
    let runs: i64 =
        sqlx::query_scalar("UPDATE tasks SET runs = runs + 1 WHERE id = $1 RETURNING runs")
            .bind(id)
            .fetch_one(store.pool())
            .await?;
    if runs > 1 {
        let why = "Taken up again after its last finished file: the task engine before stopped";
        event(
            store,
            id,
            "TAKEN_UP",
            why,
            &format!("engine {worker}"),
            false,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Counts one more item done (or failed and skipped), so that a restart resumes after it.
pub async fn item_done(store: &Store, id: &str, failed: bool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tasks SET done_items = done_items + 1, failed_items = failed_items + $1 WHERE id = $2",
    )
    .bind(i64::from(failed))
    .bind(id)
    .execute(store.pool())
    .await?;
    Ok(())
}

pub async fn fault(store: &Store, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tasks SET faults = faults + 1 WHERE id = $1")
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Ends an active task that `worker` holds: `SUCCEEDED`, or `FAILED` with its reason; whether it
/// did (`false`: the task is another engine's now, or ended).
pub async fn finish(
    store: &Store,
    (id, worker): (&str, &str),
    fatal: Option<(&str, &str)>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let status = if fatal.is_some() {
        TaskStatus::Failed
    } else {
        TaskStatus::Succeeded
    };
    let ended = sqlx::query(
        "UPDATE tasks SET status = $1, completion_time = $2, fatal_error_code = $3, \
         fatal_error_description = $4, bytes_in_flight = 0 \
         WHERE id = $5 AND status = 'ACTIVE' AND lease_owner = $6",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(fatal.map(|(code, _)| code))
    .bind(fatal.map(|(_, description)| description))
    .bind(id)
    .bind(worker)
    .execute(store.pool())
    .await?;
    if ended.rows_affected() == 0 {
        return Ok(false);
    }
    let (code, description) = fatal.unwrap_or(("SUCCEEDED", "The task completed"));
    event(store, id, code, description, "", fatal.is_some(), now).await?;
    Ok(true)
}

/// Asks an active task to stop; `false` if it is no longer active.
pub async fn request_cancel(store: &Store, id: &str) -> Result<bool, sqlx::Error> {
    let asked =
        sqlx::query("UPDATE tasks SET cancel_requested = 1 WHERE id = $1 AND status = 'ACTIVE'")
            .bind(id)
            .execute(store.pool())
            .await?;
    Ok(asked.rows_affected() == 1)
}

/// Whether the task was asked to stop.
pub async fn cancel_requested(store: &Store, id: &str) -> Result<bool, sqlx::Error> {
    let asked: Option<i64> = sqlx::query_scalar("SELECT cancel_requested FROM tasks WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(asked.unwrap_or(1) != 0)
}

/// One event of a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub code: String,
    pub description: String,
    pub details: String,
    pub is_error: bool,
    pub time: i64,
}

pub async fn event(
    store: &Store,
    id: &str,
    code: &str,
    description: &str,
    details: &str,
    is_error: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO task_events (task_id, seq, code, description, details, is_error, time) \
         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM task_events WHERE task_id = $1), \
         $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(code)
    .bind(description)
    .bind(details)
    .bind(i64::from(is_error))
    .bind(now)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// A task's events, newest first (as Globus lists them).
pub async fn events(store: &Store, id: &str) -> Result<Vec<Event>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT code, description, details, is_error, time FROM task_events \
         WHERE task_id = $1 ORDER BY seq DESC",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, description, details, is_error, time)| Event {
            code,
            description,
            details,
            is_error: is_error != 0,
            time,
        })
        .collect())
}
