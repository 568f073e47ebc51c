//! Page objects: what a journey can see and do on each page, by role, label or `data-testid`.

mod activity;
mod dataset;
mod datasets;
mod developer;
mod file_manager;
mod graphs;
mod home;
mod nav;
mod profile;
mod selection;
mod sign_in;
mod status;

pub use activity::{ActivityPages, TaskShown};
pub use dataset::{DatasetPage, PreviewFacts};
pub use datasets::DatasetsPage;
pub use developer::DeveloperPage;
pub use file_manager::FileManagerPage;
pub use graphs::GraphPages;
pub use home::HomePage;
pub use nav::NavBar;
pub use profile::ProfilePage;
pub use sign_in::SignInPages;
pub use status::StatusPage;
