//! Rate limits of the API: per caller (a bearer token, or a session cookie) and per address, each
//! a GCRA limiter (the `governor` crate) that allows a burst and then a steady rate. A request
//! over either is `429 {"code": "rate_limited"}` with `Retry-After` (whole seconds) and is not
//! handled. Limiters read the portal's clock, so tests move time instead of waiting.
//!
//! The address is the connection's peer: behind a reverse proxy every request shares the
//! proxy's, so raise `per_address` there (or set it to 0) and rely on the per-caller limit.

use crate::auth::bearer;
use crate::auth::session::SESSION_COOKIE;
use crate::error::refusal;
use crate::{PortalError, PortalState};
use actix_web::body::EitherBody;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use governor::clock::Clock as LimiterClock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};
use mrdp_service::clock::SharedClock;
use mrdp_service::secrets::digest;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How fast callers may go, in requests a second on average (0: no limit), and how many
/// seconds' worth of requests may come at once (`[portal.rate_limit]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitSettings {
    pub per_caller: u32,
    pub per_address: u32,
    pub burst_seconds: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            per_caller: 50,
            per_address: 200,
            burst_seconds: 4,
        }
    }
}

/// Checks after which keys not seen lately are forgotten.
const FORGET_EVERY: u64 = 4096;

/// The limiter's view of the portal's clock.
#[derive(Debug, Clone)]
struct PortalTime(SharedClock);

impl LimiterClock for PortalTime {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.0.since_epoch()
    }
}

type Keyed<K> = RateLimiter<K, HashMapStateStore<K>, PortalTime, NoOpMiddleware<Duration>>;

/// The API's limiters.
#[derive(Debug)]
pub struct RateLimits {
    per_caller: Option<Keyed<String>>,
    per_address: Option<Keyed<IpAddr>>,
    clock: SharedClock,
    checks: AtomicU64,
}

fn limiter<K: Hash + Eq + Clone>(
    per_second: u32,
    burst_seconds: u32,
    clock: &SharedClock,
) -> Option<Keyed<K>> {
    let rate = NonZeroU32::new(per_second)?;
    let burst = NonZeroU32::new(per_second.saturating_mul(burst_seconds)).unwrap_or(rate);
    let quota = Quota::per_second(rate).allow_burst(burst);
    Some(RateLimiter::new(
        quota,
        HashMapStateStore::default(),
        PortalTime(clock.clone()),
    ))
}

impl RateLimits {
    pub fn new(settings: RateLimitSettings, clock: SharedClock) -> Self {
        Self {
            per_caller: limiter(settings.per_caller, settings.burst_seconds, &clock),
            per_address: limiter(settings.per_address, settings.burst_seconds, &clock),
            clock,
            checks: AtomicU64::new(0),
        }
    }

    /// `Err(wait)` when the caller or the address is over its limit.
    fn check(&self, caller: Option<String>, address: Option<IpAddr>) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.forget_idle();
        }
        let now = self.clock.since_epoch();
        if let (Some(limiter), Some(address)) = (&self.per_address, address) {
            limiter
                .check_key(&address)
                .map_err(|late| late.wait_time_from(now))?;
        }
        if let (Some(limiter), Some(caller)) = (&self.per_caller, caller) {
            limiter
                .check_key(&caller)
                .map_err(|late| late.wait_time_from(now))?;
        }
        Ok(())
    }

    fn forget_idle(&self) {
        if let Some(limiter) = &self.per_caller {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Some(limiter) = &self.per_address {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Who is calling, as far as limits go: the digest of the bearer token or session cookie.
fn caller_of(req: &ServiceRequest) -> Option<String> {
    if let Some(token) = bearer::presented(req.headers()) {
        return Some(digest(token));
    }
    req.cookie(SESSION_COOKIE)
        .map(|cookie| digest(cookie.value()))
}

/// The middleware of the `/api` scope.
pub async fn limit(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if let Some(state) = req.app_data::<web::Data<PortalState>>() {
        let limits = &state.rate_limits;
        let address = mrdp_service::forwarded::client_address(req.request());
        if let Err(wait) = limits.check(caller_of(&req), address) {
            // Whole seconds, rounded up: a client that waits this long is let through.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            return Ok(refusal(req, &PortalError::RateLimited(seconds.max(1))));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrdp_service::testing::ManualClock;
    use std::sync::Arc;

    fn limits(settings: RateLimitSettings) -> (RateLimits, ManualClock) {
        let clock = ManualClock::starting_at(1_000_000);
        (RateLimits::new(settings, Arc::new(clock.clone())), clock)
    }

    #[test]
    fn a_caller_gets_its_burst_then_waits_for_the_steady_rate() {
        let settings = RateLimitSettings {
            per_caller: 2,
            per_address: 0,
            burst_seconds: 3,
        };
        let (limits, clock) = limits(settings);
        let alice = || Some("alice".to_owned());
        for _ in 0..6 {
            assert_eq!(limits.check(alice(), None), Ok(()));
        }
        let wait = limits.check(alice(), None).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(
            limits.check(Some("bob".into()), None),
            Ok(()),
            "bob has his own"
        );
        clock.advance(1);
        assert_eq!(limits.check(alice(), None), Ok(()));
        assert_eq!(limits.check(alice(), None), Ok(()));
        assert!(limits.check(alice(), None).is_err());
    }

    #[test]
    fn an_address_is_limited_whoever_calls_from_it_and_zero_means_no_limit() {
        let settings = RateLimitSettings {
            per_caller: 0,
            per_address: 1,
            burst_seconds: 1,
        };
        let (limits, _) = limits(settings);
        let here: IpAddr = [127, 0, 0, 1].into();
        assert_eq!(limits.check(Some("a".into()), Some(here)), Ok(()));
        assert!(limits.check(Some("b".into()), Some(here)).is_err());
        assert_eq!(limits.check(None, Some([10, 0, 0, 1].into())), Ok(()));
        for _ in 0..100 {
            assert_eq!(limits.check(Some("a".into()), None), Ok(()));
        }
    }
}
