//! Keeping the catalog: import a catalog file, count each dataset's files at the transfer service,
//! remove a dataset, and keep the catalog collection's access rules what the catalog says (one
//! read rule per dataset folder: every signed-in researcher, or the dataset's group), so that the
//! data server enforces what the portal shows.

use super::entry::{self, CatalogEntry, EntryError};
use super::live::{LiveCatalog, LoadError};
use super::stored::{self, CatalogStoreError, Counts, StoredDataset};
use crate::PortalError;
use crate::transfer_client::PortalTransfer;
use futures_util::StreamExt;
use mrdp_globus::transfer::{AccessDocument, AccessRequest, Permission, PrincipalType};
use mrdp_service::store::Store;
use mrdp_shared::Access;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Folders counted (and rules made) at the transfer service at a time.
const COUNTING_AT_ONCE: usize = 16;
/// The most entries a dataset's folder may hold (files and folders, all levels).
const MOST_ENTRIES: usize = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("the catalog file is refused, nothing of it was imported: {0}")]
    Entry(#[from] EntryError),
    #[error(transparent)]
    Portal(#[from] PortalError),
    #[error(transparent)]
    Store(#[from] CatalogStoreError),
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// The catalog's keeper, acting as the portal at the transfer service.
#[derive(Debug, Clone)]
pub struct CatalogAdmin {
    store: Store,
    transfer: PortalTransfer,
    /// The collection the datasets' folders are in.
    collection: String,
    /// This portal's catalog, rebuilt after every change.
    live: Arc<LiveCatalog>,
}

impl CatalogAdmin {
    pub fn new(
        store: Store,
        transfer: PortalTransfer,
        collection: String,
        live: Arc<LiveCatalog>,
    ) -> Self {
        Self {
            store,
            transfer,
            collection,
            live,
        }
    }

    /// Imports every entry of a catalog file, or nothing: the file is checked whole and each
    /// folder counted before the first entry is written. Returns the ids imported.
    pub async fn import(&self, text: &str, now: i64) -> Result<Vec<String>, CatalogError> {
        let entries = entry::parse(text)?;
        let counted = self.count_all(&entries).await;
        let mut datasets = Vec::with_capacity(entries.len());
        for (index, (entry, counts)) in entries.into_iter().zip(counted).enumerate() {
            let counts = counts.map_err(|e| EntryError {
                entry: format!("entry {} ({})", index + 1, entry.id),
                field: "folder".into(),
                problem: e.to_string(),
            })?;
            datasets.push(StoredDataset { entry, counts });
        }
        stored::save_all(&self.store, &datasets, now).await?;
        self.follow_the_catalog().await?;
        Ok(datasets
            .into_iter()
            .map(|dataset| dataset.entry.id)
            .collect())
    }

    /// Whether no dataset has been imported yet.
    pub async fn is_empty(&self) -> Result<bool, CatalogError> {
        Ok(stored::is_empty(&self.store).await?)
    }

    /// Every dataset, by id.
    pub async fn list(&self) -> Result<Vec<StoredDataset>, CatalogError> {
        Ok(stored::list(&self.store).await?)
    }

    /// Counts every dataset's files again, and puts the access rules right.
    pub async fn refresh(&self, now: i64) -> Result<Vec<StoredDataset>, CatalogError> {
        let mut datasets = stored::list(&self.store).await?;
        let entries: Vec<CatalogEntry> = datasets.iter().map(|d| d.entry.clone()).collect();
        for (dataset, counts) in datasets.iter_mut().zip(self.count_all(&entries).await) {
            dataset.counts = counts?;
        }
        stored::save_all(&self.store, &datasets, now).await?;
        self.follow_the_catalog().await?;
        Ok(datasets)
    }

    /// Removes a dataset and its access rule; whether there was one.
    pub async fn remove(&self, id: &str) -> Result<bool, CatalogError> {
        let removed = stored::remove(&self.store, id).await?;
        self.follow_the_catalog().await?;
        Ok(removed)
    }

    /// Each entry's counts, in order, [`COUNTING_AT_ONCE`] folders counted at a time.
    async fn count_all(&self, entries: &[CatalogEntry]) -> Vec<Result<Counts, PortalError>> {
        futures_util::stream::iter(entries.iter().map(|entry| self.count(entry)))
            .buffered(COUNTING_AT_ONCE)
            .collect()
            .await
    }

    /// What the transfer service lists in the dataset's folder, all levels down.
    async fn count(&self, entry: &CatalogEntry) -> Result<Counts, PortalError> {
        let mut counts = Counts::default();
        let mut folders = vec![(folder_path(&entry.folder), true)];
        let mut seen = 0;
        while let Some((folder, top)) = folders.pop() {
            let listing = self.transfer.ls(&self.collection, &folder).await?;
            seen += listing.data.len();
            if seen > MOST_ENTRIES {
                return Err(PortalError::BadRequest(format!(
                    "more than {MOST_ENTRIES} entries in {}",
                    entry.folder
                )));
            }
            for item in listing.data {
                match item.kind.as_str() {
                    "dir" => folders.push((format!("{folder}{}/", item.name), false)),
                    "file" => {
                        counts.file_count += 1;
                        counts.bytes += item.size;
                        if top && let Some(year) = year_of(&item.name) {
                            counts.years_present.push(year);
                        }
                    }
                    _ => {}
                }
            }
        }
        counts.years_present.sort_unstable();
        Ok(counts)
    }

    /// Makes the catalog collection's rules exactly one read rule per dataset folder, and this
    /// portal's search index what the catalog now is. Rules are compared as sets and sent
    /// [`COUNTING_AT_ONCE`] at a time, so a catalog of a hundred thousand datasets is put right in
    /// one pass.
    async fn follow_the_catalog(&self) -> Result<(), CatalogError> {
        self.live.reload_if_changed(&self.store).await?;
        let wanted: HashSet<AccessRequest> = stored::list(&self.store)
            .await?
            .iter()
            .map(|dataset| rule_for(&dataset.entry))
            .collect();
        let existing: HashMap<AccessRequest, String> = self
            .transfer
            .access_rules(&self.collection)
            .await?
            .into_iter()
            .map(|rule| (as_request(&rule), rule.id))
            .collect();
        let (transfer, collection) = (&self.transfer, self.collection.as_str());
        let stale = existing
            .iter()
            .filter(|(rule, _)| !wanted.contains(*rule))
            .map(|(_, id)| transfer.delete_rule(collection, id));
        all_done(stale).await?;
        let missing = wanted
            .iter()
            .filter(|want| !existing.contains_key(*want))
            .map(|want| async move { transfer.add_rule(collection, want).await.map(drop) });
        all_done(missing).await?;
        Ok(())
    }
}

/// Runs `calls`, [`COUNTING_AT_ONCE`] at a time; the first error, if any.
async fn all_done(
    calls: impl Iterator<Item = impl Future<Output = Result<(), PortalError>>>,
) -> Result<(), PortalError> {
    let mut running = futures_util::stream::iter(calls).buffer_unordered(COUNTING_AT_ONCE);
    while let Some(done) = running.next().await {
        done?;
    }
    Ok(())
}

/// What `rule` grants, as the request that would make it.
fn as_request(rule: &AccessDocument) -> AccessRequest {
    AccessRequest {
        principal_type: Some(rule.principal_type),
        principal: Some(rule.principal.clone()),
        path: Some(rule.path.clone()),
        permissions: rule.permissions,
        expiration_date: rule.expiration_date.clone(),
    }
}

fn folder_path(folder: &str) -> String {
    format!("/{folder}/")
}

fn rule_for(entry: &CatalogEntry) -> AccessRequest {
    let (principal_type, principal) = match &entry.access {
        Access::SignedIn => (PrincipalType::AllAuthenticatedUsers, String::new()),
        Access::Group { id, .. } => (PrincipalType::Group, id.clone()),
    };
    AccessRequest {
        principal_type: Some(principal_type),
        principal: Some(principal),
        path: Some(folder_path(&entry.folder)),
        permissions: Permission::Read,
        expiration_date: None,
    }
}

/// `2012.csv` is the file of 2012.
fn year_of(name: &str) -> Option<i32> {
    let year = name.strip_suffix(".csv")?;
    (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .then(|| year.parse().ok())
        .flatten()
}
