//! `[transfer]`: the demo catalog and the task engine.

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
}

impl Default for TransferConfig {
    fn default() -> Self {
        Self {
            catalog_dir: None,
            engine: true,
            lease_seconds: mrdp_service::lease::DEFAULT_LEASE_SECONDS,
        }
    }
}
