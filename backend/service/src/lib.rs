//! The plumbing every MRDP service shares.
//!
//! - [`store`]: the service's own database, SQLite by default or PostgreSQL (one schema per
//!   service), with its embedded migrations;
//! - [`http`]: an actix-web server with one tracing span and one request id per request;
//! - [`health`]: the `GET /health` endpoint each service answers.
//!
//! Services never call each other's code: only this plumbing and the wire crates are shared.

pub mod health;
pub mod http;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
