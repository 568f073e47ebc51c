//! Page objects: what a journey can see and do on each page, by role, label or `data-testid`.

mod dataset;
mod datasets;
mod home;
mod nav;
mod profile;
mod selection;
mod sign_in;
mod status;

pub use dataset::{DatasetPage, PreviewFacts};
pub use datasets::DatasetsPage;
pub use home::HomePage;
pub use nav::NavBar;
pub use profile::ProfilePage;
pub use sign_in::SignInPages;
pub use status::StatusPage;
