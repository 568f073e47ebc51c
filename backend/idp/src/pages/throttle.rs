//! Throttling of failed sign-ins, per account and per client address: after too many failures
//! in the window, sign-in is refused for that account (or address) until the window passes.

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

async fn failures(store: &Store, subject: &str, now: UnixTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE subject = $1 AND failed_at > $2")
        .bind(subject)
        .bind(now - WINDOW)
        .fetch_one(store.pool())
        .await
}

/// Whether sign-in is refused for this account or address right now.
pub async fn is_blocked(
    store: &Store,
    username: &str,
    ip: &str,
    now: UnixTime,
) -> Result<bool, sqlx::Error> {
    Ok(
        failures(store, &account(username), now).await? >= MAX_PER_ACCOUNT
            || failures(store, &address(ip), now).await? >= MAX_PER_ADDRESS,
    )
}

pub async fn record_failure(
    store: &Store,
    username: &str,
    ip: &str,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    for subject in [account(username), address(ip)] {
        sqlx::query("INSERT INTO login_failures (subject, failed_at) VALUES ($1, $2)")
            .bind(subject)
            .bind(now)
            .execute(store.pool())
            .await?;
    }
    sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
        .bind(now - WINDOW)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// A successful sign-in forgives the account's failures (not the address's).
pub async fn clear_account(store: &Store, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE subject = $1")
        .bind(account(username))
        .execute(store.pool())
        .await?;
    Ok(())
}
