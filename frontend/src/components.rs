//! Pure components: they render their props and fetch nothing.

mod connection_list;
mod error_panel;
mod health_table;
mod nav_bar;
mod status_badge;

pub use connection_list::ConnectionList;
pub use error_panel::ErrorPanel;
pub use health_table::HealthTable;
pub use nav_bar::{NavBar, display_name};
pub use status_badge::StatusBadge;
