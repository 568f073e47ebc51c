//! What a running transfer task shares with its copies: the bytes of files still being copied
//! (so that progress moves during a large file) and whether the owner asked to cancel (so that a
//! copy stops between two blocks, not at the end of its file).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct TaskWatch {
    in_flight: AtomicU64,
    canceled: AtomicBool,
    /// Held while the in-flight bytes are written to the store, so that a finished file's bytes
    /// are never counted both as transferred and as in flight.
    pub books: tokio::sync::Mutex<()>,
}

impl TaskWatch {
    pub fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::Relaxed)
    }

    pub fn cancel(&self) {
        self.canceled.store(true, Ordering::Relaxed);
    }

    pub fn canceled(&self) -> bool {
        self.canceled.load(Ordering::Relaxed)
    }
}

/// One attempt at copying a file: the bytes it counted into its task's in-flight bytes, taken
/// back when it ends (the file's bytes then count as transferred, or not at all).
#[derive(Debug)]
pub struct Attempt {
    watch: Arc<TaskWatch>,
    counted: AtomicU64,
}

impl Attempt {
    pub fn new(watch: &Arc<TaskWatch>) -> Self {
        Self {
            watch: Arc::clone(watch),
            counted: AtomicU64::new(0),
        }
    }

    pub fn count(&self, bytes: u64) {
        self.counted.fetch_add(bytes, Ordering::Relaxed);
        self.watch.in_flight.fetch_add(bytes, Ordering::Relaxed);
    }

    pub fn canceled(&self) -> bool {
        self.watch.canceled()
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        let counted = self.counted.load(Ordering::Relaxed);
        self.watch.in_flight.fetch_sub(counted, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attempt_takes_back_what_it_counted() {
        let watch = Arc::new(TaskWatch::default());
        let first = Attempt::new(&watch);
        let second = Attempt::new(&watch);
        first.count(10);
        second.count(5);
        first.count(1);
        assert_eq!(watch.in_flight(), 16);
        drop(first);
        assert_eq!(watch.in_flight(), 5);
        assert!(!second.canceled());
        watch.cancel();
        assert!(second.canceled());
    }
}
