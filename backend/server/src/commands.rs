//! The `mrdp` subcommands.

pub mod healthcheck;
pub mod migrate;
pub mod serve;
