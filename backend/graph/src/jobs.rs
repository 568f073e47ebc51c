//! Graph jobs in the service's store: made queued, claimed under a lease by a worker, moved on as
//! they progress, finished with a result or a reason, and removed when deleted or expired.

use mrdp_service::lease::LeasedRows;
use mrdp_service::store::Store;
use mrdp_shared::{GraphProgress, GraphRequest, GraphResult, GraphStatus};

/// The graph store's leased work: jobs queued or running, oldest first. A claim marks a job
/// running; a worker that stops (a crash, a restart) leaves its jobs to another once its lease has
/// run out.
pub const LEASES: LeasedRows = LeasedRows {
    table: "graph_jobs",
    unfinished: "status IN ('queued', 'running')",
    oldest_first: "created_at, id",
    on_claim: ", status = 'running'",
};

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub owner: String,
    pub status: String,
    pub request: String,
    pub progress: String,
    pub delegation: Option<String>,
    pub cache_key: Option<String>,
    pub folder: Option<String>,
    pub rule_id: Option<String>,
    pub result: Option<String>,
    pub error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

impl JobRow {
    pub fn status(&self) -> GraphStatus {
        match self.status.as_str() {
            "running" => GraphStatus::Running,
            "succeeded" => GraphStatus::Succeeded,
            "failed" => GraphStatus::Failed,
            _ => GraphStatus::Queued,
        }
    }

    /// The request as submitted (validated then; a row that does not read is the store's fault).
    pub fn request(&self) -> Result<GraphRequest, serde_json::Error> {
        serde_json::from_str(&self.request)
    }

    pub fn progress(&self) -> GraphProgress {
        serde_json::from_str(&self.progress).unwrap_or(GraphProgress {
            done: 0,
            total: 0,
            stage: mrdp_shared::GraphStage::Waiting,
        })
    }

    pub fn result(&self) -> Option<GraphResult> {
        self.result
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok())
    }
}

const COLUMNS: &str = "id, owner, status, request, progress, delegation, cache_key, folder, \
                       rule_id, result, error, created_at, updated_at, expires_at";

fn status_word(status: GraphStatus) -> &'static str {
    match status {
        GraphStatus::Queued => "queued",
        GraphStatus::Running => "running",
        GraphStatus::Succeeded => "succeeded",
        GraphStatus::Failed => "failed",
    }
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A new job, queued.
#[derive(Debug)]
pub struct NewJob<'a> {
    pub id: &'a str,
    pub owner: &'a str,
    pub request: &'a GraphRequest,
    pub progress: GraphProgress,
    /// The researcher's dependent tokens, sealed.
    pub delegation: &'a str,
    pub expires_at: i64,
}

pub async fn create(store: &Store, job: &NewJob<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO graph_jobs (id, owner, status, request, progress, delegation, created_at, \
         updated_at, expires_at) VALUES ($1, $2, 'queued', $3, $4, $5, $6, $6, $7)",
    )
    .bind(job.id)
    .bind(job.owner)
    .bind(json(job.request))
    .bind(json(&job.progress))
    .bind(job.delegation)
    .bind(now)
    .bind(job.expires_at)
    .execute(store.pool())
    .await?;
    Ok(())
}

pub async fn find(store: &Store, id: &str) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM graph_jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await
}

/// The job `id` if `owner` made it.
pub async fn find_owned(
    store: &Store,
    id: &str,
    owner: &str,
) -> Result<Option<JobRow>, sqlx::Error> {
    Ok(find(store, id).await?.filter(|job| job.owner == owner))
}

/// `owner`'s jobs, newest first.
pub async fn of_owner(
    store: &Store,
    owner: &str,
    (offset, limit): (i64, i64),
) -> Result<(Vec<JobRow>, i64), sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM graph_jobs WHERE owner = $1 ORDER BY created_at DESC, id \
         LIMIT $2 OFFSET $3"
    ))
    .bind(owner)
    .bind(limit)
    .bind(offset)
    .fetch_all(store.pool())
    .await?;
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM graph_jobs WHERE owner = $1")
        .bind(owner)
        .fetch_one(store.pool())
        .await?;
    Ok((rows, total))
}

