//! Forgetting what has expired, on a schedule started with the service: sign-in sessions,
//! authorization codes, tokens and old sign-in failures would otherwise pile up for ever.

use crate::IdpState;
use crate::pages::{session, throttle};
use crate::{codes, tokens};
use mrdp_service::clock::{SharedClock, UnixTime};
use mrdp_service::store::Store;
use std::time::Duration;

/// How often a running identity provider purges.
pub const PURGE_EVERY: Duration = Duration::from_secs(600);

/// What one pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub codes: u64,
    pub tokens: u64,
    pub login_failures: u64,
}

/// Removes what can no longer be used, nor matter, at `now`: sign-in sessions past their end;
/// codes past their minute, but a spent one only once its grant has no live token left (presenting
/// it again revokes them); tokens past their expiry, revoked or replaced ones too, not before (a
/// replaced refresh token presented again revokes its grant); sign-in failures out of the
/// throttling window.
pub async fn purge_expired(store: &Store, now: UnixTime) -> Result<Purged, sqlx::Error> {
    Ok(Purged {
        sessions: session::purge(store, now).await?,
        codes: codes::purge(store, now).await?,
        tokens: tokens::purge(store, now).await?,
        login_failures: throttle::purge(store, now).await?,
    })
}

/// Purges at once, then again `every` after each pass.
#[derive(Debug)]
pub struct PurgeSchedule {
    store: Store,
    clock: SharedClock,
    every: Duration,
    next: Option<tokio::time::Instant>,
}

impl PurgeSchedule {
    pub fn new(state: &IdpState, every: Duration) -> Self {
        Self {
            store: state.store.clone(),
            clock: state.clock.clone(),
            every,
            next: None,
        }
    }

    /// Waits until the next pass is due (the first is due at once), and runs it.
    pub async fn next_pass(&mut self) -> Result<Purged, sqlx::Error> {
        if let Some(due) = self.next {
            tokio::time::sleep_until(due).await;
        }
        let purged = purge_expired(&self.store, self.clock.now()).await;
        self.next = Some(tokio::time::Instant::now() + self.every);
        purged
    }

    /// Runs every pass, for as long as the service runs.
    pub async fn run(mut self) {
        loop {
            match self.next_pass().await {
                Ok(purged) if purged == Purged::default() => {}
                Ok(purged) => tracing::info!(?purged, "expired sign-ins, codes and tokens purged"),
                Err(error) => tracing::warn!(%error, "cannot purge what has expired"),
            }
        }
    }
}
