//! Groups of identities: access rules (transfer ACLs) can name a group instead of a person.

use super::users;
use crate::error::RegistryError;
use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub description: String,
}

pub async fn create(
    store: &Store,
    now: UnixTime,
    name: &str,
    description: &str,
) -> Result<GroupRow, RegistryError> {
    let id = uuid::Uuid::new_v4().to_string();
    create_with_id(store, now, id, name, description).await
}

/// [`create`] with an id chosen by the caller (the demo's group has one known in advance).
pub async fn create_with_id(
    store: &Store,
    now: UnixTime,
    id: String,
    name: &str,
    description: &str,
) -> Result<GroupRow, RegistryError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(RegistryError::Invalid(
            "a group name has 1 to 100 characters".into(),
        ));
    }
    if find(store, name).await?.is_some() {
        return Err(RegistryError::Duplicate(format!("group {name}")));
    }
    let group = GroupRow {
        id,
        name: name.to_owned(),
        description: description.to_owned(),
    };
    sqlx::query("INSERT INTO groups (id, name, description, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&group.id)
        .bind(&group.name)
        .bind(&group.description)
        .bind(now)
        .execute(store.pool())
        .await?;
    Ok(group)
}

pub async fn find(store: &Store, name: &str) -> Result<Option<GroupRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, description FROM groups WHERE name = $1")
        .bind(name)
        .fetch_optional(store.pool())
        .await
}

/// The group's id and the account's identity id, or which of them does not exist.
async fn membership(
    store: &Store,
    group: &str,
    username: &str,
) -> Result<(String, String), RegistryError> {
    let group = find(store, group)
        .await?
        .ok_or_else(|| RegistryError::NotFound(format!("group {group}")))?;
    let account = users::find(store, username)
        .await?
        .ok_or_else(|| RegistryError::NotFound(format!("user {username}")))?;
    Ok((group.id, account.identity.id))
}

/// Adds a local account to a group; adding a member twice is not an error.
pub async fn add_member(
    store: &Store,
    now: UnixTime,
    group: &str,
    username: &str,
) -> Result<(), RegistryError> {
    let (group_id, identity_id) = membership(store, group, username).await?;
    sqlx::query(
        "INSERT INTO group_members (group_id, identity_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, identity_id) DO NOTHING",
    )
    .bind(group_id)
    .bind(identity_id)
    .bind(now)
    .execute(store.pool())
    .await?;
    Ok(())
}

pub async fn remove_member(
    store: &Store,
    group: &str,
    username: &str,
) -> Result<(), RegistryError> {
    let (group_id, identity_id) = membership(store, group, username).await?;
    sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND identity_id = $2")
        .bind(group_id)
        .bind(identity_id)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The groups an identity belongs to, by name.
pub async fn of_identity(store: &Store, identity_id: &str) -> Result<Vec<GroupRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.id, g.name, g.description FROM groups g JOIN group_members m ON m.group_id = g.id \
         WHERE m.identity_id = $1 ORDER BY g.name",
    )
    .bind(identity_id)
    .fetch_all(store.pool())
    .await
}

pub async fn list(store: &Store) -> Result<Vec<GroupRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, description FROM groups ORDER BY name")
        .fetch_all(store.pool())
        .await
}
