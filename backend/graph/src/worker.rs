//! The worker: takes queued jobs (and running ones whose worker stopped: their lease ran out) and
//! carries them out, up to the configured number at once, beside the workers of other processes on
//! the same database (`mrdp graph --worker`); and the purge of expired results.

use crate::jobs;
use crate::service::GraphService;
use mrdp_service::lease::Held;
use std::time::Duration;
use tokio::task::JoinSet;

/// How long the worker waits when nobody wakes it before it looks for jobs again.
const IDLE: Duration = Duration::from_secs(2);
/// How often expired results are looked for.
pub const PURGE_EVERY: Duration = Duration::from_secs(600);

impl GraphService {
    /// Runs jobs for as long as the service runs (nothing with `workers = 0`): claims jobs nobody
    /// holds, up to `workers` at once, each under a lease renewed while it runs.
    pub async fn work(self) {
        let workers = self.settings.workers;
        if workers == 0 {
            return;
        }
        if self.store.backend() == mrdp_shared::StoreBackend::Sqlite
            && let Err(error) = jobs::LEASES.release(&self.store, None).await
        {
            tracing::error!(%error, "cannot take back the graph jobs of the process before");
        }
        let mut running: JoinSet<()> = JoinSet::new();
        loop {
            let woken = self.wake.notified();
            while running.try_join_next().is_some() {}
            while running.len() < workers {
                let lease = (self.clock.now(), self.settings.lease_seconds);
                match jobs::LEASES
                    .claim_next(&self.store, &self.worker, lease)
                    .await
                {
                    Ok(Some(id)) => {
                        running.spawn(self.clone().carry_out_claimed(id));
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::error!(%error, "a graph job could not be claimed");
                        break;
                    }
                }
            }
            tokio::select! {
                () = woken => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
                () = tokio::time::sleep(IDLE) => {}
            }
        }
    }

    /// Carries out job `id`, claimed, renewing its lease meanwhile.
    async fn carry_out_claimed(self, id: String) {
        let (store, clock, worker) = (self.store.clone(), self.clock.clone(), self.worker.clone());
        let (job, lease) = (id.clone(), self.settings.lease_seconds);
        let _held = Held::keep(lease, format!("graph job {id}"), move || {
            let (store, clock, worker, job) =
                (store.clone(), clock.clone(), worker.clone(), job.clone());
            async move {
                let held = (worker.as_ref(), lease);
                jobs::LEASES.renew(&store, &job, held, clock.now()).await
            }
        });
        let job = match jobs::find(&self.store, &id).await {
            Ok(Some(job)) => job,
            Ok(None) => return,
            Err(error) => {
                tracing::error!(%error, job = %id, "a graph job could not be read");
                return;
            }
        };
        if let Err(error) = self.carry_out(&job).await {
            tracing::error!(%error, job = %id, "a graph job's end could not be recorded");
            let _ = jobs::LEASES.let_go(&self.store, &id, &self.worker).await;
        }
    }

    /// Gives up the leases of the jobs this process's worker holds, as it stops (its `work` must
    /// be stopped first), so that another worker takes them up at once.
    pub async fn give_up_jobs(&self) {
        if let Err(error) = jobs::LEASES.release(&self.store, Some(&self.worker)).await {
            tracing::warn!(%error, "cannot give up the graph worker's leases");
        }
    }

    /// Removes the jobs whose results expired, with their rules and files; how many.
    pub async fn purge_expired(&self) -> Result<usize, crate::results::ResultsError> {
        let mut removed = 0;
        for job in jobs::expired(&self.store, self.clock.now()).await? {
            if job.status() == mrdp_shared::GraphStatus::Running {
                continue;
            }
            crate::results::remove(self, &job).await?;
            removed += 1;
        }
        Ok(removed)
    }

    /// [`Self::purge_expired`] now and every `every`.
    pub async fn purge_every(self, every: Duration) {
        mrdp_service::periodic::repeat(every, "expired graph results purge", || {
            self.purge_expired()
        })
        .await;
    }
}
