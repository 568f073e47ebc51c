//! Portal sessions: an opaque random id in an HttpOnly cookie (or an app's bearer token); the
//! database keeps its digest, who signed in, and (in the vault) their tokens. Sessions end
//! after an idle period and an absolute lifetime.

use super::bearer;
use crate::{PortalError, PortalState};
use actix_web::HttpRequest;
use actix_web::cookie::Cookie;
use mrdp_service::clock::UnixTime;
use mrdp_service::cookies::{removal_cookie, session_cookie};
use mrdp_service::secrets::{digest, random_token};
use mrdp_service::store::Store;
use sqlx::FromRow;

pub const SESSION_COOKIE: &str = "mrdp_session";

/// How long sessions last, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLifetimes {
    /// A session unused this long ends.
    pub idle: i64,
    /// No session lasts longer than this.
    pub absolute: i64,
}

impl Default for SessionLifetimes {
    fn default() -> Self {
        Self {
            idle: 2 * 3600,
            absolute: 12 * 3600,
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct Session {
    pub id_hash: String,
    pub identity_id: String,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
    /// The ids of the researcher's groups at sign-in, space-separated.
    group_ids: String,
    /// When it started (Unix seconds).
    pub(crate) created_at: i64,
}

impl Session {
    #[cfg(test)]
    pub(crate) fn for_tests(id_hash: &str, created_at: i64) -> Self {
        Self {
            id_hash: id_hash.to_owned(),
            identity_id: "i".into(),
            username: "u".into(),
            name: "n".into(),
            email: None,
            organization: None,
            group_ids: String::new(),
            created_at,
        }
    }

    /// The ids of the groups the researcher belonged to at sign-in.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.group_ids.split_whitespace()
    }
}

/// Who signs in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub identity_id: String,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
    /// The ids of the groups they belong to.
    pub groups: Vec<String>,
}

/// Starts a new session (a new id every sign-in); returns the cookie value and the id's digest.
pub async fn create(
    store: &Store,
    who: &SignedIn,
    now: UnixTime,
) -> Result<(String, String), sqlx::Error> {
    let id = random_token();
    let id_hash = digest(&id);
    create_with_id(store, &id_hash, who, now).await?;
    Ok((id, id_hash))
}

/// Starts a session under the digest of its id (a cookie's, or a bearer token's).
pub async fn create_with_id(
    store: &Store,
    id_hash: &str,
    who: &SignedIn,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, identity_id, username, name, email, organization, group_ids, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(id_hash)
    .bind(&who.identity_id)
    .bind(&who.username)
    .bind(&who.name)
    .bind(&who.email)
    .bind(&who.organization)
    .bind(who.groups.join(" "))
    .bind(now)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// The request's live session, touched: a bearer token's (see [`bearer`]) when
/// the request sends one, else the session cookie's; `None` without either, or past a lifetime.
pub async fn current(
    req: &HttpRequest,
    state: &PortalState,
) -> Result<Option<Session>, PortalError> {
    if let Some(token) = bearer::presented(req.headers()) {
        return bearer::session(state, token).await.map(Some);
    }
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(live(state, &digest(cookie.value())).await?)
}

/// The session of `id_hash`, touched, unless past a lifetime. A session read a moment ago comes
/// from the portal's [`SessionCache`](super::session_cache::SessionCache).
pub async fn live(state: &PortalState, id_hash: &str) -> Result<Option<Session>, sqlx::Error> {
    let (store, now, lifetimes) = (&state.store, state.clock.now(), state.session_lifetimes);
    if let Some(session) = state.sessions.fresh(id_hash, now, lifetimes) {
        return Ok(Some(session));
    }
    let touched = sqlx::query(
        "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND last_seen_at > $3 AND created_at > $4",
    )
    .bind(now)
    .bind(id_hash)
    .bind(now - lifetimes.idle)
    .bind(now - lifetimes.absolute)
    .execute(store.pool())
    .await?;
    if touched.rows_affected() == 0 {
        state.sessions.forget(id_hash);
        return Ok(None);
    }
    let session: Option<Session> = sqlx::query_as(
        "SELECT id_hash, identity_id, username, name, email, organization, group_ids, created_at \
         FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(store.pool())
    .await?;
    if let Some(session) = &session {
        state.sessions.remember(session, now);
    }
    Ok(session)
}

/// The request's live session, or [`PortalError::Unauthenticated`].
pub async fn required(req: &HttpRequest, state: &PortalState) -> Result<Session, PortalError> {
    current(req, state)
        .await?
        .ok_or(PortalError::Unauthenticated)
}

/// Ends a session: its tokens, its row, and what this portal remembers of it.
pub async fn delete(state: &PortalState, id_hash: &str) -> Result<(), sqlx::Error> {
    state.sessions.forget(id_hash);
    let store = &state.store;
    sqlx::query("DELETE FROM vault_tokens WHERE session_hash = $1")
        .bind(id_hash)
        .execute(store.pool())
        .await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The session cookie (HttpOnly, SameSite=Lax, Secure over https), for the browser session.
pub fn cookie(value: String, secure: bool) -> Cookie<'static> {
    session_cookie(SESSION_COOKIE, value, secure, None)
}

pub fn removal(secure: bool) -> Cookie<'static> {
    removal_cookie(SESSION_COOKIE, secure)
}
