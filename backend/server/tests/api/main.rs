//! Integration tests of the whole deployment over real HTTP (one test binary for the crate).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers fail the test by panicking"
)]

mod api_conventions;
mod api_limits;
mod app_tokens;
mod apps_in_portal;
mod backup_restore;
mod bearer_access;
mod beside;
mod bucket_flows;
mod catalog;
mod catalog_import;
mod child_output;
mod cli;
mod collection_downloads;
mod compat;
mod connections;
mod contract;
mod crash_resume;
mod data_tls;
mod datasets;
mod downloads;
mod expiry_purge;
mod file_manager;
mod files;
mod graph_calls;
mod graph_restart;
mod graph_workers;
mod graphs;
mod graphs_in_portal;
mod harness;
mod health;
mod hostile_provider;
mod json_ld;
mod load_balancer;
mod metrics;
mod notebook;
mod one_binary;
mod openapi_routes;
mod profile;
mod readme_walkthrough;
mod session_expiry;
mod sharing;
mod sign_in;
mod sign_in_browser;
mod sign_in_return;
mod spa;
mod standard_oidc;
mod transfer_cli;
mod transfer_progress;
mod transfer_workers;
mod transfers;
