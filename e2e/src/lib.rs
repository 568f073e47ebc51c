//! The harness of the browser journeys: a real `mrdp all` on free ports with a throwaway data
//! directory, and Debian's Chromium driven headless through chromedriver (WebDriver).
//!
//! Nothing here is optional: a missing browser, driver, binary or web-app build is an error that
//! fails the journey, never a skip.

mod browser;
pub mod pages;
mod portal;

pub use browser::Browser;
pub use portal::Portal;

use std::path::PathBuf;

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where journeys save their screenshots (ignored by git).
pub fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots")
}
