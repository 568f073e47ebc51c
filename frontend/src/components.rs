//! Pure components: they render their props and fetch nothing.

mod error_panel;
mod health_table;
mod nav_bar;
mod status_badge;

pub use error_panel::ErrorPanel;
pub use health_table::HealthTable;
pub use nav_bar::NavBar;
pub use status_badge::StatusBadge;
