//! What the identity provider knows: clients, resource servers and scopes. Used by the
//! endpoints, and by the CLI and first-run set-up to register things.

pub mod apps;
pub mod clients;
pub mod groups;
pub mod identities;
pub mod scopes;
pub mod users;
