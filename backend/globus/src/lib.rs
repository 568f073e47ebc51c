//! Wire types and typed HTTP clients for the services a portal talks to.
//!
//! Services never call each other's code; they call each other's HTTP APIs through these
//! clients, exactly as they would call the real Globus.

pub mod auth;
pub mod dates;
pub mod delegation;
pub mod health;
pub mod introspection;
pub mod scopes;
pub mod tasks;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod transfer;
pub mod vocabulary;
