//! The `mrdp` binary's library: configuration, service start-up and the CLI commands.
//!
//! It is a library so that the integration tests start exactly what `mrdp all` starts.

pub mod auth_config;
pub mod built_in;
pub mod cli;
pub mod commands;
pub mod config;
pub mod data_config;
pub mod data_dir;
pub mod deployment;
pub mod graph_config;
pub mod idp_config;
pub mod pack;
pub mod portal_config;
pub mod role;
pub mod s3_config;
pub mod seed;
pub mod service_settings;
pub mod service_urls;
pub mod telemetry;
pub mod transfer_config;
pub mod workers;
