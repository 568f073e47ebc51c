//! Graphs, for a signed-in researcher with a complete profile: the portal forwards
//! `POST/GET/DELETE /api/graphs…` to the graph service with the researcher's own token for the
//! graph scope from the vault (never the portal's identity), streams a job's progress over SSE,
//! and signs data-server URLs for a finished job's files (the researcher's token for the results
//! collection's HTTPS scope; the bytes never pass through the portal).

mod forward;
mod links;
pub mod routes;
mod stream;
