//! Routed pages: each fetches what it shows.

mod dataset;
mod datasets;
mod home;
mod not_found;
mod profile;
mod sign_in_error;
mod status;

pub use dataset::DatasetPage;
pub use datasets::DatasetsPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use profile::ProfilePage;
pub use sign_in_error::SignInErrorPage;
pub use status::StatusPage;
