//! Page objects: what a journey can see and do on each page, by role, label or `data-testid`.

mod status;

pub use status::StatusPage;
