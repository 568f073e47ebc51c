//! Throttling of failed sign-ins, per account and per client address: after too many failures
//! in the window, sign-in is refused for that account (or address) until the window passes.
//!
//! An attempt is recorded as a failure before its password is checked, and counts itself: of any
//! number of attempts arriving together, each sees at least those recorded before it, so no more
//! than the limit get their password checked. A refused attempt stays a failure; a right password
//! takes its record back.

use crate::secret::random_token;
use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;

/// The window failures are counted in.
pub const WINDOW: i64 = 15 * 60;
const MAX_PER_ACCOUNT: i64 = 5;
const MAX_PER_ADDRESS: i64 = 20;

fn account(username: &str) -> String {
    format!("account:{username}")
}

fn address(ip: &str) -> String {
    format!("address:{ip}")
}

/// A sign-in attempt, already counted as a failure of its account and address.
#[derive(Debug)]
pub struct Attempt {
    id: String,
    username: String,
    /// More failures than allowed, this one included: the password must not be checked.
    pub blocked: bool,
}

async fn failures(store: &Store, subject: &str, now: UnixTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE subject = $1 AND failed_at > $2")
        .bind(subject)
        .bind(now - WINDOW)
        .fetch_one(store.pool())
        .await
}

/// Records an attempt as a failure, then tells whether the account or the address is over its
/// limit.
pub async fn attempt(
    store: &Store,
    username: &str,
    ip: &str,
    now: UnixTime,
) -> Result<Attempt, sqlx::Error> {
    let id = random_token();
    sqlx::query(
        "INSERT INTO login_failures (subject, failed_at, attempt) VALUES ($1, $3, $4), ($2, $3, $4)",
    )
    .bind(account(username))
    .bind(address(ip))
    .bind(now)
    .bind(&id)
    .execute(store.pool())
    .await?;
    let blocked = failures(store, &account(username), now).await? > MAX_PER_ACCOUNT
        || failures(store, &address(ip), now).await? > MAX_PER_ADDRESS;
    Ok(Attempt {
        id,
        username: username.to_owned(),
        blocked,
    })
}

/// The password was right: the attempt was no failure, and the account's failures are forgiven
/// (not the address's).
pub async fn succeeded(store: &Store, attempt: Attempt) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE attempt = $1 OR subject = $2")
        .bind(&attempt.id)
        .bind(account(&attempt.username))
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Removes the failures out of the window at `now`; returns how many.
pub async fn purge(store: &Store, now: UnixTime) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(now - WINDOW)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected())
}
