//! Sign-ins and sessions past their lifetimes are removed on a schedule: anyone can start a
//! sign-in and leave it, and most sessions end by expiry rather than by signing out. So are the
//! idempotency keys of transfer submissions, once a retry of them is no longer to be expected.

use super::session::SessionLifetimes;
use crate::PortalState;
use mrdp_service::clock::UnixTime;
use mrdp_service::periodic;
use mrdp_service::store::Store;
use std::time::Duration;

/// How often a running portal purges.
pub const PURGE_EVERY: Duration = Duration::from_secs(600);

/// How long a submission's `Idempotency-Key` is kept: a retry comes within it.
pub const SUBMISSION_KEYS_KEPT: i64 = 24 * 3600;

/// What one purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sign_ins: u64,
    pub sessions: u64,
    pub submission_keys: u64,
}

/// Removes the sign-ins expired at `now`, the sessions past a lifetime (with their tokens) and
/// the submission keys older than [`SUBMISSION_KEYS_KEPT`].
pub async fn purge_expired(
    store: &Store,
    now: UnixTime,
    lifetimes: SessionLifetimes,
) -> Result<Purged, sqlx::Error> {
    let sign_ins = sqlx::query("DELETE FROM login_requests WHERE expires_at <= $1")
        .bind(now)
        .execute(store.pool())
        .await?
        .rows_affected();
    // The complement of what `session::current` accepts; the vault's rows go with their session.
    let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(now - lifetimes.idle)
        .bind(now - lifetimes.absolute)
        .execute(store.pool())
        .await?
        .rows_affected();
    let submission_keys = sqlx::query("DELETE FROM transfer_submissions WHERE created_at <= $1")
        .bind(now - SUBMISSION_KEYS_KEPT)
        .execute(store.pool())
        .await?
        .rows_affected();
    Ok(Purged {
        sign_ins,
        sessions,
        submission_keys,
    })
}

impl PortalState {
    /// Purges now and `every` after each pass, for as long as the portal runs.
    pub async fn purge_expired_every(self, every: Duration) {
        let portal = &self;
        periodic::repeat(
            every,
            "expired sign-ins, sessions and submission keys removed",
            move || purge_expired(&portal.store, portal.clock.now(), portal.session_lifetimes),
        )
        .await;
    }
}
