//! The catalog as this portal serves it: the datasets and their search index, built from the store
//! at start, again at once after a change made here, and whenever another replica's change raises
//! the catalog's version (checked every few seconds). Requests read a snapshot and never wait for
//! a rebuild.

use super::search::SearchIndex;
use super::stored::{self, StoredDataset};
use crate::PortalState;
use mrdp_service::periodic;
use mrdp_service::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How often the catalog's version is looked at for changes made by other replicas.
pub const CHECK_EVERY: Duration = Duration::from_secs(5);

/// One version of the catalog.
#[derive(Debug)]
pub struct Snapshot {
    pub version: i64,
    pub datasets: HashMap<String, StoredDataset>,
    pub index: SearchIndex,
    /// What to show for a facet's value: (`station`, `SEA`) is "Seattle, WA".
    pub labels: HashMap<(&'static str, String), String>,
}

fn labels(datasets: &[StoredDataset]) -> HashMap<(&'static str, String), String> {
    let mut labels = HashMap::from([
        (
            ("access", "signed-in".to_owned()),
            "Every signed-in researcher".to_owned(),
        ),
        (("access", "group".to_owned()), "Your groups".to_owned()),
    ]);
    for dataset in datasets {
        let station = &dataset.entry.station;
        labels.insert(("station", station.id.clone()), station.name.clone());
        for variable in &dataset.entry.variables {
            let label = format!("{} ({})", variable.description, variable.name);
            labels.insert(("variable", variable.name.clone()), label);
        }
    }
    labels
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Store(#[from] stored::CatalogStoreError),
    #[error(transparent)]
    Index(#[from] super::search::SearchError),
    #[error("building the search index stopped: {0}")]
    Stopped(#[from] tokio::task::JoinError),
}

/// The current snapshot, replaced whole.
#[derive(Debug)]
pub struct LiveCatalog {
    current: RwLock<Arc<Snapshot>>,
}

impl LiveCatalog {
    pub fn empty() -> Result<Self, LoadError> {
        let snapshot = Snapshot {
            version: -1,
            datasets: HashMap::new(),
            index: SearchIndex::build(std::iter::empty())?,
            labels: HashMap::new(),
        };
        Ok(Self {
            current: RwLock::new(Arc::new(snapshot)),
        })
    }

    pub fn current(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(current) => Arc::clone(&current),
            // A writer panicked mid-swap: the snapshot it left is still whole (an Arc).
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Builds the catalog from the store when its version is not the one served; whether it did.
    pub async fn reload_if_changed(&self, store: &Store) -> Result<bool, LoadError> {
        // The version first: a change after it is read makes the next check load again.
        let version = stored::version(store).await?;
        if version == self.current().version {
            return Ok(false);
        }
        let datasets = stored::list(store).await?;
        let snapshot = tokio::task::spawn_blocking(move || -> Result<Snapshot, LoadError> {
            let index = SearchIndex::build(datasets.iter().map(|dataset| &dataset.entry))?;
            let labels = labels(&datasets);
            let datasets = datasets
                .into_iter()
                .map(|dataset| (dataset.entry.id.clone(), dataset))
                .collect();
            Ok(Snapshot {
                version,
                datasets,
                index,
                labels,
            })
        })
        .await??;
        let mut current = match self.current.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        if snapshot.version > current.version {
            *current = Arc::new(snapshot);
        }
        Ok(true)
    }
}

impl PortalState {
    /// Loads the catalog (at start, before requests are served).
    pub async fn load_catalog(&self) -> Result<(), LoadError> {
        self.catalog
            .reload_if_changed(&self.store)
            .await
            .map(|_| ())
    }

    /// Keeps the catalog current with the changes other replicas make, for as long as it runs.
    pub async fn keep_catalog_current(self, every: Duration) {
        periodic::repeat(every, "catalog reloaded", move || {
            let state = self.clone();
            async move { state.catalog.reload_if_changed(&state.store).await }
        })
        .await;
    }
}
