//! The harness of the browser journeys: a real `mrdp all` on free ports with a throwaway data
//! directory, and Debian's Chromium driven headless through chromedriver (WebDriver).
//!
//! Nothing here is optional: a missing browser, driver, binary or web-app build is an error that
//! fails the journey, never a skip.

mod axe;
mod browser;
mod catalog;
pub mod pages;
mod portal;
mod researcher;
mod trunk_serve;

pub use axe::check_accessibility;
pub use browser::Browser;
pub use catalog::{MORE_TEST_DATASETS, NESTED_ID, journey_catalog};
pub use portal::Portal;
pub use researcher::{sign_in_with_profile, sign_in_with_profile_at};
pub use trunk_serve::{TRUNK_SERVE_URL, TrunkServe, ports_are_free};

use std::path::PathBuf;

/// This crate's directory in the checkout the tests run from: cargo and nextest say it when they
/// run a test; the directory it was compiled in is only the fallback (a shared target directory
/// may hold a build made in another checkout).
fn crate_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    crate_dir().join("..")
}

/// Where journeys save their screenshots (ignored by git).
pub fn screenshot_dir() -> PathBuf {
    crate_dir().join("screenshots")
}
