//! The portal's single-page app.
//!
//! Pages (`pages/`) are routed and fetch data through [`api`]; components (`components/`) are
//! pure and take props. Logic that can be a plain function is one, and is tested natively.

pub mod api;
pub mod app;
pub mod clipboard;
pub mod components;
pub mod file_manager_link;
pub mod focus;
pub mod live_task;
pub mod pages;
pub mod progress_stream;
pub mod recent_destinations;
pub mod route;
pub mod search_query;
pub mod selection;
pub mod size;
pub mod task_progress;

pub use app::App;
