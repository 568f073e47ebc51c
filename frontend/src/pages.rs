//! Routed pages: each fetches what it shows.

mod not_found;
mod status;

pub use not_found::NotFoundPage;
pub use status::StatusPage;
