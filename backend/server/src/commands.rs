//! The `mrdp` subcommands.

pub mod healthcheck;
pub mod idp_admin;
pub mod migrate;
pub mod serve;
pub mod transfer_admin;
