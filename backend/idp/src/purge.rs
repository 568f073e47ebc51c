//! Forgetting what has expired, on a schedule started with the service: sign-in sessions,
//! authorization codes, tokens and old sign-in failures would otherwise pile up for ever.

use crate::IdpState;
use crate::pages::{session, throttle};
use crate::{codes, tokens};
use mrdp_service::clock::UnixTime;
use mrdp_service::periodic;
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

/// Purges now and `every` after each pass, for as long as the identity provider runs.
pub async fn purge_every(state: IdpState, every: Duration) {
    let state = &state;
    periodic::repeat(
        every,
        "expired sign-ins, codes and tokens purged",
        move || purge_expired(&state.store, state.clock.now()),
    )
    .await;
}
