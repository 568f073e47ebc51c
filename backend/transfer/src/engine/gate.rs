//! A gate the engine passes before each piece of work: a file or a batch of files to copy, a
//! directory to walk, a path to delete. Open in a deployment; a test holds it to have a task stop
//! between two pieces of work at a point it chooses (the rules changed, the service killed),
//! rather than hoping a task is still running when it acts.

use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Debug, Clone, Default)]
pub struct Gate(Option<Arc<Semaphore>>);

impl Gate {
    /// A gate that lets one piece of work through for each permit added to `permits`.
    #[cfg(feature = "testing")]
    pub fn held(permits: Arc<Semaphore>) -> Self {
        Self(Some(permits))
    }

    /// Waits until the gate lets the next piece of work through.
    pub(super) async fn pass(&self) {
        if let Some(permits) = &self.0
            && let Ok(permit) = permits.acquire().await
        {
            permit.forget();
        }
    }
}
