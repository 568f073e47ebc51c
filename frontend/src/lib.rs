//! The portal's single-page app.
//!
//! Pages (`pages/`) are routed and fetch data through [`api`]; components (`components/`) are
//! pure and take props. Logic that can be a plain function is one, and is tested natively.

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod route;

pub use app::App;
