//! Transfers from the portal: a researcher submits datasets (or files of a collection) to a
//! collection they may write, and follows their tasks. Every call to the transfer service is made
//! with the researcher's OWN Transfer token, so the collections' rules decide; file bytes go from
//! storage to storage, never through the portal.

pub mod idempotency;
pub mod routes;
pub mod submission;
pub mod task_view;
