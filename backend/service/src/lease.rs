//! Leases on work kept in a store's rows (transfer tasks, graph jobs), in two columns of the row:
//! `lease_owner` (the worker) and `lease_until` (a time). A worker claims the oldest unfinished
//! row nobody holds (or whose lease ran out) with one `UPDATE`, its row picked `FOR UPDATE SKIP
//! LOCKED` on PostgreSQL so that workers of several processes on one database never take the
//! same row; it renews the lease while it works ([`Held`]) and only the holder may end the work.
//! A worker that stops renewing (killed) loses the row when the lease runs out, and another takes
//! it up. What a row is, and what its work is, stays the service's ([`LeasedRows`]).

use crate::store::Store;
use mrdp_shared::StoreBackend;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a claim holds its row unless the configuration says otherwise, in seconds.
pub const DEFAULT_LEASE_SECONDS: i64 = 30;

/// The shortest and longest leases a configuration may set, in seconds.
pub const LEASE_SECONDS_RANGE: std::ops::RangeInclusive<i64> = 3..=3600;

/// How often a holder renews a lease of `seconds`: three times a lease.
pub fn renew_every(seconds: i64) -> Duration {
    Duration::from_millis(u64::try_from(seconds.max(1) * 1000 / 3).unwrap_or(10_000))
}

/// What a claim's row query adds so that, on PostgreSQL, workers of several processes claiming at
/// once each pick a different row instead of waiting for one another (`FOR UPDATE SKIP LOCKED`);
/// nothing on SQLite, whose one writer at a time does the same.
fn skip_locked(store: &Store) -> &'static str {
    match store.backend() {
        StoreBackend::Postgres => " FOR UPDATE SKIP LOCKED",
        StoreBackend::Sqlite => "",
    }
}

/// A service's table of leased work.
#[derive(Debug, Clone, Copy)]
pub struct LeasedRows {
    pub table: &'static str,
    /// The condition of rows whose work is not finished (`status = 'ACTIVE'`).
    pub unfinished: &'static str,
    /// The order rows are taken in, oldest first (`request_time, id`).
    pub oldest_first: &'static str,
    /// What a claim sets besides the lease (`, status = 'running'`), or nothing.
    pub on_claim: &'static str,
}

impl LeasedRows {
    /// Claims for `worker`, until `now + lease` (seconds), the oldest unfinished row that nobody
    /// holds or whose lease ran out, and that `worker` does not hold already; its id.
    pub async fn claim_next(
        &self,
        store: &Store,
        worker: &str,
        (now, lease): (i64, i64),
    ) -> Result<Option<String>, sqlx::Error> {
        let Self {
            table,
            unfinished,
            oldest_first,
            on_claim,
        } = self;
        let skip_locked = skip_locked(store);
        let sql = format!(
            "UPDATE {table} SET lease_owner = $1, lease_until = $2{on_claim} WHERE id = (\
             SELECT id FROM {table} WHERE {unfinished} \
             AND (lease_until IS NULL OR lease_until <= $3) \
             AND (lease_owner IS NULL OR lease_owner <> $1) \
             ORDER BY {oldest_first} LIMIT 1{skip_locked}) RETURNING id"
        );
        sqlx::query_scalar(&sql)
            .bind(worker)
            .bind(now + lease)
            .bind(now)
            .fetch_optional(store.pool())
            .await
    }

    /// Renews `worker`'s lease on row `id` for `lease` seconds; `false` if it no longer holds
    /// it (or the work is finished).
    pub async fn renew(
        &self,
        store: &Store,
        id: &str,
        (worker, lease): (&str, i64),
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let sql = format!(
            "UPDATE {} SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND {}",
            self.table, self.unfinished
        );
        let renewed = sqlx::query(&sql)
            .bind(now + lease)
            .bind(id)
            .bind(worker)
            .execute(store.pool())
            .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives up the leases on the unfinished rows `worker` holds (`Some`: as it stops, so that
    /// another takes them up at once) or every one (`None`: a SQLite service starting, whose
    /// store only its process uses).
    pub async fn release(&self, store: &Store, worker: Option<&str>) -> Result<u64, sqlx::Error> {
        let clear = format!(
            "UPDATE {} SET lease_owner = NULL, lease_until = 0 WHERE {}",
            self.table, self.unfinished
        );
        let released = match worker {
            Some(worker) => {
                sqlx::query(&format!("{clear} AND lease_owner = $1"))
                    .bind(worker)
                    .execute(store.pool())
                    .await?
            }
            None => sqlx::query(&clear).execute(store.pool()).await?,
        };
        Ok(released.rows_affected())
    }

    /// Gives up `worker`'s lease on row `id`, so that a worker takes it up again.
    pub async fn let_go(&self, store: &Store, id: &str, worker: &str) -> Result<(), sqlx::Error> {
        let sql = format!(
            "UPDATE {} SET lease_owner = NULL, lease_until = 0 WHERE id = $1 AND lease_owner = $2",
            self.table
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(worker)
            .execute(store.pool())
            .await?;
        Ok(())
    }
}

/// A held lease: renewed in the background until dropped.
#[derive(Debug)]
pub struct Held {
    lost: Arc<AtomicBool>,
    renewal: JoinHandle<()>,
}

impl Held {
    /// Calls `renew` three times a lease of `seconds` until dropped; once it answers `false` (the
    /// claim is gone) the lease is lost and renewal ends. A renewal that fails is tried again
    /// next time: the lease holds a while yet. `what` names the row in the logs.
    pub fn keep<R, F>(seconds: i64, what: String, mut renew: R) -> Self
    where
        R: FnMut() -> F + Send + 'static,
        F: Future<Output = Result<bool, sqlx::Error>> + Send,
    {
        let lost = Arc::new(AtomicBool::new(false));
        let flag = lost.clone();
        let renewal = tokio::spawn(async move {
            loop {
                tokio::time::sleep(renew_every(seconds)).await;
                match renew().await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(%what, "the lease was lost: another worker has it");
                        flag.store(true, Ordering::SeqCst);
                        return;
                    }
                    Err(error) => tracing::warn!(%error, %what, "cannot renew a lease"),
                }
            }
        });
        Self { lost, renewal }
    }

    /// The flag renewal raises when the lease is lost (a stopping worker raises it too).
    pub fn lost(&self) -> Arc<AtomicBool> {
        self.lost.clone()
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.renewal.abort();
    }
}
