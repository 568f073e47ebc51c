//! The `mrdp` subcommands.

pub mod catalog_admin;
pub mod healthcheck;
pub mod idp_admin;
pub mod migrate;
pub mod serve;
pub mod transfer_admin;
