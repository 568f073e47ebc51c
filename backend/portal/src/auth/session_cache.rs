//! Sessions this portal read from the store a moment ago, so that a researcher's requests do not
//! each cost a database round trip (two, with the touch that keeps the session alive).
//!
//! - A session read less than [`FRESH_FOR`] seconds ago is taken from here, its lifetimes checked
//!   again; its `last_seen_at` is written back at most every [`TOUCH_EVERY`] seconds, so a
//!   session may end up to that much before its idle lifetime.
//! - A session this portal ends (sign-out, a new sign-in) is forgotten at once. One ended by
//!   another replica sharing the store is still taken from here for at most [`FRESH_FOR`]
//!   seconds.
//! - A complete profile stays complete (every change is validated whole), so it is remembered.

use super::session::{Session, SessionLifetimes};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Seconds a session read from the store is used without reading it again.
pub const FRESH_FOR: i64 = 5;
/// Seconds between two writes of a session's `last_seen_at`.
pub const TOUCH_EVERY: i64 = 60;
/// Sessions (and complete profiles) remembered at most; past it, the cache starts again empty.
const MOST: usize = 100_000;

#[derive(Debug, Clone)]
struct Remembered {
    session: Session,
    last_seen_at: i64,
    read_at: i64,
}

#[derive(Debug, Default)]
pub struct SessionCache {
    sessions: Mutex<HashMap<String, Remembered>>,
    complete_profiles: Mutex<HashSet<String>>,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SessionCache {
    /// The session of `id_hash` when it was read recently, is still within its lifetimes and
    /// needs no touch.
    pub fn fresh(&self, id_hash: &str, now: i64, lifetimes: SessionLifetimes) -> Option<Session> {
        let sessions = locked(&self.sessions);
        let remembered = sessions.get(id_hash)?;
        let usable = now - remembered.read_at < FRESH_FOR
            && now - remembered.last_seen_at < TOUCH_EVERY
            && remembered.last_seen_at > now - lifetimes.idle
            && remembered.session.created_at > now - lifetimes.absolute;
        usable.then(|| remembered.session.clone())
    }

    /// Remembers a session just read (and touched) at `now`.
    pub fn remember(&self, session: &Session, now: i64) {
        let mut sessions = locked(&self.sessions);
        if sessions.len() >= MOST {
            sessions.clear();
        }
        let remembered = Remembered {
            session: session.clone(),
            last_seen_at: now,
            read_at: now,
        };
        sessions.insert(session.id_hash.clone(), remembered);
    }

    pub fn forget(&self, id_hash: &str) {
        locked(&self.sessions).remove(id_hash);
    }

    pub fn profile_is_complete(&self, identity_id: &str) -> bool {
        locked(&self.complete_profiles).contains(identity_id)
    }

    pub fn remember_complete_profile(&self, identity_id: &str) {
        let mut complete = locked(&self.complete_profiles);
        if complete.len() >= MOST {
            complete.clear();
        }
        complete.insert(identity_id.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(created_at: i64) -> Session {
        Session::for_tests("h", created_at)
    }

    #[test]
    fn a_session_is_taken_from_here_only_while_fresh_and_alive() {
        let lifetimes = SessionLifetimes {
            idle: 100,
            absolute: 1000,
        };
        let cache = SessionCache::default();
        cache.remember(&session(0), 10);
        assert!(cache.fresh("h", 10 + FRESH_FOR - 1, lifetimes).is_some());
        assert!(
            cache.fresh("h", 10 + FRESH_FOR, lifetimes).is_none(),
            "read again"
        );
        cache.remember(&session(0), 998);
        assert!(
            cache.fresh("h", 1000, lifetimes).is_none(),
            "past its absolute lifetime"
        );
        cache.remember(&session(0), 500);
        cache.forget("h");
        assert!(cache.fresh("h", 500, lifetimes).is_none(), "ended here");
    }
}
