//! The lease an engine holds on a task while it carries it out, renewed in the background; once
//! renewal finds it gone (another engine took the task after it ran out), the work stops at its
//! next step and the task is left to that engine.

use super::Engine;
use crate::leases;
use crate::tasks;
use mrdp_service::lease::Held;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

impl Engine {
    /// Carries out the task `id`, claimed, in the background, renewing its lease meanwhile.
    pub(super) async fn take_up(&self, id: String) {
        let (store, clock, worker) = (self.store.clone(), self.clock.clone(), self.worker.clone());
        let (task, lease) = (id.clone(), self.lease_seconds);
        let held = Held::keep(lease, format!("task {id}"), move || {
            let (store, clock, worker, task) =
                (store.clone(), clock.clone(), worker.clone(), task.clone());
            async move {
                leases::TASKS
                    .renew(&store, &task, (&worker, lease), clock.now())
                    .await
            }
        });
        let fresh = match self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(id.clone())
        {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(held.lost());
                true
            }
        };
        match tasks::find(&self.store, &id).await {
            Ok(Some(task)) if fresh => {
                let engine = self.clone();
                tokio::spawn(async move {
                    engine.carry_out(task).await;
                    drop(held);
                });
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, task = %id, "cannot read a claimed task"),
        }
    }

    /// Whether the engine lost the lease of the task it carries out.
    pub(super) fn lease_lost(&self, id: &str) -> bool {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id)
            .is_some_and(|lost| lost.load(Ordering::SeqCst))
    }

    /// How many tasks the engine carries out now.
    pub(super) fn carrying(&self) -> usize {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Stops gracefully: every task it carries out stops at its next step (recording no end),
    /// and once they have stopped (or after `patience`) their leases are given up, so that
    /// another engine takes them up at once. The engine's `run` must be stopped (aborted) too.
    pub async fn stop(&self, patience: std::time::Duration) {
        let flags: Vec<Arc<AtomicBool>> = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for lost in flags {
            lost.store(true, Ordering::SeqCst);
        }
        let deadline = tokio::time::Instant::now() + patience;
        while self.carrying() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        if let Err(error) = leases::TASKS.release(&self.store, Some(&self.worker)).await {
            tracing::warn!(%error, "cannot give up the engine's leases");
        }
    }
}
