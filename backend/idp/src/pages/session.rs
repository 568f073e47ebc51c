//! The identity provider's sign-in session: a random id in an HttpOnly cookie of its own
//! (distinct from the portal's), stored as a digest with a CSRF token for the session's forms.

use crate::secret::{digest, random_token};
use actix_web::HttpRequest;
use actix_web::cookie::Cookie;
use mrdp_service::clock::UnixTime;
use mrdp_service::cookies::{removal_cookie, session_cookie};
use mrdp_service::store::Store;
use sqlx::{AnyConnection, FromRow};

pub const SESSION_COOKIE: &str = "mrdp_idp_session";
/// How long a sign-in lasts.
pub const SESSION_LIFETIME: i64 = 8 * 3600;

/// A signed-in browser.
#[derive(Debug, Clone, FromRow)]
pub struct BrowserSession {
    pub hash: String,
    pub identity_id: String,
    /// Echoed by the session's forms (consent).
    pub csrf: String,
}

/// Starts a session for `identity_id`; returns the cookie value (the only clear copy).
pub async fn start(store: &Store, identity_id: &str, now: UnixTime) -> Result<String, sqlx::Error> {
    let token = random_token();
    sqlx::query("INSERT INTO browser_sessions (hash, identity_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(digest(&token))
        .bind(identity_id)
        .bind(random_token())
        .bind(now)
        .bind(now + SESSION_LIFETIME)
        .execute(store.pool())
        .await?;
    Ok(token)
}

/// The request's live session, if its cookie names one.
pub async fn current(
    req: &HttpRequest,
    store: &Store,
    now: UnixTime,
) -> Result<Option<BrowserSession>, sqlx::Error> {
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    // A disabled account has no session, even one its disabling did not end.
    sqlx::query_as(
        "SELECT s.hash, s.identity_id, s.csrf FROM browser_sessions s \
         JOIN users u ON u.identity_id = s.identity_id \
         WHERE s.hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
    )
    .bind(digest(cookie.value()))
    .bind(now)
    .fetch_optional(store.pool())
    .await
}

pub async fn end(store: &Store, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM browser_sessions WHERE hash = $1")
        .bind(hash)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Ends every session of an identity (its password changed, or it was disabled).
pub async fn end_all(conn: &mut AnyConnection, identity_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM browser_sessions WHERE identity_id = $1")
        .bind(identity_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes the sessions that ended by `now`; returns how many.
pub async fn purge(store: &Store, now: UnixTime) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM browser_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected())
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when the issuer is https.
pub fn cookie(value: String, secure: bool) -> Cookie<'static> {
    session_cookie(SESSION_COOKIE, value, secure, Some(SESSION_LIFETIME))
}

/// A cookie that deletes the session cookie.
pub fn removal(secure: bool) -> Cookie<'static> {
    removal_cookie(SESSION_COOKIE, secure)
}
