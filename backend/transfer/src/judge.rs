//! What a caller may do at paths of a collection, judged where the paths lead: in a guest
//! collection the rules are matched on a path with its symbolic links followed, so that a link
//! from a directory the rules open to one they do not opens nothing, and a link that leads out of
//! the collection gives no permission at all. A [`Judge`] reads a collection's rules once and
//! judges any number of paths with them (a request judges one; a task's batch, a thousand).

use crate::access::{AccessRule, Caller, Permission};
use crate::access_rules;
use crate::collections::{self, Collection, Placement};
use crate::locate::{LocateError, Storages};
use crate::paths::CollectionPath;
use crate::storage::{LastLink, Storage, StorageError};
use mrdp_service::store::Store;

/// Why a permission could not be judged.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error(transparent)]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Locate(#[from] LocateError),
}

/// A collection, the storage of its files (rooted at its root), and its access rules as they
/// stood when it was made.
#[derive(Debug, Clone)]
pub struct Judge {
    collection: Collection,
    storage: Storage,
    rules: Vec<AccessRule>,
}

impl Judge {
    /// Reads `collection`'s rules (a guest collection's; a mapped one has none) and finds its
    /// storage.
    pub async fn of(
        store: &Store,
        storages: &Storages,
        collection: Collection,
    ) -> Result<Self, JudgeError> {
        let storage = storages.storage_of(store, &collection).await?;
        let rules = match collection.placement {
            Placement::Guest { .. } => access_rules::list(store, &collection.id).await?,
            Placement::Mapped { .. } => Vec::new(),
        };
        Ok(Self {
            collection,
            storage,
            rules,
        })
    }

    pub fn collection(&self) -> &Collection {
        &self.collection
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// What `caller` (`None`: anonymous) may do at `path` at `now`, judged where it leads (see
    /// [`LastLink`] for its last component). The owner's permission needs no judging.
    pub async fn permission(
        &self,
        caller: Option<&Caller>,
        (path, last): (&CollectionPath, LastLink),
        now: i64,
    ) -> Result<Option<Permission>, StorageError> {
        let owned = caller.is_some_and(|caller| caller.is(&self.collection.owner_id));
        let leads_to = if owned || self.rules.is_empty() {
            path.clone()
        } else {
            match self.storage.resolve(path, last).await {
                Ok(resolved) => resolved,
                Err(StorageError::PermissionDenied(_)) => return Ok(None),
                Err(other) => return Err(other),
            }
        };
        Ok(collections::permission_by(
            &self.collection,
            &self.rules,
            caller,
            &leads_to,
            now,
        ))
    }
}
