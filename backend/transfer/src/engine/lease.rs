//! The lease an engine holds on a task while it carries it out, renewed in the background; once
//! renewal finds it gone (another engine took the task after it ran out), the work stops at its
//! next step and the task is left to that engine.

use crate::leases::{self, RENEW_EVERY};
use mrdp_service::clock::SharedClock;
use mrdp_service::store::Store;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::task::JoinHandle;

/// A held lease: renewed until dropped.
#[derive(Debug)]
pub(super) struct Held {
    lost: Arc<AtomicBool>,
    renewal: JoinHandle<()>,
}

impl Held {
    /// Renews `worker`'s lease on task `id` every [`RENEW_EVERY`] until dropped.
    pub(super) fn keep(store: Store, id: String, worker: Arc<str>, clock: SharedClock) -> Self {
        let lost = Arc::new(AtomicBool::new(false));
        let flag = lost.clone();
        let renewal = tokio::spawn(async move {
            loop {
                tokio::time::sleep(RENEW_EVERY).await;
                match leases::renew(&store, &id, &worker, clock.now()).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(task = %id, "the task's lease was lost: another engine has it");
                        flag.store(true, Ordering::SeqCst);
                        return;
                    }
                    // Tried again next time; the lease holds a while yet.
                    Err(error) => tracing::warn!(%error, task = %id, "cannot renew a lease"),
                }
            }
        });
        Self { lost, renewal }
    }

    /// The flag renewal raises when the lease is lost.
    pub(super) fn lost(&self) -> Arc<AtomicBool> {
        self.lost.clone()
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.renewal.abort();
    }
}
