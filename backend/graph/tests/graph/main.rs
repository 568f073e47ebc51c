//! The graph service's tests (one test binary): its monthly aggregates, its charts and their
//! provenance, on the demo catalog's real station-years, and its jobs in the store.

#![expect(clippy::unwrap_used, reason = "a failed step fails the test")]

mod charts;
mod jobs;
mod monthly;
mod provenance;

use std::path::PathBuf;

/// A station-year file of the demo catalog (`data/climate/<station>/<year>.csv`).
pub fn station_year(station: &str, year: i32) -> String {
    // The crate's directory in the checkout the test runs from (cargo says it when it runs a
    // test; a shared target directory may hold a build made in another checkout).
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let path = crate_dir
        .join("../../data/climate")
        .join(station)
        .join(format!("{year}.csv"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
