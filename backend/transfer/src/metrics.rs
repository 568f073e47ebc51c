//! The transfer service's own metrics (beside the HTTP requests and the store's pool every
//! service has): tasks by status, the files and bytes the engine settled, and the copy rate of the
//! running tasks, all under `mrdp_transfer_`.

use crate::task_files::Settled;
use mrdp_service::clock::SharedClock;
use mrdp_service::metrics::{Labels, Metrics};
use mrdp_service::store::Store;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;

/// What the engine moved, counted as files settle.
#[derive(Debug, Clone, Default)]
pub struct Moved {
    files: Family<Labels, Counter>,
    bytes: Counter,
}

impl Moved {
    /// Files settled `how`, with the bytes each copied.
    pub fn settled(&self, how: Settled, bytes: impl Iterator<Item = u64>) {
        let outcome = match how {
            Settled::Copied => "copied",
            Settled::Skipped => "skipped",
            Settled::Failed(_) => "failed",
        };
        let (mut files, mut moved) = (0, 0);
        for size in bytes {
            files += 1;
            moved += size;
        }
        self.files
            .get_or_create(&vec![("outcome", outcome.to_owned())])
            .inc_by(files);
        self.bytes.inc_by(moved);
    }
}

/// Registers the transfer service's metrics: `moved` as the engine counts it, tasks by status
/// and the running tasks' copy rate read from `store` when scraped.
pub fn register(metrics: &Metrics, moved: &Moved, store: Store, clock: SharedClock) {
    metrics.register(
        "transfer_files",
        "Files the engine settled, by outcome (copied, skipped, failed)",
        moved.files.clone(),
    );
    metrics.register(
        "transfer_bytes",
        "Bytes the engine copied (durable at their destination)",
        moved.bytes.clone(),
    );
    let tasks = Family::<Labels, Gauge>::default();
    metrics.register(
        "transfer_tasks",
        "Tasks in the store, by status",
        tasks.clone(),
    );
    let rate = Gauge::<i64>::default();
    metrics.register(
        "transfer_copy_rate_bytes_per_second",
        "The running tasks' bytes moved (in flight included) over their time since submission, summed",
        rate.clone(),
    );
    metrics.on_scrape(move || {
        let (tasks, rate, store, clock) =
            (tasks.clone(), rate.clone(), store.clone(), clock.clone());
        async move {
            if let Err(error) = read(&store, clock.now(), (&tasks, &rate)).await {
                tracing::warn!(%error, "cannot read the tasks for the metrics");
            }
        }
    });
}

async fn read(
    store: &Store,
    now: i64,
    (tasks, rate): (&Family<Labels, Gauge>, &Gauge),
) -> Result<(), sqlx::Error> {
    let counted: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM tasks GROUP BY status")
            .fetch_all(store.pool())
            .await?;
    for status in ["ACTIVE", "INACTIVE", "SUCCEEDED", "FAILED"] {
        let count = counted
            .iter()
            .find(|(found, _)| found == status)
            .map_or(0, |(_, count)| *count);
        tasks
            .get_or_create(&vec![("status", status.to_owned())])
            .set(count);
    }
    let running: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT bytes_transferred + bytes_in_flight, request_time FROM tasks WHERE status = 'ACTIVE'",
    )
    .fetch_all(store.pool())
    .await?;
    rate.set(
        running
            .iter()
            .map(|(bytes, since)| bytes / (now - since).max(1))
            .sum(),
    );
    Ok(())
}
