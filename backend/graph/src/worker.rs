//! The worker: takes queued jobs (and running ones whose worker stopped: their lease ran out) and
//! carries them out, up to the configured number at once; and the purge of expired results.

use crate::jobs;
use crate::service::GraphService;
use std::time::Duration;
use tokio::task::JoinSet;

/// How long the worker waits when nobody wakes it before it looks for jobs again.
const IDLE: Duration = Duration::from_secs(2);
/// How often expired results are looked for.
pub const PURGE_EVERY: Duration = Duration::from_secs(600);

impl GraphService {
    /// Runs jobs for as long as the service runs (nothing with `workers = 0`).
    pub async fn work(self) {
        let workers = self.settings.workers;
        if workers == 0 {
            return;
        }
        let mut running: JoinSet<()> = JoinSet::new();
        loop {
            let woken = self.wake.notified();
            while running.try_join_next().is_some() {}
            if running.len() < workers {
                match jobs::claimable(&self.store, self.clock.now()).await {
                    Ok(ids) => {
                        for id in ids {
                            if running.len() >= workers {
                                break;
                            }
                            self.take(&id, &mut running).await;
                        }
                    }
                    Err(error) => tracing::error!(%error, "graph jobs could not be listed"),
                }
            }
            tokio::select! {
                () = woken => {}
                Some(_) = running.join_next(), if !running.is_empty() => {}
                () = tokio::time::sleep(IDLE) => {}
            }
        }
    }

    /// Claims job `id` and runs it in `running`, if no other worker holds it.
    async fn take(&self, id: &str, running: &mut JoinSet<()>) {
        let now = self.clock.now();
        match jobs::claim(&self.store, id, now).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::error!(%error, job = %id, "a graph job could not be claimed");
                return;
            }
        }
        let service = self.clone();
        let id = id.to_owned();
        running.spawn(async move {
            let job = match jobs::find(&service.store, &id).await {
                Ok(Some(job)) => job,
                Ok(None) => return,
                Err(error) => {
                    tracing::error!(%error, job = %id, "a graph job could not be read");
                    return;
                }
            };
            if let Err(error) = service.carry_out(&job).await {
                tracing::error!(%error, job = %id, "a graph job's end could not be recorded");
                let _ = jobs::release(&service.store, &id).await;
            }
        });
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
