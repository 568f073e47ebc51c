//! The plumbing every MRDP service shares.
//!
//! - [`store`]: the service's own database, SQLite by default or PostgreSQL (one schema per
//!   service), with its embedded migrations;
//! - [`http`]: an actix-web server with one tracing span and one request id per request;
//! - [`health`]: the `GET /health` endpoint each service answers;
//! - [`clock`]: the one wall-clock read, injectable in tests;
//! - [`secrets`]: secrets generated on first run into the data directory (0600);
//! - [`forwarded`]: the client's address behind the proxies the configuration trusts;
//! - [`local_path`]: the check that keeps a sign-in's return address on the same server;
//! - [`metrics`]: the service's Prometheus metrics, `GET /metrics` when turned on;
//! - [`periodic`]: work repeated while a service runs (purges, sweeps);
//! - [`lease`]: leases on work kept in rows, renewed while a worker holds them;
//! - [`vault`]: tokens sealed before they are stored.
//!
//! Services never call each other's code: only this plumbing and the wire crates are shared.

pub mod clock;
pub mod cookies;
pub mod forwarded;
pub mod health;
pub mod http;
pub mod lease;
pub mod local_path;
pub mod metrics;
pub mod periodic;
pub mod secrets;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tls;
pub mod vault;
