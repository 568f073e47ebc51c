//! Routed pages: each fetches what it shows.

mod home;
mod not_found;
mod profile;
mod sign_in_error;
mod status;

pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use profile::ProfilePage;
pub use sign_in_error::SignInErrorPage;
pub use status::StatusPage;
