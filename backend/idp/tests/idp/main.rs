//! The identity provider over real HTTP (one test binary for the crate).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers fail the test by panicking"
)]

mod account_status;
mod apps;
mod browser_flow;
mod client_credentials;
mod code_binding;
mod code_flow;
mod delegation;
mod discovery;
mod harness;
mod identities;
mod introspection;
mod purge;
mod refresh;
mod registry;
mod return_paths;
mod revocation;
mod scopes;
mod sign_in;
mod signing_keys;
mod throttling;
