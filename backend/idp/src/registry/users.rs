//! Local accounts: people who sign in at this identity provider with a password.

use super::identities::{IdentityKind, IdentityRow};
use crate::error::RegistryError;
use crate::pages::session;
use crate::{codes, password, tokens};
use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;
use sqlx::{AnyConnection, FromRow};

/// The domain of local usernames when none is given: `alice` is `alice@mrdp.local`.
pub const LOCAL_DOMAIN: &str = "mrdp.local";
/// The shortest password a person may choose.
pub const MIN_PASSWORD_LENGTH: usize = 12;

/// What creating a local account takes.
#[derive(Clone)]
pub struct NewUser {
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
    pub password: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// A local account as sign-in sees it.
#[derive(Debug, Clone)]
pub struct Account {
    pub identity: IdentityRow,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(FromRow)]
struct AccountRow {
    #[sqlx(flatten)]
    identity: IdentityRow,
    password_hash: String,
    disabled: i64,
}

/// `alice` → `alice@mrdp.local`; `alice@example.org` stays. Errors for anything else.
pub fn qualified_username(username: &str) -> Result<String, RegistryError> {
    let qualified = match username.split_once('@') {
        Some(_) => username.to_ascii_lowercase(),
        None => format!("{}@{LOCAL_DOMAIN}", username.to_ascii_lowercase()),
    };
    let (local, domain) = qualified.split_once('@').unwrap_or_default();
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c));
    let domain_ok = !domain.is_empty()
        && domain.len() <= 190
        && domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(qualified)
    } else {
        Err(RegistryError::Invalid(format!(
            "username `{username}`: use letters, digits and . _ - +, optionally @domain"
        )))
    }
}

fn check_password(password: &str) -> Result<(), RegistryError> {
    if password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(RegistryError::Invalid(format!(
            "a password has at least {MIN_PASSWORD_LENGTH} characters"
        )));
    }
    Ok(())
}

fn hash(password: &str) -> Result<String, RegistryError> {
    password::hash(password)
        .map_err(|e| RegistryError::Invalid(format!("cannot hash the password: {e}")))
}

/// Creates a local account and its identity.
pub async fn create(
    store: &Store,
    now: UnixTime,
    new: NewUser,
) -> Result<IdentityRow, RegistryError> {
    let username = qualified_username(&new.username)?;
    check_password(&new.password)?;
    if new.name.trim().is_empty() {
        return Err(RegistryError::Invalid("a user needs a name".into()));
    }
    if find(store, &username).await?.is_some() {
        return Err(RegistryError::Duplicate(format!("user {username}")));
    }
    let identity = IdentityRow {
        id: uuid::Uuid::new_v4().to_string(),
        username,
        name: new.name.trim().to_owned(),
        email: new.email,
        organization: new.organization,
        kind: IdentityKind::User.as_str().to_owned(),
    };
    let password_hash = hash(&new.password)?;
    let mut tx = store.pool().begin().await?;
    sqlx::query("INSERT INTO identities (id, username, name, email, organization, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&identity.id)
        .bind(&identity.username)
        .bind(&identity.name)
        .bind(&identity.email)
        .bind(&identity.organization)
        .bind(&identity.kind)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO users (identity_id, password_hash, disabled, created_at) VALUES ($1, $2, 0, $3)")
        .bind(&identity.id)
        .bind(password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(identity)
}

/// The local account with this username (qualified or not).
pub async fn find(store: &Store, username: &str) -> Result<Option<Account>, RegistryError> {
    let username = qualified_username(username)?;
    let row: Option<AccountRow> = sqlx::query_as(
        "SELECT i.id, i.username, i.name, i.email, i.organization, i.kind, u.password_hash, u.disabled \
         FROM identities i JOIN users u ON u.identity_id = i.id WHERE i.username = $1",
    )
    .bind(&username)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.map(|row| Account {
        identity: row.identity,
        password_hash: row.password_hash,
        disabled: row.disabled != 0,
    }))
}

async fn require(store: &Store, username: &str) -> Result<Account, RegistryError> {
    find(store, username)
        .await?
        .ok_or_else(|| RegistryError::NotFound(format!("user {username}")))
}

/// Sets a new password. Whoever knew the old one keeps nothing: the account's sign-in sessions
/// end, and its unexchanged codes and every token (refresh tokens, so grants, included) are
/// revoked.
pub async fn set_password(
    store: &Store,
    username: &str,
    password: &str,
    now: UnixTime,
) -> Result<(), RegistryError> {
    check_password(password)?;
    let account = require(store, username).await?;
    let password_hash = hash(password)?;
    let mut tx = store.pool().begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE identity_id = $2")
        .bind(password_hash)
        .bind(&account.identity.id)
        .execute(&mut *tx)
        .await?;
    end_everything(&mut tx, &account.identity.id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (or re-enables) sign-in; a disabled account keeps its identity and history. Disabling
/// ends its sign-in sessions and revokes its unexchanged codes and every token, as a new password
/// does; re-enabling brings none of them back.
pub async fn set_disabled(
    store: &Store,
    username: &str,
    disabled: bool,
    now: UnixTime,
) -> Result<(), RegistryError> {
    let account = require(store, username).await?;
    let mut tx = store.pool().begin().await?;
    sqlx::query("UPDATE users SET disabled = $1 WHERE identity_id = $2")
        .bind(i64::from(disabled))
        .bind(&account.identity.id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        end_everything(&mut tx, &account.identity.id, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn end_everything(
    conn: &mut AnyConnection,
    identity_id: &str,
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    session::end_all(conn, identity_id).await?;
    codes::discard_all(conn, identity_id).await?;
    tokens::revoke_all(conn, identity_id, now).await
}

/// Whether the identity is a local account that is disabled (client identities never are).
pub async fn is_disabled(store: &Store, identity_id: &str) -> Result<bool, sqlx::Error> {
    let disabled: Option<i64> =
        sqlx::query_scalar("SELECT disabled FROM users WHERE identity_id = $1")
            .bind(identity_id)
            .fetch_optional(store.pool())
            .await?;
    Ok(disabled.is_some_and(|d| d != 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_qualified_lowercased_and_checked() {
        assert_eq!(qualified_username("alice").unwrap(), "alice@mrdp.local");
        assert_eq!(
            qualified_username("Bob@Example.org").unwrap(),
            "bob@example.org"
        );
        for bad in [
            "",
            "@x.org",
            "a b",
            "alice@",
            "alice@bad..org",
            "al'ice",
            "x@y@z",
        ] {
            assert!(qualified_username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password("short").is_err());
        assert!(check_password("twelve chars").is_ok());
    }
}
