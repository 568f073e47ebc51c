//! Work a service repeats while it runs — purging what expired, sweeping what a crash left
//! behind: once when the service starts, then again a period after each pass. A pass that fails
//! is logged and tried again at the next; one that did something says what.

use std::fmt::{Debug, Display};
use std::time::Duration;
use tokio::time::Instant;

/// When the next pass is due: at once the first time, then `every` after each pass.
#[derive(Debug)]
pub struct Every {
    every: Duration,
    next: Option<Instant>,
}

impl Every {
    pub fn new(every: Duration) -> Self {
        Self { every, next: None }
    }

    /// Waits until the next pass is due.
    pub async fn due(&mut self) {
        if let Some(next) = self.next {
            tokio::time::sleep_until(next).await;
        }
        self.next = Some(Instant::now() + self.every);
    }
}

/// Runs `pass` now and `every` after each pass, for as long as the service runs. A pass answers
/// what it did (`T::default()`: nothing, which is not logged).
pub async fn repeat<T, E, F, Fut>(every: Duration, what: &'static str, mut pass: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    T: Debug + Default + PartialEq,
    E: Display,
{
    let mut schedule = Every::new(every);
    loop {
        schedule.due().await;
        match pass().await {
            Ok(done) if done == T::default() => {}
            Ok(done) => tracing::info!(?done, "{what}"),
            Err(error) => tracing::warn!(%error, "{what} failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_first_pass_is_due_at_once_and_the_next_a_period_later() {
        let mut schedule = Every::new(Duration::from_secs(600));
        let first = tokio::time::timeout(Duration::ZERO, schedule.due()).await;
        assert!(first.is_ok(), "the first pass is due at once");
        let second = tokio::time::timeout(Duration::ZERO, schedule.due()).await;
        assert!(second.is_err(), "the next pass is ten minutes away");
    }
}
