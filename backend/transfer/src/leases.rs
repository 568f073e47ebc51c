//! Which engine carries out which task: a lease in the task's row. An engine claims the oldest
//! active task nobody holds (or whose lease ran out) with one `UPDATE`, its row picked `FOR
//! UPDATE SKIP LOCKED` on PostgreSQL so that the engines of several processes on one database
//! never take the same task; the holder renews the lease while it works and only the holder may
//! end the task. An engine that stops renewing (killed) loses the task when the lease runs out,
//! and another takes it up after its last settled file. On SQLite only one process uses the
//! store, so a starting engine takes back every lease left by the process before it.

use mrdp_service::store::Store;
use mrdp_shared::StoreBackend;
use std::time::Duration;

/// How long a claim or a renewal holds a task.
pub const LEASE_SECONDS: i64 = 30;

/// How often a holder renews its leases: three times a lease.
pub const RENEW_EVERY: Duration = Duration::from_secs(10);

/// Claims for `worker`, until `now + LEASE_SECONDS`, the oldest active task that nobody holds
/// or whose lease ran out, and that `worker` does not hold already; its id.
pub async fn claim_next(
    store: &Store,
    worker: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let skip_locked = match store.backend() {
        StoreBackend::Postgres => " FOR UPDATE SKIP LOCKED",
        StoreBackend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE tasks SET lease_owner = $1, lease_until = $2 WHERE id = (\
         SELECT id FROM tasks WHERE status = 'ACTIVE' \
         AND (lease_until IS NULL OR lease_until <= $3) \
         AND (lease_owner IS NULL OR lease_owner <> $1) \
         ORDER BY request_time, id LIMIT 1{skip_locked}) RETURNING id"
    );
    sqlx::query_scalar(&sql)
        .bind(worker)
        .bind(now + LEASE_SECONDS)
        .bind(now)
        .fetch_optional(store.pool())
        .await
}

/// Renews `worker`'s lease on the task; `false` if it no longer holds it (or the task ended).
pub async fn renew(store: &Store, id: &str, worker: &str, now: i64) -> Result<bool, sqlx::Error> {
    let renewed = sqlx::query(
        "UPDATE tasks SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND status = 'ACTIVE'",
    )
    .bind(now + LEASE_SECONDS)
    .bind(id)
    .bind(worker)
    .execute(store.pool())
    .await?;
    Ok(renewed.rows_affected() == 1)
}

/// Gives up the leases of the active tasks `worker` holds (`Some`: as it stops, so that another
/// engine takes them up at once) or every one (`None`: a SQLite engine starting, whose store
/// only its process uses).
pub async fn release(store: &Store, worker: Option<&str>) -> Result<u64, sqlx::Error> {
    let clear = "UPDATE tasks SET lease_owner = NULL, lease_until = NULL WHERE status = 'ACTIVE'";
    let released = match worker {
        Some(worker) => {
            sqlx::query(&format!("{clear} AND lease_owner = $1"))
                .bind(worker)
                .execute(store.pool())
                .await?
        }
        None => sqlx::query(clear).execute(store.pool()).await?,
    };
    Ok(released.rows_affected())
}

/// Gives up `worker`'s lease on one task, so that an engine takes it up again.
pub async fn let_go(store: &Store, id: &str, worker: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tasks SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
    )
    .bind(id)
    .bind(worker)
    .execute(store.pool())
    .await?;
    Ok(())
}