/// Records how far the job is, if `worker` still holds it; whether it does.
pub async fn advance(
    store: &Store,
    (id, worker): (&str, &str),
    progress: GraphProgress,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let advanced = sqlx::query(
        "UPDATE graph_jobs SET progress = $1, updated_at = $2 \
         WHERE id = $3 AND lease_owner = $4 AND status = 'running'",
    )
    .bind(json(&progress))
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(store.pool())
    .await?;
    Ok(advanced.rows_affected() == 1)
}

/// The inputs are read: the job is known by what it reads (its tokens are kept until it ends,
/// as a job taken up again after a restart reads them again).
pub async fn inputs_read(store: &Store, id: &str, cache_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE graph_jobs SET cache_key = $1 WHERE id = $2")
        .bind(cache_key)
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// A finished job of an identical request whose folder still stands: `(folder, result)`.
pub async fn cached(
    store: &Store,
    cache_key: &str,
    now: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT folder, result FROM graph_jobs WHERE cache_key = $1 AND status = 'succeeded' \
         AND folder IS NOT NULL AND result IS NOT NULL AND expires_at > $2 \
         ORDER BY created_at LIMIT 1",
    )
    .bind(cache_key)
    .bind(now)
    .fetch_optional(store.pool())
    .await
}

/// The rule another job of `owner` already has on `folder`, to share rather than duplicate.
pub async fn rule_of(
    store: &Store,
    owner: &str,
    folder: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT rule_id FROM graph_jobs WHERE owner = $1 AND folder = $2 AND rule_id IS NOT NULL \
         LIMIT 1",
    )
    .bind(owner)
    .bind(folder)
    .fetch_optional(store.pool())
    .await
}

/// Records the folder the job's files are in and the rule that opens it to its owner.
pub async fn shared(
    store: &Store,
    id: &str,
    (folder, rule_id): (&str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE graph_jobs SET folder = $1, rule_id = $2 WHERE id = $3")
        .bind(folder)
        .bind(rule_id)
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The job ends: succeeded with `result`, or failed with `error`, if `worker` still holds it;
/// whether it did.
pub async fn finish(
    store: &Store,
    (id, worker): (&str, &str),
    outcome: Result<(&GraphResult, GraphProgress), &str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (status, result, error, progress) = match outcome {
        Ok((result, progress)) => (GraphStatus::Succeeded, Some(json(result)), None, progress),
        Err(error) => {
            let progress =
                find(store, id)
                    .await?
                    .map(|job| job.progress())
                    .unwrap_or(GraphProgress {
                        done: 0,
                        total: 0,
                        stage: mrdp_shared::GraphStage::Waiting,
                    });
            (GraphStatus::Failed, None, Some(error.to_owned()), progress)
        }
    };
    let ended = sqlx::query(
        "UPDATE graph_jobs SET status = $1, result = $2, error = $3, progress = $4, \
         delegation = NULL, lease_until = 0, updated_at = $5 \
         WHERE id = $6 AND lease_owner = $7 AND status = 'running'",
    )
    .bind(status_word(status))
    .bind(result)
    .bind(error)
    .bind(json(&progress))
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(store.pool())
    .await?;
    Ok(ended.rows_affected() == 1)
}

/// Jobs whose results expired by `now`.
pub async fn expired(store: &Store, now: i64) -> Result<Vec<JobRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM graph_jobs WHERE expires_at <= $1 ORDER BY expires_at, id"
    ))
    .bind(now)
    .fetch_all(store.pool())
    .await
}

/// What other jobs than `job` still hold of what it holds: whether one uses its access rule, and
/// whether one's results are its folder.
pub async fn held_by_others(store: &Store, job: &JobRow) -> Result<(bool, bool), sqlx::Error> {
    let count = |column: &'static str, value: Option<&str>| {
        let id = job.id.clone();
        let value = value.map(str::to_owned);
        async move {
            let Some(value) = value else {
                return Ok::<_, sqlx::Error>(false);
            };
            let held: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM graph_jobs WHERE {column} = $1 AND id <> $2"
            ))
            .bind(value)
            .bind(id)
            .fetch_one(store.pool())
            .await?;
            Ok(held > 0)
        }
    };
    Ok((
        count("rule_id", job.rule_id.as_deref()).await?,
        count("folder", job.folder.as_deref()).await?,
    ))
}

pub async fn delete(store: &Store, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM graph_jobs WHERE id = $1")
        .bind(id)
        .execute(store.pool())
        .await?;
    Ok(())
}
