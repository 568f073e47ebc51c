//! The collections the service holds, in its store: mapped collections over a storage root, and
//! guest collections sharing a directory of a mapped one.

use crate::access::{Caller, Permission};
use crate::access_rules;
use crate::paths::CollectionPath;
use crate::rule_book::{RuleBook, RuleSet};
use mrdp_service::store::{Store, known_word, unknown_word};

/// Where a collection's files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Its own storage root (`file:///abs/dir` or `s3://bucket/prefix`).
    Mapped { storage_url: String },
    /// A directory of a mapped collection.
    Guest {
        host_collection_id: String,
        host_path: CollectionPath,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub id: String,
    pub display_name: String,
    pub description: String,
    pub owner_id: String,
    pub placement: Placement,
    pub created_at: i64,
    /// New with every change to the collection's access rules ([`crate::rule_book`]).
    pub rules_stamp: String,
}

/// What creating a collection takes.
#[derive(Debug, Clone)]
pub struct NewCollection {
    pub display_name: String,
    pub description: String,
    pub owner_id: String,
    pub placement: Placement,
}

/// Why a collection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CollectionError {
    #[error("no collection {0}")]
    NoHost(String),
    #[error("collection {0} is a guest collection; guest collections are made on mapped ones")]
    HostNotMapped(String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    String,
);

const COLUMNS: &str = "id, display_name, description, kind, owner_id, storage_url, host_collection_id, host_path, created_at, rules_stamp";

fn from_row(row: Row) -> Result<Collection, sqlx::Error> {
    let (
        id,
        display_name,
        description,
        kind,
        owner_id,
        storage_url,
        host,
        host_path,
        created_at,
        rules_stamp,
    ) = row;
    let placement = match (kind.as_str(), storage_url, host, host_path) {
        ("mapped", Some(storage_url), None, _) => Placement::Mapped { storage_url },
        ("guest", None, Some(host_collection_id), Some(host_path)) => Placement::Guest {
            host_collection_id,
            host_path: known_word("host_path", &host_path, |path| {
                CollectionPath::parse(path).ok()
            })?,
        },
        _ => return Err(unknown_word("kind", &kind)),
    };
    Ok(Collection {
        id,
        display_name,
        description,
        owner_id,
        placement,
        created_at,
        rules_stamp,
    })
}

pub async fn create(
    store: &Store,
    new: NewCollection,
    now: i64,
) -> Result<Collection, CollectionError> {
    create_with_id(store, uuid::Uuid::new_v4().to_string(), new, now).await
}

/// [`create`] with a chosen id (a deployment's well-known collections keep theirs).
pub async fn create_with_id(
    store: &Store,
    id: String,
    new: NewCollection,
    now: i64,
) -> Result<Collection, CollectionError> {
    if let Placement::Guest {
        host_collection_id, ..
    } = &new.placement
    {
        let host = find(store, host_collection_id)
            .await?
            .ok_or_else(|| CollectionError::NoHost(host_collection_id.clone()))?;
        if !matches!(host.placement, Placement::Mapped { .. }) {
            return Err(CollectionError::HostNotMapped(host.id));
        }
    }
    let collection = Collection {
        id,
        display_name: new.display_name,
        description: new.description,
        owner_id: new.owner_id,
        placement: new.placement,
        created_at: now,
        rules_stamp: new_rules_stamp(),
    };
    let (kind, storage_url, host, host_path) = match &collection.placement {
        Placement::Mapped { storage_url } => ("mapped", Some(storage_url.clone()), None, None),
        Placement::Guest {
            host_collection_id,
            host_path,
        } => (
            "guest",
            None,
            Some(host_collection_id.clone()),
            Some(host_path.as_dir()),
        ),
    };
    sqlx::query(&format!(
        "INSERT INTO collections ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&collection.id)
    .bind(&collection.display_name)
    .bind(&collection.description)
    .bind(kind)
    .bind(&collection.owner_id)
    .bind(storage_url)
    .bind(host)
    .bind(host_path)
    .bind(now)
    .bind(&collection.rules_stamp)
    .execute(store.pool())
    .await?;
    Ok(collection)
}

/// A stamp no collection has had: rules changed, or a collection made (again).
pub fn new_rules_stamp() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub async fn find(store: &Store, id: &str) -> Result<Option<Collection>, sqlx::Error> {
    let row: Option<Row> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM collections WHERE id = $1"))
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
    row.map(from_row).transpose()
}

/// Every collection, oldest first.
pub async fn list(store: &Store) -> Result<Vec<Collection>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM collections ORDER BY created_at, id"
    ))
    .fetch_all(store.pool())
    .await?;
    rows.into_iter().map(from_row).collect()
}

/// Deletes a collection with its access rules and guest collections, and asks the active tasks
/// that use any of them to stop (the task engine ends them canceled); `false` if there was none.
pub async fn delete(store: &Store, id: &str) -> Result<bool, sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    sqlx::query(
        "UPDATE tasks SET cancel_requested = 1 WHERE status = 'ACTIVE' AND (\
         source_endpoint = $1 OR destination_endpoint = $1 \
         OR source_endpoint IN (SELECT id FROM collections WHERE host_collection_id = $1) \
         OR destination_endpoint IN (SELECT id FROM collections WHERE host_collection_id = $1))",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM access_rules WHERE collection_id = $1 \
         OR collection_id IN (SELECT id FROM collections WHERE host_collection_id = $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM collections WHERE host_collection_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let deleted = sqlx::query("DELETE FROM collections WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(deleted.rows_affected() > 0)
}

/// Whether `caller` may know of `collection`: its owner may, and those a live access rule of a
/// guest collection is for; nobody else learns it exists.
pub async fn visible(
    store: &Store,
    rule_book: &RuleBook,
    collection: &Collection,
    caller: &Caller,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if caller.is(&collection.owner_id) {
        return Ok(true);
    }
    if !matches!(collection.placement, Placement::Guest { .. }) {
        return Ok(false);
    }
    let rules = rule_book.rules_of(store, collection).await?;
    Ok(rules.any_for(caller, now))
}

/// What `caller` may do at `path` of `collection`: its owner everything; on a guest collection,
/// what the access rules grant.
pub async fn permission(
    store: &Store,
    collection: &Collection,
    caller: Option<&Caller>,
    path: &CollectionPath,
    now: i64,
) -> Result<Option<Permission>, sqlx::Error> {
    let rules = match collection.placement {
        Placement::Guest { .. } => access_rules::list(store, &collection.id).await?,
        Placement::Mapped { .. } => Vec::new(),
    };
    Ok(permission_by(
        collection,
        &RuleSet::new(rules),
        caller,
        path,
        now,
    ))
}

/// [`permission`] with the collection's `rules` at hand.
pub fn permission_by(
    collection: &Collection,
    rules: &RuleSet,
    caller: Option<&Caller>,
    path: &CollectionPath,
    now: i64,
) -> Option<Permission> {
    if caller.is_some_and(|caller| caller.is(&collection.owner_id)) {
        return Some(Permission::ReadWrite);
    }
    match collection.placement {
        Placement::Guest { .. } => rules.granted(caller, path, now),
        Placement::Mapped { .. } => None,
    }
}
