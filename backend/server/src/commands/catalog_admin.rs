//! `mrdp portal catalog import FILE | list | remove ID | refresh`: keep the portal's catalog while
//! the services run. The command acts as the portal: it gets the portal's own Transfer token from
//! the identity provider, counts each dataset's files at the transfer service and keeps the
//! catalog collection's access rules, as it would at Globus.

use crate::config::Config;
use crate::deployment::portal_for_command;
use anyhow::Context;
use clap::Subcommand;
use mrdp_portal::catalog::admin::CatalogAdmin;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_shared::Access;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum PortalAdmin {
    /// The catalog of datasets.
    #[command(subcommand)]
    Catalog(CatalogCommand),
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Import a catalog file: every entry, or nothing when one is wrong.
    Import { file: PathBuf },
    /// List the datasets with their file counts.
    List,
    /// Remove a dataset (its files stay; its access rule goes).
    Remove { id: String },
    /// Count every dataset's files again and put the access rules right.
    Refresh,
}

pub async fn run(config: &Config, admin: PortalAdmin) -> anyhow::Result<ExitCode> {
    let PortalAdmin::Catalog(command) = admin;
    let portal = portal_for_command(config).await?;
    let catalog = portal
        .catalog_admin()
        .await
        .context("act as the portal at the transfer service")?;
    let now = SystemClock.now();
    match command {
        CatalogCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("read {}", file.display()))?;
            let imported = catalog.import(&text, now).await?;
            println!(
                "imported {} datasets: {}",
                imported.len(),
                imported.join(", ")
            );
        }
        CatalogCommand::List => print_list(&catalog).await?,
        CatalogCommand::Remove { id } => {
            if !catalog.remove(&id).await? {
                eprintln!("no dataset {id}");
                return Ok(ExitCode::FAILURE);
            }
            println!("removed {id}");
        }
        CatalogCommand::Refresh => {
            let datasets = catalog.refresh(now).await?;
            println!("counted {} datasets", datasets.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn print_list(catalog: &CatalogAdmin) -> anyhow::Result<()> {
    for dataset in catalog.list().await? {
        let access = match &dataset.entry.access {
            Access::SignedIn => "signed-in".to_owned(),
            Access::Group { name, .. } => format!("group {name}"),
        };
        println!(
            "{:<12} {:>6} files {:>12} bytes  {}-{}  {:<24} {}",
            dataset.entry.id,
            dataset.counts.file_count,
            dataset.counts.bytes,
            dataset.entry.first_year,
            dataset.entry.last_year,
            access,
            dataset.entry.title
        );
    }
    Ok(())
}
