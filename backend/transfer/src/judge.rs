//! What a caller may do at paths of a collection, judged where the paths lead: in a guest
//! collection the rules are matched on a path with its symbolic links followed, so that a link
//! from a directory the rules open to one they do not opens nothing, and a link that leads out of
//! the collection gives no permission at all. A [`Judge`] reads a collection's rules once and
//! judges any number of paths with them (a request judges one; a task's batch, a thousand); the
//! data server keeps them a moment ([`Judges`]).

use crate::access::{Caller, Permission};
use crate::collections::{self, Collection};
use crate::locate::{LocateError, Storages};
use crate::paths::CollectionPath;
use crate::rule_book::{RuleBook, RuleSet};
use crate::storage::{LastLink, Storage, StorageError};
use mrdp_service::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    rules: Arc<RuleSet>,
}

impl Judge {
    /// Finds `collection`'s storage and its rules (a guest collection's, from `rule_book` while
    /// they stand; a mapped one has none).
    pub async fn of(
        store: &Store,
        storages: &Storages,
        rule_book: &RuleBook,
        collection: Collection,
    ) -> Result<Self, JudgeError> {
        let storage = storages.storage_of(store, &collection).await?;
        let rules = rule_book.rules_of(store, &collection).await?;
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
        let leads_to = if self.resolution_unneeded(caller) {
            Ok(path.clone())
        } else {
            self.storage.resolve(path, last).await
        };
        self.permission_there(caller, leads_to, now)
    }

    /// [`Self::permission`] on the calling thread: for a request answered where it is read, as
    /// the data server's downloads of local files are.
    pub fn permission_now(
        &self,
        caller: Option<&Caller>,
        (path, last): (&CollectionPath, LastLink),
        now: i64,
    ) -> Result<Option<Permission>, StorageError> {
        let leads_to = if self.resolution_unneeded(caller) {
            Ok(path.clone())
        } else {
            self.storage.resolve_now(path, last)
        };
        self.permission_there(caller, leads_to, now)
    }

    /// Whether a path need not be followed to judge `caller`: the owner may go anywhere in the
    /// collection, and a collection without rules lets nobody else in anywhere.
    fn resolution_unneeded(&self, caller: Option<&Caller>) -> bool {
        caller.is_some_and(|caller| caller.is(&self.collection.owner_id)) || self.rules.is_empty()
    }

    /// What `caller` may do where a path leads (a link out of the collection: nothing).
    fn permission_there(
        &self,
        caller: Option<&Caller>,
        leads_to: Result<CollectionPath, StorageError>,
        now: i64,
    ) -> Result<Option<Permission>, StorageError> {
        match leads_to {
            Ok(path) => Ok(collections::permission_by(
                &self.collection,
                &self.rules,
                caller,
                &path,
                now,
            )),
            Err(StorageError::PermissionDenied(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// How long the data server keeps a collection's judge: a change made elsewhere (another
/// process on the same store) applies within this; one made through this process's Transfer API
/// applies at once, as it forgets every judge kept.
pub const KEPT_FOR: Duration = Duration::from_secs(1);

/// Judges of collections kept for [`KEPT_FOR`], so that the data server's downloads, small files
/// one after another on a connection, do not each read a collection and its rules from the store.
#[derive(Debug, Default)]
pub struct Judges {
    kept: Mutex<HashMap<String, (Instant, Arc<Judge>)>>,
    /// The rules of collections, kept while they stand (shared with the Transfer API and its
    /// task engine).
    rule_book: Arc<RuleBook>,
}

impl Judges {
    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Arc<Judge>)>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The judge of collection `id`, kept or read now; `None` when there is no such collection
    /// (which is not kept: a collection made now is found at once).
    pub async fn of(
        &self,
        store: &Store,
        storages: &Storages,
        id: &str,
    ) -> Result<Option<Arc<Judge>>, JudgeError> {
        if let Some((since, judge)) = self.kept().get(id)
            && since.elapsed() < KEPT_FOR
        {
            return Ok(Some(Arc::clone(judge)));
        }
        let Some(collection) = collections::find(store, id).await? else {
            return Ok(None);
        };
        let judge = Arc::new(Judge::of(store, storages, &self.rule_book, collection).await?);
        let mut kept = self.kept();
        kept.retain(|_, (since, _)| since.elapsed() < KEPT_FOR);
        kept.insert(id.to_owned(), (Instant::now(), Arc::clone(&judge)));
        Ok(Some(judge))
    }

    /// The rules of collections as last read.
    pub fn rule_book(&self) -> &Arc<RuleBook> {
        &self.rule_book
    }

    /// Forgets every judge kept: a collection or a rule changed.
    pub fn forget(&self) {
        self.kept().clear();
    }
}
