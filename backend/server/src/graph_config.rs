//! `[graph]`: the graph service's jobs and results.

use mrdp_graph::DEFAULT_RESULTS_LIFETIME;
use mrdp_service::lease::{DEFAULT_LEASE_SECONDS, LEASE_SECONDS_RANGE};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GraphConfig {
    /// Seconds a job's results are kept before they are removed (default seven days).
    pub results_lifetime: i64,
    /// Jobs this process runs at once; 0: it takes requests and leaves the jobs to other
    /// processes sharing its database.
    pub workers: usize,
    /// Seconds a worker's lease on a job lasts (renewed three times a lease while it works): how
    /// long a job waits when the worker carrying it out dies.
    pub lease_seconds: i64,
    /// The datasets' descriptions (`catalog.json`). Unset: the demo catalog's (`transfer.catalog_dir`
    /// or the one built into `mrdp`).
    pub catalog_file: Option<PathBuf>,
    /// The collection results are written to. Unset: the embedded deployment's "Graph results".
    pub results_collection: Option<String>,
}

impl Default for GraphConfig {
    fn default() -> Self {
        Self {
            results_lifetime: DEFAULT_RESULTS_LIFETIME,
            workers: 1,
            lease_seconds: DEFAULT_LEASE_SECONDS,
            catalog_file: None,
            results_collection: None,
        }
    }
}

impl GraphConfig {
    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.results_lifetime >= 60,
            "graph.results_lifetime: at least 60 seconds"
        );
        anyhow::ensure!(
            LEASE_SECONDS_RANGE.contains(&self.lease_seconds),
            "graph.lease_seconds: from {} to {}",
            LEASE_SECONDS_RANGE.start(),
            LEASE_SECONDS_RANGE.end()
        );
        Ok(())
    }
}
