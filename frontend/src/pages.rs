//! Routed pages: each fetches what it shows.

mod activity;
mod dataset;
mod datasets;
mod developer;
mod file_manager;
mod graph;
mod graphs;
mod home;
mod not_found;
mod profile;
mod sign_in_error;
mod status;
mod task;

pub use activity::ActivityPage;
pub use dataset::DatasetPage;
pub use datasets::DatasetsPage;
pub use developer::DeveloperPage;
pub use file_manager::FileManagerPage;
pub use graph::GraphPage;
pub use graphs::GraphsPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use profile::ProfilePage;
pub use sign_in_error::SignInErrorPage;
pub use status::StatusPage;
pub use task::TaskPage;
