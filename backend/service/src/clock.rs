//! The one place that reads the wall clock.
//!
//! Domain code takes a [`Clock`] so that expiry and lifetimes are tested with an injected time
//! (`testing::ManualClock`) instead of sleeping. `clippy.toml` forbids `SystemTime::now` elsewhere.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, as stored in the databases.
pub type UnixTime = i64;

pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> UnixTime;

    /// The time since the Unix epoch with the clock's full precision (for rate limits, which
    /// count in fractions of a second); a clock that counts whole seconds gives those.
    fn since_epoch(&self) -> Duration {
        Duration::from_secs(u64::try_from(self.now()).unwrap_or(0))
    }
}

/// A clock shared by the handlers of a service.
pub type SharedClock = Arc<dyn Clock>;

/// The real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UnixTime {
        i64::try_from(self.since_epoch().as_secs()).unwrap_or(i64::MAX)
    }

    #[expect(
        clippy::disallowed_methods,
        reason = "the one wall-clock read of the code base"
    )]
    fn since_epoch(&self) -> Duration {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_is_after_2025() {
        assert!(SystemClock.now() > 1_735_689_600);
    }
}
