//! `[transfer]`: the demo catalog, where the embedded storages are, and the task engine.

use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TransferConfig {
    /// The demo datasets `mrdp all` copies into the catalog collection on its first start (and
    /// their descriptions, `catalog.json`); unset: those built into `mrdp`.
    pub catalog_dir: Option<PathBuf>,
    /// Whether the transfer service runs its task engine (`false`: the API only, the tasks left
    /// to other processes' engines and workers on the same database).
    pub engine: bool,
    /// Seconds a task engine's lease on a task lasts (renewed three times a lease while it works):
    /// how long a task waits when the engine carrying it out dies.
    pub lease_seconds: i64,
    /// Where `mrdp all` keeps the embedded "Portal storage", whose `catalog/` the catalog
    /// collection shares: `s3://bucket[/prefix]` (the datasets uploaded there), or unset:
    /// `<data_dir>/collections/portal` (the demo datasets copied there).
    pub portal_storage: Option<String>,
    /// Where it keeps "Graph service storage", whose `results/` holds the graphs:
    /// `s3://bucket[/prefix]`, or unset: `<data_dir>/collections/graph`.
    pub graph_storage: Option<String>,
}

impl TransferConfig {
    pub fn validate(&self) -> anyhow::Result<()> {
        let leases = mrdp_service::lease::LEASE_SECONDS_RANGE;
        anyhow::ensure!(
            leases.contains(&self.lease_seconds),
            "transfer.lease_seconds: from {} to {}",
            leases.start(),
            leases.end()
        );
        for (key, url) in [
            ("portal_storage", &self.portal_storage),
            ("graph_storage", &self.graph_storage),
        ] {
            if let Some(url) = url {
                anyhow::ensure!(
                    url.strip_prefix("s3://")
                        .is_some_and(|rest| !rest.is_empty()),
                    "transfer.{key}: `{url}` is not an s3://bucket[/prefix] URL"
                );
            }
        }
        Ok(())
    }
}

impl Default for TransferConfig {
    fn default() -> Self {
        Self {
            catalog_dir: None,
            engine: true,
            lease_seconds: mrdp_service::lease::DEFAULT_LEASE_SECONDS,
            portal_storage: None,
            graph_storage: None,
        }
    }
}
