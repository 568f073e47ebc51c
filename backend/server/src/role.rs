//! Which services one process runs: `mrdp all`, one service, or a service's worker alone.

use mrdp_shared::ServiceName;

/// Which services one process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    All,
    Portal,
    Idp,
    Transfer,
    /// The data server alone (`mrdp data`), beside the transfer services on their database.
    Data,
    Graph,
    /// A transfer task engine without the API (`mrdp transfer --worker`).
    TransferWorker,
    /// A graph job worker without the API (`mrdp graph --worker`).
    GraphWorker,
}

impl Role {
    pub fn services(self) -> &'static [ServiceName] {
        match self {
            Self::All => &ServiceName::ALL,
            Self::Portal => &[ServiceName::Portal],
            Self::Idp => &[ServiceName::Idp],
            Self::Transfer => &[ServiceName::Transfer, ServiceName::Data],
            Self::Data => &[ServiceName::Data],
            Self::Graph => &[ServiceName::Graph],
            Self::TransferWorker | Self::GraphWorker => &[],
        }
    }

    /// What work a worker does (`mrdp transfer --worker`: "transfer"), or `None` for a role
    /// that serves.
    pub fn worker_of(self) -> Option<&'static str> {
        match self {
            Self::TransferWorker => Some("transfer"),
            Self::GraphWorker => Some("graph"),
            _ => None,
        }
    }
}
