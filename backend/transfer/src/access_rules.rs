//! The access rules of guest collections, in the store.

use crate::access::{AccessRule, Permission, Principal, PrincipalType};
use crate::paths::CollectionPath;
use mrdp_service::store::{Store, known_word};

/// Why a rule could not be added.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("the same principal already has a rule on this path")]
    Exists,
    #[error(transparent)]
    Store(sqlx::Error),
}

impl From<sqlx::Error> for RuleError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Exists,
            _ => Self::Store(error),
        }
    }
}

type Row = (String, String, String, String, String, Option<i64>, i64);

fn from_row(
    (id, principal_type, principal, path, permissions, expires_at, created_at): Row,
) -> Result<AccessRule, sqlx::Error> {
    let principal_type = known_word("principal_type", &principal_type, PrincipalType::parse)?;
    Ok(AccessRule {
        principal: known_word("principal", &principal, |principal| {
            Principal::from_wire(principal_type, principal)
        })?,
        path: known_word("path", &path, |path| CollectionPath::parse(path).ok())?,
        permission: known_word("permissions", &permissions, Permission::parse)?,
        id,
        expires_at,
        created_at,
    })
}

const COLUMNS: &str = "id, principal_type, principal, path, permissions, expires_at, created_at";

/// Gives the collection a new rules stamp, in the transaction that changes its rules.
async fn restamp(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    collection_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE collections SET rules_stamp = $1 WHERE id = $2")
        .bind(crate::collections::new_rules_stamp())
        .bind(collection_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds a rule to a collection.
pub async fn add(
    store: &Store,
    collection_id: &str,
    principal: Principal,
    path: CollectionPath,
    permission: Permission,
    expires_at: Option<i64>,
    now: i64,
) -> Result<AccessRule, RuleError> {
    let rule = AccessRule {
        id: uuid::Uuid::new_v4().to_string(),
        principal,
        path,
        permission,
        expires_at,
        created_at: now,
    };
    let (principal_type, principal_id) = rule.principal.wire();
    let mut tx = store.pool().begin().await?;
    sqlx::query(
        "INSERT INTO access_rules (id, collection_id, principal_type, principal, path, permissions, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&rule.id)
    .bind(collection_id)
    .bind(principal_type.as_str())
    .bind(principal_id)
    .bind(rule.path.as_dir())
    .bind(rule.permission.as_str())
    .bind(now)
    .bind(rule.expires_at)
    .execute(&mut *tx)
    .await?;
    restamp(&mut tx, collection_id).await?;
    tx.commit().await?;
    Ok(rule)
}

/// The rules of a collection, oldest first.
pub async fn list(store: &Store, collection_id: &str) -> Result<Vec<AccessRule>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM access_rules WHERE collection_id = $1 ORDER BY created_at, id"
    ))
    .bind(collection_id)
    .fetch_all(store.pool())
    .await?;
    rows.into_iter().map(from_row).collect()
}

pub async fn find(
    store: &Store,
    collection_id: &str,
    rule_id: &str,
) -> Result<Option<AccessRule>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM access_rules WHERE collection_id = $1 AND id = $2"
    ))
    .bind(collection_id)
    .bind(rule_id)
    .fetch_optional(store.pool())
    .await?;
    row.map(from_row).transpose()
}

/// Changes a rule's permission; `false` if there is no such rule.
pub async fn update(
    store: &Store,
    collection_id: &str,
    rule_id: &str,
    permission: Permission,
) -> Result<bool, sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    let updated = sqlx::query(
        "UPDATE access_rules SET permissions = $1 WHERE collection_id = $2 AND id = $3",
    )
    .bind(permission.as_str())
    .bind(collection_id)
    .bind(rule_id)
    .execute(&mut *tx)
    .await?;
    restamp(&mut tx, collection_id).await?;
    tx.commit().await?;
    Ok(updated.rows_affected() > 0)
}

/// Removes a rule; `false` if there is no such rule.
pub async fn delete(
    store: &Store,
    collection_id: &str,
    rule_id: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    let deleted = sqlx::query("DELETE FROM access_rules WHERE collection_id = $1 AND id = $2")
        .bind(collection_id)
        .bind(rule_id)
        .execute(&mut *tx)
        .await?;
    restamp(&mut tx, collection_id).await?;
    tx.commit().await?;
    Ok(deleted.rows_affected() > 0)
}
