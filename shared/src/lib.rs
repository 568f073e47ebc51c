//! The portal's public JSON API types.
//!
//! Everything here is plain data with serde derives, so that the crate builds for
//! `wasm32-unknown-unknown` and the Leptos frontend, the portal and third-party Rust clients agree
//! on one definition of the wire format. [`daily_weather`] reads the catalog's station-year files
//! (NOAA's daily summaries) the one way the web app's preview and the graph service both read
//! them.

mod apps;
mod auth;
mod connections;
pub mod daily_weather;
mod datasets;
mod error;
mod graphs;
mod health;
mod paging;
mod transfers;

pub use apps::{App, AppKind, AppRegistered, Apps, NewApp};
pub use auth::{FieldError, LogoutResponse, MeResponse, Profile, ProfileRequest};
pub use connections::{Connection, ConnectionsResponse};
pub use datasets::{
    Access, Citation, Coordinates, Dataset, DatasetFacets, DatasetFiles, DatasetSearch,
    DatasetSummary, DownloadLink, DownloadRequest, FacetCount, FileEntry, FileKind, Station,
    Variable,
};
pub use error::{ApiError, ErrorCode};
pub use graphs::{
    ChartKind, GraphChart, GraphFile, GraphFileLink, GraphJob, GraphJobs, GraphLinks,
    GraphProgress, GraphRequest, GraphResult, GraphStage, GraphStatus, GraphSubmitted,
    MAX_STATION_YEARS,
};
pub use health::{
    HealthReport, HealthStatus, ServiceHealth, ServiceName, StoreBackend, StoreHealth,
};
pub use paging::Paging;
pub use transfers::{
    Colleague, CollectionList, CollectionName, CollectionSummary, Deletion, FolderListing,
    NewFolder, Rename, Share, SharePermission, ShareRequest, Shares, TaskKind, TransferEvent,
    TransferEvents, TransferItem, TransferStatus, TransferSubmission, TransferSubmitted,
    TransferTask, TransferTasks, TransferredFile, TransferredFiles,
};
