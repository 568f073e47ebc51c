//! Command-line interface.

use crate::commands;
use crate::commands::catalog_admin::PortalAdmin;
use crate::commands::idp_admin::IdpAdmin;
use crate::commands::transfer_admin::TransferAdmin;
use crate::config::{CliOverrides, Config};
use crate::deployment::Role;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The Modern Research Data Portal: portal, identity provider, transfer service, data server and
/// graph service.
#[derive(Debug, Parser)]
#[command(name = "mrdp", version, about)]
pub struct Cli {
    /// A TOML configuration file (keys as in the README); `MRDP_*` variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where state lives: databases, generated secrets, collections (default ./var).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Port of the portal; idp, transfer, data and graph use the next four (default 8080).
    /// 0 gives every service a free port, printed at start.
    #[arg(long, global = true, value_name = "N")]
    port_base: Option<u16>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every service in one process (the embedded deployment).
    All,
    /// Run the portal (SPA and /api), or keep its catalog of datasets.
    Portal {
        #[command(subcommand)]
        admin: Option<PortalAdmin>,
    },
    /// Run the embedded identity provider, or manage its users and clients.
    Idp {
        #[command(subcommand)]
        admin: Option<IdpAdmin>,
    },
    /// Run the transfer service and its data server, or manage its collections.
    Transfer {
        /// Run only a task engine, without the API or the data server, beside the transfer
        /// services on the same PostgreSQL database.
        #[arg(long)]
        worker: bool,
        #[command(subcommand)]
        admin: Option<TransferAdmin>,
    },
    /// Run the data server alone, beside the transfer services on their PostgreSQL database.
    Data,
    /// Run the graph service.
    Graph {
        /// Run only a job worker, without the API, beside the graph services on the same
        /// PostgreSQL database.
        #[arg(long)]
        worker: bool,
    },
    /// Apply every service's database migrations, then exit.
    Migrate,
    /// Ask a running portal for the health of every service; exit 0 only if all are ok.
    Healthcheck {
        /// The portal's base URL (default: this configuration's portal address).
        #[arg(long)]
        url: Option<String>,
    },
}

impl Cli {
    /// Loads the configuration and runs the command.
    pub fn run(self) -> anyhow::Result<ExitCode> {
        let overrides = CliOverrides {
            data_dir: self.data_dir,
            port_base: self.port_base,
        };
        let config = Config::load(self.config.as_deref(), overrides)?;
        let runtime = tokio::runtime::Runtime::new().context("start the async runtime")?;
        let serve = |role| {
            crate::telemetry::init(&config.log)?;
            tracing::info!(?config, "configuration");
            runtime.block_on(commands::serve::run(&config, role))
        };
        match self.command {
            Command::All => serve(Role::All),
            Command::Portal { admin: None } => serve(Role::Portal),
            Command::Portal { admin: Some(admin) } => {
                runtime.block_on(commands::catalog_admin::run(&config, admin))
            }
            Command::Idp { admin: None } => serve(Role::Idp),
            Command::Idp { admin: Some(admin) } => {
                runtime.block_on(commands::idp_admin::run(&config, admin))
            }
            Command::Transfer {
                worker: true,
                admin: None,
            } => serve(Role::TransferWorker),
            Command::Transfer { admin: None, .. } => serve(Role::Transfer),
            Command::Transfer {
                admin: Some(admin), ..
            } => runtime.block_on(commands::transfer_admin::run(&config, admin)),
            Command::Data => serve(Role::Data),
            Command::Graph { worker: false } => serve(Role::Graph),
            Command::Graph { worker: true } => serve(Role::GraphWorker),
            Command::Migrate => {
                crate::telemetry::init(&config.log)?;
                runtime.block_on(commands::migrate::run(&config))
            }
            Command::Healthcheck { url } => {
                runtime.block_on(commands::healthcheck::run(&config, url))
            }
        }
    }
}
