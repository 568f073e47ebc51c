//! Transfers from the portal: a researcher submits datasets (or files of a collection) to a
//! collection they may write, and follows their tasks. Every call to the transfer service is made
//! with the researcher's OWN Transfer token, so the collections' rules decide; file bytes go from
//! storage to storage, never through the portal.

pub mod again;
pub mod catalog_top;
pub mod collections;
pub mod copied_files;
pub mod downloads;
pub mod idempotency;
pub mod routes;
pub mod shares;
pub mod stream;
pub mod submission;
pub mod task_view;
pub mod watchers;

use crate::auth::me::with_complete_profile;
use crate::transfer_client::PortalTransfer;
use crate::{PortalError, PortalState};
use actix_web::HttpRequest;

/// The transfer service as the signed-in researcher (profile complete) calls it.
async fn researchers(
    req: &HttpRequest,
    state: &PortalState,
) -> Result<PortalTransfer, PortalError> {
    let session = with_complete_profile(req, state).await?;
    state.transfer_as(&session).await
}

/// An id as the transfer and graph services write them (a UUID), in lower case; anything else is
/// a 404 (`no transfer …`, `no collection …`, `no graph job …`), so that nothing else is sent on.
pub(crate) fn service_made_id(id: &str, what: &str) -> Result<String, PortalError> {
    let fine = id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    fine.then(|| id.to_ascii_lowercase())
        .ok_or_else(|| PortalError::NotFound(format!("no {what} {id}")))
}

impl PortalState {
    /// How many times this portal has asked the transfer service about a watched task (one
    /// poller per task, however many watch it).
    pub fn task_polls(&self) -> u64 {
        self.task_watchers.polls()
    }

    /// How many task pollers this portal has started (one per watched task).
    pub fn task_pollers(&self) -> u64 {
        self.task_watchers.pollers()
    }
}
