//! The one place that reads the wall clock.
//!
//! Domain code takes a [`Clock`] so that expiry and lifetimes are tested with an injected time
//! (`testing::ManualClock`) instead of sleeping. `clippy.toml` forbids `SystemTime::now` elsewhere.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, as stored in the databases.
pub type UnixTime = i64;

pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> UnixTime;
}

/// A clock shared by the handlers of a service.
pub type SharedClock = Arc<dyn Clock>;

/// The real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "the one wall-clock read of the code base"
    )]
    fn now(&self) -> UnixTime {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
            })
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
