//! Integration tests of the shared service plumbing (one test binary for the crate).

#![expect(clippy::expect_used, reason = "helpers fail the test by panicking")]

mod health_endpoint;
mod store;
